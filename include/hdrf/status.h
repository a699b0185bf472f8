/* hdrf/status.h: status codes and error reports shared by every hdrf API.
 *
 * Every fallible call returns an `int`: HDRF_OK (zero) or one of the negative
 * codes below, which hdrf_strerror() names. Parsers also fill an hdrf_error,
 * modelled on jansson's json_error_t, that says where and why the input was
 * refused, so a message can name the offending token and its position.
 */
#ifndef HDRF_STATUS_H
#define HDRF_STATUS_H

#include "hdrf/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    HDRF_OK = 0,
    HDRF_EINVAL = -1,    /* malformed input or an argument out of range */
    HDRF_ENOMEM = -2,    /* an allocation failed; the call changed nothing */
    HDRF_ENOTFOUND = -3, /* an id or name that is not known */
    HDRF_EEXIST = -4,    /* an id or name that is already known */
    HDRF_ENOFIT = -5     /* resources that are not available or not contained */
};

/* A static, human-readable name for a status code; never NULL. */
HDRF_API const char *hdrf_strerror(int status);

#define HDRF_ERROR_SOURCE_LENGTH 80
#define HDRF_ERROR_TOKEN_LENGTH 80
#define HDRF_ERROR_TEXT_LENGTH 200

/* Where and why an input was refused. Caller-allocated; filled on failure.
 * Lines, columns and positions count from 1 and 0 respectively; a field that
 * does not apply is -1 (for example `line` for one-line flag text). `token`
 * and `text` are each one line: a control character of the input is written
 * as a C escape (\n, \t, \x01), so a message can go to a log as it is. */
typedef struct hdrf_error {
    int line;
    int column;
    int position;                          /* byte offset into the input */
    char source[HDRF_ERROR_SOURCE_LENGTH]; /* "text", "json", a file name... */
    char token[HDRF_ERROR_TOKEN_LENGTH];   /* the offending token or JSON path */
    char text[HDRF_ERROR_TEXT_LENGTH];     /* what is wrong and what is allowed */
} hdrf_error;

#ifdef __cplusplus
}
#endif

#endif
