/* tests/test_stats.c - time-weighted averages (against hand-computed areas)
 * and windowed counters. */
#include <stdlib.h>

#include "sim/errors.h"
#include "sim/stats.h"
#include "tests/harness.h"

static void test_twavg_hand_computed(void)
{
    sim_twavg a;
    sim_twavg_init(&a, 0, 0.0);
    CHECK_TRUE(sim_twavg_mean(&a, 0) == 0.0); /* no time: current value */
    sim_twavg_set(&a, 10, 2.0);
    sim_twavg_set(&a, 30, 5.0);
    sim_twavg_add(&a, 35, -5.0);
    /* area on [0, 40] = 0*10 + 2*20 + 5*5 + 0*5 = 65 */
    CHECK_TRUE(sim_twavg_area(&a, 40) == 65.0);
    CHECK_TRUE(sim_twavg_mean(&a, 40) == 65.0 / 40.0);
    CHECK_TRUE(a.max == 5.0);
    CHECK_TRUE(a.value == 0.0);
    /* mean does not modify: asking twice gives the same */
    CHECK_TRUE(sim_twavg_mean(&a, 40) == 65.0 / 40.0);
    /* a time before the last change (35) cannot undo credited area: the
     * answer is the area up to that change */
    CHECK_TRUE(sim_twavg_area(&a, 20) == 65.0);
}

static void test_twavg_reset_keeps_value(void)
{
    sim_twavg a;
    sim_twavg_init(&a, 0, 1.0);
    sim_twavg_set(&a, 100, 7.0); /* warm-up: 1.0 for 100 ns */
    sim_twavg_set(&a, 150, 3.0); /* 7.0 for 50 ns, during warm-up */
    sim_twavg_reset(&a, 200);    /* warm-up ends; the queue still holds 3 */
    CHECK_TRUE(a.start == 200 && a.value == 3.0 && a.area == 0.0 && a.max == 3.0);
    CHECK_TRUE(sim_twavg_mean(&a, 200) == 3.0);
    sim_twavg_set(&a, 300, 1.0);
    /* [200, 400]: 3 for 100 ns + 1 for 100 ns = 400, mean 2 */
    CHECK_TRUE(sim_twavg_mean(&a, 400) == 2.0);
    CHECK_TRUE(a.max == 3.0); /* the 7.0 of the warm-up is forgotten */
}

static void test_twavg_time_never_goes_back(void)
{
    sim_twavg a;
    sim_twavg_init(&a, 1000, 4.0);
    sim_twavg_set(&a, 500, 2.0); /* earlier than last: no negative area */
    CHECK_TRUE(a.area == 0.0 && a.last == 1000 && a.value == 2.0);
    CHECK_TRUE(sim_twavg_mean(&a, 900) == 2.0);
    sim_twavg_reset(&a, 10); /* reset into the past: clamped to last */
    CHECK_EQ_I64(a.start, 1000);
    CHECK_TRUE(sim_twavg_mean(&a, 1100) == 2.0);
}

/* Durations are integer ns, so a million 1-ns steps add up exactly; the
 * same in floating-point seconds (1e-9 each) would drift. Long runs with
 * integer values stay exact while the area is below 2^53. */
static void test_twavg_exact_integer_time(void)
{
    sim_twavg a;
    sim_twavg_init(&a, 0, 0.0);
    for (int64_t t = 0; t < 1000000; t++) sim_twavg_set(&a, t, (double)(t % 2));
    /* value 1 on [t, t+1) for odd t < 999999: 499999 ns */
    CHECK_TRUE(sim_twavg_area(&a, 999999) == 499999.0);
    sim_twavg b;
    sim_twavg_init(&b, 0, 3.0);
    sim_twavg_set(&b, (sim_time_t)1 << 50, 1.0);
    CHECK_TRUE(sim_twavg_area(&b, ((sim_time_t)1 << 50) + 5) == 3.0 * (double)((sim_time_t)1 << 50) + 5.0);
    CHECK_TRUE(b.max == 3.0);
}

static void test_series_windows(void)
{
    sim_series s;
    CHECK_EQ_I64(sim_series_init(&s, SIM_S, 3), 0);
    CHECK_EQ_U64(s.nwin, 0);
    CHECK_TRUE(sim_series_get(&s, 0, 0) == 0.0);
    CHECK_EQ_I64(sim_series_add(&s, 0, 0, 1.0), 0);
    CHECK_EQ_I64(sim_series_add(&s, SIM_S - 1, 0, 2.0), 0); /* same window */
    CHECK_EQ_I64(sim_series_add(&s, SIM_S, 1, 5.0), 0);     /* next window */
    CHECK_EQ_I64(sim_series_add(&s, 5 * SIM_S + SIM_S / 2, 2, 0.25), 0);
    CHECK_EQ_U64(s.nwin, 6);
    CHECK_TRUE(sim_series_get(&s, 0, 0) == 3.0);
    CHECK_TRUE(sim_series_get(&s, 1, 1) == 5.0);
    CHECK_TRUE(sim_series_get(&s, 1, 0) == 0.0);
    for (size_t w = 2; w < 5; w++)
        for (size_t c = 0; c < 3; c++) CHECK_TRUE(sim_series_get(&s, w, c) == 0.0);
    CHECK_TRUE(sim_series_get(&s, 5, 2) == 0.25);
    CHECK_TRUE(sim_series_get(&s, 6, 0) == 0.0);  /* past the end */
    CHECK_TRUE(sim_series_get(&s, 0, 3) == 0.0);  /* no such column */
    CHECK_EQ_U64(sim_series_window_of(&s, 5 * SIM_S), 5);
    CHECK_EQ_I64(sim_series_window_start(&s, 5), 5 * SIM_S);
    /* bad arguments are refused and change nothing */
    CHECK_EQ_I64(sim_series_add(&s, -1, 0, 1.0), SIM_EINVAL);
    CHECK_EQ_I64(sim_series_add(&s, 0, 3, 1.0), SIM_EINVAL);
    CHECK_TRUE(sim_series_get(&s, 0, 0) == 3.0);
    /* a window index that cannot be allocated: SIM_ENOMEM, nothing changes
     * (caught by the size check, no giant allocation is attempted) */
    sim_series t;
    CHECK_EQ_I64(sim_series_init(&t, 1, 2), 0);
    CHECK_EQ_I64(sim_series_add(&t, INT64_MAX, 0, 1.0), SIM_ENOMEM);
    CHECK_EQ_U64(t.nwin, 0);
    sim_series_free(&t);
    /* extend: trailing empty windows up to the end of the run */
    CHECK_EQ_I64(sim_series_extend(&s, 9 * SIM_S), 0);
    CHECK_EQ_U64(s.nwin, 10);
    CHECK_TRUE(sim_series_get(&s, 9, 0) == 0.0);
    CHECK_EQ_I64(sim_series_extend(&s, 2 * SIM_S), 0); /* never shrinks */
    CHECK_EQ_U64(s.nwin, 10);
    CHECK_EQ_I64(sim_series_extend(&s, -1), SIM_EINVAL);
    sim_series_free(&s);
    sim_series_free(&s);
}

static void test_series_growth(void)
{
    sim_series s;
    CHECK_EQ_I64(sim_series_init(&s, 10 * SIM_MS, 2), 0);
    /* 100000 windows written in increasing time: every value survives the
     * reallocations, and the capacity grows by doubling (a few dozen
     * reallocations at most, not one per window). */
    size_t grows = 0, cap = s.cap;
    for (int64_t w = 0; w < 100000; w++) {
        CHECK_TRUE(sim_series_add(&s, w * 10 * SIM_MS + 3, (size_t)(w % 2), (double)w) == 0);
        if (s.cap != cap) grows++, cap = s.cap;
    }
    CHECK_EQ_U64(s.nwin, 100000);
    CHECK_TRUE(grows <= 20);
    int bad = 0;
    for (size_t w = 0; w < 100000; w++)
        if (sim_series_get(&s, w, w % 2) != (double)w || sim_series_get(&s, w, 1 - w % 2) != 0.0) bad++;
    CHECK_EQ_I64(bad, 0);
    sim_series_free(&s);
    /* invalid parameters */
    CHECK_EQ_I64(sim_series_init(&s, 0, 1), SIM_EINVAL);
    sim_series_free(&s);
    CHECK_EQ_I64(sim_series_init(&s, -5, 1), SIM_EINVAL);
    CHECK_EQ_I64(sim_series_init(&s, 1, 0), SIM_EINVAL);
    sim_series_free(&s);
}

void test_stats_register(void);
void test_stats_register(void)
{
    static const tests_case cases[] = {
        { "twavg_hand_computed", test_twavg_hand_computed },
        { "twavg_reset_keeps_value", test_twavg_reset_keeps_value },
        { "twavg_time_never_goes_back", test_twavg_time_never_goes_back },
        { "twavg_exact_integer_time", test_twavg_exact_integer_time },
        { "series_windows", test_series_windows },
        { "series_growth", test_series_growth },
        { NULL, NULL },
    };
    tests_add_suite("stats", cases);
}
