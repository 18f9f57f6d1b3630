/* tests/test_compare.c - reports_compare() on the fixture run directories in
 * tests/data/runs (see its README): identical, slowed, faster, replicated,
 * noisy, different and malformed runs. */
#include <stdlib.h>

#include "reports/compare.h"
#include "sim/errors.h"
#include "tests/harness.h"

#define RUNS "tests/data/runs"

static const reports_cmp_row *row(const reports_cmp_result *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->rows[i].name, name)) return &r->rows[i];
    return NULL;
}

static int run(const char *b, const char *c, const reports_cmp_opts *o, reports_cmp_result *r, char *err)
{
    reports_cmp_opts def = { .tolerance = 0.05 };
    return reports_compare(b, c, o ? o : &def, r, err, 512);
}

static void test_identical_passes(void)
{
    reports_cmp_result r;
    char err[512];
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/same", NULL, &r, err), 0);
    CHECK_EQ_U64(r.regressed, 0);
    CHECK_EQ_U64(r.improved, 0);
    CHECK_TRUE(r.unchanged > 50);
    CHECK_TRUE(!r.welch);
    CHECK_EQ_U64(r.base_reps, 0);
    /* Inputs and simulator speed are not judged. */
    CHECK_TRUE(row(&r, "seed") == NULL);
    CHECK_TRUE(row(&r, "events_per_s") == NULL);
    CHECK_TRUE(row(&r, "requests.issued") == NULL);
    reports_cmp_free(&r);
    CHECK_EQ_I64(run(RUNS "/base_reps", RUNS "/base_reps", NULL, &r, err), 0);
    CHECK_EQ_U64(r.regressed, 0);
    CHECK_TRUE(r.welch);
    reports_cmp_free(&r);
}

static void test_slow_single_run(void)
{
    reports_cmp_result r;
    char err[512];
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/slow", NULL, &r, err), 0);
    CHECK_TRUE(r.regressed > 0);
    CHECK_EQ_U64(r.improved, 0);
    const reports_cmp_row *p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 != NULL);
    if (p99) {
        CHECK_EQ_I64(p99->verdict, REPORTS_REGRESSED);
        CHECK_NEAR(p99->change, 0.20, 1e-9);
        CHECK_TRUE(isnan(p99->p));
        CHECK_EQ_I64(p99->direction, -1);
    }
    const reports_cmp_row *u = row(&r, "components.disk-1.utilization");
    CHECK_TRUE(u && u->verdict == REPORTS_REGRESSED);
    const reports_cmp_row *hr = row(&r, "components.edge-us.hit_ratio");
    CHECK_TRUE(hr && hr->verdict == REPORTS_UNCHANGED);
    reports_cmp_free(&r);

    /* A wider tolerance for latencies (glob), and "off" for utilization:
     * then only the queue lengths (+20%) regress. */
    reports_cmp_rule rules[] = {
        { "*latency_ms.*", 0.25, 0 },
        { "components.*.utilization", 0, 1 },
    };
    reports_cmp_opts o = { .tolerance = 0.05, .rules = rules, .nrules = 2 };
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/slow", &o, &r, err), 0);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->verdict == REPORTS_UNCHANGED && p99->tol == 0.25);
    u = row(&r, "components.disk-1.utilization");
    CHECK_TRUE(u && u->verdict == REPORTS_IGNORED);
    const reports_cmp_row *q = row(&r, "components.disk-1.mean_queue");
    CHECK_TRUE(q && q->verdict == REPORTS_REGRESSED);
    CHECK_EQ_U64(r.regressed, 2); /* origin and disk-1 queues */
    reports_cmp_free(&r);
}

static void test_faster_improves(void)
{
    reports_cmp_result r;
    char err[512];
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/fast", NULL, &r, err), 0);
    CHECK_EQ_U64(r.regressed, 0);
    CHECK_TRUE(r.improved > 0);
    const reports_cmp_row *f = row(&r, "requests.failed");
    CHECK_TRUE(f && f->verdict == REPORTS_IMPROVED);
    const reports_cmp_row *h = row(&r, "components.edge-us.hit_ratio");
    CHECK_TRUE(h && h->verdict == REPORTS_IMPROVED && h->direction == 1);
    reports_cmp_free(&r);
    /* Swapped, the same differences are regressions. */
    CHECK_EQ_I64(run(RUNS "/fast", RUNS "/base", NULL, &r, err), 0);
    CHECK_TRUE(r.regressed > 0);
    f = row(&r, "requests.failed");
    CHECK_TRUE(f && f->verdict == REPORTS_REGRESSED);
    reports_cmp_free(&r);
}

static void test_replicated(void)
{
    reports_cmp_result r;
    char err[512];
    /* Latencies 20% slower in every replication: significant and beyond 5%. */
    CHECK_EQ_I64(run(RUNS "/base_reps", RUNS "/slow_reps", NULL, &r, err), 0);
    CHECK_TRUE(r.welch);
    CHECK_EQ_U64(r.base_reps, 6);
    CHECK_EQ_U64(r.cand_reps, 6);
    const reports_cmp_row *p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->verdict == REPORTS_REGRESSED);
    if (p99) {
        CHECK_TRUE(p99->p < 0.05);
        CHECK_TRUE(p99->base_ci > 0 && p99->cand_ci > 0);
    }
    reports_cmp_free(&r);
    /* +10% on average but with replication spread far larger: beyond the
     * tolerance, not significant, so not a regression. */
    CHECK_EQ_I64(run(RUNS "/base_reps", RUNS "/noisy_reps", NULL, &r, err), 0);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->change > 0.05 && p99->p >= 0.05 && p99->verdict == REPORTS_UNCHANGED);
    reports_cmp_free(&r);
    /* Replications on one side only: the single run is tested as one more
     * draw of the replicated side. base_reps' p99 is 177.4 +- 5.6 (sd over 6);
     * slow's 216.48 is far outside: regressed, and the same pair the other way
     * round improved. */
    CHECK_EQ_I64(run(RUNS "/base_reps", RUNS "/slow", NULL, &r, err), 0);
    CHECK_TRUE(!r.welch && r.predict);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->verdict == REPORTS_REGRESSED && p99->p < 0.01);
    reports_cmp_free(&r);
    CHECK_EQ_I64(run(RUNS "/slow", RUNS "/base_reps", NULL, &r, err), 0);
    CHECK_TRUE(r.predict);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->verdict == REPORTS_IMPROVED && p99->p < 0.01);
    reports_cmp_free(&r);
    /* noisy_reps' p99 spreads from 160 to 250: slow's 216.48 is +8% on its
     * mean, beyond the 5% tolerance, but well inside the spread. */
    CHECK_EQ_I64(run(RUNS "/noisy_reps", RUNS "/slow", NULL, &r, err), 0);
    CHECK_TRUE(r.predict);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->change > 0.05 && p99->p > 0.5 && p99->verdict == REPORTS_UNCHANGED);
    reports_cmp_free(&r);
    /* Single runs on both sides: tolerance alone, no p. */
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/slow", NULL, &r, err), 0);
    CHECK_TRUE(!r.welch && !r.predict);
    p99 = row(&r, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->verdict == REPORTS_REGRESSED && isnan(p99->p));
    reports_cmp_free(&r);
}

static void test_bad_input(void)
{
    reports_cmp_result r;
    char err[512];
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/other", NULL, &r, err), SIM_EINVAL);
    CHECK_CONTAINS(err, "different scenarios");
    CHECK_CONTAINS(err, "video-cdn");
    CHECK_CONTAINS(err, "--allow-different");
    reports_cmp_free(&r);
    reports_cmp_opts o = { .tolerance = 0.05, .allow_different = 1 };
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/other", &o, &r, err), 0);
    CHECK_TRUE(r.different);
    CHECK_EQ_U64(r.regressed, 0);
    reports_cmp_free(&r);
    CHECK_EQ_I64(run(RUNS "/base", RUNS "/bad", NULL, &r, err), SIM_EPARSE);
    CHECK_CONTAINS(err, RUNS "/bad/summary.json:4:");
    reports_cmp_free(&r);
    CHECK_EQ_I64(run(RUNS "/nope", RUNS "/base", NULL, &r, err), SIM_ENOENT);
    CHECK_CONTAINS(err, RUNS "/nope/summary.json");
    reports_cmp_free(&r);

    /* Wrong schema, a summary that is not an object, a broken replication,
     * and a metric missing on one side. */
    char *dir = tests_mkdtemp();
    char path[4096], cmd[8192];
    snprintf(path, sizeof path, "%s/s1/summary.json", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/s1 %s/s2 && cp -r " RUNS "/base_reps %s/r1", dir, dir, dir);
    CHECK_EQ_I64(system(cmd), 0);
    tests_write_file(path, "{\"schema\": \"cdnsim.summary/9\", \"scenario\": {\"name\": \"photo-cdn\"}}");
    CHECK_EQ_I64(run(RUNS "/base", path, NULL, &r, err), SIM_ENOENT); /* a file, not a directory */
    reports_cmp_free(&r);
    snprintf(path, sizeof path, "%s/s1", dir);
    CHECK_EQ_I64(run(RUNS "/base", path, NULL, &r, err), SIM_EPARSE);
    CHECK_CONTAINS(err, "expected \"cdnsim.summary/1\", found \"cdnsim.summary/9\"");
    reports_cmp_free(&r);
    snprintf(path, sizeof path, "%s/s2/summary.json", dir);
    tests_write_file(path, "[]");
    snprintf(path, sizeof path, "%s/s2", dir);
    CHECK_EQ_I64(run(path, RUNS "/base", NULL, &r, err), SIM_EPARSE);
    CHECK_CONTAINS(err, "expected a JSON object");
    reports_cmp_free(&r);
    snprintf(path, sizeof path, "%s/r1/reps/3/summary.json", dir);
    tests_write_file(path, "{\"schema\": \"cdnsim.summary/1\", ");
    snprintf(path, sizeof path, "%s/r1", dir);
    CHECK_EQ_I64(run(RUNS "/base_reps", path, NULL, &r, err), SIM_EPARSE);
    CHECK_CONTAINS(err, "r1/reps/3/summary.json:1:");
    reports_cmp_free(&r);
    /* A partial candidate is compared, with a warning. */
    char *st = tests_read_file(RUNS "/base/summary.json", NULL);
    char *pp = st ? strstr(st, "\"partial\": false") : NULL;
    CHECK_TRUE(pp != NULL);
    if (pp) {
        memcpy(pp, "\"partial\": true ", 16);
        snprintf(path, sizeof path, "%s/s2/summary.json", dir);
        tests_write_file(path, st);
        snprintf(path, sizeof path, "%s/s2", dir);
        CHECK_EQ_I64(run(RUNS "/base", path, NULL, &r, err), 0);
        CHECK_TRUE(r.cand_partial && !r.base_partial);
        FILE *f = tmpfile();
        reports_cmp_print(&r, "b", "c", REPORTS_FMT_TEXT, 0, f);
        rewind(f);
        char buf[16384];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        CHECK_CONTAINS(buf, "warning: the candidate run was stopped early");
        fclose(f);
        reports_cmp_free(&r);
    }
    free(st);
    /* base without the disk component: its metrics are "only in candidate". */
    char *text = tests_read_file(RUNS "/base/summary.json", NULL);
    char *d = text ? strstr(text, ",\n    \"disk-1\"") : NULL;
    CHECK_TRUE(d != NULL);
    if (d) {
        strcpy(d, "\n  }\n}\n");
        snprintf(path, sizeof path, "%s/s2/summary.json", dir);
        tests_write_file(path, text);
        snprintf(path, sizeof path, "%s/s2", dir);
        CHECK_EQ_I64(run(path, RUNS "/base", NULL, &r, err), 0);
        const reports_cmp_row *x = row(&r, "components.disk-1.utilization");
        CHECK_TRUE(x && x->verdict == REPORTS_ONLY_CAND);
        CHECK_EQ_U64(r.regressed, 0);
        CHECK_TRUE(r.other > 0);
        reports_cmp_free(&r);
    }
    free(text);
    tests_rmtree(dir);
    free(dir);
}

static void test_tolerance_parse(void)
{
    double t;
    int off;
    CHECK_EQ_I64(reports_parse_tolerance("5%", &t, &off), 0);
    CHECK_NEAR(t, 0.05, 1e-15);
    CHECK_EQ_I64(reports_parse_tolerance("0.5%", &t, &off), 0);
    CHECK_NEAR(t, 0.005, 1e-15);
    CHECK_EQ_I64(reports_parse_tolerance("0.1", &t, &off), 0);
    CHECK_NEAR(t, 0.1, 1e-15);
    CHECK_EQ_I64(reports_parse_tolerance("off", &t, &off), 0);
    CHECK_EQ_I64(off, 1);
    const char *bad[] = { "", "-5%", "5%%", "five", "5 %", "nan", "inf%", NULL };
    for (int i = 0; bad[i]; i++) CHECK_EQ_I64(reports_parse_tolerance(bad[i], &t, &off), SIM_EPARSE);
}

void test_compare_register(void)
{
    static const tests_case cases[] = {
        { "identical_passes", test_identical_passes },
        { "slow_single_run", test_slow_single_run },
        { "faster_improves", test_faster_improves },
        { "replicated", test_replicated },
        { "bad_input", test_bad_input },
        { "tolerance_parse", test_tolerance_parse },
        { NULL, NULL },
    };
    tests_add_suite("compare", cases);
}
