/* tests/test_cache_replay.c - replaying a trace in a full scenario
 * (trace_replay -> cdn_edge -> origin): times honoured and compressed, a
 * rate instead of the trace's times, exact agreement with cachesim when
 * nothing overlaps, and bad traces reported at the scenario's location. */
#include <limits.h>
#include <stdlib.h>

#include "app/world.h"
#include "models/cache/cache.h"
#include "models/trace.h"
#include "tests/harness.h"
#include "tests/scenario_world.h"
#include "tests/suite_dir.h"

static char trace_path[PATH_MAX];

static int setup(void)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/traces/sdsc-http.csv", tests_shared_dir());
    if (!realpath(rel, trace_path)) return 1;
    return suite_dir_setup();
}

/* Writes a scenario: the replay (extra JSON members in `replay`) -> edge
 * (LRU, 100 one-byte objects, no service time) -> origin (no service time),
 * no network delay, `duration`. Runs it; returns the world (caller frees)
 * or NULL when loading failed, with the errors printed into err. */
static world *run(const char *replay, const char *duration, char *err, size_t errn)
{
    char path[600], text[PATH_MAX + 1200];
    snprintf(path, sizeof path, "%s/replay.json", suite_dir);
    snprintf(text, sizeof text,
             "{\"name\": \"replay\", \"duration\": \"%s\", \"regions\": {\"dc\": {}},\n"
             " \"network\": {\"same_region\": {\"delay\": \"0\", \"bandwidth\": \"1TB/s\"}},\n"
             " \"components\": [\n"
             "  {\"id\": \"trace\", \"kind\": \"trace_replay\", \"region\": \"dc\", \"to\": \"edge\", %s},\n"
             "  {\"id\": \"edge\", \"kind\": \"cdn_edge\", \"region\": \"dc\", \"cache_size\": \"100B\", \"policy\": \"lru\",\n"
             "   \"upstream\": \"origin\", \"service\": \"0\"},\n"
             "  {\"id\": \"origin\", \"kind\": \"server\", \"region\": \"dc\", \"servers\": 1000, \"service\": \"0\"}]}\n",
             duration, replay);
    CHECK_EQ_I64(tests_write_file(path, text), 0);
    world_opts o;
    scenario_world_opts(&o, NULL, 0);
    world *w = calloc(1, sizeof *w);
    conf_errors errs;
    conf_errors_init(&errs);
    int rc = world_load(w, path, &o, &errs);
    if (err) {
        err[0] = 0;
        FILE *f = fmemopen(err, errn, "w");
        if (f) {
            conf_errors_print(&errs, f);
            fclose(f);
        }
    }
    conf_errors_free(&errs);
    if (rc != 0) {
        world_free(w);
        free(w);
        return NULL;
    }
    CHECK_EQ_I64(world_run(w, &o), 0);
    return w;
}

/* Requests of sdsc-http.csv with time < limit, counted independently. */
static uint64_t count_before(double limit)
{
    FILE *f = fopen(trace_path, "r");
    char line[256];
    uint64_t n = 0;
    if (!f) return 0;
    if (!fgets(line, sizeof line, f)) n = 0;
    while (fgets(line, sizeof line, f))
        if (atof(line) < limit) n++;
    fclose(f);
    return n;
}

static void test_times_honoured_and_compressed(void)
{
    char replay[PATH_MAX + 200];
    uint64_t want = count_before(2000); /* trace times are seconds from the start */
    CHECK_TRUE(want > 100);
    /* 2000 s of simulated time: the requests of the trace's first 2000 s. */
    snprintf(replay, sizeof replay, "\"trace\": \"%s\", \"ignore_size\": true", trace_path);
    world *w = run(replay, "2000s", NULL, 0);
    CHECK_TRUE(w != NULL);
    if (w) {
        CHECK_EQ_U64(scenario_world_find(w, "trace")->requests, want);
        world_free(w);
        free(w);
    }
    /* Ten times faster: the same requests in 200 s. */
    snprintf(replay, sizeof replay, "\"trace\": \"%s\", \"ignore_size\": true, \"speedup\": 10", trace_path);
    w = run(replay, "200s", NULL, 0);
    CHECK_TRUE(w != NULL);
    if (w) {
        CHECK_EQ_U64(scenario_world_find(w, "trace")->requests, want);
        world_free(w);
        free(w);
    }
    /* time_unit 10 ms: the trace's 2000 s become 20 s. */
    snprintf(replay, sizeof replay, "\"trace\": \"%s\", \"ignore_size\": true, \"time_unit\": \"10ms\"", trace_path);
    w = run(replay, "20s", NULL, 0);
    CHECK_TRUE(w != NULL);
    if (w) {
        CHECK_EQ_U64(scenario_world_find(w, "trace")->requests, want);
        world_free(w);
        free(w);
    }
}

/* With a rate instead of the trace's times, no delays anywhere and gaps
 * that are never zero, each request is answered (and its miss filled)
 * before the next one arrives: the edge must see exactly what cachesim
 * sees on the same trace: LRU, 100 objects. */
static void test_rate_matches_cachesim(void)
{
    char replay[PATH_MAX + 200];
    snprintf(replay, sizeof replay, "\"trace\": \"%s\", \"ignore_size\": true, \"rate\": \"1000/s\"", trace_path);
    world *w = run(replay, "60s", NULL, 0);
    CHECK_TRUE(w != NULL);
    if (!w) return;
    component *edge = scenario_world_find(w, "edge");
    const cache_stats *st = cache_get_stats(edge->cache);
    CHECK_EQ_U64(st->requests, 25050);

    trace_opts o = { .format = TRACE_CSV, .time_col = 1, .id_col = 2, .size_col = 3, .ignore_size = true };
    cache_params cp = { .policy = "lru", .capacity = 100 };
    cache *c = NULL;
    trace_reader r;
    CHECK_EQ_I64(cache_create(&cp, &c), 0);
    CHECK_EQ_I64(trace_open(&r, trace_path, &o), 0);
    trace_req q[512];
    long k;
    while ((k = trace_read(&r, q, 512)) > 0)
        for (long i = 0; i < k; i++) cache_get(c, q[i].id, q[i].size, 0);
    CHECK_EQ_U64(st->hits, cache_get_stats(c)->hits);
    trace_close(&r);
    cache_free(c);
    world_free(w);
    free(w);
}

static void test_bad_trace(void)
{
    char replay[PATH_MAX + 200], err[4096];
    char bad[600];
    snprintf(bad, sizeof bad, "%s/bad.csv", suite_dir);
    tests_write_file(bad, "time,id,size\n1,1,1\n2,x\n");
    snprintf(replay, sizeof replay, "\"trace\": \"%s\"", bad);
    /* The first batch is read when the scenario loads: the bad line is
     * reported at components[0].trace, before anything runs. */
    world *w = run(replay, "10s", err, sizeof err);
    CHECK_TRUE(w == NULL);
    CHECK_CONTAINS(err, "components[0].trace");
    CHECK_CONTAINS(err, "bad.csv:3: expected at least 3 columns, found 2");
    snprintf(replay, sizeof replay, "\"trace\": \"missing.csv\"");
    w = run(replay, "10s", err, sizeof err);
    CHECK_TRUE(w == NULL);
    CHECK_CONTAINS(err, "missing.csv: cannot open");
    /* skip_bad: the good request is replayed, the bad line counted. */
    snprintf(replay, sizeof replay, "\"trace\": \"%s\", \"skip_bad\": true", bad);
    w = run(replay, "10s", err, sizeof err);
    CHECK_TRUE(w != NULL);
    if (w) {
        CHECK_EQ_U64(scenario_world_find(w, "trace")->requests, 1);
        world_free(w);
        free(w);
    }
}

void test_cache_replay_register(void)
{
    static const tests_case cases[] = {
        { "times_honoured_and_compressed", test_times_honoured_and_compressed },
        { "rate_matches_cachesim", test_rate_matches_cachesim },
        { "bad_trace", test_bad_trace },
        { NULL, NULL },
    };
    CU_pSuite s = CU_add_suite("cache_replay", setup, suite_dir_teardown);
    for (const tests_case *c = cases; c->name; c++) CU_add_test(s, c->name, c->fn);
}
