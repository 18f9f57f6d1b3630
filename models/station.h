/* models/station.h - one reusable queueing station: c identical servers, a
 * FIFO queue with an optional limit, and a service time drawn from a
 * distribution plus an optional time per byte.
 *
 * Every server-like component (gateway, metadata, data node, disk, edge)
 * embeds one and calls station_arrive(); when a request's service ends the
 * station calls the owner's `done` callback, which usually answers or
 * forwards it. Time averages of busy servers and queue length are kept
 * exactly (sim_twavg), over the measurement period and per report window.
 *
 * A station allocates nothing per request: the queue is linked through the
 * request records (r->qnext/qprev), and in-service requests are linked the
 * same way so that a crash can cancel them.
 */
#ifndef MODELS_STATION_H
#define MODELS_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "app/conf.h"
#include "models/request.h"
#include "sim/dist.h"
#include "sim/engine.h"
#include "sim/hist.h"
#include "sim/stats.h"

/* The parameters, as read from a component's JSON (see STATION_FIELDS). */
typedef struct station_conf {
    int64_t servers;        /* c >= 1 */
    int64_t queue_limit;    /* -1: unlimited; otherwise max waiting (0: no queue) */
    sim_dist service;       /* ns */
    double per_byte_ns;     /* added ns per payload byte (from a bandwidth) */
} station_conf;

/* Called when r's service ends. */
typedef void (*station_done_fn)(void *owner, request *r);

typedef struct station {
    sim_engine *eng;
    gsl_rng *rng;                /* borrowed */
    int64_t servers;
    int64_t queue_limit;
    sim_dist service;            /* owned copy */
    double per_byte_ns;
    double slow;                 /* service-time factor (faults), 1 normally */
    const sim_dist *op_service[REQ_NOPS]; /* optional per-operation service (borrowed; NULL: `service`),
                                             set by the owner after init (a database's reads and writes) */
    double op_shift_ns[REQ_NOPS];   /* optional ns added to a drawn time per operation (may be negative:
                                       the disk's journal share of a write); 0 normally */
    bool op_no_per_byte[REQ_NOPS];  /* optional: this operation's time has no per_byte_ns term */
    station_done_fn done;
    void *owner;
    int64_t busy;                /* servers busy now */
    size_t qlen;
    request *qhead, *qtail;      /* waiting, FIFO */
    request *svc;                /* in service (doubly linked) */
    /* measurement period (reset at warm-up) */
    sim_twavg busy_avg, queue_avg;
    uint64_t arrivals, served, rejected;
    sim_hist sojourn;            /* ns: arrival to end of service */
    sim_hist wait;               /* ns: arrival to start of service */
    /* current report window */
    sim_twavg busy_win, queue_win;
} station;

/* Initialises s from conf (copied; the distribution is duplicated) with the
 * stream r (borrowed) and the completion callback. Returns 0, SIM_EINVAL
 * (servers < 1) or SIM_ENOMEM; s is freeable either way. */
int station_init(station *s, sim_engine *eng, const station_conf *conf, gsl_rng *r,
                 station_done_fn done, void *owner);
void station_free(station *s);

/* A request arrives. Starts service at once when a server is free, else
 * queues it. Returns 0, or SIM_ENOSPC when the queue is at its limit: the
 * request is then not taken (the caller rejects it). */
int station_arrive(station *s, request *r);

/* Drops everything waiting and in service (a crash): pending completions are
 * cancelled and `drop(owner, r)` is called for each request, in FIFO order
 * (in-service first). */
void station_drop_all(station *s, void (*drop)(void *owner, request *r));

/* Multiplies service times drawn from now on by `factor`. */
void station_set_slow(station *s, double factor);

/* Starts a new measurement period (end of warm-up). */
void station_reset_stats(station *s);

/* Mean busy servers / servers over the period, and mean queue length
 * (waiting, not in service). */
double station_utilization(const station *s);
double station_mean_queue(const station *s);

/* The same over the current window, then starts a new window. */
void station_window(station *s, double *util, double *queue);

/* The field-table entries of a station, for embedding in a kind's table:
 * STATION_FIELDS(struct_type, member, "servers default", "service default"). */
#define STATION_FIELDS(T, m, def_servers, def_service, def_queue)                                         \
    { "servers", CONF_INT, offsetof(T, m.servers), def_servers,                                          \
      "number of identical servers working in parallel (c)", 1, 1e6, NULL, NULL },                         \
    { "queue_limit", CONF_INT, offsetof(T, m.queue_limit), def_queue,                                      \
      "most requests waiting for a server; more are rejected (-1: unlimited)", -1, 1e12, NULL, NULL },    \
    { "service", CONF_DIST_TIME, offsetof(T, m.service), def_service,                                      \
      "service time of one request (distribution)", 0, 0, NULL, NULL }

/* Converts a bandwidth (bytes/s, 0 = none) to ns per byte. */
static inline double station_ns_per_byte(double bytes_per_s) { return bytes_per_s > 0 ? 1e9 / bytes_per_s : 0; }

#endif
