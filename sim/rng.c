/* sim/rng.c - xoshiro256** as a GSL generator, and stream keys.
 *
 * xoshiro256** by David Blackman and Sebastiano Vigna (2018), public domain
 * reference at prng.di.unimi.it. Period 2^256 - 1; passes BigCrush. */
#include "sim/rng.h"

#include <string.h>

typedef struct {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Fills the state from a 64-bit key with splitmix64, as the authors advise;
 * the state can never be all zero because splitmix64 is a bijection of a
 * counter that takes four distinct values. */
static void xoshiro_set(void *vstate, unsigned long int seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++) {
        x += 0x9e3779b97f4a7c15ULL;
        st->s[i] = sim_mix64(x);
    }
}

/* GSL's integer interface: values in [min, max] = [0, 2^32 - 1], the top 32
 * bits (the strongest) of each output. */
static unsigned long int xoshiro_get(void *vstate)
{
    return (unsigned long int)(xoshiro_next(vstate) >> 32);
}

/* Doubles in [0, 1) with 53 random bits. */
static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    &xoshiro_set, &xoshiro_get, &xoshiro_get_double,
};

const gsl_rng_type *sim_rng_xoshiro256ss = &xoshiro_type;

uint64_t sim_rng_key(uint64_t seed, const char *name)
{
    /* FNV-1a over the name, then mixed with the seed. */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return sim_mix64(h ^ sim_mix64(seed + 0x9e3779b97f4a7c15ULL));
}

uint64_t sim_rng_rep_seed(uint64_t seed, unsigned rep)
{
    if (rep == 0) return seed;
    return sim_mix64(seed ^ sim_mix64((uint64_t)rep * 0xd1b54a32d192ed03ULL));
}

void sim_rng_set_key(gsl_rng *r, uint64_t key)
{
    gsl_rng_set(r, (unsigned long int)key);
}

gsl_rng *sim_rng_stream(uint64_t seed, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro256ss);
    if (!r) return NULL;
    sim_rng_set_key(r, sim_rng_key(seed, name));
    return r;
}

_Static_assert(sizeof(unsigned long int) == 8, "cdnsim needs an LP64 platform (64-bit unsigned long) for 64-bit stream keys");
