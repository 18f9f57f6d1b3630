/* sim/event.h - the event record, its handler type and the event pool.
 *
 * An event is a call to be made at a simulated time: fn(engine, event), with
 * `target` (usually the component that handles it), `arg` (usually the request
 * it concerns) and a small integer payload `data`. Events are 64 bytes, one
 * cache line, and come from a pool: scheduling never calls malloc once the
 * pool has grown to the run's peak number of pending events.
 *
 * Ownership: the engine owns every event. A handler may read its event but
 * must not keep the pointer: the event goes back to the pool when the handler
 * returns. To refer to a pending event later (to cancel a timeout), keep the
 * sim_event_ref that scheduling returned; the generation number in it makes a
 * stale reference harmless.
 */
#ifndef SIM_EVENT_H
#define SIM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

struct sim_engine;
struct sim_event;

typedef void (*sim_handler_fn)(struct sim_engine *eng, struct sim_event *ev);

enum {
    SIM_EV_CANCELLED = 1u << 0, /* cancelled: skipped and freed when popped */
};

typedef struct sim_event {
    sim_time_t time;     /* when it fires */
    uint64_t seq;        /* tie-break: scheduling order, unique per engine */
    sim_handler_fn fn;   /* what to call */
    void *target;        /* usually the component */
    void *arg;           /* usually the request */
    uint64_t data;       /* small payload: an op code, an index, a size */
    uint32_t gen;        /* bumped each time the record is freed */
    uint32_t flags;      /* SIM_EV_* */
    union {              /* private to the pool (free-list link) */
        struct sim_event *next;
        int64_t idx;
    } link;
} sim_event;

_Static_assert(sizeof(sim_event) == 64, "an event is one cache line (the pool aligns slabs to 64 bytes)");

/* A reference to a scheduled event that survives the event being run and
 * recycled: it is valid only while ev->gen == gen. */
typedef struct sim_event_ref {
    sim_event *ev;
    uint32_t gen;
} sim_event_ref;

/* The pool: events are carved from slabs and recycled through a free list.
 * Slabs are only released by sim_evpool_free. */
typedef struct sim_evpool {
    sim_event *free_list;
    sim_event **slabs;
    size_t nslabs, cap_slabs;
    size_t slab_events;  /* events per slab */
    size_t live;         /* events handed out and not yet returned */
    size_t total;        /* events in all slabs */
} sim_evpool;

/* Initialises an empty pool; nothing is allocated until the first get. */
void sim_evpool_init(sim_evpool *pool);

/* Releases every slab. Events handed out become invalid. */
void sim_evpool_free(sim_evpool *pool);

/* Makes sure at least n events can be handed out without allocating.
 * Returns 0 or SIM_ENOMEM. */
int sim_evpool_reserve(sim_evpool *pool, size_t n);

/* Adds a slab (each twice the previous, up to 65,536 events) to the free
 * list. Returns 0 or SIM_ENOMEM. Called by sim_evpool_get when needed. */
int sim_evpool_grow(sim_evpool *pool);

/* Hands out an event with gen preserved and other fields unset, or NULL when
 * memory is exhausted. Allocates only when the free list is empty. */
static inline sim_event *sim_evpool_get(sim_evpool *pool)
{
    if (!pool->free_list && sim_evpool_grow(pool) != 0) return NULL;
    sim_event *ev = pool->free_list;
    pool->free_list = ev->link.next;
    pool->live++;
    return ev;
}

/* Returns an event to the pool and bumps its generation so that outstanding
 * references to it no longer match. */
static inline void sim_evpool_put(sim_evpool *pool, sim_event *ev)
{
    ev->gen++;
    ev->flags = 0;
    ev->link.next = pool->free_list;
    pool->free_list = ev;
    pool->live--;
}

#endif
