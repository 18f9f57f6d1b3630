/* models/lb.c - round-robin and least-connections load balancing. */
#include "models/lb.h"

#include <stdlib.h>

#include "models/breaker.h"
#include "models/prober.h"
#include "sim/errors.h"

static const char *const lb_policies[] = { "round_robin", "least_connections", NULL };

static const conf_field lb_fields[] = {
    { "policy", CONF_ENUM, offsetof(lb_conf, policy), "\"round_robin\"",
      "round_robin, or least_connections (fewest outstanding requests)", 0, 0, lb_policies, NULL },
    { "backends", CONF_REFLIST, offsetof(lb_conf, backends), NULL,
      "ids (or groups) of the components it spreads requests over", 0, 0, NULL, NULL },
    { "breaker", CONF_JSON, offsetof(lb_conf, breaker), "null",
      "one circuit breaker per backend, on the errors it returns: {consecutive, ratio, open_for, ...}", 0, 0, NULL, NULL },
    { "timeout", CONF_DURATION, offsetof(lb_conf, timeout), "0",
      "per try: give up on a backend that has not answered in this time (0: wait)", 0, 0, NULL, NULL },
    { "retries", CONF_INT, offsetof(lb_conf, retries), "0",
      "further tries on the next backend after an error or a per-try timeout", 0, 10, NULL, NULL },
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
    prober pr;
    bool has_br;
    breaker_conf bc;
    breaker *br;           /* per backend */
    uint64_t tries, try_timeouts, try_retries;  /* per-try mode */
} lb_state;

/* Hop state bit of a try sent on behalf of a request the balancer keeps. */
#define LB_TRY 0x80000000u

static int lb_create(component *c, conf_errors *errs)
{
    lb_conf *cf = c->conf;
    if (cf->breaker && cJSON_IsNull(cf->breaker)) cf->breaker = NULL; /* --set breaker=null: off */
    if (cf->health_check && cJSON_IsNull(cf->health_check)) cf->health_check = NULL; /* --set health_check=null: off */
    lb_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    if (cf->breaker) {
        char jp[512], why[200];
        snprintf(jp, sizeof jp, "%s.breaker", c->jpath);
        if (conf_read_fields(c->env->doc, cf->breaker, jp, breaker_fields, NULL, &s->bc, errs) != 0) return SIM_EPARSE;
        if (breaker_conf_check(&s->bc, why, sizeof why) != 0) {
            conf_error_at(errs, c->env->doc, cf->breaker, jp, "%s", why);
            return SIM_EPARSE;
        }
        s->has_br = true;
    }
    if (cf->health_check) {
        char jp[512];
        snprintf(jp, sizeof jp, "%s.health_check", c->jpath);
        s->has_hc = true;
        int rc = prober_init(&s->pr, c, cf->health_check, jp, errs);
        if (rc) return rc;
    }
    return 0;
}

/* ---- health checks (issue 5) --------------------------------------------- */

static void lb_health_change(component *c, size_t i, bool up)
{
    lb_state *s = c->state;
    s->up[i] = up;
}

static int lb_start(component *c)
{
    lb_state *s = c->state;
    if (s->has_hc) prober_start(&s->pr);
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
    if (s->has_hc && prober_link(&s->pr, s->b, s->n, lb_health_change) != 0) return SIM_ENOMEM;
    if (s->has_br) {
        if (!(s->br = calloc(s->n, sizeof *s->br))) return SIM_ENOMEM;
        for (size_t i = 0; i < s->n; i++) breaker_init(&s->br[i], &s->bc, 0);
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

/* lb_pick, skipping backends whose breaker refuses the call (asking a
 * breaker counts: an open one admits its trial here). */
static int pick_allowed(component *c, int avoid)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    if (!s->has_br && (avoid < 0 || s->n < 2)) return lb_pick(c);
    sim_time_t now = c->env->eng->now;
    int best = -1;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (s->next + k) % s->n;
        if (!s->up[i] || ((int)i == avoid && s->n > 1)) continue;
        if (cf->policy == LB_ROUND_ROBIN) {
            if (!s->has_br || breaker_allow(&s->br[i], &s->bc, now, NULL)) return (int)i;
            continue;
        }
        if (s->has_br && s->br[i].state == BREAKER_OPEN && now - s->br[i].since < s->bc.open_for) continue;
        if (best < 0 || s->out[i] < s->out[best]) best = (int)i;
    }
    if (best >= 0 && s->has_br && cf->policy != LB_ROUND_ROBIN && !breaker_allow(&s->br[best], &s->bc, now, NULL))
        return -1;
    return best;
}

/* ---- per-try timeout and retries (issue 5) ----------------------------- */

static void record_backend(component *c, size_t i, bool ok)
{
    lb_state *s = c->state;
    if (!s->has_br || i >= s->n) return;
    breaker *b = &s->br[i];
    if (breaker_record(b, &s->bc, c->env->eng->now, ok) && c->env->event) {
        bool open = b->state == BREAKER_OPEN;
        char detail[160];
        snprintf(detail, sizeof detail, "%s %s its breaker for this backend", c->id, open ? "opened" : "closed");
        c->env->event(c->env, open ? "breaker_open" : "breaker_close", s->b[i], detail);
    }
}

static void lb_try(component *c, request *p, unsigned done, int avoid);

/* Try number `done` for p failed with `status` on backend `last`: another
 * try (on another backend, as Envoy's previous_hosts predicate), or the error. */
static void after_try(component *c, request *p, int status, unsigned done, int last)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    if ((int64_t)done < 1 + cf->retries) {
        s->try_retries++;
        lb_try(c, p, done, last);
        return;
    }
    p->status = (uint8_t)status;
    comp_respond(c, p, 0);
}

static void ev_try_timeout(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    lb_state *s = c->state;
    request *d = ev->arg;
    if (ev->data != d->gen || !d->partner || c->down) return;
    request *p = d->partner;
    d->timeout_ev = (sim_event_ref){ 0 };
    d->partner = NULL;
    d->flags |= REQ_F_ABANDONED; /* freed here when (if) it comes back */
    s->try_timeouts++;
    size_t last = d->path[0].state & ~LB_TRY;
    record_backend(c, last, false);
    after_try(c, p, REQ_FAILED, d->retries, (int)last);
}

/* Sends try number done + 1 of p (kept here) to the next backend, not
 * `avoid` (the one that just failed it) when there is another. */
static void lb_try(component *c, request *p, unsigned done, int avoid)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    int i = pick_allowed(c, avoid);
    if (i < 0) {
        p->status = REQ_FAILED; /* no backend up: 503 */
        comp_respond(c, p, 0);
        return;
    }
    request *d = req_new_copy(c->env->reqs, p);
    if (!d) {
        comp_out_of_memory(c);
        return;
    }
    d->partner = p;
    d->retries = (uint8_t)(done + 1);
    s->next = ((size_t)i + 1) % s->n;
    s->out[i]++;
    s->sent[i]++;
    s->tries++;
    if (cf->timeout > 0) d->timeout_ev = sim_schedule(c->env->eng, cf->timeout, ev_try_timeout, c, d, d->gen);
    comp_forward(c, s->b[i], d, (uint32_t)i | LB_TRY, req_request_bytes(d));
}

/* The answer to try d, sent to backend `from`, came back. */
static void try_answered(component *c, request *d, int from)
{
    if (d->flags & REQ_F_ABANDONED) {
        req_free(c->env->reqs, d);
        return;
    }
    if (sim_event_pending(d->timeout_ev)) sim_cancel(c->env->eng, d->timeout_ev);
    request *p = d->partner;
    unsigned done = d->retries;
    int status = d->status;
    p->flags |= d->flags & (REQ_F_HIT | REQ_F_MISS);
    req_free(c->env->reqs, d);
    if (status == REQ_FAILED || status == REQ_REJECTED) {
        after_try(c, p, status, done, from);
        return;
    }
    p->status = (uint8_t)status;
    comp_respond(c, p, req_response_bytes(p));
}

static void lb_on_request(component *c, request *r)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    if (cf->timeout > 0 || cf->retries > 0) {
        lb_try(c, r, 0, -1);
        return;
    }
    int i = pick_allowed(c, -1);
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
    size_t i = hop->state & ~LB_TRY;
    if (i < s->n && s->out[i]) s->out[i]--;
    /* an abandoned try's late answer says nothing the breaker has not counted */
    if (!(r->flags & REQ_F_ABANDONED) || !(hop->state & LB_TRY))
        record_backend(c, i, r->status != REQ_FAILED && r->status != REQ_REJECTED);
    if (hop->state & LB_TRY) {
        try_answered(c, r, (int)i);
        return;
    }
    comp_respond(c, r, req_response_bytes(r));
}

static void lb_reset_stats(component *c)
{
    lb_state *s = c->state;
    for (size_t i = 0; i < s->n; i++) s->sent[i] = 0;
    s->tries = s->try_timeouts = s->try_retries = 0;
}

static void lb_report(component *c, cJSON *o)
{
    lb_state *s = c->state;
    cJSON *sent = cJSON_AddObjectToObject(o, "sent");
    for (size_t i = 0; sent && i < s->n; i++) comp_json_num(sent, s->b[i]->id, (double)s->sent[i], "%.0f");
    lb_conf *cf = c->conf;
    if (cf->timeout > 0 || cf->retries > 0) {
        comp_json_num(o, "tries", (double)s->tries, "%.0f");
        comp_json_num(o, "try_timeouts", (double)s->try_timeouts, "%.0f");
        comp_json_num(o, "try_retries", (double)s->try_retries, "%.0f");
    }
    if (s->has_br) {
        cJSON *bo = cJSON_AddObjectToObject(o, "breaker_opens");
        for (size_t i = 0; bo && i < s->n; i++) comp_json_num(bo, s->b[i]->id, (double)s->br[i].opens, "%.0f");
    }
    if (s->has_hc) {
        cJSON *down = cJSON_AddObjectToObject(o, "health_down_s");
        for (size_t i = 0; down && i < s->n; i++)
            comp_json_num(down, s->b[i]->id, sim_time_to_s(prober_down_time(&s->pr, i)), "%.6f");
    }
}

static void lb_free(component *c)
{
    lb_state *s = c->state;
    free(s->b);
    free(s->out);
    free(s->sent);
    free(s->up);
    if (s->has_hc) prober_free(&s->pr);
    free(s->br);
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
