/* models/slidewin.h - two counters over a sliding time window, in buckets.
 *
 * Circuit breakers (failures vs calls over the last 10 s) and retry budgets
 * (retries vs requests over the last 10 s) both need "how many of each in the
 * recent past" without remembering every event. The window is cut into
 * SLIDEWIN_BUCKETS buckets of equal width; counts land in the bucket of
 * their time, and a bucket is forgotten as a whole once it is older than the
 * window. So the counts cover between (B-1)/B and all of the window (the
 * current bucket is partly filled): the usual trade-off of a bucketed
 * window, as in Resilience4j's time-based window or Finagle's budget.
 *
 * Fixed size, no allocation. Time must not go backwards (it never does in
 * the simulator); an earlier time is treated as the newest bucket.
 */
#ifndef MODELS_SLIDEWIN_H
#define MODELS_SLIDEWIN_H

#include <stdint.h>

#include "sim/time.h"

#define SLIDEWIN_BUCKETS 10

typedef struct slidewin {
    sim_time_t width;                    /* one bucket, ns (> 0) */
    int64_t head;                        /* absolute number of the newest bucket */
    uint64_t c[SLIDEWIN_BUCKETS][2];     /* counts per bucket: [0] and [1] */
    uint64_t sum[2];                     /* totals over the live buckets */
} slidewin;

/* Prepares an empty window spanning `window` ns (rounded up to a multiple
 * of SLIDEWIN_BUCKETS ns; a window below SLIDEWIN_BUCKETS ns becomes that). */
void slidewin_init(slidewin *w, sim_time_t window);

/* Forgets buckets older than the window as seen at `now`. */
void slidewin_advance(slidewin *w, sim_time_t now);

/* Adds n to counter `which` (0 or 1) at time now (advancing first). */
void slidewin_add(slidewin *w, sim_time_t now, int which, uint64_t n);

/* Counter `which` over the window as seen at `now` (advancing first). */
uint64_t slidewin_count(slidewin *w, sim_time_t now, int which);

/* Empties every bucket (e.g. a breaker closing again). */
void slidewin_clear(slidewin *w);

#endif
