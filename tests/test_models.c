/* tests/test_models.c - component kinds wired by hand (no scenario file):
 * network delays, load-balancer policies, DNS geo routing, the CDN edge's
 * hit and miss paths, the gateway's two steps, return paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/cdn_edge.h"
#include "models/client.h"
#include "models/component.h"
#include "models/disk.h"
#include "models/dns.h"
#include "models/gateway.h"
#include "models/lb.h"
#include "models/net.h"
#include "models/registry.h"
#include "models/server.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"
#include "tests/model_env.h"

/* Two regions "a" and "b": 1 ms inside a region, 10 ms between, bandwidth
 * 1 GB/s inside, 100 MB/s between, all constant so times are exact. */
static void tenv_init(model_env *t)
{
    static const char *const names[] = { "a", "b" };
    model_env_init(t, 2, names, 1e6, 1e9, 1e7, 1e8, 42);
}

static void test_net_delays(void)
{
    model_env t;
    tenv_init(&t);
    gsl_rng *r = sim_rng_stream(1, "n");
    CHECK_EQ_I64(net_delay(&t.nt, 0, 0, 0, r), SIM_MS);
    CHECK_EQ_I64(net_delay(&t.nt, 0, 1, 0, r), 10 * SIM_MS);
    /* 1 MB at 1 GB/s = 1 ms more; at 100 MB/s = 10 ms more */
    CHECK_EQ_I64(net_delay(&t.nt, 1, 1, 1000000, r), 2 * SIM_MS);
    CHECK_EQ_I64(net_delay(&t.nt, 1, 0, 1000000, r), 20 * SIM_MS);
    int cand[] = { 1, 0 };
    CHECK_EQ_I64(net_nearest(&t.nt, 0, cand, 2), 1);
    CHECK_EQ_I64(net_nearest(&t.nt, 1, cand, 2), 0);
    CHECK_EQ_I64(net_region(&t.nt, "b"), 1);
    CHECK_EQ_I64(net_region(&t.nt, "c"), -1);
    gsl_rng_free(r);
    model_env_free(&t);
}

/* client(a) -> server(a): one request of 1 MB; times are exact. */
static void test_round_trip_through_net(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = model_env_client("srv", 1, 1, 1e6);
    server_conf sc = model_env_server(2e6, 1);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    model_env_add(&t, &server_kind, "srv", 1, &sc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 100 * SIM_MS);
    /* request: 10 ms (cross, no payload); service 2 ms; response 10 ms + 1 MB at
     * 100 MB/s = 10 ms -> 32 ms per request, closed loop back to back */
    CHECK_TRUE(t.done >= 3);
    CHECK_EQ_I64(t.last_latency, 32 * SIM_MS);
    CHECK_EQ_U64(t.ok, t.done);
    model_env_free(&t);
}

static void test_lb_round_robin(void)
{
    model_env t;
    tenv_init(&t);
    lb_conf lc = { .policy = LB_ROUND_ROBIN, .backends = model_env_list(3, "s1", "s2", "s3") };
    component *lb = model_env_add(&t, &lb_kind, "lb", 0, &lc);
    for (int i = 0; i < 3; i++) {
        server_conf sc = model_env_server(1e6, 1);
        char id[16];
        snprintf(id, sizeof id, "s%d", i + 1);
        model_env_add(&t, &server_kind, id, 0, &sc);
    }
    CHECK_EQ_I64(model_env_link(&t), 0);
    /* round robin cycles 0,1,2,0,... regardless of load */
    int seq[7];
    for (int i = 0; i < 7; i++) {
        request *r = req_new(&t.pool);
        r->client = NULL;
        seq[i] = lb_pick(lb);
        lb->kind->ops->on_request(lb, r);
    }
    int want[] = { 0, 1, 2, 0, 1, 2, 0 };
    for (int i = 0; i < 7; i++) CHECK_EQ_I64(seq[i], want[i]);
    CHECK_EQ_U64(lb_outstanding(lb, 0), 3);
    CHECK_EQ_U64(lb_outstanding(lb, 1), 2);
    /* a backend marked down is skipped */
    lb_set_up(lb, 1, false);
    CHECK_EQ_I64(lb_pick(lb), 2);
    lb_set_up(lb, 0, false);
    lb_set_up(lb, 2, false);
    CHECK_EQ_I64(lb_pick(lb), -1);
    model_env_free(&t);
}

static void test_lb_least_connections(void)
{
    model_env t;
    tenv_init(&t);
    /* s1 is 10x slower than s2 and s3: least connections sends it less */
    lb_conf lc = { .policy = LB_LEAST_CONN, .backends = model_env_list(3, "s1", "s2", "s3") };
    component *lb = model_env_add(&t, &lb_kind, "lb", 0, &lc);
    double svc[] = { 10e6, 1e6, 1e6 };
    for (int i = 0; i < 3; i++) {
        server_conf sc = model_env_server(svc[i], 1);
        char id[16];
        snprintf(id, sizeof id, "s%d", i + 1);
        model_env_add(&t, &server_kind, id, 0, &sc);
    }
    client_conf cc = model_env_client("lb", 1, 1, 0);
    cc.concurrency = 6;
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 2 * SIM_S);
    uint64_t n1 = t.c[1]->requests, n2 = t.c[2]->requests, n3 = t.c[3]->requests;
    CHECK_TRUE(n1 > 0 && n2 > 0 && n3 > 0);
    CHECK_TRUE(n2 > 3 * n1);
    CHECK_TRUE(n3 > 3 * n1);
    /* outstanding counts return to the number in flight, never underflow */
    CHECK_TRUE(lb_outstanding(lb, 0) + lb_outstanding(lb, 1) + lb_outstanding(lb, 2) <= 6);
    model_env_free(&t);

    /* the same with round robin: every backend gets a third */
    tenv_init(&t);
    lc.policy = LB_ROUND_ROBIN;
    lc.backends = model_env_list(3, "s1", "s2", "s3");
    lb = model_env_add(&t, &lb_kind, "lb", 0, &lc);
    for (int i = 0; i < 3; i++) {
        server_conf sc = model_env_server(svc[i], 1);
        char id[16];
        snprintf(id, sizeof id, "s%d", i + 1);
        model_env_add(&t, &server_kind, id, 0, &sc);
    }
    cc = model_env_client("lb", 1, 1, 0);
    cc.concurrency = 6;
    cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 2 * SIM_S);
    n1 = t.c[1]->requests;
    n2 = t.c[2]->requests;
    CHECK_TRUE(n2 <= n1 + 1 && n1 <= n2 + 1);
    model_env_free(&t);
}

/* client(a) -> dns -> edge(a) | edge(b) -> origin server(b): the first request
 * for the object misses and fills, later ones hit and never reach the origin. */
static void test_edge_hit_miss_path(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = model_env_client("dns", 1, 1, 100000);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    dns_conf dc;
    memset(&dc, 0, sizeof dc);
    dc.to = model_env_list(3, "edge-b", "edge-a", "edge-b");
    free(dc.to.v[2]); /* two targets */
    dc.to.n = 2;
    sim_dist_const(&dc.resolve, 0);
    component *dns = model_env_add(&t, &dns_kind, "dns", 0, &dc);
    cdn_edge_conf ec[2];
    component *edge[2];
    for (int i = 0; i < 2; i++) {
        memset(&ec[i], 0, sizeof ec[i]);
        ec[i].st.servers = 4;
        ec[i].st.queue_limit = -1;
        sim_dist_const(&ec[i].st.service, 100e3);
        ec[i].read_bandwidth = 1e9;
        ec[i].cache_size = 1 << 20;
        ec[i].policy = 0; /* lru */
        ec[i].upstream = strdup("origin");
        edge[i] = model_env_add(&t, &cdn_edge_kind, i ? "edge-b" : "edge-a", i, &ec[i]);
    }
    server_conf sc = model_env_server(5e6, 1);
    component *origin = model_env_add(&t, &server_kind, "origin", 1, &sc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    /* geo routing: region a goes to edge-a, region b to edge-b */
    CHECK_TRUE(dns_target(dns, 0, 1) == edge[0]);
    CHECK_TRUE(dns_target(dns, 1, 1) == edge[1]);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, SIM_S);
    const cache_stats *cs = cache_get_stats(edge[0]->cache);
    CHECK_TRUE(t.done > 10);
    CHECK_EQ_U64(cs->misses, 1);
    CHECK_EQ_U64(cs->hits + cs->misses, edge[0]->requests);
    CHECK_EQ_U64(origin->requests, 1);
    CHECK_EQ_U64(edge[1]->requests, 0);
    /* a hit: dns 0 + 1 ms to the edge + 0.1 ms + 100 KB at 1 GB/s (0.1 ms) read
     * + 1 ms + 100 KB at 1 GB/s back = 2.3 ms */
    CHECK_EQ_I64(t.last_latency, 2300 * SIM_US);
    /* with region a's edge down, dns sends region a to the nearest other */
    dns_set_up(dns, 1, false); /* index 1 is edge-a in the dns's list */
    CHECK_TRUE(dns_target(dns, 0, 1) == edge[1]);
    model_env_free(&t);
}

/* DNS with a TTL of 10 s: region a's edge is marked down at 1 s. A request
 * is routed by the health as it was a uniform age in [0, 10 s) ago, so at
 * time 1 + u it still goes to edge-a with probability 1 - u / 10. Poisson
 * arrivals at 2000/s make the count in a window a sum of independent
 * Bernoullis: in [1 s, 2 s) the mean of 1 - u/10 is 0.95, in [5 s, 6 s) 0.55,
 * and from 11 s on 0. The fraction's sd is at most sqrt(0.25 / 2000) =
 * 0.011; the checks allow 4 sd. Then edge-a is back at 20 s: in [20 s, 21 s)
 * 5% of the requests return to it. */
static void test_dns_ttl(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = model_env_client("dns", 1, 1, 1000);
    cc.mode = CLIENT_OPEN;
    cc.rate = 2000;
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    dns_conf dc;
    memset(&dc, 0, sizeof dc);
    dc.to = model_env_list(2, "edge-b", "edge-a");
    sim_dist_const(&dc.resolve, 0);
    dc.ttl = 10 * SIM_S;
    component *dns = model_env_add(&t, &dns_kind, "dns", 0, &dc);
    server_conf sc[2];
    component *edge[2];
    for (int i = 0; i < 2; i++) {
        sc[i] = model_env_server(100e3, 1000);
        edge[i] = model_env_add(&t, &server_kind, i ? "edge-b" : "edge-a", i, &sc[i]);
    }
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, SIM_S);
    CHECK_EQ_U64(edge[1]->requests, 0);
    dns_set_up(dns, 1, false); /* edge-a, at 1 s */
    CHECK_EQ_I64(dns_route_at(dns, 0, 1, t.eng.now), 0);     /* now: edge-b */
    CHECK_EQ_I64(dns_route_at(dns, 0, 1, t.eng.now - 1), 1); /* just before: edge-a */
    static const struct { double from, to, p; } win[] = {
        { 1, 2, 0.95 }, { 2, 5, 0.0 }, { 5, 6, 0.55 }, { 6, 11, 0.0 }, { 11, 12, 0.0 },
    };
    for (size_t w = 0; w < sizeof win / sizeof win[0]; w++) {
        uint64_t a0 = edge[0]->requests, b0 = edge[1]->requests;
        sim_run(&t.eng, (sim_time_t)(win[w].to * SIM_S));
        double a = (double)(edge[0]->requests - a0), b = (double)(edge[1]->requests - b0);
        if (win[w].to - win[w].from != 1) continue; /* only the 1 s windows are checked */
        double frac = a / (a + b), sd = sqrt(0.25 / (a + b));
        if (fabs(frac - win[w].p) > 4 * sd) printf("\n  window %g-%g s: %.4f to edge-a, expected %.2f\n", win[w].from,
                                                    win[w].to, frac, win[w].p);
        CHECK_TRUE(fabs(frac - win[w].p) <= 4 * sd);
        CHECK_TRUE(a + b > 1800 && a + b < 2200);
    }
    sim_run(&t.eng, 20 * SIM_S);
    dns_set_up(dns, 1, true); /* edge-a back, at 20 s */
    uint64_t a0 = edge[0]->requests, b0 = edge[1]->requests;
    sim_run(&t.eng, 21 * SIM_S);
    double a = (double)(edge[0]->requests - a0), b = (double)(edge[1]->requests - b0);
    CHECK_TRUE(fabs(a / (a + b) - 0.05) <= 4 * sqrt(0.25 / (a + b)));
    model_env_free(&t);
}

/* gateway -> metadata then datanode -> disk; errors from a full queue come
 * back as rejected. */
static void test_gateway_two_steps(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = model_env_client("gw", 1, 1, 0);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    gateway_conf gc = model_env_gateway(1e6, "meta", model_env_list(1, "dn"));
    component *gw = model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    server_conf mc = model_env_server(2e6, 1);
    component *meta = model_env_add(&t, comp_kind_find("metadata"), "meta", 0, &mc);
    server_conf dnc = model_env_server(3e6, 1);
    dnc.next = model_env_list(1, "disk");
    component *dn = model_env_add(&t, comp_kind_find("datanode"), "dn", 0, &dnc);
    disk_conf dkc = { .base = model_env_server(4e6, 1) }; /* a disk_conf: it has more fields */
    component *disk = model_env_add(&t, comp_kind_find("disk"), "disk", 0, &dkc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, SIM_S);
    /* cl->gw 1 ms, gw 1, ->meta 1, meta 2, ->gw 1, ->dn 1, dn 3, ->disk 0 (local),
     * disk 4, ->dn 0, ->gw 1, ->cl 1 = 16 ms; plus the 1-byte object (sizes are
     * at least 1 byte) at 1 GB/s on the two network hops that carry it back
     * (dn -> gw, gw -> cl; the metadata's answer is a location: 0 bytes): 2 ns */
    CHECK_EQ_I64(t.last_latency, 16 * SIM_MS + 2);
    /* the run stops mid-request: counts may differ by the one in flight */
    CHECK_TRUE(meta->requests - dn->requests <= 1);
    CHECK_TRUE(dn->requests - disk->requests <= 1);
    CHECK_TRUE(gw->requests >= 60);
    CHECK_EQ_U64(t.ok, t.done);
    model_env_free(&t);
}

static void test_registry(void)
{
    size_t n;
    const char *const *names = comp_kind_names(&n);
    CHECK_TRUE(n >= 9);
    for (size_t i = 0; i < n; i++) {
        const comp_kind *k = comp_kind_find(names[i]);
        CHECK_TRUE(k != NULL);
        if (!k) continue;
        CHECK_TRUE(k->ops && k->ops->on_request && k->ops->on_response);
        CHECK_TRUE(k->help && k->help[0]);
        /* every parameter has a help line (docs/models.md is generated from them) */
        for (const conf_field *f = k->fields; f->key; f++) CHECK_TRUE(f->help && f->help[0]);
    }
    CHECK_TRUE(comp_kind_find("cdn_egde") == NULL);
}

static void test_object_size_stable(void)
{
    sim_dist d;
    sim_dist_lognormal_mean_p99(&d, 500e3, 4e6);
    uint64_t a = client_object_size(&d, 12345), b = client_object_size(&d, 12345);
    CHECK_EQ_U64(a, b);
    /* sizes follow the distribution: the mean of many objects' sizes is near
     * 500 KB (lognormal sd here ~ 700 KB: 20000 objects -> se ~ 5 KB; 5 se) */
    double sum = 0;
    for (uint64_t i = 1; i <= 20000; i++) sum += (double)client_object_size(&d, i);
    CHECK_NEAR(sum / 20000, 500e3, 25e3);
    sim_dist_free(&d);
}

/* Per-hop timeout (issue 5): client(a) -> front (server, service 0, next =
 * slow, timeout T) -> slow (server, 100 ms, one at a time), all in region a
 * (1 ms a hop, 1 GB/s). Returns the front; *slow_out gets the slow server. */
static component *hop_timeout_world(model_env *t, sim_time_t timeout, component **slow_out)
{
    tenv_init(t);
    client_conf cc = model_env_client("front", 1, 1, 0);
    model_env_add(t, &client_kind, "cl", 0, &cc);
    server_conf fc = model_env_server(0, 1);
    fc.next = model_env_list(1, "slow");
    fc.timeout = timeout;
    component *front = model_env_add(t, &server_kind, "front", 0, &fc);
    server_conf sc = model_env_server(100e6, 1);
    *slow_out = model_env_add(t, &server_kind, "slow", 0, &sc);
    CHECK_EQ_I64(model_env_link(t), 0);
    t->c[0]->kind->ops->start(t->c[0]);
    return front;
}

static double report_num(component *c, const char *key)
{
    cJSON *o = comp_report(c);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (v && cJSON_IsRaw(v)) x = strtod(v->valuestring, NULL);
    cJSON_Delete(o);
    return x;
}

/* A 50 ms timeout in front of a 100 ms server: each request is answered
 * timed_out 50 ms after it reached the front; the slow answers come back
 * late and are discarded; nothing is answered twice and nothing leaks. */
static void test_hop_timeout_fires(void)
{
    model_env t;
    component *slow;
    component *front = hop_timeout_world(&t, 50 * SIM_MS, &slow);
    sim_run(&t.eng, SIM_S);
    /* request n (n = 0, 1, ...) leaves the client at 52n ms, reaches the front
     * at 52n + 1, times out there at 52n + 51 and is back at 52n + 52:
     * n = 0..18 finish before 1 s, every one timed out (none ok/failed/rejected) */
    CHECK_EQ_U64(t.done, 19);
    CHECK_EQ_U64(t.ok + t.failed + t.rejected, 0);
    CHECK_EQ_I64(t.last_latency, 52 * SIM_MS); /* a timed-out answer carries no object */
    CHECK_EQ_U64(front->hop_timeouts, 19);
    CHECK_EQ_U64(front->responses, 19);
    CHECK_EQ_I64(front->latency.max, 50 * SIM_MS);
    CHECK_EQ_I64(front->latency.min, 50 * SIM_MS);
    /* the slow server works on the stand-ins one after another: they finish
     * at 102 + 100k ms and are back at the front at 103 + 100k: k = 0..8 */
    CHECK_EQ_U64(front->hop_late, 9);
    CHECK_NEAR(report_num(front, "hop_timeouts"), 19, 0);
    CHECK_NEAR(report_num(front, "late_discarded"), 9, 0);
    CHECK_NEAR(report_num(front, "timeout_ms"), 50, 0);
    /* in the pool: 20 stand-ins made (one per request, the 20th is out) less
     * the 9 freed late, plus the 20th request waiting at the front: 12; a
     * late answer not freed (or freed twice) shows here */
    CHECK_EQ_U64(t.pool.live, 12);
    model_env_free(&t);
}

/* The same with a 150 ms timeout: the answers are in time, ok, with the
 * object, and the stand-in's outcome is the request's. */
static void test_hop_timeout_in_time(void)
{
    model_env t;
    component *slow;
    component *front = hop_timeout_world(&t, 150 * SIM_MS, &slow);
    sim_run(&t.eng, SIM_S);
    /* 1 + 0 + 1 + 100 + 1 + 1 ms, and the 1-byte object at 1 GB/s twice: 2 ns */
    CHECK_EQ_I64(t.last_latency, 104 * SIM_MS + 2);
    CHECK_EQ_U64(t.done, 9);
    CHECK_EQ_U64(t.ok, 9);
    CHECK_EQ_U64(front->hop_timeouts, 0);
    CHECK_EQ_U64(front->hop_late, 0);
    CHECK_EQ_U64(slow->requests, 10);
    /* the 10th request and its stand-in are out: nothing else is held */
    CHECK_EQ_U64(t.pool.live, 2);
    /* no timeout: no stand-in, no extra summary fields */
    model_env_free(&t);
    front = hop_timeout_world(&t, 0, &slow);
    sim_run(&t.eng, SIM_S);
    CHECK_EQ_I64(t.last_latency, 104 * SIM_MS + 2);
    CHECK_EQ_U64(t.pool.live, 1);
    CHECK_TRUE(isnan(report_num(front, "hop_timeouts")));
    model_env_free(&t);
}

/* A stand-in lost downstream (the slow server crashes with it): the timeout
 * still answers the caller; the crash's drop keeps the stand-in, as any
 * dropped request, until the pool is freed. */
static void test_hop_timeout_lost_downstream(void)
{
    model_env t;
    component *slow;
    component *front = hop_timeout_world(&t, 50 * SIM_MS, &slow);
    comp_crash(slow); /* loses what it is sent: no late answers at all */
    sim_run(&t.eng, SIM_S);
    CHECK_EQ_U64(t.done, 19);
    CHECK_EQ_U64(front->hop_timeouts, 19);
    CHECK_EQ_U64(front->hop_late, 0);
    CHECK_EQ_U64(slow->dropped, 20);
    model_env_free(&t);
}

/* A CDN edge with a 50 ms upstream timeout before a 100 ms origin: every
 * miss times out, and a timed-out fetch fills nothing (the next request for
 * the object misses again); with 150 ms the first fetch fills the cache and
 * the rest are hits. One object, one user, region a (1 ms a hop). */
static void edge_timeout_run(sim_time_t timeout, uint64_t *done, uint64_t *hits, uint64_t *tos, double *objects)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = model_env_client("edge", 1, 1, 1000);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    cdn_edge_conf ec;
    memset(&ec, 0, sizeof ec);
    ec.st.servers = 1;
    ec.st.queue_limit = -1;
    sim_dist_const(&ec.st.service, 0);
    ec.read_bandwidth = 1e9;
    ec.cache_size = 1 << 20;
    ec.upstream = strdup("origin");
    ec.collapse = true;
    ec.timeout = timeout;
    component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
    server_conf sc = model_env_server(100e6, 1);
    model_env_add(&t, &server_kind, "origin", 0, &sc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, SIM_S);
    *done = t.done;
    *hits = cache_get_stats(edge->cache)->hits;
    *tos = edge->hop_timeouts;
    *objects = report_num(edge, "cache_objects");
    model_env_free(&t);
}

static void test_hop_timeout_edge_no_fill(void)
{
    uint64_t done, hits, tos;
    double objects;
    edge_timeout_run(50 * SIM_MS, &done, &hits, &tos, &objects);
    CHECK_EQ_U64(done, 19); /* 52 ms each, as in hop_timeout_fires */
    CHECK_EQ_U64(tos, 19);
    CHECK_EQ_U64(hits, 0);
    CHECK_NEAR(objects, 0, 0);
    edge_timeout_run(150 * SIM_MS, &done, &hits, &tos, &objects);
    CHECK_EQ_U64(tos, 0);
    CHECK_NEAR(objects, 1, 0);
    /* the first answer (104 ms + 2 us for 1000 bytes twice) filled it; a hit
     * then takes 1 + 0.001 (read) + 1 + 0.001 ms = 2.002 ms: 447 hits done by
     * 1 s and the 448th counted at the edge but still on its way back */
    CHECK_EQ_U64(done, 448);
    CHECK_EQ_U64(hits, 448);
}

/* The hop crashes while its stand-in is out: its timeout does nothing (a
 * crashed box answers nothing), and when the stand-in comes back to the
 * crashed hop the waiting request is dropped there and the stand-in freed. */
static void test_hop_timeout_crashed_hop(void)
{
    model_env t;
    component *slow;
    component *front = hop_timeout_world(&t, 50 * SIM_MS, &slow);
    sim_run(&t.eng, 10 * SIM_MS); /* request 0 waits at the front, its stand-in at slow */
    comp_crash(front);
    sim_run(&t.eng, SIM_S);
    CHECK_EQ_U64(t.done, 0);
    CHECK_EQ_U64(front->hop_timeouts, 0);
    CHECK_EQ_U64(front->hop_late, 0);
    CHECK_EQ_U64(front->dropped, 1);
    CHECK_EQ_U64(t.pool.live, 1); /* the dropped request, as any drop; the stand-in is freed */
    model_env_free(&t);
}

void test_models_register(void)
{
    static const tests_case cases[] = {
        { "net_delays", test_net_delays },
        { "round_trip_through_net", test_round_trip_through_net },
        { "lb_round_robin", test_lb_round_robin },
        { "lb_least_connections", test_lb_least_connections },
        { "edge_hit_miss_path", test_edge_hit_miss_path },
        { "dns_ttl", test_dns_ttl },
        { "gateway_two_steps", test_gateway_two_steps },
        { "registry", test_registry },
        { "object_size_stable", test_object_size_stable },
        { "hop_timeout_fires", test_hop_timeout_fires },
        { "hop_timeout_in_time", test_hop_timeout_in_time },
        { "hop_timeout_lost_downstream", test_hop_timeout_lost_downstream },
        { "hop_timeout_edge_no_fill", test_hop_timeout_edge_no_fill },
        { "hop_timeout_crashed_hop", test_hop_timeout_crashed_hop },
        { NULL, NULL },
    };
    tests_add_suite("models", cases);
}
