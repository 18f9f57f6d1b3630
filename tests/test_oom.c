/* tests/test_oom.c - out of memory: a scenario is loaded, run and
 * summarised inside the test process while one of cdnsim's allocations fails
 * (tests/failalloc.h), at each of many positions in turn, and in a second
 * pass every allocation from that position on fails.
 *
 * Whatever fails, nothing may crash, and every step must either work or say
 * SIM_ENOMEM (world_load may also report it as a located error); under
 * `make check-asan` a leak or a use after free on any of these paths fails
 * the run. A run may get through a failure (the pending-event set falls back
 * to its heap), but then its summary must be the clean run's: a simulator
 * short of memory must not fail the modelled system's requests or drop its
 * cache entries and report that as the system's behaviour.
 *
 * Positions: every allocation when a clean run makes at most MAX_POS of them
 * (60 under the sanitizers), else that many spread evenly over them (always
 * including the first and the last), so the suite's time stays bounded as
 * scenarios grow: about 10 s, 2.5 ms a run. OOM_ALL=1 in the environment
 * tries every position (two minutes here; docs/development.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app/world.h"
#include "sim/errors.h"
#include "tests/failalloc.h"
#include "tests/harness.h"
#include "tests/scenario_world.h"

enum { MAX_POS = 200, MAX_POS_ASAN = 60 };

/* One load, run and summary of `path` with `sets`, allocation fail_at
 * failing (and with from_on every later one; 0: none). Returns how many
 * allocations failed; *steps_ok gets whether every step worked and, when
 * count is not NULL, *count how many allocations were made. */
static long attempt(const char *path, const char *const *sets, size_t nsets, long fail_at, int from_on, int *steps_ok,
                    long *count, char **summary)
{
    world_opts o;
    scenario_world_opts(&o, sets, nsets);
    conf_errors errs;
    conf_errors_init(&errs);
    world w;
    failalloc_arm(fail_at, from_on);
    int rc = world_load(&w, path, &o, &errs);
    int ok = rc == 0;
    *summary = NULL;
    if (rc != 0 && rc != SIM_ENOMEM && rc != SIM_EPARSE) {
        fprintf(stderr, "\n    %s: allocation %ld failed, world_load returned %d (%s)\n", path, fail_at, rc,
                sim_strerror(rc));
        CHECK_TRUE(rc == SIM_ENOMEM || rc == SIM_EPARSE);
    }
    cJSON *s = NULL;
    if (rc == 0) {
        rc = world_run(&w, &o);
        if (rc != 0 && rc != SIM_ENOMEM) {
            fprintf(stderr, "\n    %s: allocation %ld failed, world_run returned %d (%s)\n", path, fail_at, rc,
                    sim_strerror(rc));
            CHECK_TRUE(rc == SIM_ENOMEM);
        }
        ok = ok && rc == 0;
        s = world_summary(&w);
        ok = ok && s != NULL;
    }
    /* what cdnsim did ends here: the test's own printing must not fail */
    long failed = failalloc_failed();
    if (count) *count = failalloc_count();
    failalloc_arm(0, 0);
    if (s) { /* wall-clock fields aside, a summary is the same every run */
        cJSON_DeleteItemFromObject(s, "wall_s");
        cJSON_DeleteItemFromObject(s, "events_per_s");
        *summary = ok ? cJSON_PrintUnformatted(s) : NULL;
        cJSON_Delete(s);
    }
    world_free(&w);
    conf_errors_free(&errs);
    *steps_ok = ok;
    return failed;
}

/* The whole sweep for one scenario. */
static void sweep(const char *path, const char *const *sets, size_t nsets)
{
    int ok;
    long total;
    char *clean;
    attempt(path, sets, nsets, 0, 0, &ok, &total, &clean);
    CHECK_TRUE(ok);
    CHECK_TRUE(total > 0);
    if (!ok || total <= 0 || !clean) {
        free(clean);
        return;
    }
    long max = getenv("OOM_ALL") ? total : tests_under_asan() ? MAX_POS_ASAN : MAX_POS;
    long npos = total < max ? total : max, tried = 0, failed_runs = 0, changed = 0;
    /* OOM_AT=N or N+ in the environment: that failure only (N+: from N on),
     * to look at it in a debugger (break on failalloc.c's fail_now) */
    const char *only = getenv("OOM_AT");
    for (int from_on = 0; from_on <= 1; from_on++)
        for (long i = 0; i < npos; i++) {
            long at = npos == total ? i + 1 : 1 + (long)((double)i * (double)(total - 1) / (double)(npos - 1));
            if (only && (atol(only) != at || (strchr(only, '+') != NULL) != from_on)) continue;
            int steps_ok;
            char *sum;
            long nfailed = attempt(path, sets, nsets, at, from_on, &steps_ok, NULL, &sum);
            tried++;
            /* the allocation armed was reached (the runs are deterministic) */
            CHECK_TRUE(nfailed >= 1);
            failed_runs += !steps_ok;
            if (steps_ok && (!sum || strcmp(sum, clean))) {
                changed++;
                fprintf(stderr, "\n    %s: allocation %ld%s failed, the run said 0, its summary changed", path, at,
                        from_on ? " and every later one" : "");
            }
            free(sum);
        }
    CHECK_EQ_I64(changed, 0);
    free(clean);
    fprintf(stderr, "\n    %s: %ld allocations in a clean run; %ld failure runs, %ld of them reported a failure ",
            path, total, tried, failed_runs);
}

/* One test per scenario, each shortened so that a sweep stays quick; the
 * fault stories get their fault early. */
#define OOM_CASE(name, path, ...)                                         \
    static void test_##name(void)                                         \
    {                                                                     \
        static const char *const sets[] = { __VA_ARGS__ };                \
        sweep(path, sets, sizeof sets / sizeof sets[0]);                  \
    }

OOM_CASE(demo, "scenarios/demo.json", "duration=2s", "warmup=1s", "defaults.client.objects=1000")
OOM_CASE(writes, "scenarios/writes.json", "duration=2s", "warmup=1s")
OOM_CASE(cache_herd, "scenarios/cache-herd.json", "duration=3s", "warmup=1s")
OOM_CASE(disk_stalls, "scenarios/disk-stalls.json", "duration=3s", "warmup=1s")
OOM_CASE(lb_policies, "scenarios/lb-policies.json", "duration=3s", "warmup=1s")
OOM_CASE(server_crash, "scenarios/faults/server-crash.json", "duration=4s", "warmup=1s",
         "faults=[{\"at\": \"2s\", \"crash\": \"web-2\", \"recover\": \"3s\"}]")
OOM_CASE(db_failover, "scenarios/faults/db-failover.json", "duration=4s", "warmup=1s",
         "faults=[{\"at\": \"2s\", \"crash\": \"db-1\", \"recover\": \"3s\"}]")
OOM_CASE(cache_outage, "scenarios/faults/cache-outage-replicas.json", "duration=4s", "warmup=1s",
         "faults=[{\"at\": \"2s\", \"flush\": \"cache\"}]")
OOM_CASE(edge_outage, "scenarios/faults/edge-outage.json", "duration=4s", "warmup=1s",
         "faults=[{\"at\": \"2s\", \"crash\": {\"group\": \"edge\", \"region\": \"eu-west\"}}]")
OOM_CASE(retry_storm, "scenarios/faults/retry-storm.json", "duration=4s", "warmup=1s",
         "faults=[{\"at\": \"2s\", \"for\": \"1s\", \"slow\": \"api\", \"factor\": 4}]")
OOM_CASE(hedging, "scenarios/faults/hedging.json", "duration=3s", "warmup=1s")
OOM_CASE(disk_rounds, "calib/chunkio-model.json", "duration=3s", "components.bench.concurrency=16",
         "components.bench.mix={\"GET\": \"70%\", \"PUT\": \"30%\"}",
         "components.disk.bandwidth_curve=[[1,1.6e9],[16,3e9]]", "components.disk.transfer_order=\"rounds\"",
         "components.disk.round_wake={\"uniform\":{\"low\":\"59us\",\"high\":\"89us\"}}",
         "components.disk.completion_cpus=2",
         "components.disk.completion_time={\"uniform\":{\"low\":\"8.5us\",\"high\":\"25.5us\"}}")

void test_oom_register(void)
{
    static const tests_case cases[] = {
        { "demo", test_demo },
        { "writes", test_writes },
        { "cache_herd", test_cache_herd },
        { "disk_stalls", test_disk_stalls },
        { "lb_policies", test_lb_policies },
        { "server_crash", test_server_crash },
        { "db_failover", test_db_failover },
        { "cache_outage", test_cache_outage },
        { "edge_outage", test_edge_outage },
        { "retry_storm", test_retry_storm },
        { "hedging", test_hedging },
        { "disk_rounds", test_disk_rounds },
        { NULL, NULL },
    };
    tests_add_suite("oom", cases);
}
