/* bench/quantile_cost.c - what one object size costs a client: the time of
 * sim_dist_quantile at the uniform numbers client_object_size derives from
 * object ids 1..N (models/client.c), for a gamma of each shape given and for
 * a lognormal. Used by bench/40-object-sizes.sh.
 *
 *   quantile_cost N SHAPE...
 *
 * Prints one line per distribution: "NAME NS" (nanoseconds per quantile,
 * the best of 3 passes over the N ids). The sum of the quantiles is folded
 * into the exit path so the compiler cannot drop the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "models/client.h"
#include "sim/dist.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The best of 3 passes, in ns per size. *sink accumulates the sizes. */
static double cost(const sim_dist *d, uint64_t n, double *sink)
{
    double best = -1;
    for (int pass = 0; pass < 3; pass++) {
        double t0 = now_s();
        for (uint64_t o = 1; o <= n; o++) *sink += (double)client_object_size(d, o);
        double ns = (now_s() - t0) / (double)n * 1e9;
        if (best < 0 || ns < best) best = ns;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: quantile_cost N [SHAPE...]\n");
        return 2;
    }
    uint64_t n = strtoull(argv[1], NULL, 10);
    if (n == 0) return 2;
    double sink = 0;
    sim_dist d;
    /* mean 500 KB, as the demo's lognormal */
    if (sim_dist_lognormal_mean_p99(&d, 500e3, 4e6) != 0) return 1;
    printf("lognormal %.0f\n", cost(&d, n, &sink));
    sim_dist_free(&d);
    for (int i = 2; i < argc; i++) {
        double k = strtod(argv[i], NULL);
        if (!(k > 0) || sim_dist_gamma(&d, k, 500e3 / k) != 0) return 2;
        printf("gamma(%s) %.0f\n", argv[i], cost(&d, n, &sink));
        sim_dist_free(&d);
    }
    return sink < 0; /* never: sizes are positive */
}
