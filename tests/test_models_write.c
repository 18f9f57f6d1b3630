/* tests/test_models_write.c - the write path along the storage models: a
 * PUT's exact time through gateway, metadata update, data node and the
 * disk's `write` distribution; replication with a write quorum (answered at
 * the w-th acknowledgement, failed when the quorum can no longer be met);
 * PUTs through a CDN edge invalidate its copy; unsupported operations and
 * impossible quorums are refused with located errors; a mixed workload end
 * to end. Constant distributions everywhere, so times are exact. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/cdn_edge.h"
#include "models/client.h"
#include "models/component.h"
#include "models/disk.h"
#include "models/gateway.h"
#include "models/net.h"
#include "models/registry.h"
#include "models/server.h"
#include "sim/errors.h"
#include "tests/e2e.h"
#include "tests/harness.h"
#include "tests/model_env.h"

/* Here a rejected request counts as failed too. */
static void t_completed(comp_env *env, request *r)
{
    model_env *t = env->world;
    model_env_completed(env, r);
    t->failed += t->rejected;
    t->rejected = 0;
}

/* One region: 1 ms between components, 1 GB/s (1 MB takes 1 ms). */
static void tenv_init(model_env *t)
{
    static const char *const names[] = { "a" };
    model_env_init(t, 1, names, 1e6, 1e9, 1e6, 1e9, 42);
    t->env.completed = t_completed;
}

/* A closed-loop client: `users` users, no think time, no last mile, one
 * object of `size` bytes; `put` is the share of PUTs. */
static client_conf client_conf_of(const char *to, double size, int64_t users, double put)
{
    client_conf cc = model_env_client(to, users, 1, size);
    cc.mix.share[REQ_GET] = 1 - put;
    cc.mix.share[REQ_PUT] = put;
    return cc;
}

/* A disk with constant read access and write times and a per-channel
 * bandwidth (0: none). */
static disk_conf disk_const(double access_ns, double write_ns, double bandwidth, int64_t channels)
{
    disk_conf d;
    memset(&d, 0, sizeof d);
    d.base = model_env_server(access_ns, channels);
    d.base.bandwidth = bandwidth;
    sim_dist_const(&d.write, write_ns);
    return d;
}

/* client -> gateway -> metadata -> gateway -> datanode -> disk, with a 1 MB
 * object, for op GET or PUT; returns the first request's latency. */
static sim_time_t one_request(double put)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = client_conf_of("gw", 1e6, 1, put);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    gateway_conf gc = model_env_gateway(1e6, "meta", model_env_list(1, "dn"));
    model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    server_conf mc = model_env_server(2e6, 1);
    sim_dist_const(&mc.write_service, 5e6); /* metadata's "update" */
    model_env_add(&t, comp_kind_find("metadata"), "meta", 0, &mc);
    server_conf dnc = model_env_server(3e6, 1);
    dnc.next = model_env_list(1, "disk");
    model_env_add(&t, comp_kind_find("datanode"), "dn", 0, &dnc);
    disk_conf dkc = disk_const(4e6, 7e6, 1e9, 1);
    component *disk = model_env_add(&t, &disk_kind, "disk", 0, &dkc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 200 * SIM_MS);
    CHECK_TRUE(t.done >= 5);
    CHECK_EQ_U64(t.ok, t.done);
    CHECK_EQ_I64(t.last_latency, t.first_latency); /* one user, constant times: all the same */
    CHECK_TRUE(disk->requests >= t.done);
    sim_time_t lat = t.first_latency;
    model_env_free(&t);
    return lat;
}

/* The PUT's time, hop by hop (1 ms per hop, 1 MB at 1 GB/s = 1 ms where the
 * object travels):
 *   cl -> gw 1 + 1 (the object), gw 1, -> meta 1, update 5 (not the 2 ms
 *   lookup), -> gw 1, -> dn 1 + 1 (the object), dn 3, -> disk 0 (local),
 *   write 7 + 1 MB / 1 GB/s 1, -> dn 0, -> gw 1, -> cl 1 (an empty answer)
 *   = 25 ms.
 * The GET of the same object: cl -> gw 1, gw 1, -> meta 1, lookup 2, -> gw 1,
 *   -> dn 1, dn 3, disk access 4 + 1, -> gw 1 + 1 (the object), -> cl 1 + 1
 *   = 19 ms. */
static void test_put_exact_time(void)
{
    CHECK_EQ_I64(one_request(1.0), 25 * SIM_MS);
    CHECK_EQ_I64(one_request(0.0), 19 * SIM_MS);
}

/* Data nodes dn1..dn3 (8 servers, no service time), each in front of its
 * own disk dk1..dk3 (reads 1 ms; writes 2, 5 and 9 ms; 8 channels). The
 * disks go to disk[0..2] unless disk is NULL. */
static void add_replicas(model_env *t, component **disk)
{
    const double wt[3] = { 2e6, 5e6, 9e6 };
    for (int i = 0; i < 3; i++) {
        char dn[16], dk[16]; /* sized for any int: -O1 warns otherwise */
        snprintf(dn, sizeof dn, "dn%d", i + 1);
        snprintf(dk, sizeof dk, "dk%d", i + 1);
        server_conf dnc = model_env_server(0, 8);
        dnc.next = model_env_list(1, dk);
        model_env_add(t, comp_kind_find("datanode"), dn, 0, &dnc);
        disk_conf dkc = disk_const(1e6, wt[i], 0, 8);
        component *d = model_env_add(t, &disk_kind, dk, 0, &dkc);
        if (disk) disk[i] = d;
    }
}

/* Three data nodes whose disks write in 2, 5 and 9 ms; replicas 3. The PUT is
 * answered at the w-th fastest copy:
 *   cl -> gw 1 + 1 (object), gw 1, -> dn 1 + 1, dn 0, disk write_k, -> gw 1,
 *   -> cl 1 = 7 ms + the w-th write time: w=1: 9, w=2: 12, w=3: 16 ms.
 * Every copy is written: each disk serves one write per PUT (the slow copies
 * of an early answer still finish). */
static void quorum_case(int64_t w, sim_time_t expect)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = client_conf_of("gw", 1e6, 1, 1.0);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    gateway_conf gc = model_env_gateway(1e6, "", model_env_list(3, "dn1", "dn2", "dn3"));
    gc.replicas = 3;
    gc.write_quorum = w;
    component *gw = model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    component *disk[3];
    add_replicas(&t, disk);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    /* stop between answers so that the copies of the last PUT are back */
    sim_run(&t.eng, 10 * expect + expect / 2);
    CHECK_EQ_U64(t.done, 10);
    CHECK_EQ_U64(t.ok, 10);
    CHECK_EQ_I64(t.first_latency, expect);
    CHECK_EQ_I64(t.last_latency, expect);
    /* the 11th PUT is out: its copies have reached every disk or not, but
     * every earlier PUT wrote all three copies */
    for (int i = 0; i < 3; i++) CHECK_TRUE(disk[i]->requests == 10 || disk[i]->requests == 11);
    cJSON *o = comp_report(gw);
    CHECK_TRUE(o != NULL);
    if (o) {
        const cJSON *puts = cJSON_GetObjectItemCaseSensitive(o, "replicated_puts");
        const cJSON *copies = cJSON_GetObjectItemCaseSensitive(o, "copies_sent");
        /* comp_json_num writes fixed-format raw numbers */
        CHECK_TRUE(cJSON_IsRaw(puts) && cJSON_IsRaw(copies));
        if (cJSON_IsRaw(puts) && cJSON_IsRaw(copies)) {
            CHECK_NEAR(strtod(puts->valuestring, NULL), 11, 0);
            CHECK_NEAR(strtod(copies->valuestring, NULL), 33, 0);
        }
        cJSON_Delete(o);
    }
    model_env_free(&t);
}

static void test_quorum_times(void)
{
    quorum_case(1, 9 * SIM_MS);
    quorum_case(2, 12 * SIM_MS);
    quorum_case(3, 16 * SIM_MS);
}

/* A replicating gateway crashes while a PUT's copies are out (t = 6 ms: the
 * copies reached the data nodes at 5 ms): the PUT is dropped with it and its
 * copies, answered to a crashed gateway, are dropped too. Recovered at 20 ms,
 * it serves the next PUTs normally: the client's attempt times out at
 * 50 ms (timeout 50 ms, no retry) and its next PUT takes the usual 12 ms
 * (w = 2 of copies written in 2, 5, 9 ms). */
static void test_gateway_crash_mid_write(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = client_conf_of("gw", 1e6, 1, 1.0);
    cc.timeout = 50 * SIM_MS;
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    gateway_conf gc = model_env_gateway(1e6, "", model_env_list(3, "dn1", "dn2", "dn3"));
    gc.replicas = 3;
    gc.write_quorum = 2;
    component *gw = model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    add_replicas(&t, NULL);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 6 * SIM_MS);
    comp_crash(gw);
    sim_run(&t.eng, 20 * SIM_MS);
    CHECK_EQ_U64(t.done, 0);
    CHECK_EQ_U64(gw->dropped, 4); /* the PUT and its three copies */
    comp_recover(gw);
    sim_run(&t.eng, 200 * SIM_MS);
    CHECK_TRUE(t.done >= 10);
    CHECK_EQ_I64(t.first_latency, 50 * SIM_MS); /* the lost one, timed out */
    CHECK_EQ_U64(t.ok, t.done - 1);
    CHECK_EQ_I64(t.last_latency, 12 * SIM_MS);
    model_env_free(&t);
}

/* Two users PUT the same object at once through a gateway with one worker
 * (1 ms each), replicas 2: the copies of the second PUT reach the data nodes
 * 1 ms after the first's. Data node B has one server, no queue and takes
 * 5 ms, so it rejects the second copy. With w = 2 that PUT can no longer reach
 * its quorum and fails; with w = 1 the copy on A carries it and nothing
 * fails. */
static uint64_t rejected_copy_failures(int64_t w)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = client_conf_of("gw", 1000, 2, 1.0);
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    gateway_conf gc = model_env_gateway(1e6, "", model_env_list(2, "dnA", "dnB"));
    gc.replicas = 2;
    gc.write_quorum = w;
    model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    server_conf a = model_env_server(5e6, 8);
    model_env_add(&t, comp_kind_find("datanode"), "dnA", 0, &a); /* no disks: answers after service */
    server_conf b = model_env_server(5e6, 1);
    b.st.queue_limit = 0;
    model_env_add(&t, comp_kind_find("datanode"), "dnB", 0, &b);
    CHECK_EQ_I64(model_env_link(&t), 0);
    cl->kind->ops->start(cl);
    sim_run(&t.eng, 12 * SIM_MS); /* the first two answers only */
    CHECK_EQ_U64(t.done, 2);
    uint64_t failed = t.failed;
    model_env_free(&t);
    return failed;
}

static void test_quorum_failure(void)
{
    CHECK_EQ_U64(rejected_copy_failures(2), 1);
    CHECK_EQ_U64(rejected_copy_failures(1), 0);
}

/* A quorum above the replicas and more replicas than data nodes are refused,
 * naming the key. */
static void test_quorum_errors(void)
{
    model_env t;
    tenv_init(&t);
    gateway_conf gc = model_env_gateway(1e6, "", model_env_list(2, "d1", "d2"));
    gc.replicas = 2;
    gc.write_quorum = 3;
    conf_errors errs;
    conf_errors_init(&errs);
    component *c = NULL;
    CHECK_EQ_I64(comp_create_with(&gateway_kind, "gw", 0, &gc, &t.env, &c, &errs), SIM_EPARSE);
    CHECK_TRUE(c == NULL);
    CHECK_TRUE(errs.n >= 1);
    if (errs.n) CHECK_CONTAINS(errs.msgs[0], "write quorum of at most replicas (2), found 3");
    conf_errors_free(&errs);

    memset(&gc, 0, sizeof gc);
    gc.st.servers = 1;
    gc.st.queue_limit = -1;
    sim_dist_const(&gc.st.service, 1e6);
    gc.metadata = strdup("");
    gc.datanodes = model_env_list(2, "d1", "d2");
    gc.replicas = 3;
    model_env_add(&t, &gateway_kind, "gw", 0, &gc);
    server_conf d = model_env_server(1e6, 1);
    model_env_add(&t, comp_kind_find("datanode"), "d1", 0, &d);
    d = model_env_server(1e6, 1);
    model_env_add(&t, comp_kind_find("datanode"), "d2", 0, &d);
    CHECK_EQ_I64(model_env_link(&t), 1);
    model_env_free(&t);

    /* DELETE in a client's mix: not modelled, refused at the mix key */
    tenv_init(&t);
    client_conf cc = client_conf_of("gw", 1000, 1, 0.5);
    cc.mix.share[REQ_GET] = 0.25;
    cc.mix.share[REQ_DELETE] = 0.25;
    conf_errors_init(&errs);
    c = NULL;
    CHECK_EQ_I64(comp_create_with(&client_kind, "cl", 0, &cc, &t.env, &c, &errs), SIM_EPARSE);
    CHECK_TRUE(errs.n >= 1);
    if (errs.n) {
        CHECK_CONTAINS(errs.msgs[0], "DELETE is not supported yet");
        CHECK_CONTAINS(errs.msgs[0], "mix.DELETE");
    }
    conf_errors_free(&errs);
    model_env_free(&t);
}

/* A PUT through a CDN edge: never served there, forwarded with its payload
 * and the cached copy dropped, so the next GET misses. Requests are injected
 * by hand from an open-loop client that was never started (it issues
 * nothing of its own). */
static void inject(model_env *t, component *cl, component *to, req_op op)
{
    request *r = req_new(&t->pool);
    r->op = (uint8_t)op;
    r->object = 1;
    r->size = 1000000;
    r->issued = t->eng.now;
    r->arrived = t->eng.now;
    r->client = cl;
    comp_forward(cl, to, r, 0, req_request_bytes(r));
    sim_run(&t->eng, t->eng.now + SIM_S);
}

static void test_edge_put_invalidates(void)
{
    model_env t;
    tenv_init(&t);
    client_conf cc = client_conf_of("edge", 1e6, 1, 0);
    cc.mode = CLIENT_OPEN;
    cc.rate = 1;
    component *cl = model_env_add(&t, &client_kind, "cl", 0, &cc);
    cdn_edge_conf ec;
    memset(&ec, 0, sizeof ec);
    ec.st.servers = 4;
    ec.st.queue_limit = -1;
    sim_dist_const(&ec.st.service, 100e3);
    ec.read_bandwidth = 1e9;
    ec.cache_size = 10 << 20;
    ec.policy = 0; /* lru */
    ec.upstream = strdup("origin");
    component *edge = model_env_add(&t, &cdn_edge_kind, "edge", 0, &ec);
    server_conf sc = model_env_server(5e6, 1);
    component *origin = model_env_add(&t, &server_kind, "origin", 0, &sc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    inject(&t, cl, edge, REQ_GET); /* miss, fills */
    inject(&t, cl, edge, REQ_GET); /* hit */
    CHECK_EQ_U64(origin->requests, 1);
    CHECK_EQ_U64(cache_objects(edge->cache), 1);
    inject(&t, cl, edge, REQ_PUT);
    CHECK_EQ_U64(origin->requests, 2);
    CHECK_EQ_U64(cache_objects(edge->cache), 0);
    /* cl -> edge 1 + 1 (object), -> origin 1 + 1, origin 5, -> edge 1,
     * -> cl 1: 11 ms; nothing was read from the edge's storage */
    CHECK_EQ_I64(t.last_latency, 11 * SIM_MS);
    inject(&t, cl, edge, REQ_GET); /* misses again */
    CHECK_EQ_U64(origin->requests, 3);
    CHECK_EQ_U64(cache_objects(edge->cache), 1);
    CHECK_EQ_U64(t.done, 4);
    CHECK_EQ_U64(t.ok, 4);
    model_env_free(&t);
}

/* Adds a closed-loop client "cl" (conf cc) and a disk (conf dkc) to a fresh
 * t, links them and starts both (the disk's start schedules its spells, if
 * any). Returns the disk. */
static component *client_on_disk(model_env *t, client_conf *cc, disk_conf *dkc)
{
    tenv_init(t);
    component *cl = model_env_add(t, &client_kind, "cl", 0, cc);
    component *disk = model_env_add(t, &disk_kind, "disk", 0, dkc);
    CHECK_EQ_I64(model_env_link(t), 0);
    cl->kind->ops->start(cl);
    CHECK_EQ_I64(disk->kind->ops->start(disk), 0);
    return disk;
}

/* A disk with a journal: write 10 ms, journal 3 ms, 8 channels, clients
 * sending straight to it (a local kind: no network).
 * One user: every write takes exactly its `write` time, 7 + 3 = 10 ms.
 * Four users starting together: all four access parts end at 7 ms, the
 * journal serves them at 10, 13, 16, 19 ms; from then on it is never idle
 * (each user is back at the journal 7 ms after its answer, before the
 * journal is free), so answers come every 3 ms - 1 / journal = 333 writes/s
 * - and each write takes 4 x 3 = 12 ms. In [0, 1001 ms]: answers at
 * 10 + 3k ms for k = 0..330, 331 of them. */
static void journal_case(int64_t users, uint64_t want_done, sim_time_t want_last)
{
    model_env t;
    client_conf cc = client_conf_of("disk", 1e6, users, 1.0);
    disk_conf dkc = disk_const(1e6, 10e6, 0, 8);
    sim_dist_const(&dkc.journal, 3e6);
    component *disk = client_on_disk(&t, &cc, &dkc);
    sim_run(&t.eng, 1001 * SIM_MS);
    CHECK_EQ_U64(t.done, want_done);
    CHECK_EQ_I64(t.first_latency, 10 * SIM_MS);
    CHECK_EQ_I64(t.last_latency, want_last);
    cJSON *o = comp_report(disk);
    CHECK_TRUE(o && cJSON_GetObjectItemCaseSensitive(o, "journal_utilization"));
    cJSON_Delete(o);
    model_env_free(&t);
}

static void test_disk_journal(void)
{
    journal_case(1, 100, 10 * SIM_MS);
    journal_case(4, 331, 12 * SIM_MS);
}

/* The journal with a shared bandwidth: a write holds a channel for
 * write - J, then passes a gate one write at a time, transferring J x B
 * bytes. B = 1 GB/s, J = 2 ms, write 5 ms, two writers starting together:
 * both channels end at 3 ms, the first write's gate transfer (2 MB alone)
 * ends at 5 ms - a lone write's time - and the second's at 7 ms. */
static void test_disk_journal_gate(void)
{
    model_env t;
    client_conf cc = client_conf_of("disk", 1e6, 2, 1.0);
    disk_conf dkc = disk_const(1e6, 5e6, 0, 8);
    dkc.shared_bw = 1e9;
    sim_dist_const(&dkc.journal, 2e6);
    client_on_disk(&t, &cc, &dkc);
    sim_run(&t.eng, 7500 * SIM_US);
    CHECK_EQ_U64(t.done, 2);
    CHECK_EQ_I64(t.first_latency, 5 * SIM_MS);
    CHECK_EQ_I64(t.last_latency, 7 * SIM_MS);
    model_env_free(&t);
}

/* A journal drawn per write: its mean comes out of `write`, each write
 * draws its own journal time from the disk's "journal" stream. One user,
 * write 10 ms (5 ms with shared_bandwidth), journal uniform on [1, 5] ms
 * (mean 3, variance 16 / 12 ms^2): a write takes (10 - 3) + U[1, 5], in
 * [8, 12] ms with mean 10 (or (5 - 3) + U[1, 5], in [3, 7] ms with mean 5,
 * through the gate).
 * The writes one user completes in T = 1001 ms are a renewal count with
 * mean T / mu and variance T sigma^2 / mu^3: 100.1 +- 1.15 (200.2 +- 3.3
 * for mu = 5 ms); the bounds below are about 3.5 standard deviations
 * wide. A journal that was not drawn (always 3 ms) would make every
 * latency the same, and one whose mean was not taken out would shift the
 * count to 77 or 125. */
static void test_disk_journal_drawn(void)
{
    for (int gate = 0; gate < 2; gate++) {
        model_env t;
        client_conf cc = client_conf_of("disk", 1e6, 1, 1.0);
        disk_conf dkc = disk_const(1e6, gate ? 5e6 : 10e6, 0, 8);
        if (gate) dkc.shared_bw = 1e9;
        sim_dist_uniform(&dkc.journal, 1e6, 5e6);
        component *disk = client_on_disk(&t, &cc, &dkc);
        sim_run(&t.eng, 1001 * SIM_MS);
        double mu = gate ? 5 : 10, lo = gate ? 3 : 8, hi = gate ? 7 : 12;
        double want = 1001 / mu, sd = sqrt(1001 * (16.0 / 12) / (mu * mu * mu));
        CHECK_EQ_U64(t.ok, t.done);
        CHECK_TRUE(fabs((double)t.done - want) <= 3.5 * sd);
        CHECK_TRUE(t.first_latency != t.last_latency);
        CHECK_TRUE(t.first_latency >= lo * SIM_MS && t.first_latency <= hi * SIM_MS);
        CHECK_TRUE(t.last_latency >= lo * SIM_MS && t.last_latency <= hi * SIM_MS);
        if (!gate) {
            cJSON *o = comp_report(disk);
            CHECK_TRUE(o && cJSON_GetObjectItemCaseSensitive(o, "journal_utilization"));
            cJSON_Delete(o);
        }
        model_env_free(&t);
    }
}

static void slow_twice(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    comp_set_slow(ev->target, 2.0);
}

/* A slowdown that begins in the middle of a transfer: a lone 1 MB read at
 * B = 1 GB/s whose whole time is its transfer (1 ms: no channel part). At
 * 0.5 ms the disk becomes twice as slow: the first 0.5 MB were received at
 * full speed, the other 0.5 MB take 1 ms, so the read ends at 1.5 ms. (A
 * disk that forgot what it had received would end at 2.5 ms; one that
 * credited the first half at the new speed, at 1.75 ms.) */
static void test_disk_slow_mid_transfer(void)
{
    model_env t;
    client_conf cc = client_conf_of("disk", 1e6, 1, 0.0);
    disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
    dkc.shared_bw = 1e9;
    component *disk = client_on_disk(&t, &cc, &dkc);
    sim_schedule(&t.eng, 500 * SIM_US, slow_twice, disk, NULL, 0);
    sim_run(&t.eng, 1600 * SIM_US);
    CHECK_EQ_U64(t.done, 1);
    CHECK_EQ_I64(t.first_latency, 1500 * SIM_US);
    model_env_free(&t);
}

/* Slow spells on a fixed timeline: spell_every 10 ms, spell_length 5 ms
 * (constants), factor 2. Spells begin at 10, 25, 40, ... ms: by 1001 ms, 67
 * of them (the last at 1000 ms, 1 ms old), 66 x 5 + 1 = 331 ms in spells.
 * One user reads 1 ms requests from a plain disk (no shared bandwidth): a
 * request that starts in a spell takes 2 ms; the first one, at 0, takes
 * 1 ms. */
static void test_disk_spells(void)
{
    model_env t;
    client_conf cc = client_conf_of("disk", 1e6, 1, 0.0);
    disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
    sim_dist_const(&dkc.spell_every, 10e6);
    sim_dist_const(&dkc.spell_length, 5e6);
    dkc.spell_factor = 2;
    component *disk = client_on_disk(&t, &cc, &dkc);
    sim_run(&t.eng, 1001 * SIM_MS);
    cJSON *o = comp_report(disk);
    CHECK_NEAR(e2e_num(o, "spells"), 67, 0);
    CHECK_NEAR(e2e_num(o, "spell_s"), 0.331, 1e-9);
    cJSON_Delete(o);
    CHECK_EQ_I64(t.first_latency, 1 * SIM_MS);
    /* Ten requests by 10 ms; then every 15 ms the same: three start in the
     * spell (at 10, 12 and 14 ms past, 2 ms each, the last ending 1 ms
     * after the spell) and nine after it, 12 per 15 ms: 10 + 66 x 12 = 802
     * by 1000 ms, and the one that starts at 1000 ms, in a spell, ends at
     * 1002. */
    CHECK_EQ_U64(t.done, 802);
    model_env_free(&t);
}

/* write_tail_above: the tail of `write` follows the throughput. One writer,
 * 1 MB writes back to back on a curve disk ([[1, 1 GB/s]]) whose lone
 * write is uniform on [1, 2] ms: a write takes exactly its drawn time. The
 * tail above 1.9 ms is p = 0.1 of the draws (q = 0.9, reported), drawn with
 * probability f = p x R / R0, R the disk's throughput. With f of the
 * writes in the tail (mean 1.95 ms) and the rest below (mean 1.45 ms), a
 * write takes 1.45 + 0.5 f ms on average and R = 1 MB / that. So f solves
 * f = p x (1 MB / (1.45 + 0.5 f) ms) / R0:
 * - R0 by default, 1 MB / the mean 1.5 ms: f = 0.1 exactly;
 * - R0 = 1 GB/s / 3 (half of that): f = 0.19396;
 * - R0 by default, a think time of 1.5 ms after each write (half the
 *   throughput): f = 0.1 x 1.5 / (3 + 0.5 f) = 0.04959.
 * - write_tail_follows reads, boost 1, half the requests reads of 1 ms:
 *   the reads' share of the bytes moved is 1/2 on average (which op ends
 *   next does not depend on how long the ones before took), so f =
 *   0.1 x (1 + 1/2) = 0.15;
 * - the same without reads: f = 0.1 (no read, no boost).
 * About 13,000, 12,500, 6,600, 7,800 and 13,000 writes in 20 s: the
 * binomial standard deviation of f is at most 0.0041, and 4 of them still
 * tell the cases apart. The average's own noise (100 ms of transfers each
 * time) moves single draws, not f's expectation. */
static void test_disk_write_tail(void)
{
    static const double want[5] = { 0.1, 0.19396, 0.04959, 0.15, 0.1 };
    static const double sd[5] = { 0.0027, 0.0035, 0.0027, 0.0041, 0.0027 };
    cJSON *curve = cJSON_Parse("[[1, 1e9]]");
    for (int k = 0; k < 5; k++) {
        model_env t;
        client_conf cc = client_conf_of("disk", 1e6, 1, k == 3 ? 0.5 : 1.0);
        if (k == 2) sim_dist_const(&cc.think, 1.5e6);
        disk_conf dkc = disk_const(1e6, 0, 0, 1);
        CHECK_EQ_I64(sim_dist_uniform(&dkc.write, 1e6, 2e6), 0);
        dkc.bw_curve = curve;
        dkc.write_tail_above = 1900 * SIM_US;
        if (k == 1) dkc.write_tail_bw = 1e9 / 3;
        if (k >= 3) dkc.write_tail_follows = DISK_TAIL_READS, dkc.write_tail_read_boost = 1;
        component *disk = client_on_disk(&t, &cc, &dkc);
        sim_run(&t.eng, 20000 * SIM_MS);
        cJSON *o = comp_report(disk);
        CHECK_NEAR(e2e_num(o, "write_tail_q"), 0.9, 1e-6);
        CHECK_NEAR(e2e_num(o, "write_tail_share"), want[k], 4 * sd[k]);
        if (k != 3) /* writes only: every request done is a write (the one in flight aside) */
            CHECK_NEAR(e2e_num(o, "write_tail_draws"), want[k] * (double)t.done, 4 * sd[k] * (double)t.done + 1);
        cJSON_Delete(o);
        model_env_free(&t);
    }
    cJSON_Delete(curve);
}

/* Processor sharing with three sizes: users reading 1, 2 and 3 MB objects
 * start together (after a 100 ms think) on a disk of B = 1 GB/s whose
 * requests are their transfer alone (access 0). The three share B until
 * the 1 MB one has its 1 MB, at 3 ms; the other two then share it until the
 * 2 MB one has the rest of its, 2 x 1 MB / B later, at 5 ms; the last
 * finishes its last 1 MB alone, at 6 ms. */
static void test_disk_sharing_three_sizes(void)
{
    model_env t;
    tenv_init(&t);
    for (int k = 1; k <= 3; k++) {
        client_conf cc = client_conf_of("disk", k * 1e6, 1, 0.0);
        sim_dist_const(&cc.think, 100e6);
        char id[16];
        snprintf(id, sizeof id, "u%d", k);
        model_env_add(&t, &client_kind, id, 0, &cc);
    }
    disk_conf dkc = disk_const(0, 0, 0, 8);
    dkc.shared_bw = 1e9;
    model_env_add(&t, &disk_kind, "disk", 0, &dkc);
    CHECK_EQ_I64(model_env_link(&t), 0);
    for (size_t i = 0; i < 3; i++) t.c[i]->kind->ops->start(t.c[i]);
    sim_run(&t.eng, 104 * SIM_MS);
    CHECK_EQ_U64(t.done, 1);
    CHECK_EQ_I64(t.first_latency, 3 * SIM_MS);
    sim_run(&t.eng, 105500 * SIM_US);
    CHECK_EQ_U64(t.done, 2);
    CHECK_EQ_I64(t.last_latency, 5 * SIM_MS);
    sim_run(&t.eng, 107 * SIM_MS);
    CHECK_EQ_U64(t.done, 3);
    CHECK_EQ_I64(t.last_latency, 6 * SIM_MS);
    model_env_free(&t);
}

/* A disk crashes with requests in every stage - transferring, taken by the
 * device, waiting in the elevator's heaps or the fifo ring, in the journal's
 * gate, done and waiting for their round, on a completion CPU - and
 * recovers: those requests are dropped (their users time out after 50 ms
 * and go on), and the disk serves again from an empty state. Sixteen
 * users, 1 MB reads and writes at B = 1 GB/s (lone request 2 ms), a
 * journal of 1 ms (rounds: a curve instead, lone requests of 0.5 ms, a
 * wake of 0.1 ms and two completion CPUs of 0.3 ms each, which are busy
 * most of the time); crash at 20 ms, recovery at 30 ms. Under the sanitizers this
 * also shows that nothing leaks or is used after the drop. */
static void test_disk_crash_every_order(void)
{
    static const int orders[] = { DISK_ORDER_SHARED, DISK_ORDER_FIFO, DISK_ORDER_ELEVATOR, DISK_ORDER_ROUNDS };
    cJSON *curve = cJSON_Parse("[[1, 1e9]]");
    for (int k = 0; k < 4; k++) {
        model_env t;
        client_conf cc = client_conf_of("disk", 1e6, 16, 0.3);
        cc.timeout = 50 * SIM_MS;
        bool rounds = orders[k] == DISK_ORDER_ROUNDS;
        disk_conf dkc = disk_const(rounds ? 0.5e6 : 2e6, rounds ? 0.5e6 : 2e6, 0, 8);
        dkc.shared_bw = 1e9;
        sim_dist_const(&dkc.journal, rounds ? 0 : 1e6);
        dkc.order = orders[k];
        dkc.device_queue = orders[k] == DISK_ORDER_ELEVATOR ? 2 : 1;
        if (rounds) {
            dkc.bw_curve = curve;
            sim_dist_const(&dkc.round_wake, 0.1e6);
            dkc.completion_cpus = 2;
            sim_dist_const(&dkc.completion_time, 0.3e6);
        }
        component *disk = client_on_disk(&t, &cc, &dkc);
        sim_run(&t.eng, 20 * SIM_MS);
        uint64_t before = t.ok;
        CHECK_TRUE(before > 0);
        comp_crash(disk);
        sim_run(&t.eng, 30 * SIM_MS);
        CHECK_EQ_U64(t.ok, before); /* nothing answered while down */
        comp_recover(disk);
        sim_run(&t.eng, 300 * SIM_MS);
        CHECK_TRUE(t.ok > before + 50);
        CHECK_TRUE(t.done > t.ok); /* the dropped ones timed out */
        model_env_free(&t);
    }
    cJSON_Delete(curve);
}

/* Users on a disk of B = 1 GB/s (dkc's other fields as given), 1 MB
 * objects, each user's first request after its own think time: n users,
 * user i writing when put[i] is 1 and reading when 0, starting at think[i]
 * ns. Started; the caller runs the engine and frees t. */
static void users_on_disk(model_env *t, int n, const double *put, const double *think, disk_conf *dkc)
{
    static const char *const names[] = { "user-a", "user-b", "user-c", "user-d" };
    client_conf cc[4];
    component *u[4];
    tenv_init(t);
    for (int i = 0; i < n && i < 4; i++) {
        cc[i] = client_conf_of("disk", 1e6, 1, put[i]);
        sim_dist_const(&cc[i].think, think[i]);
        u[i] = model_env_add(t, &client_kind, names[i], 0, &cc[i]);
    }
    dkc->shared_bw = 1e9;
    model_env_add(t, &disk_kind, "disk", 0, dkc);
    CHECK_EQ_I64(model_env_link(t), 0);
    for (int i = 0; i < n && i < 4; i++) u[i]->kind->ops->start(u[i]);
}

/* Weighted sharing of the disk's bandwidth: B = 1 GB/s, 1 MB objects whose
 * lone read and write both take exactly 1 MB / B = 1 ms (so no channel time:
 * the whole request is its transfer), write_weight 0.25. A read and a write
 * start together: the read gets 1 / 1.25 = 0.8 of B and ends at 1.25 ms,
 * when the write has 0.25 MB; the write's other 0.75 MB then go at the full
 * B (the reader is thinking for 10 ms): 2.0 ms. With equal weights both
 * would end at 2 ms. (A closed-loop user starts after one think time: both
 * think 10 ms, so both start at 10 ms.) */
static void test_disk_write_weight(void)
{
    for (int k = 0; k < 2; k++) {
        model_env t;
        disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
        dkc.write_weight = k ? 1 : 0.25;
        users_on_disk(&t, 2, (const double[]){ 0, 1 }, (const double[]){ 10e6, 10e6 }, &dkc);
        sim_run(&t.eng, 15 * SIM_MS);
        CHECK_EQ_I64(t.first_by_op[REQ_GET], k ? 2 * SIM_MS : 1250 * SIM_US);
        CHECK_EQ_I64(t.first_by_op[REQ_PUT], 2 * SIM_MS);
        model_env_free(&t);
    }
}

/* write_share: at most round(share x writes) writes transfer at once. B =
 * 1 GB/s, 1 MB writes of exactly 1 ms alone (all of it transfer); writer A
 * starts at 10 ms, writer B at 10.5 ms. With a share of 0.5, two writes at
 * the disk may transfer one at a time: B waits for A, which ends at 11 ms
 * (1 ms), and B then ends at 12 ms (1.5 ms). Sharing (1), A has half of its
 * bytes at 10.5 ms and gets half of B from then: both end at 11.5 and 12
 * ms, 1.5 ms each. */
static void test_disk_write_share(void)
{
    static const double writes[3] = { 1, 1, 1 }, think[3] = { 10e6, 10.5e6, 10.8e6 };
    for (int k = 0; k < 2; k++) {
        model_env t;
        disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
        dkc.write_share = k ? 1 : 0.5;
        users_on_disk(&t, 2, writes, think, &dkc);
        sim_run(&t.eng, 12500 * SIM_US);
        CHECK_EQ_U64(t.done, 2);
        CHECK_EQ_I64(t.first_latency, k ? 1500 * SIM_US : 1 * SIM_MS);
        CHECK_EQ_I64(t.last_latency, 1500 * SIM_US);
        model_env_free(&t);
    }
    /* Three writers, C at 10.8 ms: the limit follows the writes at the
     * disk. B waits from 10.5 ms (two writes: one at a time). When C comes
     * there are three, and round(1.5) = 2 may transfer: B starts at 10.8
     * ms, sharing with A, which has 0.2 MB left and ends at 11.2 ms (1.2
     * ms). Then two writes again, one at a time: B, with 0.2 MB, ends alone
     * at 12.0 ms (1.5 ms), and C, which waited, at 13.0 ms (2.2 ms). */
    model_env t;
    disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
    dkc.write_share = 0.5;
    users_on_disk(&t, 3, writes, think, &dkc);
    sim_run(&t.eng, 13100 * SIM_US);
    CHECK_EQ_U64(t.done, 3);
    CHECK_EQ_I64(t.first_latency, 1200 * SIM_US);
    CHECK_EQ_I64(t.last_latency, 2200 * SIM_US);
    model_env_free(&t);
}

/* write_weight_curve: the weight follows the number of transfers in
 * progress, and a write in progress is re-weighed whenever that number
 * changes. B = 1 GB/s, 1 MB objects (1 ms alone, all of it transfer),
 * weight 0.25 with up to 2 transfers, 1 with 3: reader R and writer A start
 * at 10 ms, writer B at 10.5 ms.
 * - 10-10.5 ms, R and A at weights 1 and 0.25: R gets 0.8 GB/s (0.4 MB in),
 *   A 0.2 GB/s (0.1 MB in);
 * - at 10.5 B joins: weight 1, equal thirds. R's last 0.6 MB take 1.8 ms:
 *   it ends at 12.3 ms, when A has 0.3 MB left and B 0.4 MB;
 * - two writes, equal weights: A ends after 0.6 ms, at 12.9 ms.
 * Had A kept its weight of 0.25 when B came, R would end earlier. */
static void test_disk_write_weight_curve(void)
{
    model_env t;
    disk_conf dkc = disk_const(1e6, 1e6, 0, 8);
    cJSON *curve = cJSON_Parse("[[2, 0.25], [3, 1]]");
    dkc.ww_curve = curve;
    users_on_disk(&t, 3, (const double[]){ 0, 1, 1 }, (const double[]){ 10e6, 10e6, 10.5e6 }, &dkc);
    sim_run(&t.eng, 15 * SIM_MS);
    /* first_by_op holds the first response time of each op: R's 2.3 ms and
     * A's 2.9 ms, within a ns of rounding per change of n */
    CHECK_NEAR((double)t.first_by_op[REQ_GET], 2.3e6, 3);
    CHECK_NEAR((double)t.first_by_op[REQ_PUT], 2.9e6, 3);
    model_env_free(&t);
    cJSON_Delete(curve);
}

/* scenarios/writes.json end to end: 70% GET / 30% PUT through an edge, a
 * gateway writing 3 copies with quorum 2. The PUT share is binomial: with n
 * requests its standard deviation is sqrt(0.3 * 0.7 / n), under 0.5% for the
 * ~12,000 requests of the run, so 0.3 +- 0.02 (4 sd) cannot fail by chance.
 * The data nodes receive exactly the GET misses plus 3 copies per
 * replicated PUT, up to the requests in flight at the warm-up and the end
 * (a few per ms of latency: at most 1% here). PUTs are slower than GETs at
 * the median (the write is 1.7 ms against the read's ~0.6 ms, plus the
 * metadata update's 2 ms against 1 ms, while both share the last mile).
 * Two runs are identical. */
static void test_e2e_mixed(void)
{
    char *dir = tests_mkdtemp();
    char cmd[8192];
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd, "%s run scenarios/writes.json --quiet --out %s/r%d", tests_cdnsim_bin(), dir, k);
        CHECK_EQ_I64(tests_run(cmd, NULL, NULL), 0);
    }
    char p0[4200], p1[4200];
    snprintf(p0, sizeof p0, "%s/r0/summary.json", dir);
    snprintf(p1, sizeof p1, "%s/r1/summary.json", dir);
    char *a = tests_read_file(p0, NULL), *b = tests_read_file(p1, NULL);
    CHECK_TRUE(a && b);
    cJSON *s = a ? cJSON_Parse(a) : NULL;
    CHECK_TRUE(s != NULL);
    if (s) {
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(s, "by_op");
        const cJSON *get = cJSON_GetObjectItemCaseSensitive(by, "GET");
        const cJSON *put = cJSON_GetObjectItemCaseSensitive(by, "PUT");
        CHECK_TRUE(get && put);
        double ng = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(get, "requests"), "issued")->valuedouble;
        double np = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(put, "requests"), "issued")->valuedouble;
        CHECK_TRUE(ng + np > 10000);
        CHECK_NEAR(np / (ng + np), 0.3, 0.02);
        double failed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "requests"), "failed")->valuedouble;
        CHECK_TRUE(failed == 0);
        double gp50 = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(get, "latency_ms"), "p50")->valuedouble;
        double pp50 = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(put, "latency_ms"), "p50")->valuedouble;
        CHECK_TRUE(pp50 > gp50);
        const cJSON *comps = cJSON_GetObjectItemCaseSensitive(s, "components");
        double misses = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(comps, "edge"), "misses_forwarded")->valuedouble;
        double copies = 0, puts = 0, dn = 0;
        const char *gws[] = { "gateway-1", "gateway-2" }, *dns[] = { "dn1", "dn2", "dn3", "dn4" };
        for (int i = 0; i < 2; i++) {
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(comps, gws[i]);
            copies += cJSON_GetObjectItemCaseSensitive(g, "copies_sent")->valuedouble;
            puts += cJSON_GetObjectItemCaseSensitive(g, "replicated_puts")->valuedouble;
            CHECK_TRUE(cJSON_GetObjectItemCaseSensitive(g, "quorum_failures")->valuedouble == 0);
        }
        for (int i = 0; i < 4; i++)
            dn += cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(comps, dns[i]), "requests")->valuedouble;
        CHECK_EQ_I64(copies, 3 * puts);
        CHECK_NEAR(puts, np, 0.01 * np);
        CHECK_NEAR(dn, misses + copies, 0.01 * dn);
        cJSON_Delete(s);
    }
    /* determinism: the summaries differ only in the wall-clock lines */
    if (a && b) {
        char *x = strstr(a, "\"scenario\""), *y = strstr(b, "\"scenario\"");
        char *xw = x ? strstr(x, "\"wall_s\"") : NULL, *yw = y ? strstr(y, "\"wall_s\"") : NULL;
        CHECK_TRUE(x && y && xw && yw && xw - x == yw - y && memcmp(x, y, (size_t)(xw - x)) == 0);
    }
    free(a);
    free(b);
    tests_rmtree(dir);
    free(dir);
}

/* The same mistakes through the scenario reader: exit 2, located at the key. */
static void test_validate_errors(void)
{
    static const char *const cases[][2] = {
        { "--set components.gateway.write_quorum=4",
          "components[3].write_quorum: expected a write quorum of at most replicas (3), found 4" },
        { "--set components.gateway.replicas=5 --set components.gateway.write_quorum=1",
          "components[3].replicas: expected at most as many replicas as data nodes (4), found 5" },
        { "--set 'components.users.mix={\"GET\": \"70%\", \"HEAD\": \"30%\"}'",
          "components[0].mix.HEAD: HEAD is not supported yet" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cmd[1024];
        char *err = NULL;
        snprintf(cmd, sizeof cmd, "%s validate scenarios/writes.json %s", tests_cdnsim_bin(), cases[i][0]);
        CHECK_EQ_I64(tests_run(cmd, NULL, &err), 2);
        CHECK_CONTAINS(err, cases[i][1]);
        free(err);
    }
}

void test_models_write_register(void)
{
    static const tests_case cases[] = {
        { "put_exact_time", test_put_exact_time },
        { "quorum_times", test_quorum_times },
        { "quorum_failure", test_quorum_failure },
        { "gateway_crash_mid_write", test_gateway_crash_mid_write },
        { "disk_journal", test_disk_journal },
        { "disk_write_weight", test_disk_write_weight },
        { "disk_write_weight_curve", test_disk_write_weight_curve },
        { "disk_write_share", test_disk_write_share },
        { "disk_journal_gate", test_disk_journal_gate },
        { "disk_journal_drawn", test_disk_journal_drawn },
        { "disk_slow_mid_transfer", test_disk_slow_mid_transfer },
        { "disk_spells", test_disk_spells },
        { "disk_write_tail", test_disk_write_tail },
        { "disk_sharing_three_sizes", test_disk_sharing_three_sizes },
        { "disk_crash_every_order", test_disk_crash_every_order },
        { "quorum_errors", test_quorum_errors },
        { "edge_put_invalidates", test_edge_put_invalidates },
        { "e2e_mixed", test_e2e_mixed },
        { "validate_errors", test_validate_errors },
        { NULL, NULL },
    };
    tests_add_suite("models_write", cases);
}
