/* reports/csv.h - the CSV files of a run directory (timeseries.csv,
 * latency.csv, events.csv): a header line, then rows with as many fields.
 *
 * Fields may be quoted with "..." (a doubled "" inside is one quote), so an
 * event detail may hold commas. Line ends may be \n or \r\n. Empty lines are
 * skipped.
 */
#ifndef REPORTS_CSV_H
#define REPORTS_CSV_H

#include <stddef.h>

typedef struct reports_csv {
    size_t ncols;   /* fields per line, from the header */
    size_t nrows;   /* data rows (the header is not a row) */
    char **header;  /* ncols names, owned */
    char **cells;   /* nrows x ncols, row-major, owned */
} reports_csv;

/* Reads path into c (caller-owned struct, freed with reports_csv_free even on
 * error). Errors: SIM_ENOENT (cannot read; err says so), SIM_EPARSE (no
 * header, or a row with the wrong number of fields, or an unterminated quote:
 * err says "FILE:LINE: expected N fields, found M"), SIM_ENOMEM. */
int reports_csv_load(const char *path, reports_csv *c, char *err, size_t errlen);
/* The same from memory; name is used in messages. */
int reports_csv_parse(const char *name, const char *text, reports_csv *c, char *err, size_t errlen);
void reports_csv_free(reports_csv *c);

/* Index of the column named `name`, or -1. */
int reports_csv_col(const reports_csv *c, const char *name);
/* Cell text (never NULL for valid indices). */
const char *reports_csv_cell(const reports_csv *c, size_t row, size_t col);
/* Cell as a number; NaN when it is not one (empty, text). */
double reports_csv_num(const reports_csv *c, size_t row, size_t col);

/* Appends s to f as one CSV field, quoted when it holds a comma, quote or
 * line break. */
struct rbuf;
void reports_csv_field(struct rbuf *b, const char *s);

#endif
