/* models/faults.h - the fault timeline: the scenario's `faults` section.
 *
 * A fault is something done to the architecture at a simulated time: crash
 * a component (or N of a group, or a whole region) and maybe recover it
 * later; slow a component's service or a link's delay by a factor; partition
 * two regions; flush a cache; degrade a link with packet loss. The section is
 * an array of entries, each with a start `at`, one action, and for actions
 * that last, an end (`until`, `recover` or `for`). docs/faults.md is the
 * user's reference; examples:
 *
 *   {"at": "60s", "crash": "origin-2", "recover": "90s"}
 *   {"at": "60s", "crash": {"group": "edge", "count": 2}}
 *   {"at": "60s", "crash": {"region": "us-east"}}
 *   {"at": "60s", "crash": "web-2", "refuse": true}           (connection refused, not silence)
 *   {"at": "30s", "until": "40s", "slow": "disk-1", "factor": 3}
 *   {"at": "30s", "for": "10s", "slow": {"link": ["us-east", "eu-west"]}, "factor": 5}
 *   {"at": "20s", "until": "50s", "partition": ["us-east", "eu-west"]}
 *   {"at": "20s", "until": "50s", "partition": "ap-south"}      (cut from every other region)
 *   {"at": "45s", "flush": "edge-1"}
 *   {"at": "10s", "until": "70s", "degrade": {"link": ["us-east", "eu-west"], "loss": "5%"}}
 *
 * This module only parses and orders: it knows the world through a
 * faults_world (component ids, groups, kinds, regions, what each can do),
 * resolves every target, and reports problems (unknown ids with a "did you
 * mean", unknown regions, a flush of something without a cache, an end
 * before the start, ...) located at their JSON path. The runtime (app/world.c)
 * turns the result into events and calls the component fault hooks.
 */
#ifndef MODELS_FAULTS_H
#define MODELS_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "sim/time.h"

typedef enum fault_kind {
    FAULT_CRASH = 0,     /* targets answer nothing from `at` until `until` */
    FAULT_SLOW,          /* targets' service time (or a link's delay) x factor */
    FAULT_PARTITION,     /* messages between two regions are lost */
    FAULT_FLUSH,         /* targets' caches are emptied at `at` (instant) */
    FAULT_DEGRADE,       /* a link loses a fraction of messages, and/or adds delay */
    FAULT_NKINDS
} fault_kind;

/* "crash", "slow", "partition", "flush", "degrade" */
extern const char *const fault_kind_names[FAULT_NKINDS];

/* What a component can undergo (faults_comp.can). */
enum {
    FAULTS_CAN_SLOW = 1u << 0,   /* has a service time to stretch */
    FAULTS_CAN_FLUSH = 1u << 1,  /* has a cache to empty */
    FAULTS_CAN_CRASH = 1u << 2,  /* part of the system (clients, the users, are not) */
};

/* What the parser needs to know of one component. */
typedef struct faults_comp {
    const char *id;
    const char *group;   /* entry id before `count` expansion, or NULL */
    const char *kind;    /* "cdn_edge" */
    int region;          /* index into faults_world.regions */
    unsigned can;        /* FAULTS_CAN_* */
} faults_comp;

typedef struct faults_world {
    const faults_comp *comps;
    size_t ncomps;
    const char *const *regions;
    size_t nregions;
} faults_world;

#define FAULT_FOREVER SIM_TIME_MAX

typedef struct fault {
    fault_kind kind;
    sim_time_t at;           /* start */
    sim_time_t until;        /* end; FAULT_FOREVER when it never ends; == at for a flush */
    size_t *targets;         /* indices into faults_world.comps (crash, slow, flush); owned */
    size_t ntargets;
    int link[2];             /* regions (partition, degrade, slow link), or -1; link[1] == -1
                                with link[0] >= 0: link[0] cut from every other region */
    double factor;           /* slow: multiplier > 0 (1 for other kinds) */
    double loss;             /* degrade: fraction of messages lost, [0, 1] */
    sim_time_t delay;        /* degrade: one-way delay added */
    bool refuse;             /* crash: new requests are refused at once instead of lost */
    char *label;             /* short description for events.csv and the summary; owned */
    char *jpath;             /* "faults[2]"; owned */
} fault;

typedef struct faults {
    fault *v;
    size_t n;
} faults;

/* Parses the `faults` array `arr` (may be NULL: no faults) of doc against
 * the world wd. Every problem goes to errs with file:line:col and JSON path;
 * parsing goes on after an error so that one run reports them all.
 * Returns 0, SIM_EPARSE (something was wrong; *fs holds the good entries
 * only) or SIM_ENOMEM. *fs is always initialised: free it with faults_free. */
int faults_parse(faults *fs, const conf_doc *doc, const cJSON *arr, const faults_world *wd,
                 conf_errors *errs);

void faults_free(faults *fs);

/* One step of the timeline: fault `fault` begins (end == false) or ends. */
typedef struct fault_action {
    sim_time_t t;
    uint32_t fault;
    bool end;
} fault_action;

/* The timeline as actions in the order to apply them: by time; at equal
 * times every end before any begin (so "recover at 90s" and "crash again at
 * 90s" leave it crashed), each group in file order. Instant faults (flush)
 * and faults that never end have no end action. Writes a malloc'd array to
 * *out (NULL when empty; the caller frees) and its length to *n.
 * Returns 0 or SIM_ENOMEM. */
int faults_actions(const faults *fs, fault_action **out, size_t *n);

/* The conf_field table of one entry, for docs (faults_parse uses it). */
extern const conf_field faults_entry_fields[];

#endif
