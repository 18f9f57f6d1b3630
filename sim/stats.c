/* sim/stats.c - time-weighted averages and windowed counters. */
#include "sim/stats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"

void sim_twavg_init(sim_twavg *a, sim_time_t now, double value)
{
    a->start = a->last = now;
    a->value = value;
    a->area = 0.0;
    a->max = value;
}

void sim_twavg_set(sim_twavg *a, sim_time_t now, double value)
{
    if (now > a->last) {
        /* The duration is an exact integer count of ns; only the product
         * with a (possibly fractional) value is rounded. */
        a->area += a->value * (double)(now - a->last);
        a->last = now;
    }
    a->value = value;
    if (value > a->max) a->max = value;
}

void sim_twavg_reset(sim_twavg *a, sim_time_t now)
{
    if (now < a->last) now = a->last;
    sim_twavg_init(a, now, a->value);
}

double sim_twavg_area(const sim_twavg *a, sim_time_t now)
{
    double area = a->area;
    if (now > a->last) area += a->value * (double)(now - a->last);
    return area;
}

double sim_twavg_mean(const sim_twavg *a, sim_time_t now)
{
    if (now < a->last) now = a->last;
    if (now <= a->start) return a->value;
    return sim_twavg_area(a, now) / (double)(now - a->start);
}

int sim_series_init(sim_series *s, sim_time_t width, size_t ncols)
{
    memset(s, 0, sizeof *s);
    if (width <= 0 || ncols == 0) return SIM_EINVAL;
    s->width = width;
    s->ncols = ncols;
    return 0;
}

void sim_series_free(sim_series *s)
{
    free(s->v);
    s->v = NULL;
    s->nwin = s->cap = 0;
}

/* Ensures window w exists. */
static int series_reserve(sim_series *s, size_t w)
{
    if (w < s->nwin) return 0;
    if (w >= s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap <= w) {
            if (cap > SIZE_MAX / 2) return SIM_ENOMEM;
            cap *= 2;
        }
        if (cap > SIZE_MAX / sizeof(double) / s->ncols) return SIM_ENOMEM;
        double *v = realloc(s->v, cap * s->ncols * sizeof(double));
        if (!v) return SIM_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    memset(s->v + s->nwin * s->ncols, 0, (w + 1 - s->nwin) * s->ncols * sizeof(double));
    s->nwin = w + 1;
    return 0;
}

int sim_series_add(sim_series *s, sim_time_t t, size_t col, double x)
{
    if (t < 0 || col >= s->ncols) return SIM_EINVAL;
    size_t w = sim_series_window_of(s, t);
    int rc = series_reserve(s, w);
    if (rc) return rc;
    s->v[w * s->ncols + col] += x;
    return 0;
}

int sim_series_extend(sim_series *s, sim_time_t t)
{
    if (t < 0) return SIM_EINVAL;
    return series_reserve(s, sim_series_window_of(s, t));
}

double sim_series_get(const sim_series *s, size_t w, size_t col)
{
    if (w >= s->nwin || col >= s->ncols) return 0.0;
    return s->v[w * s->ncols + col];
}
