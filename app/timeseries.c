/* app/timeseries.c - per-window table and its CSV form. */
#include "app/timeseries.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

void ts_init(ts_table *t) { memset(t, 0, sizeof *t); }

void ts_free(ts_table *t)
{
    for (size_t i = 0; i < t->ncols; i++) free(t->names[i]);
    free(t->names);
    free(t->v);
    memset(t, 0, sizeof *t);
}

int ts_add_col(ts_table *t, const char *name)
{
    if (t->nrows) return SIM_ESTATE;
    char **nn = realloc(t->names, (t->ncols + 1) * sizeof *nn);
    if (!nn) return SIM_ENOMEM;
    t->names = nn;
    if (!(t->names[t->ncols] = strdup(name))) return SIM_ENOMEM;
    t->ncols++;
    return 0;
}

int ts_add_row(ts_table *t, const double *row)
{
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        double *nv = realloc(t->v, nc * t->ncols * sizeof *nv);
        if (!nv) return SIM_ENOMEM;
        t->v = nv;
        t->cap = nc;
    }
    memcpy(t->v + t->nrows * t->ncols, row, t->ncols * sizeof *row);
    t->nrows++;
    return 0;
}

int ts_write_csv(const ts_table *t, FILE *f)
{
    for (size_t c = 0; c < t->ncols; c++) fprintf(f, "%s%s", c ? "," : "", t->names[c]);
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            double x = t->v[r * t->ncols + c];
            if (c) fputc(',', f);
            if (isnan(x)) continue;
            if (x == floor(x) && fabs(x) < 1e15) fprintf(f, "%.0f", x);
            else fprintf(f, "%.6g", x);
        }
        fputc('\n', f);
    }
    return ferror(f) ? SIM_EIO : 0;
}
