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
 * Entries carry their keys everywhere (heap, buckets, top), so moving events
 * between structures reads arrays, never the scattered event records; the
 * records of a bucket are prefetched together when the bucket is dumped into
 * the heap, and the next event's target and arg when an event is popped.
 *
 * Heap mode (and only heap mode) hands the top event out without removing
 * its entry: the next push fills that slot (replace-top), see pop_until.
 *
 * Why the heap capacity tracks the set size: a bucket (or all of top) can be
 * dumped into the heap at any pop, and pop must not fail. Reserving 24 bytes
 * per event at push time keeps pop allocation-free and infallible. Everything
 * else that pop might want to allocate (rung arrays, blocks for a finer rung)
 * has a fallback: the events go to the heap instead, slower but correct.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/evset.h"

/* Tuning (overridable with -D for experiments; docs/engine.md has the
 * measurements). A bucket with more events than this spawns a finer rung
 * instead of going to the heap whole (the ladder paper uses 50). */
#ifndef SPLIT_DEFAULT
#define SPLIT_DEFAULT 64
#endif
/* Rung 0 gets about ntop / DENSITY buckets. */
#ifndef DENSITY_DEFAULT
#define DENSITY_DEFAULT 2
#endif
/* Block capacities: 64 bytes (first block of a bucket) and 256 bytes. */
#define SMALL_CAP 2
#define BIG_CAP 10

/* (time, seq) as one unsigned 128-bit number (time's sign bit flipped so
 * that the order of signed times is kept): one compare-and-borrow, with no
 * branch to mispredict when many events share a time. */
static inline int entry_less(const sim_evset_entry *a, const sim_evset_entry *b)
{
    unsigned __int128 ka = (unsigned __int128)((uint64_t)a->time ^ 0x8000000000000000ULL) << 64 | a->seq;
    unsigned __int128 kb = (unsigned __int128)((uint64_t)b->time ^ 0x8000000000000000ULL) << 64 | b->seq;
    return ka < kb;
}

/* ---- 4-ary heap ---- */

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
static inline __attribute__((always_inline)) void heap_sift_down(sim_evset_entry *h, size_t n, size_t i, sim_evset_entry e)
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

/* ---- blocks ---- */

static size_t block_bytes(uint32_t cap)
{
    return sizeof(sim_evset_block) + cap * sizeof(sim_evset_entry);
}

/* Adds a slab of blocks of capacity cap. Returns 0 or SIM_ENOMEM. */
static int blockpool_grow(sim_evset_blockpool *p, uint32_t cap)
{
    if (p->nslabs == p->cap_slabs) {
        size_t c = p->cap_slabs ? p->cap_slabs * 2 : 16;
        void **s = realloc(p->slabs, c * sizeof *s);
        if (!s) return SIM_ENOMEM;
        p->slabs = s;
        p->cap_slabs = c;
    }
    size_t n = p->slab_blocks ? p->slab_blocks : 256, sz = block_bytes(cap);
    /* Blocks are 64 or 256 bytes, so in a 64-byte aligned slab every block is
     * aligned too, which frees the low bits of its address (sim_evset_bucket). */
    char *slab = aligned_alloc(64, n * sz);
    if (!slab) return SIM_ENOMEM;
    p->slabs[p->nslabs++] = slab;
    for (size_t i = n; i-- > 0;) {
        sim_evset_block *b = (sim_evset_block *)(slab + i * sz);
        b->cap = cap;
        b->next = p->free;
        p->free = b;
    }
    p->nfree += n;
    if (n < 65536) p->slab_blocks = n * 2;
    return 0;
}

static inline sim_evset_block *block_get(sim_evset_blockpool *p, uint32_t cap)
{
    if (!p->free && blockpool_grow(p, cap) != 0) return NULL;
    sim_evset_block *b = p->free;
    p->free = b->next;
    p->nfree--;
    return b;
}

static inline void block_put(sim_evset *set, sim_evset_block *b)
{
    sim_evset_blockpool *p = b->cap == SMALL_CAP ? &set->small : &set->big;
    b->next = p->free;
    p->free = b;
    p->nfree++;
}

static int blockpool_reserve(sim_evset_blockpool *p, uint32_t cap, size_t n)
{
    while (p->nfree < n)
        if (blockpool_grow(p, cap) != 0) return SIM_ENOMEM;
    return 0;
}

static void blockpool_free(sim_evset_blockpool *p)
{
    for (size_t i = 0; i < p->nslabs; i++) free(p->slabs[i]);
    free(p->slabs);
    memset(p, 0, sizeof *p);
}

_Static_assert(sizeof(sim_evset_block) + SMALL_CAP * sizeof(sim_evset_entry) == 64, "small block = one line");
_Static_assert(sizeof(sim_evset_block) + BIG_CAP * sizeof(sim_evset_entry) == 256, "big block = four lines");
_Static_assert(BIG_CAP <= 15, "the fill count of a block must fit in 4 bits of sim_evset_bucket");

#define BK_PTR(v) ((sim_evset_block *)((v) & ~(uintptr_t)63))
#define BK_N(v) ((uint32_t)((v) & 15))
#define BK_BIG ((uintptr_t)16)

/* Adds an entry to a bucket. Returns 0 or SIM_ENOMEM (bucket unchanged). */
static inline int bucket_add(sim_evset *set, sim_evset_bucket *bk, sim_evset_entry e)
{
    uintptr_t v = *bk;
    sim_evset_block *head = BK_PTR(v);
    uint32_t n = BK_N(v);
    uintptr_t big = v & BK_BIG;
    if (!head || n == (big ? BIG_CAP : SMALL_CAP)) {
        sim_evset_block *nb = head ? block_get(&set->big, BIG_CAP) : block_get(&set->small, SMALL_CAP);
        if (!nb) return SIM_ENOMEM;
        nb->next = head;
        big = head ? BK_BIG : 0;
        head = nb;
        n = 0;
    }
    head->e[n++] = e;
    *bk = (uintptr_t)head | big | n;
    return 0;
}

/* Appends a bucket's entries to the heap array (not heapified), returns the
 * blocks to their pools, empties the bucket and prefetches the event
 * records. */
static size_t bucket_to_heap(sim_evset *set, sim_evset_bucket *bk, sim_time_t *lo, sim_time_t *hi)
{
    sim_evset_entry *h = set->heap;
    size_t n = set->hsize, n0 = n;
    sim_evset_block *b = BK_PTR(*bk);
    uint32_t cnt = BK_N(*bk);
    while (b) {
        sim_evset_block *next = b->next;
        if (next) __builtin_prefetch(next);
        for (uint32_t i = 0; i < cnt; i++) {
            sim_evset_entry e = b->e[i];
            __builtin_prefetch(e.ev);
            if (e.time < *lo) *lo = e.time;
            if (e.time > *hi) *hi = e.time;
            h[n++] = e;
        }
        block_put(set, b);
        b = next;
        if (b) cnt = b->cap; /* older blocks are full */
    }
    *bk = 0;
    set->hsize = n;
    return n - n0;
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

/* Makes an array of elements of `size` bytes hold at least need (> 0) of
 * them, doubling from `first`. Returns the array (moved or not; *cap
 * updated), or NULL when memory is short (the old array is then intact). */
static void *grow(void *arr, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap) return arr;
    size_t c = *cap ? *cap : first;
    while (c < need) c *= 2;
    void *p = realloc(arr, c * size);
    if (p) *cap = c;
    return p;
}

/* Makes rung g hold nb empty buckets. Returns 0 or SIM_ENOMEM. */
static int rung_alloc(sim_evset_rung *g, size_t nb)
{
    sim_evset_bucket *b = grow(g->bucket, &g->cap, nb, sizeof *b, 64);
    if (!b) return SIM_ENOMEM;
    g->bucket = b;
    memset(g->bucket, 0, nb * sizeof *g->bucket);
    g->nb = nb;
    g->cur = 0;
    return 0;
}

/* Moves all of top into the heap (which must be empty) and heapifies. */
static void top_to_heap(sim_evset *set)
{
    memcpy(set->heap + set->hsize, set->top, set->ntop * sizeof *set->top);
    set->hsize += set->ntop;
    set->ntop = 0;
    set->top_min = set->top_max = SIM_TIME_MAX;
    heap_heapify(set->heap, set->hsize);
}

static int top_reserve(sim_evset *set, size_t n)
{
    sim_evset_entry *t = grow(set->top, &set->top_cap, n, sizeof *t, 256);
    if (!t) return SIM_ENOMEM;
    set->top = t;
    return 0;
}

/* Heap mode -> ladder mode: everything goes to top; the next pop builds
 * rung 0 from it (lazily, so that a burst of pushes is bucketed in one go).
 * Without memory for top, the set simply stays a heap. */
static void spill(sim_evset *set)
{
    if (top_reserve(set, set->hsize + set->ntop) != 0) return;
    sim_time_t lo = SIM_TIME_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < set->hsize; i++) {
        sim_time_t t = set->heap[i].time;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
    }
    memcpy(set->top, set->heap, set->hsize * sizeof *set->heap);
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
    size_t want = n / set->density;
    if (want < 1) want = 1;
    unsigned shift = 0;
    while ((range >> shift) >= want) shift++;
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
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        sim_evset_entry e = set->top[i];
        if (e.time < g->end) {
            size_t b = (size_t)(((uint64_t)e.time - (uint64_t)lo) >> shift);
            if (bucket_add(set, &g->bucket[b], e) != 0) {
                /* Out of memory for blocks: everything to the heap. */
                for (size_t j = 0; j < nb; j++)
                    if (g->bucket[j]) {
                        sim_time_t l2 = lo, h2 = hi;
                        bucket_to_heap(set, &g->bucket[j], &l2, &h2);
                    }
                memmove(set->top + keep, set->top + i, (n - i) * sizeof *set->top);
                set->ntop = keep + (n - i);
                top_to_heap(set);
                set->near_end = sat_add(hi, 1);
                return;
            }
        } else {
            set->top[keep++] = e;
        }
    }
    set->ntop = keep;
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
            if (set->hsize || !set->ladder) return;
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
        /* Warm the next buckets' newest blocks while this one is consumed. */
        for (size_t j = b + 1; j < b + 3 && j < g->nb; j++)
            if (g->bucket[j]) __builtin_prefetch(BK_PTR(g->bucket[j]));
        sim_time_t lo = SIM_TIME_MAX, hi = INT64_MIN;
        size_t n = bucket_to_heap(set, &g->bucket[b], &lo, &hi);
        if (n > set->split && g->shift > 0 && lo != hi && set->nrungs < SIM_EVSET_MAX_RUNGS) {
            unsigned k = ceil_log2(n);
            if (k > g->shift) k = g->shift;
            unsigned ns = g->shift - k;
            size_t nb = (size_t)(((uint64_t)bend - (uint64_t)bstart - 1) >> ns) + 1;
            sim_evset_rung *sub = &set->rungs[set->nrungs];
            /* worst case: one small block per event, one big per 10 + 1 */
            if (blockpool_reserve(&set->small, SMALL_CAP, n) == 0 &&
                blockpool_reserve(&set->big, BIG_CAP, n / BIG_CAP + n / 3 + 1) == 0 &&
                rung_alloc(sub, nb) == 0) {
                sub->start = bstart;
                sub->end = bend;
                sub->shift = ns;
                for (size_t i = 0; i < n; i++) {
                    sim_evset_entry e = set->heap[i];
                    size_t sb = (size_t)(((uint64_t)e.time - (uint64_t)bstart) >> ns);
                    (void)bucket_add(set, &sub->bucket[sb], e); /* reserved: cannot fail */
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
    set->density = DENSITY_DEFAULT;
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
    free(set->top);
    for (unsigned r = 0; r < SIM_EVSET_MAX_RUNGS; r++) free(set->rungs[r].bucket);
    blockpool_free(&set->small);
    blockpool_free(&set->big);
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
        sim_evset_entry *h = grow(set->heap, &set->hcap, set->size + 1, sizeof *h, 256);
        if (!h) return SIM_ENOMEM;
        set->heap = h;
    }
    sim_evset_entry e = { ev->time, ev->seq, ev };
    sim_time_t t = e.time;
    if (!set->ladder || t < set->near_end) {
        if (set->hole) {
            /* replace-top: the event just handed out leaves its slot to its
             * successor, one sift-down instead of a removal and an insert */
            set->hole = 0;
            heap_sift_down(set->heap, set->hsize, 0, e);
            set->size++;
            return 0;
        }
        heap_sift_up(set->heap, set->hsize++, e);
        set->size++;
        if (!set->ladder && set->kind == SIM_EVSET_ADAPTIVE && set->hsize > set->threshold) spill(set);
        return 0;
    }
    for (unsigned r = set->nrungs; r-- > 0;) {
        sim_evset_rung *g = &set->rungs[r];
        if (t < g->end) {
            size_t b = (size_t)(((uint64_t)t - (uint64_t)g->start) >> g->shift);
            if (bucket_add(set, &g->bucket[b], e) != 0) return SIM_ENOMEM;
            set->size++;
            return 0;
        }
    }
    if (set->ntop == set->top_cap && top_reserve(set, set->ntop + 1) != 0) return SIM_ENOMEM;
    set->top[set->ntop] = e;
    if (set->ntop++ == 0) {
        set->top_min = set->top_max = t;
    } else {
        if (t < set->top_min) set->top_min = t;
        if (t > set->top_max) set->top_max = t;
    }
    set->size++;
    return 0;
}

/* Removes the slot handed out by pop_until if no push has reused it. */
static inline void settle(sim_evset *set)
{
    if (set->hole) {
        set->hole = 0;
        size_t n = --set->hsize;
        if (n > 0) heap_sift_down(set->heap, n, 0, set->heap[n]);
    }
}

sim_event *sim_evset_peek(sim_evset *set)
{
    settle(set);
    if (set->hsize == 0) {
        if (set->size == 0) return NULL;
        refill(set);
    }
    return set->heap[0].ev;
}

static inline sim_event *pop_top(sim_evset *set)
{
    sim_evset_entry *h = set->heap;
    sim_event *top = h[0].ev;
    size_t n = --set->hsize;
    if (n > 0) {
        heap_sift_down(h, n, 0, h[n]);
        /* The next event's handler will most likely touch its target and
         * arg (component and request); its record was prefetched when its
         * bucket was dumped. Small sets (heap mode) are in cache anyway. */
        if (set->ladder) {
            __builtin_prefetch(h[0].ev->target);
            __builtin_prefetch(h[0].ev->arg);
        }
    }
    if (--set->size == 0 && set->ladder && set->kind == SIM_EVSET_ADAPTIVE) {
        /* Empty: start again as a heap (rungs, top and blocks are empty). */
        set->ladder = 0;
        set->nrungs = 0;
        set->near_end = INT64_MIN;
    }
    return top;
}

sim_event *sim_evset_pop(sim_evset *set)
{
    settle(set);
    if (set->hsize == 0) {
        if (set->size == 0) return NULL;
        refill(set);
    }
    return pop_top(set);
}

/* In heap mode the top entry is not removed at once: the event's handler
 * usually schedules a successor, and the push fills the slot (replace-top).
 * A ladder-mode successor rarely lands in the small bottom heap, so there
 * the entry goes at once and the next event's target is prefetched. */
sim_event *sim_evset_pop_until(sim_evset *set, sim_time_t until)
{
    settle(set);
    if (set->hsize == 0) {
        if (set->size == 0) return NULL;
        refill(set);
    }
    if (set->heap[0].time > until) return NULL;
    if (!set->ladder) {
        set->hole = 1;
        set->size--;
        return set->heap[0].ev;
    }
    return pop_top(set);
}
