/* models/cache/lfu.c - least frequently used, O(1) (Shah, Mitra and Matani,
 * "An O(1) algorithm for implementing the LFU cache eviction scheme", 2010).
 *
 * Frequency = requests since the object was inserted (in-cache LFU: the
 * count is forgotten at eviction). Entries live in frequency buckets; each
 * bucket lists its entries in the order they reached that frequency, and the
 * buckets form a ring in increasing frequency. A hit moves the entry to the
 * newest end of the bucket for frequency + 1 (created if missing, dropped
 * when emptied); the victim is the oldest entry of the lowest bucket.
 *
 * Tie-break: among objects with the lowest frequency, the least recently
 * used one goes first (its last request - or insertion - is oldest).
 *
 * Bucket nodes are pool entries: id = frequency, prev/next = the bucket's
 * member list (the node is its sentinel), aux/aux2 = ring links. A member's
 * aux is its bucket.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

typedef struct {
    uint32_t ring; /* sentinel of the bucket ring (frequency 0, never used) */
} lfu_state;

static int lfu_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(lfu_state)))) return SIM_ENOMEM;
    lfu_state *s = c->pstate;
    if ((s->ring = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    c->pool[s->ring].aux = c->pool[s->ring].aux2 = s->ring;
    c->pool[s->ring].id = 0;
    return 0;
}

/* A new, empty bucket for `freq` placed after bucket `after` in the ring. */
static uint32_t bucket_new(cache *c, uint32_t after, uint64_t freq)
{
    uint32_t b = cache_node_alloc(c);
    if (b == CACHE_NIL) return CACHE_NIL;
    cache_entry *pb = &c->pool[b], *pa = &c->pool[after];
    pb->id = freq;
    pb->aux = after;
    pb->aux2 = pa->aux2;
    c->pool[pa->aux2].aux = b;
    pa->aux2 = b;
    return b;
}

static void bucket_drop_if_empty(cache *c, uint32_t b)
{
    if (!cache_list_empty(c, b)) return;
    cache_entry *pb = &c->pool[b];
    c->pool[pb->aux].aux2 = pb->aux2;
    c->pool[pb->aux2].aux = pb->aux;
    cache_entry_release(c, b);
}

static void lfu_hit(cache *c, uint32_t e)
{
    lfu_state *s = c->pstate;
    uint32_t b = c->pool[e].aux;
    uint64_t f = c->pool[b].id + 1;
    uint32_t nb = c->pool[b].aux2;
    if (nb == s->ring || c->pool[nb].id != f) nb = bucket_new(c, b, f);
    if (nb == CACHE_NIL) { /* out of memory: keep the frequency, refresh recency */
        cache_list_move_back(c, b, e);
        return;
    }
    cache_list_remove(c, e);
    cache_list_push_back(c, nb, e);
    c->pool[e].aux = nb;
    bucket_drop_if_empty(c, b);
}

static void lfu_insert(cache *c, uint32_t e, bool was_ghost)
{
    (void)was_ghost;
    lfu_state *s = c->pstate;
    uint32_t b = c->pool[s->ring].aux2;
    /* Cannot fail: the core reserved nodes_per_insert entries. */
    if (b == s->ring || c->pool[b].id != 1) b = bucket_new(c, s->ring, 1);
    cache_list_push_back(c, b, e);
    c->pool[e].aux = b;
}

static void lfu_unlink(cache *c, uint32_t e)
{
    uint32_t b = c->pool[e].aux;
    cache_list_remove(c, e);
    bucket_drop_if_empty(c, b);
}

static uint32_t lfu_victim(cache *c)
{
    lfu_state *s = c->pstate;
    uint32_t b = c->pool[s->ring].aux2;
    if (b == s->ring) return CACHE_NIL;
    uint32_t v = c->pool[b].next;
    lfu_unlink(c, v);
    return v;
}

const cache_ops cache_ops_lfu = {
    .name = "lfu",
    .summary = "least frequently used (count since insertion); ties: least recently used first",
    .touch_on_hit = true,
    .nodes_per_insert = 1,
    .init = lfu_init,
    .hit = lfu_hit,
    .insert = lfu_insert,
    .victim = lfu_victim,
    .unlink = lfu_unlink,
};
