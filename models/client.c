/* models/client.c - open- and closed-loop client populations. */
#include "models/client.h"

#include <math.h>
#include <stdlib.h>

#include "models/breaker.h"
#include "models/retry.h"
#include "models/workload.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "sim/zipf.h"

static const char *const client_modes[] = { "open", "closed", NULL };

/* Defaults: a photo-sharing catalogue. Sizes follow a lognormal with a mean
 * of 500 KiB and a p99 of 4 MiB (typical of resized web photos); Zipf 0.8 is
 * within the 0.6-0.9 range measured on web and CDN traces (Breslau et al.,
 * "Web caching and Zipf-like distributions", 1999). The last mile: mean
 * 10 ms one way, p99 40 ms, so an edge hit lands in the 5-50 ms
 * time-to-first-byte range of ../shared/reference/latency-numbers.md. */
/* The mix table: one share per operation, in req_op order. */
static const conf_field client_mix_fields[] = {
    { "GET", CONF_PERCENT, offsetof(client_mix, share[REQ_GET]), "\"100%\"", "share of reads", 0, 0, NULL, NULL },
    { "PUT", CONF_PERCENT, offsetof(client_mix, share[REQ_PUT]), "\"0%\"", "share of writes", 0, 0, NULL, NULL },
    { "DELETE", CONF_PERCENT, offsetof(client_mix, share[REQ_DELETE]), "\"0%\"", "share of deletes", 0, 0, NULL,
      NULL },
    { "HEAD", CONF_PERCENT, offsetof(client_mix, share[REQ_HEAD]), "\"0%\"", "share of HEADs", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static const conf_field client_fields[] = {
    { "mode", CONF_ENUM, offsetof(client_conf, mode), "\"open\"",
      "open: Poisson arrivals at `rate`; closed: `concurrency` users with `think` time", 0, 0, client_modes, NULL },
    { "rate", CONF_RATE, offsetof(client_conf, rate), "\"100/s\"",
      "open loop: mean request rate (Poisson arrivals)", 0, 0, NULL, NULL },
    { "concurrency", CONF_INT, offsetof(client_conf, concurrency), "1",
      "closed loop: users, each with one request outstanding", 1, 1e7, NULL, NULL },
    { "think", CONF_DIST_TIME, offsetof(client_conf, think), "\"0\"",
      "closed loop: pause between a response and the user's next request", 0, 0, NULL, NULL },
    { "to", CONF_REF, offsetof(client_conf, to), NULL,
      "id of the first component requests go to (usually a dns)", 0, 0, NULL, NULL },
    { "objects", CONF_INT, offsetof(client_conf, objects), "1000000",
      "catalogue size: objects are ranks 1..objects", 1, 1e15, NULL, NULL },
    { "zipf", CONF_DOUBLE, offsetof(client_conf, zipf), "0.8",
      "Zipf exponent of object popularity (0 = uniform)", 0, 10, NULL, NULL },
    { "size", CONF_DIST_BYTES, offsetof(client_conf, size),
      "{\"lognormal\": {\"mean\": \"500KiB\", \"p99\": \"4MiB\"}}",
      "object size distribution (each object's size is fixed)", 0, 0, NULL, NULL },
    { "last_mile", CONF_DIST_TIME, offsetof(client_conf, last_mile),
      "{\"lognormal\": {\"mean\": \"10ms\", \"p99\": \"40ms\"}}",
      "one-way delay between users and the network, each way", 0, 0, NULL, NULL },
    { "timeout", CONF_DURATION, offsetof(client_conf, timeout), "0",
      "give up on an attempt not answered within this time (0: wait forever)", 0, 0, NULL, NULL },
    { "deadline", CONF_DURATION, offsetof(client_conf, deadline), "0",
      "give up on a request (all attempts) this long after it was issued (0: no deadline)", 0, 0, NULL, NULL },
    { "retry", CONF_JSON, offsetof(client_conf, retry), "null",
      "retry policy: {attempts, base, cap, multiplier, jitter, budget, ...} (docs/faults.md)", 0, 0, NULL, NULL },
    { "breaker", CONF_JSON, offsetof(client_conf, breaker), "null",
      "circuit breaker in front of the first hop: {consecutive, ratio, window, open_for, ...}", 0, 0, NULL, NULL },
    { "mix", CONF_OBJECT, offsetof(client_conf, mix), NULL,
      "share of each operation, e.g. {\"GET\": \"90%\", \"PUT\": \"10%\"} (shares sum to 100%; default all GET)", 0, 0,
      NULL, client_mix_fields },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* One slot of the object-size memo: object + 1 (0: empty) and its size. */
typedef struct size_memo_slot {
    uint64_t key, size;
} size_memo_slot;

/* The memo's slots (16 bytes each: 1 MiB per client that has one). */
#define SIZE_MEMO_SLOTS 65536

typedef struct client_state {
    sim_zipf zipf;
    component *to;
    gsl_rng *arrivals;   /* "<id>/arrivals": inter-arrival and think times */
    gsl_rng *objects;    /* "<id>/objects": popularity draws */
    gsl_rng *ops;        /* "<id>/ops": operation draws, only with a mixed `mix` */
    double mean_gap_ns;
    /* resilience (issue 5) */
    bool has_retry, has_breaker, has_hedge;
    sim_hist seen;       /* latency of successful attempts (send to answer), for "pNN" hedging */
    retry_conf rc;
    retry_budget budget;
    gsl_rng *retry_rng;  /* "<id>/retry": backoff jitter */
    breaker_conf bc;
    breaker br;
    uint64_t attempts, retries, timeouts, budget_denied, breaker_refused, abandoned_back;
    uint64_t hedges, hedge_wins, deadline_exceeded;
    size_memo_slot *size_memo; /* sizes already computed, when they are slow to compute; or NULL */
} client_state;

uint64_t client_object_size(const sim_dist *d, uint64_t object)
{
    /* 53 random bits of the hash -> u in (0, 1): never exactly 0 or 1 so
     * unbounded distributions stay finite */
    uint64_t h = sim_mix64(object * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL);
    double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
    double v = sim_dist_quantile(d, u);
    if (!(v >= 1)) return 1;
    if (v > 1e15) return (uint64_t)1e15;
    return (uint64_t)llround(v);
}

/* The size of `object` for client state s: client_object_size's, through
 * the memo when s has one. A popular object asks for its size at every
 * request, and with a gamma size each answer costs 0.4-3 us; the memo, a
 * direct-mapped table allocated at creation, keeps the last object seen in
 * each slot. It saves time only: every size is the one computed without it. */
static uint64_t object_size(client_state *s, const sim_dist *d, uint64_t object)
{
    if (!s->size_memo) return client_object_size(d, object);
    size_memo_slot *m = &s->size_memo[sim_mix64(object) & (SIZE_MEMO_SLOTS - 1)];
    if (m->key != object + 1 || object == UINT64_MAX) {
        m->key = object + 1;
        m->size = client_object_size(d, object);
    }
    return m->size;
}

/* Reads the optional `retry` and `breaker` objects (issue 5). */
static int client_create_resilience(component *c, conf_errors *errs)
{
    client_conf *cf = c->conf;
    if (cf->retry && cJSON_IsNull(cf->retry)) cf->retry = NULL; /* --set retry=null: off */
    if (cf->breaker && cJSON_IsNull(cf->breaker)) cf->breaker = NULL; /* --set breaker=null: off */
    client_state *s = c->state;
    char jp[512], why[256];
    int bad = 0;
    if (cf->retry) {
        snprintf(jp, sizeof jp, "%s.retry", c->jpath);
        if (conf_read_fields(c->env->doc, cf->retry, jp, retry_fields, NULL, &s->rc, errs) != 0) bad = 1;
        else if (retry_conf_finish(&s->rc, why, sizeof why) != 0) {
            conf_error_at(errs, c->env->doc, cf->retry, jp, "%s", why);
            bad = 1;
        } else if (s->rc.hedge_after || s->rc.hedge_q) {
            s->has_hedge = true;
            if (sim_hist_init(&s->seen) != 0) return SIM_ENOMEM;
        }
        s->has_retry = !bad;
        s->retry_rng = comp_stream(c, "retry");
        if (!s->retry_rng) return SIM_ENOMEM;
        retry_budget_init(&s->budget, &s->rc);
    }
    if (cf->breaker) {
        snprintf(jp, sizeof jp, "%s.breaker", c->jpath);
        if (conf_read_fields(c->env->doc, cf->breaker, jp, breaker_fields, NULL, &s->bc, errs) != 0) bad = 1;
        else if (breaker_conf_check(&s->bc, why, sizeof why) != 0) {
            conf_error_at(errs, c->env->doc, cf->breaker, jp, "%s", why);
            bad = 1;
        }
        s->has_breaker = !bad;
        breaker_init(&s->br, &s->bc, 0);
    }
    return bad ? SIM_EPARSE : 0;
}

static int client_create(component *c, conf_errors *errs)
{
    client_conf *cf = c->conf;
    client_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    s->arrivals = comp_stream(c, "arrivals");
    s->objects = comp_stream(c, "objects");
    if (!s->arrivals || !s->objects) return SIM_ENOMEM;
    if (sim_zipf_init(&s->zipf, (uint64_t)cf->objects, cf->zipf) != 0) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "bad catalogue: objects %lld, zipf %g",
                      (long long)cf->objects, cf->zipf);
        return SIM_EPARSE;
    }
    if (cf->mode == CLIENT_OPEN && !(cf->rate > 0))
        return comp_field_error(c, errs, "rate", "expected a rate above 0 for an open-loop client, found %g/s", cf->rate);
    s->mean_gap_ns = cf->mode == CLIENT_OPEN ? 1e9 / cf->rate : 0;
    double sum = 0;
    for (int op = 0; op < REQ_NOPS; op++) sum += cf->mix.share[op];
    /* a conf filled in by a program (comp_create_with, no JSON) with no mix: all GET */
    if (sum == 0 && !c->node) cf->mix.share[REQ_GET] = sum = 1;
    if (fabs(sum - 1) > 1e-9)
        return comp_field_error(c, errs, "mix", "expected shares summing to 100%% (GET is 100%% unless given), found %.6g%%",
                                sum * 100);
    /* DELETE and HEAD have no model along the storage path yet (the gateway
     * fails them): refuse them here, where the user wrote them */
    for (int op = REQ_DELETE; op <= REQ_HEAD; op++) {
        if (cf->mix.share[op] <= 0) continue;
        const cJSON *m = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, "mix") : NULL;
        const cJSON *at = m ? cJSON_GetObjectItemCaseSensitive(m, req_op_names[op]) : NULL;
        char jp[512];
        snprintf(jp, sizeof jp, "%s.mix.%s", c->jpath, req_op_names[op]);
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                      "%s is not supported yet (only GET and PUT are modelled, docs/models.md), found %.6g%%",
                      req_op_names[op], cf->mix.share[op] * 100);
        return SIM_EPARSE;
    }
    if (sim_dist_quantile_is_slow(&cf->size)) {
        s->size_memo = calloc(SIZE_MEMO_SLOTS, sizeof *s->size_memo);
        if (!s->size_memo) return SIM_ENOMEM;
    }
    /* a stream of its own, opened only when there is something to draw, so
     * that an all-GET client draws exactly what it drew before mixes existed */
    if (cf->mix.share[REQ_GET] < 1) {
        s->ops = comp_stream(c, "ops");
        if (!s->ops) return SIM_ENOMEM;
    }
    return client_create_resilience(c, errs);
}

static int client_link(component *c, conf_errors *errs)
{
    client_state *s = c->state;
    return workload_link(c, &s->to, errs);
}

static void client_issue(component *c, uint64_t user);

static void ev_arrival(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_state *s = c->state;
    client_issue(c, 0);
    sim_schedule(eng, sim_time_from_ns(gsl_ran_exponential(s->arrivals, s->mean_gap_ns)), ev_arrival, c, NULL, 0);
}

static void ev_user_start(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    client_issue(ev->target, ev->data);
}

static void client_finish(component *c, request *r, bool owned);
static void ev_timeout(sim_engine *eng, sim_event *ev);
static void unpair(request *r);
static void ev_hedge(sim_engine *eng, sim_event *ev);

static void ev_send(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_conf *cf = c->conf;
    client_state *s = c->state;
    request *r = ev->arg;
    r->arrived = eng->now;
    if (s->has_breaker && !breaker_allow(&s->br, &s->bc, eng->now, NULL)) {
        /* open: fail fast, without sending and without retrying */
        s->breaker_refused++;
        if (r->partner) {
            /* a hedge copy refused: the other copy is still out and decides */
            unpair(r);
            req_free(c->env->reqs, r);
            return;
        }
        r->status = REQ_FAILED;
        client_finish(c, r, true);
        return;
    }
    s->attempts++;
    sim_time_t wait = cf->timeout;
    if (cf->deadline > 0) {
        /* the attempt may not outlive the request's deadline */
        sim_time_t left = r->issued + cf->deadline - eng->now;
        if (left < 1) left = 1;
        if (wait == 0 || left < wait) wait = left;
    }
    if (wait > 0) r->timeout_ev = sim_schedule(eng, wait, ev_timeout, c, r, 0);
    if (s->has_hedge && !r->partner && !(r->flags & REQ_F_HEDGE)) {
        sim_time_t d = retry_hedge_delay(&s->rc, &s->seen);
        /* the event carries r's generation and attempt: a stale one does nothing */
        if (d != SIM_TIME_MAX) sim_schedule(eng, d, ev_hedge, c, r, ((uint64_t)r->gen << 8) | r->retries);
    }
    comp_forward(c, s->to, r, 0, req_request_bytes(r));
}

/* Starts an attempt of r after `delay` (a backoff) plus the last mile. */
static void client_attempt(component *c, request *r, sim_time_t delay)
{
    client_conf *cf = c->conf;
    sim_schedule(c->env->eng, delay + sim_dist_sample_time(&cf->last_mile, c->rng), ev_send, c, r, 0);
}

/* Attempt r failed (an error answer, or no answer in time): retry it or not.
 * Returns true when a retry was scheduled (on r itself when it is back, on a
 * copy when r is still out there, abandoned). */
static bool client_retry(component *c, request *r, bool still_out)
{
    client_conf *cf = c->conf;
    client_state *s = c->state;
    if (!s->has_retry) return false;
    sim_time_t now = c->env->eng->now, end = cf->deadline > 0 ? r->issued + cf->deadline : SIM_TIME_MAX;
    if (now >= end) {
        s->deadline_exceeded++;
        return false;
    }
    sim_time_t delay;
    retry_verdict v = retry_decide(&s->rc, &s->budget, (unsigned)r->retries + 1, now, s->retry_rng, &delay);
    if (v == RETRY_GIVE_UP_BUDGET) s->budget_denied++;
    if (v != RETRY_AGAIN) return false;
    if (delay >= end - now) {
        /* the retry would start after the deadline (its budget token is
         * spent all the same: the budget errs on the side of fewer retries) */
        s->deadline_exceeded++;
        return false;
    }
    request *n = r;
    if (still_out) {
        n = req_new_copy(c->env->reqs, r);
        if (!n) {
            comp_out_of_memory(c);
            return false;
        }
    } else {
        n->flags &= REQ_F_MEASURED;
    }
    n->retries = (uint8_t)(r->retries < 255 ? r->retries + 1 : 255);
    n->status = REQ_PENDING;
    n->depth = 0;
    s->retries++;
    client_attempt(c, n, delay);
    return true;
}

/* Both copies of a hedged request are out: undo the pairing. */
static void unpair(request *r)
{
    if (r->partner) r->partner->partner = NULL;
    r->partner = NULL;
}

/* The hedging delay passed and attempt r is still unanswered: send a copy
 * (within the retry budget, when there is one). The first answer wins. */
static void ev_hedge(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_state *s = c->state;
    request *r = ev->arg;
    if (ev->data != (((uint64_t)r->gen << 8) | r->retries) || r->partner || (r->flags & REQ_F_ABANDONED)) return;
    if (s->rc.budget && !retry_budget_withdraw(&s->budget, &s->rc, eng->now)) {
        s->budget_denied++;
        return;
    }
    request *h = req_new_copy(c->env->reqs, r);
    if (!h) {
        comp_out_of_memory(c);
        return;
    }
    h->retries = r->retries;
    h->flags |= REQ_F_HEDGE;
    h->partner = r;
    r->partner = h;
    s->hedges++;
    client_attempt(c, h, 0);
}

static void ev_timeout(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    client_state *s = c->state;
    request *r = ev->arg;
    r->timeout_ev = (sim_event_ref){ 0 };
    s->timeouts++;
    if (s->has_breaker) breaker_record(&s->br, &s->bc, eng->now, false);
    if (r->partner) {
        /* the other copy is still out and carries the request on */
        unpair(r);
        r->flags |= REQ_F_ABANDONED;
        return;
    }
    /* the attempt goes on travelling; whatever comes back of it is dropped */
    r->flags |= REQ_F_ABANDONED;
    if (client_retry(c, r, true)) return;
    /* final: report it timed out now, from a stand-in (r itself is still out) */
    request t = *r;
    t.status = REQ_TIMED_OUT;
    t.flags &= ~(uint32_t)REQ_F_ABANDONED;
    client_finish(c, &t, false);
}

static int client_start(component *c)
{
    client_conf *cf = c->conf;
    client_state *s = c->state;
    sim_engine *eng = c->env->eng;
    if (c->down) return 0;
    if (cf->mode == CLIENT_OPEN) {
        sim_schedule(eng, sim_time_from_ns(gsl_ran_exponential(s->arrivals, s->mean_gap_ns)), ev_arrival, c, NULL, 0);
    } else {
        /* users start spread over one think time so they do not move in lockstep */
        for (int64_t u = 0; u < cf->concurrency; u++)
            sim_schedule(eng, sim_dist_sample_time(&cf->think, s->arrivals), ev_user_start, c, NULL, (uint64_t)u);
    }
    return 0;
}

static void client_issue(component *c, uint64_t user)
{
    client_conf *cf = c->conf;
    client_state *s = c->state;
    comp_env *env = c->env;
    request *r = req_new(env->reqs);
    if (!r) {
        comp_out_of_memory(c);
        return;
    }
    r->op = REQ_GET;
    if (s->ops) {
        double u = gsl_rng_uniform(s->ops), acc = 0;
        for (int op = 0; op < REQ_NOPS; op++) {
            acc += cf->mix.share[op];
            if (u < acc) {
                r->op = (uint8_t)op;
                break;
            }
        }
    }
    r->object = sim_zipf_sample(&s->zipf, s->objects);
    r->size = object_size(s, &cf->size, r->object);
    r->client = c;
    r->region = c->region;
    r->user = user;
    workload_issue(c, r);
    if (s->has_retry) retry_budget_deposit(&s->budget, env->eng->now);
    client_attempt(c, r, 0);
}

static void ev_done(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_state *s = c->state;
    request *r = ev->arg;
    if (r->flags & REQ_F_ABANDONED) {
        /* an attempt the client had given up on: its answer is too late */
        s->abandoned_back++;
        req_free(c->env->reqs, r);
        return;
    }
    if (sim_event_pending(r->timeout_ev)) sim_cancel(eng, r->timeout_ev);
    r->timeout_ev = (sim_event_ref){ 0 };
    if (r->status == REQ_PENDING) r->status = REQ_OK;
    if (r->partner) {
        request *p = r->partner;
        unpair(r);
        if (r->status != REQ_OK) {
            /* this copy failed; the other one is still out and decides */
            req_free(c->env->reqs, r);
            return;
        }
        /* this copy won: the other is abandoned (served, but nobody waits) */
        p->flags |= REQ_F_ABANDONED;
        if (sim_event_pending(p->timeout_ev)) sim_cancel(eng, p->timeout_ev);
        p->timeout_ev = (sim_event_ref){ 0 };
        if (r->flags & REQ_F_HEDGE) s->hedge_wins++;
    }
    if (s->has_hedge && r->status == REQ_OK) sim_hist_record(&s->seen, eng->now - r->arrived);
    if (s->has_breaker) breaker_record(&s->br, &s->bc, eng->now, r->status == REQ_OK);
    if ((r->status == REQ_FAILED || r->status == REQ_REJECTED) && client_retry(c, r, false)) return;
    client_finish(c, r, true);
}

/* The final answer of a request. `owned`: r is back and is freed here;
 * otherwise r is a stand-in for a timed-out attempt still travelling. */
static void client_finish(component *c, request *r, bool owned)
{
    sim_engine *eng = c->env->eng;
    client_conf *cf = c->conf;
    client_state *s = c->state;
    comp_env *env = c->env;
    workload_complete(c, r);
    uint64_t user = r->user;
    if (owned) req_free(env->reqs, r);
    if (cf->mode == CLIENT_CLOSED && !c->down)
        sim_schedule(eng, sim_dist_sample_time(&cf->think, s->arrivals), ev_user_start, c, NULL, user);
}

static void client_on_request(component *c, request *r)
{
    /* nobody sends to a client: answer with a failure rather than lose it */
    r->status = REQ_FAILED;
    comp_respond(c, r, 0);
}

static void client_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    client_conf *cf = c->conf;
    sim_schedule(c->env->eng, sim_dist_sample_time(&cf->last_mile, c->rng), ev_done, c, r, 0);
}

static void client_free(component *c)
{
    client_state *s = c->state;
    if (s->arrivals) gsl_rng_free(s->arrivals);
    if (s->objects) gsl_rng_free(s->objects);
    if (s->retry_rng) gsl_rng_free(s->retry_rng);
    if (s->ops) gsl_rng_free(s->ops);
    if (s->has_hedge) sim_hist_free(&s->seen);
    conf_free_fields(retry_fields, &s->rc);
    free(s->size_memo);
    free(s);
    c->state = NULL;
}

static void client_report(component *c, cJSON *o)
{
    client_conf *cf = c->conf;
    comp_json_num(o, "completed", (double)c->responses, "%.0f");
    if (cf->mode == CLIENT_OPEN) comp_json_num(o, "rate_per_s", cf->rate, "%.6g");
    else comp_json_num(o, "concurrency", (double)cf->concurrency, "%.0f");
    client_state *s = c->state;
    if (cf->timeout > 0 || cf->deadline > 0 || s->has_retry || s->has_breaker) {
        comp_json_num(o, "attempts", (double)s->attempts, "%.0f");
        comp_json_num(o, "retries", (double)s->retries, "%.0f");
        comp_json_num(o, "attempt_timeouts", (double)s->timeouts, "%.0f");
        comp_json_num(o, "retries_denied_by_budget", (double)s->budget_denied, "%.0f");
        if (cf->deadline > 0) comp_json_num(o, "retries_past_deadline", (double)s->deadline_exceeded, "%.0f");
    }
    if (s->has_hedge) {
        comp_json_num(o, "hedges", (double)s->hedges, "%.0f");
        comp_json_num(o, "hedge_wins", (double)s->hedge_wins, "%.0f");
    }
    if (s->has_breaker) {
        comp_json_num(o, "breaker_refused", (double)s->breaker_refused, "%.0f");
        comp_json_num(o, "breaker_opens", (double)s->br.opens, "%.0f");
        comp_json_num(o, "breaker_open_s", sim_time_to_s(breaker_open_time(&s->br, c->env->eng->now)), "%.6f");
    }
}

/* Resilience counters restart at the end of the warm-up, like the rest. */
static void client_reset_stats(component *c)
{
    client_state *s = c->state;
    s->attempts = s->retries = s->timeouts = s->budget_denied = s->breaker_refused = s->abandoned_back = 0;
    s->hedges = s->hedge_wins = s->deadline_exceeded = 0;
    s->br.opens = 0;
    s->br.open_total = 0;
    if (s->br.state != BREAKER_CLOSED) s->br.tripped_at = c->env->eng->now;
}

static const comp_ops client_ops = {
    .create = client_create,
    .link = client_link,
    .start = client_start,
    .on_request = client_on_request,
    .on_response = client_on_response,
    .report = client_report,
    .reset_stats = client_reset_stats,
    .free = client_free,
};

const comp_kind client_kind = {
    .name = "client",
    .help = "a population of users issuing requests (open loop at a rate, or closed loop with think time)",
    .fields = client_fields,
    .conf_size = sizeof(client_conf),
    .ops = &client_ops,
    .flags = COMP_KIND_SOURCE,
};
