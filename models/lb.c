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
} lb_state;

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
static int pick_allowed(component *c)
{
    lb_conf *cf = c->conf;
    lb_state *s = c->state;
    if (!s->has_br) return lb_pick(c);
    sim_time_t now = c->env->eng->now;
    int best = -1;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (s->next + k) % s->n;
        if (!s->up[i]) continue;
        if (cf->policy == LB_ROUND_ROBIN) {
            if (breaker_allow(&s->br[i], &s->bc, now, NULL)) return (int)i;
            continue;
        }
        if (s->br[i].state == BREAKER_OPEN && now - s->br[i].since < s->bc.open_for) continue;
        if (best < 0 || s->out[i] < s->out[best]) best = (int)i;
    }
    if (best >= 0 && cf->policy != LB_ROUND_ROBIN && !breaker_allow(&s->br[best], &s->bc, now, NULL)) return -1;
    return best;
}

static void lb_on_request(component *c, request *r)
{
    lb_state *s = c->state;
    int i = pick_allowed(c);
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
    if (s->has_br && hop->state < s->n) {
        breaker *b = &s->br[hop->state];
        bool ok = r->status != REQ_FAILED && r->status != REQ_REJECTED;
        if (breaker_record(b, &s->bc, c->env->eng->now, ok) && c->env->event) {
            bool open = b->state == BREAKER_OPEN;
            char detail[160];
            snprintf(detail, sizeof detail, "%s %s its breaker for this backend", c->id, open ? "opened" : "closed");
            c->env->event(c->env, open ? "breaker_open" : "breaker_close", s->b[hop->state], detail);
        }
    }
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
