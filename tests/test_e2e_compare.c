/* tests/test_e2e_compare.c - `cdnsim compare` as a CI job runs it: every exit
 * code (0 no regression, 1 regression, 2 bad input), every format, --help. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "tests/harness.h"

#define RUNS "tests/data/runs"

static int compare(const char *args, char **out, char **err)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "%s compare %s", tests_cdnsim_bin(), args);
    return tests_run(cmd, out, err);
}

static void test_exit_codes(void)
{
    struct {
        const char *args;
        int want;
        const char *in_out, *in_err;
    } cases[] = {
        { RUNS "/base " RUNS "/same", 0, "0 regressed", "" },
        { RUNS "/base " RUNS "/slow", 1, "REGRESSED", "" },
        { RUNS "/base " RUNS "/fast", 0, "improved", "" },
        { RUNS "/base_reps " RUNS "/slow_reps", 1, "Welch", "" },
        { RUNS "/base_reps " RUNS "/base_reps", 0, "0 regressed", "" },
        { RUNS "/base " RUNS "/slow --tolerance 25%", 0, "0 regressed", "" },
        { RUNS "/base " RUNS "/slow --metric '*:off'", 0, "ignored", "" },
        { RUNS "/base " RUNS "/slow --only-changes", 1, "(24 unchanged or ignored metrics not listed)", "" },
        { RUNS "/base " RUNS "/other", 2, "", "different scenarios" },
        { RUNS "/base " RUNS "/same --metric latncy_ms.p99:off", 0, "0 regressed", "matches no metric" },
        { RUNS "/base " RUNS "/other --allow-different", 0, "different scenarios", "" },
        { RUNS "/base " RUNS "/bad", 2, "", "bad/summary.json:4:" },
        { RUNS "/base " RUNS "/missing", 2, "", "missing/summary.json: cannot read" },
        { RUNS "/base", 2, "", "expected BASE_DIR and CAND_DIR" },
        { RUNS "/base " RUNS "/same " RUNS "/slow", 2, "", "a third" },
        { RUNS "/base " RUNS "/same --tolerance", 2, "", "--tolerance needs a value" },
        { RUNS "/base " RUNS "/same --tolerance lots", 2, "", "expected a percentage" },
        { RUNS "/base " RUNS "/same --metric p99", 2, "", "expected NAME:TOL" },
        { RUNS "/base " RUNS "/same --format yaml", 2, "", "expected text, markdown or json" },
        { RUNS "/base " RUNS "/same --frobnicate", 2, "", "unknown option '--frobnicate'" },
        { "--help", 0, "exit status", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL, *err = NULL;
        int rc = compare(cases[i].args, &out, &err);
        if (rc != cases[i].want) fprintf(stderr, "compare %s: exit %d\nstdout: %.2000s\nstderr: %s\n", cases[i].args, rc, out, err);
        CHECK_EQ_I64(rc, cases[i].want);
        CHECK_CONTAINS(out, cases[i].in_out);
        CHECK_CONTAINS(err, cases[i].in_err);
        free(out);
        free(err);
    }
}

static void test_formats(void)
{
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(compare(RUNS "/base " RUNS "/slow --format markdown", &out, &err), 1);
    CHECK_CONTAINS(out, "| metric | base | candidate | change | p | verdict |");
    CHECK_CONTAINS(out, "| `latency_ms.p99` | 180.4 | 216.48 | +20.0% | - | **REGRESSED** |");
    CHECK_CONTAINS(out, "single runs: judged by tolerance alone");
    free(out);
    free(err);
    CHECK_EQ_I64(compare(RUNS "/base_reps " RUNS "/slow_reps --format=json", &out, &err), 1);
    cJSON *j = cJSON_Parse(out);
    CHECK_TRUE(j != NULL);
    if (j) {
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "schema")), "cdnsim.compare/1");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "mode")), "welch");
        CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(j, "regression")));
        cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "metrics"), 0);
        CHECK_TRUE(cJSON_GetObjectItem(m, "p") && cJSON_GetObjectItem(m, "verdict"));
        CHECK_TRUE(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "regressed")) > 0);
        cJSON_Delete(j);
    }
    free(out);
    free(err);
    /* The text table has the columns the issue asks for and a closing line. */
    CHECK_EQ_I64(compare(RUNS "/base " RUNS "/same", &out, &err), 0);
    CHECK_CONTAINS(out, "metric");
    CHECK_CONTAINS(out, "candidate");
    CHECK_CONTAINS(out, "change");
    CHECK_CONTAINS(out, "verdict");
    CHECK_CONTAINS(out, "0 regressed, 0 improved, 70 unchanged");
    free(out);
    free(err);
}

/* Real runs of tests/data/runs/disk.json (one client, one disk, M/M/1 at
 * utilisation about 0.4): the same scenario and seed twice passes; a
 * candidate whose disk is 20% slower (--set on the disk's access time) is a
 * regression, with the disk's utilization up by the same 20%. */
static void test_real_runs(void)
{
    char *dir = tests_mkdtemp();
    char cmd[8192];
    const char *bin = tests_cdnsim_bin();
    snprintf(cmd, sizeof cmd,
             "%s run " RUNS "/disk.json --out %s/base --quiet --no-report && "
             "%s run " RUNS "/disk.json --out %s/same --quiet --no-report && "
             "%s run " RUNS "/disk.json --out %s/slow --quiet --no-report --set 'components.disk.access={\"exp\": \"2.4ms\"}'",
             bin, dir, bin, dir, bin, dir);
    char *out = NULL, *err = NULL;
    int rc = tests_run(cmd, &out, &err);
    if (rc != 0) fprintf(stderr, "%s\n%s%s", cmd, out, err);
    CHECK_EQ_I64(rc, 0);
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s/base %s/same", dir, dir);
    CHECK_EQ_I64(compare(cmd, &out, &err), 0);
    CHECK_CONTAINS(out, "\n0 regressed, 0 improved");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s/base %s/slow --format json", dir, dir);
    CHECK_EQ_I64(compare(cmd, &out, &err), 1);
    cJSON *j = cJSON_Parse(out);
    CHECK_TRUE(j != NULL);
    int seen = 0;
    cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(j, "metrics")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(m, "name"));
        const char *verdict = cJSON_GetStringValue(cJSON_GetObjectItem(m, "verdict"));
        double change = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "change"));
        if (name && !strcmp(name, "latency_ms.p99")) {
            CHECK_STR(verdict, "REGRESSED");
            seen++;
        }
        if (name && !strcmp(name, "components.disk.utilization")) {
            /* Same arrivals, service 20% longer: utilization exactly 20% up
             * up to the transfer time (4 KiB at 1 GB/s, 0.2% of the service). */
            CHECK_STR(verdict, "REGRESSED");
            CHECK_NEAR(change, 0.20, 0.005);
            seen++;
        }
        if (name && !strcmp(name, "throughput_rps")) {
            CHECK_STR(verdict, "unchanged");
            seen++;
        }
    }
    CHECK_EQ_I64(seen, 3);
    cJSON_Delete(j);
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

static double num_at(const char *file, const char *path)
{
    char *text = tests_read_file(file, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    double v = NAN;
    cJSON *n = j;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok(buf, "."); n && k; k = strtok(NULL, ".")) n = cJSON_GetObjectItem(n, k);
    if (cJSON_IsNumber(n)) v = n->valuedouble;
    cJSON_Delete(j);
    return v;
}

/* The same with replications: `run --reps 5 --jobs 2` on both sides, so
 * compare uses Welch's test. The slowed disk regresses with p < 0.05; five
 * replications with another base seed do not. Replication 0 is the plain
 * run with the base seed. */
static void test_real_replications(void)
{
    char *dir = tests_mkdtemp();
    char cmd[8192];
    const char *bin = tests_cdnsim_bin();
    snprintf(cmd, sizeof cmd,
             "%s run " RUNS "/disk.json --reps 5 --jobs 2 --out %s/base --quiet && "
             "%s run " RUNS "/disk.json --reps 5 --jobs 2 --seed 99 --out %s/other --quiet --no-report && "
             "%s run " RUNS "/disk.json --reps 5 --jobs 2 --out %s/slow --quiet --no-report "
             "--set 'components.disk.access={\"exp\": \"2.4ms\"}' && "
             "%s run " RUNS "/disk.json --out %s/single --quiet --no-report",
             bin, dir, bin, dir, bin, dir, bin, dir);
    char *out = NULL, *err = NULL;
    int rc = tests_run(cmd, &out, &err);
    if (rc != 0) fprintf(stderr, "%s\n%s%s", cmd, out, err);
    CHECK_EQ_I64(rc, 0);
    free(out);
    free(err);
    char path[4200], path2[4200];
    snprintf(path, sizeof path, "%s/base/summary.json", dir);
    CHECK_NEAR(num_at(path, "replications.count"), 5, 0);
    CHECK_TRUE(num_at(path, "latency_ms.p99_ci") > 0);
    snprintf(path2, sizeof path2, "%s/base/report.html", dir);
    CHECK_EQ_I64(access(path2, R_OK), 0);
    snprintf(path, sizeof path, "%s/base/reps/0/summary.json", dir);
    snprintf(path2, sizeof path2, "%s/single/summary.json", dir);
    CHECK_NEAR(num_at(path, "latency_ms.p99"), num_at(path2, "latency_ms.p99"), 0);
    CHECK_NEAR(num_at(path, "requests.completed"), num_at(path2, "requests.completed"), 0);
    snprintf(path, sizeof path, "%s/base/reps/4/summary.json", dir);
    CHECK_EQ_I64(access(path, R_OK), 0);

    snprintf(cmd, sizeof cmd, "%s/base %s/slow", dir, dir);
    CHECK_EQ_I64(compare(cmd, &out, &err), 1);
    CHECK_CONTAINS(out, "Welch's t-test gives p < 0.05");
    CHECK_CONTAINS(out, "(disk-check, 5 replications)");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s/base %s/other", dir, dir);
    CHECK_EQ_I64(compare(cmd, &out, &err), 0);
    CHECK_CONTAINS(out, "\n0 regressed");
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

void test_e2e_compare_register(void)
{
    static const tests_case cases[] = {
        { "exit_codes", test_exit_codes },
        { "formats", test_formats },
        { "real_runs", test_real_runs },
        { "real_replications", test_real_replications },
        { NULL, NULL },
    };
    tests_add_suite("e2e_compare", cases);
}
