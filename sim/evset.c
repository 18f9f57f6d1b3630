/* sim/evset.c - the pending-event set: a 4-ary heap, and a ladder queue that
 * uses the same heap as its bottom.
 *
 * Invariants (ladder mode):
 *   - every event in the heap has time < near_end; every event in a rung or
 *     in top has time >= near_end;
 *   - rung r+1 covers exactly the bucket rung r handed over last (index
 *     rungs[r].cur - 1), so an event at or past rungs[r+1].end belongs to a
 *     bucket of rung r at index >= rungs[r].cur;
 *   - every event in top has time >= rungs[0].end.
 * Push therefore goes to the heap, the deepest rung whose end is past its
 * time, or top; pop takes from the heap, refilling it from the next non-empty
 * bucket of the deepest rung when it runs dry.
 *
 * Why the heap capacity tracks the set size: a bucket (or all of top) can be
 * dumped into the heap at any pop, and pop must not fail. Reserving 24 bytes
 * per event at push time keeps pop allocation-free and infallible; the rung
 * arrays may fail to grow, in which case the bucket goes to the heap unsplit,
 * which is slower but still correct.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/evset.h"

/* A bucket with more events than this spawns a finer rung instead of going to
 * the heap whole (the ladder paper uses 50). */
#define SPLIT_DEFAULT 48

static inline int entry_less(const sim_evset_entry *a, const sim_evset_entry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* ---- 4-ary heap on set->heap[0 .. hsize) ---- */

static inline void heap_sift_up(sim_evset_entry *h, size_t i, sim_evset_entry e)
{
    while (i > 0) {
        size_t parent = (i - 1) >> 2;
        if (!entry_less(&e, &h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* Places e at hole i (moving it down) in a heap of n entries. */
static inline void heap_sift_down(sim_evset_entry *h, size_t n, size_t i, sim_evset_entry e)
{
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n) break;
        size_t best = c;
        if (c + 4 <= n) {
            /* full family: a fixed tournament, no loop bookkeeping */
            size_t b1 = entry_less(&h[c + 1], &h[c]) ? c + 1 : c;
            size_t b2 = entry_less(&h[c + 3], &h[c + 2]) ? c + 3 : c + 2;
            best = entry_less(&h[b2], &h[b1]) ? b2 : b1;
        } else {
            for (size_t k = c + 1; k < n; k++)
                if (entry_less(&h[k], &h[best])) best = k;
        }
        if (!entry_less(&h[best], &e)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

static void heap_heapify(sim_evset_entry *h, size_t n)
{
    if (n < 2) return;
    for (size_t i = (n - 2) / 4 + 1; i-- > 0;) heap_sift_down(h, n, i, h[i]);
}

/* ---- helpers ---- */

static inline sim_time_t sat_add(sim_time_t a, uint64_t b)
{
    uint64_t room = (uint64_t)SIM_TIME_MAX - (uint64_t)a;
    return b >= room ? SIM_TIME_MAX : (sim_time_t)((uint64_t)a + b);
}

static unsigned ceil_log2(size_t n)
{
    unsigned k = 0;
    while (((size_t)1 << k) < n) k++;
    return k;
}

/* Makes rung slot r hold nb empty buckets. Returns 0 or SIM_ENOMEM. */
static int rung_alloc(sim_evset_rung *g, size_t nb)
{
    if (nb > g->cap) {
        size_t cap = g->cap ? g->cap : 64;
        while (cap < nb) cap *= 2;
        sim_event **b = realloc(g->bucket, cap * sizeof *b);
        if (!b) return SIM_ENOMEM;
        g->bucket = b;
        g->cap = cap;
    }
    memset(g->bucket, 0, nb * sizeof *g->bucket);
    g->nb = nb;
    g->cur = 0;
    return 0;
}

/* Moves every event of the list `l` into the (empty) heap as entries and
 * returns their number; min and max receive the extreme times. */
static size_t list_to_heap(sim_evset *set, sim_event *l, sim_time_t *min, sim_time_t *max)
{
    sim_evset_entry *h = set->heap;
    size_t n = set->hsize;
    sim_time_t lo = SIM_TIME_MAX, hi = INT64_MIN;
    while (l) {
        sim_event *next = l->link.next;
        __builtin_prefetch(next);
        __builtin_prefetch(l->target); /* its handler will most likely touch it */
        h[n].time = l->time;
        h[n].seq = l->seq;
        h[n].ev = l;
        if (l->time < lo) lo = l->time;
        if (l->time > hi) hi = l->time;
        n++;
        l = next;
    }
    size_t added = n - set->hsize;
    set->hsize = n;
    *min = lo;
    *max = hi;
    return added;
}

/* Dumps all of top into the heap (which must be empty). */
static void top_to_heap(sim_evset *set)
{
    sim_time_t lo, hi;
    list_to_heap(set, set->top, &lo, &hi);
    set->top = NULL;
    set->ntop = 0;
    heap_heapify(set->heap, set->hsize);
}

/* Heap mode -> ladder mode: everything goes to top; the next pop builds
 * rung 0 from it (lazily, so that a burst of pushes is bucketed in one go). */
static void spill(sim_evset *set)
{
    sim_event *top = NULL;
    sim_time_t lo = SIM_TIME_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < set->hsize; i++) {
        sim_event *ev = set->heap[i].ev;
        ev->link.next = top;
        top = ev;
        if (ev->time < lo) lo = ev->time;
        if (ev->time > hi) hi = ev->time;
    }
    set->top = top;
    set->ntop = set->hsize;
    set->top_min = lo;
    set->top_max = hi;
    set->hsize = 0;
    set->nrungs = 0;
    set->ladder = 1;
    set->near_end = lo;
}

/* Ladder mode, heap empty, no rungs: turns top into rung 0 (or into the heap
 * when it is small, all at one time, or memory is short). */
static void rebuild_from_top(sim_evset *set)
{
    size_t n = set->ntop;
    if (set->kind == SIM_EVSET_ADAPTIVE && n <= set->threshold / 4) {
        top_to_heap(set);
        set->ladder = 0;
        return;
    }
    sim_time_t lo = set->top_min, hi = set->top_max;
    uint64_t range = (uint64_t)hi - (uint64_t)lo;
    unsigned shift = 0;
    while ((range >> shift) >= n) shift++;
    size_t nb = (size_t)(range >> shift) + 1;
    sim_evset_rung *g = &set->rungs[0];
    if (lo == hi || rung_alloc(g, nb) != 0) {
        top_to_heap(set);
        set->near_end = sat_add(hi, 1);
        return;
    }
    g->start = lo;
    g->shift = shift;
    g->end = nb > (UINT64_MAX >> shift) ? SIM_TIME_MAX : sat_add(lo, (uint64_t)nb << shift);
    /* Distribute; events at SIM_TIME_MAX past a saturated end stay in top. */
    sim_event *l = set->top, *keep = NULL;
    size_t nkeep = 0;
    while (l) {
        sim_event *next = l->link.next;
        __builtin_prefetch(next);
        if (l->time < g->end) {
            size_t b = (size_t)(((uint64_t)l->time - (uint64_t)lo) >> shift);
            l->link.next = g->bucket[b];
            g->bucket[b] = l;
        } else {
            l->link.next = keep;
            keep = l;
            nkeep++;
        }
        l = next;
    }
    set->top = keep;
    set->ntop = nkeep;
    set->top_min = set->top_max = SIM_TIME_MAX;
    set->nrungs = 1;
    set->near_end = lo;
    set->rebuilds++;
}

/* Ladder mode, heap empty, set not empty: fills the heap with the next
 * non-empty bucket, spawning finer rungs for crowded buckets. */
static void refill(sim_evset *set)
{
    for (;;) {
        if (set->nrungs == 0) {
            rebuild_from_top(set);
            if (set->hsize) return;
            if (!set->ladder) return; /* back in heap mode, heap empty: cannot happen with size > 0 */
            continue;
        }
        sim_evset_rung *g = &set->rungs[set->nrungs - 1];
        size_t b = g->cur;
        while (b < g->nb && !g->bucket[b]) b++;
        if (b == g->nb) {
            g->cur = b;
            set->near_end = g->end;
            set->nrungs--;
            continue;
        }
        g->cur = b + 1;
        sim_time_t bstart = (sim_time_t)((uint64_t)g->start + ((uint64_t)b << g->shift));
        sim_time_t bend = b + 1 == g->nb ? g->end : (sim_time_t)((uint64_t)bstart + ((uint64_t)1 << g->shift));
        sim_event *l = g->bucket[b];
        g->bucket[b] = NULL;
        /* Warm the next bucket's first event while this one is consumed. */
        if (g->cur < g->nb && g->bucket[g->cur]) __builtin_prefetch(g->bucket[g->cur]);
        sim_time_t lo, hi;
        size_t n = list_to_heap(set, l, &lo, &hi);
        if (n > set->split && g->shift > 0 && lo != hi && set->nrungs < SIM_EVSET_MAX_RUNGS) {
            unsigned k = ceil_log2(n);
            if (k > g->shift) k = g->shift;
            unsigned ns = g->shift - k;
            size_t nb = (size_t)(((uint64_t)bend - (uint64_t)bstart - 1) >> ns) + 1;
            sim_evset_rung *sub = &set->rungs[set->nrungs];
            if (rung_alloc(sub, nb) == 0) {
                sub->start = bstart;
                sub->end = bend;
                sub->shift = ns;
                for (size_t i = 0; i < n; i++) {
                    sim_event *ev = set->heap[i].ev;
                    size_t sb = (size_t)(((uint64_t)ev->time - (uint64_t)bstart) >> ns);
                    ev->link.next = sub->bucket[sb];
                    sub->bucket[sb] = ev;
                }
                set->hsize = 0;
                set->near_end = bstart;
                set->nrungs++;
                set->spawns++;
                continue;
            }
        }
        set->near_end = bend;
        heap_heapify(set->heap, set->hsize);
        return;
    }
}

/* ---- public ---- */

void sim_evset_init_kind(sim_evset *set, sim_evset_kind kind, size_t threshold)
{
    memset(set, 0, sizeof *set);
    set->kind = kind;
    set->threshold = threshold ? threshold : SIM_EVSET_DEFAULT_THRESHOLD;
    set->split = SPLIT_DEFAULT;
    set->ladder = kind == SIM_EVSET_LADDER;
    set->near_end = INT64_MIN;
    set->top_min = set->top_max = SIM_TIME_MAX;
}

void sim_evset_init(sim_evset *set)
{
    sim_evset_init_kind(set, SIM_EVSET_ADAPTIVE, 0);
}

void sim_evset_free(sim_evset *set)
{
    free(set->heap);
    for (unsigned r = 0; r < SIM_EVSET_MAX_RUNGS; r++) free(set->rungs[r].bucket);
    sim_evset_init_kind(set, set->kind, set->threshold);
}

const char *sim_evset_kind_name(sim_evset_kind kind)
{
    switch (kind) {
    case SIM_EVSET_ADAPTIVE: return "adaptive";
    case SIM_EVSET_HEAP: return "heap";
    case SIM_EVSET_LADDER: return "ladder";
    }
    return "unknown";
}

int sim_evset_push(sim_evset *set, sim_event *ev)
{
    if (set->size >= set->hcap) {
        size_t cap = set->hcap ? set->hcap * 2 : 256;
        sim_evset_entry *h = realloc(set->heap, cap * sizeof *h);
        if (!h) return SIM_ENOMEM;
        set->heap = h;
        set->hcap = cap;
    }
    set->size++;
    sim_time_t t = ev->time;
    if (!set->ladder || t < set->near_end) {
        sim_evset_entry e = { t, ev->seq, ev };
        heap_sift_up(set->heap, set->hsize++, e);
        if (!set->ladder && set->kind == SIM_EVSET_ADAPTIVE && set->hsize > set->threshold) spill(set);
        return 0;
    }
    for (unsigned r = set->nrungs; r-- > 0;) {
        sim_evset_rung *g = &set->rungs[r];
        if (t < g->end) {
            size_t b = (size_t)(((uint64_t)t - (uint64_t)g->start) >> g->shift);
            ev->link.next = g->bucket[b];
            g->bucket[b] = ev;
            return 0;
        }
    }
    ev->link.next = set->top;
    set->top = ev;
    if (set->ntop++ == 0) {
        set->top_min = set->top_max = t;
    } else {
        if (t < set->top_min) set->top_min = t;
        if (t > set->top_max) set->top_max = t;
    }
    return 0;
}

sim_event *sim_evset_peek(sim_evset *set)
{
    if (set->hsize == 0) {
        if (set->size == 0) return NULL;
        refill(set);
    }
    return set->heap[0].ev;
}

sim_event *sim_evset_pop(sim_evset *set)
{
    if (set->hsize == 0) {
        if (set->size == 0) return NULL;
        refill(set);
    }
    sim_evset_entry *h = set->heap;
    sim_event *top = h[0].ev;
    size_t n = --set->hsize;
    if (n > 0) heap_sift_down(h, n, 0, h[n]);
    set->size--;
    return top;
}
