/* models/prober.c - probing a pool on the health.h schedule. */
#include "models/prober.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/net.h"
#include "sim/errors.h"
#include "sim/rng.h"

int prober_init(prober *p, component *owner, const cJSON *json, const char *jpath, conf_errors *errs)
{
    memset(p, 0, sizeof *p);
    p->owner = owner;
    if (conf_read_fields(owner->env->doc, json, jpath, health_fields, NULL, &p->hc, errs) != 0) return SIM_EPARSE;
    char why[200];
    if (health_conf_check(&p->hc, why, sizeof why) != 0) {
        conf_error_at(errs, owner->env->doc, json, jpath, "%s", why);
        return SIM_EPARSE;
    }
    p->rng = comp_stream(owner, "health");
    return p->rng ? 0 : SIM_ENOMEM;
}

int prober_link(prober *p, component **targets, size_t n, void (*on_change)(component *owner, size_t i, bool up))
{
    p->targets = targets;
    p->n = n;
    p->on_change = on_change;
    p->hm = calloc(n ? n : 1, sizeof *p->hm);
    p->sent = calloc(n ? n : 1, sizeof *p->sent);
    return p->hm && p->sent ? 0 : SIM_ENOMEM;
}

void prober_free(prober *p)
{
    free(p->hm);
    free(p->sent);
    if (p->rng) gsl_rng_free(p->rng);
    memset(p, 0, sizeof *p);
}

sim_time_t prober_down_time(const prober *p, size_t i)
{
    return i < p->n ? health_down_time(&p->hm[i], p->owner->env->eng->now) : 0;
}

/* One way between the owner and a target: the delay, or *lost. */
static sim_time_t hop(prober *p, component *from, component *to, bool *lost)
{
    *lost = false;
    net *nt = from->env->net;
    if ((to->kind->flags & COMP_KIND_LOCAL) || (from->kind->flags & COMP_KIND_LOCAL) || !nt) return 0;
    if (net_is_cut(nt, from->region, to->region) || net_drops(nt, from->region, to->region, p->rng)) {
        *lost = true;
        return 0;
    }
    return net_delay(nt, from->region, to->region, 0, p->rng);
}

static void ev_result(sim_engine *eng, sim_event *ev)
{
    prober *p = ev->target;
    size_t i = (size_t)(ev->data >> 1);
    health_change ch = health_record(&p->hm[i], &p->hc, eng->now, ev->data & 1);
    if (ch == HEALTH_SAME) return;
    bool up = ch == HEALTH_WENT_UP;
    if (p->on_change) p->on_change(p->owner, i, up);
    comp_env *env = p->owner->env;
    if (env->event) {
        char detail[200];
        snprintf(detail, sizeof detail, "%s marked it %s after %lld %s probes", p->owner->id, up ? "up" : "down",
                 (long long)(up ? p->hc.rise : p->hc.fall), up ? "successful" : "failed");
        env->event(env, up ? "health_up" : "health_down", p->targets[i], detail);
    }
}

static void result_at(prober *p, size_t i, sim_time_t at, bool ok)
{
    sim_schedule_at(p->owner->env->eng, at, ev_result, p, NULL, ((uint64_t)i << 1) | (ok ? 1u : 0u));
}

/* The probe reached target i: a target that is up answers at once. */
static void ev_arrive(sim_engine *eng, sim_event *ev)
{
    prober *p = ev->target;
    size_t i = (size_t)ev->data;
    component *t = p->targets[i];
    bool lost = false, ok;
    bool answers = !t->down || t->refuse;  /* a refusing host still answers, with an error */
    sim_time_t back = answers ? hop(p, t, p->owner, &lost) : 0;
    health_probe outcome = (!answers || lost) ? HEALTH_PROBE_SILENT : t->down ? HEALTH_PROBE_ERROR : HEALTH_PROBE_OK;
    /* two statements: the order of evaluation of arguments is unspecified */
    sim_time_t at = health_result_time(&p->hc, p->sent[i], outcome, eng->now - p->sent[i] + back, &ok);
    result_at(p, i, at, ok);
}

static void ev_probe(sim_engine *eng, sim_event *ev)
{
    prober *p = ev->target;
    size_t i = (size_t)ev->data;
    sim_time_t sent = health_probe_sent(&p->hm[i], &p->hc);
    sim_schedule_at(eng, health_next_probe(&p->hm[i]), ev_probe, p, NULL, i);
    if (p->owner->down) return; /* a crashed owner probes nothing */
    p->sent[i] = sent;
    bool lost;
    sim_time_t there = hop(p, p->owner, p->targets[i], &lost);
    if (lost || there > p->hc.timeout) {
        bool ok;
        sim_time_t at = health_result_time(&p->hc, sent, HEALTH_PROBE_SILENT, 0, &ok);
        result_at(p, i, at, false);
        return;
    }
    sim_schedule(eng, there, ev_arrive, p, NULL, i);
}

void prober_start(prober *p)
{
    sim_engine *eng = p->owner->env->eng;
    for (size_t i = 0; i < p->n; i++) {
        sim_time_t phase = (sim_time_t)gsl_ran_flat(p->rng, 0, (double)p->hc.interval);
        health_member_init(&p->hm[i], &p->hc, eng->now, phase);
        sim_schedule_at(eng, health_next_probe(&p->hm[i]), ev_probe, p, NULL, i);
    }
}
