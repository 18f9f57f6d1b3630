/* models/breaker.h - a circuit breaker guarding calls to one downstream.
 *
 * CLOSED: calls go through and their results are counted. The breaker trips
 * OPEN when either `consecutive` calls in a row failed, or, over the sliding
 * `window`, at least `min_calls` results were seen and the failed fraction
 * reached `ratio` (either rule can be switched off with 0). OPEN: calls are
 * refused at once (the caller fails fast instead of piling onto a sick
 * downstream) for `open_for`. Then the first call asks again and the breaker
 * goes HALF_OPEN: up to `half_open` trial calls are let through; if all of
 * them succeed it CLOSES (with a fresh window), and the first failure sends it
 * back OPEN for another `open_for`. Hystrix, Resilience4j and Polly all follow
 * this outline; the thresholds' names here are ours.
 *
 * Results that come back while OPEN (calls let through before it tripped)
 * are ignored, as Resilience4j does. In HALF_OPEN every result counts,
 * including a late one from before; the trial calls are the ones admitted.
 *
 * Pure state machine: no events, no allocation. The caller asks
 * breaker_allow() before each call and reports each result with
 * breaker_record(); both return the state change, stamped in b->since, so a
 * model can write "breaker opened" to events.csv.
 */
#ifndef MODELS_BREAKER_H
#define MODELS_BREAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/conf.h"
#include "models/slidewin.h"
#include "sim/time.h"

/* Parameters, read with breaker_fields, e.g.
 *     "breaker": {"consecutive": 5, "ratio": "50%", "min_calls": 20, "window": "10s",
 *                 "open_for": "5s", "half_open": 3} */
typedef struct breaker_conf {
    int64_t consecutive;   /* failures in a row that trip it; 0: rule off */
    double ratio;          /* failed fraction over the window that trips it; 0: rule off */
    int64_t min_calls;     /* results in the window before the ratio rule applies */
    sim_time_t window;     /* sliding window of the ratio rule */
    sim_time_t open_for;   /* how long it stays open before trying again, > 0 */
    int64_t half_open;     /* trial calls let through when half-open, >= 1 */
} breaker_conf;

/* The conf_field table of breaker_conf (defaults: 5, 50%, 20, 10s, 5s, 1). */
extern const conf_field breaker_fields[];

typedef enum breaker_state {
    BREAKER_CLOSED = 0,
    BREAKER_OPEN,
    BREAKER_HALF_OPEN,
} breaker_state;

/* Names for reports: "closed", "open", "half_open". */
extern const char *const breaker_state_names[3];

typedef struct breaker {
    breaker_state state;
    sim_time_t since;          /* when the current state began */
    uint32_t consecutive;      /* failures in a row (closed) */
    slidewin win;              /* [0] successes, [1] failures (closed) */
    uint32_t trials;           /* calls admitted in this half-open spell */
    uint32_t trial_oks;        /* of which succeeded */
    /* Counters for reports. */
    uint64_t allowed, refused; /* calls asked about */
    uint64_t opens;            /* times it tripped (from closed or half-open) */
    sim_time_t tripped_at;     /* start of the current not-closed spell */
    sim_time_t open_total;     /* time spent open or half-open in finished spells */
} breaker;

/* Checks a configuration: 0, or SIM_EINVAL with the reason in why. */
int breaker_conf_check(const breaker_conf *bc, char *why, size_t len);

/* Starts CLOSED at `now`. */
void breaker_init(breaker *b, const breaker_conf *bc, sim_time_t now);

/* May a call go out at `now`? Counts the answer. An OPEN breaker whose
 * open_for has passed turns HALF_OPEN here (*changed set true, when
 * changed is not NULL) and admits the call as a trial. */
bool breaker_allow(breaker *b, const breaker_conf *bc, sim_time_t now, bool *changed);

/* Records the result of a call at `now`. Returns true when the state
 * changed (CLOSED -> OPEN, HALF_OPEN -> OPEN or HALF_OPEN -> CLOSED). */
bool breaker_record(breaker *b, const breaker_conf *bc, sim_time_t now, bool ok);

/* Time spent not CLOSED up to `now`. */
sim_time_t breaker_open_time(const breaker *b, sim_time_t now);

#endif
