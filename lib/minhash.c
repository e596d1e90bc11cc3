/*
 * minhash.c - units, shingles, MinHash signatures, LSH banding and
 * Jaccard similarity (docs/homogeneity.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "minhash.h"
#include "prng.h"
#include "strmap.h"

void nri_units_init(struct nri_units *u)
{
	memset(u, 0, sizeof(*u));
}

void nri_units_release(struct nri_units *u)
{
	nri_free(u->v);
	memset(u, 0, sizeof(*u));
}

static int units_room(struct nri_units *u, size_t need)
{
	size_t ncap;
	struct nri_unit *nv;

	if (need <= u->cap)
		return NR_OK;
	ncap = u->cap ? u->cap : 64;
	while (ncap < need)
		ncap *= 2;
	nv = nri_realloc(u->v, ncap * sizeof(*nv));
	if (!nv)
		return NR_ENOMEM;
	u->v = nv;
	u->cap = ncap;
	return NR_OK;
}

static int unit_token(const struct nr_token *t)
{
	return t->type == NR_TOKEN_WORD || t->type == NR_TOKEN_NUMBER ||
	       t->type == NR_TOKEN_HASHTAG;
}

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t u8len(unsigned char c)
{
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Why a count decides the mode: a mostly Chinese post with a few English
 * words ("5G", "Expo") shingles like Chinese, a mostly English post with a
 * quoted 千年古城 like English; a per-document choice keeps both usable
 * in a mixed corpus (docs/homogeneity.md). */
int nri_units_build(struct nri_units *u, const struct nr_token *toks, size_t ntoks,
		    const unsigned char *in_city)
{
	size_t nchars = 0, nwords = 0, need = 0;

	u->n = 0;
	for (size_t i = 0; i < ntoks; i++) {
		const struct nr_token *t = &toks[i];

		if (!unit_token(t) || (in_city && in_city[i]))
			continue;
		if (t->cjk) {
			for (size_t p = 0; p < t->norm_len; p += u8len((unsigned char)t->norm[p]))
				nchars++;
		} else {
			nwords++;
		}
	}
	u->chars = nchars > nwords;
	need = (u->chars ? nchars : 0) + ntoks + 1;
	if (units_room(u, need))
		return NR_ENOMEM;
	for (size_t i = 0; i < ntoks; i++) {
		const struct nr_token *t = &toks[i];
		struct nri_unit *x;

		if (in_city && in_city[i]) {
			if (u->n && u->v[u->n - 1].city && i && in_city[i - 1])
				continue; /* the same run of city tokens */
			x = &u->v[u->n++];
			x->h = NRI_CITY_UNIT_HASH;
			x->s = NRI_CITY_PLACEHOLDER;
			x->len = (uint32_t)strlen(NRI_CITY_PLACEHOLDER);
			x->stop = 0;
			x->cjk = 0;
			x->city = 1;
			continue;
		}
		if (!unit_token(t))
			continue;
		if (u->chars && t->cjk) {
			for (size_t p = 0; p < t->norm_len;) {
				size_t l = u8len((unsigned char)t->norm[p]);

				if (p + l > t->norm_len)
					l = t->norm_len - p;
				x = &u->v[u->n++];
				x->h = nri_hash(t->norm + p, l);
				x->s = t->norm + p;
				x->len = (uint32_t)l;
				x->stop = 0;
				x->cjk = 1;
				x->city = 0;
				p += l;
			}
			continue;
		}
		x = &u->v[u->n++];
		x->h = nri_hash(t->norm, t->norm_len);
		x->s = t->norm;
		x->len = (uint32_t)t->norm_len;
		x->stop = t->stop;
		x->cjk = 0;
		x->city = 0;
	}
	return NR_OK;
}

/* A 64-bit finaliser (Stafford's mix13, the one in splitmix64). */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

/* Sort and drop repeats; returns the new length.  Small sets (posts) by
 * insertion sort, larger ones by qsort. */
static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t m = 0;

	if (n < 2)
		return n;
	if (n <= 48) {
		for (size_t i = 1; i < n; i++) {
			uint32_t x = v[i];
			size_t j = i;

			while (j && v[j - 1] > x) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
	} else {
		qsort(v, n, sizeof(*v), cmp_u32);
	}
	for (size_t i = 0; i < n; i++)
		if (!m || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

size_t nri_shingles(const struct nri_unit *u, size_t n, unsigned k, uint32_t *out)
{
	size_t m = 0;

	if (!n)
		return 0;
	if (k < 1)
		k = 1;
	if (n < k)
		k = (unsigned)n;
	for (size_t i = 0; i + k <= n; i++) {
		uint64_t h = 0x51ed270b27a3f1c9ULL ^ k;

		for (unsigned j = 0; j < k; j++)
			h = mix64(h ^ u[i + j].h);
		out[m++] = (uint32_t)(h >> 32);
	}
	return sort_unique(out, m);
}

int nri_minhash_init(struct nri_minhash *m, unsigned nperm, unsigned bands, unsigned rows,
		     uint64_t seed)
{
	struct nri_prng r;

	memset(m, 0, sizeof(*m));
	if (!nperm || !bands || !rows || (uint64_t)bands * rows > nperm)
		return NR_EINVAL;
	m->a = nri_malloc(nperm * sizeof(*m->a));
	m->b = nri_malloc(nperm * sizeof(*m->b));
	if (!m->a || !m->b) {
		nri_minhash_release(m);
		return NR_ENOMEM;
	}
	nri_prng_seed(&r, seed);
	for (unsigned j = 0; j < nperm; j++) {
		m->a[j] = nri_prng_next(&r) | 1;
		m->b[j] = nri_prng_next(&r);
	}
	m->nperm = nperm;
	m->bands = bands;
	m->rows = rows;
	return NR_OK;
}

void nri_minhash_release(struct nri_minhash *m)
{
	nri_free(m->a);
	nri_free(m->b);
	memset(m, 0, sizeof(*m));
}

/* The shingle hash x is already uniform; what the family adds is nperm
 * independent-enough orders.  Multiply-add-shift (Dietzfelbinger 1996,
 * "Universal hashing and k-wise independent random variables via integer
 * arithmetic without primes") needs one 64-bit multiply per value and
 * function, and the inner loop over functions vectorises. */
void nri_minhash_sign(const struct nri_minhash *m, const uint32_t *set, size_t n, uint32_t *sig)
{
	unsigned np = m->nperm;

	for (unsigned j = 0; j < np; j++)
		sig[j] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = set[i];

		for (unsigned j = 0; j < np; j++) {
			uint32_t h = (uint32_t)((m->a[j] * x + m->b[j]) >> 32);

			sig[j] = h < sig[j] ? h : sig[j];
		}
	}
}

void nri_minhash_band_keys(const struct nri_minhash *m, const uint32_t *sig, uint32_t *keys)
{
	for (unsigned b = 0; b < m->bands; b++) {
		uint64_t h = 0x2545f4914f6cdd1dULL + b;

		for (unsigned r = 0; r < m->rows; r++)
			h = mix64(h ^ sig[b * m->rows + r]);
		keys[b] = (uint32_t)(h >> 32);
	}
}

double nri_lsh_prob(double s, unsigned bands, unsigned rows)
{
	return 1 - pow(1 - pow(s, (double)rows), (double)bands);
}

/* Midpoint rule; the integrands are smooth and monotone, 400 steps give
 * the areas to better than 1e-5, plenty to rank (b, r) pairs. */
static double area(double lo, double hi, unsigned b, unsigned r, int fn)
{
	const int steps = 400;
	double h = (hi - lo) / steps, sum = 0;

	for (int i = 0; i < steps; i++) {
		double p = nri_lsh_prob(lo + (i + 0.5) * h, b, r);

		sum += fn ? 1 - p : p;
	}
	return sum * h;
}

void nri_lsh_params(double t, unsigned nperm, double w_fp, double w_fn, unsigned *bands,
		    unsigned *rows)
{
	double best = INFINITY;

	*bands = 1;
	*rows = nperm ? nperm : 1;
	for (unsigned b = 1; b <= nperm; b++)
		for (unsigned r = 1; r <= nperm / b; r++) {
			double e = w_fp * area(0, t, b, r, 0) + w_fn * area(t, 1, b, r, 1);

			if (e < best) {
				best = e;
				*bands = b;
				*rows = r;
			}
		}
}

double nri_jaccard(const uint32_t *a, size_t na, size_t fa, const uint32_t *b, size_t nb, size_t fb)
{
	size_t i = 0, j = 0, both = 0, seen = 0, k;
	double bound, est;

	if (!na || !nb)
		return 0;
	if (na == fa && nb == fb) {
		while (i < na && j < nb) {
			if (a[i] == b[j]) {
				both++;
				i++;
				j++;
			} else if (a[i] < b[j]) {
				i++;
			} else {
				j++;
			}
		}
		return (double)both / (double)(na + nb - both);
	}
	/* J <= min(|A|, |B|) / max(|A|, |B|): without this bound a short
	 * post inside a long article would look like a copy of it */
	bound = fa < fb ? (double)fa / (double)fb : (double)fb / (double)fa;
	k = na < nb ? na : nb;
	while (seen < k && i < na && j < nb) {
		if (a[i] == b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
		seen++;
	}
	est = (double)both / (double)k;
	return est < bound ? est : bound;
}
