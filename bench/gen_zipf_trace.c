/* bench/gen_zipf_trace.c - writes a Zipf request trace in libCacheSim's
 * oracleGeneral format (24-byte little-endian records: u32 time, u64 id,
 * u32 size, i64 next access), for the cachesim benchmark and validation.
 *
 *   gen_zipf_trace N ALPHA REQUESTS SEED OUT [RATE]
 *
 * Ids are Zipf ranks 1..N drawn with sim/zipf.h from the stream
 * sim_rng_stream(SEED, "bench/zipf-trace"); every size is 1; request i is at
 * time floor(i / RATE) seconds (RATE requests per second, default 1000);
 * the next-access field is the index of the next request for the same id,
 * or -1, as libCacheSim writes it. Exit 0 ok, 1 failure, 2 bad arguments.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/zipf.h"

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: gen_zipf_trace N ALPHA REQUESTS SEED OUT [RATE]\n");
        return 2;
    }
    gsl_set_error_handler_off();
    uint64_t n = strtoull(argv[1], NULL, 10), reqs = strtoull(argv[3], NULL, 10), seed = strtoull(argv[4], NULL, 10);
    double alpha = strtod(argv[2], NULL), rate = argc > 6 ? strtod(argv[6], NULL) : 1000.0;
    sim_zipf z;
    if (n == 0 || n > UINT32_MAX || reqs == 0 || !(rate > 0) || sim_zipf_init(&z, n, alpha)) {
        fprintf(stderr, "gen_zipf_trace: bad arguments\n");
        return 2;
    }
    gsl_rng *r = sim_rng_stream(seed, "bench/zipf-trace");
    uint32_t *id = malloc(reqs * sizeof *id);
    int64_t *next = malloc(reqs * sizeof *next), *last = malloc((n + 1) * sizeof *last);
    if (!r || !id || !next || !last) {
        fprintf(stderr, "gen_zipf_trace: out of memory\n");
        return 1;
    }
    for (uint64_t i = 0; i < reqs; i++) id[i] = (uint32_t)sim_zipf_sample(&z, r);
    for (uint64_t k = 0; k <= n; k++) last[k] = -1;
    for (uint64_t i = reqs; i-- > 0;) {
        next[i] = last[id[i]];
        last[id[i]] = (int64_t)i;
    }
    FILE *f = fopen(argv[5], "wb");
    if (!f) {
        perror(argv[5]);
        return 1;
    }
    static unsigned char buf[24 * 4096];
    size_t k = 0;
    for (uint64_t i = 0; i < reqs; i++) {
        uint32_t t = (uint32_t)((double)i / rate), size = 1;
        uint64_t oid = id[i];
        unsigned char *p = buf + 24 * k;
        memcpy(p, &t, 4);
        memcpy(p + 4, &oid, 8);
        memcpy(p + 12, &size, 4);
        memcpy(p + 16, &next[i], 8);
        if (++k == 4096 || i + 1 == reqs) {
            if (fwrite(buf, 24, k, f) != k) {
                perror(argv[5]);
                return 1;
            }
            k = 0;
        }
    }
    if (fclose(f)) {
        perror(argv[5]);
        return 1;
    }
    free(id);
    free(next);
    free(last);
    gsl_rng_free(r);
    return 0;
}
