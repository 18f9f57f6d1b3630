/* models/server.c - generic station-based server kind and shared ops. */
#include "models/server.h"

#include <stdlib.h>

#include "sim/errors.h"
#include "sim/rng.h"

/* The generic server: exponential service with mean 1 ms, one server, no
 * queue limit - the M/M/1 of textbooks when fed by an open-loop client. */
static const conf_field server_fields[] = {
    STATION_FIELDS(server_conf, st, "1", "{\"exp\": \"1ms\"}", "-1"),
    { "next", CONF_REFLIST, offsetof(server_conf, next), "[]",
      "ids (or groups) to forward to after service; one is chosen by object hash", 0, 0, NULL, NULL },
    COMP_TIMEOUT_FIELD(server_conf, timeout, "the next hop"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct server_state {
    station st;
    component **next;
    size_t nnext;
    uint64_t salt;  /* placement hash salt: independent of upstream choices */
    bool control;   /* a control-plane service (metadata): answers carry no object */
} server_state;

static void server_done(void *owner, request *r);

static int server_create(component *c, conf_errors *errs)
{
    server_conf *cf = c->conf;
    server_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    /* Members of one group share a placement (any replica of a stateless
     * tier sends an object to the same place); different groups use
     * different salts so that, e.g., a gateway's choice of data node and the
     * data node's choice of disk are independent. */
    s->salt = sim_rng_key(0, c->group ? c->group : c->id);
    c->hop_timeout = cf->timeout; /* 0 for kinds whose table has no "timeout" */
    cf->st.per_byte_ns = station_ns_per_byte(cf->bandwidth);
    int rc = station_init(&s->st, c->env->eng, &cf->st, c->rng, server_done, c);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "expected at least one server");
        return SIM_EPARSE;
    }
    if (rc != 0) return rc;
    /* A kind that declares write_service in its table serves PUTs from it. */
    for (const conf_field *f = c->kind->fields; f->key; f++)
        if (f->type == CONF_DIST_TIME && f->offset == offsetof(server_conf, write_service)) {
            s->st.op_service[REQ_PUT] = &cf->write_service;
            s->control = true;
        }
    c->st = &s->st;
    return 0;
}

static int server_link(component *c, conf_errors *errs)
{
    server_state *s = c->state;
    for (const conf_field *f = c->kind->fields; f->key; f++)
        if (f->type == CONF_REF || f->type == CONF_REFLIST) return comp_resolve(c, f->key, false, &s->next, &s->nnext, errs);
    return 0;
}

static void server_on_request(component *c, request *r)
{
    server_state *s = c->state;
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

static void server_done(void *owner, request *r)
{
    component *c = owner;
    server_state *s = c->state;
    if (s->nnext) {
        size_t i = s->nnext == 1 ? 0 : (size_t)(sim_mix64(r->object ^ s->salt) % s->nnext);
        comp_forward_timed(c, s->next[i], r, 0, req_request_bytes(r));
        return;
    }
    comp_respond(c, r, s->control ? 0 : req_response_bytes(r));
}

static void server_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    comp_respond(c, r, req_response_bytes(r));
}

static void server_drop(void *owner, request *r) { comp_drop(owner, r); }

static void server_crash(component *c)
{
    server_state *s = c->state;
    station_drop_all(&s->st, server_drop);
}

static void server_free(component *c)
{
    server_state *s = c->state;
    station_free(&s->st);
    free(s->next);
    free(s);
    c->state = NULL;
}

static void server_report(component *c, cJSON *o)
{
    server_state *s = c->state;
    comp_json_num(o, "servers", (double)s->st.servers, "%.0f");
    comp_json_latency(o, "wait_ms", &s->st.wait);
}

const comp_ops server_ops = {
    .create = server_create,
    .link = server_link,
    .on_request = server_on_request,
    .on_response = server_on_response,
    .report = server_report,
    .free = server_free,
    .crash = server_crash,
};

const comp_kind server_kind = {
    .name = "server",
    .help = "generic queueing server: c servers, FIFO queue, service-time distribution; optional next hop",
    .fields = server_fields,
    .conf_size = sizeof(server_conf),
    .ops = &server_ops,
    .flags = 0,
};
