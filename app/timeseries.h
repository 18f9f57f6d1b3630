/* app/timeseries.h - the per-window table written to timeseries.csv.
 *
 * Columns are named once; each window appends a row of doubles. NaN means
 * "no data in this window" and is written as an empty cell. Rows are kept in
 * one growing array (amortised doubling, one row per window, not per event).
 */
#ifndef APP_TIMESERIES_H
#define APP_TIMESERIES_H

#include <stddef.h>
#include <stdio.h>

typedef struct ts_table {
    char **names;       /* ncols owned names */
    size_t ncols;
    double *v;          /* nrows x ncols */
    size_t nrows, cap;
} ts_table;

void ts_init(ts_table *t);
void ts_free(ts_table *t);
/* Adds a column (before any row). 0 or SIM_ENOMEM. */
int ts_add_col(ts_table *t, const char *name);
/* Appends a row of ncols values (copied). 0 or SIM_ENOMEM. */
int ts_add_row(ts_table *t, const double *row);
/* Writes "name,name,...\n" then one line per row; integers-valued columns
 * print without decimals, others with %.6g (fixed, deterministic). Returns 0
 * or SIM_EIO. */
int ts_write_csv(const ts_table *t, FILE *f);

#endif
