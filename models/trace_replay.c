/* models/trace_replay.c - trace replay workload (see trace_replay.h). */
#include "models/trace_replay.h"

#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/trace.h"
#include "models/workload.h"
#include "sim/errors.h"
#include "sim/rng.h"

static const char *const replay_formats[] = { "csv", "oracleGeneral", NULL };

static const conf_field trace_replay_fields[] = {
    { "to", CONF_REF, offsetof(trace_replay_conf, to), NULL,
      "id of the first component requests go to", 0, 0, NULL, NULL },
    { "trace", CONF_STRING, offsetof(trace_replay_conf, trace), NULL,
      "trace file (relative to the scenario file's directory)", 0, 0, NULL, NULL },
    { "format", CONF_ENUM, offsetof(trace_replay_conf, format), "\"csv\"",
      "csv (header line, chosen columns) or oracleGeneral (libCacheSim binary)", 0, 0, replay_formats, NULL },
    { "time_col", CONF_INT, offsetof(trace_replay_conf, time_col), "1",
      "CSV column of the time, from 1 (0: none, times are 0, 1, 2, ...)", 0, 1e5, NULL, NULL },
    { "id_col", CONF_INT, offsetof(trace_replay_conf, id_col), "2",
      "CSV column of the object id (numbers, or text hashed to 64 bits)", 1, 1e5, NULL, NULL },
    { "size_col", CONF_INT, offsetof(trace_replay_conf, size_col), "3",
      "CSV column of the size in bytes (0: none, size 1)", 0, 1e5, NULL, NULL },
    { "no_header", CONF_BOOL, offsetof(trace_replay_conf, no_header), "false",
      "CSV: the first line is a request, not a header", 0, 0, NULL, NULL },
    { "ignore_size", CONF_BOOL, offsetof(trace_replay_conf, ignore_size), "false",
      "every object has size 1 byte", 0, 0, NULL, NULL },
    { "skip_bad", CONF_BOOL, offsetof(trace_replay_conf, skip_bad), "false",
      "skip malformed lines (counted) instead of stopping the replay", 0, 0, NULL, NULL },
    { "loop", CONF_BOOL, offsetof(trace_replay_conf, loop), "false",
      "start the trace over when it ends", 0, 0, NULL, NULL },
    { "time_unit", CONF_DURATION, offsetof(trace_replay_conf, time_unit), "\"1s\"",
      "what one unit of the trace's time means", 0, 0, NULL, NULL },
    { "speedup", CONF_DOUBLE, offsetof(trace_replay_conf, speedup), "1",
      "replay this many times faster than the trace's clock (compression)", 1e-9, 1e12, NULL, NULL },
    { "rate", CONF_RATE, offsetof(trace_replay_conf, rate), "0",
      "if above 0: ignore the trace's times and issue Poisson arrivals at this rate", 0, 0, NULL, NULL },
    { "last_mile", CONF_DIST_TIME, offsetof(trace_replay_conf, last_mile), "\"0\"",
      "one-way delay between users and the network, each way", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

enum { REPLAY_BATCH = 4096 };

typedef struct replay_state {
    component *to;
    trace_reader rd;
    bool open;
    trace_req *buf;
    long n, i;          /* requests in buf, next to issue */
    double t0;          /* trace time of the first request of the current pass */
    sim_time_t base;    /* simulated time of that first request */
    bool first, done;
    uint64_t replayed, passes;
    gsl_rng *arrivals;
    char error[512];
} replay_state;

/* Next request in *q; false at the end (or on an error, recorded). */
static bool next_req(component *c, trace_req *q)
{
    trace_replay_conf *cf = c->conf;
    replay_state *s = c->state;
    for (int tries = 0; tries < 2; tries++) {
        if (s->i < s->n) {
            *q = s->buf[s->i++];
            return true;
        }
        long k = trace_read(&s->rd, s->buf, REPLAY_BATCH);
        if (k < 0) {
            snprintf(s->error, sizeof s->error, "%s", trace_error(&s->rd));
            if (c->env->event) c->env->event(c->env, "trace_error", c, s->error);
            return false;
        }
        if (k == 0) {
            if (!cf->loop || trace_rewind(&s->rd) != 0) return false;
            s->passes++;
            s->first = true;
            k = trace_read(&s->rd, s->buf, REPLAY_BATCH);
            if (k <= 0) return false;
        }
        s->n = k;
        s->i = 0;
    }
    return false;
}

static int replay_create(component *c, conf_errors *errs)
{
    trace_replay_conf *cf = c->conf;
    replay_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    s->arrivals = comp_stream(c, "arrivals");
    s->buf = malloc(REPLAY_BATCH * sizeof *s->buf);
    if (!s->arrivals || !s->buf) return SIM_ENOMEM;
    char path[4096];
    const char *dir = c->env->doc ? c->env->doc->dir : NULL;
    if (cf->trace[0] != '/' && dir && *dir) snprintf(path, sizeof path, "%s/%s", dir, cf->trace);
    else snprintf(path, sizeof path, "%s", cf->trace);
    trace_opts o = { .format = cf->format ? TRACE_ORACLE_GENERAL : TRACE_CSV,
                     .time_col = (int)cf->time_col, .id_col = (int)cf->id_col, .size_col = (int)cf->size_col,
                     .no_header = cf->no_header, .ignore_size = cf->ignore_size, .skip_bad = cf->skip_bad };
    int rc = trace_open(&s->rd, path, &o);
    s->open = true;
    if (rc == 0) {
        long k = trace_read(&s->rd, s->buf, REPLAY_BATCH);
        if (k > 0) s->n = k;
        else rc = k < 0 ? (int)k : SIM_EPARSE;
        if (k == 0) snprintf(s->rd.err, sizeof s->rd.err, "%.400s: no requests in the trace", path);
    }
    if (rc != 0) {
        const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, "trace") : NULL;
        char jp[512];
        snprintf(jp, sizeof jp, "%s.trace", c->jpath);
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp, "%s", trace_error(&s->rd));
        return rc == SIM_ENOMEM ? rc : SIM_EPARSE;
    }
    s->first = true;
    return 0;
}

static int replay_link(component *c, conf_errors *errs)
{
    replay_state *s = c->state;
    return workload_link(c, &s->to, errs);
}

static void ev_send(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    replay_state *s = c->state;
    request *r = ev->arg;
    r->arrived = eng->now;
    comp_forward(c, s->to, r, 0, req_request_bytes(r));
}

static void ev_issue(sim_engine *eng, sim_event *ev);

/* Schedules the issue of q: at its trace time, or after a Poisson gap. */
static void schedule(component *c, const trace_req *q)
{
    trace_replay_conf *cf = c->conf;
    replay_state *s = c->state;
    sim_engine *eng = c->env->eng;
    sim_time_t at;
    if (cf->rate > 0) {
        at = eng->now + sim_time_from_ns(gsl_ran_exponential(s->arrivals, 1e9 / cf->rate));
    } else {
        if (s->first) {
            s->t0 = q->time;
            s->base = eng->now;
            s->first = false;
        }
        double dt = (q->time - s->t0) * (double)cf->time_unit / cf->speedup;
        at = s->base + sim_time_from_ns(dt);
        if (at < eng->now) at = eng->now;
    }
    request *r = req_new(c->env->reqs);
    if (!r) {
        comp_out_of_memory(c);
        return;
    }
    r->op = REQ_GET;
    r->object = q->id;
    r->size = q->size;
    r->client = c;
    r->region = c->region;
    sim_schedule(eng, at - eng->now, ev_issue, c, r, 0);
}

static void ev_issue(sim_engine *eng, sim_event *ev)
{
    component *c = ev->target;
    trace_replay_conf *cf = c->conf;
    replay_state *s = c->state;
    comp_env *env = c->env;
    request *r = ev->arg;
    if (c->down) {
        req_free(env->reqs, r);
    } else {
        s->replayed++;
        workload_issue(c, r);
        sim_schedule(eng, sim_dist_sample_time(&cf->last_mile, c->rng), ev_send, c, r, 0);
    }
    trace_req q;
    if (next_req(c, &q)) schedule(c, &q);
    else s->done = true;
}

static int replay_start(component *c)
{
    trace_req q;
    if (c->down || !next_req(c, &q)) return 0;
    schedule(c, &q);
    return 0;
}

static void ev_done(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    request *r = ev->arg;
    comp_env *env = c->env;
    if (r->status == REQ_PENDING) r->status = REQ_OK;
    workload_complete(c, r);
    req_free(env->reqs, r);
}

static void replay_on_request(component *c, request *r)
{
    r->status = REQ_FAILED; /* nobody sends to a workload */
    comp_respond(c, r, 0);
}

static void replay_on_response(component *c, request *r, const req_hop *hop)
{
    (void)hop;
    trace_replay_conf *cf = c->conf;
    sim_schedule(c->env->eng, sim_dist_sample_time(&cf->last_mile, c->rng), ev_done, c, r, 0);
}

static void replay_report(component *c, cJSON *o)
{
    replay_state *s = c->state;
    comp_json_num(o, "completed", (double)c->responses, "%.0f");
    comp_json_num(o, "replayed", (double)s->replayed, "%.0f");
    comp_json_num(o, "passes", (double)s->passes + 1, "%.0f");
    comp_json_num(o, "skipped_lines", (double)trace_skipped(&s->rd), "%.0f");
    cJSON_AddBoolToObject(o, "trace_finished", s->done && !s->error[0]);
    if (s->error[0]) cJSON_AddStringToObject(o, "trace_error", s->error);
}

static void replay_free(component *c)
{
    replay_state *s = c->state;
    if (!s) return;
    if (s->open) trace_close(&s->rd);
    if (s->arrivals) gsl_rng_free(s->arrivals);
    free(s->buf);
    free(s);
    c->state = NULL;
}

static const comp_ops trace_replay_ops = {
    .create = replay_create,
    .link = replay_link,
    .start = replay_start,
    .on_request = replay_on_request,
    .on_response = replay_on_response,
    .report = replay_report,
    .free = replay_free,
};

const comp_kind trace_replay_kind = {
    .name = "trace_replay",
    .help = "a workload replaying a request trace (CSV or oracleGeneral), times honoured, scaled or replaced by a rate",
    .fields = trace_replay_fields,
    .conf_size = sizeof(trace_replay_conf),
    .ops = &trace_replay_ops,
    .flags = COMP_KIND_SOURCE,
};
