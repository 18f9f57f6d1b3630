/* models/db.c - replicated database with failover (see db.h).
 * First cut: routing to the primary only; failover follows. */
#include "models/db.h"

#include <stdlib.h>

#include "sim/errors.h"

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

/* ---- db_node --------------------------------------------------------------- */

typedef struct db_node_state {
    station st;
} db_node_state;

static void node_done(void *owner, request *r)
{
    component *c = owner;
    comp_respond(c, r, req_response_bytes(r));
}

static int node_create(component *c, conf_errors *errs)
{
    db_node_conf *cf = c->conf;
    db_node_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    station_conf sc = { cf->servers, cf->queue_limit, cf->read_service, 0 };
    int rc = station_init(&s->st, c->env->eng, &sc, c->rng, node_done, c);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "expected at least one server");
        return SIM_EPARSE;
    }
    if (rc != 0) return rc;
    c->st = &s->st;
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
    .free = node_free,
    .crash = node_crash,
};

const comp_kind db_node_kind = {
    .name = "db_node",
    .help = "one database server (primary or replica of a \"db\"): a queueing station with read and write service times",
    .fields = db_node_fields,
    .conf_size = sizeof(db_node_conf),
    .ops = &db_node_ops,
    .flags = 0,
};

/* ---- db -------------------------------------------------------------------- */

typedef struct db_state {
    component **nodes;
    size_t n;
    int primary;
} db_state;

int db_primary(const component *db)
{
    const db_state *s = db->state;
    return s ? s->primary : -1;
}

static int db_create(component *c, conf_errors *errs)
{
    (void)errs;
    db_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    return 0;
}

static int db_link(component *c, conf_errors *errs)
{
    db_state *s = c->state;
    int rc = comp_resolve(c, "nodes", true, &s->nodes, &s->n, errs);
    if (rc != 0) return rc;
    s->primary = 0;
    return 0;
}

static void db_on_request(component *c, request *r)
{
    db_state *s = c->state;
    comp_forward(c, s->nodes[s->primary], r, 0, req_request_bytes(r));
}

static void db_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    comp_respond(c, r, req_response_bytes(r));
}

static void db_free(component *c)
{
    db_state *s = c->state;
    if (!s) return;
    free(s->nodes);
    free(s);
    c->state = NULL;
}

static const comp_ops db_ops = {
    .create = db_create,
    .link = db_link,
    .on_request = db_on_request,
    .on_response = db_on_response,
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
