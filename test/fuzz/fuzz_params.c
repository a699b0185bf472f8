/* fuzz_params.c: libFuzzer target for the module parameters (make fuzz).
 *
 * Input: a modules manifest (JSON) when it starts with '{', else
 * `key=value` lines handed to hdrf_params_parse(). A refusal names a token
 * and says why in one line; what is accepted reads back (hdrf_params_value)
 * a text that parses again to the same effective values: the manifest an
 * operator writes and the values the module logs agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/params.h"

#define MAX_PAIRS 32

static void check_refusal(const hdrf_error *e)
{
    if (!e->text[0] || strchr(e->text, '\n') || strchr(e->token, '\n'))
        abort();
}

/* Every key's effective text parses again to the same texts. */
static void round_trip(const hdrf_params *p)
{
    size_t n = hdrf_params_key_count();
    hdrf_param pairs[MAX_PAIRS];
    hdrf_params *again = NULL;
    hdrf_error e;
    if (n > MAX_PAIRS)
        abort();
    for (size_t i = 0; i < n; i++) {
        pairs[i].key = hdrf_params_key(i);
        pairs[i].value = hdrf_params_value(p, pairs[i].key);
        if (!pairs[i].value)
            abort();
    }
    if (hdrf_params_parse(pairs, n, &again, &e) != HDRF_OK)
        abort();
    for (size_t i = 0; i < n; i++)
        if (strcmp(hdrf_params_value(again, pairs[i].key), pairs[i].value) != 0)
            abort();
    hdrf_params_free(again);
}

/* Splits `text` (modified) into key=value lines. */
static size_t split_pairs(char *text, hdrf_param *pairs)
{
    size_t n = 0;
    for (char *line = text, *next; line && n < MAX_PAIRS; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        pairs[n].key = line;
        pairs[n++].value = eq + 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    hdrf_params *p = NULL;
    hdrf_error e;
    int rc;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (size && text[0] == '{') {
        rc = hdrf_params_from_modules_json(text, "fuzz.json", NULL, &p, &e);
    } else {
        hdrf_param pairs[MAX_PAIRS];
        size_t n = split_pairs(text, pairs);
        rc = hdrf_params_parse(pairs, n, &p, &e);
    }
    if (rc == HDRF_OK)
        round_trip(p);
    else
        check_refusal(&e);
    hdrf_params_free(p);
    free(text);
    return 0;
}
