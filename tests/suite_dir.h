/* tests/suite_dir.h - one temporary directory per CUnit suite, for suites
 * whose tests write files (traces, scenarios): made before the suite's
 * first test, removed with everything in it after its last.
 *
 *     CU_pSuite s = CU_add_suite("name", suite_dir_setup, suite_dir_teardown);
 *     ... snprintf(path, sizeof path, "%s/x.csv", suite_dir); ...
 *
 * Linked into the test binary as a helper (any file in tests/ whose name
 * does not start with test_). Suites run one after the other, so one
 * variable serves them all. */
#ifndef TESTS_SUITE_DIR_H
#define TESTS_SUITE_DIR_H

/* The running suite's directory (malloc'd by suite_dir_setup), or NULL. */
extern char *suite_dir;

/* A CUnit suite initialiser: makes suite_dir with tests_mkdtemp(). Returns
 * 0, or 1 (CUnit then skips the suite) when it cannot. */
int suite_dir_setup(void);

/* A CUnit suite cleanup: removes suite_dir and what is in it. Returns 0. */
int suite_dir_teardown(void);

#endif
