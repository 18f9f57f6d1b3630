/* tests/failalloc.h - making an allocation fail on purpose, to test what
 * cdnsim's code does when memory runs out.
 *
 * The test binary is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc (Makefile), so every call to those three from cdnsim's own
 * objects and the tests goes through tests/failalloc.c. Calls made inside
 * other libraries (libc's strdup, cJSON, GSL) are not counted and never fail:
 * what is tested is how our code handles a NULL it is given.
 *
 * Disarmed (the default) the wrappers only count. Not for use while other
 * threads allocate: arming is global. */
#ifndef TESTS_FAILALLOC_H
#define TESTS_FAILALLOC_H

/* Restarts the count of allocations at 0 and arms a failure: with
 * `from_on` false only allocation number n (1-based) returns NULL; with
 * `from_on` true, n and every one after it. n = 0 disarms. */
void failalloc_arm(long n, int from_on);

/* Allocations (malloc, calloc, realloc) since the last failalloc_arm. */
long failalloc_count(void);

/* How many allocations were made to fail since the last failalloc_arm. */
long failalloc_failed(void);

#endif
