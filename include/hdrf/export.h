/* hdrf/export.h: HDRF_API, the mark of a name that libhdrf.so exports.
 *
 * The library is compiled with -fvisibility=hidden: a name it defines stays
 * inside the shared object unless its declaration here, in include/hdrf,
 * carries HDRF_API (as libuv marks its API with UV_EXTERN). So the ABI is
 * exactly the marked declarations, and the internals (the utility layer, the
 * allocator's files) can change without breaking a program linked against
 * the shared library. Programs that link libhdrf.a see every name as before:
 * visibility decides only what a shared object exports.
 */
#ifndef HDRF_EXPORT_H
#define HDRF_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define HDRF_API __attribute__((visibility("default")))
#else
#define HDRF_API
#endif

#endif
