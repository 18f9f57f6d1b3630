/* tests/test_retry.c - backoff schedules per jitter mode, the retry budget,
 * retry decisions and the hedging delay. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "models/retry.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

static retry_conf base_conf(int jitter)
{
    retry_conf rc = { .attempts = 5, .base = 100 * SIM_MS, .cap = 2 * SIM_S, .multiplier = 2,
                      .jitter = jitter, .budget = false, .budget_ratio = 0.2,
                      .budget_min_rate = 10, .budget_window = 10 * SIM_S, .hedge = NULL };
    CHECK_EQ_I64(retry_conf_finish(&rc, NULL, 0), 0);
    return rc;
}

static void test_conf_finish(void)
{
    char why[200];
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    rc.hedge = "p95";
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), 0);
    CHECK_NEAR(rc.hedge_q, 0.95, 1e-12);
    CHECK_EQ_I64(rc.hedge_after, 0);
    rc.hedge = "p99.9";
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), 0);
    CHECK_NEAR(rc.hedge_q, 0.999, 1e-12);
    rc.hedge = "20ms";
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), 0);
    CHECK_EQ_I64(rc.hedge_after, 20 * SIM_MS);
    CHECK_NEAR(rc.hedge_q, 0, 0);
    rc.hedge = "off";
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), 0);
    CHECK_EQ_I64(rc.hedge_after, 0);
    const char *bad_hedges[] = { "p", "p100", "p0", "p-5", "fast", "20", "0s", "p95x" };
    for (size_t i = 0; i < sizeof bad_hedges / sizeof *bad_hedges; i++) {
        rc.hedge = (char *)bad_hedges[i];
        CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), SIM_EINVAL);
        CHECK_CONTAINS(why, "hedge");
    }
    rc = base_conf(RETRY_JITTER_NONE);
    rc.cap = rc.base - 1;
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "cap");
    rc = base_conf(RETRY_JITTER_NONE);
    rc.multiplier = 0.5;
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "multiplier");
    rc = base_conf(RETRY_JITTER_NONE);
    rc.attempts = 0;
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), SIM_EINVAL);
    rc = base_conf(RETRY_JITTER_NONE);
    rc.budget = true;
    rc.budget_window = 0;
    CHECK_EQ_I64(retry_conf_finish(&rc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "budget_window");
}

/* No jitter: 100, 200, 400, 800, 1600, then the 2 s cap. */
static void test_backoff_none(void)
{
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    const sim_time_t want[] = { 0, 100, 200, 400, 800, 1600, 2000, 2000 };
    for (unsigned n = 0; n < 8; n++) {
        CHECK_EQ_I64(retry_backoff_max(&rc, n), want[n] * SIM_MS);
        CHECK_EQ_I64(retry_backoff(&rc, n, NULL), want[n] * SIM_MS); /* draws nothing */
    }
    /* no overflow far out */
    CHECK_EQ_I64(retry_backoff_max(&rc, 4000000000u), 2 * SIM_S);
    rc.multiplier = 1;
    CHECK_EQ_I64(retry_backoff_max(&rc, 50), 100 * SIM_MS);
    rc.multiplier = 3;
    CHECK_EQ_I64(retry_backoff_max(&rc, 3), 900 * SIM_MS);
}

/* Full jitter: uniform on [0, d). Every draw in range; the sample mean of
 * N = 20000 draws is d/2 within 4 standard errors, d / sqrt(12 N) each
 * (false alarm < 1e-4 with this fixed seed anyway). Equal jitter: uniform
 * on [d/2, d): mean 3d/4, sd (d/2)/sqrt(12). */
static void check_jitter(int jitter, double lo_frac, double mean_frac, double width_frac)
{
    retry_conf rc = base_conf(jitter);
    gsl_rng *r = sim_rng_stream(42, "test/retry");
    const int N = 20000;
    for (unsigned n = 1; n <= 6; n++) {
        double d = (double)retry_backoff_max(&rc, n);
        double sum = 0;
        int out = 0;
        for (int i = 0; i < N; i++) {
            sim_time_t x = retry_backoff(&rc, n, r);
            if ((double)x < lo_frac * d - 1 || (double)x >= d) out++;
            sum += (double)x;
        }
        CHECK_EQ_I64(out, 0);
        double se = width_frac * d / sqrt(12.0 * N);
        CHECK_NEAR(sum / N, mean_frac * d, 4 * se);
    }
    gsl_rng_free(r);
}

static void test_backoff_full(void) { check_jitter(RETRY_JITTER_FULL, 0.0, 0.5, 1.0); }
static void test_backoff_equal(void) { check_jitter(RETRY_JITTER_EQUAL, 0.5, 0.75, 0.5); }

/* Same stream, same schedule; the jitter mode changes the values. */
static void test_backoff_deterministic(void)
{
    retry_conf rc = base_conf(RETRY_JITTER_FULL);
    gsl_rng *a = sim_rng_stream(7, "client-1/retry"), *b = sim_rng_stream(7, "client-1/retry");
    for (unsigned n = 1; n < 50; n++) CHECK_EQ_I64(retry_backoff(&rc, n % 6 + 1, a), retry_backoff(&rc, n % 6 + 1, b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Attempts: with 3 attempts, failures after attempts 1 and 2 retry (waits
 * 100 and 200 ms without jitter); after attempt 3 it gives up. */
static void test_decide_attempts(void)
{
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    rc.attempts = 3;
    retry_budget b;
    retry_budget_init(&b, &rc);
    sim_time_t d;
    CHECK_EQ_I64(retry_decide(&rc, &b, 1, 0, NULL, &d), RETRY_AGAIN);
    CHECK_EQ_I64(d, 100 * SIM_MS);
    CHECK_EQ_I64(retry_decide(&rc, &b, 2, 0, NULL, &d), RETRY_AGAIN);
    CHECK_EQ_I64(d, 200 * SIM_MS);
    CHECK_EQ_I64(retry_decide(&rc, &b, 3, 0, NULL, &d), RETRY_GIVE_UP_ATTEMPTS);
    CHECK_EQ_I64(d, 0);
    rc.attempts = 1;
    CHECK_EQ_I64(retry_decide(&rc, &b, 1, 0, NULL, &d), RETRY_GIVE_UP_ATTEMPTS);
    CHECK_EQ_U64(retry_budget_left(&b, &rc, 0), UINT64_MAX); /* no budget configured */
}

/* Budget 20% + 1/s over 10 s: 100 requests earn 20 + 10 = 30 retries;
 * the 31st is denied; more requests earn more; after the window the old
 * requests and retries are forgotten. */
static void test_budget_exhaustion(void)
{
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    rc.budget = true;
    rc.budget_min_rate = 1;
    retry_budget b;
    retry_budget_init(&b, &rc);
    for (int i = 0; i < 100; i++) retry_budget_deposit(&b, 0);
    CHECK_EQ_U64(retry_budget_left(&b, &rc, 0), 30);
    for (int i = 0; i < 30; i++) CHECK_TRUE(retry_budget_withdraw(&b, &rc, SIM_MS));
    CHECK_TRUE(!retry_budget_withdraw(&b, &rc, SIM_MS));
    CHECK_EQ_U64(retry_budget_left(&b, &rc, SIM_MS), 0);
    CHECK_EQ_U64(b.granted, 30);
    CHECK_EQ_U64(b.denied, 1);
    sim_time_t d;
    CHECK_EQ_I64(retry_decide(&rc, &b, 1, SIM_MS, NULL, &d), RETRY_GIVE_UP_BUDGET);
    /* 5 more requests earn one retry */
    for (int i = 0; i < 5; i++) retry_budget_deposit(&b, 2 * SIM_MS);
    CHECK_EQ_I64(retry_decide(&rc, &b, 1, 2 * SIM_MS, NULL, &d), RETRY_AGAIN);
    CHECK_TRUE(!retry_budget_withdraw(&b, &rc, 2 * SIM_MS));
    /* a window later: only the minimum rate is left (10 retries) */
    CHECK_EQ_U64(retry_budget_left(&b, &rc, 11 * SIM_S), 10);
    /* budget off: always yes */
    rc.budget = false;
    CHECK_TRUE(retry_budget_withdraw(&b, &rc, 11 * SIM_S));
}

/* A backend that fails every attempt, 1000 first attempts per second for
 * 60 s, 3 attempts each. Without a budget it sees 3 attempts per request;
 * with a 20% budget (min 10/s) at most 1.2 + 10/1000 = 1.21 in any window,
 * and over the run close to that. */
static double storm_amplification(bool budget)
{
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    rc.attempts = 3;
    rc.budget = budget;
    retry_budget b;
    retry_budget_init(&b, &rc);
    uint64_t firsts = 0, attempts = 0;
    for (int i = 0; i < 60000; i++) {
        sim_time_t now = (sim_time_t)i * SIM_MS;
        retry_budget_deposit(&b, now);
        firsts++;
        attempts++;
        for (unsigned done = 1;; done++) {
            sim_time_t d;
            if (retry_decide(&rc, &b, done, now, NULL, &d) != RETRY_AGAIN) break;
            attempts++;
        }
    }
    return (double)attempts / (double)firsts;
}

static void test_budget_caps_storm(void)
{
    CHECK_NEAR(storm_amplification(false), 3.0, 1e-12);
    double amp = storm_amplification(true);
    CHECK_TRUE(amp <= 1.21);
    CHECK_TRUE(amp >= 1.15); /* the budget is used, not just refused */
}

static void test_hedge_delay(void)
{
    retry_conf rc = base_conf(RETRY_JITTER_NONE);
    CHECK_EQ_I64(retry_hedge_delay(&rc, NULL), SIM_TIME_MAX); /* off */
    rc.hedge = "15ms";
    retry_conf_finish(&rc, NULL, 0);
    CHECK_EQ_I64(retry_hedge_delay(&rc, NULL), 15 * SIM_MS);
    rc.hedge = "p95";
    retry_conf_finish(&rc, NULL, 0);
    sim_hist h;
    CHECK_EQ_I64(sim_hist_init(&h), 0);
    CHECK_EQ_I64(retry_hedge_delay(&rc, &h), SIM_TIME_MAX);
    /* 1..200 (exact buckets below 512): nearest-rank p95 is 190 */
    for (int v = 1; v <= 99; v++) sim_hist_record(&h, v);
    CHECK_EQ_I64(retry_hedge_delay(&rc, &h), SIM_TIME_MAX); /* 99 < 100 samples */
    for (int v = 100; v <= 200; v++) sim_hist_record(&h, v);
    CHECK_EQ_I64(retry_hedge_delay(&rc, &h), 190);
    sim_hist_free(&h);
}

void test_retry_register(void)
{
    static const tests_case cases[] = {
        { "conf_finish", test_conf_finish },
        { "backoff_none", test_backoff_none },
        { "backoff_full", test_backoff_full },
        { "backoff_equal", test_backoff_equal },
        { "backoff_deterministic", test_backoff_deterministic },
        { "decide_attempts", test_decide_attempts },
        { "budget_exhaustion", test_budget_exhaustion },
        { "budget_caps_storm", test_budget_caps_storm },
        { "hedge_delay", test_hedge_delay },
        { NULL, NULL },
    };
    tests_add_suite("retry", cases);
}
