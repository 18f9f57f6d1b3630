/* tests/test_cache_policy.c - each policy's eviction order on hand-made
 * traces. Every expected outcome is worked out by hand in the comment above
 * it; lists are written oldest -> newest. Unit-size objects, capacity in
 * objects. "H"/"M" strings give the outcome of each request in order. */
#include <stdlib.h>

#include "models/cache/cache.h"
#include "sim/errors.h"
#include "tests/harness.h"

static cache *mk(const char *policy, uint64_t cap)
{
    cache_params p = { .policy = policy, .capacity = cap, .count_objects = true };
    cache *c = NULL;
    CHECK_EQ_I64(cache_create(&p, &c), 0);
    return c;
}

/* Runs the space-separated ids of `trace` through c (time = request index)
 * and writes one 'H' or 'M' per request into out. */
static const char *run(cache *c, const char *trace, char *out)
{
    int n = 0;
    const char *s = trace;
    while (*s) {
        char *end;
        unsigned long long id = strtoull(s, &end, 10);
        if (end == s) break;
        out[n] = cache_get(c, id, 1, n) ? 'H' : 'M';
        n++;
        s = end;
        while (*s == ' ') s++;
    }
    out[n] = 0;
    return out;
}

/* True if exactly the ids in `want` (space separated) are cached among 1..99. */
static int holds(const cache *c, const char *want)
{
    int present[100] = { 0 };
    const char *s = want;
    while (*s) {
        char *end;
        long id = strtol(s, &end, 10);
        if (end == s) break;
        present[id] = 1;
        s = end;
        while (*s == ' ') s++;
    }
    for (int i = 1; i < 100; i++)
        if (cache_find(c, (uint64_t)i, 0) != present[i]) {
            fprintf(stderr, "\nid %d: cached %d, expected %d\n", i, cache_find(c, (uint64_t)i, 0), present[i]);
            return 0;
        }
    return 1;
}

static void test_lru(void)
{
    char out[64];
    cache *c = mk("lru", 3);
    /* 1 2 3 -> [1 2 3]; 1 hit -> [2 3 1]; 4 evicts 2 -> [3 1 4]; 5 evicts 3
     * -> [1 4 5]; 6 evicts 1 -> [4 5 6]; 1 misses, evicts 4 -> [5 6 1]. */
    CHECK_STR(run(c, "1 2 3 1 4 5 6 1", out), "MMMHMMMM");
    CHECK_TRUE(holds(c, "5 6 1"));
    CHECK_EQ_U64(cache_get_stats(c)->evictions, 4);
    CHECK_EQ_U64(cache_objects(c), 3);
    cache_free(c);

    /* 1 2 3; 2 hit -> [1 3 2]; 1 hit -> [3 2 1]; 4 evicts 3 -> [2 1 4];
     * 5 evicts 2 -> [1 4 5]; 2 misses, evicts 1. */
    c = mk("lru", 3);
    CHECK_STR(run(c, "1 2 3 2 1 4 5 2", out), "MMMHHMMM");
    CHECK_TRUE(holds(c, "4 5 2"));
    cache_free(c);
}

static void test_fifo(void)
{
    char out[64];
    cache *c = mk("fifo", 3);
    /* 1 2 3 -> [1 2 3]; 1 hit changes nothing; 4 evicts 1 -> [2 3 4];
     * 5 evicts 2 -> [3 4 5]; 6 evicts 3 -> [4 5 6]; 1 misses, evicts 4. */
    CHECK_STR(run(c, "1 2 3 1 4 5 6 1", out), "MMMHMMMM");
    CHECK_TRUE(holds(c, "5 6 1"));
    cache_free(c);

    /* 1 2 3; 2, 1 hit; 4 evicts 1 -> [2 3 4]; 5 evicts 2 -> [3 4 5]; 2 misses,
     * evicts 3 -> [4 5 2]; 4 hits. */
    c = mk("fifo", 3);
    CHECK_STR(run(c, "1 2 3 2 1 4 5 2 4", out), "MMMHHMMMH");
    CHECK_TRUE(holds(c, "4 5 2"));
    cache_free(c);
}

static void test_clock(void)
{
    char out[64];
    cache *c = mk("clock", 3);
    /* 1 2 3 -> [1 2 3], bits 0; 2 and 1 hit: bits of 2 and 1 set.
     * 4: 1 has its bit: cleared, to the back [2 3 1]; 2 likewise [3 1 2];
     *    3 has none: evicted -> [1 2 4].
     * 5: 1 (bit cleared) evicted -> [2 4 5]. (LRU would evict 2 here.)
     * 2 hits (sets its bit). */
    CHECK_STR(run(c, "1 2 3 2 1 4 5 2", out), "MMMHHMMH");
    CHECK_TRUE(holds(c, "2 4 5"));
    /* 6: 2 has its bit: cleared, to the back [4 5 2]; 4 evicted -> [5 2 6]. */
    CHECK_STR(run(c, "6", out), "M");
    CHECK_TRUE(holds(c, "5 2 6"));
    cache_free(c);
}

static void test_sieve(void)
{
    char out[64];
    cache *c = mk("sieve", 3);
    /* 1 2 3 -> [1 2 3]; 1 hit: visited.
     * 4: hand starts at the oldest, 1: visited, cleared, hand -> 2: not
     *    visited, evicted; hand stays at 2's newer neighbour 3 -> [1 3 4].
     * 5: hand at 3: evicted, hand -> 4 -> [1 4 5].
     * 6: hand at 4: evicted, hand -> 5 -> [1 5 6]. (CLOCK would have evicted
     *    1 here: it moves 1 to the back, SIEVE leaves it in place.)
     * 1 hits. */
    CHECK_STR(run(c, "1 2 3 1 4 5 6 1", out), "MMMHMMMH");
    CHECK_TRUE(holds(c, "1 5 6"));
    /* New objects go to the newest end, just behind the hand, so it keeps
     * chasing them: 7 evicts 5 (hand -> 6), 8 evicts 6, ... 1 stays. */
    CHECK_STR(run(c, "7 8 9 10", out), "MMMM");
    CHECK_TRUE(holds(c, "1 9 10"));
    cache_free(c);

    /* The hand wraps. Capacity 2: 1 2; 1 hits (visited). 3: hand at 1:
     * cleared, -> 2: evicted; 2 was the newest, so the hand wraps -> [1 3].
     * 4: hand at the oldest, 1 (cleared): evicted, hand -> 3 -> [3 4].
     * 3 hits. 5: 3 visited: cleared, -> 4 evicted, hand wraps -> [3 5].
     * 6: 3 evicted -> [5 6]. */
    c = mk("sieve", 2);
    CHECK_STR(run(c, "1 2 1 3 4 3 5", out), "MMHMMHM");
    CHECK_TRUE(holds(c, "3 5"));
    CHECK_STR(run(c, "6", out), "M");
    CHECK_TRUE(holds(c, "5 6"));
    cache_free(c);
}

static void test_lfu(void)
{
    char out[64];
    cache *c = mk("lfu", 3);
    /* 1 2 3 at frequency 1 (bucket f1: [1 2 3]); 1 hits twice (f3), 2 once
     * (f2) -> f1 [3], f2 [2], f3 [1].
     * 4: lowest bucket f1 holds only 3: evicted -> f1 [4].
     * 5: 4 evicted -> f1 [5].  3: 5 evicted -> f1 [3]. 2, 1 hit. */
    CHECK_STR(run(c, "1 2 3 1 1 2 4 5 3 2 1", out), "MMMHHHMMMHH");
    CHECK_TRUE(holds(c, "1 2 3"));
    cache_free(c);

    /* Tie-break. 1 2 -> f1 [1 2]; 2 hits -> f2 [2]; 1 hits -> f2 [2 1]
     * (1 reached frequency 2 later). 3: the lowest bucket is f2 (f1 is
     * empty): its least recently used, 2, goes -> f1 [3], f2 [1].
     * 2: evicts 3 (f1) -> f1 [2], f2 [1]. 1 hits. */
    c = mk("lfu", 2);
    CHECK_STR(run(c, "1 2 2 1 3 2 1", out), "MMHHMMH");
    CHECK_TRUE(holds(c, "1 2"));
    cache_free(c);
}

static void test_s3fifo(void)
{
    char out[64];
    /* Capacity 10: S holds 1 unit by share, M 9, the ghost up to 9. */
    cache *c = mk("s3fifo", 10);
    /* 1..10 fill the cache, all in S (no eviction yet): S [1..10]. */
    CHECK_STR(run(c, "1 2 3 4 5 6 7 8 9 10", out), "MMMMMMMMMM");
    /* 1 hits: frequency 1.
     * 11: M is under its share, so evict from S: 1 was requested in S:
     *     moved to M (frequency 0); 2 was not: evicted into the ghost.
     *     S [3..10 11], M [1], G [2].
     * 2: in G -> miss, inserted into M. Evicting: S's oldest, 3, goes to G.
     *     S [4..11], M [1 2], G [3].
     * 3: likewise into M; 4 goes to G. S [5..11], M [1 2 3], G [4]. */
    CHECK_STR(run(c, "1 11 2 3", out), "HMMM");
    CHECK_TRUE(holds(c, "1 2 3 5 6 7 8 9 10 11"));
    /* A one-hit wonder: 12 misses; S's oldest, 5, goes to G.  S [6..12]. */
    CHECK_STR(run(c, "12", out), "M");
    CHECK_TRUE(holds(c, "1 2 3 6 7 8 9 10 11 12"));
    const cache_stats *st = cache_get_stats(c);
    CHECK_EQ_U64(st->evictions, 4); /* 2, 3, 4, 5 */
    CHECK_EQ_U64(cache_objects(c), 10);
    cache_free(c);

    /* M's 2-bit CLOCK. Capacity 10; ids 1..10 fill S, each hit once, then
     * 11 arrives: evicting from S moves 1..10 to M one by one (each was hit
     * once), frequencies reset to 0, until S is empty; then M is over its
     * share (10 > 9): its oldest, 1 (frequency 0), is evicted. M [2..10],
     * S [11]. */
    c = mk("s3fifo", 10);
    run(c, "1 2 3 4 5 6 7 8 9 10 1 2 3 4 5 6 7 8 9 10", out);
    CHECK_STR(run(c, "11", out), "M");
    CHECK_TRUE(holds(c, "2 3 4 5 6 7 8 9 10 11"));
    /* 2 hits twice (frequency 2). 12: M holds 9 = its share, so evict from
     * S: 11 was never hit: to G. S [12].  13: S's 12 goes to G. S [13].
     * 11: in G, so it will go to M; first make room: M is not over its
     * share yet (9), so S's 13 goes to G; then 11 enters M (10 > 9).
     * 14: M is over its share: evict from M: 2 has frequency 2: back to
     * M's newest end with 1; 3 (frequency 0) is evicted. S [14]. */
    CHECK_STR(run(c, "2 2 12 13 11 14", out), "HHMMMM");
    CHECK_TRUE(holds(c, "2 4 5 6 7 8 9 10 11 14"));
    cache_free(c);
}

static void test_policy_names(void)
{
    int n = 0;
    for (const char *const *p = cache_policy_names; *p; p++, n++) {
        cache *c = mk(*p, 4);
        CHECK_STR(cache_policy_name(c), *p);
        CHECK_TRUE(cache_policy_summary(*p) != NULL);
        cache_free(c);
    }
    CHECK_EQ_I64(n, 6);
    cache_params p = { .policy = "lru2", .capacity = 4 };
    cache *c = (cache *)1;
    CHECK_EQ_I64(cache_create(&p, &c), SIM_EINVAL);
    CHECK_TRUE(c == NULL);
    p.policy = NULL;
    CHECK_EQ_I64(cache_create(&p, &c), SIM_EINVAL);
    CHECK_TRUE(cache_policy_summary("nope") == NULL);
}

void test_cache_policy_register(void)
{
    static const tests_case cases[] = {
        { "lru", test_lru },
        { "fifo", test_fifo },
        { "clock", test_clock },
        { "sieve", test_sieve },
        { "lfu", test_lfu },
        { "s3fifo", test_s3fifo },
        { "policy_names", test_policy_names },
        { NULL, NULL },
    };
    tests_add_suite("cache_policy", cases);
}
