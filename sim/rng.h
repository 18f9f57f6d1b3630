/* sim/rng.h - independent random streams keyed by stable names.
 *
 * Every component draws from its own GSL generator, seeded from the scenario
 * seed and the component's stable name (its id, plus a purpose suffix when one
 * component needs several streams, e.g. "edge-1/arrivals"). Adding, removing
 * or renaming one component therefore leaves every other component's draws
 * unchanged.
 *
 * The generator type is xoshiro256** registered as a gsl_rng_type, so that
 * every GSL sampler (gsl_ran_*) works with it. We use it rather than a built-in
 * GSL type because GSL's generators take a 32-bit seed: with thousands of
 * streams, two would share a seed far too often (birthday bound). xoshiro256**
 * takes 256 bits of state, filled from a 64-bit key by splitmix64 as its
 * authors recommend. See docs/engine.md.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The GSL generator type used for all streams ("xoshiro256**"). */
extern const gsl_rng_type *sim_rng_xoshiro256ss;

/* The 64-bit key of the stream named `name` under scenario seed `seed`:
 * a hash of both, stable across platforms and releases. */
uint64_t sim_rng_key(uint64_t seed, const char *name);

/* Seed of replication `rep` (0-based) derived from a scenario seed; rep 0 is
 * the seed itself, so a single run and replication 0 draw the same numbers. */
uint64_t sim_rng_rep_seed(uint64_t seed, unsigned rep);

/* Allocates a new generator for the stream (seed, name). The caller owns it
 * and frees it with gsl_rng_free(). Returns NULL on out of memory. */
gsl_rng *sim_rng_stream(uint64_t seed, const char *name);

/* Reseeds an existing generator of type sim_rng_xoshiro256ss with a full
 * 64-bit key (gsl_rng_set only passes an unsigned long, which is 64-bit on
 * the platforms we build for, but this states the intent). */
void sim_rng_set_key(gsl_rng *r, uint64_t key);

/* 64-bit mixing function (splitmix64 finalizer): a bijection with good
 * avalanche, used for stream keys and for hashing object ids. */
static inline uint64_t sim_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

#endif
