/* models/lb.c - round-robin and least-connections load balancing. */
#include "models/lb.h"

#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "models/health.h"
#include "models/net.h"
#include "sim/errors.h"
#include "sim/rng.h"

static const char *const lb_policies[] = { "round_robin", "least_connections", NULL };

static const conf_field lb_fields[] = {
    { "policy", CONF_ENUM, offsetof(lb_conf, policy), "\"round_robin\"",
      "round_robin, or least_connections (fewest outstanding requests)", 0, 0, lb_policies, NULL },
    { "backends", CONF_REFLIST, offsetof(lb_conf, backends), NULL,
      "ids (or groups) of the components it spreads requests over", 0, 0, NULL, NULL },
    { "health_check", CONF_JSON, offsetof(lb_conf, health_check), "null",
      "probe backends and eject dead ones: {interval, timeout, fall, rise} (docs/faults.md)", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct lb_state {
    component **b;
    size_t n;
    size_t next;         /* round robin position */
    uint64_t *out;       /* outstanding per backend */
    uint64_t *sent;      /* requests sent per backend since reset */
    bool *up;
    /* health checks (issue 5) */
    bool has_hc;
    health_conf hc;
    health_member *hm;     /* per backend */
    sim_time_t *probe_sent;/* per backend: the outstanding probe */
    gsl_rng *hrng;         /* "<id>/health": phases and probe delays */
} lb_state;

static int lb_create(component *c, conf_errors *errs)
{
    lb_conf *cf = c->conf;
    lb_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    if (cf->health_check) {
        char jp[512], why[200];
        snprintf(jp, sizeof jp, "%s.health_check", c->jpath);
        if (conf_read_fields(c->env->doc, cf->health_check, jp, health_fields, NULL, &s->hc, errs) != 0)
            return SIM_EPARSE;
        if (health_conf_check(&s->hc, why, sizeof why) != 0) {
            conf_error_at(errs, c->env->doc, cf->health_check, jp, "%s", why);
            return SIM_EPARSE;
        }
        s->has_hc = true;
        snprintf(jp, sizeof jp, "%s/health", c->id);
        if (!(s->hrng = sim_rng_stream(c->env->seed, jp))) return SIM_ENOMEM;
    }
    return 0;
}

/* ---- health checks (issue 5) --------------------------------------------- */

static sim_time_t probe_hop(component *from, component *to, gsl_rng *r, bool *lost)
{
    *lost = false;
    net *nt = from->env->net;
    if ((to->kind->flags & COMP_KIND_LOCAL) || (from->kind->flags & COMP_KIND_LOCAL) || !nt) return 0;
    if (net_is_cut(nt, from->region, to->region) || net_drops(nt, from->region, to->region, r)) {
        *lost = true;
        return 0;
    }
    return net_delay(nt, from->region, to->region, 0, r);
}

static void ev_probe_result(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    lb_state *s = c->state;
    size_t i = (size_t)(ev->data >> 1);
    bool ok = ev->data & 1;
    health_change ch = health_record(&s->hm[i], &s->hc, eng->now, ok);
    if (ch == HEALTH_SAME) return;
    bool up = ch == HEALTH_WENT_UP;
    s->up[i] = up;
    if (c->env->event) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s marked it %s after %lld %s probes", c->id, up ? "up" : "down",
                 (long long)(up ? s->hc.rise : s->hc.fall), up ? "successful" : "failed");
        c->env->event(c->env, up ? "health_up" : "health_down", s->b[i], detail);
    }
}

static void schedule_result(component *c, size_t i, sim_time_t at, bool ok)
{
    sim_schedule_at(c->env->eng, at, ev_probe_result, c, NULL, ((uint64_t)i << 1) | (ok ? 1u : 0u));
}

/* The probe reached backend i: a backend that is up answers at once. */
static void ev_probe_arrive(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    lb_state *s = c->state;
    size_t i = (size_t)ev->data;
    component *b = s->b[i];
    sim_time_t sent = s->probe_sent[i];
    bool lost;
    sim_time_t back = b->down ? 0 : probe_hop(b, c, s->hrng, &lost);
    bool ok;
    health_probe outcome = (b->down || lost) ? HEALTH_PROBE_SILENT : HEALTH_PROBE_OK;
    sim_time_t at = health_result_time(&s->hc, sent, outcome, eng->now - sent + back, &ok);
    schedule_result(c, i, at, ok);
}

static void ev_probe(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    lb_state *s = c->state;
    size_t i = (size_t)ev->data;
    sim_time_t sent = health_probe_sent(&s->hm[i], &s->hc);
    sim_schedule_at(eng, health_next_probe(&s->hm[i]), ev_probe, c, NULL, i);
    if (c->down) return; /* a crashed balancer probes nothing */
    s->probe_sent[i] = sent;
    bool lost;
    sim_time_t there = probe_hop(c, s->b[i], s->hrng, &lost);
    if (lost || there > s->hc.timeout) {
        bool ok;
        schedule_result(c, i, health_result_time(&s->hc, sent, HEALTH_PROBE_SILENT, 0, &ok), false);
        return;
    }
    sim_schedule(eng, there, ev_probe_arrive, c, NULL, i);
}

static int lb_start(component *c)
{
    lb_state *s = c->state;
    if (!s->has_hc) return 0;
    for (size_t i = 0; i < s->n; i++) {
        sim_time_t phase = (sim_time_t)gsl_ran_flat(s->hrng, 0, (double)s->hc.interval);
        health_member_init(&s->hm[i], &s->hc, c->env->eng->now, phase);
        sim_schedule_at(c->env->eng, health_next_probe(&s->hm[i]), ev_probe, c, NULL, i);
    }
    return 0;
}

static int lb_link(component *c, conf_errors *errs)
{
    lb_state *s = c->state;
    int rc = comp_resolve(c, "backends", true, &s->b, &s->n, errs);
    if (rc != 0) return rc;
    s->out = calloc(s->n, sizeof *s->out);
    s->sent = calloc(s->n, sizeof *s->sent);
    s->up = malloc(s->n * sizeof *s->up);
    if (!s->out || !s->sent || !s->up) return SIM_ENOMEM;
    for (size_t i = 0; i < s->n; i++) s->up[i] = true;
    if (s->has_hc) {
        s->hm = calloc(s->n, sizeof *s->hm);
        s->probe_sent = calloc(s->n, sizeof *s->probe_sent);
        if (!s->hm || !s->probe_sent) return SIM_ENOMEM;
    }
    return 0;
}

int lb_pick(component *c)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    int best = -1;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (s->next + k) % s->n;
        if (!s->up[i]) continue;
        if (cf->policy == LB_ROUND_ROBIN) return (int)i;
        if (best < 0 || s->out[i] < s->out[best]) best = (int)i;
    }
    return best;
}

uint64_t lb_outstanding(const component *c, size_t i)
{
    const lb_state *s = c->state;
    return i < s->n ? s->out[i] : 0;
}

void lb_set_up(component *c, size_t i, bool up)
{
    lb_state *s = c->state;
    if (i < s->n) s->up[i] = up;
}

static void lb_on_request(component *c, request *r)
{
    lb_state *s = c->state;
    int i = lb_pick(c);
    if (i < 0) {
        r->status = REQ_FAILED; /* no backend up: 503 */
        comp_respond(c, r, 0);
        return;
    }
    s->next = ((size_t)i + 1) % s->n;
    s->out[i]++;
    s->sent[i]++;
    comp_forward(c, s->b[i], r, (uint32_t)i, req_request_bytes(r));
}

static void lb_on_response(component *c, request *r, const req_hop *hop)
{
    lb_state *s = c->state;
    if (hop->state < s->n && s->out[hop->state]) s->out[hop->state]--;
    comp_respond(c, r, req_response_bytes(r));
}

static void lb_reset_stats(component *c)
{
    lb_state *s = c->state;
    for (size_t i = 0; i < s->n; i++) s->sent[i] = 0;
}

static void lb_report(component *c, cJSON *o)
{
    lb_state *s = c->state;
    cJSON *sent = cJSON_AddObjectToObject(o, "sent");
    for (size_t i = 0; sent && i < s->n; i++) comp_json_num(sent, s->b[i]->id, (double)s->sent[i], "%.0f");
    if (s->has_hc) {
        cJSON *down = cJSON_AddObjectToObject(o, "health_down_s");
        for (size_t i = 0; down && i < s->n; i++)
            comp_json_num(down, s->b[i]->id, sim_time_to_s(health_down_time(&s->hm[i], c->env->eng->now)), "%.6f");
    }
}

static void lb_free(component *c)
{
    lb_state *s = c->state;
    free(s->b);
    free(s->out);
    free(s->sent);
    free(s->up);
    free(s->hm);
    free(s->probe_sent);
    if (s->hrng) gsl_rng_free(s->hrng);
    free(s);
    c->state = NULL;
}

static const comp_ops lb_ops = {
    .create = lb_create,
    .link = lb_link,
    .start = lb_start,
    .on_request = lb_on_request,
    .on_response = lb_on_response,
    .reset_stats = lb_reset_stats,
    .report = lb_report,
    .free = lb_free,
};

const comp_kind lb_kind = {
    .name = "lb",
    .help = "load balancer: round_robin or least_connections over its backends",
    .fields = lb_fields,
    .conf_size = sizeof(lb_conf),
    .ops = &lb_ops,
    .flags = 0,
};
