/* failalloc.c: the wrapped allocation functions (see failalloc.h).
 *
 * --wrap rewrites each undefined reference to malloc into one to
 * __wrap_malloc, and __real_malloc names the original (under ASan, its
 * interceptor), so the sanitizers still see and check every block. */
#include "test/oom/failalloc.h"

#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__real_aligned_alloc(size_t alignment, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void *__wrap_aligned_alloc(size_t alignment, size_t size);

static bool armed;
static long countdown; /* allocations until the failure; 0: none */
static long counted;
static bool fired;
static int held;

void failalloc_arm(long n)
{
    armed = true;
    countdown = n;
    counted = 0;
    fired = false;
}

long failalloc_disarm(void)
{
    armed = false;
    return counted;
}

bool failalloc_fired(void) { return fired; }
void failalloc_hold(void) { held++; }
void failalloc_release(void) { held--; }

/* Whether this allocation is the one to fail. */
static bool fail_now(void)
{
    if (!armed || held)
        return false;
    counted++;
    if (countdown == 0 || --countdown > 0)
        return false;
    fired = true;
    return true;
}

void *__wrap_malloc(size_t size) { return fail_now() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return fail_now() ? NULL : __real_realloc(p, size); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
void *__wrap_aligned_alloc(size_t alignment, size_t size)
{
    return fail_now() ? NULL : __real_aligned_alloc(alignment, size);
}
