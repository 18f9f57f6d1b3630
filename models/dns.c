/* models/dns.c - geo-routing DNS. */
#include "models/dns.h"

#include <stdlib.h>

#include "models/net.h"
#include "models/prober.h"
#include "sim/errors.h"
#include "sim/rng.h"

/* Default resolve time 0: browsers and OS resolvers cache the name, so most
 * requests pay no lookup; set e.g. {"exp": "20ms"} to model cold lookups. */
static const conf_field dns_fields[] = {
    { "to", CONF_REFLIST, offsetof(dns_conf, to), NULL,
      "ids (or groups) of the targets, usually CDN edges in several regions", 0, 0, NULL, NULL },
    { "resolve", CONF_DIST_TIME, offsetof(dns_conf, resolve), "\"0\"",
      "time to resolve the name, per request (0: cached)", 0, 0, NULL, NULL },
    { "ttl", CONF_DURATION, offsetof(dns_conf, ttl), "\"0\"",
      "how long clients keep an answer: a request is routed by the targets' health up to ttl ago (uniform), so "
      "traffic leaves a dead target over one TTL (0: every request sees the current health)", 0, 0, NULL, NULL },
    { "health_check", CONF_JSON, offsetof(dns_conf, health_check), "null",
      "probe the targets and stop sending users to dead ones: {interval, timeout, fall, rise}", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct dns_state {
    component **t;
    size_t n;
    bool *up;
    bool *prev_up;         /* each target's state before its latest change */
    sim_time_t *changed_at; /* when that change happened (0: never changed) */
    gsl_rng *ttl_rng;      /* "<id>/ttl": the age of each request's answer */
    int *cand;     /* scratch: distinct regions of up targets */
    size_t *pick;  /* scratch: positions of targets in the chosen region */
    bool has_hc;   /* health checks (issue 5) */
    prober pr;
} dns_state;

static int dns_create(component *c, conf_errors *errs)
{
    dns_conf *cf = c->conf;
    if (cf->health_check && cJSON_IsNull(cf->health_check)) cf->health_check = NULL; /* --set health_check=null: off */
    dns_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    if (cf->health_check) {
        char jp[512];
        snprintf(jp, sizeof jp, "%s.health_check", c->jpath);
        s->has_hc = true;
        return prober_init(&s->pr, c, cf->health_check, jp, errs);
    }
    return 0;
}

static void dns_health_change(component *c, size_t i, bool up) { dns_set_up(c, i, up); }

static int dns_start(component *c)
{
    dns_state *s = c->state;
    if (s->has_hc) prober_start(&s->pr);
    return 0;
}

static int dns_link(component *c, conf_errors *errs)
{
    dns_state *s = c->state;
    int rc = comp_resolve(c, "to", true, &s->t, &s->n, errs);
    if (rc != 0) return rc;
    s->up = malloc(s->n * sizeof *s->up);
    s->prev_up = malloc(s->n * sizeof *s->prev_up);
    s->changed_at = calloc(s->n, sizeof *s->changed_at);
    s->cand = malloc(s->n * sizeof *s->cand);
    s->pick = malloc(s->n * sizeof *s->pick);
    if (!s->up || !s->prev_up || !s->changed_at || !s->cand || !s->pick) return SIM_ENOMEM;
    for (size_t i = 0; i < s->n; i++) s->up[i] = s->prev_up[i] = true;
    dns_conf *cf = c->conf;
    if (cf->ttl > 0 && !(s->ttl_rng = comp_stream(c, "ttl"))) return SIM_ENOMEM;
    if (s->has_hc && prober_link(&s->pr, s->t, s->n, dns_health_change) != 0) return SIM_ENOMEM;
    return 0;
}

/* Was target i up at time t? Its current state, or the one before its
 * latest change if t is earlier than that change. */
static bool up_at(const dns_state *s, size_t i, sim_time_t t)
{
    return t >= s->changed_at[i] ? s->up[i] : s->prev_up[i];
}

int dns_route(const component *c, int region, uint64_t object)
{
    return dns_route_at(c, region, object, c->env->eng->now);
}

int dns_route_at(const component *c, int region, uint64_t object, sim_time_t as_of)
{
    dns_state *s = c->state;
    size_t nc = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!up_at(s, i, as_of)) continue;
        bool seen = false;
        for (size_t k = 0; k < nc; k++)
            if (s->cand[k] == s->t[i]->region) seen = true;
        if (!seen) s->cand[nc++] = s->t[i]->region;
    }
    if (nc == 0) return -1;
    int best = s->cand[c->env->net ? net_nearest(c->env->net, region, s->cand, nc) : 0];
    size_t np = 0;
    for (size_t i = 0; i < s->n; i++)
        if (up_at(s, i, as_of) && s->t[i]->region == best) s->pick[np++] = i;
    return (int)s->pick[sim_mix64(object ^ 0x5bd1e995u) % np];
}

component *dns_target(const component *c, int region, uint64_t object)
{
    int i = dns_route(c, region, object);
    return i < 0 ? NULL : ((dns_state *)c->state)->t[i];
}

void dns_set_up(component *c, size_t i, bool up)
{
    dns_state *s = c->state;
    if (i >= s->n || s->up[i] == up) return;
    s->prev_up[i] = s->up[i];
    s->up[i] = up;
    s->changed_at[i] = c->env->eng->now;
}

static void ev_resolved(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    dns_state *s = c->state;
    request *r = ev->arg;
    dns_conf *cf = c->conf;
    sim_time_t now = c->env->eng->now, as_of = now;
    if (s->ttl_rng) { /* the answer this request's client got, up to ttl ago */
        sim_time_t age = (sim_time_t)(gsl_rng_uniform(s->ttl_rng) * (double)cf->ttl);
        as_of = age < now ? now - age : 0;
    }
    int i = dns_route_at(c, r->region, r->object, as_of);
    if (i < 0) {
        /* nothing to send to: the name does not resolve */
        r->status = REQ_FAILED;
        comp_respond(c, r, 0);
        return;
    }
    /* not pushed on the return path: the target answers the client directly */
    comp_send(c, s->t[i], r, req_request_bytes(r));
}

static void dns_on_request(component *c, request *r)
{
    dns_conf *cf = c->conf;
    sim_time_t d = sim_dist_sample_time(&cf->resolve, c->rng);
    if (comp_measuring(c)) {
        sim_hist_record(&c->latency, d);
        c->responses++;
    }
    sim_schedule(c->env->eng, d, ev_resolved, c, r, 0);
}

static void dns_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    comp_respond(c, r, req_response_bytes(r));
}

static void dns_free(component *c)
{
    dns_state *s = c->state;
    free(s->t);
    free(s->up);
    free(s->prev_up);
    free(s->changed_at);
    if (s->ttl_rng) gsl_rng_free(s->ttl_rng);
    free(s->cand);
    if (s->has_hc) prober_free(&s->pr);
    free(s->pick);
    free(s);
    c->state = NULL;
}

static const comp_ops dns_ops = {
    .create = dns_create,
    .link = dns_link,
    .start = dns_start,
    .on_request = dns_on_request,
    .on_response = dns_on_response,
    .free = dns_free,
};

const comp_kind dns_kind = {
    .name = "dns",
    .help = "geo-routing DNS: sends each request to a target in the client's region, else the nearest one",
    .fields = dns_fields,
    .conf_size = sizeof(dns_conf),
    .ops = &dns_ops,
    .flags = COMP_KIND_LOCAL,
};
