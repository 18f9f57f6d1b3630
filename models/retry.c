/* models/retry.c - backoff schedules, jitter, retry budget, hedging delay. */
#include "models/retry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/errors.h"

const char *const retry_jitter_names[] = { "none", "full", "equal", NULL };

const conf_field retry_fields[] = {
    { "attempts", CONF_INT, offsetof(retry_conf, attempts), "3",
      "attempts in total, the first included (1: no retries)", 1, 100, NULL, NULL },
    { "base", CONF_DURATION, offsetof(retry_conf, base), "\"100ms\"",
      "wait before the first retry, before jitter", 0, 0, NULL, NULL },
    { "cap", CONF_DURATION, offsetof(retry_conf, cap), "\"10s\"",
      "longest wait between attempts", 0, 0, NULL, NULL },
    { "multiplier", CONF_DOUBLE, offsetof(retry_conf, multiplier), "2",
      "growth of the wait per retry", 1, 100, NULL, NULL },
    { "jitter", CONF_ENUM, offsetof(retry_conf, jitter), "\"full\"",
      "none: exact waits; full: uniform in [0, wait); equal: wait/2 + uniform in [0, wait/2)",
      0, 0, retry_jitter_names, NULL },
    { "budget", CONF_BOOL, offsetof(retry_conf, budget), "false",
      "limit retries to a fraction of recent requests (a retry budget)", 0, 0, NULL, NULL },
    { "budget_ratio", CONF_PERCENT, offsetof(retry_conf, budget_ratio), "\"20%\"",
      "retries allowed per first attempt over the budget window", 0, 0, NULL, NULL },
    { "budget_min_rate", CONF_RATE, offsetof(retry_conf, budget_min_rate), "\"10/s\"",
      "retries per second allowed whatever the traffic", 0, 0, NULL, NULL },
    { "budget_window", CONF_DURATION, offsetof(retry_conf, budget_window), "\"10s\"",
      "sliding window over which the budget counts requests and retries", 0, 0, NULL, NULL },
    { "hedge", CONF_STRING, offsetof(retry_conf, hedge), "\"off\"",
      "send a second copy after this delay: \"off\", a quantile of observed latency (\"p95\") or a duration",
      0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* "p95" -> 0.95, "p99.9" -> 0.999; -1 when not of that form. */
static double parse_quantile(const char *s)
{
    if (s[0] != 'p' || !s[1]) return -1;
    char *end;
    double v = strtod(s + 1, &end);
    if (*end || !(v > 0 && v < 100) || s[1] == '-' || s[1] == '+' || s[1] == ' ') return -1;
    return v / 100.0;
}

int retry_conf_finish(retry_conf *rc, char *why, size_t len)
{
    char msg[160];
    msg[0] = 0;
    rc->hedge_after = 0;
    rc->hedge_q = 0;
    if (rc->attempts < 1 || rc->attempts > 100) snprintf(msg, sizeof msg, "attempts must be within 1..100");
    else if (rc->base < 0) snprintf(msg, sizeof msg, "base must not be negative");
    else if (rc->cap < rc->base) snprintf(msg, sizeof msg, "cap must be at least base");
    else if (!(rc->multiplier >= 1 && rc->multiplier <= 100)) snprintf(msg, sizeof msg, "multiplier must be within 1..100");
    else if (rc->jitter < RETRY_JITTER_NONE || rc->jitter > RETRY_JITTER_EQUAL) snprintf(msg, sizeof msg, "unknown jitter");
    else if (rc->budget && !(rc->budget_ratio >= 0 && rc->budget_min_rate >= 0))
        snprintf(msg, sizeof msg, "budget_ratio and budget_min_rate must not be negative");
    else if (rc->budget && rc->budget_window <= 0) snprintf(msg, sizeof msg, "budget_window must be positive");
    else if (rc->hedge && strcmp(rc->hedge, "off") != 0) {
        double q = parse_quantile(rc->hedge);
        sim_time_t d;
        if (q > 0) rc->hedge_q = q;
        else if (conf_parse_duration(rc->hedge, &d) == 0 && d > 0) rc->hedge_after = d;
        else snprintf(msg, sizeof msg, "hedge: expected \"off\", a quantile like \"p95\" or a duration like \"20ms\", found \"%.40s\"", rc->hedge);
    }
    if (!msg[0]) return 0;
    if (why && len) snprintf(why, len, "%s", msg);
    return SIM_EINVAL;
}

sim_time_t retry_backoff_max(const retry_conf *rc, unsigned n)
{
    if (n < 1) return 0;
    /* In doubles: base * mult^(n-1) overflows int64 quickly; the cap bounds it. */
    double d = (double)rc->base * pow(rc->multiplier, (double)(n - 1));
    if (!(d < (double)rc->cap)) return rc->cap;
    return sim_time_from_ns(d);
}

sim_time_t retry_backoff(const retry_conf *rc, unsigned n, gsl_rng *r)
{
    sim_time_t d = retry_backoff_max(rc, n);
    if (d <= 0) return 0;
    switch (rc->jitter) {
    case RETRY_JITTER_FULL:
        return (sim_time_t)gsl_ran_flat(r, 0.0, (double)d);
    case RETRY_JITTER_EQUAL:
        return d / 2 + (sim_time_t)gsl_ran_flat(r, 0.0, (double)(d - d / 2));
    default:
        return d;
    }
}

void retry_budget_init(retry_budget *b, const retry_conf *rc)
{
    *b = (retry_budget){ 0 };
    slidewin_init(&b->win, rc->budget_window > 0 ? rc->budget_window : 10 * SIM_S);
}

void retry_budget_deposit(retry_budget *b, sim_time_t now)
{
    slidewin_add(&b->win, now, 0, 1);
}

static double budget_allowance(retry_budget *b, const retry_conf *rc, sim_time_t now)
{
    double reqs = (double)slidewin_count(&b->win, now, 0);
    return rc->budget_ratio * reqs + rc->budget_min_rate * sim_time_to_s(rc->budget_window);
}

uint64_t retry_budget_left(retry_budget *b, const retry_conf *rc, sim_time_t now)
{
    if (!rc->budget) return UINT64_MAX;
    double left = floor(budget_allowance(b, rc, now)) - (double)slidewin_count(&b->win, now, 1);
    return left > 0 ? (uint64_t)left : 0;
}

bool retry_budget_withdraw(retry_budget *b, const retry_conf *rc, sim_time_t now)
{
    if (rc->budget) {
        double used = (double)slidewin_count(&b->win, now, 1);
        if (!(used + 1 <= budget_allowance(b, rc, now))) {
            b->denied++;
            return false;
        }
    }
    slidewin_add(&b->win, now, 1, 1);
    b->granted++;
    return true;
}

retry_verdict retry_decide(const retry_conf *rc, retry_budget *b, unsigned done, sim_time_t now,
                           gsl_rng *r, sim_time_t *delay)
{
    *delay = 0;
    if ((int64_t)done >= rc->attempts) return RETRY_GIVE_UP_ATTEMPTS;
    if (!retry_budget_withdraw(b, rc, now)) return RETRY_GIVE_UP_BUDGET;
    *delay = retry_backoff(rc, done, r);
    return RETRY_AGAIN;
}

sim_time_t retry_hedge_delay(const retry_conf *rc, const sim_hist *observed)
{
    if (rc->hedge_after > 0) return rc->hedge_after;
    if (rc->hedge_q > 0 && observed && observed->count >= RETRY_HEDGE_MIN_SAMPLES)
        return sim_time_from_ns(sim_hist_quantile(observed, rc->hedge_q));
    return SIM_TIME_MAX;
}
