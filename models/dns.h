/* models/dns.h - DNS with geo routing.
 *
 * Sends each request to one of its targets (usually CDN edges) in the
 * client's region, or, when there is none, in the region nearest to the
 * client by mean network delay. Among several targets in that region the
 * object id picks one (a stable hash), so a region's edges split the
 * catalogue instead of caching the same objects. Targets a health check has
 * marked down (issue 5) are skipped: with `health_check` (models/prober.h)
 * the DNS probes its targets and, once a region's edges are all marked down,
 * sends that region's users to the next nearest region. The resolver probes
 * without network delay (a partition is not seen by it).
 *
 * `ttl` is how long clients keep an answer. Without it (0, the default)
 * every request is routed by the targets' health at that moment, so failover
 * takes the detection time only. With it, a request uses the answer its
 * client got some time ago, uniform in [0, ttl) (clients resolved at
 * unrelated moments): it is routed by the health the targets had then. After
 * a target is marked down, the share of requests still sent to it falls
 * linearly to 0 over one TTL, and after it comes back, traffic returns as
 * gradually. Each target's last two states are kept (now and before its
 * latest change), so a target that changed twice within one TTL is seen
 * with its latest change only. The ages come from the dns's own stream
 * "<id>/ttl": setting a TTL changes no other draw.
 *
 * The resolver is co-located with its clients (COMP_KIND_LOCAL): reaching it
 * costs no network hop, and the request then travels from the client's
 * region to the chosen target. It is not on the return path: the answer goes
 * straight back to the client.
 */
#ifndef MODELS_DNS_H
#define MODELS_DNS_H

#include "models/component.h"

extern const comp_kind dns_kind;

typedef struct dns_conf {
    conf_strlist to;
    sim_dist resolve;  /* ns */
    sim_time_t ttl;    /* how long clients keep an answer; 0: not at all */
    const cJSON *health_check;  /* models/health.h parameters, or NULL (issue 5) */
} dns_conf;

/* Index into the dns's targets that a request from `region` for `object`
 * goes to, or -1 when every target is down. For tests and `show`. */
int dns_route(const component *c, int region, uint64_t object);

/* The same, routed by the targets' health as it was at time `as_of` (at
 * most one change back per target; see ttl above). */
int dns_route_at(const component *c, int region, uint64_t object, sim_time_t as_of);

/* The target component for a region (object 0), or NULL; for `show`. */
component *dns_target(const component *c, int region, uint64_t object);

/* Marks target i up or down (health checks, issue 5). */
void dns_set_up(component *c, size_t i, bool up);

#endif
