/* models/gateway.c - object-store gateway: station, metadata, data node;
 * replicated writes with a quorum; reads that fail over to the next copy.
 *
 * With replicas > 1 a GET goes to the object's first copy; if that answers
 * with an error, refuses it, or (with `timeout`) does not answer in time,
 * the gateway asks the next copy, up to `replicas` copies in all, before
 * answering with the last one's outcome. A node that drops requests
 * without answering (crashed, no `refuse`) is only noticed through the
 * gateway's `timeout`. */
#include "models/gateway.h"

#include <stdlib.h>

#include "sim/errors.h"
#include "sim/rng.h"

/* Default handling: lognormal mean 200 us, p99 1 ms (TLS-terminated request
 * parsing and signature check), 32 workers. One copy of each object. */
static const conf_field gateway_fields[] = {
    STATION_FIELDS(gateway_conf, st, "32", "{\"lognormal\": {\"mean\": \"200us\", \"p99\": \"1ms\"}}", "-1"),
    { "metadata", CONF_REF, offsetof(gateway_conf, metadata), "\"\"",
      "id of the metadata service asked before each read and updated before each write (empty: none)", 0, 0,
      NULL, NULL },
    { "datanodes", CONF_REFLIST, offsetof(gateway_conf, datanodes), NULL,
      "ids (or group) of the data nodes; an object lives on one, chosen by hash, and the replicas - 1 after it",
      0, 0, NULL, NULL },
    { "replicas", CONF_INT, offsetof(gateway_conf, replicas), "1",
      "copies written by a PUT, on different data nodes (at most the number of data nodes)", 1, 64, NULL, NULL },
    { "write_quorum", CONF_INT, offsetof(gateway_conf, write_quorum), "0",
      "copies that must acknowledge before a PUT is answered (0: all replicas)", 0, 64, NULL, NULL },
    COMP_TIMEOUT_FIELD(gateway_conf, timeout, "the metadata service or a data node"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* Hop states: the low 2 bits say which step answered; a replica's hop also
 * carries its write's slot in the bits above, a data hop the number of the
 * copy being read (0: the first). */
enum { GW_META = 1, GW_DATA = 2, GW_REPLICA = 3 };

/* One replicated PUT in progress: the client's request waits here while its
 * copies are out. A slot is free again when every copy is back (or on a
 * crash); `gen` changes each time so that a copy from an older use of the
 * slot is recognised (it carries the generation in its `user` field). */
typedef struct gw_write {
    request *parent;         /* NULL once answered */
    uint32_t gen;
    uint32_t next_free;      /* free list link (index + 1; 0: end) */
    uint16_t pending, acks, fails;
    bool used;
} gw_write;

typedef struct gateway_state {
    station st;
    component *meta;
    component **dn;
    size_t ndn;
    uint64_t salt;  /* placement: the same for every gateway of a group */
    int64_t replicas, quorum;
    gw_write *w;
    uint32_t nw, free_head;  /* slots allocated; free list head (index + 1) */
    uint64_t puts, copies, quorum_failures, read_failovers;
} gateway_state;

static void gateway_done(void *owner, request *r);

static int gateway_create(component *c, conf_errors *errs)
{
    gateway_conf *cf = c->conf;
    gateway_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    s->salt = sim_rng_key(0, c->group ? c->group : c->id);
    c->hop_timeout = cf->timeout;
    /* a conf filled in by a program may leave them 0: one copy, all of it */
    s->replicas = cf->replicas > 0 ? cf->replicas : 1;
    s->quorum = cf->write_quorum > 0 ? cf->write_quorum : s->replicas;
    if (s->quorum > s->replicas) {
        const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, "write_quorum") : NULL;
        char jp[512];
        snprintf(jp, sizeof jp, "%s.write_quorum", c->jpath);
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                      "expected a write quorum of at most replicas (%lld), found %lld", (long long)s->replicas,
                      (long long)s->quorum);
        return SIM_EPARSE;
    }
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
    if (rc2 == 0 && (size_t)s->replicas > s->ndn) {
        const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, "replicas") : NULL;
        char jp[512];
        snprintf(jp, sizeof jp, "%s.replicas", c->jpath);
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                      "expected at most as many replicas as data nodes (%zu), found %lld", s->ndn,
                      (long long)s->replicas);
        rc2 = SIM_EPARSE;
    }
    return rc ? rc : rc2;
}

/* A free write slot, growing the table by doubling when none is left.
 * Returns its index, or -1 on out of memory. */
static int64_t slot_get(gateway_state *s)
{
    if (!s->free_head) {
        uint32_t n = s->nw ? 2 * s->nw : 16;
        gw_write *nw = realloc(s->w, n * sizeof *nw);
        if (!nw) return -1;
        s->w = nw;
        for (uint32_t i = s->nw; i < n; i++) {
            nw[i] = (gw_write){ .next_free = i + 1 < n ? i + 2 : 0 };
        }
        s->free_head = s->nw + 1;
        s->nw = n;
    }
    uint32_t i = s->free_head - 1;
    s->free_head = s->w[i].next_free;
    s->w[i].used = true;
    return i;
}

static void slot_put(gateway_state *s, uint32_t i)
{
    gw_write *w = &s->w[i];
    uint32_t gen = w->gen + 1;
    *w = (gw_write){ .gen = gen, .next_free = s->free_head };
    s->free_head = i + 1;
}

/* Sends r's r copies to the data nodes from index `first` on. */
static void replicate(component *c, request *r, size_t first)
{
    gateway_state *s = c->state;
    int64_t slot = slot_get(s);
    if (slot < 0) {
        comp_out_of_memory(c);
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        return;
    }
    gw_write *w = &s->w[slot];
    w->parent = r;
    s->puts++;
    /* count them all out first: a copy cannot come back before this returns
     * (every answer is an event), but a failed req_new below answers for it */
    w->pending = (uint16_t)s->replicas;
    uint32_t state = GW_REPLICA | ((uint32_t)slot << 2);
    for (int64_t k = 0; k < s->replicas; k++) {
        request *cp = req_new(c->env->reqs);
        if (!cp) {
            comp_out_of_memory(c);
            w->pending--;
            w->fails++;
            continue;
        }
        cp->op = REQ_PUT;
        cp->object = r->object;
        cp->size = r->size;
        cp->issued = r->issued;
        cp->arrived = c->env->eng->now;
        cp->client = r->client;
        cp->region = r->region;
        cp->flags = r->flags & REQ_F_MEASURED;
        cp->user = w->gen;
        s->copies++;
        comp_forward_timed(c, s->dn[(first + (size_t)k) % s->ndn], cp, state, req_request_bytes(cp));
    }
    if (w->fails > s->replicas - s->quorum) {
        /* out of memory for too many copies: fail it now */
        w->parent = NULL;
        s->quorum_failures++;
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        if (w->pending == 0) slot_put(s, (uint32_t)slot);
    }
}

/* The index of the data node holding the object's first copy. */
static size_t first_copy(const gateway_state *s, const request *r)
{
    return s->ndn == 1 ? 0 : (size_t)(sim_mix64(r->object ^ s->salt) % s->ndn);
}

static void to_datanode(component *c, request *r)
{
    gateway_state *s = c->state;
    size_t i = first_copy(s, r);
    if (r->op == REQ_PUT && s->replicas > 1) {
        replicate(c, r, i);
        return;
    }
    comp_forward_timed(c, s->dn[i], r, GW_DATA, req_request_bytes(r));
}

/* A copy came back: count it, answer the PUT once the quorum is reached
 * (or can no longer be), release the slot when every copy is back. */
static void replica_back(component *c, request *cp, uint32_t slot)
{
    gateway_state *s = c->state;
    bool ok = cp->status == REQ_PENDING || cp->status == REQ_OK;
    uint64_t gen = cp->user;
    req_free(c->env->reqs, cp);
    if (slot >= s->nw || !s->w[slot].used || s->w[slot].gen != gen) return; /* its write was dropped (crash) */
    gw_write *w = &s->w[slot];
    w->pending--;
    if (ok) w->acks++;
    else w->fails++;
    request *r = w->parent;
    if (r && w->acks >= s->quorum) {
        w->parent = NULL;
        comp_respond(c, r, 0);
    } else if (r && w->fails > s->replicas - s->quorum) {
        w->parent = NULL;
        s->quorum_failures++;
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
    }
    if (w->pending == 0) slot_put(s, slot);
}

static void gateway_done(void *owner, request *r)
{
    component *c = owner;
    gateway_state *s = c->state;
    if (s->meta) comp_forward_timed(c, s->meta, r, GW_META, 0);
    else to_datanode(c, r);
}

static void gateway_on_request(component *c, request *r)
{
    gateway_state *s = c->state;
    if (r->op != REQ_GET && r->op != REQ_PUT) {
        /* DELETE and HEAD are not modelled (docs/models.md): fail them */
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        return;
    }
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

static void gateway_on_response(component *c, request *r, const req_hop *hop)
{
    if ((hop->state & 3) == GW_REPLICA) {
        replica_back(c, r, hop->state >> 2);
        return;
    }
    if ((hop->state & 3) == GW_DATA && r->op == REQ_GET && r->status != REQ_PENDING && r->status != REQ_OK) {
        gateway_state *s = c->state;
        uint32_t copy = (hop->state >> 2) + 1;
        if ((int64_t)copy < s->replicas && !c->down) {
            /* that copy failed: read the next one */
            s->read_failovers++;
            r->status = REQ_PENDING;
            r->arrived = hop->arrived;
            comp_forward_timed(c, s->dn[(first_copy(s, r) + copy) % s->ndn], r, GW_DATA | (copy << 2),
                               req_request_bytes(r));
            return;
        }
    }
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
    /* PUTs waiting for their copies are lost with it; copies still out are
     * freed when they come back (their slot's generation has changed) or
     * dropped on the way (a crashed gateway drops what it receives). */
    for (uint32_t i = 0; i < s->nw; i++) {
        if (!s->w[i].used) continue;
        if (s->w[i].parent) comp_drop(c, s->w[i].parent);
        slot_put(s, i);
    }
}

static void gateway_reset_stats(component *c)
{
    gateway_state *s = c->state;
    s->puts = s->copies = s->quorum_failures = s->read_failovers = 0;
}

static void gateway_report(component *c, cJSON *o)
{
    gateway_state *s = c->state;
    if (s->replicas == 1) return; /* nothing to say beyond the base fields */
    comp_json_num(o, "replicas", (double)s->replicas, "%.0f");
    comp_json_num(o, "write_quorum", (double)s->quorum, "%.0f");
    comp_json_num(o, "replicated_puts", (double)s->puts, "%.0f");
    comp_json_num(o, "copies_sent", (double)s->copies, "%.0f");
    comp_json_num(o, "quorum_failures", (double)s->quorum_failures, "%.0f");
    comp_json_num(o, "read_failovers", (double)s->read_failovers, "%.0f");
}

static void gateway_free(component *c)
{
    gateway_state *s = c->state;
    station_free(&s->st);
    free(s->dn);
    free(s->w);
    free(s);
    c->state = NULL;
}

static const comp_ops gateway_ops = {
    .create = gateway_create,
    .link = gateway_link,
    .on_request = gateway_on_request,
    .on_response = gateway_on_response,
    .reset_stats = gateway_reset_stats,
    .report = gateway_report,
    .free = gateway_free,
    .crash = gateway_crash,
};

const comp_kind gateway_kind = {
    .name = "gateway",
    .help = "object-store front end: handles the request, asks (or, for a PUT, updates) metadata, reads from or "
            "writes to the data node(s) holding the object",
    .fields = gateway_fields,
    .conf_size = sizeof(gateway_conf),
    .ops = &gateway_ops,
    .flags = 0,
};
