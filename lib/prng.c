/*
 * prng.c - xoshiro256** seeded by splitmix64, plus the few distributions the
 * scoring Monte Carlo needs.  Only integer arithmetic decides the stream, so
 * a seed gives the same draws on every platform; the double conversions use
 * exact operations (53-bit scaling) or libm's sqrt/log.
 */
#include <math.h>

#include "prng.h"

/* splitmix64: Steele, Lea & Flood (2014); the reference seeding procedure
 * recommended for xoshiro. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

void nri_prng_seed(struct nri_prng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47 (2021); reference code at prng.di.unimi.it. */
uint64_t nri_prng_next(struct nri_prng *r)
{
	uint64_t *s = r->s;
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

double nri_prng_uniform(struct nri_prng *r)
{
	return (double)(nri_prng_next(r) >> 11) * 0x1.0p-53;
}

/* Lemire's nearly divisionless method, "Fast random integer generation in an
 * interval", ACM TOMACS 29 (2019), with the 128-bit product done by hand so
 * that it needs no compiler extension. */
uint64_t nri_prng_below(struct nri_prng *r, uint64_t n)
{
	uint64_t threshold = (0 - n) % n;

	for (;;) {
		uint64_t x = nri_prng_next(r);
		uint64_t xl = x & 0xffffffffu, xh = x >> 32;
		uint64_t nl = n & 0xffffffffu, nh = n >> 32;
		uint64_t ll = xl * nl, lh = xl * nh, hl = xh * nl, hh = xh * nh;
		uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
		uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
		uint64_t lo = (mid << 32) | (ll & 0xffffffffu);

		if (lo >= threshold)
			return hi;
	}
}

/* Marsaglia's polar method; the second deviate is thrown away to keep the
 * state in the struct only. */
double nri_prng_normal(struct nri_prng *r)
{
	for (;;) {
		double u = 2.0 * nri_prng_uniform(r) - 1.0;
		double v = 2.0 * nri_prng_uniform(r) - 1.0;
		double s = u * u + v * v;

		if (s > 0.0 && s < 1.0)
			return u * sqrt(-2.0 * log(s) / s);
	}
}

/* Marsaglia & Tsang, "A simple method for generating gamma variables", ACM
 * TOMS 26 (2000); shape < 1 by the boost Gamma(a) = Gamma(a+1) * U^(1/a). */
double nri_prng_gamma(struct nri_prng *r, double shape)
{
	double d, c, boost = 1.0;

	if (shape < 1.0) {
		double u;

		do
			u = nri_prng_uniform(r);
		while (u <= 0.0);
		boost = pow(u, 1.0 / shape);
		shape += 1.0;
	}
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x, v, u;

		do {
			x = nri_prng_normal(r);
			v = 1.0 + c * x;
		} while (v <= 0.0);
		v = v * v * v;
		u = nri_prng_uniform(r);
		if (u < 1.0 - 0.0331 * x * x * x * x)
			return d * v * boost;
		if (u > 0.0 && log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
			return d * v * boost;
	}
}
