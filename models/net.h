/* models/net.h - the network between regions.
 *
 * Regions are named; every ordered pair of regions (including a region with
 * itself) has a one-way delay distribution and a bandwidth. A message of
 * `bytes` takes delay + bytes / bandwidth. Links are not shared resources:
 * concurrent transfers do not slow each other down (documented limitation;
 * a congested link is modelled with a `slow` factor, issue 5).
 *
 * Scenario syntax (both sections optional):
 *     "regions": ["us-east", "eu-west"]          (or an object keyed by name)
 *     "network": {
 *       "same_region":  {"delay": {"lognormal": {"mean": "250us", "p99": "1ms"}}, "bandwidth": "10Gbit/s"},
 *       "cross_region": {"delay": {"lognormal": {"mean": "25ms", "p99": "50ms"}}, "bandwidth": "1Gbit/s"},
 *       "pairs": [{"between": ["us-east", "eu-west"], "delay": "40ms", "bandwidth": "2Gbit/s"}]
 *     }
 * Without `regions` there is one region, "local". Pairs are symmetric.
 */
#ifndef MODELS_NET_H
#define MODELS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_rng.h>

#include "app/conf.h"
#include "sim/dist.h"
#include "sim/time.h"

typedef struct net {
    size_t n;          /* regions */
    char **names;      /* owned */
    sim_dist *delay;   /* n x n one-way delay, ns */
    double *bw;        /* n x n bytes per second; 0 = no transfer time */
    double *mean_ns;   /* n x n mean delay, for nearest-region routing */
    double *factor;    /* n x n delay multiplier (slow links), 1 normally */
    bool *cut;         /* n x n partitioned: messages are lost */
    double *loss;      /* n x n fraction of messages lost (degraded link, issue 5), 0 normally */
    sim_time_t *extra; /* n x n one-way delay added (degraded link), 0 normally */
} net;

/* The parameters of one link (same_region, cross_region, a pair). */
typedef struct net_link_conf {
    sim_dist delay;
    double bandwidth;
} net_link_conf;

/* One entry of network.pairs. */
typedef struct net_pair_conf {
    const cJSON *between;   /* ["A", "B"]: checked by net_init_json */
    sim_dist delay;
    double bandwidth;
} net_pair_conf;

extern const conf_field net_same_region_fields[];
extern const conf_field net_pair_fields[];
extern const conf_field net_cross_region_fields[];
/* Fields of the `network` section, for docs. */
extern const conf_field net_network_fields[];

/* Builds the network from the raw `regions` and `network` sections (either
 * may be NULL). Errors (unknown keys, bad units, unknown region in a pair,
 * duplicate region) are recorded in errs with their JSON path; returns 0 or
 * SIM_EPARSE / SIM_ENOMEM, leaving *nt freeable in every case. */
int net_init_json(net *nt, const conf_doc *doc, const cJSON *regions, const cJSON *network,
                  conf_errors *errs);

/* Builds a network of `n` named regions with one link for every same-region
 * pair and one for every cross-region pair (copied). For tests. */
int net_init_simple(net *nt, size_t n, const char *const *names, const net_link_conf *same,
                    const net_link_conf *cross);

void net_free(net *nt);

/* Index of a region by name, or -1. */
int net_region(const net *nt, const char *name);

/* One draw of the time a message of `bytes` takes from region a to b. */
sim_time_t net_delay(const net *nt, int a, int b, uint64_t bytes, gsl_rng *r);

static inline bool net_is_cut(const net *nt, int a, int b) { return nt->cut[(size_t)a * nt->n + (size_t)b]; }
/* Whether a message from a to b is lost on a degraded link: draws from r
 * only when the link has a loss probability, so runs without degraded links
 * draw exactly what they drew before. */
static inline bool net_drops(const net *nt, int a, int b, gsl_rng *r)
{
    double p = nt->loss[(size_t)a * nt->n + (size_t)b];
    return p > 0 && gsl_rng_uniform(r) < p;
}
static inline double net_mean_ns(const net *nt, int a, int b) { return nt->mean_ns[(size_t)a * nt->n + (size_t)b]; }

/* Among `n` candidate regions, the one with the smallest mean delay from
 * region `from` (its own region first; ties broken by order). Returns the
 * position in cand, or -1 when n == 0. */
int net_nearest(const net *nt, int from, const int *cand, size_t n);

/* The effective network as JSON, for `show`. */
cJSON *net_to_json(const net *nt);

/* The `network` section (`network` may be NULL: all defaults) as the scenario
 * language writes it, every default filled in: {same_region, cross_region,
 * pairs}, so that `cdnsim show` prints a section that parses back to the same
 * network. A new tree owned by the caller; NULL when the section does not read
 * (the run would have failed already) or on out of memory. */
cJSON *net_conf_to_json(const conf_doc *doc, const cJSON *network);

#endif
