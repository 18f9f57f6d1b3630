/* tests/test_health.c - health-check state machine: thresholds, schedule,
 * detection delay against the closed form, accounting. */
#include <stdlib.h>

#include "models/health.h"
#include "sim/errors.h"
#include "tests/harness.h"

static health_conf conf(sim_time_t interval, sim_time_t timeout, int64_t fall, int64_t rise)
{
    return (health_conf){ .interval = interval, .timeout = timeout, .fall = fall, .rise = rise };
}

static void test_conf_check(void)
{
    char why[128];
    health_conf ok = conf(SIM_S, SIM_S, 3, 2);
    CHECK_EQ_I64(health_conf_check(&ok, why, sizeof why), 0);
    health_conf bad = conf(0, SIM_S, 3, 2);
    CHECK_EQ_I64(health_conf_check(&bad, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "interval");
    bad = conf(SIM_S, 2 * SIM_S, 3, 2);
    CHECK_EQ_I64(health_conf_check(&bad, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "timeout must not exceed");
    bad = conf(SIM_S, 0, 3, 2);
    CHECK_EQ_I64(health_conf_check(&bad, NULL, 0), SIM_EINVAL);
    bad = conf(SIM_S, SIM_S, 0, 2);
    CHECK_EQ_I64(health_conf_check(&bad, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "fall");
    bad = conf(SIM_S, SIM_S, 3, 0);
    CHECK_EQ_I64(health_conf_check(&bad, why, sizeof why), SIM_EINVAL);
    CHECK_CONTAINS(why, "rise");
}

static void test_result_time(void)
{
    health_conf hc = conf(SIM_S, 500 * SIM_MS, 3, 2);
    bool ok;
    CHECK_EQ_I64(health_result_time(&hc, 10 * SIM_S, HEALTH_PROBE_OK, 2 * SIM_MS, &ok), 10 * SIM_S + 2 * SIM_MS);
    CHECK_TRUE(ok);
    /* exactly at the timeout still counts */
    CHECK_EQ_I64(health_result_time(&hc, 0, HEALTH_PROBE_OK, 500 * SIM_MS, &ok), 500 * SIM_MS);
    CHECK_TRUE(ok);
    /* late answer: a failure at the timeout */
    CHECK_EQ_I64(health_result_time(&hc, 0, HEALTH_PROBE_OK, 500 * SIM_MS + 1, &ok), 500 * SIM_MS);
    CHECK_TRUE(!ok);
    /* refused: a failure known fast */
    CHECK_EQ_I64(health_result_time(&hc, 0, HEALTH_PROBE_ERROR, SIM_MS, &ok), SIM_MS);
    CHECK_TRUE(!ok);
    /* silent: the rtt is irrelevant */
    CHECK_EQ_I64(health_result_time(&hc, 7, HEALTH_PROBE_SILENT, SIM_MS, &ok), 7 + 500 * SIM_MS);
    CHECK_TRUE(!ok);
}

static void test_schedule(void)
{
    health_conf hc = conf(SIM_S, SIM_S, 3, 2);
    health_member m;
    health_member_init(&m, &hc, 5 * SIM_S, 250 * SIM_MS);
    CHECK_EQ_I64(health_next_probe(&m), 5 * SIM_S + 250 * SIM_MS);
    CHECK_EQ_I64(health_probe_sent(&m, &hc), 5 * SIM_S + 250 * SIM_MS);
    CHECK_EQ_I64(health_probe_sent(&m, &hc), 6 * SIM_S + 250 * SIM_MS);
    CHECK_EQ_I64(health_next_probe(&m), 7 * SIM_S + 250 * SIM_MS);
    /* a phase beyond the interval wraps; a negative one is 0 */
    health_member_init(&m, &hc, 0, 3 * SIM_S + 7);
    CHECK_EQ_I64(health_next_probe(&m), 7);
    health_member_init(&m, &hc, 0, -5);
    CHECK_EQ_I64(health_next_probe(&m), 0);
    CHECK_EQ_I64(m.state, HEALTH_UP);
}

/* fall 3, rise 2, by hand: F F S F F F (down) S F S S (up). */
static void test_thresholds_by_hand(void)
{
    health_conf hc = conf(SIM_S, SIM_S, 3, 2);
    health_member m;
    health_member_init(&m, &hc, 0, 0);
    const bool seq[] = { false, false, true, false, false, false, true, false, true, true };
    const health_change want[] = { HEALTH_SAME, HEALTH_SAME, HEALTH_SAME, HEALTH_SAME, HEALTH_SAME,
                                   HEALTH_WENT_DOWN, HEALTH_SAME, HEALTH_SAME, HEALTH_SAME, HEALTH_WENT_UP };
    for (int i = 0; i < 10; i++) {
        health_change c = health_record(&m, &hc, (i + 1) * SIM_S, seq[i]);
        if (c != want[i]) tests_fail(__FILE__, __LINE__, "result %d: change %d, want %d", i, c, want[i]);
    }
    CHECK_EQ_I64(m.state, HEALTH_UP);
    CHECK_EQ_U64(m.downs, 1);
    CHECK_EQ_U64(m.ups, 1);
    CHECK_EQ_U64(m.probes, 10);
    CHECK_EQ_U64(m.probe_failures, 6);
    CHECK_EQ_I64(m.changed, 10 * SIM_S);
    /* down from t=6 to t=10 */
    CHECK_EQ_I64(health_down_time(&m, 20 * SIM_S), 4 * SIM_S);
    /* failures while down do not "go down" again */
    for (int i = 0; i < 3; i++) health_record(&m, &hc, (11 + i) * SIM_S, false);
    CHECK_EQ_I64(m.state, HEALTH_DOWN);
    CHECK_EQ_I64(health_record(&m, &hc, 14 * SIM_S, false), HEALTH_SAME);
    CHECK_EQ_U64(m.downs, 2);
    CHECK_EQ_I64(health_down_time(&m, 20 * SIM_S), 4 * SIM_S + 7 * SIM_S);
}

/* fall 1 / rise 1 flip on every result. */
static void test_fall_rise_one(void)
{
    health_conf hc = conf(SIM_S, SIM_S, 1, 1);
    health_member m;
    health_member_init(&m, &hc, 0, 0);
    CHECK_EQ_I64(health_record(&m, &hc, 1, false), HEALTH_WENT_DOWN);
    CHECK_EQ_I64(health_record(&m, &hc, 2, true), HEALTH_WENT_UP);
    CHECK_EQ_I64(health_record(&m, &hc, 3, true), HEALTH_SAME);
    CHECK_EQ_I64(health_record(&m, &hc, 4, false), HEALTH_WENT_DOWN);
}

/* Drives one member through a crash at `crash` and a recovery at `back`,
 * probe by probe, as the runtime will, and returns when it went down and up
 * (-1 when it did not). */
static void drive(const health_conf *hc, sim_time_t phase, sim_time_t crash, sim_time_t back,
                  sim_time_t rtt, health_probe dead_kind, sim_time_t *down, sim_time_t *up)
{
    health_member m;
    health_member_init(&m, hc, 0, phase);
    *down = *up = -1;
    sim_time_t end = back + (hc->rise + 2) * hc->interval + hc->timeout;
    while (health_next_probe(&m) <= end) {
        sim_time_t sent = health_probe_sent(&m, hc);
        bool alive = sent < crash || sent >= back;
        bool ok;
        sim_time_t at = health_result_time(hc, sent, alive ? HEALTH_PROBE_OK : dead_kind, rtt, &ok);
        health_change c = health_record(&m, hc, at, ok);
        if (c == HEALTH_WENT_DOWN && *down < 0) *down = at;
        if (c == HEALTH_WENT_UP && *up < 0) *up = at;
    }
}

/* Every combination of a grid of parameters: the driven state machine agrees
 * with the closed form, and the detection delay lies in
 * [(fall-1) * interval + fail_after, fall * interval + fail_after). */
static void test_detection_matches_closed_form(void)
{
    const sim_time_t intervals[] = { SIM_S, 250 * SIM_MS, 3 * SIM_S };
    const int64_t falls[] = { 1, 2, 3, 5 };
    const int64_t rises[] = { 1, 2, 4 };
    const double tfrac[] = { 0.1, 0.5, 1.0 };
    const double phases[] = { 0, 0.3, 0.999 };
    const double crashes[] = { 10.0, 10.25, 10.5, 17.999 };
    const health_probe kinds[] = { HEALTH_PROBE_SILENT, HEALTH_PROBE_ERROR };
    int cases = 0, bad = 0;
    for (size_t a = 0; a < 3; a++)
    for (size_t b = 0; b < 4; b++)
    for (size_t c = 0; c < 3; c++)
    for (size_t d = 0; d < 3; d++)
    for (size_t e = 0; e < 3; e++)
    for (size_t f = 0; f < 4; f++)
    for (size_t g = 0; g < 2; g++) {
        sim_time_t iv = intervals[a];
        health_conf hc = conf(iv, (sim_time_t)(tfrac[d] * (double)iv), falls[b], rises[c]);
        sim_time_t phase = (sim_time_t)(phases[e] * (double)iv);
        sim_time_t crash = sim_time_from_s(crashes[f]);
        sim_time_t back = crash + (falls[b] + 3) * iv + 123;
        sim_time_t rtt = iv / 20;
        sim_time_t down, up;
        drive(&hc, phase, crash, back, rtt, kinds[g], &down, &up);
        sim_time_t fail_after = kinds[g] == HEALTH_PROBE_SILENT ? hc.timeout : rtt;
        sim_time_t want_down = health_down_at(&hc, phase, crash, fail_after);
        sim_time_t want_up = health_up_at(&hc, phase, back, rtt);
        sim_time_t delay = down - crash;
        cases++;
        if (down != want_down || up != want_up ||
            delay < (hc.fall - 1) * iv + fail_after || delay >= hc.fall * iv + fail_after) {
            if (bad++ < 5)
                tests_fail(__FILE__, __LINE__, "iv %lld fall %lld rise %lld timeout %lld phase %lld crash %lld: "
                           "down %lld (want %lld) up %lld (want %lld)", (long long)iv, (long long)hc.fall,
                           (long long)hc.rise, (long long)hc.timeout, (long long)phase, (long long)crash,
                           (long long)down, (long long)want_down, (long long)up, (long long)want_up);
        }
    }
    CHECK_EQ_I64(bad, 0);
    CHECK_EQ_I64(cases, 3 * 4 * 3 * 3 * 3 * 4 * 2);
}

/* The issue's example: every 1 s, timeout 1 s, 3 failures: a crash is
 * detected between 3 and 4 s later, whatever the phase. */
static void test_issue_example(void)
{
    health_conf hc = conf(SIM_S, SIM_S, 3, 2);
    sim_time_t lo = SIM_TIME_MAX, hi = 0;
    for (int p = 0; p < 1000; p++) {
        sim_time_t phase = p * SIM_MS;
        sim_time_t down, up;
        drive(&hc, phase, 60 * SIM_S, 90 * SIM_S, 2 * SIM_MS, HEALTH_PROBE_SILENT, &down, &up);
        sim_time_t d = down - 60 * SIM_S;
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    CHECK_EQ_I64(lo, 3 * SIM_S);             /* phase 0: probe at the crash instant */
    CHECK_EQ_I64(hi, 3 * SIM_S + 999 * SIM_MS);
}

/* A member that fails intermittently (never `fall` in a row) stays up. */
static void test_flapping_below_threshold(void)
{
    health_conf hc = conf(SIM_S, SIM_S, 3, 2);
    health_member m;
    health_member_init(&m, &hc, 0, 0);
    for (int i = 0; i < 300; i++) {
        bool ok = (i % 3) == 2; /* F F S F F S ... */
        CHECK_TRUE(health_record(&m, &hc, i * SIM_S, ok) == HEALTH_SAME);
    }
    CHECK_EQ_I64(m.state, HEALTH_UP);
    CHECK_EQ_U64(m.probe_failures, 200);
    CHECK_EQ_I64(health_down_time(&m, 300 * SIM_S), 0);
}

void test_health_register(void)
{
    static const tests_case cases[] = {
        { "conf_check", test_conf_check },
        { "result_time", test_result_time },
        { "schedule", test_schedule },
        { "thresholds_by_hand", test_thresholds_by_hand },
        { "fall_rise_one", test_fall_rise_one },
        { "detection_matches_closed_form", test_detection_matches_closed_form },
        { "issue_example", test_issue_example },
        { "flapping_below_threshold", test_flapping_below_threshold },
        { NULL, NULL },
    };
    tests_add_suite("health", cases);
}
