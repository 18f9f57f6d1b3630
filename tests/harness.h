/* tests/harness.h - what every CUnit test file shares.
 *
 * Each tests/test_NAME.c defines `void test_NAME_register(void)`, which adds
 * its suite(s) with tests_add_suite(); the Makefile generates the call list.
 *
 * The CHECK_* macros print both sides on failure, e.g.
 *     tests/test_evset.c:42: CHECK_EQ_I64(got, want): 17 != 18
 * and record a CUnit failure without stopping the test.
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} tests_case;

/* Adds a suite named `name` with the NULL-terminated list of cases. */
void tests_add_suite(const char *name, const tests_case *cases);

/* Records a failure with a formatted message at file:line. */
void tests_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK_TRUE(c) do { if (!(c)) tests_fail(__FILE__, __LINE__, "CHECK_TRUE(%s)", #c); else CU_PASS(#c); } while (0)

#define CHECK_EQ_I64(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
    if (_a != _b) tests_fail(__FILE__, __LINE__, "CHECK_EQ_I64(%s, %s): %lld != %lld", #a, #b, _a, _b); \
    else CU_PASS(#a " == " #b); } while (0)

#define CHECK_EQ_U64(a, b) do { unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
    if (_a != _b) tests_fail(__FILE__, __LINE__, "CHECK_EQ_U64(%s, %s): %llu != %llu", #a, #b, _a, _b); \
    else CU_PASS(#a " == " #b); } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol) do { double _a = (double)(a), _b = (double)(b), _t = (double)(tol); \
    if (!(fabs(_a - _b) <= _t)) tests_fail(__FILE__, __LINE__, "CHECK_NEAR(%s, %s, %s): %.9g vs %.9g, diff %.3g > %.3g", \
        #a, #b, #tol, _a, _b, fabs(_a - _b), _t); \
    else CU_PASS(#a " ~ " #b); } while (0)

#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); \
    if (!_a || !_b || strcmp(_a, _b) != 0) tests_fail(__FILE__, __LINE__, "CHECK_STR(%s, %s): \"%s\" != \"%s\"", \
        #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
    else CU_PASS(#a " == " #b); } while (0)

/* haystack contains needle */
#define CHECK_CONTAINS(h, n) do { const char *_h = (h), *_n = (n); \
    if (!_h || !_n || !strstr(_h, _n)) tests_fail(__FILE__, __LINE__, "CHECK_CONTAINS(%s, %s): \"%s\" not found in \"%.400s\"", \
        #h, #n, _n ? _n : "(null)", _h ? _h : "(null)"); \
    else CU_PASS(#h " contains " #n); } while (0)

/* ---- running the binary, for end-to-end tests ---- */

/* Path of bin/cdnsim under test: $CDNSIM_BIN, else "bin/cdnsim". */
const char *tests_cdnsim_bin(void);

/* Runs `sh -c cmd`, capturing stdout and stderr (each up to 1 MiB; the
 * caller frees both). Returns the exit status (0-255), or -1 if it could not
 * run or was killed by a signal. Either out pointer may be NULL. */
int tests_run(const char *cmd, char **out, char **err);

/* A fresh temporary directory under $TMPDIR (or /tmp), removed by
 * tests_rmtree(). Returns a malloc'd path, or NULL. */
char *tests_mkdtemp(void);
void tests_rmtree(const char *path);

/* Writes `text` to path. Returns 0 or -1. */
int tests_write_file(const char *path, const char *text);

/* Reads a whole file into a malloc'd, NUL-terminated buffer, or NULL. */
char *tests_read_file(const char *path, size_t *len);

/* Path of ../shared (the read-only shared files), relative to the project
 * root: $CDNSIM_SHARED, else "../shared". */
const char *tests_shared_dir(void);

/* All the messages of a conf_errors list (app/conf.h), each followed by a
 * newline, in a static buffer of 16 KiB that the next call overwrites
 * (longer lists are cut). */
struct conf_errors;
const char *tests_errors_joined(const struct conf_errors *e);

/* True when running the sanitizer build (CDNSIM_ASAN set): slow statistical
 * tests may shrink their sample sizes (and widen tolerances accordingly). */
int tests_under_asan(void);

#endif
