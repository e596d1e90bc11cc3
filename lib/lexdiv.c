/*
 * lexdiv.c - lexical diversity: TTR, MATTR, MTLD, HD-D, Yule's K.
 *
 * Sources: Covington, M. A. and McFall, J. D. (2010) "Cutting the Gordian
 * knot: the moving-average type-token ratio", J. Quantitative Linguistics
 * 17(2); McCarthy, P. M. and Jarvis, S. (2010) "MTLD, vocd-D, and HD-D",
 * Behavior Research Methods 42(2); McCarthy and Jarvis (2007) "vocd: a
 * theoretical and empirical evaluation", Language Testing 24(4); Yule, G. U.
 * (1944) The Statistical Study of Literary Vocabulary.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "lexdiv.h"

/* Map arbitrary uint32 ids to 0..k-1 in first-seen order, so that the
 * sequential measures can count with plain arrays.  *dense is caller-owned
 * (nri_free).  NR_OK or NR_ENOMEM. */
static int densify(const uint32_t *ids, size_t n, uint32_t **dense, size_t *k)
{
	size_t size = 64, mask;
	uint32_t *key, *val, *out;
	uint8_t *used;
	size_t next = 0;

	while (size < n * 2)
		size <<= 1;
	mask = size - 1;
	key = nri_malloc(size * sizeof(*key));
	val = nri_malloc(size * sizeof(*val));
	used = nri_calloc(size, 1);
	out = nri_malloc((n ? n : 1) * sizeof(*out));
	if (!key || !val || !used || !out) {
		nri_free(key);
		nri_free(val);
		nri_free(used);
		nri_free(out);
		return NR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t s = (ids[i] * 2654435761u) & mask;

		while (used[s] && key[s] != ids[i])
			s = (s + 1) & mask;
		if (!used[s]) {
			used[s] = 1;
			key[s] = ids[i];
			val[s] = (uint32_t)next++;
		}
		out[i] = val[s];
	}
	nri_free(key);
	nri_free(val);
	nri_free(used);
	*dense = out;
	*k = next;
	return NR_OK;
}

double nri_ttr(uint64_t tokens, uint64_t types)
{
	return tokens ? (double)types / (double)tokens : NAN;
}

double nri_mattr(const uint32_t *ids, size_t n, size_t window, int *err)
{
	uint32_t *d, *cnt;
	size_t k, distinct = 0;
	double sum = 0;

	*err = NR_OK;
	if (n == 0 || window == 0)
		return NAN;
	if (n <= window)
		window = n;
	if (densify(ids, n, &d, &k) != NR_OK) {
		*err = NR_ENOMEM;
		return NAN;
	}
	cnt = nri_calloc(k, sizeof(*cnt));
	if (!cnt) {
		nri_free(d);
		*err = NR_ENOMEM;
		return NAN;
	}
	for (size_t i = 0; i < n; i++) {
		if (cnt[d[i]]++ == 0)
			distinct++;
		if (i >= window && --cnt[d[i - window]] == 0)
			distinct--;
		if (i + 1 >= window)
			sum += (double)distinct / (double)window;
	}
	nri_free(cnt);
	nri_free(d);
	return sum / (double)(n - window + 1);
}

/* One MTLD pass over dense ids: count factors, segments ending where the
 * running TTR falls to the threshold or below, plus a partial factor for
 * the rest, (1 - ttr) / (1 - threshold).  Returns n / factors, or NAN.
 * A segment's type set is cleared by bumping an epoch: a type whose stamp
 * is not the current epoch is absent from the segment. */
static double mtld_pass(const uint32_t *d, size_t n, size_t k, int forward, double threshold,
			uint32_t *stamp)
{
	double factors = 0;
	size_t seg_tokens = 0, seg_types = 0;
	uint32_t epoch = 1;

	memset(stamp, 0, k * sizeof(*stamp));
	for (size_t j = 0; j < n; j++) {
		uint32_t t = d[forward ? j : n - 1 - j];

		if (stamp[t] != epoch) {
			stamp[t] = epoch;
			seg_types++;
		}
		seg_tokens++;
		if ((double)seg_types / (double)seg_tokens <= threshold) {
			factors += 1;
			seg_tokens = seg_types = 0;
			epoch++; /* n < 2^32 segments: no wrap */
		}
	}
	if (seg_tokens > 0)
		factors += (1 - (double)seg_types / (double)seg_tokens) / (1 - threshold);
	return factors > 0 ? (double)n / factors : NAN;
}

double nri_mtld(const uint32_t *ids, size_t n, double threshold, int *err)
{
	uint32_t *d, *stamp;
	size_t k;
	double f, b;

	*err = NR_OK;
	if (n == 0 || n >= UINT32_MAX)
		return NAN;
	if (densify(ids, n, &d, &k) != NR_OK) {
		*err = NR_ENOMEM;
		return NAN;
	}
	stamp = nri_malloc(k * sizeof(*stamp));
	if (!stamp) {
		nri_free(d);
		*err = NR_ENOMEM;
		return NAN;
	}
	f = mtld_pass(d, n, k, 1, threshold, stamp);
	b = mtld_pass(d, n, k, 0, threshold, stamp);
	nri_free(stamp);
	nri_free(d);
	if (isnan(f) || isnan(b))
		return NAN;
	return (f + b) / 2;
}

double nri_hdd(const uint64_t *freqs, size_t ntypes, unsigned sample)
{
	uint64_t n = 0;
	double sum = 0;

	for (size_t t = 0; t < ntypes; t++)
		n += freqs[t];
	if (sample == 0 || n < sample)
		return NAN;
	for (size_t t = 0; t < ntypes; t++) {
		uint64_t f = freqs[t];
		double p0 = 1; /* P(type absent from the sample) */

		if (f == 0)
			continue;
		if (n - f < sample) {
			p0 = 0;
		} else {
			/* C(n-f, s) / C(n, s) = prod_{i<s} (n-f-i)/(n-i) */
			for (unsigned i = 0; i < sample && p0 > 0; i++)
				p0 *= (double)(n - f - i) / (double)(n - i);
		}
		sum += 1 - p0;
	}
	return sum / sample;
}

double nri_yules_k(const uint64_t *freqs, size_t ntypes)
{
	double n = 0, s2 = 0;

	for (size_t t = 0; t < ntypes; t++) {
		double f = (double)freqs[t];

		n += f;
		s2 += f * f; /* sum_i i^2 V_i == sum over types of f^2 */
	}
	if (n == 0)
		return NAN;
	return 1e4 * (s2 - n) / (n * n);
}
