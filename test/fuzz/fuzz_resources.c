/* fuzz_resources.c: libFuzzer target for the resource parsers (make fuzz).
 *
 * Any input must either parse, or fail with an error whose position lies
 * inside the input; nothing may crash, leak or trip a sanitizer. What parses
 * must survive its own formatting: JSON always (within jansson's signed
 * 64-bit integers), and the flag text when the input was flag text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hdrf/resources.h"

static int fits_json(const hdrf_resources *rs)
{
    for (size_t i = 0; i < hdrf_resources_size(rs); i++) {
        size_t n;
        const hdrf_range *r = hdrf_resource_ranges(hdrf_resources_at(rs, i), &n);
        for (size_t k = 0; k < n; k++)
            if (r[k].end > INT64_MAX)
                return 0;
    }
    return 1;
}

static void round_trip(const hdrf_resources *rs, char *text)
{
    hdrf_resources *back = NULL;
    if (!text)
        abort();
    if (hdrf_resources_parse(text, NULL, &back, NULL) != HDRF_OK || !hdrf_resources_equal(rs, back))
        abort();
    hdrf_resources_free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    hdrf_resources *rs = NULL;
    hdrf_error err;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *role = size && (data[0] & 1) ? "eng" : NULL;
    if (hdrf_resources_parse(text, role, &rs, &err) == HDRF_OK) {
        if (fits_json(rs))
            round_trip(rs, hdrf_resources_format_json(rs));
        if (text[strspn(text, " \t\r\n")] != '[')
            round_trip(rs, hdrf_resources_format(rs));
        hdrf_resources *twice = hdrf_resources_copy(rs);
        if (!twice || hdrf_resources_add(twice, rs) != HDRF_OK ||
            !hdrf_resources_contains(twice, rs))
            abort();
        hdrf_resources_free(twice);
        hdrf_resources_free(rs);
    } else if (err.position > (int)strlen(text) || !err.text[0]) {
        abort();
    }
    free(text);
    return 0;
}
