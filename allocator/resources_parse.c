/* resources_parse.c: hdrf_resources_parse(), the one entry point for text
 * that may hold either form of resources.
 *
 * Mesos's Resources::parse tries the JSON array form first and falls back to
 * the flag form (`cpus:1;mem:128`); text of the flag form never starts with
 * '['. The choice lives here, above both readers, so that the text reader
 * (resources_text.c) and the JSON reader (resources_json.c, which uses the
 * text reader's scalar rule) do not call each other. */
#include <string.h>

#include "lib/error.h"
#include "allocator/resources_internal.h"
#include "allocator/resources_text.h"

#define SRC "text"

/* Mesos tries JSON first; text of the flag form never starts with '['. */
static int read_either_form(const void *input, const char *default_role, hdrf_resources *rs,
                            hdrf_error *error)
{
    const char *text = input;
    return text[strspn(text, " \t\r\n")] == '['
               ? json_parse_resources_text(text, default_role, rs, error)
               : text_parse(text, default_role, rs, error);
}

int hdrf_resources_parse(const char *text, const char *default_role, hdrf_resources **out,
                         hdrf_error *error)
{
    *out = NULL;
    if (!text)
        return error_named(error, SRC, "", "no resources text given");
    return resources_read_new(read_either_form, text, default_role, out, error);
}
