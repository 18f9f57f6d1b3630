/* models/client.c - open- and closed-loop client populations. */
#include "models/client.h"

#include <math.h>
#include <stdlib.h>

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
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct client_state {
    sim_zipf zipf;
    component *to;
    gsl_rng *arrivals;   /* "<id>/arrivals": inter-arrival and think times */
    gsl_rng *objects;    /* "<id>/objects": popularity draws */
    double mean_gap_ns;
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

static int client_create(component *c, conf_errors *errs)
{
    client_conf *cf = c->conf;
    client_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    char name[512];
    snprintf(name, sizeof name, "%s/arrivals", c->id);
    s->arrivals = sim_rng_stream(c->env->seed, name);
    snprintf(name, sizeof name, "%s/objects", c->id);
    s->objects = sim_rng_stream(c->env->seed, name);
    if (!s->arrivals || !s->objects) return SIM_ENOMEM;
    if (sim_zipf_init(&s->zipf, (uint64_t)cf->objects, cf->zipf) != 0) {
        conf_error_at(errs, c->env->doc, c->node, c->jpath, "bad catalogue: objects %lld, zipf %g",
                      (long long)cf->objects, cf->zipf);
        return SIM_EPARSE;
    }
    if (cf->mode == CLIENT_OPEN && !(cf->rate > 0)) {
        const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, "rate") : NULL;
        char jp[512];
        snprintf(jp, sizeof jp, "%s.rate", c->jpath);
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp, "expected a rate above 0 for an open-loop client, found %g/s",
                      cf->rate);
        return SIM_EPARSE;
    }
    s->mean_gap_ns = cf->mode == CLIENT_OPEN ? 1e9 / cf->rate : 0;
    return 0;
}

static int client_link(component *c, conf_errors *errs)
{
    client_state *s = c->state;
    component **t;
    size_t n;
    int rc = comp_resolve(c, "to", true, &t, &n, errs);
    if (rc != 0) return rc;
    s->to = t[0];
    free(t);
    return 0;
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

static void ev_send(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_state *s = c->state;
    request *r = ev->arg;
    r->arrived = eng->now;
    comp_forward(c, s->to, r, 0, req_request_bytes(r));
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
        env->eng->error = SIM_ENOMEM;
        return;
    }
    r->op = REQ_GET;
    r->object = sim_zipf_sample(&s->zipf, s->objects);
    r->size = client_object_size(&cf->size, r->object);
    r->issued = env->eng->now;
    r->arrived = env->eng->now;
    r->client = c;
    r->region = c->region;
    r->user = user;
    if (comp_measuring(c)) {
        r->flags |= REQ_F_MEASURED;
        c->requests++;
    }
    if (env->issued) env->issued(env, r);
    sim_schedule(env->eng, sim_dist_sample_time(&cf->last_mile, c->rng), ev_send, c, r, 0);
}

static void ev_done(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    client_conf *cf = c->conf;
    client_state *s = c->state;
    request *r = ev->arg;
    comp_env *env = c->env;
    if (r->status == REQ_PENDING) r->status = REQ_OK;
    if (comp_measuring(c)) {
        c->responses++;
        if (r->flags & REQ_F_MEASURED) sim_hist_record(&c->latency, eng->now - r->issued);
    }
    if (env->completed) env->completed(env, r);
    uint64_t user = r->user;
    req_free(env->reqs, r);
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
    free(s);
    c->state = NULL;
}

static void client_report(component *c, cJSON *o)
{
    client_conf *cf = c->conf;
    comp_json_num(o, "completed", (double)c->responses, "%.0f");
    if (cf->mode == CLIENT_OPEN) comp_json_num(o, "rate_per_s", cf->rate, "%.6g");
    else comp_json_num(o, "concurrency", (double)cf->concurrency, "%.0f");
}

static const comp_ops client_ops = {
    .create = client_create,
    .link = client_link,
    .start = client_start,
    .on_request = client_on_request,
    .on_response = client_on_response,
    .report = client_report,
    .free = client_free,
};

const comp_kind client_kind = {
    .name = "client",
    .help = "a population of users issuing GETs (open loop at a rate, or closed loop with think time)",
    .fields = client_fields,
    .conf_size = sizeof(client_conf),
    .ops = &client_ops,
    .flags = COMP_KIND_SOURCE,
};
