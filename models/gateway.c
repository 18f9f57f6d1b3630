/* models/gateway.c - object-store gateway: station, metadata, data node. */
#include "models/gateway.h"

#include <stdlib.h>

#include "sim/errors.h"
#include "sim/rng.h"

/* Default handling: lognormal mean 200 us, p99 1 ms (TLS-terminated request
 * parsing and signature check), 32 workers. */
static const conf_field gateway_fields[] = {
    STATION_FIELDS(gateway_conf, st, "32", "{\"lognormal\": {\"mean\": \"200us\", \"p99\": \"1ms\"}}", "-1"),
    { "metadata", CONF_REF, offsetof(gateway_conf, metadata), "\"\"",
      "id of the metadata service asked before each read (empty: none)", 0, 0, NULL, NULL },
    { "datanodes", CONF_REFLIST, offsetof(gateway_conf, datanodes), NULL,
      "ids (or group) of the data nodes; an object lives on one, chosen by hash", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

enum { GW_META = 1, GW_DATA = 2 };

typedef struct gateway_state {
    station st;
    component *meta;
    component **dn;
    size_t ndn;
    uint64_t salt;  /* placement: the same for every gateway of a group */
} gateway_state;

static void gateway_done(void *owner, request *r);

static int gateway_create(component *c, conf_errors *errs)
{
    gateway_conf *cf = c->conf;
    gateway_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    s->salt = sim_rng_key(0, c->group ? c->group : c->id);
    int rc = station_init(&s->st, c->env->eng, &cf->st, c->rng, gateway_done, c);
    if (rc == SIM_EINVAL) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "expected at least one server");
        return SIM_EPARSE;
    }
    if (rc != 0) return rc;
    c->st = &s->st;
    return 0;
}

static int gateway_link(component *c, conf_errors *errs)
{
    gateway_state *s = c->state;
    component **m = NULL;
    size_t nm = 0;
    int rc = comp_resolve(c, "metadata", false, &m, &nm, errs);
    if (rc == 0 && nm) s->meta = m[0];
    free(m);
    int rc2 = comp_resolve(c, "datanodes", true, &s->dn, &s->ndn, errs);
    return rc ? rc : rc2;
}

static void to_datanode(component *c, request *r)
{
    gateway_state *s = c->state;
    size_t i = s->ndn == 1 ? 0 : (size_t)(sim_mix64(r->object ^ s->salt) % s->ndn);
    comp_forward(c, s->dn[i], r, GW_DATA, req_request_bytes(r));
}

static void gateway_done(void *owner, request *r)
{
    component *c = owner;
    gateway_state *s = c->state;
    if (s->meta) comp_forward(c, s->meta, r, GW_META, 0);
    else to_datanode(c, r);
}

static void gateway_on_request(component *c, request *r)
{
    gateway_state *s = c->state;
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

static void gateway_on_response(component *c, request *r, const req_hop *hop)
{
    if (hop->state == GW_META && (r->status == REQ_PENDING || r->status == REQ_OK)) {
        /* the metadata answered: the request now arrives for its second step */
        r->arrived = hop->arrived;
        to_datanode(c, r);
        return;
    }
    comp_respond(c, r, req_response_bytes(r));
}

static void gateway_drop(void *owner, request *r) { comp_drop(owner, r); }

static void gateway_crash(component *c)
{
    gateway_state *s = c->state;
    station_drop_all(&s->st, gateway_drop);
}

static void gateway_free(component *c)
{
    gateway_state *s = c->state;
    station_free(&s->st);
    free(s->dn);
    free(s);
    c->state = NULL;
}

static const comp_ops gateway_ops = {
    .create = gateway_create,
    .link = gateway_link,
    .on_request = gateway_on_request,
    .on_response = gateway_on_response,
    .free = gateway_free,
    .crash = gateway_crash,
};

const comp_kind gateway_kind = {
    .name = "gateway",
    .help = "object-store front end: handles the request, asks metadata, reads from the data node holding the object",
    .fields = gateway_fields,
    .conf_size = sizeof(gateway_conf),
    .ops = &gateway_ops,
    .flags = 0,
};
