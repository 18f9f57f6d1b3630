/* sim/evset.h - the pending-event set.
 *
 * A priority queue of events ordered by (time, seq): earliest first, and among
 * events at the same time, the one scheduled first. The engine owns one; models
 * never touch it directly.
 *
 * Implementation: two structures behind one interface, chosen by size.
 *
 *  - While the set is small it is a 4-ary implicit heap whose entries carry
 *    their keys, so comparisons never dereference an event.
 *  - Once it holds more than `threshold` events it turns into a ladder queue
 *    (Tang, Goh and Thng, ACM TOMACS 2005): an unsorted "top" array for the
 *    far future, "rungs" of buckets of power-of-two width holding (time, seq,
 *    event) entries in chains of blocks, and the same 4-ary heap as the sorted
 *    "bottom" holding the one bucket being consumed. A bucket with too many
 *    events spawns a finer rung. Push and pop are O(1) amortised whatever the
 *    number of pending events; memory grows in slabs, never per event. When
 *    a rebuild finds at most threshold/4 events, or the set empties, it goes
 *    back to being a plain heap.
 *
 * In heap mode sim_evset_pop_until() leaves the slot of the event it returns
 * for the next push to fill (replace-top): an event's successor then costs
 * one sift-down instead of a removal and an insertion.
 *
 * Every bucket is dumped into the heap before any of its events is popped, and
 * the heap orders by (time, seq), so ties keep scheduling order exactly.
 * docs/engine.md has the measurements behind the threshold.
 */
#ifndef SIM_EVSET_H
#define SIM_EVSET_H

#include <stddef.h>
#include <stdint.h>

#include "sim/event.h"

typedef struct sim_evset_entry {
    sim_time_t time;
    uint64_t seq;
    sim_event *ev;
} sim_evset_entry;

typedef enum sim_evset_kind {
    SIM_EVSET_ADAPTIVE = 0, /* heap while small, ladder past the threshold */
    SIM_EVSET_HEAP,         /* always the 4-ary heap */
    SIM_EVSET_LADDER,       /* always the ladder queue (heap only as its bottom) */
} sim_evset_kind;

#define SIM_EVSET_MAX_RUNGS 24

/* A block of entries of one bucket. A bucket is a chain of blocks, newest
 * first: a small one (one cache line) for its first two events, then big ones,
 * so that a bucket is read a few cache lines at a time rather than one event
 * record at a time. Blocks come from two free lists owned by the set. */
typedef struct sim_evset_block {
    struct sim_evset_block *next;
    uint32_t cap;  /* SMALL or BIG; every block but the newest is full */
    uint32_t pad;
    sim_evset_entry e[];
} sim_evset_block;

/* A bucket, in one word: the address of its newest block (blocks are 64-byte
 * aligned) with, in the low bits, how many entries that block holds (bits
 * 0-3) and whether it is a big one (bit 4); 0 when the bucket is empty.
 * Keeping the fill count here means a push only *stores* into the block, so a
 * cold block costs no stall, and the bucket array is 8 bytes a bucket. */
typedef uintptr_t sim_evset_bucket;

/* One rung: nb buckets of width 2^shift ns starting at `start`; entries in a
 * bucket are in no particular order. */
typedef struct sim_evset_rung {
    sim_evset_bucket *bucket;
    size_t nb, cap;   /* buckets in use, allocated */
    size_t cur;       /* first bucket not yet handed to the bottom heap */
    sim_time_t start; /* time of bucket 0 */
    sim_time_t end;   /* start + nb << shift, saturated at SIM_TIME_MAX */
    unsigned shift;
} sim_evset_rung;

/* Free list and slabs of blocks of one capacity. */
typedef struct sim_evset_blockpool {
    sim_evset_block *free;
    size_t nfree;
    void **slabs;
    size_t nslabs, cap_slabs;
    size_t slab_blocks; /* blocks in the next slab */
} sim_evset_blockpool;

typedef struct sim_evset {
    /* bottom: 4-ary heap of every event with time < near_end */
    sim_evset_entry *heap;
    size_t hsize, hcap;
    sim_time_t near_end;
    int ladder;               /* 0: heap mode (everything in the heap) */
    int hole;                 /* heap mode: heap[0] was handed out by
                               * sim_evset_pop_until and is still to be
                               * replaced (by the next push: replace-top) */
    sim_evset_kind kind;
    size_t threshold;         /* ADAPTIVE: heap -> ladder above this size */
    size_t split;             /* a bucket with more events spawns a rung */
    unsigned density;         /* rung 0 gets about ntop / density buckets */
    /* rungs[0] is the coarsest; rungs[nrungs-1] the one being consumed */
    sim_evset_rung rungs[SIM_EVSET_MAX_RUNGS];
    unsigned nrungs;
    /* top: unsorted array of the events >= the end of rung 0 */
    sim_evset_entry *top;
    size_t ntop, top_cap;
    sim_time_t top_min, top_max;
    sim_evset_blockpool small, big;
    size_t size;              /* all events in the set */
    uint64_t rebuilds;        /* statistics: top -> rung 0 transfers */
    uint64_t spawns;          /* statistics: rungs spawned from a bucket */
} sim_evset;

/* Default ADAPTIVE threshold (events), from the PHOLD measurements in
 * docs/engine.md. */
#define SIM_EVSET_DEFAULT_THRESHOLD 256

/* Initialises an empty ADAPTIVE set with the default threshold. Allocates
 * nothing. */
void sim_evset_init(sim_evset *set);

/* Initialises an empty set of the given kind. `threshold` is the size above
 * which an ADAPTIVE set becomes a ladder (0 = the default); other kinds
 * ignore it. Allocates nothing. */
void sim_evset_init_kind(sim_evset *set, sim_evset_kind kind, size_t threshold);

/* Frees the set's own memory; the events in it belong to the pool. */
void sim_evset_free(sim_evset *set);

/* Adds ev (its time and seq must be set; (time, seq) pairs must be unique,
 * which the engine's sequence counter guarantees). Returns 0, or SIM_ENOMEM when the set had to grow and could not; ev is then
 * not in the set and the set is unchanged. */
int sim_evset_push(sim_evset *set, sim_event *ev);

/* Removes and returns the earliest event, or NULL when the set is empty.
 * Never allocates, never fails: the memory it may need was reserved by push. */
sim_event *sim_evset_pop(sim_evset *set);

/* Removes and returns the earliest event if its time is <= until; returns
 * NULL, leaving the set unchanged, when the set is empty or its earliest event
 * is later. Never allocates, never fails. */
sim_event *sim_evset_pop_until(sim_evset *set, sim_time_t until);

/* The earliest event without removing it, or NULL when the set is empty.
 * (May reorganise the set internally, hence not const.) */
sim_event *sim_evset_peek(sim_evset *set);

/* Number of events in the set (cancelled ones included until popped). */
static inline size_t sim_evset_size(const sim_evset *set) { return set->size; }

/* The structure currently in use: SIM_EVSET_HEAP or SIM_EVSET_LADDER. */
static inline sim_evset_kind sim_evset_mode(const sim_evset *set)
{
    return set->ladder ? SIM_EVSET_LADDER : SIM_EVSET_HEAP;
}

/* "adaptive", "heap" or "ladder". */
const char *sim_evset_kind_name(sim_evset_kind kind);

#endif
