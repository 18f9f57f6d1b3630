/* models/retry.h - client retry policy: attempts, exponential backoff with
 * jitter, a retry budget, and the hedging delay.
 *
 * Backoff. Before retry n (n = 1 for the first retry) the client waits
 *     d_n = min(cap, base * multiplier^(n-1))
 * with jitter (as in the AWS Architecture Blog's "Exponential Backoff And
 * Jitter"): none waits d_n; full waits a uniform draw in [0, d_n); equal
 * waits d_n/2 plus a uniform draw in [0, d_n/2). Jitter spreads retries of
 * clients that failed together, so they do not come back together.
 *
 * Budget. Retries alone multiply load when a service is struggling: with 3
 * attempts, a backend that fails everything sees 3x the offered load (a retry
 * storm). A budget caps retries at a fraction of recent traffic, as Finagle's
 * RetryBudget does: over the sliding `budget_window`, a retry is allowed while
 *     retries < budget_ratio * requests + budget_min_rate * window_seconds
 * where `requests` counts first attempts only. The minimum rate lets a quiet
 * client still retry now and then. With ratio 20% the load a failing backend
 * sees is at most about 1.2x offered (plus the minimum).
 *
 * Hedging. A hedged request sends a second copy when the first has not
 * answered after a delay: fixed ("20ms") or a quantile of the latencies the
 * client has observed ("p95"), so that only the slowest ~5% are hedged
 * (Dean and Barroso, "The Tail at Scale"). Hedges draw from the retry budget
 * when one is configured, so they too stay bounded.
 *
 * Pure policy functions: the runtime owns the timers. Randomness comes only
 * from the gsl_rng stream the caller passes (its own stream), and only when
 * a jittered delay is actually drawn.
 */
#ifndef MODELS_RETRY_H
#define MODELS_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "app/conf.h"
#include "models/slidewin.h"
#include "sim/hist.h"
#include "sim/time.h"

typedef enum retry_jitter {
    RETRY_JITTER_NONE = 0,
    RETRY_JITTER_FULL,
    RETRY_JITTER_EQUAL,
} retry_jitter;

/* "none", "full", "equal", NULL */
extern const char *const retry_jitter_names[];

/* Parameters, read with retry_fields, e.g.
 *     "retry": {"attempts": 3, "base": "50ms", "cap": "2s", "multiplier": 2,
 *               "jitter": "full", "budget": true, "budget_ratio": "20%",
 *               "budget_min_rate": "10/s", "budget_window": "10s", "hedge": "p95"}
 * then retry_conf_finish() checks them and interprets `hedge`. */
typedef struct retry_conf {
    int64_t attempts;          /* total attempts including the first, >= 1 */
    sim_time_t base;           /* wait before the first retry (before jitter) */
    sim_time_t cap;            /* longest wait */
    double multiplier;         /* growth per retry, >= 1 */
    int jitter;                /* retry_jitter */
    bool budget;               /* limit retries with the budget below */
    double budget_ratio;       /* retries allowed per first attempt, in the window */
    double budget_min_rate;    /* retries per second allowed regardless */
    sim_time_t budget_window;  /* sliding window of the budget */
    char *hedge;               /* "off", "pNN" (a quantile), or a duration; owned */
    /* Set by retry_conf_finish from `hedge`: */
    sim_time_t hedge_after;    /* fixed hedging delay, or 0 */
    double hedge_q;            /* quantile of observed latency, or 0 */
} retry_conf;

/* The conf_field table of retry_conf. Defaults: 3 attempts, base 100ms,
 * cap 10s, multiplier 2, full jitter, no budget (ratio 20%, min 10/s,
 * window 10s when turned on: Finagle's defaults), hedge off. */
extern const conf_field retry_fields[];

/* Hedging on a quantile waits for this many observed latencies first. */
#define RETRY_HEDGE_MIN_SAMPLES 100

/* Checks a configuration and interprets `hedge` (NULL is "off"). Returns 0,
 * or SIM_EINVAL with the reason in why (may be NULL). */
int retry_conf_finish(retry_conf *rc, char *why, size_t len);

/* The un-jittered wait before retry n (n >= 1): min(cap, base * mult^(n-1)).
 * n < 1 gives 0. */
sim_time_t retry_backoff_max(const retry_conf *rc, unsigned n);

/* The wait before retry n with the configured jitter, drawing from r
 * (nothing is drawn for jitter none). */
sim_time_t retry_backoff(const retry_conf *rc, unsigned n, gsl_rng *r);

/* The retry budget of one client (or one client -> downstream pair). */
typedef struct retry_budget {
    slidewin win;              /* [0] first attempts, [1] retries */
    uint64_t granted, denied;  /* retries asked for */
} retry_budget;

void retry_budget_init(retry_budget *b, const retry_conf *rc);

/* A first attempt went out at `now` (it earns budget). */
void retry_budget_deposit(retry_budget *b, sim_time_t now);

/* May a retry (or hedge) go out at `now`? If so it is counted against the
 * budget. Always true when rc->budget is off. */
bool retry_budget_withdraw(retry_budget *b, const retry_conf *rc, sim_time_t now);

/* Retries the budget still allows at `now` (rounded down; 0 when spent). */
uint64_t retry_budget_left(retry_budget *b, const retry_conf *rc, sim_time_t now);

typedef enum retry_verdict {
    RETRY_AGAIN = 0,           /* retry after *delay */
    RETRY_GIVE_UP_ATTEMPTS,    /* attempts used up */
    RETRY_GIVE_UP_BUDGET,      /* the budget said no */
} retry_verdict;

/* After attempt number `done` (1 = the first) failed at `now`: retry or
 * give up. On RETRY_AGAIN the retry is withdrawn from the budget and *delay
 * is retry_backoff(rc, done, r). */
retry_verdict retry_decide(const retry_conf *rc, retry_budget *b, unsigned done, sim_time_t now,
                           gsl_rng *r, sim_time_t *delay);

/* How long to wait before hedging a request: the fixed delay, or the
 * configured quantile of `observed` (latencies in ns; may be NULL) once it
 * holds RETRY_HEDGE_MIN_SAMPLES values. SIM_TIME_MAX means "do not hedge"
 * (hedging off, or too few samples yet). */
sim_time_t retry_hedge_delay(const retry_conf *rc, const sim_hist *observed);

#endif
