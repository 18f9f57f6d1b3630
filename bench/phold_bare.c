/* bench/phold_bare.c - PHOLD without the engine: the yardstick for the
 * engine's overhead.
 *
 *   phold_bare heap|ladder N E T [R L M SEED]
 *
 * The same model as `cdnsim bench phold` with the same random draws (one
 * stream per LP from sim_rng_stream(SEED, "phold/lp/<i>"), the same GSL calls
 * in the same order), so it counts exactly the same events; what it leaves
 * out is everything the engine adds: the event pool, handler calls, the
 * schedule/run API, cancellation and progress checks.
 *
 *   heap    a self-contained 4-ary heap of (time, seq, lp, stream) entries;
 *           the event just handled is replaced by its successor in place
 *           (replace-top, one sift-down instead of a pop and a push), and
 *           the next event's LP and stream are prefetched.
 *   ladder  the engine's own pending-event set (sim/evset.c) driven directly,
 *           each event record reused in place for its successor; target and
 *           arg are the LP and its stream, as in the engine's PHOLD, so the
 *           set's prefetching applies equally.
 *
 * Prints one JSON line like the engine's benchmark. Built by bench/10-phold.sh
 * against build/libcdnsim.a; not part of bin/cdnsim.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/evset.h"
#include "sim/rng.h"
#include "sim/time.h"

typedef struct {
    gsl_rng *rng;
    uint64_t count;
} lp_state;

/* The heap entry carries the LP and its stream so that both can be
 * prefetched for the next event, as the engine does with target and arg. */
typedef struct {
    sim_time_t time;
    uint64_t seq;
    lp_state *lp;
    gsl_rng *rng;
} entry;

static inline int less(const entry *a, const entry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void sift_down(entry *h, size_t n, size_t i, entry e)
{
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n) break;
        size_t best = c;
        if (c + 4 <= n) {
            size_t b1 = less(&h[c + 1], &h[c]) ? c + 1 : c;
            size_t b2 = less(&h[c + 3], &h[c + 2]) ? c + 3 : c + 2;
            best = less(&h[b2], &h[b1]) ? b2 : b1;
        } else {
            for (size_t k = c + 1; k < n; k++)
                if (less(&h[k], &h[best])) best = k;
        }
        if (!less(&h[best], &e)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

static void sift_up(entry *h, size_t i, entry e)
{
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!less(&e, &h[p])) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: phold_bare heap|ladder N E T [R L M SEED]\n");
        return 2;
    }
    int use_heap = !strcmp(argv[1], "heap");
    if (!use_heap && strcmp(argv[1], "ladder")) {
        fprintf(stderr, "phold_bare: queue must be heap or ladder, got '%s'\n", argv[1]);
        return 2;
    }
    size_t n = strtoull(argv[2], NULL, 10), e = strtoull(argv[3], NULL, 10);
    double end = atof(argv[4]);
    double remote = argc > 5 ? atof(argv[5]) : 0.25;
    double lookahead = argc > 6 ? atof(argv[6]) : 0.1;
    double mean = argc > 7 ? atof(argv[7]) : 1.0;
    uint64_t seed = argc > 8 ? strtoull(argv[8], NULL, 10) : 1;
    double exp_mean = mean - lookahead;
    sim_time_t until = sim_time_from_s(end);
    if (n == 0 || n * e == 0) {
        fprintf(stderr, "phold_bare: need N >= 1 and E >= 1\n");
        return 2;
    }

    lp_state *lps = calloc(n, sizeof *lps);
    if (!lps) return 1;
    for (size_t i = 0; i < n; i++) {
        char name[48];
        snprintf(name, sizeof name, "phold/lp/%zu", i);
        if (!(lps[i].rng = sim_rng_stream(seed, name))) return 1;
    }
    size_t total = n * e;
    uint64_t seq = 0, events = 0;
    double t0, t1, c0, c1;
    size_t pending;
    unsigned long long rebuilds = 0, spawns = 0;

    if (use_heap) {
        entry *h = aligned_alloc(64, (total * sizeof *h + 63) / 64 * 64);
        if (!h) return 1;
        size_t hn = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < e; k++) {
                entry x = { sim_time_from_s(lookahead + gsl_ran_exponential(lps[i].rng, exp_mean)), seq++,
                            &lps[i], lps[i].rng };
                sift_up(h, hn++, x);
            }
        t0 = now_s();
        c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        while (hn > 0 && h[0].time <= until) {
            sim_time_t t = h[0].time;
            lp_state *lp = h[0].lp;
            gsl_rng *r = h[0].rng;
            lp->count++;
            events++;
            lp_state *dst = lp;
            if (gsl_rng_uniform(r) < remote) dst = &lps[gsl_rng_uniform_int(r, n)];
            entry x = { t + sim_time_from_s(lookahead + gsl_ran_exponential(r, exp_mean)), seq++, dst, dst->rng };
            sift_down(h, hn, 0, x); /* replace-top */
            __builtin_prefetch(h[0].lp);
            __builtin_prefetch(h[0].rng);
        }
        t1 = now_s();
        c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        pending = hn;
        free(h);
    } else {
        sim_event *evs = aligned_alloc(64, total * sizeof *evs); /* one line each, as in the pool */
        if (!evs) return 1;
        memset(evs, 0, total * sizeof *evs);
        sim_evset set;
        sim_evset_init_kind(&set, SIM_EVSET_LADDER, 0);
        size_t used = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < e; k++) {
                sim_event *ev = &evs[used++];
                ev->time = sim_time_from_s(lookahead + gsl_ran_exponential(lps[i].rng, exp_mean));
                ev->seq = seq++;
                ev->target = &lps[i];
                ev->arg = lps[i].rng;
                if (sim_evset_push(&set, ev)) return 1;
            }
        t0 = now_s();
        c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        for (;;) {
            sim_event *ev = sim_evset_pop(&set);
            if (!ev) break;
            if (ev->time > until) {
                sim_evset_push(&set, ev); /* put it back: it stays pending */
                break;
            }
            lp_state *lp = ev->target;
            gsl_rng *r = ev->arg;
            lp->count++;
            events++;
            lp_state *dst = lp;
            if (gsl_rng_uniform(r) < remote) dst = &lps[gsl_rng_uniform_int(r, n)];
            ev->time += sim_time_from_s(lookahead + gsl_ran_exponential(r, exp_mean));
            ev->seq = seq++;
            ev->target = dst;
            ev->arg = dst->rng;
            sim_evset_push(&set, ev); /* cannot fail: the set never grows past total */
        }
        t1 = now_s();
        c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        pending = sim_evset_size(&set);
        rebuilds = set.rebuilds;
        spawns = set.spawns;
        sim_evset_free(&set);
        free(evs);
    }
    double wall = t1 - t0;
    printf("{\"bench\":\"phold_bare\",\"lps\":%zu,\"start_events\":%zu,\"remote\":%g,\"lookahead\":%g,"
           "\"mean\":%g,\"end\":%g,\"seed\":%llu,\"queue\":\"%s\",\"events\":%llu,\"wall_s\":%.6f,"
           "\"events_per_s\":%.0f,\"pending\":%zu,\"cpu_s\":%.6f,\"rebuilds\":%llu,\"spawns\":%llu}\n",
           n, e, remote, lookahead, mean, end, (unsigned long long)seed, use_heap ? "heap" : "ladder",
           (unsigned long long)events, wall, wall > 0 ? (double)events / wall : 0.0, pending, c1 - c0, rebuilds, spawns);
    for (size_t i = 0; i < n; i++) gsl_rng_free(lps[i].rng);
    free(lps);
    return 0;
}
