/* tests/test_heap.c - sim/heap.h, the binary min-heap over a caller's array:
 * against a sorted reference, with ties broken by a sequence number. */
#include <stdlib.h>

#include "sim/heap.h"
#include "sim/rng.h"
#include "tests/harness.h"

typedef struct item {
    int key;      /* few distinct values: many ties */
    unsigned seq; /* order of insertion */
} item;

static int item_before(const item *a, const item *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

SIM_HEAP_DEFINE(ih, item, item_before)

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    return item_before(x, y) ? -1 : item_before(y, x) ? 1 : 0;
}

/* Pushes 2000 items with keys in [0, 50), popping one after every third
 * push; each pop must return the least of what is in (kept sorted in a
 * reference array), ties in insertion order; then it drains in order. The
 * heap's array starts empty and grows by ih_reserve. */
static void test_against_sorted(void)
{
    enum { N = 2000 };
    item *v = NULL, *ref = malloc(N * sizeof *ref);
    size_t n = 0, cap = 0, nref = 0;
    gsl_rng *r = sim_rng_stream(3, "test.heap");
    unsigned bad = 0;
    for (unsigned i = 0; i < N; i++) {
        item x = { (int)gsl_rng_uniform_int(r, 50), i };
        CHECK_TRUE(ih_reserve(&v, &cap, n));
        if (!v || cap <= n) break;
        ih_push(v, &n, x);
        ref[nref++] = x;
        if (i % 3 == 2) {
            qsort(ref, nref, sizeof *ref, cmp_item);
            item got = ih_pop(v, &n);
            if (got.key != ref[0].key || got.seq != ref[0].seq) bad++;
            for (size_t k = 1; k < nref; k++) ref[k - 1] = ref[k];
            nref--;
        }
    }
    CHECK_EQ_U64(n, nref);
    qsort(ref, nref, sizeof *ref, cmp_item);
    for (size_t k = 0; k < nref; k++) {
        item got = ih_pop(v, &n);
        if (got.key != ref[k].key || got.seq != ref[k].seq) bad++;
    }
    CHECK_EQ_U64(bad, 0);
    CHECK_EQ_U64(n, 0);
    CHECK_TRUE(cap >= 16 && (cap & (cap - 1)) == 0); /* 16, doubled */
    gsl_rng_free(r);
    free(v);
    free(ref);
}

/* After the keys of some elements change in place (what the disk does when
 * a write's share of the bandwidth changes), heapify restores the order:
 * 500 items, every third key rewritten, then drained against the sorted
 * reference. */
static void test_heapify(void)
{
    enum { N = 500 };
    item v[N], ref[N];
    size_t n = 0;
    gsl_rng *r = sim_rng_stream(4, "test.heapify");
    for (unsigned i = 0; i < N; i++) ih_push(v, &n, (item){ (int)gsl_rng_uniform_int(r, 50), i });
    for (size_t k = 0; k < n; k += 3) v[k].key = (int)gsl_rng_uniform_int(r, 50);
    for (size_t k = 0; k < n; k++) ref[k] = v[k];
    ih_heapify(v, n);
    qsort(ref, N, sizeof *ref, cmp_item);
    unsigned bad = 0;
    for (size_t k = 0; k < N; k++) {
        item got = ih_pop(v, &n);
        if (got.key != ref[k].key || got.seq != ref[k].seq) bad++;
    }
    CHECK_EQ_U64(bad, 0);
    ih_heapify(v, 0); /* nothing to do */
    gsl_rng_free(r);
}

/* One element in, one out; and a pop that empties the heap leaves n 0. */
static void test_single(void)
{
    item v[1];
    size_t n = 0;
    ih_push(v, &n, (item){ 7, 1 });
    CHECK_EQ_U64(n, 1);
    item got = ih_pop(v, &n);
    CHECK_EQ_I64(got.key, 7);
    CHECK_EQ_U64(n, 0);
}

void test_heap_register(void)
{
    static const tests_case cases[] = {
        { "against_sorted", test_against_sorted },
        { "single", test_single },
        { "heapify", test_heapify },
        { NULL, NULL },
    };
    tests_add_suite("heap", cases);
}
