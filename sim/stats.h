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

/* Starts a measurement period at `now` with the quantity equal to `value`.
 * Nothing to free. */
void sim_twavg_init(sim_twavg *a, sim_time_t now, double value);
/* The quantity becomes `value` at time `now`: the previous value is credited
 * for [last, now]. Simulated time never goes back; a `now` earlier than the
 * last change is treated as equal to it (no negative area). */
void sim_twavg_set(sim_twavg *a, sim_time_t now, double value);
static inline void sim_twavg_add(sim_twavg *a, sim_time_t now, double delta)
{
    sim_twavg_set(a, now, a->value + delta);
}
/* Starts a new measurement period at `now` (end of warm-up): the area and
 * max are forgotten, the current value is kept (the queue does not empty
 * because we stopped looking). */
void sim_twavg_reset(sim_twavg *a, sim_time_t now);
/* Time average over [start, now], counting the current value up to now; the
 * current value if no time has passed. Does not modify a. */
double sim_twavg_mean(const sim_twavg *a, sim_time_t now);
/* The area (integral of value dt, value x ns) over [start, now]; a `now`
 * before the last change gives the area up to that change. */
double sim_twavg_area(const sim_twavg *a, sim_time_t now);

typedef struct sim_series {
    sim_time_t width;   /* window width, > 0 */
    size_t ncols;       /* counters per window */
    size_t nwin;        /* windows in use (0..last touched) */
    size_t cap;         /* windows allocated */
    double *v;          /* nwin x ncols, row-major, owned */
} sim_series;

/* 0, SIM_EINVAL (width <= 0 or ncols == 0) or SIM_ENOMEM. */
int sim_series_init(sim_series *s, sim_time_t width, size_t ncols);
/* Releases the windows; safe to call twice. */
void sim_series_free(sim_series *s);
/* Adds x to counter col of the window holding time t (t >= 0). Returns 0,
 * SIM_EINVAL (t < 0 or col >= ncols) or SIM_ENOMEM when the array could not
 * grow (the value is then dropped and s is unchanged). Amortised O(1): the
 * array doubles, it does not grow per call. */
int sim_series_add(sim_series *s, sim_time_t t, size_t col, double x);
/* Value of counter col in window w (0 if never touched or out of range). */
double sim_series_get(const sim_series *s, size_t w, size_t col);
/* Makes sure windows up to the one holding time t exist (zero-filled), so a
 * time series runs to the end of the simulation even when its last windows
 * saw nothing. 0, SIM_EINVAL (t < 0) or SIM_ENOMEM. */
int sim_series_extend(sim_series *s, sim_time_t t);
/* Window index holding time t (t >= 0), and the start time of window w. */
static inline size_t sim_series_window_of(const sim_series *s, sim_time_t t)
{
    return (size_t)(t / s->width);
}
static inline sim_time_t sim_series_window_start(const sim_series *s, size_t w)
{
    return (sim_time_t)w * s->width;
}

#endif
