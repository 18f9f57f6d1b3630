/* tests/test_breaker.c - circuit breaker transitions, worked by hand. */
#include "models/breaker.h"
#include "sim/errors.h"
#include "tests/harness.h"

static breaker_conf consec(int64_t n, sim_time_t open_for, int64_t half_open)
{
    return (breaker_conf){ .consecutive = n, .ratio = 0, .min_calls = 1, .window = 10 * SIM_S,
                           .open_for = open_for, .half_open = half_open };
}

static void test_conf_check(void)
{
    char why[160];
    breaker_conf bc = consec(5, 5 * SIM_S, 1);
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), 0);
    bc.consecutive = 0;
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "never open");
    bc = consec(5, 0, 1);
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "open_for");
    bc = consec(5, SIM_S, 0);
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "half_open");
    bc = consec(0, SIM_S, 1);
    bc.ratio = 1.5;
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "ratio");
    bc.ratio = 0.5;
    bc.window = 0;
    CHECK_EQ_I64(breaker_conf_check(&bc, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "window");
}

/* consecutive 3: S F F S F F F -> open on the 7th; successes reset the run. */
static void test_consecutive_trip(void)
{
    breaker_conf bc = consec(3, 5 * SIM_S, 1);
    breaker b;
    breaker_init(&b, &bc, 0);
    const bool seq[] = { true, false, false, true, false, false, false };
    for (int i = 0; i < 7; i++) {
        CHECK_TRUE(breaker_allow(&b, &bc, i * SIM_MS, NULL));
        bool changed = breaker_record(&b, &bc, i * SIM_MS, seq[i]);
        CHECK_EQ_I64(changed, i == 6);
    }
    CHECK_EQ_I64(b.state, BREAKER_OPEN);
    CHECK_EQ_I64(b.since, 6 * SIM_MS);
    CHECK_EQ_U64(b.opens, 1);
    /* refused while open; late results are ignored */
    CHECK_TRUE(!breaker_allow(&b, &bc, 7 * SIM_MS, NULL));
    CHECK_TRUE(!breaker_record(&b, &bc, 8 * SIM_MS, true));
    CHECK_TRUE(!breaker_record(&b, &bc, 8 * SIM_MS, false));
    CHECK_EQ_I64(b.state, BREAKER_OPEN);
    CHECK_TRUE(!breaker_allow(&b, &bc, 6 * SIM_MS + 5 * SIM_S - 1, NULL));
    CHECK_EQ_U64(b.refused, 2);
    CHECK_EQ_U64(b.allowed, 7);
}

/* open_for elapses: half-open admits `half_open` trials; all succeed: closed. */
static void test_half_open_closes(void)
{
    breaker_conf bc = consec(1, SIM_S, 3);
    breaker b;
    breaker_init(&b, &bc, 0);
    CHECK_TRUE(breaker_allow(&b, &bc, 0, NULL));
    CHECK_TRUE(breaker_record(&b, &bc, 100, false));
    CHECK_EQ_I64(b.state, BREAKER_OPEN);
    bool changed;
    CHECK_TRUE(!breaker_allow(&b, &bc, 100 + SIM_S - 1, &changed));
    CHECK_TRUE(!changed);
    CHECK_TRUE(breaker_allow(&b, &bc, 100 + SIM_S, &changed));
    CHECK_TRUE(changed);
    CHECK_EQ_I64(b.state, BREAKER_HALF_OPEN);
    CHECK_EQ_I64(b.since, 100 + SIM_S);
    CHECK_TRUE(breaker_allow(&b, &bc, 2 * SIM_S, &changed));
    CHECK_TRUE(!changed);
    CHECK_TRUE(breaker_allow(&b, &bc, 2 * SIM_S, NULL));
    CHECK_TRUE(!breaker_allow(&b, &bc, 2 * SIM_S, NULL)); /* 4th: only 3 trials */
    CHECK_TRUE(!breaker_record(&b, &bc, 3 * SIM_S, true));
    CHECK_TRUE(!breaker_record(&b, &bc, 3 * SIM_S, true));
    CHECK_TRUE(breaker_record(&b, &bc, 4 * SIM_S, true));
    CHECK_EQ_I64(b.state, BREAKER_CLOSED);
    CHECK_EQ_I64(b.since, 4 * SIM_S);
    /* not closed from 100 ns to 4 s */
    CHECK_EQ_I64(breaker_open_time(&b, 9 * SIM_S), 4 * SIM_S - 100);
    CHECK_TRUE(breaker_allow(&b, &bc, 5 * SIM_S, NULL));
}

/* A failed trial reopens it for a full open_for from the failure. */
static void test_half_open_reopens(void)
{
    breaker_conf bc = consec(2, 2 * SIM_S, 2);
    breaker b;
    breaker_init(&b, &bc, 0);
    breaker_record(&b, &bc, 1 * SIM_S, false);
    CHECK_TRUE(breaker_record(&b, &bc, 1 * SIM_S, false));
    CHECK_TRUE(breaker_allow(&b, &bc, 3 * SIM_S, NULL));      /* half-open */
    CHECK_TRUE(!breaker_record(&b, &bc, 3 * SIM_S + 10, true));/* 1 of 2 */
    CHECK_TRUE(breaker_record(&b, &bc, 3 * SIM_S + 20, false));/* reopen */
    CHECK_EQ_I64(b.state, BREAKER_OPEN);
    CHECK_EQ_U64(b.opens, 2);
    CHECK_TRUE(!breaker_allow(&b, &bc, 5 * SIM_S + 19, NULL));
    CHECK_TRUE(breaker_allow(&b, &bc, 5 * SIM_S + 20, NULL));
    CHECK_EQ_I64(b.state, BREAKER_HALF_OPEN);
    /* the spell has not ended: open time counts from the first trip */
    CHECK_EQ_I64(breaker_open_time(&b, 6 * SIM_S), 5 * SIM_S);
}

/* Ratio rule: 50% over 10 s with min_calls 10. 9 failures alone do not trip
 * (too few calls); the 10th result does when half failed. */
static void test_ratio_trip(void)
{
    breaker_conf bc = { .consecutive = 0, .ratio = 0.5, .min_calls = 10, .window = 10 * SIM_S,
                        .open_for = SIM_S, .half_open = 1 };
    breaker b;
    breaker_init(&b, &bc, 0);
    /* alternate F S: after 9 results 5 F / 4 S (55%) but only 9 calls */
    for (int i = 0; i < 9; i++) CHECK_TRUE(!breaker_record(&b, &bc, i * SIM_MS, (i % 2) == 1));
    CHECK_EQ_I64(b.state, BREAKER_CLOSED);
    /* 10th a success: 5 of 10 failed = 50%, but only failures trip */
    CHECK_TRUE(!breaker_record(&b, &bc, 9 * SIM_MS, true));
    /* 11th a failure: 6 of 11 >= 50% */
    CHECK_TRUE(breaker_record(&b, &bc, 10 * SIM_MS, false));
    CHECK_EQ_I64(b.state, BREAKER_OPEN);
}

/* The ratio rule forgets old results: failures more than a window ago
 * do not count. */
static void test_ratio_window_slides(void)
{
    breaker_conf bc = { .consecutive = 0, .ratio = 0.5, .min_calls = 10, .window = 10 * SIM_S,
                        .open_for = SIM_S, .half_open = 1 };
    breaker b;
    breaker_init(&b, &bc, 0);
    for (int i = 0; i < 8; i++) breaker_record(&b, &bc, 0, false);   /* at t=0 */
    for (int i = 0; i < 8; i++) breaker_record(&b, &bc, 0, true);
    /* 20 s later the old results are gone: 3 successes and a failure make 4 calls */
    for (int i = 0; i < 3; i++) breaker_record(&b, &bc, 20 * SIM_S, true);
    CHECK_TRUE(!breaker_record(&b, &bc, 20 * SIM_S, false));
    CHECK_EQ_I64(b.state, BREAKER_CLOSED);
    CHECK_EQ_U64(b.win.sum[0] + b.win.sum[1], 4);
    /* within the window they still count: 8 F + 8 S + 1 F at 5 s = 9/17 >= 50% */
    breaker_init(&b, &bc, 0);
    for (int i = 0; i < 8; i++) breaker_record(&b, &bc, 0, false);
    for (int i = 0; i < 8; i++) breaker_record(&b, &bc, 0, true);
    CHECK_TRUE(breaker_record(&b, &bc, 5 * SIM_S, false));
}

/* Closing resets the counts: old failures do not count against the fresh start. */
static void test_close_resets(void)
{
    breaker_conf bc = consec(3, SIM_S, 1);
    bc.ratio = 0.9;
    bc.min_calls = 4;
    breaker b;
    breaker_init(&b, &bc, 0);
    breaker_record(&b, &bc, 0, false);
    breaker_record(&b, &bc, 0, false);
    CHECK_TRUE(breaker_record(&b, &bc, 0, false));
    CHECK_TRUE(breaker_allow(&b, &bc, SIM_S, NULL));
    CHECK_TRUE(breaker_record(&b, &bc, SIM_S, true));
    CHECK_EQ_I64(b.state, BREAKER_CLOSED);
    CHECK_EQ_U64(b.win.sum[0] + b.win.sum[1], 0);
    CHECK_TRUE(!breaker_record(&b, &bc, SIM_S, false));
    CHECK_TRUE(!breaker_record(&b, &bc, SIM_S, false));
    CHECK_TRUE(breaker_record(&b, &bc, SIM_S, false));
}

void test_breaker_register(void)
{
    static const tests_case cases[] = {
        { "conf_check", test_conf_check },
        { "consecutive_trip", test_consecutive_trip },
        { "half_open_closes", test_half_open_closes },
        { "half_open_reopens", test_half_open_reopens },
        { "ratio_trip", test_ratio_trip },
        { "ratio_window_slides", test_ratio_window_slides },
        { "close_resets", test_close_resets },
        { NULL, NULL },
    };
    tests_add_suite("breaker", cases);
}
