/* http_header.c: single HTTP header lines (see http_header.h). */
#include "scheduler/http_header.h"

#include <string.h>
#include <strings.h>

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int http_header_status(const char *line, size_t len)
{
    size_t i = 5;
    int code = 0;
    if (len < 12 || strncmp(line, "HTTP/", 5) != 0)
        return -1;
    while (i < len && line[i] != ' ')
        i++;
    if (len - i < 4 || line[i] != ' ')
        return -1;
    for (size_t k = i + 1; k < i + 4; k++) {
        if (line[k] < '0' || line[k] > '9')
            return -1;
        code = code * 10 + (line[k] - '0');
    }
    return i + 4 == len || blank(line[i + 4]) ? code : -1;
}

bool http_header_match(const char *line, size_t len, const char *name, const char **value,
                       size_t *value_len)
{
    size_t n = strlen(name), start, end = len;
    if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
        return false;
    start = n + 1;
    while (start < end && blank(line[start]))
        start++;
    while (end > start && blank(line[end - 1]))
        end--;
    *value = line + start;
    *value_len = end - start;
    return true;
}
