/* tests/e2e.h - what the end-to-end tests (tests/test_e2e_*.c) share:
 * running bin/cdnsim, and one `cdnsim run` kept in memory (its summary.json,
 * events.csv and timeseries.csv) for the checks.
 *
 * Linked into the test binary as a helper (the Makefile's TEST_HELPERS: any
 * file in tests/ whose name does not start with test_). */
#ifndef TESTS_E2E_H
#define TESTS_E2E_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Runs "cdnsim ARGS" (the binary under test) and returns its exit code;
 * out/err as tests_run() (caller frees, either may be NULL). */
int e2e_cdnsim(const char *args, char **out, char **err);

/* Reads DIR/NAME whole into a malloc'd string, or NULL. */
char *e2e_read_in(const char *dir, const char *name);

/* Parses DIR/NAME as JSON; NULL if it is missing or not JSON. The caller
 * frees it with cJSON_Delete. */
cJSON *e2e_read_json_in(const char *dir, const char *name);

/* One run: the summary and the time series, kept for the checks. All the
 * members are owned by the struct and released by e2e_run_free(). */
typedef struct e2e_run {
    char *dir;      /* temporary directory; the outputs are in DIR/o */
    cJSON *summary; /* summary.json */
    char *events;   /* events.csv, as text */
    /* timeseries.csv: ncols names, then nrows rows of ncols values (an
     * empty cell is NaN) */
    char **cols;
    size_t ncols;
    double *v;
    size_t nrows;
} e2e_run;

/* Runs `cdnsim run SCENARIO -q --no-report --out DIR/o EXTRA` (EXTRA may be
 * NULL) into a fresh temporary directory and reads its outputs into *r.
 * Returns 0, or -1 after recording a test failure that says why (non-zero
 * exit, missing or unreadable output). Either way *r must be released with
 * e2e_run_free(). */
int e2e_run_scenario(e2e_run *r, const char *scenario, const char *extra);

/* Removes the run's directory and frees what *r holds; *r is zeroed. */
void e2e_run_free(e2e_run *r);

/* Index of timeseries.csv column `name`; -1 (and a test failure) if absent. */
long e2e_col(const e2e_run *r, const char *name);

/* Value at row `row` of column `c` (NaN for c < 0). */
double e2e_at(const e2e_run *r, size_t row, long c);

/* Sum of column `name` over the windows starting in [t0, t1) (NaN cells skipped). */
double e2e_sum_between(const e2e_run *r, const char *name, double t0, double t1);

/* Number `key` of JSON object o (a raw number such as the seed included), or NaN. */
double e2e_num(const cJSON *o, const char *key);

#endif
