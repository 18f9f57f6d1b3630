/* tests/test_reports_fuzz.c - malformed and odd run directories never crash
 * the reports: every prefix of a summary.json (truncated files), and
 * well-formed JSON with the wrong types in every place the reports look. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "reports/aggregate.h"
#include "reports/compare.h"
#include "reports/html.h"
#include "reports/plots.h"
#include "reports/rjson.h"
#include "sim/errors.h"
#include "tests/harness.h"

#define RUNS "tests/data/runs"

static void write_in(const char *dir, const char *file, const char *text, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(text, 1, n, f);
    fclose(f);
}

/* Every prefix (in steps, to stay fast) of a valid summary is either
 * rejected with a located message or, for the whole file, accepted. */
static void test_truncated_summaries(void)
{
    size_t len = 0;
    char *text = tests_read_file(RUNS "/base/summary.json", &len);
    CHECK_TRUE(text != NULL);
    if (!text) return;
    char *dir = tests_mkdtemp();
    size_t step = tests_under_asan() ? 97 : 13;
    int rejected = 0, accepted = 0, tried = 0;
    for (size_t n = 0; n <= len; n += (n + step > len && n < len) ? len - n : step) {
        tried++;
        write_in(dir, "summary.json", text, n);
        reports_cmp_opts o = { .tolerance = 0.05 };
        reports_cmp_result r;
        char err[512] = "";
        int rc = reports_compare(dir, RUNS "/base", &o, &r, err, sizeof err);
        reports_cmp_free(&r);
        int hrc = reports_html_write(dir, NULL, err, sizeof err);
        if (rc == 0) accepted++;
        else {
            rejected++;
            CHECK_TRUE(rc == SIM_EPARSE);
            CHECK_TRUE(hrc == SIM_EPARSE);
            CHECK_CONTAINS(err, "summary.json");
        }
        if (n == len) break;
    }
    /* Only the complete file (plus at most trailing white space) parses. */
    CHECK_EQ_I64(accepted, 1);
    CHECK_EQ_I64(rejected, tried - 1);
    CHECK_TRUE(tried > 20);
    free(text);
    tests_rmtree(dir);
    free(dir);
}

/* Valid JSON, wrong shapes: components an array, numbers as strings,
 * links as numbers, a huge fan-out, deep nesting. Nothing may crash; the
 * page is still written. */
static void test_odd_shapes(void)
{
    const char *odd[] = {
        "{\"schema\": \"cdnsim.summary/1\"}",
        "{\"schema\": \"cdnsim.summary/1\", \"scenario\": 5, \"components\": [1, 2, 3], \"latency_ms\": \"fast\"}",
        ("{\"schema\": \"cdnsim.summary/1\", \"scenario\": {\"name\": 7, \"description\": null},"
         " \"requests\": {\"completed\": \"many\", \"failed\": -1},"
         " \"components\": {\"a\": 1, \"b\": {\"links\": \"a\"}, \"c\": {\"links\": [1, null, {}, \"zz\", \"c\"],"
         " \"kind\": 3, \"latency_ms\": [1, 2]}}}"),
        ("{\"schema\": \"cdnsim.summary/1\", \"by_op\": {\"GET\": 5, \"PUT\": {\"latency_ms\": {\"p99\": \"x\"}}},"
         " \"replications\": \"six\", \"partial\": \"maybe\", \"seed\": 1e300}"),
        "{\"schema\": \"cdnsim.summary/1\", \"components\": {\"x\": {\"links\": [\"y\"]}, \"y\": {\"links\": [\"x\"]}}}",
        "{\"schema\": \"cdnsim.summary/1\", \"a\": {\"b\": {\"c\": {\"d\": {\"e\": {\"f\": {\"g\": 1}}}}}}}",
    };
    char *dir = tests_mkdtemp();
    char err[512];
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        write_in(dir, "summary.json", odd[i], strlen(odd[i]));
        CHECK_EQ_I64(reports_html_write(dir, NULL, err, sizeof err), 0);
        reports_plot_result pr;
        CHECK_EQ_I64(reports_plots_write(dir, "/nonexistent/gnuplot", &pr, err, sizeof err), 0);
        reports_cmp_opts o = { .tolerance = 0.05, .allow_different = 1 };
        reports_cmp_result r;
        int rc = reports_compare(dir, RUNS "/base", &o, &r, err, sizeof err);
        CHECK_EQ_I64(rc, 0);
        reports_cmp_free(&r);
        cJSON *j = cJSON_Parse(odd[i]), *k = cJSON_Parse(odd[(i + 1) % (sizeof odd / sizeof *odd)]);
        const cJSON *two[2] = { j, k };
        cJSON *agg = reports_aggregate_summaries(two, 2, 1, NULL, NULL);
        CHECK_TRUE(agg != NULL);
        cJSON_Delete(agg);
        cJSON_Delete(j);
        cJSON_Delete(k);
    }
    /* A cycle of links still gives a finite diagram. */
    char path[4096];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = tests_read_file(path, NULL);
    CHECK_CONTAINS(html, "</html>");
    free(html);
    /* Malformed CSVs next to a good summary: bad input, never a crash. */
    char *sum = tests_read_file(RUNS "/base/summary.json", NULL);
    write_in(dir, "summary.json", sum, strlen(sum));
    free(sum);
    const char *csvs[] = { "", "t_s\n1,2\n", "t_s,offered\n\"1,2\n", "\n\n\n", "t_s,event,target,detail\n1,a,b\n" };
    for (size_t i = 0; i < sizeof csvs / sizeof *csvs; i++) {
        write_in(dir, "events.csv", csvs[i], strlen(csvs[i]));
        write_in(dir, "timeseries.csv", csvs[i], strlen(csvs[i]));
        reports_plot_result pr;
        CHECK_EQ_I64(reports_plots_write(dir, "/nonexistent/gnuplot", &pr, err, sizeof err), SIM_EPARSE);
        CHECK_EQ_I64(reports_html_write(dir, NULL, err, sizeof err), SIM_EPARSE);
        CHECK_CONTAINS(err, "events.csv");
    }
    tests_rmtree(dir);
    free(dir);
}

void test_reports_fuzz_register(void)
{
    static const tests_case cases[] = {
        { "truncated_summaries", test_truncated_summaries },
        { "odd_shapes", test_odd_shapes },
        { NULL, NULL },
    };
    tests_add_suite("reports_fuzz", cases);
}
