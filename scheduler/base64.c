/* base64.c: standard base64 (see base64.h). */
#include "scheduler/base64.h"

#include <stdlib.h>

#include "hdrf/status.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const uint8_t *data, size_t len)
{
    size_t groups = (len + 2) / 3, o = 0;
    char *out = malloc(groups * 4 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* The 6-bit value of c, or -1 when c is not in the alphabet. */
static int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len, size_t *bad)
{
    size_t chars = len, o = 0;
    uint32_t acc = 0;
    *out = NULL;
    *out_len = 0;
    /* Up to two '=' end a padded text whose length is a multiple of 4. */
    if (len % 4 == 0 && chars > 0 && text[chars - 1] == '=')
        chars--;
    if (len % 4 == 0 && chars > 0 && text[chars - 1] == '=')
        chars--;
    if (chars % 4 == 1) {
        *bad = len;
        return HDRF_EINVAL;
    }
    for (size_t i = 0; i < chars; i++)
        if (sextet(text[i]) < 0) {
            *bad = i;
            return HDRF_EINVAL;
        }
    *out = malloc(chars * 3 / 4 + 1);
    if (!*out)
        return HDRF_ENOMEM;
    for (size_t i = 0; i < chars; i++) {
        acc = acc << 6 | (uint32_t)sextet(text[i]);
        if (i % 4 == 3) {
            (*out)[o++] = (uint8_t)(acc >> 16);
            (*out)[o++] = (uint8_t)(acc >> 8);
            (*out)[o++] = (uint8_t)acc;
        }
    }
    if (chars % 4 == 2)
        (*out)[o++] = (uint8_t)(acc >> 4);
    if (chars % 4 == 3) {
        (*out)[o++] = (uint8_t)(acc >> 10);
        (*out)[o++] = (uint8_t)(acc >> 2);
    }
    *out_len = o;
    return HDRF_OK;
}
