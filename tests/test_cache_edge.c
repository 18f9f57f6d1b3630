/* tests/test_cache_edge.c - the CDN edge's cache features wired by hand (no
 * scenario file): request collapsing on and off, edge -> shield -> origin
 * tiers, TTL expiry, and the cache fields of the edge's summary. All delays
 * are constants so that counts are exact. */
#include <stdlib.h>
#include <string.h>

#include "app/world.h"
#include "models/app_cache.h"
#include "models/cache/cache.h"
#include "models/cdn_edge.h"
#include "models/client.h"
#include "models/component.h"
#include "models/net.h"
#include "models/server.h"
#include "sim/errors.h"
#include "tests/harness.h"
#include "tests/model_env.h"
#include "tests/scenario_world.h"

/* One region, 1 ms one way, 1 GB/s. */
static void eenv_init(model_env *t)
{
    static const char *const names[] = { "a" };
    model_env_init(t, 1, names, 1e6, 1e9, 1e6, 1e9, 7);
}

static cdn_edge_conf edge_conf(const char *up, uint64_t cache_size, bool collapse, sim_time_t ttl)
{
    cdn_edge_conf ec;
    memset(&ec, 0, sizeof ec);
    ec.st.servers = 64;
    ec.st.queue_limit = -1;
    sim_dist_const(&ec.st.service, 100e3);
    ec.read_bandwidth = 1e9;
    ec.cache_size = cache_size;
    ec.policy = 0; /* lru */
    ec.upstream = strdup(up);
    ec.collapse = collapse;
    ec.ttl = ttl;
    return ec;
}

/* A number the summary wrote (comp_json_num adds raw JSON text), or -1. */
static double num(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(it)) return it->valuedouble;
    if (cJSON_IsRaw(it) && it->valuestring) return atof(it->valuestring);
    return -1;
}

/* Ten users ask for the one object at time 0. Without collapsing, the ten
 * misses all go to the origin (the thundering herd); with it, one fetch goes
 * and nine requests wait for it. Afterwards everything hits. */
static void test_collapse(void)
{
    for (int on = 0; on < 2; on++) {
        model_env t;
        eenv_init(&t);
        client_conf cc = model_env_client("edge", 10, 1, 1000);
        model_env_add(&t, &client_kind, "users", 0, &cc);
        cdn_edge_conf ec = edge_conf("origin", 1 << 20, on, 0);
        component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
        server_conf sc = model_env_server(20e6, 100);
        component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
        model_env_run(&t, SIM_S);
        CHECK_EQ_U64(origin->requests, on ? 1 : 10);
        cJSON *o = comp_report(edge);
        CHECK_EQ_I64(num(o, "collapsed"), on ? 9 : 0);
        CHECK_EQ_I64(num(o, "bytes_upstream"), on ? 1000 : 10000);
        CHECK_EQ_I64(num(o, "misses_forwarded"), on ? 1 : 10);
        cJSON_Delete(o);
        CHECK_EQ_U64(t.failed, 0);
        /* every request issued completes; each user has one in flight at the end */
        CHECK_TRUE(t.done > 1000);
        CHECK_EQ_U64(cache_get_stats(edge->cache)->misses, 10);
        model_env_free(&t);
    }
}

/* edge (no room) -> shield -> origin: every request misses at the edge; the
 * shield fetches each of the 5 objects once and serves the rest. */
static void test_tiers(void)
{
    model_env t;
    eenv_init(&t);
    client_conf cc = model_env_client("edge", 1, 5, 1000);
    model_env_add(&t, &client_kind, "users", 0, &cc);
    cdn_edge_conf e1 = edge_conf("shield", 0, false, 0);
    component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &e1);
    cdn_edge_conf e2 = edge_conf("origin", 1 << 20, false, 0);
    component *shield = model_env_add(&t, &cdn_edge_kind, "shield", 0, &e2);
    server_conf sc = model_env_server(1e6, 100);
    component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
    model_env_run(&t, SIM_S);
    const cache_stats *es = cache_get_stats(edge->cache), *ss = cache_get_stats(shield->cache);
    CHECK_TRUE(es->requests > 50);
    CHECK_EQ_U64(es->hits, 0);
    CHECK_EQ_U64(es->too_large, es->requests); /* an edge of 0 bytes caches nothing */
    CHECK_EQ_U64(shield->requests, edge->requests);
    CHECK_EQ_U64(ss->misses, 5);
    CHECK_EQ_U64(origin->requests, 5);
    model_env_free(&t);
}

/* TTL 50 ms, one user, one object: after each expiry the next request
 * misses and refetches. A request takes 2 ms (1 ms each way) plus 0.1 ms
 * + 1 us read on a hit, and 4 ms + 1 ms origin service on a miss, so the
 * object is refetched about every 52 ms: 19 or 20 fetches in 1 s. Without
 * TTL, one fetch. */
static void test_ttl(void)
{
    for (int ttl = 0; ttl < 2; ttl++) {
        model_env t;
        eenv_init(&t);
        client_conf cc = model_env_client("edge", 1, 1, 1000);
        model_env_add(&t, &client_kind, "users", 0, &cc);
        cdn_edge_conf ec = edge_conf("origin", 1 << 20, false, ttl ? 50 * SIM_MS : 0);
        component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
        server_conf sc = model_env_server(1e6, 100);
        component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
        model_env_run(&t, SIM_S);
        if (ttl) {
            CHECK_TRUE(origin->requests >= 19 && origin->requests <= 20);
            CHECK_EQ_U64(cache_get_stats(edge->cache)->expirations, origin->requests - 1);
        } else {
            CHECK_EQ_U64(origin->requests, 1);
        }
        cJSON *o = comp_report(edge);
        for (const char *k = "evictions"; k; k = !strcmp(k, "evictions") ? "expirations"
                                               : !strcmp(k, "expirations") ? "characteristic_time_s"
                                               : !strcmp(k, "characteristic_time_s") ? "hit_ratio"
                                               : !strcmp(k, "hit_ratio") ? "byte_hit_ratio" : NULL)
            CHECK_TRUE(cJSON_GetObjectItemCaseSensitive(o, k) != NULL);
        cJSON_Delete(o);
        model_env_free(&t);
    }
}

/* TTL per size class: 1000-byte objects. A class up to 500 bytes does not
 * apply (the default ttl 0 = never does: one fetch); a class up to 2 KB
 * with 50 ms does (about 20 fetches in 1 s, as in test_ttl). A malformed
 * class list is refused at creation. */
static void test_ttl_by_size(void)
{
    for (int k = 0; k < 2; k++) {
        model_env t;
        eenv_init(&t);
        client_conf cc = model_env_client("edge", 1, 1, 1000);
        model_env_add(&t, &client_kind, "users", 0, &cc);
        cdn_edge_conf ec = edge_conf("origin", 1 << 20, false, 0);
        cJSON *classes = cJSON_Parse(k ? "[{\"up_to\": \"100B\", \"ttl\": \"1ms\"}, {\"up_to\": \"2KB\", \"ttl\": \"50ms\"}]"
                                       : "[{\"up_to\": \"500B\", \"ttl\": \"10ms\"}]");
        ec.ttl_by_size = classes;
        component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
        server_conf sc = model_env_server(1e6, 100);
        component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
        model_env_run(&t, SIM_S);
        if (k) CHECK_TRUE(origin->requests >= 19 && origin->requests <= 20);
        else CHECK_EQ_U64(origin->requests, 1);
        CHECK_TRUE(edge != NULL);
        model_env_free(&t);
        cJSON_Delete(classes);
    }
    model_env t;
    eenv_init(&t);
    cdn_edge_conf ec = edge_conf("origin", 1 << 20, false, 0);
    cJSON *classes = cJSON_Parse("[{\"up_to\": \"big\", \"ttl\": \"1s\"}]");
    ec.ttl_by_size = classes;
    conf_errors errs;
    conf_errors_init(&errs);
    component *c = NULL;
    CHECK_EQ_I64(comp_create_with(&cdn_edge_kind, "edge", 0, &ec, &t.env, &c, &errs), SIM_EPARSE);
    CHECK_TRUE(errs.n >= 1);
    if (errs.n) CHECK_CONTAINS(errs.msgs[0], "edge.ttl_by_size[0]: expected {\"up_to\"");
    conf_errors_free(&errs);
    cJSON_Delete(classes);
    model_env_free(&t);
}

/* Admission: 1000-byte objects are never cached under a 500-byte limit;
 * with admit_one_in 2 (probability 0.5) the single object gets in after a
 * few misses (closed loop, one user: each miss is a new draw); with 10^12,
 * in practice never. */
static void test_admission(void)
{
    for (int k = 0; k < 3; k++) {
        model_env t;
        eenv_init(&t);
        client_conf cc = model_env_client("edge", 1, 1, 1000);
        model_env_add(&t, &client_kind, "users", 0, &cc);
        cdn_edge_conf ec = edge_conf("origin", 1 << 20, false, 0);
        ec.admit_one_in = k == 0 ? 1 : k == 1 ? 1000000000000 : 2;
        ec.admit_max_size = k == 0 ? 500 : 0;
        component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
        server_conf sc = model_env_server(1e6, 100);
        component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
        model_env_run(&t, SIM_S);
        const cache_stats *st = cache_get_stats(edge->cache);
        if (k < 2) {
            CHECK_EQ_U64(st->hits, 0);
            CHECK_EQ_U64(origin->requests, st->requests);
        } else {
            /* P(still not admitted after 30 misses) = 2^-30 */
            CHECK_TRUE(origin->requests >= 1 && origin->requests <= 30);
            CHECK_EQ_U64(st->rejected, origin->requests - 1);
        }
        model_env_free(&t);
    }
}

/* Cache-aside: one user reads 3 objects (uniform) through an app_cache in
 * front of a database; the database sees each object once, then every GET
 * hits. With a 100 ms TTL the database sees each object again after every
 * expiry. Crash empties the cache (an in-memory store). */
static void test_app_cache(void)
{
    for (int ttl = 0; ttl < 2; ttl++) {
        model_env t;
        eenv_init(&t);
        client_conf cc = model_env_client("cache", 1, 3, 1000);
        model_env_add(&t, &client_kind, "app", 0, &cc);
        app_cache_conf ac;
        memset(&ac, 0, sizeof ac);
        ac.st.servers = 1;
        ac.st.queue_limit = -1;
        sim_dist_const(&ac.st.service, 20e3);
        ac.read_bandwidth = 20e9;
        ac.cache_size = 1 << 20;
        ac.policy = 0; /* lru */
        ac.database = strdup("db");
        ac.ttl = ttl ? 100 * SIM_MS : 0;
        component *cache = model_env_add(&t, &app_cache_kind, "cache", 0, &ac);
        server_conf sc = model_env_server(2e6, 100);
        component *db = model_env_add(&t, &server_kind, "db", 0, &sc);
        model_env_run(&t, SIM_S);
        const cache_stats *st = cache_get_stats(cache->cache);
        CHECK_TRUE(st->requests > 200);
        if (!ttl) {
            CHECK_EQ_U64(db->requests, 3);
            CHECK_EQ_U64(st->misses, 3);
        } else {
            /* each object is set about every 100 ms: 3 x (9 or 10) reads + the first 3 */
            CHECK_TRUE(db->requests >= 27 && db->requests <= 33);
            CHECK_EQ_U64(st->expirations + 3, db->requests);
        }
        cJSON *o = comp_report(cache);
        CHECK_EQ_I64(num(o, "database_reads"), db->requests);
        /* with the TTL, the run may end while one read is at the database */
        double got = num(o, "bytes_from_database"), objs = num(o, "cache_objects");
        CHECK_TRUE(got == 1000.0 * (double)db->requests || (ttl && got == 1000.0 * (double)(db->requests - 1)));
        CHECK_TRUE(objs == 3 || (ttl && objs == 2));
        cJSON_Delete(o);
        comp_crash(cache);
        CHECK_EQ_U64(cache_objects(cache->cache), 0);
        model_env_free(&t);
    }
}

/* scenarios/cache-herd.json, 40 s: without collapsing the origin (40
 * requests/s at most) is swamped by the misses at every expiry; with it,
 * it sees at most one fetch per object per 10 s TTL period (plus the first). */
static void test_herd_scenario(void)
{
    uint64_t origin_requests[2] = { 0, 0 };
    for (int col = 0; col < 2; col++) {
        const char *sets[] = { col ? "components.edge.collapse=true" : "components.edge.collapse=false", "duration=40s" };
        world_opts o;
        scenario_world_opts(&o, sets, 2);
        world w;
        int rc = scenario_world_load(&w, "scenarios/cache-herd.json", &o);
        if (rc == 0) CHECK_EQ_I64(world_run(&w, &o), 0);
        component *origin = rc == 0 ? scenario_world_find(&w, "origin") : NULL;
        if (origin) origin_requests[col] = origin->requests;
        world_free(&w);
    }
    /* measured after the 20 s warm-up: 20 s, two TTL periods */
    CHECK_TRUE(origin_requests[1] > 0 && origin_requests[1] <= 300);
    CHECK_TRUE(origin_requests[0] > 10 * origin_requests[1]);
}

void test_cache_edge_register(void)
{
    static const tests_case cases[] = {
        { "collapse", test_collapse },
        { "tiers", test_tiers },
        { "ttl", test_ttl },
        { "ttl_by_size", test_ttl_by_size },
        { "admission", test_admission },
        { "app_cache", test_app_cache },
        { "herd_scenario", test_herd_scenario },
        { NULL, NULL },
    };
    tests_add_suite("cache_edge", cases);
}
