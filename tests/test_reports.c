/* tests/test_reports.c - the reports building blocks: text buffer and
 * escapes, CSV and JSON readers, statistics, aggregation of replications, and
 * the coverage of the confidence intervals that aggregation writes. */
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "reports/aggregate.h"
#include "reports/csv.h"
#include "reports/metrics.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "reports/rstat.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

#define RUNS "tests/data/runs"

static void test_escapes(void)
{
    rbuf b;
    rbuf_init(&b);
    rbuf_html(&b, "<script>alert(\"x\" & 'y')</script>");
    CHECK_STR(rbuf_str(&b), "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    rbuf_free(&b);
    rbuf_gpstr(&b, "a\"b\\c\nd");
    CHECK_STR(rbuf_str(&b), "a\\\"b\\\\c d");
    rbuf_free(&b);
    /* RFC 4648 test vectors. */
    const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    for (int i = 0; i < 7; i++) {
        rbuf_init(&b);
        rbuf_base64(&b, (const unsigned char *)in[i], strlen(in[i]));
        CHECK_STR(rbuf_str(&b), want[i]);
        rbuf_free(&b);
    }
    rbuf_printf(&b, "%d-%s", 42, "x");
    CHECK_STR(rbuf_str(&b), "42-x");
    CHECK_TRUE(!b.oom);
    rbuf_free(&b);
}

static void test_csv(void)
{
    reports_csv c;
    char err[256] = "";
    CHECK_EQ_I64(reports_csv_parse("e.csv", "t_s,event,target,detail\r\n30,crash,edge,\"a, \"\"b\"\"\"\r\n\n40,recover,edge,\n",
                                   &c, err, sizeof err), 0);
    CHECK_EQ_U64(c.ncols, 4);
    CHECK_EQ_U64(c.nrows, 2);
    CHECK_STR(reports_csv_cell(&c, 0, 3), "a, \"b\"");
    CHECK_STR(reports_csv_cell(&c, 1, 3), "");
    CHECK_NEAR(reports_csv_num(&c, 1, 0), 40, 0);
    CHECK_TRUE(isnan(reports_csv_num(&c, 1, 1)));
    CHECK_EQ_I64(reports_csv_col(&c, "target"), 2);
    CHECK_EQ_I64(reports_csv_col(&c, "nope"), -1);
    reports_csv_free(&c);

    CHECK_EQ_I64(reports_csv_parse("t.csv", "a,b\n1,2\n3\n", &c, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "t.csv:3: expected 2 fields");
    CHECK_CONTAINS(err, "found 1");
    reports_csv_free(&c);
    CHECK_EQ_I64(reports_csv_parse("t.csv", "a,b\n1,\"2\n", &c, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "unterminated quoted field");
    reports_csv_free(&c);
    CHECK_EQ_I64(reports_csv_parse("t.csv", "", &c, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "expected a header line");
    reports_csv_free(&c);
    CHECK_EQ_I64(reports_csv_parse("t.csv", "\"unterminated header\n", &c, err, sizeof err), SIM_EPARSE);
    reports_csv_free(&c);
    CHECK_EQ_I64(reports_csv_load("/nonexistent/x.csv", &c, err, sizeof err), SIM_ENOENT);
    CHECK_CONTAINS(err, "cannot read");
    reports_csv_free(&c);
}

static void test_json_errors(void)
{
    cJSON *j = NULL;
    char err[512] = "";
    CHECK_EQ_I64(reports_json_load(RUNS "/bad/summary.json", &j, err, sizeof err), SIM_EPARSE);
    CHECK_TRUE(j == NULL);
    /* The missing comma is noticed where "seed" starts: line 4. */
    CHECK_CONTAINS(err, RUNS "/bad/summary.json:4:");
    CHECK_CONTAINS(err, "malformed JSON");
    CHECK_EQ_I64(reports_json_load(RUNS "/nope/summary.json", &j, err, sizeof err), SIM_ENOENT);
    CHECK_CONTAINS(err, "cannot read");
    char *dir = tests_mkdtemp();
    char path[4096];
    const char *bad[] = { "", "[1, 2]", "{\"a\": ", "\x01\x02\xff", "{\"a\": 1} trailing" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(path, sizeof path, "%s/s%zu.json", dir, i);
        tests_write_file(path, bad[i]);
        CHECK_EQ_I64(reports_json_load(path, &j, err, sizeof err), SIM_EPARSE);
        CHECK_CONTAINS(err, path);
    }
    snprintf(path, sizeof path, "%s/ok.json", dir);
    tests_write_file(path, "{\"a\": {\"b\": 2.5, \"s\": \"x\"}}");
    CHECK_EQ_I64(reports_json_load(path, &j, err, sizeof err), 0);
    CHECK_NEAR(reports_json_num(j, "a.b", -1), 2.5, 0);
    CHECK_NEAR(reports_json_num(j, "a.c", -1), -1, 0);
    CHECK_NEAR(reports_json_num(j, "a.s", -1), -1, 0);
    CHECK_STR(reports_json_str(j, "a.s"), "x");
    CHECK_TRUE(reports_json_str(j, "a.b") == NULL);
    cJSON_Delete(j);
    tests_rmtree(dir);
    free(dir);
}

static void test_welch(void)
{
    /* Welch's own kind of example (Wikipedia, "Welch's t-test", example 1):
     * t = -2.46, df = 24.99, two-sided p = 0.021. */
    const double a[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
    const double b[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };
    CHECK_NEAR(reports_welch_p(a, 15, b, 15), 0.021, 0.001);
    CHECK_NEAR(reports_welch_p(b, 15, a, 15), reports_welch_p(a, 15, b, 15), 1e-12);
    CHECK_NEAR(reports_welch_p(a, 15, a, 15), 1.0, 1e-12);
    const double c1[] = { 1, 1, 1 }, c2[] = { 2, 2, 2 };
    CHECK_NEAR(reports_welch_p(c1, 3, c2, 3), 0.0, 0);
    CHECK_NEAR(reports_welch_p(c1, 3, c1, 3), 1.0, 0);
    CHECK_TRUE(isnan(reports_welch_p(a, 1, b, 15)));
    /* Half-width: t_{0.975, 2} = 4.302653 (tables), s = 1, n = 3. */
    const double x[] = { 1, 2, 3 };
    CHECK_NEAR(reports_ci_half(x, 3, 0.95), 4.302653 / sqrt(3.0), 1e-5);
    CHECK_TRUE(isnan(reports_ci_half(x, 1, 0.95)));
}

static void test_metrics(void)
{
    cJSON *j = NULL;
    char err[512];
    CHECK_EQ_I64(reports_json_load(RUNS "/base/summary.json", &j, err, sizeof err), 0);
    reports_metrics m;
    reports_metrics_init(&m);
    CHECK_EQ_I64(reports_metrics_from_summary(j, &m), 0);
    const reports_metric *p99 = reports_metrics_find(&m, "latency_ms.p99");
    CHECK_TRUE(p99 && p99->value == 180.4);
    CHECK_TRUE(reports_metrics_find(&m, "components.edge-us.hit_ratio") != NULL);
    CHECK_TRUE(reports_metrics_find(&m, "scenario.name") == NULL);
    const reports_metric *av = reports_metrics_find(&m, "availability");
    CHECK_TRUE(av != NULL);
    if (av) CHECK_NEAR(av->value, 5880.0 / (5880 + 12 + 3 + 0), 1e-12);
    reports_metrics_free(&m);
    cJSON_Delete(j);
    CHECK_EQ_I64(reports_metric_direction("latency_ms.p99"), -1);
    CHECK_EQ_I64(reports_metric_direction("components.disk-1.latency_ms.mean"), -1);
    CHECK_EQ_I64(reports_metric_direction("components.disk-1.utilization"), -1);
    CHECK_EQ_I64(reports_metric_direction("requests.failed"), -1);
    CHECK_EQ_I64(reports_metric_direction("components.edge.hit_ratio"), 1);
    CHECK_EQ_I64(reports_metric_direction("throughput_rps"), 1);
    CHECK_EQ_I64(reports_metric_direction("availability"), 1);
    CHECK_EQ_I64(reports_metric_direction("requests.completed"), 1);
    CHECK_EQ_I64(reports_metric_direction("requests.issued"), 0);
    CHECK_EQ_I64(reports_metric_direction("events_per_s"), 0);
    CHECK_EQ_I64(reports_metric_direction("seed"), 0);
}

static void test_aggregate_dirs(void)
{
    char *out = tests_mkdtemp();
    const char *reps[6];
    char paths[6][256];
    uint64_t seeds[6];
    for (int i = 0; i < 6; i++) {
        snprintf(paths[i], sizeof paths[i], RUNS "/base_reps/reps/%d", i);
        reps[i] = paths[i];
        seeds[i] = sim_rng_rep_seed(42, (unsigned)i);
    }
    char err[512] = "";
    CHECK_EQ_I64(reports_aggregate_dirs(out, reps, 6, 42, seeds, err, sizeof err), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", out);
    cJSON *agg = NULL, *r[6];
    CHECK_EQ_I64(reports_json_load(path, &agg, err, sizeof err), 0);
    double v[6];
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/summary.json", reps[i]);
        reports_json_load(path, &r[i], err, sizeof err);
        v[i] = reports_json_num(r[i], "latency_ms.p99", NAN);
        cJSON_Delete(r[i]);
    }
    double mean = (v[0] + v[1] + v[2] + v[3] + v[4] + v[5]) / 6, ss = 0;
    for (int i = 0; i < 6; i++) ss += (v[i] - mean) * (v[i] - mean);
    /* t_{0.975, 5} = 2.570582 (tables). */
    double half = 2.570582 * sqrt(ss / 5) / sqrt(6.0);
    CHECK_NEAR(reports_json_num(agg, "latency_ms.p99", NAN), mean, 1e-6 * mean);
    CHECK_NEAR(reports_json_num(agg, "latency_ms.p99_ci", NAN), half, 1e-5 * half);
    CHECK_NEAR(reports_json_num(agg, "components.edge-us.hit_ratio_ci", -1) > 0, 1, 0);
    CHECK_NEAR(reports_json_num(agg, "seed", -1), 42, 0);
    CHECK_TRUE(cJSON_GetObjectItem(agg, "seed_ci") == NULL);
    CHECK_STR(reports_json_str(agg, "schema"), "cdnsim.summary/1");
    CHECK_STR(reports_json_str(agg, "scenario.name"), "photo-cdn");
    CHECK_NEAR(reports_json_num(agg, "replications.count", -1), 6, 0);
    cJSON *sd = cJSON_GetObjectItem(cJSON_GetObjectItem(agg, "replications"), "seeds");
    CHECK_EQ_I64(cJSON_GetArraySize(sd), 6);
    char s1[32];
    snprintf(s1, sizeof s1, "%llu", (unsigned long long)seeds[1]);
    CHECK_STR(cJSON_GetArrayItem(sd, 1) ? cJSON_GetArrayItem(sd, 1)->valuestring : NULL, s1);
    CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(agg, "partial")));
    CHECK_TRUE(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(agg, "components"), "dns"), "links")));
    cJSON_Delete(agg);

    /* CSVs: the per-window mean of each column, same header. */
    reports_csv a, c0;
    snprintf(path, sizeof path, "%s/timeseries.csv", out);
    CHECK_EQ_I64(reports_csv_load(path, &a, err, sizeof err), 0);
    CHECK_EQ_I64(reports_csv_load(RUNS "/base_reps/reps/0/timeseries.csv", &c0, err, sizeof err), 0);
    CHECK_EQ_U64(a.ncols, c0.ncols);
    CHECK_EQ_U64(a.nrows, c0.nrows);
    double sum = 0;
    for (int i = 0; i < 6; i++) {
        reports_csv ci;
        snprintf(path, sizeof path, "%s/timeseries.csv", reps[i]);
        reports_csv_load(path, &ci, err, sizeof err);
        sum += reports_csv_num(&ci, 3, (size_t)reports_csv_col(&ci, "p99_ms"));
        reports_csv_free(&ci);
    }
    CHECK_NEAR(reports_csv_num(&a, 3, (size_t)reports_csv_col(&a, "p99_ms")), sum / 6, 1e-6);
    reports_csv_free(&a);
    reports_csv_free(&c0);
    snprintf(path, sizeof path, "%s/events.csv", out);
    char *ev = tests_read_file(path, NULL);
    CHECK_CONTAINS(ev, "crash,edge-us");
    free(ev);

    /* A malformed replication is reported with its path. */
    reps[2] = RUNS "/bad";
    CHECK_EQ_I64(reports_aggregate_dirs(out, reps, 6, 42, seeds, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, RUNS "/bad/summary.json:4:");
    reps[2] = RUNS "/nope";
    CHECK_EQ_I64(reports_aggregate_dirs(out, reps, 6, 42, seeds, err, sizeof err), SIM_ENOENT);
    tests_rmtree(out);
    free(out);
}

/* Coverage of the intervals aggregation writes. Each of K = 400 experiments
 * aggregates R = 5 replications whose metric is N(mu, sigma^2) (a model whose
 * truth we know); the Student-t 95% interval is exact for normal data, so the
 * number of intervals holding mu is Binomial(400, 0.95): mean 380, sd
 * sqrt(400 * 0.95 * 0.05) = 4.36. We accept 380 +- 3 sd = [367, 393]
 * (91.75%..98.25%). A normal quantile instead of Student's t (z = 1.96 vs
 * t_{0.975,4} = 2.776) would cover only about 88% and fail. */
static void test_ci_coverage(void)
{
    enum { K = 400, R = 5 };
    const double mu = 50.0, sigma = 7.0;
    gsl_rng *g = sim_rng_stream(20261127, "tests/ci-coverage");
    cJSON *reps[R];
    int covered = 0, built = 0;
    for (int k = 0; k < K; k++) {
        for (int i = 0; i < R; i++) {
            reps[i] = cJSON_CreateObject();
            cJSON *lat = cJSON_AddObjectToObject(reps[i], "latency_ms");
            cJSON_AddNumberToObject(lat, "mean", mu + gsl_ran_gaussian(g, sigma));
        }
        cJSON *agg = reports_aggregate_summaries((const cJSON *const *)reps, R, 1, NULL, NULL);
        if (agg) {
            built++;
            double m = reports_json_num(agg, "latency_ms.mean", NAN);
            double h = reports_json_num(agg, "latency_ms.mean_ci", NAN);
            covered += fabs(m - mu) <= h;
            cJSON_Delete(agg);
        }
        for (int i = 0; i < R; i++) cJSON_Delete(reps[i]);
    }
    gsl_rng_free(g);
    CHECK_EQ_I64(built, K);
    CHECK_TRUE(covered >= 367 && covered <= 393);
    if (covered < 367 || covered > 393) fprintf(stderr, "coverage %d of %d\n", covered, K);
}

void test_reports_register(void)
{
    static const tests_case cases[] = {
        { "escapes", test_escapes },
        { "csv", test_csv },
        { "json_errors", test_json_errors },
        { "welch", test_welch },
        { "metrics", test_metrics },
        { "aggregate_dirs", test_aggregate_dirs },
        { "ci_coverage", test_ci_coverage },
        { NULL, NULL },
    };
    tests_add_suite("reports", cases);
}
