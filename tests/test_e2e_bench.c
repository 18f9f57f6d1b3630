/* tests/test_e2e_bench.c - `cdnsim bench phold` end to end: help, argument
 * errors, output keys, determinism. Speed is never asserted here. */
#include <stdlib.h>

#include "tests/harness.h"

static int run_bench(const char *args, char **out, char **err)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s bench %s", tests_cdnsim_bin(), args);
    return tests_run(cmd, out, err);
}

static void test_help(void)
{
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(run_bench("phold --help", &out, &err), 0);
    CHECK_CONTAINS(out, "--lps N");
    CHECK_CONTAINS(out, "--start-events E");
    CHECK_CONTAINS(out, "--remote R");
    CHECK_CONTAINS(out, "--lookahead L");
    CHECK_CONTAINS(out, "--mean M");
    CHECK_CONTAINS(out, "--end T");
    CHECK_CONTAINS(out, "--seed S");
    CHECK_CONTAINS(out, "events_per_s");
    free(out);
    free(err);
    out = err = NULL;
    CHECK_EQ_I64(run_bench("--help", &out, &err), 0);
    CHECK_CONTAINS(out, "phold");
    free(out);
    free(err);
}

static void test_bad_arguments(void)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        { "phold --start-events 1 --end 1", "missing --lps" },
        { "phold --lps 8 --end 1", "missing --start-events" },
        { "phold --lps 8 --start-events 1", "missing --end" },
        { "phold --lps 0 --start-events 1 --end 1", "--lps expects" },
        { "phold --lps 8x --start-events 1 --end 1", "got '8x'" },
        { "phold --lps -3 --start-events 1 --end 1", "--lps expects" },
        { "phold --lps 8 --start-events 1 --end nan", "--end expects" },
        { "phold --lps 8 --start-events 1 --end 1 --remote 1.5", "--remote expects a probability" },
        { "phold --lps 8 --start-events 1 --end 1 --mean 0.05", "--lookahead <= --mean" },
        { "phold --lps 8 --start-events 1 --end 1 --queue fifo", "adaptive, heap or ladder" },
        { "phold --lps 8 --start-events 1 --end 1 --seed", "got '(nothing)'" },
        { "phold --lps 8 --start-events 1 --end 1 --frobnicate 3", "unknown option '--frobnicate'" },
        { "phold --lps 100000000 --start-events 1000 --end 1", "above the limit" },
        { "nosuch", "unknown benchmark 'nosuch'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL, *err = NULL;
        int rc = run_bench(cases[i].args, &out, &err);
        if (rc != 2) tests_fail(__FILE__, __LINE__, "bench %s: exit %d, want 2", cases[i].args, rc);
        CHECK_CONTAINS(err, cases[i].want);
        CHECK_TRUE(out && out[0] == '\0');
        free(out);
        free(err);
    }
}

static long long json_int(const char *s, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = s ? strstr(s, pat) : NULL;
    return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* Same seed: same event count, on every queue; the JSON has the promised
 * keys; pending = N * E because every event makes exactly one more. */
static void test_output_and_determinism(void)
{
    const char *runs[] = {
        "phold --lps 64 --start-events 2 --end 20 --seed 7",
        "phold --lps 64 --start-events 2 --end 20 --seed 7 --queue heap",
        "phold --lps 64 --start-events 2 --end 20 --seed 7 --queue ladder",
        "phold --lps 64 --start-events 2 --end 20 --seed 7 --queue adaptive --threshold 8",
    };
    long long first = -1;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char *out = NULL, *err = NULL;
        CHECK_EQ_I64(run_bench(runs[i], &out, &err), 0);
        CHECK_CONTAINS(out, "\"wall_s\":");
        CHECK_CONTAINS(out, "\"events_per_s\":");
        CHECK_EQ_I64(json_int(out, "pending"), 128);
        long long ev = json_int(out, "events");
        /* 128 events at about one per model time unit each over 20 units:
         * roughly 2500; the count is exact per seed, the range only guards
         * against nonsense */
        CHECK_TRUE(ev > 1500 && ev < 3500);
        if (first < 0) first = ev;
        CHECK_EQ_I64(ev, first);
        free(out);
        free(err);
    }
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(run_bench("phold --lps 64 --start-events 2 --end 20 --seed 8", &out, &err), 0);
    CHECK_TRUE(json_int(out, "events") != first); /* another seed, other draws */
    free(out);
    free(err);
    /* no events at all is valid */
    out = err = NULL;
    CHECK_EQ_I64(run_bench("phold --lps 3 --start-events 0 --end 5", &out, &err), 0);
    CHECK_EQ_I64(json_int(out, "events"), 0);
    free(out);
    free(err);
}

void test_e2e_bench_register(void)
{
    static const tests_case cases[] = {
        { "help", test_help },
        { "bad_arguments", test_bad_arguments },
        { "output_and_determinism", test_output_and_determinism },
        { NULL, NULL },
    };
    tests_add_suite("e2e_bench", cases);
}
