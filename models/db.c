/* models/db.c - replicated database with failover (see db.h). */
#include "models/db.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/comp_station.h"
#include "models/prober.h"
#include "sim/errors.h"
#include "sim/rng.h"

static const char *const db_read_names[] = { "primary", "replicas", "any", NULL };
static const char *const db_failover_names[] = { "fail", "queue", NULL };

static const conf_field db_fields[] = {
    { "nodes", CONF_REFLIST, offsetof(db_conf, nodes), NULL,
      "ids (or a group) of the db_node servers; the first is the primary at the start", 0, 0, NULL, NULL },
    { "read_from", CONF_ENUM, offsetof(db_conf, read_from), "\"primary\"",
      "where reads go: primary, replicas (round robin; the primary when none is up) or any", 0, 0,
      db_read_names, NULL },
    { "replication_lag", CONF_DIST_TIME, offsetof(db_conf, replication_lag), "{\"exp\": \"50ms\"}",
      "delay from a commit on the primary to its arrival on a replica (drawn per write and replica)", 0, 0, NULL,
      NULL },
    { "health_check", CONF_JSON, offsetof(db_conf, health_check), "null",
      "probing of the nodes: {interval, timeout, fall, rise} (docs/faults.md); absent: the defaults", 0, 0, NULL,
      NULL },
    { "promotion_delay", CONF_DURATION, offsetof(db_conf, promotion_delay), "\"5s\"",
      "from the primary being marked down to a replica being promoted", 0, 0, NULL, NULL },
    { "during_failover", CONF_ENUM, offsetof(db_conf, during_failover), "\"fail\"",
      "writes while there is no primary: fail at once, or queue (up to write_queue_limit)", 0, 0,
      db_failover_names, NULL },
    { "write_queue_limit", CONF_INT, offsetof(db_conf, write_queue_limit), "1000",
      "with during_failover \"queue\": most writes waiting for the new primary; more fail", 0, 1e9, NULL, NULL },
    COMP_TIMEOUT_FIELD(db_conf, timeout, "the node"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static const conf_field db_node_fields[] = {
    { "servers", CONF_INT, offsetof(db_node_conf, servers), "8",
      "queries served in parallel (c)", 1, 1e6, NULL, NULL },
    { "queue_limit", CONF_INT, offsetof(db_node_conf, queue_limit), "-1",
      "most queries waiting for a server; more are rejected (-1: unlimited)", -1, 1e12, NULL, NULL },
    { "read_service", CONF_DIST_TIME, offsetof(db_node_conf, read_service),
      "{\"lognormal\": {\"mean\": \"1ms\", \"p99\": \"5ms\"}}", "service time of a read (GET, HEAD)", 0, 0, NULL,
      NULL },
    { "write_service", CONF_DIST_TIME, offsetof(db_node_conf, write_service),
      "{\"lognormal\": {\"mean\": \"3ms\", \"p99\": \"15ms\"}}", "service time of a write (PUT, DELETE)", 0, 0,
      NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* ---- the object -> last commit map ------------------------------------------ */

/* Open addressing, linear probing; an empty slot has t < 0. It grows by
 * doubling at half full, so it allocates only when a write touches an object
 * never written before and the table is due to grow (amortised, bounded by
 * the number of distinct objects written), never per event otherwise. */
typedef struct db_kslot {
    uint64_t key;
    sim_time_t t;
} db_kslot;

typedef struct db_keymap {
    db_kslot *v;
    size_t cap, n;   /* cap: a power of two */
} db_keymap;

static int km_init(db_keymap *m, size_t cap)
{
    m->v = malloc(cap * sizeof *m->v);
    if (!m->v) return SIM_ENOMEM;
    for (size_t i = 0; i < cap; i++) m->v[i].t = -1;
    m->cap = cap;
    m->n = 0;
    return 0;
}

static sim_time_t km_get(const db_keymap *m, uint64_t key)
{
    for (size_t i = sim_mix64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->v[i].t < 0) return -1;
        if (m->v[i].key == key) return m->v[i].t;
    }
}

static void km_put_nogrow(db_keymap *m, uint64_t key, sim_time_t t)
{
    for (size_t i = sim_mix64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->v[i].t < 0) {
            m->v[i].key = key;
            m->v[i].t = t;
            m->n++;
            return;
        }
        if (m->v[i].key == key) {
            m->v[i].t = t;
            return;
        }
    }
}

static int km_put(db_keymap *m, uint64_t key, sim_time_t t)
{
    if (2 * (m->n + 1) > m->cap) {
        db_keymap g;
        if (km_init(&g, m->cap * 2) != 0) return SIM_ENOMEM;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].t >= 0) km_put_nogrow(&g, m->v[i].key, m->v[i].t);
        free(m->v);
        *m = g;
    }
    km_put_nogrow(m, key, t);
    return 0;
}

/* ---- state ------------------------------------------------------------------ */

#define DB_MAX_FAILOVERS 16

/* One failover, from the primary's crash to the first write on its successor. */
typedef struct db_failover {
    int old_primary, new_primary;   /* indices in nodes; new -1 until promoted */
    sim_time_t crash_at;            /* the primary crashed (ground truth, from its fault hook) */
    sim_time_t detected_at;         /* health check marked it down, or -1 */
    sim_time_t promoted_at;         /* a replica was promoted, or -1 */
    sim_time_t first_write_at;      /* first write committed on the new primary, or -1 */
    uint64_t lost;                  /* writes the promoted replica had not received */
} db_failover;

typedef struct db_state {
    component **nodes;
    size_t n;
    int primary;                    /* index, or -1 while there is none */
    uint32_t term;                  /* bumped at each promotion: replication of an older term is void */
    bool *up;                       /* what the health check believes */
    sim_time_t *applied;            /* per node: commit time of the last write it has received */
    sim_time_t *last_arrival;       /* per node: arrival of the last write sent to it (in-order stream) */
    uint64_t *received;             /* per node: writes of the current term received */
    uint64_t *reads_at;             /* per node: reads sent since the last reset */
    uint64_t term_commits;          /* writes committed in the current term */
    sim_time_t last_commit;         /* time of the latest commit, or -1 */
    db_keymap km;
    prober pr;
    gsl_rng *lag_rng;               /* "<id>/replication" */
    size_t rr;                      /* read round robin position */
    bool promotion_pending;
    /* writes waiting for a primary (during_failover "queue"), linked through qnext */
    request *wq_head, *wq_tail;
    size_t wq_len;
    /* failovers (kept across the warm-up reset: they are events, not rates) */
    db_failover fo[DB_MAX_FAILOVERS];
    size_t nfo;
    db_failover *cur;               /* the failover in progress, or NULL */
    /* counters since the last reset */
    uint64_t reads, writes, failed_reads, failed_writes, queued_writes, stale_reads, replica_reads;
    uint64_t refused;               /* sends to a crashed node refused at once */
} db_state;

typedef struct db_node_state {
    station st;
    component *db;                  /* the cluster it belongs to (set by the db's link), or NULL */
    size_t idx;                     /* its index in the cluster's nodes */
    uint64_t reads, writes;         /* served since the last reset */
} db_node_state;

static void db_node_served(component *db, component *node, size_t idx, request *r);
static void db_node_crashed(component *db, size_t idx);
static void db_node_recovered(component *db, size_t idx);

/* ---- db_node --------------------------------------------------------------- */

static void node_done(void *owner, request *r)
{
    component *c = owner;
    db_node_state *s = c->state;
    if (comp_measuring(c)) {
        if (db_op_is_write(r->op)) s->writes++;
        else s->reads++;
    }
    if (s->db) {
        db_node_served(s->db, c, s->idx, r);
        return;
    }
    comp_respond(c, r, req_response_bytes(r));
}

static int node_create(component *c, conf_errors *errs)
{
    db_node_conf *cf = c->conf;
    db_node_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    station_conf sc = { cf->servers, cf->queue_limit, cf->read_service, 0 };
    int rc = comp_station_init(c, &s->st, &sc, node_done, errs);
    if (rc != 0) return rc;
    s->st.op_service[REQ_PUT] = &cf->write_service;
    s->st.op_service[REQ_DELETE] = &cf->write_service;
    return 0;
}

static void node_on_request(component *c, request *r)
{
    db_node_state *s = c->state;
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

static void node_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    comp_respond(c, r, req_response_bytes(r));
}

static void node_drop(void *owner, request *r) { comp_drop(owner, r); }

static void node_crash(component *c)
{
    db_node_state *s = c->state;
    station_drop_all(&s->st, node_drop);
    if (s->db) db_node_crashed(s->db, s->idx);
}

static void node_recover(component *c)
{
    db_node_state *s = c->state;
    if (s->db) db_node_recovered(s->db, s->idx);
}

static void node_reset_stats(component *c)
{
    db_node_state *s = c->state;
    s->reads = s->writes = 0;
}

static void node_report(component *c, cJSON *o)
{
    db_node_state *s = c->state;
    comp_json_num(o, "servers", (double)s->st.servers, "%.0f");
    comp_json_latency(o, "wait_ms", &s->st.wait);
    comp_json_num(o, "reads_served", (double)s->reads, "%.0f");
    comp_json_num(o, "writes_served", (double)s->writes, "%.0f");
    if (s->db) {
        const db_state *d = s->db->state;
        cJSON_AddStringToObject(o, "role", (int)s->idx == d->primary ? "primary" : "replica");
        cJSON_AddStringToObject(o, "database", s->db->id);
    }
}

static void node_free(component *c)
{
    db_node_state *s = c->state;
    if (!s) return;
    station_free(&s->st);
    free(s);
    c->state = NULL;
}

static const comp_ops db_node_ops = {
    .create = node_create,
    .on_request = node_on_request,
    .on_response = node_on_response,
    .reset_stats = node_reset_stats,
    .report = node_report,
    .free = node_free,
    .crash = node_crash,
    .recover = node_recover,
};

const comp_kind db_node_kind = {
    .name = "db_node",
    .help = "one database server (primary or replica of a \"db\"): a queueing station with read and write service times",
    .fields = db_node_fields,
    .conf_size = sizeof(db_node_conf),
    .ops = &db_node_ops,
    .flags = 0,
};

/* ---- db: routing --------------------------------------------------------------- */

int db_primary(const component *db)
{
    const db_state *s = db->state;
    return s ? s->primary : -1;
}

static void db_event(component *c, const char *what, const component *target, const char *detail)
{
    if (c->env->event) c->env->event(c->env, what, target, detail);
}

/* The endpoint answers r with an error itself. */
static void db_fail(component *c, request *r)
{
    db_state *s = c->state;
    if (db_op_is_write(r->op)) s->failed_writes++;
    else s->failed_reads++;
    r->status = REQ_FAILED;
    comp_respond(c, r, 0);
}

static void db_send(component *c, size_t i, request *r)
{
    db_state *s = c->state;
    comp_forward_timed(c, s->nodes[i], r, (uint32_t)i, req_request_bytes(r));
}

/* A write with no primary to take it: fail it, or hold it. */
static void db_no_primary(component *c, request *r)
{
    db_conf *cf = c->conf;
    db_state *s = c->state;
    if (cf->during_failover == DB_FAILOVER_QUEUE && (int64_t)s->wq_len < cf->write_queue_limit) {
        r->qnext = NULL;
        if (s->wq_tail) s->wq_tail->qnext = r;
        else s->wq_head = r;
        s->wq_tail = r;
        s->wq_len++;
        s->queued_writes++;
        return;
    }
    db_fail(c, r);
}

/* Sends the held writes to the primary, in arrival order. */
static void db_flush_queue(component *c)
{
    db_state *s = c->state;
    while (s->wq_head && s->primary >= 0 && !s->nodes[s->primary]->down) {
        request *r = s->wq_head;
        s->wq_head = r->qnext;
        if (!s->wq_head) s->wq_tail = NULL;
        s->wq_len--;
        r->qnext = NULL;
        db_send(c, (size_t)s->primary, r);
    }
}

static void db_route_write(component *c, request *r)
{
    db_state *s = c->state;
    if (s->primary < 0 || s->nodes[s->primary]->down) {
        if (s->primary >= 0) s->refused++;
        db_no_primary(c, r);
        return;
    }
    if (s->wq_head) db_flush_queue(c); /* the primary came back before it was replaced */
    db_send(c, (size_t)s->primary, r);
}

/* Whether node i may get reads under the policy (believed up, and a replica
 * unless the policy allows the primary). */
static bool db_read_candidate(const db_state *s, int policy, size_t i)
{
    if (!s->up[i]) return false;
    if ((int)i == s->primary) return policy != DB_READ_REPLICAS;
    return policy != DB_READ_PRIMARY;
}

static void db_route_read(component *c, request *r)
{
    db_conf *cf = c->conf;
    db_state *s = c->state;
    int policy = cf->read_from;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < s->n; k++) {
            size_t i = (s->rr + k) % s->n;
            if (!db_read_candidate(s, policy, i)) continue;
            if (s->nodes[i]->down) {
                s->refused++; /* refused at once: try the next one */
                continue;
            }
            s->rr = (i + 1) % s->n;
            if ((int)i != s->primary) s->replica_reads++;
            if (comp_measuring(c)) s->reads_at[i]++;
            db_send(c, i, r);
            return;
        }
        /* no replica: the primary serves the reads */
        if (policy != DB_READ_REPLICAS) break;
        policy = DB_READ_PRIMARY;
    }
    db_fail(c, r);
}

static void db_on_request(component *c, request *r)
{
    db_state *s = c->state;
    if (db_op_is_write(r->op)) {
        s->writes++;
        db_route_write(c, r);
    } else {
        s->reads++;
        db_route_read(c, r);
    }
}

static void db_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    db_state *s = c->state;
    if (r->status != REQ_PENDING && r->status != REQ_OK) {
        if (db_op_is_write(r->op)) s->failed_writes++;
        else s->failed_reads++;
    }
    comp_respond(c, r, req_response_bytes(r));
}

/* ---- db: replication ------------------------------------------------------------ */

/* A replicated write reaches node (ev->target): data = commit time, arg = term. */
static void ev_replicated(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *node = ev->target;
    db_node_state *ns = node->state;
    db_state *s = ns->db->state;
    if ((uint32_t)(uintptr_t)ev->arg != s->term || node->down) return; /* a stream that no longer exists */
    sim_time_t commit = (sim_time_t)ev->data;
    if (commit > s->applied[ns->idx]) s->applied[ns->idx] = commit;
    s->received[ns->idx]++;
}

/* A node finished serving r: commit a write on the primary and ship it to
 * the replicas; count a read on a replica as stale when the last write to
 * its object has not reached that replica. Then answer. */
static void db_node_served(component *db, component *node, size_t idx, request *r)
{
    db_conf *cf = db->conf;
    db_state *s = db->state;
    sim_engine *eng = db->env->eng;
    sim_time_t now = eng->now;
    if (!db_op_is_write(r->op)) {
        if ((int)idx != s->primary) {
            sim_time_t w = km_get(&s->km, r->object);
            if (w >= 0 && w > s->applied[idx] && comp_measuring(db)) s->stale_reads++;
        }
        comp_respond(node, r, req_response_bytes(r));
        return;
    }
    if ((int)idx != s->primary) {
        /* demoted while it was serving the write: a replica is read-only */
        r->status = REQ_FAILED;
        comp_respond(node, r, 0);
        return;
    }
    if (km_put(&s->km, r->object, now) != 0) {
        comp_out_of_memory(db);
        return;
    }
    s->last_commit = now;
    s->term_commits++;
    s->applied[idx] = now;
    s->received[idx]++;
    if (s->cur && s->cur->new_primary < 0 && s->cur->old_primary == (int)idx) {
        /* the primary came back before it was replaced: the failover ends here */
        s->cur->new_primary = (int)idx;
    }
    if (s->cur && s->cur->new_primary == (int)idx && s->cur->first_write_at < 0) {
        s->cur->first_write_at = now;
        char d[160];
        snprintf(d, sizeof d, "first write on the new primary, %.3f s after the crash",
                 sim_time_to_s(now - s->cur->crash_at));
        db_event(db, "db_writes_back", node, d);
        s->cur = NULL;
    }
    for (size_t j = 0; j < s->n; j++) {
        if (j == idx || s->nodes[j]->down) continue;
        sim_time_t at = now + sim_dist_sample_time(&cf->replication_lag, s->lag_rng);
        if (at < s->last_arrival[j]) at = s->last_arrival[j];
        s->last_arrival[j] = at;
        sim_schedule_at(eng, at, ev_replicated, s->nodes[j], (void *)(uintptr_t)s->term, (uint64_t)now);
    }
    comp_respond(node, r, req_response_bytes(r));
}

/* ---- db: failover ---------------------------------------------------------------- */

static void db_node_crashed(component *db, size_t idx)
{
    db_state *s = db->state;
    if ((int)idx != s->primary || s->cur) return;
    /* the replication stream from it stops: what had not reached a replica
     * by now never will (asynchronous replication) */
    s->term++;
    if (s->nfo == DB_MAX_FAILOVERS) return; /* counted no further (a scenario with that many is unusual) */
    db_failover *f = &s->fo[s->nfo++];
    *f = (db_failover){ (int)idx, -1, db->env->eng->now, -1, -1, -1, 0 };
    s->cur = f;
}

static void db_node_recovered(component *db, size_t idx)
{
    /* it restores from a snapshot and catches up on the stream at once (an
     * assumption: catching up is not modelled) */
    db_state *s = db->state;
    s->applied[idx] = s->last_commit;
    s->last_arrival[idx] = db->env->eng->now;
}

static void ev_promote(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    db_state *s = c->state;
    s->promotion_pending = false;
    if (s->primary >= 0) return;
    int best = -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->up[i] && (best < 0 || s->applied[i] > s->applied[best])) best = (int)i;
    if (best < 0) {
        db_event(c, "db_promotion_failed", c, "no replica is up; waiting for one");
        return;
    }
    uint64_t lost = s->term_commits > s->received[best] ? s->term_commits - s->received[best] : 0;
    s->primary = best;
    s->term++;
    s->term_commits = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->received[i] = 0;
        /* replicas now follow the new primary from what it has */
        if ((int)i != best && s->applied[i] > s->applied[best]) s->applied[i] = s->applied[best];
    }
    if (s->cur) {
        s->cur->new_primary = best;
        s->cur->promoted_at = eng->now;
        s->cur->lost = lost;
    }
    char d[200];
    snprintf(d, sizeof d, "promoted to primary; %llu writes it had not received are lost", (unsigned long long)lost);
    db_event(c, "db_promoted", s->nodes[best], d);
    db_flush_queue(c);
}

static void db_schedule_promotion(component *c)
{
    db_conf *cf = c->conf;
    db_state *s = c->state;
    if (s->promotion_pending) return;
    s->promotion_pending = true;
    sim_schedule(c->env->eng, cf->promotion_delay, ev_promote, c, NULL, 0);
}

static void db_health_change(component *c, size_t i, bool up)
{
    db_state *s = c->state;
    s->up[i] = up;
    if (!up && (int)i == s->primary) {
        s->primary = -1;
        if (!s->cur && s->nfo < DB_MAX_FAILOVERS) {
            /* marked down without a crash (a partition, lost probes) or after
             * it came back: the failover starts at its detection */
            db_failover *f = &s->fo[s->nfo++];
            *f = (db_failover){ (int)i, -1, c->env->eng->now, -1, -1, -1, 0 };
            s->cur = f;
        }
        if (s->cur && s->cur->detected_at < 0) s->cur->detected_at = c->env->eng->now;
        db_event(c, "db_primary_lost", s->nodes[i], "primary marked down; promotion scheduled");
        db_schedule_promotion(c);
    } else if (up && s->primary < 0) {
        db_schedule_promotion(c); /* an earlier promotion found no replica */
    }
}

/* ---- db: life cycle ------------------------------------------------------------------ */

static int db_create(component *c, conf_errors *errs)
{
    db_conf *cf = c->conf;
    db_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    c->hop_timeout = cf->timeout;
    s->primary = -1;
    s->last_commit = -1;
    s->lag_rng = comp_stream(c, "replication");
    if (!s->lag_rng || km_init(&s->km, 1024) != 0) return SIM_ENOMEM;
    char name[512];
    snprintf(name, sizeof name, "%s.health_check", c->jpath);
    return prober_init(&s->pr, c, cf->health_check, name, errs);
}

static int db_link(component *c, conf_errors *errs)
{
    db_state *s = c->state;
    int rc = comp_resolve(c, "nodes", true, &s->nodes, &s->n, errs);
    if (rc != 0) return rc;
    for (size_t i = 0; i < s->n; i++) {
        component *nd = s->nodes[i];
        db_node_state *ns = nd->state;
        if (nd->kind != &db_node_kind || !ns) {
            rc = comp_field_error(c, errs, "nodes", "expected ids of db_node components, found \"%s\" of kind %s", nd->id,
                                  nd->kind->name);
            continue;
        }
        if (ns->db) {
            if (ns->db == c) rc = comp_field_error(c, errs, "nodes", "db_node \"%s\" is listed twice", nd->id);
            else
                rc = comp_field_error(c, errs, "nodes", "db_node \"%s\" already belongs to database \"%s\"", nd->id,
                                      ns->db->id);
            continue;
        }
        ns->db = c;
        ns->idx = i;
    }
    if (rc != 0) return rc;
    s->up = malloc(s->n * sizeof *s->up);
    s->applied = malloc(s->n * sizeof *s->applied);
    s->last_arrival = malloc(s->n * sizeof *s->last_arrival);
    s->received = calloc(s->n, sizeof *s->received);
    s->reads_at = calloc(s->n, sizeof *s->reads_at);
    if (!s->up || !s->applied || !s->last_arrival || !s->received || !s->reads_at) return SIM_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        s->up[i] = true;
        s->applied[i] = -1;
        s->last_arrival[i] = 0;
    }
    s->primary = 0;
    return prober_link(&s->pr, s->nodes, s->n, db_health_change);
}

static int db_start(component *c)
{
    db_state *s = c->state;
    prober_start(&s->pr);
    return 0;
}

static void db_reset_stats(component *c)
{
    db_state *s = c->state;
    s->reads = s->writes = s->failed_reads = s->failed_writes = s->queued_writes = 0;
    s->stale_reads = s->replica_reads = s->refused = 0;
    for (size_t i = 0; i < s->n; i++) s->reads_at[i] = 0;
}

/* Write unavailability of failover f up to now (ongoing ones count to now). */
static double db_unavail_s(const db_failover *f, sim_time_t now)
{
    return sim_time_to_s((f->first_write_at >= 0 ? f->first_write_at : now) - f->crash_at);
}

static void db_report(component *c, cJSON *o)
{
    db_conf *cf = c->conf;
    db_state *s = c->state;
    sim_time_t now = c->env->eng->now;
    static const char *const policies[] = { "primary", "replicas", "any" };
    cJSON_AddStringToObject(o, "read_from", policies[cf->read_from]);
    if (s->primary >= 0) cJSON_AddStringToObject(o, "primary", s->nodes[s->primary]->id);
    else cJSON_AddNullToObject(o, "primary");
    comp_json_num(o, "reads", (double)s->reads, "%.0f");
    comp_json_num(o, "writes", (double)s->writes, "%.0f");
    comp_json_num(o, "failed_reads", (double)s->failed_reads, "%.0f");
    comp_json_num(o, "failed_writes", (double)s->failed_writes, "%.0f");
    comp_json_num(o, "queued_writes", (double)s->queued_writes, "%.0f");
    comp_json_num(o, "refused_connections", (double)s->refused, "%.0f");
    comp_json_num(o, "replica_reads", (double)s->replica_reads, "%.0f");
    comp_json_num(o, "stale_reads", (double)s->stale_reads, "%.0f");
    double unavail = 0;
    uint64_t lost = 0;
    for (size_t k = 0; k < s->nfo; k++) {
        unavail += db_unavail_s(&s->fo[k], now);
        lost += s->fo[k].lost;
    }
    comp_json_num(o, "write_unavailable_s", unavail, "%.6f");
    comp_json_num(o, "writes_lost_in_failover", (double)lost, "%.0f");
    cJSON *arr = cJSON_AddArrayToObject(o, "failovers");
    for (size_t k = 0; arr && k < s->nfo; k++) {
        const db_failover *f = &s->fo[k];
        cJSON *e = cJSON_CreateObject();
        if (!e) break;
        cJSON_AddItemToArray(arr, e);
        cJSON_AddStringToObject(e, "old_primary", s->nodes[f->old_primary]->id);
        if (f->new_primary >= 0) cJSON_AddStringToObject(e, "new_primary", s->nodes[f->new_primary]->id);
        else cJSON_AddNullToObject(e, "new_primary");
        comp_json_num(e, "crash_at_s", sim_time_to_s(f->crash_at), "%.6f");
        if (f->detected_at >= 0) comp_json_num(e, "time_to_detect_s", sim_time_to_s(f->detected_at - f->crash_at), "%.6f");
        else cJSON_AddNullToObject(e, "time_to_detect_s");
        if (f->promoted_at >= 0) comp_json_num(e, "time_to_promote_s", sim_time_to_s(f->promoted_at - f->crash_at), "%.6f");
        else cJSON_AddNullToObject(e, "time_to_promote_s");
        comp_json_num(e, "write_unavailable_s", db_unavail_s(f, now), "%.6f");
        cJSON_AddBoolToObject(e, "writes_back", f->first_write_at >= 0);
        comp_json_num(e, "writes_lost", (double)f->lost, "%.0f");
    }
    cJSON *by = cJSON_AddObjectToObject(o, "reads_sent");
    for (size_t i = 0; by && i < s->n; i++) comp_json_num(by, s->nodes[i]->id, (double)s->reads_at[i], "%.0f");
    cJSON *down = cJSON_AddObjectToObject(o, "health_down_s");
    for (size_t i = 0; down && i < s->n; i++)
        comp_json_num(down, s->nodes[i]->id, sim_time_to_s(prober_down_time(&s->pr, i)), "%.6f");
}

static void db_free(component *c)
{
    db_state *s = c->state;
    if (!s) return;
    prober_free(&s->pr);
    if (s->lag_rng) gsl_rng_free(s->lag_rng);
    free(s->km.v);
    free(s->nodes);
    free(s->up);
    free(s->applied);
    free(s->last_arrival);
    free(s->received);
    free(s->reads_at);
    free(s);
    c->state = NULL;
}

static const comp_ops db_ops = {
    .create = db_create,
    .link = db_link,
    .start = db_start,
    .on_request = db_on_request,
    .on_response = db_on_response,
    .reset_stats = db_reset_stats,
    .report = db_report,
    .free = db_free,
};

const comp_kind db_kind = {
    .name = "db",
    .help = "a replicated database endpoint: writes to the primary, reads by read_from, health checks and failover",
    .fields = db_fields,
    .conf_size = sizeof(db_conf),
    .ops = &db_ops,
    .flags = 0,
};
