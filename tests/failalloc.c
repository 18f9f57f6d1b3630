/* tests/failalloc.c - the allocation wrappers behind tests/failalloc.h. */
#include "tests/failalloc.h"

#include <stdatomic.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

/* Counted atomically: disarmed, the wrappers still see the chunk store's
 * worker threads allocate. */
static _Atomic long count, failed;
static long target;  /* 0: disarmed */
static int from_on;

void failalloc_arm(long n, int from_n_on)
{
    atomic_store(&count, 0);
    atomic_store(&failed, 0);
    target = n;
    from_on = from_n_on;
}

long failalloc_count(void)
{
    return atomic_load(&count);
}

long failalloc_failed(void)
{
    return atomic_load(&failed);
}

/* True when this allocation is to fail. */
static int fail_now(void)
{
    long k = atomic_fetch_add(&count, 1) + 1;
    if (target <= 0 || (from_on ? k < target : k != target)) return 0;
    atomic_fetch_add(&failed, 1);
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}
