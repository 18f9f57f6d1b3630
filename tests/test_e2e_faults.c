/* tests/test_e2e_faults.c - the fault scenarios in scenarios/faults/ run end
 * to end, and each shows what its description promises a student. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tests/e2e.h"
#include "tests/harness.h"

static const cJSON *fault0(const e2e_run *r)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(r->summary, "faults");
    return cJSON_IsArray(fs) ? cJSON_GetArrayItem(fs, 0) : NULL;
}

/* Health checks every 1 s, timeout 1 s, 3 failures: web-2 crashes at 30 s
 * and is marked down 3 to 4 s later (plus at most one probe's one-way
 * delay, under 1 ms here). Until then a quarter of the requests time out;
 * the last of them 500 ms (the client timeout) after the ejection; after
 * that, none until the end of the crash. The survivors run hotter. */
static void test_server_crash(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, "scenarios/faults/server-crash.json", NULL) != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *f = fault0(&r);
    double detect = e2e_num(f, "time_to_detect_s");
    CHECK_TRUE(detect >= 3.0 && detect < 4.001);
    double gone = 30 + detect + 0.5; /* the last request sent to web-2 times out by then */
    /* errors while undetected: about a quarter of ~500 requests per 0.5 s window */
    for (double t = 30.5; t + 0.5 <= 30 + detect; t += 0.5) {
        double to = e2e_sum_between(&r, "timed_out", t, t + 0.5);
        CHECK_TRUE(to > 80 && to < 170);
    }
    /* and none from the window after the last possible timeout to the recovery */
    double after = ceil(gone * 2) / 2;
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", after, 60), 0);
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "failed", 10, 90), 0);
    /* failures reported for the fault are the timeouts */
    CHECK_NEAR(e2e_num(f, "requests_failed"), e2e_sum_between(&r, "timed_out", 30, after), 0.5);
    /* three survivors take 1000/s at 2 ms each: utilisation 2/3 on average,
     * so some window reaches well above the 0.5 they ran at before */
    CHECK_TRUE(e2e_num(f, "peak_utilization_survivors") > 0.7);
    CHECK_NEAR(e2e_num(r.summary, "availability"), 1 - e2e_num(f, "requests_failed") / 80000.0, 0.002);
    CHECK_CONTAINS(r.events, "30.000000,crash,web-2,");
    CHECK_CONTAINS(r.events, ",health_down,web-2,");
    CHECK_CONTAINS(r.events, "60.000000,recover,web-2,");
    /* back after 2 good probes: 1 to 2 s after the recovery */
    const char *up = strstr(r.events, ",health_up,web-2,");
    CHECK_TRUE(up != NULL);
    if (up) {
        const char *ls = up;
        while (ls > r.events && ls[-1] != '\n') ls--;
        double t = strtod(ls, NULL);
        CHECK_TRUE(t >= 61.0 && t < 62.01);
    }
    e2e_run_free(&r);
    /* The same crash with "refuse": the dead process's host refuses
     * connections. Requests fail at once instead of timing out, and each
     * probe fails after one round trip instead of the 1 s timeout, so the
     * detection takes [2, 3) s (plus the round trip, under 2 ms here). */
    if (e2e_run_scenario(&r, "scenarios/faults/server-crash.json",
                     "--set 'faults=[{\"at\": \"30s\", \"crash\": \"web-2\", \"recover\": \"60s\", \"refuse\": true}]'") == 0) {
        f = fault0(&r);
        detect = e2e_num(f, "time_to_detect_s");
        CHECK_TRUE(detect >= 2.0 && detect < 3.002);
        double failed = e2e_sum_between(&r, "failed", 30, 34), to = e2e_sum_between(&r, "timed_out", 30, 90);
        CHECK_TRUE(failed > 300);
        CHECK_TRUE(to <= 3); /* only what web-2 was serving at the crash */
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "failed", ceil((30 + detect) * 2) / 2, 90), 0);
        CHECK_NEAR(e2e_num(f, "load_vs_offered"), 1.0, 0.01);
    }
    e2e_run_free(&r);
    /* Refused requests are errors the balancer sees: a breaker per backend
     * (5 in a row, open 5 s), with no health check, ejects web-2 after its
     * first 5 failures; each trial every 5 s fails once more; the trial
     * after the recovery closes it. 5 + 5 failures in all, 30 s of crash. */
    if (e2e_run_scenario(&r, "scenarios/faults/server-crash.json",
                     "--set 'faults=[{\"at\": \"30s\", \"crash\": \"web-2\", \"recover\": \"60s\", \"refuse\": true}]'"
                     " --set 'components.lb.breaker={\"consecutive\": 5, \"ratio\": 0, \"open_for\": \"5s\"}'"
                     " --set components.lb.health_check=null") == 0) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
        CHECK_EQ_I64((long long)e2e_num(req, "failed"), 10);
        CHECK_TRUE(e2e_num(req, "timed_out") <= 3);
        CHECK_TRUE(strstr(r.events, ",health_down,") == NULL);
        CHECK_CONTAINS(r.events, ",breaker_open,web-2,");
        const char *cl = strstr(r.events, ",breaker_close,web-2,");
        CHECK_TRUE(cl != NULL);
        if (cl) {
            const char *ls = cl;
            while (ls > r.events && ls[-1] != '\n') ls--;
            double t = strtod(ls, NULL);
            CHECK_TRUE(t >= 60.0 && t < 65.1);
        }
    }
    e2e_run_free(&r);
    /* A per-try timeout of 100 ms at the balancer with 1 retry on another
     * backend, no health check: the silent crash costs no request at all;
     * each one that tried web-2 is 100 ms late instead. */
    if (e2e_run_scenario(&r, "scenarios/faults/server-crash.json",
                     "--set components.lb.timeout=100ms --set components.lb.retries=1 --set components.lb.health_check=null") == 0) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
        CHECK_EQ_I64((long long)(e2e_num(req, "failed") + e2e_num(req, "timed_out")), 0);
        const cJSON *lb = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "lb");
        /* a quarter of ~15000 requests in the 30 s of crash after warm-up... */
        CHECK_TRUE(e2e_num(lb, "try_timeouts") > 6000 && e2e_num(lb, "try_timeouts") < 9000);
        CHECK_NEAR(e2e_num(lb, "try_retries"), e2e_num(lb, "try_timeouts"), 0.5);
        double p99 = e2e_num(cJSON_GetObjectItemCaseSensitive(r.summary, "latency_ms"), "p99");
        CHECK_TRUE(p99 > 100 && p99 < 130);
    }
    e2e_run_free(&r);
}

/* The retry storm: a 3 s slowdown at 30 s. Without a budget every timeout
 * is retried (4 attempts), the servers receive more than twice the offered
 * load during the blip, and the backlog of abandoned attempts keeps them
 * overloaded until the end of the run: no recovery, and the last 10 s are
 * still nearly all timeouts. With the budget (10% of the last 2 s of
 * requests + 1/s) the load stays at most 1.2x, and the run is healthy again
 * well before the end. */
static void test_retry_storm(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, "scenarios/faults/retry-storm.json", "--set components.users.retry.budget=false") == 0) {
        const cJSON *f = fault0(&r);
        CHECK_TRUE(e2e_num(f, "load_vs_offered") >= 2.0);
        CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f, "time_to_recover_s")));
        double off = e2e_sum_between(&r, "offered", 60, 70), to = e2e_sum_between(&r, "timed_out", 60, 70);
        CHECK_TRUE(to > 0.9 * off);
        const cJSON *users = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "users");
        CHECK_EQ_I64((long long)e2e_num(users, "retries_denied_by_budget"), 0);
        CHECK_TRUE(e2e_num(users, "retries") > e2e_num(users, "requests"));
    }
    e2e_run_free(&r);
    if (e2e_run_scenario(&r, "scenarios/faults/retry-storm.json", "--set components.users.retry.budget=true") == 0) {
        const cJSON *f = fault0(&r);
        double load = e2e_num(f, "load_vs_offered");
        CHECK_TRUE(load >= 1.0 && load <= 1.2);
        double rec = e2e_num(f, "time_to_recover_s");
        CHECK_TRUE(rec > 3 && rec < 20);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", 50, 70), 0);
        const cJSON *users = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "users");
        CHECK_TRUE(e2e_num(users, "retries_denied_by_budget") > 0);
    }
    e2e_run_free(&r);
    /* An end-to-end deadline of 300 ms instead of the budget: no request
     * waits longer than that (the client's latency, failures included, tops
     * out at the deadline), so at most 2 attempts of 200 ms fit: the load
     * in the blip is below 2x; the storm still outlives the blip. */
    if (e2e_run_scenario(&r, "scenarios/faults/retry-storm.json", "--set components.users.deadline=300ms") == 0) {
        const cJSON *users = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "users");
        CHECK_TRUE(e2e_num(cJSON_GetObjectItemCaseSensitive(users, "latency_ms"), "max") <= 300.001);
        CHECK_TRUE(e2e_num(users, "retries_past_deadline") > 0);
        double load = e2e_num(fault0(&r), "load_vs_offered");
        CHECK_TRUE(load > 1.2 && load < 2.0);
    }
    e2e_run_free(&r);
}

static double comp_p50(const e2e_run *r, const char *id)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->summary, "components"), id);
    return e2e_num(cJSON_GetObjectItemCaseSensitive(c, "latency_ms"), "p50");
}

/* Both eu-west edges crash at 30 s: the DNS (probing every 1 s, 3 failures)
 * notices within [3, 4) s and sends European users to us-east. Timeouts
 * (2 s) stop once the last request sent to a dead edge has timed out; all
 * of them are counted against the fault; European latency rises by about
 * the transatlantic round trip (2 x 38 ms) compared with a run without the
 * fault: over the run the median moves from ~24 ms to above 70 ms. */
static void test_edge_outage(void)
{
    e2e_run r, base;
    if (e2e_run_scenario(&r, "scenarios/faults/edge-outage.json", NULL) != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *f = fault0(&r);
    double detect = e2e_num(f, "time_to_detect_s");
    CHECK_TRUE(detect >= 3.0 && detect < 4.001);
    CHECK_CONTAINS(r.events, ",health_down,edge-eu-west-1,");
    CHECK_CONTAINS(r.events, ",health_down,edge-eu-west-2,");
    /* the last request to a dead edge left at most 4 s after the crash,
     * took at most ~0.2 s of last mile, and timed out 2 s later */
    double quiet = ceil(30 + 4 + 0.2 + 2);
    CHECK_TRUE(e2e_sum_between(&r, "timed_out", 30, quiet) > 100);
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", quiet, 60), 0);
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
    CHECK_NEAR(e2e_num(f, "requests_failed"), e2e_num(req, "timed_out"), 0.5);
    if (e2e_run_scenario(&base, "scenarios/faults/edge-outage.json", "--set 'faults=[]'") == 0) {
        double before = comp_p50(&base, "users-eu"), after = comp_p50(&r, "users-eu");
        CHECK_TRUE(before < 40);
        CHECK_TRUE(after > before + 50);
        /* the other regions' users do not notice */
        CHECK_NEAR(comp_p50(&r, "users-ap"), comp_p50(&base, "users-ap"), 5);
        CHECK_TRUE(e2e_num(base.summary, "availability") > 0.995);
    }
    e2e_run_free(&base);
    e2e_run_free(&r);
}

static double mean_between(const e2e_run *r, const char *name, double t0, double t1)
{
    long c = e2e_col(r, name), t = e2e_col(r, "t_s");
    double s = 0;
    int n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        double ts = e2e_at(r, i, t);
        if (ts >= t0 - 1e-9 && ts < t1 - 1e-9 && !isnan(e2e_at(r, i, c))) {
            s += e2e_at(r, i, c);
            n++;
        }
    }
    return n ? s / n : NAN;
}

/* The cache restarts empty at 30 s: the database, at ~40% before, is
 * saturated in the first second after, p99 jumps several-fold, the hit
 * ratio collapses and climbs back, and nothing fails (the 2 s timeout is
 * never reached). */
static void test_cache_outage(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, "scenarios/faults/cache-outage.json", NULL) != 0) {
        e2e_run_free(&r);
        return;
    }
    double util_before = mean_between(&r, "util:db", 20, 30), util_after = mean_between(&r, "util:db", 30, 31);
    CHECK_TRUE(util_before > 0.2 && util_before < 0.55);
    CHECK_TRUE(util_after > 0.95);
    double p99_before = mean_between(&r, "p99_ms", 20, 30), p99_after = mean_between(&r, "p99_ms", 30, 31);
    CHECK_TRUE(p99_after > 5 * p99_before);
    CHECK_TRUE(mean_between(&r, "hit_ratio:cache", 30, 31) < 0.6);
    CHECK_TRUE(mean_between(&r, "hit_ratio:cache", 50, 60) > 0.8);
    CHECK_TRUE(mean_between(&r, "util:db", 50, 60) < 0.55);
    CHECK_TRUE(e2e_num(r.summary, "availability") > 0.999);
    CHECK_CONTAINS(r.events, "30.000000,flush,cache,");
    e2e_run_free(&r);
    /* The cache server down for 5 s. With fall_through the database takes
     * everything (~2000/s against ~800/s): saturated through the crash,
     * and the backlog of abandoned reads keeps requests timing out well
     * after the cache is back. Without, requests time out for the 5 s and
     * the system is healthy again 2 s (the timeout) after. */
    const char *crash = "--set 'faults=[{\"at\": \"30s\", \"crash\": \"cache\", \"recover\": \"35s\"}]'";
    char args[512];
    snprintf(args, sizeof args, "--set components.cache.fall_through=true %s", crash);
    if (e2e_run_scenario(&r, "scenarios/faults/cache-outage.json", args) == 0) {
        const cJSON *cache = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "cache");
        CHECK_TRUE(e2e_num(cache, "fell_through") > 9000); /* ~2000/s for 5 s */
        CHECK_TRUE(mean_between(&r, "util:db", 30, 35) > 0.99);
        CHECK_TRUE(e2e_sum_between(&r, "timed_out", 38, 42) > 0.9 * e2e_sum_between(&r, "offered", 36, 40));
        CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(fault0(&r), "time_to_recover_s")));
    }
    e2e_run_free(&r);
    if (e2e_run_scenario(&r, "scenarios/faults/cache-outage.json", crash) == 0) {
        CHECK_NEAR(e2e_sum_between(&r, "timed_out", 32, 37), e2e_sum_between(&r, "offered", 30, 35), 20);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", 37, 60), 0);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "completed", 30.5, 35), 0);
    }
    e2e_run_free(&r);
}

/* Hedging at the observed p95 against one limping server in 30: p99 at
 * least 3x lower than without hedging, the mean no higher, for 4-15%
 * extra attempts. */
static void test_hedging(void)
{
    e2e_run h, off;
    if (e2e_run_scenario(&h, "scenarios/faults/hedging.json", NULL) == 0 &&
        e2e_run_scenario(&off, "scenarios/faults/hedging.json", "--set components.users.retry.hedge=off") == 0) {
        const cJSON *lh = cJSON_GetObjectItemCaseSensitive(h.summary, "latency_ms");
        const cJSON *lo = cJSON_GetObjectItemCaseSensitive(off.summary, "latency_ms");
        CHECK_TRUE(e2e_num(lh, "p99") * 3 < e2e_num(lo, "p99"));
        CHECK_TRUE(e2e_num(lh, "mean") <= e2e_num(lo, "mean"));
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(h.summary, "components"), "users");
        double ratio = e2e_num(u, "hedges") / e2e_num(cJSON_GetObjectItemCaseSensitive(h.summary, "requests"), "issued");
        CHECK_TRUE(ratio > 0.04 && ratio < 0.15);
        CHECK_TRUE(e2e_num(u, "hedge_wins") > 0 && e2e_num(u, "hedge_wins") <= e2e_num(u, "hedges"));
        CHECK_TRUE(e2e_num(h.summary, "availability") > 0.999);
        e2e_run_free(&off);
    }
    e2e_run_free(&h);
}

/* A circuit breaker in front of a service that is down from 20 s to 30 s:
 * after 5 timeouts in a row it opens and requests fail at once instead of
 * waiting 300 ms; every 2 s one trial goes through, times out and reopens
 * it; the first trial after the recovery closes it, so failures stop
 * within open_for + timeout of the recovery (the breaker delays recovery by
 * up to open_for: the price of failing fast). Same seed: same summary. */
static const char breaker_scn[] =
    "{\"name\": \"breaker\", \"seed\": 4, \"duration\": \"45s\", \"warmup\": \"5s\","
    " \"regions\": {\"dc\": {}},"
    " \"network\": {\"same_region\": {\"delay\": \"100us\", \"bandwidth\": \"10Gbit/s\"}},"
    " \"components\": ["
    "  {\"id\": \"users\", \"kind\": \"client\", \"region\": \"dc\", \"rate\": \"500/s\", \"to\": \"lb\","
    "   \"objects\": 1000, \"size\": \"1KiB\", \"last_mile\": \"0\", \"timeout\": \"300ms\","
    "   \"breaker\": {\"consecutive\": 5, \"ratio\": 0, \"open_for\": \"2s\", \"half_open\": 1}},"
    "  {\"id\": \"lb\", \"kind\": \"lb\", \"region\": \"dc\", \"backends\": \"web\"},"
    "  {\"id\": \"web\", \"kind\": \"server\", \"region\": \"dc\", \"count\": 2, \"service\": {\"exp\": \"1ms\"}}],"
    " \"faults\": [{\"at\": \"20s\", \"until\": \"30s\", \"crash\": \"web\"}]}";

static void test_breaker(void)
{
    char *dir = tests_mkdtemp(), path[4200];
    snprintf(path, sizeof path, "%s/breaker.json", dir ? dir : "/tmp");
    CHECK_EQ_I64(tests_write_file(path, breaker_scn), 0);
    e2e_run r, again;
    if (e2e_run_scenario(&r, path, NULL) == 0) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "users");
        /* one trip at the start, then a failed trial every ~2 s: 4 to 6 opens */
        CHECK_TRUE(e2e_num(u, "breaker_opens") >= 4 && e2e_num(u, "breaker_opens") <= 6);
        /* nearly all of the ~5000 requests of the outage are refused at once */
        CHECK_TRUE(e2e_num(u, "breaker_refused") > 4500);
        /* every failure is a refusal (including those after the recovery,
         * until the next trial closes the breaker) */
        CHECK_NEAR(e2e_sum_between(&r, "failed", 20, 33), e2e_num(u, "breaker_refused"), 0.5);
        /* timeouts: the ~150 requests sent in the first 300 ms, before any
         * failure was seen, plus one failed trial per reopening */
        double to = e2e_sum_between(&r, "timed_out", 20, 33);
        CHECK_TRUE(to > 100 && to < 250);
        CHECK_EQ_I64((long long)(e2e_sum_between(&r, "failed", 33, 45) + e2e_sum_between(&r, "timed_out", 33, 45)), 0);
        CHECK_TRUE(e2e_sum_between(&r, "completed", 33, 45) > 5500);
        if (e2e_run_scenario(&again, path, NULL) == 0) {
            cJSON_DeleteItemFromObjectCaseSensitive(r.summary, "wall_s");
            cJSON_DeleteItemFromObjectCaseSensitive(r.summary, "events_per_s");
            cJSON_DeleteItemFromObjectCaseSensitive(again.summary, "wall_s");
            cJSON_DeleteItemFromObjectCaseSensitive(again.summary, "events_per_s");
            CHECK_TRUE(cJSON_Compare(r.summary, again.summary, 1));
            e2e_run_free(&again);
        }
    }
    e2e_run_free(&r);
    if (dir) tests_rmtree(dir);
    free(dir);
}

/* Link faults between a client in eu and a server in us (40 ms one way).
 * A degrade with 10% loss and 20 ms added: a request needs both its
 * message and its answer through, so 1 - 0.9^2 = 19% of them time out
 * (out of ~10000: standard error 0.4%, tolerance 2% also covers the one
 * window shift of the 1 s timeout), and the median latency gains 2 x 20 ms.
 * A 5 s partition: every request sent during it times out, none after. */
static const char link_scn[] =
    "{\"name\": \"links\", \"seed\": 8, \"duration\": \"70s\", \"warmup\": \"5s\","
    " \"regions\": {\"us\": {}, \"eu\": {}},"
    " \"network\": {\"same_region\": {\"delay\": \"100us\", \"bandwidth\": \"10Gbit/s\"},"
    "             \"cross_region\": {\"delay\": \"40ms\", \"bandwidth\": \"10Gbit/s\"}},"
    " \"components\": ["
    "  {\"id\": \"users\", \"kind\": \"client\", \"region\": \"eu\", \"rate\": \"500/s\", \"to\": \"api\","
    "   \"objects\": 1000, \"size\": \"1KiB\", \"last_mile\": \"0\", \"timeout\": \"1s\"},"
    "  {\"id\": \"api\", \"kind\": \"server\", \"region\": \"us\", \"servers\": 4, \"service\": {\"exp\": \"1ms\"}}],"
    " \"faults\": ["
    "  {\"at\": \"20s\", \"until\": \"40s\", \"degrade\": {\"link\": [\"us\", \"eu\"], \"loss\": \"10%\", \"delay\": \"20ms\"}},"
    "  {\"at\": \"50s\", \"for\": \"5s\", \"partition\": [\"eu\", \"us\"]}]}";

static void test_link_faults(void)
{
    char *dir = tests_mkdtemp(), path[4200];
    snprintf(path, sizeof path, "%s/links.json", dir ? dir : "/tmp");
    CHECK_EQ_I64(tests_write_file(path, link_scn), 0);
    e2e_run r;
    if (e2e_run_scenario(&r, path, NULL) == 0) {
        double off = e2e_sum_between(&r, "offered", 20, 40), to = e2e_sum_between(&r, "timed_out", 21, 41);
        CHECK_NEAR(to / off, 1 - 0.9 * 0.9, 0.02);
        CHECK_NEAR(mean_between(&r, "p50_ms", 10, 20), 80, 2);
        CHECK_NEAR(mean_between(&r, "p50_ms", 21, 40), 120, 2);
        CHECK_NEAR(mean_between(&r, "p50_ms", 42, 50), 80, 2);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", 42, 50), 0);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "completed", 51, 55), 0);
        CHECK_NEAR(e2e_sum_between(&r, "timed_out", 51, 56), e2e_sum_between(&r, "offered", 50, 55), 30);
        CHECK_EQ_I64((long long)e2e_sum_between(&r, "timed_out", 57, 70), 0);
        CHECK_CONTAINS(r.events, "20.000000,degrade_start,us<->eu,");
        CHECK_CONTAINS(r.events, "55.000000,partition_end,eu<->us,");
    }
    e2e_run_free(&r);
    if (dir) tests_rmtree(dir);
    free(dir);
}

/* Everything at once (timeouts, retries with a budget, hedging, a breaker,
 * silent and refusing crashes): every request issued is answered exactly
 * once, as a success or a failure, except the few in flight at the end
 * (3000/s x at most ~0.1 s; the bound is loose on purpose: a double count or
 * a lost request would break it by thousands). */
static void test_combined_accounting(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, "scenarios/faults/hedging.json",
                     "--set components.users.timeout=50ms"
                     " --set 'components.users.retry={\"attempts\": 3, \"base\": \"5ms\", \"hedge\": \"p95\", \"budget\": true}'"
                     " --set 'components.users.breaker={\"consecutive\": 20, \"ratio\": \"50%\", \"min_calls\": 50,"
                     " \"window\": \"2s\", \"open_for\": \"1s\", \"half_open\": 3}'"
                     " --set 'faults=[{\"at\": \"10s\", \"until\": \"20s\", \"crash\": {\"group\": \"api\", \"count\": 25}},"
                     " {\"at\": \"25s\", \"for\": \"5s\", \"crash\": {\"group\": \"api\", \"count\": 5}, \"refuse\": true}]'") == 0) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
        double issued = e2e_num(req, "issued");
        double done = e2e_num(req, "completed") + e2e_num(req, "failed") + e2e_num(req, "timed_out") + e2e_num(req, "rejected");
        CHECK_TRUE(done <= issued);
        CHECK_TRUE(done >= issued - 300);
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r.summary, "components"), "users");
        CHECK_TRUE(e2e_num(u, "hedges") > 0 && e2e_num(u, "retries") > 0 && e2e_num(u, "breaker_refused") > 0);
        CHECK_TRUE(e2e_num(req, "failed") > 0 && e2e_num(req, "completed") > 0.5 * issued);
    }
    e2e_run_free(&r);
}

/* The sum of `key` over writes.json's two gateways. */
static double gateways_sum(const e2e_run *r, const char *key)
{
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(r->summary, "components");
    double sum = 0;
    for (int i = 1; i <= 2; i++) {
        char id[32];
        snprintf(id, sizeof id, "gateway-%d", i);
        sum += e2e_num(cJSON_GetObjectItemCaseSensitive(comps, id), key);
    }
    return sum;
}

/* Reads fail over to the next copy (models/gateway.c). dn1 refuses
 * everything from 20 s to 30 s (a crash with `refuse`: an immediate error,
 * no timeout needed): with 3 replicas and a write quorum of 2 every GET
 * placed on dn1 is read from its next copy and every PUT still gets 2 of
 * its 3 copies, so nothing fails; with one copy the same GETs fail. */
static void test_read_failover(void)
{
    const char *crash = "--set 'faults=[{\"at\": \"20s\", \"until\": \"30s\", \"crash\": \"dn1\", \"refuse\": true}]'";
    char extra[512];
    e2e_run r, one;
    if (e2e_run_scenario(&r, "scenarios/writes.json", crash) == 0) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
        CHECK_EQ_I64((long long)e2e_num(req, "failed"), 0);
        CHECK_EQ_I64((long long)e2e_num(req, "timed_out"), 0);
        CHECK_TRUE(gateways_sum(&r, "read_failovers") > 100); /* measured 371 */
    }
    e2e_run_free(&r);
    snprintf(extra, sizeof extra, "%s --set components.gateway.replicas=1 --set components.gateway.write_quorum=1",
             crash);
    if (e2e_run_scenario(&one, "scenarios/writes.json", extra) == 0) {
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(one.summary, "requests");
        CHECK_TRUE(e2e_num(req, "failed") > 100);
        CHECK_EQ_I64((long long)e2e_sum_between(&one, "failed", 0, 20), 0);
        CHECK_EQ_I64((long long)e2e_sum_between(&one, "failed", 31, 40), 0);
    }
    e2e_run_free(&one);
}

/* Per-hop timeouts (issue 5) on scenarios/writes.json: dn1's disk is 100
 * times slower from 20 s to 30 s, so GETs placed on dn1 queue for seconds.
 * With the gateways' `timeout` at 50 ms each of a gateway's calls waits at
 * most 50 ms; a GET whose copy on dn1 does not answer in time is read from
 * the object's next copy (3 replicas), so no request times out at the
 * client and the tail stays under 100 ms instead of seconds. Every
 * stand-in given up on comes back late (the disk is slow, not dead) and is
 * discarded, so late == timeouts. */
static void test_hop_timeouts(void)
{
    const char *slow = "--set 'faults=[{\"at\": \"20s\", \"until\": \"30s\", \"slow\": \"dn1-disk\", \"factor\": 100}]'";
    char extra[512];
    e2e_run base, r;
    if (e2e_run_scenario(&base, "scenarios/writes.json", slow) == 0) {
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(base.summary, "latency_ms");
        CHECK_TRUE(e2e_num(lat, "p99") > 1000); /* measured 6098.5 ms */
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(base.summary, "requests");
        CHECK_EQ_I64((long long)e2e_num(req, "timed_out"), 0);
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(base.summary, "components"), "gateway-1");
        CHECK_TRUE(cJSON_GetObjectItemCaseSensitive(g, "hop_timeouts") == NULL); /* off by default */
    }
    e2e_run_free(&base);
    snprintf(extra, sizeof extra, "%s --set components.gateway.timeout=50ms", slow);
    if (e2e_run_scenario(&r, "scenarios/writes.json", extra) == 0) {
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(r.summary, "latency_ms");
        CHECK_TRUE(e2e_num(lat, "p99") < 100); /* measured 82.2 ms */
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(r.summary, "requests");
        CHECK_EQ_I64((long long)e2e_num(req, "timed_out"), 0); /* 561 before reads failed over */
        CHECK_EQ_I64((long long)e2e_num(req, "failed"), 0);
        const cJSON *comps = cJSON_GetObjectItemCaseSensitive(r.summary, "components");
        for (int i = 1; i <= 2; i++) {
            char id[32];
            snprintf(id, sizeof id, "gateway-%d", i);
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(comps, id);
            CHECK_TRUE(e2e_num(cJSON_GetObjectItemCaseSensitive(g, "latency_ms"), "max") < 100);
            CHECK_NEAR(e2e_num(g, "timeout_ms"), 50, 0);
            CHECK_NEAR(e2e_num(g, "late_discarded"), e2e_num(g, "hop_timeouts"), 0);
        }
        /* every failover follows a data read given up on; the other hop
         * timeouts are PUT copies, which fail nothing once the quorum is met */
        double failovers = gateways_sum(&r, "read_failovers");
        CHECK_TRUE(failovers > 100); /* measured 387 */
        CHECK_TRUE(gateways_sum(&r, "hop_timeouts") >= failovers); /* measured 1306 */
    }
    e2e_run_free(&r);
    /* a malformed timeout is refused where it is written */
    char *cmd = NULL, *err = NULL;
    if (asprintf(&cmd, "%s run scenarios/writes.json -q --no-report --out /nonexistent/x "
                 "--set components.gateway.timeout=soon", tests_cdnsim_bin()) > 0) {
        CHECK_EQ_I64(tests_run(cmd, NULL, &err), 2);
        CHECK_CONTAINS(err ? err : "", "].timeout: expected a duration like");
    }
    free(cmd);
    free(err);
}

/* Deletes the keys that legitimately differ between two runs of one
 * scenario: wall-clock measures, and the per-hop timeout fields. */
static void strip_run_keys(cJSON *summary)
{
    cJSON_DeleteItemFromObjectCaseSensitive(summary, "wall_s");
    cJSON_DeleteItemFromObjectCaseSensitive(summary, "events_per_s");
    cJSON *comps = cJSON_GetObjectItemCaseSensitive(summary, "components");
    cJSON *c;
    cJSON_ArrayForEach(c, comps) {
        cJSON_DeleteItemFromObjectCaseSensitive(c, "timeout_ms");
        cJSON_DeleteItemFromObjectCaseSensitive(c, "hop_timeouts");
        cJSON_DeleteItemFromObjectCaseSensitive(c, "late_discarded");
    }
}

/* A per-hop timeout that never fires changes nothing: the stand-ins are
 * transparent (same answers, same times, same draws), so the summary equals
 * the run without timeouts apart from the three timeout fields. */
static void test_hop_timeouts_transparent(void)
{
    e2e_run a, b;
    if (e2e_run_scenario(&a, "scenarios/writes.json", NULL) == 0 &&
        e2e_run_scenario(&b, "scenarios/writes.json",
                         "--set components.gateway.timeout=1h --set components.edge.timeout=1h") == 0) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b.summary, "components"), "edge");
        CHECK_NEAR(e2e_num(g, "timeout_ms"), 3600e3, 0);
        CHECK_NEAR(e2e_num(g, "hop_timeouts"), 0, 0);
        strip_run_keys(a.summary);
        strip_run_keys(b.summary);
        CHECK_TRUE(cJSON_Compare(a.summary, b.summary, 1));
    }
    e2e_run_free(&a);
    e2e_run_free(&b);
}

void test_e2e_faults_register(void)
{
    static const tests_case cases[] = {
        { "server_crash", test_server_crash },
        { "retry_storm", test_retry_storm },
        { "edge_outage", test_edge_outage },
        { "cache_outage", test_cache_outage },
        { "hedging", test_hedging },
        { "breaker", test_breaker },
        { "link_faults", test_link_faults },
        { "combined_accounting", test_combined_accounting },
        { "hop_timeouts", test_hop_timeouts },
        { "read_failover", test_read_failover },
        { "hop_timeouts_transparent", test_hop_timeouts_transparent },
        { NULL, NULL },
    };
    tests_add_suite("e2e_faults", cases);
}
