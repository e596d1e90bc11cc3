/*
 * prng.h - a small seeded pseudo-random generator (xoshiro256**, seeded by
 * splitmix64) so that Monte Carlo runs repeat bit for bit on every platform;
 * rand() is neither portable nor good enough.
 */
#ifndef NR_PRNG_H
#define NR_PRNG_H

#include <stdint.h>

struct nri_prng {
	uint64_t s[4];
};

/* Seed the state from one 64-bit seed through splitmix64 (Vigna). */
void nri_prng_seed(struct nri_prng *r, uint64_t seed);
/* Next 64 random bits (xoshiro256**, Blackman & Vigna 2018). */
uint64_t nri_prng_next(struct nri_prng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double nri_prng_uniform(struct nri_prng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire). */
uint64_t nri_prng_below(struct nri_prng *r, uint64_t n);
/* Standard normal deviate (Marsaglia's polar method). */
double nri_prng_normal(struct nri_prng *r);
/* Gamma(shape, 1) deviate, shape > 0 (Marsaglia & Tsang 2000). */
double nri_prng_gamma(struct nri_prng *r, double shape);

#endif
