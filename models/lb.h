/* models/lb.h - a load balancer.
 *
 * Spreads requests over its backends: round_robin (in turn) or
 * least_connections (the backend with the fewest requests outstanding through
 * this balancer; ties go to the first in order after the last pick, so equal
 * backends share evenly). It adds no service time of its own: balancers are
 * rarely the bottleneck, and the network hop to it is already counted.
 * Backends marked down by a health check (issue 5, lb_set_up) get nothing.
 *
 * Health checks (`health_check`, models/health.h): each backend is probed
 * every interval, its first probe at a phase drawn from the stream
 * "<id>/health". A probe crosses the network both ways (lost on a cut or
 * lossy link) and is answered at once by a backend that is up: probes
 * detect crashes, partitions and loss, not slowness. `fall` failed probes
 * in a row eject the backend ("health_down" in events.csv), `rise`
 * successful ones bring it back ("health_up"). Until it is ejected a dead
 * backend still gets its share of requests, which then fail or time out.
 *
 * Circuit breakers (`breaker`, models/breaker.h): one per backend, fed by the
 * answers that come back through the balancer (an error or a refusal is a
 * failure). An open breaker takes its backend out of the rotation until a
 * trial request succeeds ("breaker_open" / "breaker_close" in events.csv):
 * what Envoy calls outlier detection. It reacts to errors within a few
 * requests, but sees nothing of a backend that answers nothing (that takes a
 * health check, or a client timeout).
 *
 * Per-try timeout and retries (`timeout`, `retries`, as Envoy's per_try_timeout
 * and retry policy): the balancer keeps the request and sends a copy (a try)
 * to a backend; a try not answered within `timeout`, or answered with an
 * error, is given up (the backend still works on it) and, while `retries`
 * allow, a new try goes to the next backend; the last failure is answered
 * upstream as an error. This is the per-hop timeout: the client upstream sees
 * one request.
 */
#ifndef MODELS_LB_H
#define MODELS_LB_H

#include "models/component.h"

extern const comp_kind lb_kind;

typedef enum { LB_ROUND_ROBIN = 0, LB_LEAST_CONN = 1 } lb_policy;

typedef struct lb_conf {
    int policy;
    conf_strlist backends;
    const cJSON *health_check;  /* models/health.h parameters, or NULL: no checks (issue 5) */
    const cJSON *breaker;       /* models/breaker.h parameters, one breaker per backend, or NULL */
    sim_time_t timeout;         /* per try (issue 5); 0: wait as long as it takes */
    int64_t retries;            /* further tries on the next backend after an error or a timeout */
} lb_conf;

/* Index of the backend the next request goes to (does not count it), or -1
 * when all are down. For tests. */
int lb_pick(component *c);

/* Outstanding requests on backend i. */
uint64_t lb_outstanding(const component *c, size_t i);

/* Marks backend i up or down (health checks, issue 5). */
void lb_set_up(component *c, size_t i, bool up);

#endif
