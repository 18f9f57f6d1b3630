/* chunkio/uring.c - the closed-loop workload driven by io_uring. */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>

#include "chunkio/bench.h"
#include "chunkio/internal.h"
#include "sim/errors.h"

int chunkio_uring_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res,
                      uint64_t tag, const uint8_t *payload);

int chunkio_uring_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res,
                      uint64_t tag, const uint8_t *payload)
{
    (void)st; (void)tag; (void)payload;
    struct io_uring ring;
    int e = io_uring_queue_init(o->concurrency * 4 < 8 ? 8 : o->concurrency * 4, &ring, 0);
    if (e < 0) {
        snprintf(res->err, sizeof res->err,
                 "io_uring is not available here (io_uring_setup: %s); use --engine threads", strerror(-e));
        return SIM_ENOTSUP;
    }
    io_uring_queue_exit(&ring);
    snprintf(res->err, sizeof res->err, "the io_uring engine is not implemented yet; use --engine threads");
    return SIM_ENOTSUP;
}
