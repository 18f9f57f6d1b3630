/* sim/evset.c - 4-ary implicit heap of (time, seq, event) entries.
 *
 * Why 4-ary: half the depth of a binary heap, and the four children of a node
 * are 96 contiguous bytes, so a sift-down step touches one or two cache lines.
 */
#include <stdlib.h>

#include "sim/errors.h"
#include "sim/evset.h"

static inline int entry_less(const sim_evset_entry *a, const sim_evset_entry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void sim_evset_init(sim_evset *set)
{
    set->heap = NULL;
    set->size = set->cap = 0;
}

void sim_evset_free(sim_evset *set)
{
    free(set->heap);
    sim_evset_init(set);
}

int sim_evset_push(sim_evset *set, sim_event *ev)
{
    if (set->size == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        sim_evset_entry *h = realloc(set->heap, cap * sizeof *h);
        if (!h) return SIM_ENOMEM;
        set->heap = h;
        set->cap = cap;
    }
    sim_evset_entry e = { ev->time, ev->seq, ev };
    sim_evset_entry *h = set->heap;
    size_t i = set->size++;
    while (i > 0) {
        size_t parent = (i - 1) >> 2;
        if (!entry_less(&e, &h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
    return 0;
}

sim_event *sim_evset_pop(sim_evset *set)
{
    if (set->size == 0) return NULL;
    sim_evset_entry *h = set->heap;
    sim_event *top = h[0].ev;
    sim_evset_entry last = h[--set->size];
    size_t n = set->size, i = 0;
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n) break;
        size_t best = c;
        size_t end = c + 4 < n ? c + 4 : n;
        for (size_t k = c + 1; k < end; k++)
            if (entry_less(&h[k], &h[best])) best = k;
        if (!entry_less(&h[best], &last)) break;
        h[i] = h[best];
        i = best;
    }
    if (n > 0) h[i] = last;
    return top;
}
