/* tests/test_cache_core.c - what every policy shares: byte capacity, objects
 * larger than the cache, TTL, admission, remove/insert/lookup/clear, and the
 * hash index under heavy churn (checked against a naive reference). */
#include <stdlib.h>

#include "models/cache/cache.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

static cache *mkp(const cache_params *p)
{
    cache *c = NULL;
    CHECK_EQ_I64(cache_create(p, &c), 0);
    return c;
}

static void test_bytes_and_too_large(void)
{
    cache_params p = { .policy = "lru", .capacity = 100 };
    cache *c = mkp(&p);
    CHECK_TRUE(!cache_get(c, 1, 60, 0));
    CHECK_EQ_U64(cache_used(c), 60);
    /* 2 (50 bytes) does not fit beside 1: 1 is evicted. */
    CHECK_TRUE(!cache_get(c, 2, 50, 1));
    CHECK_TRUE(!cache_find(c, 1, 1));
    CHECK_EQ_U64(cache_used(c), 50);
    /* Larger than the whole cache: a miss, never inserted, nothing evicted. */
    CHECK_TRUE(!cache_get(c, 3, 101, 2));
    CHECK_TRUE(!cache_get(c, 3, 101, 3));
    CHECK_TRUE(cache_find(c, 2, 3));
    CHECK_EQ_U64(cache_get_stats(c)->too_large, 2);
    /* Exactly the capacity fits (evicting everything else). */
    CHECK_TRUE(!cache_get(c, 4, 100, 4));
    CHECK_EQ_U64(cache_used(c), 100);
    CHECK_EQ_U64(cache_objects(c), 1);
    /* A hit naming another size keeps the cached size (as libCacheSim). */
    CHECK_TRUE(cache_get(c, 4, 7, 5));
    CHECK_EQ_U64(cache_used(c), 100);
    const cache_stats *st = cache_get_stats(c);
    CHECK_EQ_U64(st->requests, 6);
    CHECK_EQ_U64(st->hits, 1);
    CHECK_EQ_U64(st->bytes_requested, 60 + 50 + 101 + 101 + 100 + 7);
    CHECK_EQ_U64(st->bytes_hit, 7);
    CHECK_EQ_U64(st->bytes_missed, 60 + 50 + 101 + 101 + 100);
    CHECK_EQ_U64(st->evictions, 2);
    cache_free(c);

    /* Capacity 0 caches nothing; count_objects charges 1 per object but
     * byte statistics still use the real sizes. */
    p.capacity = 0;
    c = mkp(&p);
    CHECK_TRUE(!cache_get(c, 1, 1, 0));
    CHECK_TRUE(!cache_get(c, 1, 1, 0));
    cache_free(c);
    p.capacity = 2;
    p.count_objects = true;
    c = mkp(&p);
    cache_get(c, 1, 1000, 0);
    cache_get(c, 2, 5000, 0);
    CHECK_TRUE(cache_get(c, 1, 1000, 0));
    CHECK_EQ_U64(cache_used(c), 2);
    CHECK_EQ_U64(cache_get_stats(c)->bytes_hit, 1000);
    cache_free(c);
}

static void test_ttl(void)
{
    /* TTL 10 ns: fresh while now < inserted + 10 (HTTP: stale once the age
     * reaches max-age). */
    for (const char *const *pol = cache_policy_names; *pol; pol++) {
        cache_params p = { .policy = *pol, .capacity = 100, .count_objects = true, .ttl = 10 };
        cache *c = mkp(&p);
        CHECK_TRUE(!cache_get(c, 1, 1, 0));
        CHECK_TRUE(cache_get(c, 1, 1, 9));   /* a hit does not extend the TTL */
        CHECK_TRUE(cache_find(c, 1, 9));
        CHECK_TRUE(!cache_find(c, 1, 10));
        CHECK_TRUE(!cache_get(c, 1, 1, 10)); /* expired: a miss, re-inserted until 20 */
        CHECK_EQ_U64(cache_get_stats(c)->expirations, 1);
        CHECK_EQ_U64(cache_objects(c), 1);
        CHECK_TRUE(cache_get(c, 1, 1, 19));
        CHECK_TRUE(!cache_get(c, 1, 1, 25));
        /* Per-object TTL: 0 = never expires, 5 = 5 ns. */
        CHECK_TRUE(!cache_get_ttl(c, 2, 1, 100, 0));
        CHECK_TRUE(cache_get(c, 2, 1, 1000000));
        CHECK_TRUE(!cache_get_ttl(c, 3, 1, 100, 5));
        CHECK_TRUE(cache_find(c, 3, 104));
        CHECK_TRUE(!cache_find(c, 3, 105));
        /* cache_lookup removes an expired entry but does not insert. */
        CHECK_TRUE(!cache_lookup(c, 3, 1, 105));
        CHECK_TRUE(!cache_find(c, 3, 0));
        CHECK_EQ_U64(cache_objects(c), 2);
        /* cache_insert of a cached object restarts its TTL. */
        CHECK_TRUE(cache_insert(c, 1, 1, 100)); /* 1 expired at 35: re-inserted until 110 */
        CHECK_TRUE(cache_insert(c, 1, 1, 105)); /* refreshed: until 115 */
        CHECK_TRUE(cache_find(c, 1, 112));
        CHECK_TRUE(!cache_find(c, 1, 115));
        cache_free(c);
    }
    /* Expired objects still leave by the policy's order when room is needed. */
    cache_params p = { .policy = "fifo", .capacity = 2, .count_objects = true, .ttl = 10 };
    cache *c = mkp(&p);
    cache_get(c, 1, 1, 0);
    cache_get(c, 2, 1, 1);
    cache_get(c, 3, 1, 20); /* evicts 1 (expired, but not seen by a request) */
    CHECK_EQ_U64(cache_get_stats(c)->evictions, 1);
    CHECK_EQ_U64(cache_get_stats(c)->expirations, 0);
    CHECK_TRUE(!cache_get(c, 2, 1, 21)); /* expired */
    CHECK_EQ_U64(cache_get_stats(c)->expirations, 1);
    cache_free(c);
}

static void test_admission(void)
{
    cache_params p = { .policy = "lru", .capacity = 1000, .admission = CACHE_ADMIT_SIZE, .admit_max_size = 100 };
    cache *c = mkp(&p);
    CHECK_TRUE(!cache_get(c, 1, 200, 0));
    CHECK_TRUE(!cache_get(c, 1, 200, 0));
    CHECK_EQ_U64(cache_get_stats(c)->rejected, 2);
    CHECK_TRUE(!cache_get(c, 2, 100, 0));
    CHECK_TRUE(cache_get(c, 2, 100, 0));
    CHECK_TRUE(!cache_insert(c, 3, 101, 0));
    cache_free(c);

    /* Probabilistic admission, p = 0.25 over 4000 distinct objects in a cache
     * that never fills: admitted ~ Binomial(4000, 0.25), mean 1000, sd 27.4;
     * accept |x - 1000| <= 125 (4.6 sd: a false alarm ~ 4e-6). */
    p = (cache_params){ .policy = "fifo", .capacity = 10000, .count_objects = true,
                        .admission = CACHE_ADMIT_PROB, .admit_prob = 0.25, .seed = 42, .rng_name = "t/cache" };
    uint64_t ins[2];
    for (int rep = 0; rep < 2; rep++) {
        c = mkp(&p);
        for (uint64_t i = 0; i < 4000; i++) cache_get(c, i, 1, 0);
        ins[rep] = cache_get_stats(c)->insertions;
        CHECK_EQ_U64(cache_get_stats(c)->rejected + ins[rep], 4000);
        cache_free(c);
    }
    CHECK_NEAR(ins[0], 1000, 125);
    CHECK_EQ_U64(ins[0], ins[1]); /* same seed and name, same draws */
    p.rng_name = "t/other-cache";
    c = mkp(&p);
    for (uint64_t i = 0; i < 4000; i++) cache_get(c, i, 1, 0);
    CHECK_TRUE(cache_get_stats(c)->insertions != ins[0]); /* another stream */
    cache_free(c);
    p.admit_prob = 0;
    c = mkp(&p);
    for (uint64_t i = 0; i < 100; i++) cache_get(c, i, 1, 0);
    CHECK_EQ_U64(cache_objects(c), 0);
    cache_free(c);
    p.admit_prob = 1.5;
    CHECK_EQ_I64(cache_create(&p, &c), SIM_EINVAL);
    p.admit_prob = NAN;
    CHECK_EQ_I64(cache_create(&p, &c), SIM_EINVAL);
    p.admit_prob = 0.5;
    p.ttl = -1;
    CHECK_EQ_I64(cache_create(&p, &c), SIM_EINVAL);
}

static void test_remove_insert_lookup_clear(void)
{
    for (const char *const *pol = cache_policy_names; *pol; pol++) {
        cache_params p = { .policy = *pol, .capacity = 50, .count_objects = true };
        cache *c = mkp(&p);
        CHECK_TRUE(!cache_lookup(c, 7, 1, 0)); /* counts a miss, inserts nothing */
        CHECK_TRUE(!cache_find(c, 7, 0));
        CHECK_TRUE(cache_insert(c, 7, 1, 0)); /* the fill after the fetch */
        CHECK_TRUE(cache_lookup(c, 7, 1, 1));
        const cache_stats *st = cache_get_stats(c);
        CHECK_EQ_U64(st->requests, 2);
        CHECK_EQ_U64(st->hits, 1);
        CHECK_EQ_U64(st->insertions, 1);
        for (uint64_t i = 100; i < 200; i++) cache_get(c, i, 1, 2);
        CHECK_EQ_U64(cache_objects(c), 50);
        CHECK_EQ_U64(cache_used(c), 50);
        CHECK_TRUE(cache_remove(c, 199));
        CHECK_TRUE(!cache_remove(c, 199));
        CHECK_EQ_U64(cache_objects(c), 49);
        cache_clear(c);
        CHECK_EQ_U64(cache_objects(c), 0);
        CHECK_EQ_U64(cache_used(c), 0);
        CHECK_EQ_U64(st->requests, 102); /* stats survive a clear */
        for (uint64_t i = 0; i < 200; i++) cache_get(c, i % 60, 1, 3);
        CHECK_EQ_U64(cache_objects(c), 50);
        cache_reset_stats(c);
        CHECK_EQ_U64(st->requests, 0);
        CHECK_EQ_U64(cache_capacity(c), 50);
        cache_free(c);
    }
    cache_free(NULL);
}

/* A naive LRU: an array in recency order, O(n) per request. */
typedef struct {
    uint64_t id[512];
    int n, cap;
} naive_lru;

static bool naive_get(naive_lru *r, uint64_t id)
{
    for (int i = 0; i < r->n; i++)
        if (r->id[i] == id) {
            memmove(&r->id[i], &r->id[i + 1], (size_t)(r->n - i - 1) * sizeof r->id[0]);
            r->id[r->n - 1] = id;
            return true;
        }
    if (r->n == r->cap) {
        memmove(&r->id[0], &r->id[1], (size_t)(r->n - 1) * sizeof r->id[0]);
        r->n--;
    }
    r->id[r->n++] = id;
    return false;
}

/* Heavy churn through the hash index (growth from the initial table,
 * backward-shift deletions, ids that collide in the low bits, id 0 and
 * 2^64-1) must never change a result: compare every request with the naive
 * LRU. Ids are multiples of 2^40 plus a small number, so many share their
 * low bits. */
static void test_index_churn(void)
{
    cache_params p = { .policy = "lru", .capacity = 500, .count_objects = true };
    cache *c = mkp(&p);
    naive_lru r = { .n = 0, .cap = 500 };
    gsl_rng *g = sim_rng_stream(1, "test/churn");
    int n = tests_under_asan() ? 20000 : 60000, mismatches = 0;
    for (int i = 0; i < n; i++) {
        uint64_t k = gsl_rng_uniform_int(g, 3000);
        uint64_t id = k == 0 ? UINT64_MAX : k == 1 ? 0 : (k << 40) + (k & 7);
        if (cache_get(c, id, 1, i) != naive_get(&r, id)) mismatches++;
    }
    CHECK_EQ_I64(mismatches, 0);
    CHECK_EQ_U64(cache_objects(c), 500);
    for (int i = 0; i < r.n; i++) CHECK_TRUE(cache_find(c, r.id[i], 0));
    gsl_rng_free(g);
    cache_free(c);

    /* A byte cache of many tiny objects grows its pool far past the initial
     * guess. */
    p = (cache_params){ .policy = "fifo", .capacity = 200000 };
    c = mkp(&p);
    for (uint64_t i = 0; i < 300000; i++) cache_get(c, i, 1, 0);
    CHECK_EQ_U64(cache_objects(c), 200000);
    CHECK_TRUE(cache_find(c, 299999, 0));
    CHECK_TRUE(cache_find(c, 100000, 0));
    CHECK_TRUE(!cache_find(c, 99999, 0));
    cache_free(c);
}

static void test_metadata_size(void)
{
    /* The budget: at most 64 bytes of metadata per cached object. */
    CHECK_TRUE(cache_entry_bytes() <= 64);
    CHECK_EQ_U64(cache_entry_bytes(), 56);
    CHECK_EQ_U64(cache_index_bytes_per_entry(), 16);
}

static void test_characteristic_time(void)
{
    /* FIFO with 2 objects, one request per ns to new ids: every object is
     * evicted 2 ns after insertion. */
    cache_params p = { .policy = "fifo", .capacity = 2, .count_objects = true };
    cache *c = mkp(&p);
    CHECK_TRUE(isnan(cache_characteristic_time(c)));
    for (uint64_t i = 0; i < 10; i++) cache_get(c, i, 1, (sim_time_t)i);
    CHECK_NEAR(cache_characteristic_time(c), 2.0, 1e-12);
    cache_free(c);
}

void test_cache_core_register(void)
{
    static const tests_case cases[] = {
        { "bytes_and_too_large", test_bytes_and_too_large },
        { "ttl", test_ttl },
        { "admission", test_admission },
        { "remove_insert_lookup_clear", test_remove_insert_lookup_clear },
        { "index_churn", test_index_churn },
        { "metadata_size", test_metadata_size },
        { "characteristic_time", test_characteristic_time },
        { NULL, NULL },
    };
    tests_add_suite("cache_core", cases);
}
