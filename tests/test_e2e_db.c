/* tests/test_e2e_db.c - the replicated database end to end: the holiday
 * sale story (scenarios/faults/db-failover.json) shows what its header
 * promises, its variants (writes queueing during the failover, reads from
 * the primary only), the cache outage in front of replicas
 * (scenarios/faults/cache-outage-replicas.json), and malformed db and
 * client-mix input is reported with its location. The run
 * helpers are in tests/e2e.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tests/e2e.h"
#include "tests/harness.h"

static const cJSON *shop_db(const e2e_run *r)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->summary, "components"), "shop-db");
}

/* Time of the first events.csv line with ",event,target," or -1. */
static double event_time(const e2e_run *r, const char *event, const char *target)
{
    char key[200];
    snprintf(key, sizeof key, ",%s,%s,", event, target);
    const char *p = r->events ? strstr(r->events, key) : NULL;
    if (!p) return -1;
    while (p > r->events && p[-1] != '\n') p--;
    return strtod(p, NULL);
}

#define SCN "scenarios/faults/db-failover.json"

/* The holiday sale. db-1 (the primary) crashes at 30 s; checks every 1 s,
 * timeout 1 s, 3 failures: detected 3 to 4 s later (plus a probe's one-way
 * delay, under 1 ms); the promotion follows 5 s after. Writes (20% of
 * 600/s = 120/s) fail from the crash until the promotion, then stop: none
 * in the windows from promotion + 1 s on. Reads never fail. */
static void test_holiday_sale(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, SCN, NULL) != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *db = shop_db(&r);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(db, "failovers"), 0);
    CHECK_TRUE(f != NULL);
    double detect = e2e_num(f, "time_to_detect_s"), promote = e2e_num(f, "time_to_promote_s");
    CHECK_TRUE(detect >= 3.0 && detect < 4.001);
    CHECK_NEAR(promote, detect + 5.0, 1e-6);
    /* the first write after the promotion: within a few ms at 120 writes/s */
    double unavail = e2e_num(db, "write_unavailable_s");
    CHECK_TRUE(unavail >= promote && unavail < promote + 0.2);
    CHECK_TRUE(unavail >= 8.0 && unavail <= 30 + 4.001 + 5 + 1 - 30);
    CHECK_NEAR(e2e_num(f, "write_unavailable_s"), unavail, 1e-9);
    /* no failure before the crash; failures in every window of the gap
     * (about 60 writes per 0.5 s window: more than 20 is 5 sigma below) */
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "failed", 10, 30), 0);
    for (double t = 30; t + 0.5 <= 30 + promote; t += 0.5) CHECK_TRUE(e2e_sum_between(&r, "failed", t, t + 0.5) > 20);
    /* errors stop within detection + promotion delay + 1 s */
    double stop = ceil((30 + detect + 5 + 1) * 2) / 2;
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "failed", stop, 60), 0);
    /* every failure is a write: about 120/s for ~9 s (1075, sd ~33) */
    double failed = e2e_num(db, "failed_writes");
    CHECK_TRUE(failed > 950 && failed < 1200);
    CHECK_NEAR(e2e_sum_between(&r, "failed", 10, 60), failed, 0.5);
    CHECK_EQ_I64((long long)e2e_num(db, "failed_reads"), 0);
    /* only the requests in service on db-1 at the crash are lost (they time
     * out 2 s later): a handful */
    CHECK_TRUE(e2e_sum_between(&r, "timed_out", 10, 60) <= 10);
    /* asynchronous replication: lag exp(100 ms), 120 writes/s: about 12
     * writes in flight to each replica at the crash */
    double lost = e2e_num(db, "writes_lost_in_failover");
    CHECK_TRUE(lost >= 1 && lost <= 40);
    CHECK_TRUE(e2e_num(db, "stale_reads") > 0);
    CHECK_TRUE(e2e_num(db, "stale_reads") < e2e_num(db, "reads"));
    CHECK_CONTAINS(r.events, "30.000000,crash,db-1,");
    double lost_at = event_time(&r, "db_primary_lost", "db-1");
    CHECK_NEAR(lost_at, 30 + detect, 1e-5);
    CHECK_TRUE(event_time(&r, "health_down", "db-1") > 0);
    CHECK_TRUE(strstr(r.events, ",db_promoted,db-2,") || strstr(r.events, ",db_promoted,db-3,"));
    CHECK_CONTAINS(r.events, ",db_writes_back,");
    /* the old primary rejoins as a replica: 2 good probes after 50 s */
    double up = event_time(&r, "health_up", "db-1");
    CHECK_TRUE(up >= 51.0 && up < 52.01);
    const cJSON *prim = cJSON_GetObjectItemCaseSensitive(db, "primary");
    CHECK_TRUE(cJSON_IsString(prim) && strcmp(prim->valuestring, "db-1") != 0);
    e2e_run_free(&r);
}

/* "queue": the writes of the gap wait (about 1075 of them, under the 2000
 * limit) and go through at the promotion; nothing fails, nothing times out
 * but the few lost on db-1, and the wait shows in the latency. */
static void test_holiday_sale_queue(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, SCN, "--set components.shop-db.during_failover=queue --set components.users.timeout=15s") != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *db = shop_db(&r);
    CHECK_EQ_I64((long long)e2e_num(db, "failed_writes"), 0);
    CHECK_EQ_I64((long long)e2e_sum_between(&r, "failed", 10, 60), 0);
    double q = e2e_num(db, "queued_writes");
    CHECK_TRUE(q > 950 && q < 1200);
    double unavail = e2e_num(db, "write_unavailable_s");
    CHECK_TRUE(unavail >= 8.0 && unavail < 9.2);
    CHECK_TRUE(e2e_sum_between(&r, "timed_out", 10, 60) <= 10);
    /* the window of the promotion completes writes that waited up to ~9 s */
    long c = e2e_col(&r, "p99_ms"), t = e2e_col(&r, "t_s");
    double worst = 0;
    for (size_t i = 0; i < r.nrows; i++)
        if (e2e_at(&r, i, t) >= 38 && e2e_at(&r, i, t) < 40 && e2e_at(&r, i, c) > worst) worst = e2e_at(&r, i, c);
    CHECK_TRUE(worst > 5000);
    e2e_run_free(&r);
}

/* Reads from the primary only: never stale, but they fail with the writes. */
static void test_holiday_sale_primary_reads(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, SCN, "--set components.shop-db.read_from=primary") != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *db = shop_db(&r);
    CHECK_EQ_I64((long long)e2e_num(db, "stale_reads"), 0);
    CHECK_EQ_I64((long long)e2e_num(db, "replica_reads"), 0);
    /* ~480 reads/s for ~9 s */
    CHECK_TRUE(e2e_num(db, "failed_reads") > 3500);
    e2e_run_free(&r);
}

/* Mean over the windows starting in [t0, t1) of the database read load:
 * the sum of util:db-1..3 (same servers and read service on every node,
 * so proportional to the read rate). */
static double db_load(const e2e_run *r, double t0, double t1)
{
    double s = 0;
    for (int i = 1; i <= 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "util:db-%d", i);
        s += e2e_sum_between(r, name, t0, t1);
    }
    return s / (t1 - t0);
}

/* The cache outage with a database that has headroom. Before the flush
 * the database serves under 100 reads/s (about 4% misses of 2000/s); in
 * the first second after it, most reads miss (1000+ reads/s): the bound of
 * 5x is far below the expected ~14x, and Poisson noise on ~940 reads over
 * the 10 s reference is ~3%. By the last 10 s the cache is as warm as
 * before (the hit ratio was still rising before the flush: the rate is at
 * most what it was, give or take that noise). */
static void test_cache_outage_replicas(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, "scenarios/faults/cache-outage-replicas.json", NULL) != 0) {
        e2e_run_free(&r);
        return;
    }
    double before = db_load(&r, 20, 30), spike = db_load(&r, 30, 31), end = db_load(&r, 50, 60);
    CHECK_TRUE(before > 0);
    CHECK_TRUE(spike >= 5 * before);
    CHECK_TRUE(end <= 1.5 * before);
    CHECK_TRUE(e2e_sum_between(&r, "hit_ratio:cache", 29, 30) > 0.9);
    CHECK_TRUE(e2e_sum_between(&r, "hit_ratio:cache", 30, 31) < 0.5);
    CHECK_TRUE(e2e_sum_between(&r, "hit_ratio:cache", 59, 60) > 0.9);
    /* headroom: no node above 40% busy in any window */
    long t = e2e_col(&r, "t_s");
    for (int i = 1; i <= 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "util:db-%d", i);
        long c = e2e_col(&r, name);
        for (size_t k = 0; k < r.nrows; k++)
            if (e2e_at(&r, k, t) >= 20) CHECK_TRUE(e2e_at(&r, k, c) < 0.4);
    }
    CHECK_EQ_I64((long long)(e2e_sum_between(&r, "failed", 0, 60) + e2e_sum_between(&r, "timed_out", 0, 60)), 0);
    /* every database read is a cache miss */
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(r.summary, "components");
    CHECK_EQ_I64((long long)e2e_num(cJSON_GetObjectItemCaseSensitive(comps, "catalog-db"), "reads"),
                 (long long)e2e_num(cJSON_GetObjectItemCaseSensitive(comps, "cache"), "database_reads"));
    CHECK_CONTAINS(r.events, "30.000000,flush,cache,");
    e2e_run_free(&r);
}

/* A small scenario: a client u sending to "db", then `components`; returns
 * cdnsim's stderr and its exit code in *rc. */
static char *run_bad(const char *components, int *rc)
{
    char *dir = tests_mkdtemp();
    char path[4200], *text = NULL, *cmd = NULL, *err = NULL;
    snprintf(path, sizeof path, "%s/bad.json", dir);
    if (asprintf(&text,
                 "{\"name\": \"bad\", \"duration\": \"2s\", \"regions\": {\"dc\": {}},\n"
                 " \"components\": [\n"
                 "  {\"id\": \"u\", \"kind\": \"client\", \"region\": \"dc\", \"to\": \"db\", \"objects\": 10, \"size\": \"1KiB\"},\n"
                 "  %s\n"
                 " ]}\n",
                 components) < 0)
        return NULL;
    tests_write_file(path, text);
    if (asprintf(&cmd, "%s run %s -q --no-report --out %s/o", tests_cdnsim_bin(), path, dir) < 0) return NULL;
    *rc = tests_run(cmd, NULL, &err);
    free(text);
    free(cmd);
    tests_rmtree(dir);
    free(dir);
    return err;
}

static void check_bad(const char *components, const char *want)
{
    int rc = 0;
    char *err = run_bad(components, &rc);
    CHECK_TRUE(rc != 0);
    CHECK_CONTAINS(err, want);
    free(err);
}

static void test_malformed(void)
{
    const char *node = "{\"id\": \"n\", \"kind\": \"db_node\", \"region\": \"dc\"}";
    char buf[2048];
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": [\"n\", \"u\"]},\n  %s", node);
    check_bad(buf, "components[1].nodes: expected ids of db_node components, found \"u\" of kind client");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": [\"m\"]},\n  %s", node);
    check_bad(buf, "components[1].nodes: no component with id \"m\"");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\", \"read_from\": \"nearest\"},\n  %s", node);
    check_bad(buf, "components[1].read_from");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\", \"during_failover\": \"wait\"},\n  %s", node);
    check_bad(buf, "components[1].during_failover");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\", \"health_check\": {\"fall\": 0}},\n  %s", node);
    check_bad(buf, "components[1].health_check");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\", \"replication_lag\": \"fast\"},\n  %s", node);
    check_bad(buf, "components[1].replication_lag");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\"},\n  {\"id\": \"db2\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\"},\n  %s", node);
    check_bad(buf, "db_node \"n\" already belongs to database \"db\"");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": [\"n\", \"n\"]},\n  %s", node);
    check_bad(buf, "components[1].nodes: db_node \"n\" is listed twice");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\"},\n  {\"id\": \"n\", \"kind\": \"db_node\", \"region\": \"dc\", \"servers\": 0}");
    check_bad(buf, "components[2].servers");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\", \"nodes\": \"n\"},\n  {\"id\": \"n\", \"kind\": \"db_node\", \"region\": \"dc\", \"write_service\": {\"exp\": -1}}");
    check_bad(buf, "components[2].write_service");
    snprintf(buf, sizeof buf, "{\"id\": \"db\", \"kind\": \"db\", \"region\": \"dc\"},\n  %s", node);
    check_bad(buf, "components[1]: missing required key \"nodes\"");
}

/* The client's operation mix: shares must be percentages of known
 * operations summing to 100%. */
static void test_mix(void)
{
    static const struct {
        const char *mix, *want;
    } cases[] = {
        { "{\"PUT\": \"10%\"}", "components[0].mix: expected shares summing to 100% (GET is 100% unless given), found 110%" },
        { "{\"GET\": \"50%\", \"PUT\": \"10%\"}", "found 60%" },
        { "{\"GET\": \"90%\", \"POST\": \"10%\"}", "components[0].mix.POST" },
        { "{\"GET\": \"90%\", \"PUT\": \"ten\"}", "components[0].mix.PUT" },
        { "{\"GET\": \"190%\", \"PUT\": \"-90%\"}", "components[0].mix" },
        { "[\"GET\"]", "components[0].mix" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *dir = tests_mkdtemp(), path[4200], *text = NULL, *cmd = NULL, *err = NULL;
        snprintf(path, sizeof path, "%s/mix.json", dir);
        if (asprintf(&text,
                     "{\"name\": \"mix\", \"duration\": \"1s\", \"regions\": {\"dc\": {}},\n"
                     " \"components\": [\n"
                     "  {\"id\": \"u\", \"kind\": \"client\", \"region\": \"dc\", \"to\": \"s\", \"mix\": %s},\n"
                     "  {\"id\": \"s\", \"kind\": \"server\", \"region\": \"dc\"}\n ]}\n",
                     cases[i].mix) < 0)
            break;
        tests_write_file(path, text);
        if (asprintf(&cmd, "%s run %s -q --no-report --out %s/o", tests_cdnsim_bin(), path, dir) < 0) break;
        int rc = tests_run(cmd, NULL, &err);
        CHECK_TRUE(rc != 0);
        CHECK_CONTAINS(err, cases[i].want);
        free(err);
        free(text);
        free(cmd);
        tests_rmtree(dir);
        free(dir);
    }
}

/* The mix as drawn: 20% PUT of ~36000 requests in the holiday sale's
 * database (writes / (reads + writes)); binomial sd ~0.0021, 5 sd: 0.0105. */
static void test_mix_shares(void)
{
    e2e_run r;
    if (e2e_run_scenario(&r, SCN, "--set duration=20s --set faults=[]") != 0) {
        e2e_run_free(&r);
        return;
    }
    const cJSON *db = shop_db(&r);
    double w = e2e_num(db, "writes"), rd = e2e_num(db, "reads");
    CHECK_NEAR(w / (w + rd), 0.2, 0.0105);
    CHECK_TRUE(w + rd > 5000);
    e2e_run_free(&r);
}

void test_e2e_db_register(void)
{
    static const tests_case cases[] = {
        { "holiday_sale", test_holiday_sale },
        { "holiday_sale_queue", test_holiday_sale_queue },
        { "holiday_sale_primary_reads", test_holiday_sale_primary_reads },
        { "cache_outage_replicas", test_cache_outage_replicas },
        { "malformed", test_malformed },
        { "mix", test_mix },
        { "mix_shares", test_mix_shares },
        { NULL, NULL },
    };
    tests_add_suite("e2e_db", cases);
}
