/* tests/test_cache_traces.c - LRU and FIFO on the real traces in
 * ../shared/traces against an independent reference simulator.
 *
 * The reference shares nothing with the code under test: it parses the CSV
 * with fgets/strtoull and keeps the cache as a plain array in eviction
 * order, searched linearly (O(n) per request). Its rules are libCacheSim's:
 * a hit keeps the cached size (LRU moves the object to the newest end); a
 * miss inserts the object after evicting from the oldest end until it fits,
 * unless it is larger than the whole cache. For a deterministic policy on a
 * cold cache every correct simulator gives the same result to the last
 * request, so the miss and byte-miss counts must be equal, not close. */
#include <stdlib.h>

#include "models/cache/cache.h"
#include "models/trace.h"
#include "tests/harness.h"

typedef struct {
    uint64_t *id, *size;
    size_t n;
} ref_trace;

/* Reads columns (1-based) of a CSV with a header; sizes forced to 1 if !size_col. */
static int ref_load(const char *file, int id_col, int size_col, ref_trace *t)
{
    char p[512], line[512];
    snprintf(p, sizeof p, "%s/traces/%s", tests_shared_dir(), file);
    t->id = t->size = NULL;
    t->n = 0;
    FILE *f = fopen(p, "r");
    if (!f) return -1;
    size_t cap = 1 << 17;
    t->id = malloc(cap * sizeof *t->id);
    t->size = malloc(cap * sizeof *t->size);
    t->n = 0;
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        free(t->id);
        free(t->size);
        t->id = t->size = NULL;
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (t->n == cap) {
            cap *= 2;
            t->id = realloc(t->id, cap * sizeof *t->id);
            t->size = realloc(t->size, cap * sizeof *t->size);
        }
        char *save = NULL;
        int col = 0;
        uint64_t id = 0, size = 1;
        for (char *tok = strtok_r(line, ",\r\n", &save); tok; tok = strtok_r(NULL, ",\r\n", &save)) {
            col++;
            if (col == id_col) id = strtoull(tok, NULL, 10);
            if (col == size_col) size = strtoull(tok, NULL, 10);
        }
        t->id[t->n] = id;
        t->size[t->n] = size;
        t->n++;
    }
    fclose(f);
    return 0;
}

typedef struct {
    uint64_t misses, bytes_missed;
} ref_result;

static ref_result ref_run(const ref_trace *t, bool lru, uint64_t cap)
{
    uint64_t *ids = malloc(t->n * sizeof *ids), *sz = malloc(t->n * sizeof *sz);
    size_t n = 0;
    uint64_t used = 0;
    ref_result r = { 0, 0 };
    for (size_t i = 0; i < t->n; i++) {
        size_t j = 0;
        while (j < n && ids[j] != t->id[i]) j++;
        if (j < n) { /* hit */
            if (lru) {
                uint64_t a = ids[j], b = sz[j];
                memmove(&ids[j], &ids[j + 1], (n - j - 1) * sizeof *ids);
                memmove(&sz[j], &sz[j + 1], (n - j - 1) * sizeof *sz);
                ids[n - 1] = a;
                sz[n - 1] = b;
            }
            continue;
        }
        r.misses++;
        r.bytes_missed += t->size[i];
        if (t->size[i] > cap) continue;
        size_t drop = 0;
        while (used + t->size[i] > cap) used -= sz[drop++];
        memmove(&ids[0], &ids[drop], (n - drop) * sizeof *ids);
        memmove(&sz[0], &sz[drop], (n - drop) * sizeof *sz);
        n -= drop;
        ids[n] = t->id[i];
        sz[n++] = t->size[i];
        used += t->size[i];
    }
    free(ids);
    free(sz);
    return r;
}

/* The code under test: the trace reader and the cache. */
static ref_result sut_run(const char *file, const trace_opts *o, const char *policy, uint64_t cap)
{
    char p[512];
    snprintf(p, sizeof p, "%s/traces/%s", tests_shared_dir(), file);
    cache_params cp = { .policy = policy, .capacity = cap, .count_objects = o->ignore_size };
    cache *c = NULL;
    trace_reader r;
    ref_result out = { 0, 0 };
    int rc = cache_create(&cp, &c);
    CHECK_EQ_I64(rc, 0);
    if (rc != 0) return out;
    rc = trace_open(&r, p, o);
    CHECK_EQ_I64(rc, 0);
    if (rc != 0) { /* a missing trace fails the test; it must not crash the runner */
        cache_free(c);
        return out;
    }
    trace_req q[1000];
    long k;
    while ((k = trace_read(&r, q, 1000)) > 0)
        for (long i = 0; i < k; i++) cache_get(c, q[i].id, q[i].size, 0);
    CHECK_EQ_I64(k, 0);
    out.misses = cache_get_stats(c)->misses;
    out.bytes_missed = cache_get_stats(c)->bytes_missed;
    trace_close(&r);
    cache_free(c);
    return out;
}

static void check_trace(const char *file, int time_col, int id_col, int size_col, const uint64_t *caps,
                        const uint64_t *obj_caps, size_t expect_n)
{
    ref_trace t, t1;
    int rc = ref_load(file, id_col, size_col, &t), rc1 = ref_load(file, id_col, 0, &t1);
    CHECK_EQ_I64(rc, 0);
    CHECK_EQ_I64(rc1, 0);
    if (rc != 0 || rc1 != 0) {
        fprintf(stderr, "\ncannot read %s/traces/%s (set CDNSIM_SHARED to the shared folder)\n", tests_shared_dir(), file);
        free(t.id); /* ref_load leaves NULLs on failure */
        free(t.size);
        free(t1.id);
        free(t1.size);
        return;
    }
    CHECK_EQ_U64(t.n, expect_n);
    trace_opts o = { .format = TRACE_CSV, .time_col = time_col, .id_col = id_col, .size_col = size_col };
    for (int lru = 0; lru < 2; lru++) {
        const char *pol = lru ? "lru" : "fifo";
        for (const uint64_t *cap = caps; *cap; cap++) {
            o.ignore_size = false;
            ref_result want = ref_run(&t, lru, *cap), got = sut_run(file, &o, pol, *cap);
            if (got.misses != want.misses || got.bytes_missed != want.bytes_missed)
                fprintf(stderr, "\n%s %s %llu bytes\n", file, pol, (unsigned long long)*cap);
            CHECK_EQ_U64(got.misses, want.misses);
            CHECK_EQ_U64(got.bytes_missed, want.bytes_missed);
            CHECK_TRUE(want.misses > 0 && want.misses < t.n); /* the case exercises both */
        }
        for (const uint64_t *cap = obj_caps; *cap; cap++) {
            o.ignore_size = true;
            ref_result want = ref_run(&t1, lru, *cap), got = sut_run(file, &o, pol, *cap);
            if (got.misses != want.misses) fprintf(stderr, "\n%s %s %llu objects\n", file, pol, (unsigned long long)*cap);
            CHECK_EQ_U64(got.misses, want.misses);
            CHECK_TRUE(want.misses > 0 && want.misses < t.n);
        }
    }
    free(t.id);
    free(t.size);
    free(t1.id);
    free(t1.size);
}

static void test_sdsc(void)
{
    static const uint64_t caps[] = { 10, 100, 0 }, objs[] = { 10, 100, 500, 0 };
    check_trace("sdsc-http.csv", 1, 2, 3, caps, objs, 25050);
}

static void test_webcachesim(void)
{
    static const uint64_t caps[] = { 100, 1000, 5000, 0 }, objs[] = { 20, 200, 0 };
    check_trace("webcachesim_test.csv", 1, 2, 3, caps, objs, 10492);
}

static void test_cloudphysics(void)
{
    /* cloudPhysicsIO: version,time,op,size,lbn - the id is lbn (column 5). */
    static const uint64_t caps[] = { 1u << 20, 16u << 20, 0 }, objs[] = { 100, 500, 0 };
    check_trace("cloudPhysicsIO.csv", 2, 5, 4, caps, objs, 113872);
}

void test_cache_traces_register(void)
{
    static const tests_case cases[] = {
        { "sdsc_http", test_sdsc },
        { "webcachesim", test_webcachesim },
        { "cloudphysics", test_cloudphysics },
        { NULL, NULL },
    };
    tests_add_suite("cache_traces", cases);
}
