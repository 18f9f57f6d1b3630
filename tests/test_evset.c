/* tests/test_evset.c - the pending-event set against a sorted reference, for
 * every kind (heap, ladder, adaptive with the default and a tiny threshold so
 * that it changes structure many times). */
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/errors.h"
#include "sim/evset.h"
#include "tests/harness.h"

typedef struct {
    sim_evset_kind kind;
    size_t threshold;
} set_conf;

static const set_conf confs[] = {
    { SIM_EVSET_HEAP, 0 },
    { SIM_EVSET_LADDER, 0 },
    { SIM_EVSET_ADAPTIVE, 0 },
    { SIM_EVSET_ADAPTIVE, 16 },
};
#define NCONFS (sizeof confs / sizeof confs[0])

/* Deterministic test randomness (splitmix64): the evset is not a model, it
 * needs no named stream, only reproducible inputs. */
static uint64_t rnd_state;
static uint64_t rnd(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp_key(const void *pa, const void *pb)
{
    const sim_event *a = *(sim_event *const *)pa, *b = *(sim_event *const *)pb;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A random time: most from a narrow range with many exact ties, some spread
 * over a wide range, a few at the extremes. */
static sim_time_t random_time(sim_time_t base, int extremes)
{
    uint64_t r = rnd();
    switch (r & 7) {
    case 0: return base + (sim_time_t)(rnd() % 1000000000000ULL);
    case 1: return base + (sim_time_t)(rnd() % 50) * 1000;
    case 2: return r & 0x100 || !extremes ? base : SIM_TIME_MAX;
    default: return base + (sim_time_t)(rnd() % 100000);
    }
}

static void test_order_ties_all_kinds(void)
{
    for (size_t c = 0; c < NCONFS; c++) {
        sim_evset set;
        sim_evset_init_kind(&set, confs[c].kind, confs[c].threshold);
        static sim_event evs[200];
        memset(evs, 0, sizeof evs);
        /* 200 events at 5 distinct times, pushed in seq order, times shuffled */
        for (int i = 0; i < 200; i++) {
            evs[i].time = (sim_time_t)((i * 7) % 5) * 10;
            evs[i].seq = (uint64_t)i;
            CHECK_EQ_I64(sim_evset_push(&set, &evs[i]), 0);
        }
        CHECK_EQ_U64(sim_evset_size(&set), 200);
        sim_time_t last_t = -1;
        uint64_t last_seq = 0;
        int n = 0, bad = 0;
        CHECK_TRUE(sim_evset_peek(&set) == &evs[0]);
        for (sim_event *ev; (ev = sim_evset_pop(&set)); n++) {
            if (ev->time < last_t || (ev->time == last_t && ev->seq <= last_seq)) bad++;
            last_t = ev->time;
            last_seq = ev->seq;
        }
        CHECK_EQ_I64(bad, 0);
        CHECK_EQ_I64(n, 200);
        CHECK_EQ_U64(sim_evset_size(&set), 0);
        CHECK_TRUE(sim_evset_pop(&set) == NULL);
        CHECK_TRUE(sim_evset_peek(&set) == NULL);
        sim_evset_free(&set);
    }
}

/* n random events (many ties) pushed, then all popped: the pop order must be
 * exactly the qsort order by (time, seq). */
static void test_bulk_against_sorted(void)
{
    size_t n = tests_under_asan() ? 100000 : 1000000;
    sim_event *evs = calloc(n, sizeof *evs);
    sim_event **ref = malloc(n * sizeof *ref);
    CHECK_TRUE(evs && ref);
    if (!evs || !ref) { free(evs); free(ref); return; }
    for (size_t c = 0; c < NCONFS; c++) {
        /* the heap alone at 10^6 is the slow one; keep it to a tenth */
        size_t m = confs[c].kind == SIM_EVSET_HEAP ? n / 10 : n;
        rnd_state = 42 + c;
        for (size_t i = 0; i < m; i++) {
            evs[i].time = random_time(0, 1);
            evs[i].seq = i;
            ref[i] = &evs[i];
        }
        qsort(ref, m, sizeof *ref, cmp_key);
        sim_evset set;
        sim_evset_init_kind(&set, confs[c].kind, confs[c].threshold);
        int rc = 0;
        for (size_t i = 0; i < m; i++) rc |= sim_evset_push(&set, &evs[i]);
        CHECK_EQ_I64(rc, 0);
        CHECK_EQ_U64(sim_evset_size(&set), m);
        size_t mismatch = m, got = 0;
        for (size_t i = 0; i < m; i++) {
            sim_event *ev = sim_evset_pop(&set);
            if (!ev) break;
            got++;
            if (ev != ref[i] && mismatch == m) mismatch = i;
        }
        CHECK_EQ_U64(got, m);
        if (mismatch != m)
            tests_fail(__FILE__, __LINE__, "%s/%zu: first mismatch at pop %zu of %zu",
                       sim_evset_kind_name(confs[c].kind), confs[c].threshold, mismatch, m);
        CHECK_TRUE(sim_evset_pop(&set) == NULL);
        if (confs[c].kind != SIM_EVSET_HEAP) CHECK_TRUE(set.rebuilds > 0);
        sim_evset_free(&set);
    }
    free(evs);
    free(ref);
}

/* ---- a textbook binary heap as the reference for interleaved use ---- */

typedef struct {
    sim_event **a;
    size_t n;
} ref_heap;

static int ref_less(const sim_event *x, const sim_event *y) { return cmp_key(&x, &y) < 0; }

static void ref_push(ref_heap *h, sim_event *ev)
{
    size_t i = h->n++;
    while (i > 0 && ref_less(ev, h->a[(i - 1) / 2])) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = ev;
}

static sim_event *ref_pop(ref_heap *h)
{
    if (h->n == 0) return NULL;
    sim_event *top = h->a[0], *last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && ref_less(h->a[c + 1], h->a[c])) c++;
        if (!ref_less(h->a[c], last)) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n) h->a[i] = last;
    return top;
}

/* A simulation-like workload (no SIM_TIME_MAX outliers here: a rung 0 that
 * spans to the end of time lasts the whole test and would never switch back). Pop the earliest, push 0-3 events at or after
 * its time (with many zero delays and repeated delays, i.e. ties), through a
 * growth phase, a steady phase and a drain, so that an adaptive set switches
 * heap -> ladder -> heap. Also pushes the odd event into the past of the
 * current bucket. Every pop is compared with the reference. */
static void test_interleaved_against_reference(void)
{
    size_t ops = tests_under_asan() ? 60000 : 400000;
    size_t cap = ops * 3 + 1000;
    sim_event *evs = calloc(cap, sizeof *evs);
    ref_heap ref = { malloc(cap * sizeof(sim_event *)), 0 };
    CHECK_TRUE(evs && ref.a);
    if (!evs || !ref.a) { free(evs); free(ref.a); return; }
    for (size_t c = 0; c < NCONFS; c++) {
        sim_evset set;
        sim_evset_init_kind(&set, confs[c].kind, confs[c].threshold);
        rnd_state = 1000 + c;
        ref.n = 0;
        size_t used = 0;
        uint64_t seq = 0;
        sim_time_t now = 0;
        size_t bad = 0, first_bad = 0, switches = 0;
        sim_evset_kind mode = sim_evset_mode(&set);
        for (size_t i = 0; i < 200; i++) {
            sim_event *ev = &evs[used++];
            ev->time = random_time(0, 0);
            ev->seq = seq++;
            sim_evset_push(&set, ev);
            ref_push(&ref, ev);
        }
        for (size_t op = 0; op < ops; op++) {
            /* pop_until (which in heap mode leaves a slot for the next push
             * to fill) on most steps, plain pop on the others */
            sim_event *a = op % 3 ? sim_evset_pop_until(&set, SIM_TIME_MAX) : sim_evset_pop(&set);
            sim_event *b = ref_pop(&ref);
            if (a != b) {
                if (!bad) first_bad = op;
                bad++;
            }
            if (!b) break;
            now = b->time;
            /* growth for the first quarter, steady, then drain to a few events */
            int k = op < ops / 4 ? 1 + (int)(rnd() % 3)
                  : op < ops / 2 ? (int)(rnd() % 3)
                  : ref.n < 4 ? 1 + (int)(rnd() % 2) /* then a tiny population, not empty */
                  : rnd() % 10 == 0;
            for (int j = 0; j < k && used < cap && now < SIM_TIME_MAX / 2; j++) {
                sim_event *ev = &evs[used++];
                uint64_t r = rnd() % 16;
                ev->time = r == 0 ? now : r < 4 ? now + 1000 * (sim_time_t)(r) : random_time(now, 0);
                if (r == 15 && now > 5) ev->time = now - 5; /* into the past: must still be ordered */
                ev->seq = seq++;
                sim_evset_push(&set, ev);
                ref_push(&ref, ev);
            }
            if (sim_evset_mode(&set) != mode) {
                switches++;
                mode = sim_evset_mode(&set);
            }
            if (sim_evset_size(&set) != ref.n) bad++;
        }
        /* drain the rest */
        for (;;) {
            sim_event *a = sim_evset_pop(&set), *b = ref_pop(&ref);
            if (a != b) bad++;
            if (!b) break;
        }
        if (bad)
            tests_fail(__FILE__, __LINE__, "%s/%zu: %zu mismatches, first at op %zu",
                       sim_evset_kind_name(confs[c].kind), confs[c].threshold, bad, first_bad);
        CU_PASS("interleaved");
        if (confs[c].kind == SIM_EVSET_ADAPTIVE && confs[c].threshold == 16)
            CHECK_TRUE(switches >= 2); /* went to ladder and back at least once */
        sim_evset_free(&set);
        memset(evs, 0, used * sizeof *evs);
    }
    free(evs);
    free(ref.a);
}

/* Crowded buckets: thousands of events inside one narrow window (forcing
 * rungs to be spawned several levels deep) plus exact ties at one instant
 * (which cannot be split and must go to the heap whole). */
static void test_crowded_buckets(void)
{
    size_t n = tests_under_asan() ? 20000 : 200000;
    sim_event *evs = calloc(n, sizeof *evs);
    sim_event **ref = malloc(n * sizeof *ref);
    CHECK_TRUE(evs && ref);
    if (!evs || !ref) { free(evs); free(ref); return; }
    rnd_state = 7;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rnd() % 4;
        evs[i].time = r == 0 ? 5 * SIM_S
                    : r == 1 ? 5 * SIM_S + (sim_time_t)(rnd() % 64)
                    : r == 2 ? (sim_time_t)(rnd() % (1000 * SIM_S))
                    : 5 * SIM_S + (sim_time_t)(rnd() % 100000);
        evs[i].seq = i;
        ref[i] = &evs[i];
    }
    qsort(ref, n, sizeof *ref, cmp_key);
    sim_evset set;
    sim_evset_init_kind(&set, SIM_EVSET_LADDER, 0);
    for (size_t i = 0; i < n; i++) sim_evset_push(&set, &evs[i]);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (sim_evset_pop(&set) != ref[i]) bad++;
    CHECK_EQ_U64(bad, 0);
    CHECK_TRUE(set.spawns > 0);
    sim_evset_free(&set);
    free(evs);
    free(ref);
}

/* pop_until never returns an event later than its bound and leaves it in
 * place; peek agrees with pop. */
static void test_pop_until_bound(void)
{
    for (size_t c = 0; c < NCONFS; c++) {
        sim_evset set;
        sim_evset_init_kind(&set, confs[c].kind, confs[c].threshold);
        static sim_event evs[500];
        memset(evs, 0, sizeof evs);
        for (int i = 0; i < 500; i++) {
            evs[i].time = (sim_time_t)(i % 50) * 100;
            evs[i].seq = (uint64_t)i;
            sim_evset_push(&set, &evs[i]);
        }
        size_t got = 0, bad = 0;
        for (sim_event *ev; (ev = sim_evset_pop_until(&set, 2000));) {
            if (ev->time > 2000) bad++;
            got++;
        }
        CHECK_EQ_U64(got, 21 * 10); /* times 0, 100, ..., 2000, ten each */
        CHECK_EQ_U64(bad, 0);
        CHECK_EQ_U64(sim_evset_size(&set), 500 - 210);
        sim_event *p = sim_evset_peek(&set);
        CHECK_TRUE(p && p->time == 2100 && p->seq == 21);
        CHECK_TRUE(sim_evset_pop(&set) == p);
        sim_evset_free(&set);
    }
}

/* Child of test_out_of_memory: under an address-space limit, pushes events
 * until a push (or malloc for the events) fails, checks that a failed push
 * left the set as it was, then pops everything (rebuilds that cannot get
 * memory fall back to the heap) and checks the order. Exit 0 when all held. */
static int oom_child(void)
{
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld", &pages) != 1) return 3;
    fclose(f);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) return 3;
    rl.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)48 << 20);
    if (setrlimit(RLIMIT_AS, &rl) != 0) return 3;
    sim_evset set;
    sim_evset_init_kind(&set, SIM_EVSET_LADDER, 0);
    size_t pushed = 0, failures = 0;
    uint64_t seq = 0;
    rnd_state = 5;
    for (int stop = 0; !stop;) {
        sim_event *chunk = calloc(4096, sizeof *chunk); /* never freed: the child exits */
        if (!chunk) break;
        for (int i = 0; i < 4096; i++) {
            chunk[i].time = random_time(0, 1);
            chunk[i].seq = seq++;
            if (sim_evset_push(&set, &chunk[i]) != 0) {
                failures++;
                if (sim_evset_size(&set) != pushed) return 4;
                stop = 1;
                break;
            }
            pushed++;
        }
    }
    if (pushed < 10000) return 5; /* the limit left too little room to mean anything */
    sim_time_t last_t = INT64_MIN;
    uint64_t last_seq = 0;
    size_t popped = 0;
    for (sim_event *ev; (ev = sim_evset_pop(&set)); popped++) {
        if (ev->time < last_t || (ev->time == last_t && ev->seq <= last_seq)) return 6;
        last_t = ev->time;
        last_seq = ev->seq;
    }
    if (popped != pushed) return 7;
    return failures ? 0 : 8;
}

/* Running out of memory: push reports SIM_ENOMEM and leaves the set intact,
 * and the set still pops everything in order. Not under ASan, whose shadow
 * memory needs far more address space than any limit we could set. */
static void test_out_of_memory(void)
{
    if (tests_under_asan()) {
        CU_PASS("skipped under ASan");
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    CHECK_TRUE(pid >= 0);
    if (pid == 0) _exit(oom_child());
    int status = 0;
    CHECK_TRUE(waitpid(pid, &status, 0) == pid);
    CHECK_TRUE(WIFEXITED(status));
    CHECK_EQ_I64(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

void test_evset_register(void)
{
    static const tests_case cases[] = {
        { "order_ties_all_kinds", test_order_ties_all_kinds },
        { "bulk_against_sorted", test_bulk_against_sorted },
        { "interleaved_against_reference", test_interleaved_against_reference },
        { "crowded_buckets", test_crowded_buckets },
        { "pop_until_bound", test_pop_until_bound },
        { "out_of_memory", test_out_of_memory },
        { NULL, NULL },
    };
    tests_add_suite("evset", cases);
}
