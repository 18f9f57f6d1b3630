/* models/request.h - a request travelling through the component graph, and
 * the pool it comes from.
 *
 * A request is created by a client, forwarded hop by hop (each hop through
 * models/net), and answered back along the same path: whoever forwards a
 * request pushes itself on the request's return stack (req_push), and whoever
 * answers pops the top entry to learn where the response goes (req_pop). When
 * the stack is empty the response has reached the client that issued it.
 *
 * Requests come from a req_pool: slabs carved into records and recycled
 * through a free list, so a warm run allocates nothing per request. The pool
 * owns every request; a request lost in the system (dropped by a crashed
 * component) stays allocated until req_pool_free, which releases whole slabs.
 */
#ifndef MODELS_REQUEST_H
#define MODELS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/event.h"
#include "sim/time.h"

struct component;

typedef enum req_op {
    REQ_GET = 0,
    REQ_PUT,
    REQ_DELETE,
    REQ_HEAD,
    REQ_NOPS
} req_op;

/* Names for reports: "GET", "PUT", ... */
extern const char *const req_op_names[REQ_NOPS];

typedef enum req_status {
    REQ_PENDING = 0,  /* still travelling */
    REQ_OK,           /* answered successfully */
    REQ_FAILED,       /* answered with an error (e.g. a crashed backend) */
    REQ_TIMED_OUT,    /* the client, or a hop with a timeout, gave up waiting */
    REQ_REJECTED,     /* refused by a full queue (admission control) */
} req_status;

extern const char *const req_status_names[];

enum {
    REQ_F_HIT = 1u << 0,     /* served from a cache on its path */
    REQ_F_MISS = 1u << 1,    /* missed at least one cache on its path */
    REQ_F_MEASURED = 1u << 2,/* issued after warm-up: counts in the summary */
    REQ_F_ABANDONED = 1u << 3,/* its client gave up on this attempt (timeout): when it
                                 comes back it is only freed (issue 5) */
    REQ_F_HEDGE = 1u << 4,    /* a hedged copy sent by its client (issue 5) */
    REQ_F_HOP_CHILD = 1u << 5,/* the stand-in of comp_forward_timed: its partner waits at the
                                 bottom entry of its path (issue 5) */
};

/* One entry of the return path: who forwarded the request, when the request
 * had arrived there, and a small state the forwarder wants back (e.g. which
 * backend it chose, or which phase of its work it is in). */
typedef struct req_hop {
    struct component *c;
    sim_time_t arrived;
    uint32_t state;
} req_hop;

#define REQ_PATH_MAX 16

typedef struct request {
    uint64_t id;             /* issue order, unique per run */
    uint32_t gen;            /* bumped on free: stale pointers can be detected */
    uint8_t op;              /* req_op */
    uint8_t status;          /* req_status */
    uint8_t depth;           /* entries used in path[] */
    uint8_t retries;         /* retries so far (issue 5) */
    uint32_t flags;          /* REQ_F_* */
    int32_t region;          /* region index of the issuing client */
    uint64_t object;         /* object id */
    uint64_t size;           /* payload size in bytes (object size for GET) */
    sim_time_t issued;       /* when the client issued it */
    sim_time_t arrived;      /* when it arrived at the component holding it */
    struct component *client;/* who issued it, gets the final response */
    struct component *at;    /* component holding it now (for faults, traces) */
    /* Station bookkeeping: a request is in at most one station at a time. */
    struct request *qnext, *qprev;
    sim_time_t st_arrived;   /* arrival at the station */
    sim_event_ref st_ev;     /* pending service completion */
    void *st;                /* the station holding it, or NULL */
    sim_event_ref timeout_ev;/* client timeout (issue 5), or null */
    uint64_t user;           /* free for the issuing client (e.g. closed-loop user) */
    struct request *partner; /* the other copy of a hedged request while both are out; for a
                                balancer's try or a comp_forward_timed stand-in, the request
                                it is on behalf of; or NULL */
    /* Hop-by-hop tracing (--trace-sample): 0, or 1 + the index of its trace
     * record in the world. The last station visit is kept for the trace. */
    uint32_t trace;
    void *st_owner;          /* owner of the station that last served it */
    sim_time_t st_wait, st_service;
    req_hop path[REQ_PATH_MAX];
} request;

typedef struct req_pool {
    request *free_list;      /* linked through qnext */
    request **slabs;
    size_t nslabs, cap_slabs;
    size_t slab_reqs;
    size_t live;             /* handed out and not yet returned */
    uint64_t next_id;
} req_pool;

/* Initialises an empty pool; nothing is allocated until the first get. */
void req_pool_init(req_pool *p);

/* Releases every slab, including requests still handed out. */
void req_pool_free(req_pool *p);

/* Returns a zeroed request with a fresh id, or NULL on out of memory.
 * Allocates only when the free list is empty (a new slab). */
request *req_new(req_pool *p);

/* Returns r to the pool; r must not be used afterwards (its gen changes). */
void req_free(req_pool *p, request *r);

/* A new request (req_new) for the same work as r, for a retry, a hedge or a
 * mirror: op, object, size, issue time, client, region and user copied
 * from r, and REQ_F_MEASURED if r has it; everything else zero as from
 * req_new. NULL on out of memory. r is not changed. */
request *req_new_copy(req_pool *p, const request *r);

/* Pushes the forwarder c (with the time r arrived at c and a state) on the
 * return path. Returns 0, or SIM_ERANGE when the path is full (the graph is
 * deeper than REQ_PATH_MAX: the caller fails the request). */
int req_push(request *r, struct component *c, uint32_t state);

/* Pops the top of the return path into *hop; false when empty (the request
 * is back at its client). */
bool req_pop(request *r, req_hop *hop);

/* Bytes a request message carries (the payload of a PUT), and bytes its
 * successful response carries (the object of a GET). Headers are ignored. */
static inline uint64_t req_request_bytes(const request *r) { return r->op == REQ_PUT ? r->size : 0; }
static inline uint64_t req_response_bytes(const request *r)
{
    return (r->op == REQ_GET && r->status != REQ_FAILED && r->status != REQ_REJECTED &&
            r->status != REQ_TIMED_OUT) ? r->size : 0;
}

/* The top entry without popping it, or NULL. */
static inline req_hop *req_top(request *r) { return r->depth ? &r->path[r->depth - 1] : NULL; }

#endif
