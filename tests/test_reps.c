/* tests/test_reps.c - replications as child processes (app/reps.c), with a
 * stand-in for `cdnsim run` (tests/data/fake_run.sh) so the process
 * handling is tested without the models: seeds, directories, arguments,
 * parallelism limits, failures, aggregation and the report. */
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "app/reps.h"
#include "reports/rjson.h"
#include "sim/rng.h"
#include "tests/harness.h"

#define FAKE "tests/data/fake_run.sh"

static void test_parse_count(void)
{
    unsigned v = 0;
    CHECK_EQ_I64(app_reps_parse_count("8", 1000, &v), 0);
    CHECK_EQ_U64(v, 8);
    const char *bad[] = { "", "0", "-1", "1001", "3x", " 3", "99999999999999999999", NULL };
    for (int i = 0; bad[i]; i++) CHECK_EQ_I64(app_reps_parse_count(bad[i], 1000, &v), -1);
}

static void test_replications(void)
{
    char *dir = tests_mkdtemp();
    char out[4096];
    snprintf(out, sizeof out, "%s/run", dir);
    /* A stale replication from an earlier, bigger run must disappear. */
    char stale[9000];
    snprintf(stale, sizeof stale, "mkdir -p %s/reps/5 && touch %s/reps/5/summary.json", out, out);
    CHECK_EQ_I64(system(stale), 0);
    const char *sets[] = { "duration=10s", "components.disk.access={\"exp\": \"6ms\"}" };
    FILE *log = tmpfile();
    app_reps_opts o = { .exe = FAKE, .scenario = "scn.json", .seed = 42, .outdir = out, .sets = sets,
                        .nsets = 2, .reps = 5, .jobs = 2, .log = log };
    CHECK_EQ_I64(app_reps_run(&o), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/reps/5", out);
    CHECK_TRUE(access(path, F_OK) != 0);
    double sum = 0;
    for (unsigned k = 0; k < 5; k++) {
        uint64_t s = sim_rng_rep_seed(42, k);
        snprintf(path, sizeof path, "%s/reps/%u/args.txt", out, k);
        char *args = tests_read_file(path, NULL);
        char want[5200];
        snprintf(want, sizeof want, "run scn.json --seed %llu --out %s/reps/%u --quiet --no-report --set duration=10s "
                 "--set components.disk.access={\"exp\": \"6ms\"}\n", (unsigned long long)s, out, k);
        CHECK_STR(args, want);
        free(args);
        sum += (double)(s % 1000);
    }
    cJSON *agg = NULL;
    char err[512];
    snprintf(path, sizeof path, "%s/summary.json", out);
    CHECK_EQ_I64(reports_json_load(path, &agg, err, sizeof err), 0);
    CHECK_NEAR(reports_json_num(agg, "replications.count", 0), 5, 0);
    CHECK_NEAR(reports_json_num(agg, "latency_ms.p99", 0), sum / 5, 1e-6);
    CHECK_TRUE(reports_json_num(agg, "latency_ms.p99_ci", -1) > 0);
    CHECK_NEAR(reports_json_num(agg, "seed", 0), 42, 0);
    cJSON_Delete(agg);
    snprintf(path, sizeof path, "%s/report.html", out);
    CHECK_EQ_I64(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/reps/0/run.log", out);
    char *rl = tests_read_file(path, NULL);
    CHECK_CONTAINS(rl, "summary: ");
    free(rl);
    /* Progress lines on the log. */
    fflush(log);
    rewind(log);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, log);
    buf[n] = '\0';
    CHECK_CONTAINS(buf, "running 5 replications of scn.json, 2 at a time");
    CHECK_CONTAINS(buf, "replication 5/5 done");
    fclose(log);
    tests_rmtree(dir);
    free(dir);
}

static void test_failures(void)
{
    char *dir = tests_mkdtemp();
    char out[4096];
    snprintf(out, sizeof out, "%s/run", dir);
    FILE *log = tmpfile();
    app_reps_opts o = { .exe = FAKE, .scenario = "bad.json", .seed = 1, .outdir = out, .reps = 3, .jobs = 1,
                        .quiet = 1, .log = log };
    CHECK_EQ_I64(app_reps_run(&o), 2);
    char buf[8192];
    fflush(log);
    rewind(log);
    size_t n = fread(buf, 1, sizeof buf - 1, log);
    buf[n] = '\0';
    CHECK_CONTAINS(buf, "replication 0 (seed 1) failed with exit 2");
    CHECK_CONTAINS(buf, "bad.json:1:1: expected a scenario");
    /* jobs = 1: the first failure stops the rest from starting. */
    char path[4200];
    snprintf(path, sizeof path, "%s/reps/1", out);
    CHECK_TRUE(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/summary.json", out);
    CHECK_TRUE(access(path, F_OK) != 0);
    fclose(log);

    /* A replication whose run fails (exit 1): the whole run fails. Find a
     * base seed whose replication 1 seed ends in 7. */
    uint64_t base = 0;
    while (sim_rng_rep_seed(base, 1) % 10 != 7 || sim_rng_rep_seed(base, 0) % 10 == 7) base++;
    log = tmpfile();
    app_reps_opts f = { .exe = FAKE, .scenario = "fail.json", .seed = base, .outdir = out, .reps = 2, .jobs = 2,
                        .quiet = 1, .log = log };
    CHECK_EQ_I64(app_reps_run(&f), 1);
    fflush(log);
    rewind(log);
    n = fread(buf, 1, sizeof buf - 1, log);
    buf[n] = '\0';
    CHECK_CONTAINS(buf, "model exploded");
    fclose(log);
    /* A program that cannot be executed. */
    log = tmpfile();
    app_reps_opts x = { .exe = "/nonexistent/cdnsim", .scenario = "s.json", .seed = 1, .outdir = out, .reps = 2,
                        .jobs = 2, .quiet = 1, .log = log };
    CHECK_EQ_I64(app_reps_run(&x), 1);
    fclose(log);
    app_reps_opts z = { .exe = FAKE, .scenario = "s.json", .outdir = out, .reps = 0, .log = stderr };
    CHECK_EQ_I64(app_reps_run(&z), 2);
    tests_rmtree(dir);
    free(dir);
}

void test_reps_register(void)
{
    static const tests_case cases[] = {
        { "parse_count", test_parse_count },
        { "replications", test_replications },
        { "failures", test_failures },
        { NULL, NULL },
    };
    tests_add_suite("reps", cases);
}
