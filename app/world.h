/* app/world.h - a scenario turned into components on an engine, run, and
 * written out.
 *
 * The single-run entry point is world_run_file(): it loads the scenario
 * (app/scenario.h), builds the network and components, runs the simulation
 * with warm-up deletion, and writes summary.json, timeseries.csv,
 * latency.csv and events.csv (docs/summary.md) into the output directory.
 * Replications (app/reps.c) call it once per replication with a derived seed
 * and their own output directory.
 *
 * The finer-grained calls (world_load, world_run, world_write) let `validate`
 * stop after building and `show` print the built world without running it.
 */
#ifndef APP_WORLD_H
#define APP_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "app/scenario.h"
#include "app/timeseries.h"
#include "models/component.h"
#include "models/net.h"
#include "models/request.h"
#include "sim/engine.h"
#include "sim/hist.h"

typedef enum {
    WORLD_PROGRESS_AUTO = 0,  /* a progress line on stderr (in place on a terminal) */
    WORLD_PROGRESS_OFF = 1,   /* --quiet */
} world_progress;

typedef struct world_opts {
    bool has_seed;            /* override the scenario's seed with `seed` */
    uint64_t seed;
    const char *const *sets;  /* --set PATH=VALUE, as typed */
    size_t nsets;
    const char *outdir;       /* NULL: out/<scenario name> */
    world_progress progress;
    bool handle_sigint;       /* Ctrl-C stops the run and writes a partial summary */
    FILE *log;                /* where "summary: DIR/summary.json" goes; NULL: silent */
    uint64_t trace_sample;    /* trace every N-th request into trace.jsonl; 0: none */
} world_opts;

/* Initialises opts with the defaults above (no seed override, progress on,
 * SIGINT handled, log to stdout). */
void world_opts_init(world_opts *o);

typedef struct world_stats {
    uint64_t issued, completed, failed, timed_out, rejected;
    sim_hist latency;         /* ns, successful requests issued after warm-up */
} world_stats;

/* One traced request (--trace-sample): its steps through the graph. */
typedef struct trace_hop {
    uint32_t comp;            /* index in world.comps */
    const char *what;         /* static string: "arrive", "forward", ... */
    sim_time_t t;             /* when */
    sim_time_t wait, service; /* the station visit that ended here, or -1 */
} trace_hop;

typedef struct trace_rec {
    uint64_t id, object, size;
    sim_time_t issued, done;
    int status;               /* req_status when finished */
    uint32_t flags, retries;
    bool finished;
    trace_hop *hops;
    size_t n, cap;
} trace_rec;

typedef struct world {
    scenario scn;
    net net;
    sim_engine eng;
    req_pool reqs;
    comp_env env;
    component **comps;        /* scenario order, then workload clients */
    size_t ncomps;
    uint64_t seed;
    sim_time_t window;        /* report.window */
    /* measured (issued after warm-up) */
    world_stats all;
    world_stats by_op[REQ_NOPS];
    /* current report window */
    uint64_t w_offered, w_completed, w_failed, w_timed_out, w_rejected;
    sim_hist w_latency;
    sim_time_t w_start;
    ts_table ts;
    /* --trace-sample */
    uint64_t trace_every;
    trace_rec *traces;
    size_t ntraces, cap_traces;
    struct fault_run *faults; /* the fault timeline (app/faultrun.h) */
    /* notable events, for events.csv */
    char **events;
    size_t nevents, cap_events;
    /* run outcome */
    bool ran, partial;
    sim_time_t reached;       /* simulated time reached */
    double wall_s;
    int run_error;            /* 0 or the SIM_E* sim_run returned */
} world;

/* Loads and builds: scenario, network, components (parameters read and
 * checked), references resolved, cycles rejected. Every problem goes to errs
 * with its location. Returns 0; SIM_EPARSE / SIM_ENOENT for bad input (exit
 * 2); SIM_ENOMEM. *w must be released with world_free whatever the result. */
int world_load(world *w, const char *scenario_path, const world_opts *o, conf_errors *errs);

/* Runs a loaded world to its duration (or until stopped). Returns 0, or
 * SIM_EINTR when interrupted (w->partial is then set; results so far are
 * kept), or SIM_ENOMEM. */
int world_run(world *w, const world_opts *o);

/* Writes summary.json, timeseries.csv, latency.csv, events.csv into dir
 * (created if missing, parents too). Returns 0 or SIM_EIO with a message on
 * stderr. */
int world_write(world *w, const char *dir);

/* The summary object (docs/summary.md); caller frees with cJSON_Delete.
 * NULL when out of memory: a summary missing part of a report is never
 * returned (cJSON's own failures are counted by app/jsonmem.h). */
cJSON *world_summary(const world *w);

/* Prints the effective scenario (defaults and --set applied, model defaults
 * filled in) as JSON, then the request paths through the graph. */
void world_show(world *w, FILE *f);

/* Writes the request paths only: one line per client, e.g.
 * "users-us[us-east] -> dns -> edge[us-east] -> lb[us-east] -> ...". */
void world_print_paths(world *w, FILE *f);

void world_free(world *w);

/* The output directory a run uses: opts->outdir, else out/<scenario name>
 * with every character other than letters, digits, '-', '_' and '.' replaced
 * by '_' (and a leading '.' prefixed with '_').
 * Writes into buf (len bytes) and returns buf. */
const char *world_outdir(const world *w, const world_opts *o, char *buf, size_t len);

/* One complete run: load, run, write. Returns 0 ok; SIM_EPARSE/SIM_ENOENT bad
 * input (errors in errs); SIM_EINTR interrupted (partial summary written);
 * SIM_EIO / SIM_ENOMEM run failed. When out_dir is not NULL the directory
 * written is copied there (out_len bytes). */
int world_run_file(const char *scenario_path, const world_opts *o, conf_errors *errs, char *out_dir,
                   size_t out_len);

/* The field table of the `report` section (for docs). */
const conf_field *world_report_fields(void);

/* Appends a line to events.csv's list: time now, event name, target id, detail. */
void world_event(world *w, const char *event, const char *target, const char *detail);

#endif
