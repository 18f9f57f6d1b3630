/* bench/che_validation.c - the cache part of docs/validation.md: LRU's hit
 * ratio against Che's approximation and FIFO's against the FIFO
 * approximation, Zipf popularity over N = 100,000 unit-size objects,
 * alpha in {0.6, 0.8, 1.0, 1.2}, caches of 100, 1,000 and 10,000 objects.
 * Prints a markdown table.
 *
 *   che_validation [WARMUP MEASURED SEED]    (defaults 1000000 5000000 1)
 *   che_validation theory ALPHA CACHE        prints the LRU and FIFO theory only
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/che.h"

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc == 4 && !strcmp(argv[1], "theory")) {
        double tl, tf, alpha = strtod(argv[2], NULL), c = strtod(argv[3], NULL);
        if (cache_che_zipf(CACHE_CHE_LRU, 100000, alpha, c, NULL, &tl) ||
            cache_che_zipf(CACHE_CHE_FIFO, 100000, alpha, c, NULL, &tf))
            return 1;
        printf("%.4f %.4f\n", tl, tf);
        return 0;
    }
    uint64_t warm = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    uint64_t meas = argc > 2 ? strtoull(argv[2], NULL, 10) : 5000000;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    static const double alphas[] = { 0.6, 0.8, 1.0, 1.2 };
    static const size_t caps[] = { 100, 1000, 10000 };
    const size_t n = 100000;
    printf("| alpha | cache | LRU simulated | Che | difference | FIFO simulated | FIFO approx. | difference | "
           "LRU T: measured / Che | FIFO T: measured / approx. |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    double worst = 0, worst_t = 0;
    for (int a = 0; a < 4; a++)
        for (int k = 0; k < 3; k++) {
            double hl, hf, tl, tf, ml, mf, Tl, Tf;
            if (cache_che_simulate_zipf("lru", n, alphas[a], caps[k], warm, meas, seed, &hl, &ml) ||
                cache_che_simulate_zipf("fifo", n, alphas[a], caps[k], warm, meas, seed, &hf, &mf) ||
                cache_che_zipf(CACHE_CHE_LRU, n, alphas[a], (double)caps[k], &Tl, &tl) ||
                cache_che_zipf(CACHE_CHE_FIFO, n, alphas[a], (double)caps[k], &Tf, &tf)) {
                fprintf(stderr, "che_validation: failed\n");
                return 1;
            }
            double dl = hl - tl, df = hf - tf;
            if (fabs(dl) > worst) worst = fabs(dl);
            if (fabs(df) > worst) worst = fabs(df);
            printf("| %.1f | %zu | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f | %.0f / %.0f | %.0f / %.0f |\n", alphas[a],
                   caps[k], hl, tl, dl, hf, tf, df, ml, Tl, mf, Tf);
            double rl = fabs(ml / Tl - 1), rf = fabs(mf / Tf - 1);
            if (rl > worst_t) worst_t = rl;
            if (rf > worst_t) worst_t = rf;
        }
    printf("\nLargest absolute difference of hit ratios: %.4f; largest relative difference of T: %.2f%%\n", worst,
           100 * worst_t);
    return 0;
}
