/* sim/evset.h - the pending-event set.
 *
 * A priority queue of events ordered by (time, seq): earliest first, and among
 * events at the same time, the one scheduled first. The engine owns one; models
 * never touch it directly.
 *
 * Implementation: a 4-ary implicit heap whose entries carry their keys, so
 * comparisons never dereference an event (see docs/performance.md for the
 * measurements behind the choice).
 */
#ifndef SIM_EVSET_H
#define SIM_EVSET_H

#include <stddef.h>

#include "sim/event.h"

typedef struct sim_evset_entry {
    sim_time_t time;
    uint64_t seq;
    sim_event *ev;
} sim_evset_entry;

typedef struct sim_evset {
    sim_evset_entry *heap;
    size_t size, cap;
} sim_evset;

/* Initialises an empty set. Allocates nothing. */
void sim_evset_init(sim_evset *set);

/* Frees the set's own memory; the events in it belong to the pool. */
void sim_evset_free(sim_evset *set);

/* Adds ev (its time and seq must be set). Returns 0, or SIM_ENOMEM when the
 * set had to grow and could not; ev is then not in the set. */
int sim_evset_push(sim_evset *set, sim_event *ev);

/* Removes and returns the earliest event, or NULL when the set is empty. */
sim_event *sim_evset_pop(sim_evset *set);

/* Number of events in the set (cancelled ones included until popped). */
static inline size_t sim_evset_size(const sim_evset *set) { return set->size; }

#endif
