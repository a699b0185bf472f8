/* api_auth.c: the API's credentials, compared in constant time (see api_auth.h). */
#include "scheduler/prog/api_auth.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scheduler/base64.h"

#define MAX_LINE 1024

typedef enum cred_kind { CRED_BASIC, CRED_BEARER } cred_kind;

typedef struct cred {
    cred_kind kind;
    char *secret; /* "USER:PASSWORD" or the token */
    size_t len;
} cred;

struct api_auth {
    cred *creds;
    size_t n;
};

void api_auth_free(api_auth *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        /* the secrets do not outlive the set in freed memory */
        memset(a->creds[i].secret, 0, a->creds[i].len);
        free(a->creds[i].secret);
    }
    free(a->creds);
    free(a);
}

/* The line without its end of line and surrounding blanks. */
static char *trim(char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                     line[n - 1] == '\t'))
        line[--n] = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    return line;
}

/* One line into a->creds (grown); HDRF_EINVAL for a bad one. */
static int add_line(api_auth *a, const char *file, int lineno, const char *line, sched_error *err)
{
    cred c;
    const char *secret;
    cred *grown;
    if (strncasecmp(line, "basic ", 6) == 0) {
        c.kind = CRED_BASIC;
        secret = line + 6;
    } else if (strncasecmp(line, "bearer ", 7) == 0) {
        c.kind = CRED_BEARER;
        secret = line + 7;
    } else {
        return sched_error_set(err, HDRF_EINVAL,
                               "--http_credentials=%s: line %d: expected `basic USER:PASSWORD` "
                               "or `bearer TOKEN`",
                               file, lineno);
    }
    while (*secret == ' ')
        secret++;
    if (!*secret || (c.kind == CRED_BASIC && (!strchr(secret, ':') || *secret == ':')))
        return sched_error_set(err, HDRF_EINVAL, "--http_credentials=%s: line %d: %s", file, lineno,
                               c.kind == CRED_BASIC ? "expected USER:PASSWORD after basic"
                                                    : "expected a token after bearer");
    if (!(grown = realloc(a->creds, (a->n + 1) * sizeof *grown)))
        return sched_error_set(err, HDRF_ENOMEM, "--http_credentials: out of memory");
    a->creds = grown;
    c.len = strlen(secret);
    if (!(c.secret = strdup(secret)))
        return sched_error_set(err, HDRF_ENOMEM, "--http_credentials: out of memory");
    a->creds[a->n++] = c;
    return HDRF_OK;
}

int api_auth_load(const char *file, api_auth **out, sched_error *err)
{
    FILE *f = fopen(file, "r");
    api_auth *a = calloc(1, sizeof *a);
    char buf[MAX_LINE];
    int rc = HDRF_OK, lineno = 0;
    *out = NULL;
    if (!a)
        rc = sched_error_set(err, HDRF_ENOMEM, "--http_credentials: out of memory");
    else if (!f)
        rc = sched_error_set(err, HDRF_EINVAL, "--http_credentials=%s: %s", file,
                             errno == ENOENT ? "no such file" : strerror(errno));
    while (rc == HDRF_OK && fgets(buf, sizeof buf, f)) {
        char *line = trim(buf);
        lineno++;
        if (*line && *line != '#')
            rc = add_line(a, file, lineno, line, err);
    }
    if (rc == HDRF_OK && a->n == 0)
        rc = sched_error_set(err, HDRF_EINVAL,
                             "--http_credentials=%s: no credential in it (expected lines "
                             "`basic USER:PASSWORD` or `bearer TOKEN`)",
                             file);
    if (f)
        fclose(f);
    if (rc == HDRF_OK)
        *out = a;
    else
        api_auth_free(a);
    return rc;
}

/* Whether a[0..na) equals b[0..nb), in time that depends on the lengths only. */
static bool same_secret(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na > nb ? na : nb;
    unsigned diff = na != nb;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = i < na ? (unsigned char)a[i] : 0;
        unsigned char y = i < nb ? (unsigned char)b[i] : 0;
        diff |= (unsigned)(x ^ y);
    }
    return diff == 0;
}

static bool any_matches(const api_auth *a, cred_kind kind, const char *secret, size_t len)
{
    bool found = false;
    for (size_t i = 0; i < a->n; i++)
        found |= a->creds[i].kind == kind &&
                 same_secret(a->creds[i].secret, a->creds[i].len, secret, len);
    return found;
}

bool api_auth_check(const api_auth *a, const char *authorization)
{
    const char *value;
    bool ok = false;
    if (!a || !authorization)
        return false;
    if (strncasecmp(authorization, "Bearer ", 7) == 0) {
        for (value = authorization + 7; *value == ' ';)
            value++;
        ok = any_matches(a, CRED_BEARER, value, strlen(value));
    } else if (strncasecmp(authorization, "Basic ", 6) == 0) {
        uint8_t *plain = NULL;
        size_t len = 0, bad = 0;
        for (value = authorization + 6; *value == ' ';)
            value++;
        if (base64_decode(value, strlen(value), &plain, &len, &bad) == HDRF_OK) {
            ok = any_matches(a, CRED_BASIC, (const char *)plain, len);
            memset(plain, 0, len);
        }
        free(plain);
    }
    return ok;
}
