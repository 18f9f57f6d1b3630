/* sim/stats.h - time-weighted averages and windowed counters.
 *
 * sim_twavg: the time average of a piecewise-constant quantity (queue length,
 * busy servers): call sim_twavg_set() whenever it changes; the area under the
 * curve is accumulated exactly in integer-ns x value. sim_twavg_reset() starts
 * a new measurement period (used at the end of warm-up) keeping the current
 * value.
 *
 * sim_series: counters per fixed-width window of simulated time, for time
 * series (requests per second, failures, bytes). Windows are kept in a growing
 * array (amortised doubling, not per event).
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

typedef struct sim_twavg {
    sim_time_t start;   /* start of the measurement period */
    sim_time_t last;    /* time of the last change */
    double value;       /* current value */
    double area;        /* integral of value dt over [start, last], in value x ns */
    double max;         /* largest value seen in the period */
} sim_twavg;

void sim_twavg_init(sim_twavg *a, sim_time_t now, double value);
void sim_twavg_set(sim_twavg *a, sim_time_t now, double value);
static inline void sim_twavg_add(sim_twavg *a, sim_time_t now, double delta)
{
    sim_twavg_set(a, now, a->value + delta);
}
void sim_twavg_reset(sim_twavg *a, sim_time_t now);
/* Time average over [start, now]; the current value if no time has passed. */
double sim_twavg_mean(const sim_twavg *a, sim_time_t now);

typedef struct sim_series {
    sim_time_t width;   /* window width, > 0 */
    size_t ncols;       /* counters per window */
    size_t nwin;        /* windows in use (0..last touched) */
    size_t cap;         /* windows allocated */
    double *v;          /* nwin x ncols, row-major, owned */
} sim_series;

/* 0, SIM_EINVAL (width <= 0 or ncols == 0) or SIM_ENOMEM. */
int sim_series_init(sim_series *s, sim_time_t width, size_t ncols);
void sim_series_free(sim_series *s);
/* Adds x to counter col of the window holding time t (t >= 0). Returns 0 or
 * SIM_ENOMEM when the array could not grow (the value is then dropped). */
int sim_series_add(sim_series *s, sim_time_t t, size_t col, double x);
/* Value of counter col in window w (0 if never touched). */
double sim_series_get(const sim_series *s, size_t w, size_t col);

#endif
