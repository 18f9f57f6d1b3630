/* tests/test_db.c - the replicated database (models/db.h) wired by hand:
 * read routing by policy, a replica crash, detection and promotion of a
 * replica when the primary crashes, writes failing or queueing during the
 * gap, stale reads against the replication lag, writes lost in a failover.
 *
 * Everything is deterministic: constant service times (reads 1 ms, writes
 * 2 ms, one server per node), a constant 1 ms network hop, constant
 * replication lag; requests are injected at chosen times straight into the
 * db endpoint, whose answer ends at env->completed. */
#include <stdlib.h>
#include <string.h>

#include "models/component.h"
#include "models/db.h"
#include "models/net.h"
#include "sim/errors.h"
#include "tests/harness.h"
#include "tests/model_env.h"

#define MAXREC 4096

typedef struct rec {
    uint8_t op, status;
    sim_time_t issued, done;
} rec;

typedef struct tdb {
    model_env m; /* m.env.world is the tdb */
    component *db;
    rec recs[MAXREC];
    size_t nrec;
    char events[8192];
} tdb;

static void t_completed(comp_env *env, request *r)
{
    tdb *t = env->world;
    if (t->nrec < MAXREC) t->recs[t->nrec++] = (rec){ r->op, r->status, r->issued, env->eng->now };
    req_free(env->reqs, r);
}

static void t_event(comp_env *env, const char *event, const component *target, const char *detail)
{
    tdb *t = env->world;
    size_t k = strlen(t->events);
    snprintf(t->events + k, sizeof t->events - k, "%.6f,%s,%s,%s\n", sim_time_to_s(env->eng->now), event,
             target ? target->id : "", detail ? detail : "");
}

/* A db with nodes n1 (primary), n2, n3; health checks with the defaults
 * (every 1 s, timeout 1 s, 3 failures, 2 successes). Returns 0 when built. */
static int tdb_init(tdb *t, int read_from, int during, int64_t qlimit, double lag_ns, sim_time_t promotion)
{
    memset(t, 0, sizeof *t);
    static const char *const names[] = { "dc" };
    model_env_init(&t->m, 1, names, 1e6, 0, 1e6, 0, 7);
    t->m.env.completed = t_completed;
    t->m.env.event = t_event;
    t->m.env.world = t;
    db_conf dc;
    memset(&dc, 0, sizeof dc);
    dc.nodes = model_env_list(3, "n1", "n2", "n3");
    dc.read_from = read_from;
    sim_dist_const(&dc.replication_lag, lag_ns);
    dc.health_check = NULL;
    dc.promotion_delay = promotion;
    dc.during_failover = during;
    dc.write_queue_limit = qlimit;
    t->db = model_env_add(&t->m, &db_kind, "db", 0, &dc);
    static const char *const ids[] = { "n1", "n2", "n3" };
    for (int i = 0; i < 3; i++) {
        db_node_conf nc;
        memset(&nc, 0, sizeof nc);
        nc.servers = 1;
        nc.queue_limit = -1;
        sim_dist_const(&nc.read_service, 1e6);
        sim_dist_const(&nc.write_service, 2e6);
        model_env_add(&t->m, &db_node_kind, ids[i], 0, &nc);
    }
    if (t->m.n != 4) return -1;
    int bad = model_env_link(&t->m);
    CHECK_EQ_I64(bad, 0);
    if (bad) return -1;
    for (size_t i = 0; i < t->m.n; i++)
        if (t->m.c[i]->kind->ops->start) CHECK_EQ_I64(t->m.c[i]->kind->ops->start(t->m.c[i]), 0);
    return 0;
}

/* Injects a request for `object` at time `at`: it reaches the db one hop later. */
static void ev_inject(sim_engine *eng, sim_event *ev)
{
    tdb *t = ev->target;
    request *r = req_new(&t->m.pool);
    if (!r) return;
    r->op = (uint8_t)(ev->data >> 32);
    r->object = ev->data & 0xffffffffu;
    r->size = 100;
    r->issued = r->arrived = eng->now;
    r->client = t->db;
    comp_send(t->db, t->db, r, 0);
}

static void inject(tdb *t, sim_time_t at, int op, uint32_t object)
{
    sim_schedule_at(&t->m.eng, at, ev_inject, t, NULL, ((uint64_t)op << 32) | object);
}

static void ev_crash(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    comp_crash(ev->target);
}

static void ev_recover(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    comp_recover(ev->target);
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsNumber(v)) return v->valuedouble;
    if (cJSON_IsRaw(v) && v->valuestring) return strtod(v->valuestring, NULL); /* comp_json_num's fixed format */
    return NAN;
}

static cJSON *report(tdb *t) { return comp_report(t->db); }

/* read_from: primary sends every read to n1; replicas alternates n2, n3;
 * any cycles over all three. */
static void test_read_routing(void)
{
    static const int policies[] = { DB_READ_PRIMARY, DB_READ_REPLICAS, DB_READ_ANY };
    static const uint64_t want[3][3] = { { 30, 0, 0 }, { 0, 15, 15 }, { 10, 10, 10 } };
    for (int p = 0; p < 3; p++) {
        tdb t;
        if (tdb_init(&t, policies[p], DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
            model_env_free(&t.m);
            continue;
        }
        for (int k = 0; k < 30; k++) inject(&t, 100 * SIM_MS + k * 10 * SIM_MS, REQ_GET, (uint32_t)k);
        sim_run(&t.m.eng, 2 * SIM_S);
        CHECK_EQ_U64(t.nrec, 30);
        for (int i = 0; i < 3; i++) CHECK_EQ_U64(t.m.c[1 + i]->requests, want[p][i]);
        for (size_t k = 0; k < t.nrec; k++) CHECK_EQ_I64(t.recs[k].status, REQ_PENDING);
        /* a read: 1 ms to the db, 1 ms to the node, 1 ms service, 1 ms back to the db */
        CHECK_EQ_I64(t.recs[0].done - t.recs[0].issued, 4 * SIM_MS);
        model_env_free(&t.m);
    }
}

/* A replica crashes at 1.0005 s: reads meant for it are refused at once and
 * go to the other replica, so none fails; after detection (3 to 4 s later)
 * it is not even tried. */
static void test_replica_crash(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_schedule_at(&t.m.eng, SIM_S + 500 * SIM_US, ev_crash, t.m.c[2], NULL, 0);
    for (int k = 0; k < 600; k++) inject(&t, k * 10 * SIM_MS, REQ_GET, (uint32_t)k);
    sim_run(&t.m.eng, 7 * SIM_S);
    CHECK_EQ_U64(t.nrec, 600);
    for (size_t k = 0; k < t.nrec; k++) CHECK_EQ_I64(t.recs[k].status, REQ_PENDING);
    cJSON *o = report(&t);
    CHECK_EQ_I64(num(o, "failed_reads"), 0);
    /* refused: every read between the crash and detection (100 per second
     * for 3 to 4 s): the round robin, moved past the survivor n3, comes
     * back to n2 first each time, as a driver keeps trying a dead host */
    double refused = num(o, "refused_connections");
    CHECK_TRUE(refused >= 299 && refused <= 401);
    CHECK_CONTAINS(t.events, ",health_down,n2,");
    CHECK_EQ_I64(db_primary(t.db), 0);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* The primary crashes at 9.953 s. Health checks every 1 s, 3 failures:
 * marked down 3 to 4 s later; promotion 2 s after that. A write every 100 ms: with
 * "fail", every write from the crash to the promotion fails, every other
 * succeeds; write unavailability runs from the crash to the first write
 * committed on the new primary. */
static void test_failover_fail(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e6, 2 * SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_time_t crash = 9953 * SIM_MS;
    sim_schedule_at(&t.m.eng, crash, ev_crash, t.m.c[1], NULL, 0);
    for (int k = 0; k < 250; k++) inject(&t, k * 100 * SIM_MS + 50 * SIM_MS, REQ_PUT, (uint32_t)k);
    sim_run(&t.m.eng, 26 * SIM_S);
    cJSON *o = report(&t);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "failovers"), 0);
    CHECK_TRUE(f != NULL);
    double detect = num(f, "time_to_detect_s"), promote = num(f, "time_to_promote_s");
    CHECK_TRUE(detect >= 3.0 && detect < 4.0);
    CHECK_NEAR(promote, detect + 2.0, 1e-9);
    CHECK_EQ_I64(db_primary(t.db), 1); /* n2: the first of the equally up-to-date replicas */
    size_t failed = 0;
    for (size_t k = 0; k < t.nrec; k++) {
        sim_time_t at_db = t.recs[k].issued + SIM_MS;
        bool in_gap = at_db >= crash && at_db < crash + (sim_time_t)(promote * 1e9);
        CHECK_EQ_I64(t.recs[k].status, in_gap ? REQ_FAILED : REQ_PENDING);
        failed += t.recs[k].status == REQ_FAILED;
    }
    /* the write sent at 9.950 s reached n1 at 9.952 s, was in service at
     * the crash (9.953 s) and is lost: 250 written, 249 answered */
    CHECK_EQ_U64(t.nrec, 249);
    CHECK_EQ_I64(num(o, "failed_writes"), failed);
    /* the first write after the promotion arrives within 100 ms plus a hop,
     * and commits 2 ms later */
    double un = num(o, "write_unavailable_s");
    CHECK_TRUE(un > promote && un < promote + 0.104);
    CHECK_NEAR(num(f, "write_unavailable_s"), un, 1e-9);
    CHECK_CONTAINS(t.events, ",db_primary_lost,n1,");
    CHECK_CONTAINS(t.events, ",db_promoted,n2,");
    CHECK_CONTAINS(t.events, ",db_writes_back,n2,");
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* The same with "queue" and room for 10 writes: the first 10 writes of the
 * gap wait and succeed at the promotion, the rest fail. */
static void test_failover_queue(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_QUEUE, 10, 1e6, 2 * SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_schedule_at(&t.m.eng, 9953 * SIM_MS, ev_crash, t.m.c[1], NULL, 0);
    for (int k = 0; k < 250; k++) inject(&t, k * 100 * SIM_MS + 50 * SIM_MS, REQ_PUT, (uint32_t)k);
    sim_run(&t.m.eng, 26 * SIM_S);
    cJSON *o = report(&t);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "failovers"), 0);
    double promote = num(f, "time_to_promote_s");
    size_t ok = 0, bad = 0, waited = 0;
    for (size_t k = 0; k < t.nrec; k++) {
        if (t.recs[k].status == REQ_FAILED) bad++;
        else ok++;
        if (t.recs[k].status != REQ_FAILED && t.recs[k].done - t.recs[k].issued > SIM_S) {
            waited++;
            /* queued writes go out at the promotion */
            CHECK_TRUE(t.recs[k].done >= (sim_time_t)((9.953 + promote) * 1e9));
        }
    }
    CHECK_EQ_U64(waited, 10);
    CHECK_EQ_I64(num(o, "queued_writes"), 10);
    CHECK_EQ_I64(num(o, "failed_writes"), bad);
    CHECK_EQ_U64(ok + bad, 249);
    /* the first queued write commits at promotion + 1 ms hop + 2 ms service */
    CHECK_NEAR(num(o, "write_unavailable_s"), promote + 0.003, 1e-6);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* Replication lag 50 ms: a read of object 7 served on a replica 10 ms after
 * the write committed is stale, one served 200 ms after is not; reads on
 * the primary never are; other objects are not. */
static void test_stale_reads(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 50e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    /* write of 7 sent at 100 ms: at the db 101, at n1 102, committed 104 ms */
    inject(&t, 100 * SIM_MS, REQ_PUT, 7);
    /* reads sent at 110 ms: at the replica 112, served 113 ms (9 ms after the commit) */
    inject(&t, 110 * SIM_MS, REQ_GET, 7);
    inject(&t, 111 * SIM_MS, REQ_GET, 7);
    inject(&t, 112 * SIM_MS, REQ_GET, 8);
    /* served at 304 ms: replicated at 154 ms */
    inject(&t, 300 * SIM_MS, REQ_GET, 7);
    inject(&t, 301 * SIM_MS, REQ_GET, 7);
    sim_run(&t.m.eng, SIM_S);
    cJSON *o = report(&t);
    CHECK_EQ_I64(num(o, "stale_reads"), 2);
    CHECK_EQ_I64(num(o, "replica_reads"), 5);
    cJSON_Delete(o);
    model_env_free(&t.m);

    if (tdb_init(&t, DB_READ_PRIMARY, DB_FAILOVER_FAIL, 0, 50e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    inject(&t, 100 * SIM_MS, REQ_PUT, 7);
    inject(&t, 110 * SIM_MS, REQ_GET, 7);
    sim_run(&t.m.eng, SIM_S);
    o = report(&t);
    CHECK_EQ_I64(num(o, "stale_reads"), 0);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* Lag 1 s: the writes committed in the last second before the primary's
 * crash never reach a replica, and the promotion reports them lost. */
static void test_lost_writes(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e9, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    /* writes sent at 1.0, 1.1, ..., 4.9 s commit 4 ms later; the crash at
     * 5 s: those committed after 4.0 s (sent at 4.0 .. 4.9: 10) are lost */
    for (int k = 0; k < 40; k++) inject(&t, SIM_S + k * 100 * SIM_MS, REQ_PUT, (uint32_t)k);
    sim_schedule_at(&t.m.eng, 5 * SIM_S, ev_crash, t.m.c[1], NULL, 0);
    sim_run(&t.m.eng, 12 * SIM_S);
    cJSON *o = report(&t);
    CHECK_EQ_I64(num(o, "writes_lost_in_failover"), 10);
    CHECK_CONTAINS(t.events, "10 writes it had not received are lost");
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* The old primary comes back after the promotion: it is a replica now
 * (health up), gets reads, and never takes writes again. */
static void test_old_primary_rejoins(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_ANY, DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_schedule_at(&t.m.eng, 2 * SIM_S, ev_crash, t.m.c[1], NULL, 0);
    sim_schedule_at(&t.m.eng, 10 * SIM_S, ev_recover, t.m.c[1], NULL, 0);
    for (int k = 0; k < 50; k++) inject(&t, 15 * SIM_S + k * 10 * SIM_MS, k % 2 ? REQ_GET : REQ_PUT, (uint32_t)k);
    sim_run(&t.m.eng, 17 * SIM_S);
    CHECK_EQ_I64(db_primary(t.db), 1);
    CHECK_CONTAINS(t.events, ",health_up,n1,");
    cJSON *o = report(&t);
    CHECK_EQ_I64(num(o, "failed_writes"), 0);
    CHECK_EQ_I64(num(o, "failed_reads"), 0);
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "reads_sent");
    CHECK_TRUE(num(rs, "n1") >= 8); /* a third of the 25 reads */
    /* every write went to n2: n2's requests = its reads + 25 writes */
    CHECK_EQ_I64((double)t.m.c[2]->requests, num(rs, "n2") + 25);
    cJSON *n1 = comp_report(t.m.c[1]), *n2 = comp_report(t.m.c[2]);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n1, "role")), "replica");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n2, "role")), "primary");
    CHECK_EQ_I64(num(n1, "writes_served"), 0);
    CHECK_EQ_I64(num(n2, "writes_served"), 25);
    CHECK_EQ_I64(num(n1, "reads_served"), num(rs, "n1"));
    cJSON_Delete(n1);
    cJSON_Delete(n2);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* Every node crashes: the promotion finds no replica ("db_promotion_failed"),
 * and when one comes back it is promoted. */
static void test_no_replica(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    for (int i = 1; i <= 3; i++) sim_schedule_at(&t.m.eng, 2 * SIM_S, ev_crash, t.m.c[i], NULL, 0);
    sim_schedule_at(&t.m.eng, 12 * SIM_S, ev_recover, t.m.c[3], NULL, 0);
    inject(&t, 11 * SIM_S, REQ_GET, 1); /* no node at all: fails */
    inject(&t, 20 * SIM_S, REQ_PUT, 1);
    sim_run(&t.m.eng, 21 * SIM_S);
    CHECK_CONTAINS(t.events, ",db_promotion_failed,");
    CHECK_EQ_I64(db_primary(t.db), 2);
    CHECK_EQ_U64(t.nrec, 2);
    if (t.nrec == 2) {
        CHECK_EQ_I64(t.recs[0].status, REQ_FAILED);
        CHECK_EQ_I64(t.recs[1].status, REQ_PENDING);
    }
    model_env_free(&t.m);
}

/* The primary is back 200 ms after its crash, before a third probe can
 * fail: no promotion; the failover ends with its first write, and write
 * unavailability is the short gap. */
static void test_primary_back_before_detection(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_schedule_at(&t.m.eng, 2 * SIM_S, ev_crash, t.m.c[1], NULL, 0);
    sim_schedule_at(&t.m.eng, 2200 * SIM_MS, ev_recover, t.m.c[1], NULL, 0);
    for (int k = 0; k < 60; k++) inject(&t, k * 100 * SIM_MS + 50 * SIM_MS, REQ_PUT, (uint32_t)k);
    sim_run(&t.m.eng, 8 * SIM_S);
    CHECK_EQ_I64(db_primary(t.db), 0);
    cJSON *o = report(&t);
    /* writes reaching the db at 2.051 and 2.151 s fail; the one at 2.251 s
     * commits at 2.254 s */
    CHECK_EQ_I64(num(o, "failed_writes"), 2);
    CHECK_NEAR(num(o, "write_unavailable_s"), 0.254, 1e-9);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "failovers"), 0);
    CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f, "time_to_detect_s")));
    CHECK_TRUE(strstr(t.events, "db_promoted") == NULL);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

/* The primary stops answering without crashing (its hook is not called, as
 * when a partition cuts it off): the failover starts at its detection. */
static void ev_silence(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    ((component *)ev->target)->down = true;
}

static void test_silent_primary(void)
{
    tdb t;
    if (tdb_init(&t, DB_READ_REPLICAS, DB_FAILOVER_FAIL, 0, 1e6, SIM_S) != 0) {
        model_env_free(&t.m);
        return;
    }
    sim_schedule_at(&t.m.eng, 2 * SIM_S, ev_silence, t.m.c[1], NULL, 0);
    for (int k = 0; k < 100; k++) inject(&t, k * 100 * SIM_MS + 50 * SIM_MS, REQ_PUT, (uint32_t)k);
    sim_run(&t.m.eng, 11 * SIM_S);
    cJSON *o = report(&t);
    cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "failovers"), 0);
    double at = num(f, "crash_at_s");
    CHECK_TRUE(at >= 5.0 && at < 6.0); /* marked down 3 to 4 s after 2 s */
    CHECK_NEAR(num(f, "time_to_detect_s"), 0, 1e-12);
    CHECK_NEAR(num(f, "time_to_promote_s"), 1.0, 1e-9);
    CHECK_EQ_I64(db_primary(t.db), 1);
    cJSON_Delete(o);
    model_env_free(&t.m);
}

void test_db_register(void)
{
    static const tests_case cases[] = {
        { "read_routing", test_read_routing },
        { "replica_crash", test_replica_crash },
        { "failover_fail", test_failover_fail },
        { "failover_queue", test_failover_queue },
        { "stale_reads", test_stale_reads },
        { "lost_writes", test_lost_writes },
        { "old_primary_rejoins", test_old_primary_rejoins },
        { "no_replica", test_no_replica },
        { "primary_back_before_detection", test_primary_back_before_detection },
        { "silent_primary", test_silent_primary },
        { NULL, NULL },
    };
    tests_add_suite("db", cases);
}
