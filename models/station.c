/* models/station.c - the c-server FIFO queueing station. */
#include "models/station.h"

#include <string.h>

#include "sim/errors.h"

static void station_service_end(sim_engine *eng, sim_event *ev);

int station_init(station *s, sim_engine *eng, const station_conf *conf, gsl_rng *r,
                 station_done_fn done, void *owner)
{
    memset(s, 0, sizeof *s);
    s->eng = eng;
    s->rng = r;
    s->servers = conf->servers;
    s->queue_limit = conf->queue_limit;
    s->per_byte_ns = conf->per_byte_ns;
    s->slow = 1.0;
    s->done = done;
    s->owner = owner;
    sim_dist_const(&s->service, 0);
    if (sim_hist_init(&s->sojourn) != 0 || sim_hist_init(&s->wait) != 0) return SIM_ENOMEM;
    if (conf->servers < 1) return SIM_EINVAL;
    if (sim_dist_copy(&s->service, &conf->service) != 0) {
        sim_dist_const(&s->service, 0);
        return SIM_ENOMEM;
    }
    sim_twavg_init(&s->busy_avg, eng->now, 0);
    sim_twavg_init(&s->queue_avg, eng->now, 0);
    sim_twavg_init(&s->busy_win, eng->now, 0);
    sim_twavg_init(&s->queue_win, eng->now, 0);
    return 0;
}

void station_free(station *s)
{
    sim_dist_free(&s->service);
    sim_hist_free(&s->sojourn);
    sim_hist_free(&s->wait);
}

static void set_busy(station *s, int64_t busy)
{
    s->busy = busy;
    sim_twavg_set(&s->busy_avg, s->eng->now, (double)busy);
    sim_twavg_set(&s->busy_win, s->eng->now, (double)busy);
}

static void set_qlen(station *s, size_t q)
{
    s->qlen = q;
    sim_twavg_set(&s->queue_avg, s->eng->now, (double)q);
    sim_twavg_set(&s->queue_win, s->eng->now, (double)q);
}

static void start_service(station *s, request *r)
{
    const sim_dist *d = r->op < REQ_NOPS && s->op_service[r->op] ? s->op_service[r->op] : &s->service;
    double ns = sim_dist_sample(d, s->rng);
    /* A negative per_byte_ns subtracts (the disk's shared-bandwidth mode: the
     * drawn time includes the transfer); a negative total is served as 0. */
    if (s->per_byte_ns != 0 && !(r->op < REQ_NOPS && s->op_no_per_byte[r->op])) ns += s->per_byte_ns * (double)r->size;
    if (r->op < REQ_NOPS) ns += s->op_shift_ns[r->op];
    ns *= s->slow;
    sim_hist_record(&s->wait, s->eng->now - r->st_arrived);
    r->st_wait = s->eng->now - r->st_arrived;
    /* link into the in-service list */
    r->qprev = NULL;
    r->qnext = s->svc;
    if (s->svc) s->svc->qprev = r;
    s->svc = r;
    r->st_ev = sim_schedule(s->eng, sim_time_from_ns(ns), station_service_end, s, r, 0);
}

int station_arrive(station *s, request *r)
{
    s->arrivals++;
    r->st = s;
    r->st_arrived = s->eng->now;
    if (s->busy < s->servers) {
        set_busy(s, s->busy + 1);
        start_service(s, r);
        return 0;
    }
    if (s->queue_limit >= 0 && (int64_t)s->qlen >= s->queue_limit) {
        s->rejected++;
        r->st = NULL;
        return SIM_ENOSPC;
    }
    r->qnext = NULL;
    r->qprev = s->qtail;
    if (s->qtail) s->qtail->qnext = r;
    else s->qhead = r;
    s->qtail = r;
    set_qlen(s, s->qlen + 1);
    return 0;
}

static void unlink_svc(station *s, request *r)
{
    if (r->qprev) r->qprev->qnext = r->qnext;
    else s->svc = r->qnext;
    if (r->qnext) r->qnext->qprev = r->qprev;
    r->qnext = r->qprev = NULL;
}

static void station_service_end(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    station *s = ev->target;
    request *r = ev->arg;
    unlink_svc(s, r);
    r->st = NULL;
    s->served++;
    sim_hist_record(&s->sojourn, s->eng->now - r->st_arrived);
    r->st_owner = s->owner;
    r->st_service = s->eng->now - r->st_arrived - r->st_wait;
    if (s->qhead) {
        /* the freed server takes the head of the queue: busy count unchanged */
        request *n = s->qhead;
        s->qhead = n->qnext;
        if (s->qhead) s->qhead->qprev = NULL;
        else s->qtail = NULL;
        set_qlen(s, s->qlen - 1);
        start_service(s, n);
    } else {
        set_busy(s, s->busy - 1);
    }
    s->done(s->owner, r);
}

void station_drop_all(station *s, void (*drop)(void *owner, request *r))
{
    while (s->svc) {
        request *r = s->svc;
        sim_cancel(s->eng, r->st_ev);
        unlink_svc(s, r);
        r->st = NULL;
        drop(s->owner, r);
    }
    while (s->qhead) {
        request *r = s->qhead;
        s->qhead = r->qnext;
        r->qnext = r->qprev = NULL;
        r->st = NULL;
        drop(s->owner, r);
    }
    s->qtail = NULL;
    set_qlen(s, 0);
    set_busy(s, 0);
}

void station_set_slow(station *s, double factor) { s->slow = factor > 0 ? factor : 1.0; }

void station_reset_stats(station *s)
{
    sim_twavg_reset(&s->busy_avg, s->eng->now);
    sim_twavg_reset(&s->queue_avg, s->eng->now);
    s->arrivals = s->served = s->rejected = 0;
    sim_hist_reset(&s->sojourn);
    sim_hist_reset(&s->wait);
}

double station_utilization(const station *s)
{
    return sim_twavg_mean(&s->busy_avg, s->eng->now) / (double)s->servers;
}

double station_mean_queue(const station *s) { return sim_twavg_mean(&s->queue_avg, s->eng->now); }

void station_window(station *s, double *util, double *queue)
{
    *util = sim_twavg_mean(&s->busy_win, s->eng->now) / (double)s->servers;
    *queue = sim_twavg_mean(&s->queue_win, s->eng->now);
    sim_twavg_reset(&s->busy_win, s->eng->now);
    sim_twavg_reset(&s->queue_win, s->eng->now);
}
