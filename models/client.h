/* models/client.h - a population of clients issuing requests.
 *
 * Open loop (mode "open"): arrivals form a Poisson process at `rate`, however
 * slowly the system answers. Closed loop (mode "closed"): `concurrency` users
 * each issue a request, wait for its answer, think for a time drawn from
 * `think`, and issue the next one.
 *
 * Objects are ranks 1..objects with Zipf(zipf) popularity; an object's size
 * is fixed for the whole run: the size distribution's quantile at a uniform
 * number derived from a hash of the object id, so every client and every run
 * with the same catalogue sees the same size for the same object. `mix`
 * gives the share of each operation (default: every request a GET), e.g.
 * {"GET": "90%", "PUT": "10%"}; a PUT carries the object to the server.
 * Each
 * request and each response also crosses the client's last mile (`last_mile`
 * delay, drawn per message).
 *
 * Resilience (issue 5): `timeout` gives up on an attempt not answered in
 * time (the abandoned attempt still travels and loads the system, as in real
 * life); `retry` retries failed and timed-out attempts with exponential
 * backoff, jitter and an optional retry budget, and may hedge (a second
 * copy after a delay, first answer wins) (models/retry.h); `breaker`
 * puts a circuit breaker in front of the first hop (models/breaker.h): while
 * it is open, requests fail at once without being sent. A request's latency
 * runs from its first attempt to its final answer.
 */
#ifndef MODELS_CLIENT_H
#define MODELS_CLIENT_H

#include "models/component.h"

extern const comp_kind client_kind;

typedef enum { CLIENT_OPEN = 0, CLIENT_CLOSED = 1 } client_mode;

/* Shares of each operation in a client's requests (fractions summing to 1). */
typedef struct client_mix {
    double share[REQ_NOPS];  /* indexed by req_op */
} client_mix;

typedef struct client_conf {
    int mode;               /* client_mode */
    double rate;            /* open loop: requests per second */
    int64_t concurrency;    /* closed loop: users */
    sim_dist think;         /* closed loop: think time, ns */
    char *to;               /* first hop */
    int64_t objects;        /* catalogue size */
    double zipf;            /* popularity exponent */
    sim_dist size;          /* object sizes, bytes */
    sim_dist last_mile;     /* one-way delay between the users and the network, ns */
    /* Resilience (issue 5, docs/faults.md): all off by default. */
    sim_time_t timeout;     /* per attempt; 0: wait forever */
    sim_time_t deadline;    /* end to end, across retries, from the first attempt; 0: none */
    const cJSON *retry;     /* retry policy object (models/retry.h), or NULL */
    const cJSON *breaker;   /* circuit breaker object (models/breaker.h), or NULL */
    client_mix mix;         /* operation mix; default all GET */
} client_conf;

/* The size of object `object` under size distribution d: stable per object. */
uint64_t client_object_size(const sim_dist *d, uint64_t object);

#endif
