/* chunkio/bench.h - a closed-loop workload against a chunk store.
 *
 * `concurrency` workers each run one operation at a time, back to back
 * (closed loop: a new operation starts when the previous one returns), until
 * `ops` operations have been issued in total. Each operation is a read of a
 * whole chunk (with probability read_frac) or a durable write of one, on a
 * key drawn uniformly from a working set of `keys` chunks written before the
 * measured phase. Latency is measured per operation with CLOCK_MONOTONIC.
 * With `warmup` W, operations are numbered in the order they are issued and
 * the first W are run but not measured: the measured phase begins when
 * operation W starts (its elapsed time and every end time count from
 * there), and it holds `ops` operations.
 */
#ifndef CHUNKIO_BENCH_H
#define CHUNKIO_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "chunkio/chunkio.h"

typedef enum { CHUNKIO_ENGINE_THREADS = 0, CHUNKIO_ENGINE_URING = 1 } chunkio_engine;

typedef struct chunkio_bench_opts {
    size_t chunk;          /* bytes per chunk, 1..CHUNKIO_MAX_CHUNK */
    uint64_t ops;          /* measured operations, >= 1 */
    uint64_t warmup;       /* operations run first and not measured (threads engine only): the
                              workers' start-up, all `concurrency` at once, is not steady state */
    unsigned concurrency;  /* operations in flight, >= 1 */
    double read_frac;      /* in [0, 1] */
    unsigned keys;         /* working-set size (0: 64) */
    chunkio_engine engine;
    int keep;              /* leave the chunks in the store */
    uint64_t seed;
    FILE *progress;        /* a progress line every second, or NULL */
} chunkio_bench_opts;

typedef struct chunkio_bench_result {
    uint64_t nread, nwrite, errors;
    double elapsed_s;      /* of the measured phase */
    int64_t *read_ns;      /* nread latencies in completion order (owned) */
    int64_t *write_ns;     /* nwrite latencies (owned) */
    int64_t *read_end_ns;  /* when each of those reads ended, ns after the measured phase began (owned) */
    int64_t *write_end_ns; /* the same for the writes (owned) */
    int64_t *write_step_ns; /* nwrite x CHUNKIO_NSTEPS: each write's time in each step of a durable
                               write, row i for write i (owned; all 0 when has_steps is 0) */
    int has_steps;         /* the engine measured the steps (threads: yes; io_uring: no) */
    char err[1024];        /* the first error seen */
} chunkio_bench_result;

/* Runs the workload on an open store. Returns 0 when every operation
 * succeeded; SIM_EINVAL (options), SIM_ENOTSUP (io_uring not permitted here,
 * or O_DIRECT unsupported), or the first operation's error code, with
 * res->err saying what happened. res must be released with
 * chunkio_bench_result_free whatever the return value. */
int chunkio_bench_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res);
void chunkio_bench_result_free(chunkio_bench_result *res);

/* Sorts n nanosecond values (latencies, end times) in place, ascending. */
void chunkio_sort_ns(int64_t *v, size_t n);

/* The q-quantile (q in [0, 1]) of n latencies, sorting them in place
 * (GSL's interpolated quantile of sorted data). 0 when n == 0. */
double chunkio_quantile_sorted(int64_t *v, uint64_t n, double q);

/* Key of working-set chunk i for a run tagged `tag`, into buf; returns its length. */
size_t chunkio_bench_key(char *buf, size_t len, uint64_t tag, unsigned i);

/* Parses a byte count like "4096", "64KiB", "1MiB", "64k", "1M" (binary
 * multiples for K/M/G with or without "iB"; "KB"/"MB" are decimal). Returns
 * 0 or SIM_EPARSE. */
int chunkio_parse_size(const char *s, uint64_t *out);

#endif
