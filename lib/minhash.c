/*
 * minhash.c - units, shingles, MinHash signatures, LSH banding and
 * Jaccard similarity (docs/homogeneity.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
		x->h = t->hash; /* nri_hash(t->norm, t->norm_len) */
		x->s = t->norm;
		x->len = (uint32_t)t->norm_len;
		x->stop = t->stop;
		x->cjk = 0;
		x->city = 0;
	}
	return NR_OK;
}

/* A 64-bit finaliser (Stafford's mix13, the one in splitmix64). */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- shingles --------------------------------------------------------- */

/* The hash of the k units u[i..i+k) is a polynomial in an odd constant P,
 * H_i = sum over j < k of h(u[i + j]) P^(k-1-j) mod 2^64, finalised by
 * mix64 with k mixed in.  Rolled from one window to the next as in Karp &
 * Rabin (1987), H_{i+1} = (H_i - h(u[i]) P^(k-1)) P + h(u[i+k]): two
 * multiplies and one finalisation per shingle, whatever k, where hashing
 * each window afresh costs k finalisations.  The unit hashes are already
 * uniform 64-bit values, so the sum is as good a key as a chained mix. */
#define ROLL_P 0x9e3779b97f4a7c15ULL

struct roll {
	uint64_t h, pk, salt;
	unsigned k;
};

/* Start at the first window; returns how many shingles u[0..n) has. */
static size_t roll_start(struct roll *r, const struct nri_unit *u, size_t n, unsigned k)
{
	if (!n)
		return 0;
	if (k < 1)
		k = 1;
	if (n < k)
		k = (unsigned)n;
	r->k = k;
	r->h = 0;
	r->pk = 1;
	for (unsigned j = 0; j < k; j++) {
		r->h = r->h * ROLL_P + u[j].h;
		if (j)
			r->pk *= ROLL_P;
	}
	r->salt = 0x51ed270b27a3f1c9ULL ^ k;
	return n - k + 1;
}

static inline uint64_t roll_hash(const struct roll *r)
{
	return mix64(r->h ^ r->salt);
}

/* From window i to window i + 1 (u[i + k] must exist). */
static inline void roll_next(struct roll *r, const struct nri_unit *u, size_t i)
{
	r->h = (r->h - u[i].h * r->pk) * ROLL_P + u[i + r->k].h;
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
	struct roll r;
	size_t ns = roll_start(&r, u, n, k);

	for (size_t i = 0; i < ns; i++) {
		out[i] = (uint32_t)(roll_hash(&r) >> 32);
		if (i + 1 < ns)
			roll_next(&r, u, i);
	}
	return sort_unique(out, ns);
}

double nri_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, both = 0;

	if (!na || !nb)
		return 0;
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

/* ---- one-permutation MinHash ------------------------------------------ */

#define PROBE_STEP 4 /* probes the densification walk reads at once (a0..a3) */

int nri_minhash_init(struct nri_minhash *m, unsigned nperm, unsigned bands, unsigned rows,
		     uint64_t seed)
{
	struct nri_prng r;
	unsigned stride = (nperm + 7) & ~7u;

	memset(m, 0, sizeof(*m));
	if (!nperm || nperm > NRI_MINHASH_MAX_PERM || !bands || !rows ||
	    (uint64_t)bands * rows > nperm)
		return NR_EINVAL;
	/* PROBE_STEP - 1 entries of padding: the densification walk reads
	 * probes in steps and may look past the last row's end */
	m->probe = nri_calloc((size_t)nperm * nperm + PROBE_STEP - 1, sizeof(*m->probe));
	m->rankt = nri_malloc((size_t)nperm * stride * sizeof(*m->rankt));
	if (!m->probe || !m->rankt) {
		nri_minhash_release(m);
		return NR_ENOMEM;
	}
	/* an independent uniform permutation of the bins for each bin
	 * (Fisher-Yates), and its inverse, transposed */
	nri_prng_seed(&r, seed);
	for (size_t c = 0; c < (size_t)nperm * stride; c++)
		m->rankt[c] = 0x7fff;
	for (unsigned i = 0; i < nperm; i++) {
		uint16_t *p = m->probe + (size_t)i * nperm;

		for (unsigned j = 0; j < nperm; j++)
			p[j] = (uint16_t)j;
		for (unsigned j = nperm - 1; j > 0; j--) {
			unsigned x = (unsigned)nri_prng_below(&r, (uint64_t)j + 1);
			uint16_t t = p[j];

			p[j] = p[x];
			p[x] = t;
		}
		for (unsigned j = 0; j < nperm; j++)
			m->rankt[(size_t)p[j] * stride + i] = (uint16_t)j;
	}
	m->nperm = nperm;
	m->stride = stride;
	m->bands = bands;
	m->rows = rows;
	return NR_OK;
}

void nri_minhash_release(struct nri_minhash *m)
{
	nri_free(m->probe);
	nri_free(m->rankt);
	memset(m, 0, sizeof(*m));
}

/* best[i] = min(best[i], row[i]) for i < n (n a multiple of 8); values
 * below 0x8000, so SSE2's signed 16-bit minimum serves. */
static void min_rows(uint16_t *best, const uint16_t *row, unsigned n)
{
#ifdef __SSE2__
	for (unsigned i = 0; i < n; i += 8) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(best + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(row + i));

		_mm_storeu_si128((__m128i *)(void *)(best + i), _mm_min_epi16(a, b));
	}
#else
	for (unsigned i = 0; i < n; i++)
		best[i] = row[i] < best[i] ? row[i] : best[i];
#endif
}

#define EMPTY	UINT32_MAX
#define FILLED	0x80u /* a bin filled by densification */
#define VALBITS 0x7fu /* the low bits of the minimum kept */

/* Fill the empty bins of v (at least one bin is not) by walking their
 * probe orders, the way nri_minhash_sign describes.  Without branches on
 * the bins themselves: in a post about half the bins are empty, so
 * "is this bin empty?" and "does the walk stop here?" were coin tosses,
 * and their mispredictions cost more than the hashing.  The empty bins
 * are listed first; each walk then reads PROBE_STEP probes at once and
 * takes the first that holds a value. */
static void densify_walk(const struct nri_minhash *m, const uint32_t *v, uint8_t *sig)
{
	uint16_t empty[NRI_MINHASH_MAX_PERM];
	unsigned np = m->nperm, ne = 0;

	for (unsigned i = 0; i < np; i++) {
		sig[i] = (uint8_t)(v[i] & VALBITS);
		empty[ne] = (uint16_t)i;
		ne += v[i] == EMPTY;
	}
	/* a row is 2 * np bytes and a post's empty bins touch rows all over
	 * the table: fetch a few walks ahead */
	for (unsigned q = 0; q < ne && q < 4; q++)
		__builtin_prefetch(m->probe + (size_t)empty[q] * np);
	for (unsigned q = 0; q < ne; q++) {
		const uint16_t *probe = m->probe + (size_t)empty[q] * np;
		uint32_t x;

		if (q + 4 < ne)
			__builtin_prefetch(m->probe + (size_t)empty[q + 4] * np);

		for (;; probe += PROBE_STEP) {
			uint32_t a0 = v[probe[0]], a1 = v[probe[1]], a2 = v[probe[2]],
				 a3 = v[probe[3]];

			if ((a0 & a1 & a2 & a3) != EMPTY) {
				x = a0 != EMPTY ? a0 : a1 != EMPTY ? a1 : a2 != EMPTY ? a2 : a3;
				break;
			}
		}
		sig[empty[q]] = (uint8_t)(FILLED | (x & VALBITS));
	}
}

/* One permutation hashing (Li, Owen & Zhang, "One permutation hashing",
 * NIPS 2012): a shingle's 64-bit hash x goes to bin floor(hi32(x) nperm /
 * 2^32) and competes there with lo32(x), so signing costs one hash per
 * shingle instead of one per shingle and permutation (k-permutation
 * MinHash: 128 multiplies per shingle).  A short post leaves bins empty;
 * LSH needs every bin, so an empty bin i takes the value of the first
 * non-empty bin in probe[i] (optimal densification, Shrivastava,
 * "Optimal densification for fast and accurate minwise hashing", ICML
 * 2017): the probes depend on i only, so two documents fill bin i from
 * the same bin whenever it is the first in probe[i] that either has, and
 * P[bins agree] stays J(A, B) with the bins filled independently of one
 * another.  Finding that bin: walking probe[i] takes about nperm / (f + 1)
 * steps with f bins non-empty, but each empty bin's walk starts in a
 * row of its own and stops at an unpredictable step; unless nearly every
 * bin holds a value (a long article), taking for every bin i at once the
 * smallest rank of i's order over the f non-empty bins (f element-wise
 * minima of rows of rankt, 8 bins a step) is cheaper: about half the time
 * of signing a post went to the walk.  The result is the same.  A bin
 * keeps the low 7 bits of its minimum, uniform whatever the bin's size
 * (b-bit minwise hashing, Li & Konig, "b-Bit minwise hashing", WWW 2010),
 * and a flag when it was filled. */
size_t nri_minhash_sign(const struct nri_minhash *m, const struct nri_unit *u, size_t n, unsigned k,
			uint8_t *sig, uint16_t *fp, size_t fpmax)
{
	uint32_t v[NRI_MINHASH_MAX_PERM];
	uint16_t full[NRI_MINHASH_MAX_PERM]; /* the non-empty bins */
	unsigned np = m->nperm, f = 0;
	struct roll r;
	size_t ns = roll_start(&r, u, n, k), nfp;

	if (fpmax > NRI_MINHASH_MAX_FP)
		fpmax = NRI_MINHASH_MAX_FP;
	nfp = ns <= fpmax ? ns : 0;
	for (unsigned j = 0; j < np; j++)
		v[j] = EMPTY;
	for (size_t i = 0; i < ns; i++) {
		uint64_t x = roll_hash(&r);
		uint32_t bin = (uint32_t)(((x >> 32) * np) >> 32), val = (uint32_t)x;

		val -= val == EMPTY; /* EMPTY marks an empty bin */
		/* without a branch: whether a bin is new is a coin toss while
		 * a post fills its bins */
		full[f] = (uint16_t)bin;
		f += v[bin] == EMPTY;
		v[bin] = val < v[bin] ? val : v[bin];
		if (nfp)
			fp[i] = (uint16_t)(x >> 40);
		if (i + 1 < ns)
			roll_next(&r, u, i);
	}
	if (!f) { /* no shingle: callers do not sign such documents */
		memset(sig, FILLED, np);
		return 0;
	}
	if (4 * f < 3 * np) {
		/* up to three quarters of the bins hold a value: for every
		 * bin at once, the smallest rank among them, one row of rankt
		 * per non-empty bin */
		uint16_t best[NRI_MINHASH_MAX_PERM];
		size_t rowsz = m->stride * sizeof(*best);

		memcpy(best, m->rankt + (size_t)full[0] * m->stride, rowsz);
		for (unsigned q = 1; q < f; q++)
			min_rows(best, m->rankt + (size_t)full[q] * m->stride, m->stride);
		for (unsigned i = 0; i < np; i++) {
			uint32_t own = v[i], alt = v[m->probe[(size_t)i * np + best[i]]];

			sig[i] = (uint8_t)(own != EMPTY ? own & VALBITS : FILLED | (alt & VALBITS));
		}
		return nfp;
	}
	densify_walk(m, v, sig);
	return nfp;
}

/* Why a small hash table and not sorted lists: a document's
 * fingerprints are kept as they come (sorting each document's list cost
 * more than all the rest of signing), and only candidate pairs are ever
 * compared.  The table takes A's distinct values, then marks B's: |A|,
 * |B| and |A n B| without repeats, so repeated shingles count once. */
double nri_fp_jaccard(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	enum { SLOTS = 2 * NRI_MINHASH_MAX_FP, INA = 0x10000, INB = 0x20000 };
	uint32_t t[SLOTS];
	size_t da = 0, db = 0, both = 0;

	if (!na || !nb)
		return 0;
	if (na > NRI_MINHASH_MAX_FP)
		na = NRI_MINHASH_MAX_FP;
	if (nb > NRI_MINHASH_MAX_FP)
		nb = NRI_MINHASH_MAX_FP;
	memset(t, 0, sizeof(t));
	for (size_t i = 0; i < na; i++) {
		unsigned h = ((uint32_t)a[i] * 0x9e3779b1u) >> 23; /* 9 bits: SLOTS */

		while (t[h] && (t[h] & 0xffff) != a[i])
			h = (h + 1) & (SLOTS - 1);
		if (!t[h]) {
			t[h] = INA | a[i];
			da++;
		}
	}
	for (size_t i = 0; i < nb; i++) {
		unsigned h = ((uint32_t)b[i] * 0x9e3779b1u) >> 23;

		while (t[h] && (t[h] & 0xffff) != b[i])
			h = (h + 1) & (SLOTS - 1);
		if (t[h] & INB)
			continue;
		both += (t[h] & INA) != 0;
		t[h] |= INB | b[i];
		db++;
	}
	return (double)both / (double)(da + db - both);
}

uint32_t nri_minhash_band_hash(const struct nri_minhash *m, const uint8_t *sig, unsigned b)
{
	const uint8_t *p = sig + (size_t)b * m->rows;
	unsigned r = m->rows;
	uint64_t h = 0x2545f4914f6cdd1dULL;

	for (unsigned j = 0; j < r; j += 8) {
		uint64_t w = 0;

		for (unsigned q = 0; q < 8 && j + q < r; q++)
			w |= (uint64_t)p[j + q] << (8 * q);
		h = mix64(h ^ w);
	}
	return (uint32_t)(h >> 32);
}

/* The estimator of Li, Owen & Zhang (2012) for one permutation hashing:
 * J = N_mat / (k - N_emp), bins empty in both left out (a bin empty in
 * one only is a disagreement: the union's minimum there is not in both).
 * Filled bins are the empty ones here.  With 7-bit values two different
 * minima agree with probability c = 1/128; only bins non-empty in both
 * can, so with N_both of them the expected agreements are T + c (N_both -
 * T) for T true ones, and T = (agree - c N_both) / (1 - c) (Li & Konig
 * 2010, with c = 2^-b for a large universe). */
double nri_minhash_similarity(const struct nri_minhash *m, const uint8_t *a, const uint8_t *b)
{
	const double c = 1.0 / 128;
	unsigned used = 0, both = 0, agree = 0;
	double t;

	for (unsigned j = 0; j < m->nperm; j++) {
		unsigned x = a[j], y = b[j];

		if (x & y & FILLED)
			continue;
		used++;
		if (!((x | y) & FILLED)) {
			both++;
			agree += x == y;
		}
	}
	if (!used)
		return 0;
	t = ((double)agree - c * (double)both) / (1 - c) / (double)used;
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

double nri_lsh_prob(double s, unsigned bands, unsigned rows)
{
	return 1 - pow(1 - pow(s, (double)rows), (double)bands);
}

/* Midpoint rule, 400 steps on each side of t: the integrands are smooth
 * and monotone, and the areas come out to better than 1e-5, plenty to
 * rank (b, r) pairs.  For each r, (1 - s^r)^b is carried from b to b + 1
 * by one multiplication per point instead of a pow() per point, pair and
 * side (a million pow() calls at 128 permutations). */
#define AREA_STEPS 400

void nri_lsh_params(double t, unsigned nperm, double w_fp, double w_fn, unsigned *bands,
		    unsigned *rows)
{
	double q[2][AREA_STEPS], pw[2][AREA_STEPS], best = INFINITY;
	double h0 = t / AREA_STEPS, h1 = (1 - t) / AREA_STEPS;

	*bands = 1;
	*rows = nperm ? nperm : 1;
	for (unsigned r = 1; r <= nperm; r++) {
		for (int i = 0; i < AREA_STEPS; i++) {
			q[0][i] = 1 - pow((i + 0.5) * h0, (double)r);
			q[1][i] = 1 - pow(t + (i + 0.5) * h1, (double)r);
			pw[0][i] = pw[1][i] = 1;
		}
		for (unsigned b = 1; b <= nperm / r; b++) {
			double fp = 0, fn = 0, e;

			/* P(s) = 1 - (1 - s^r)^b: FP = area of P below t, FN =
			 * area of 1 - P above t */
			for (int i = 0; i < AREA_STEPS; i++) {
				pw[0][i] *= q[0][i];
				pw[1][i] *= q[1][i];
				fp += 1 - pw[0][i];
				fn += pw[1][i];
			}
			e = w_fp * fp * h0 + w_fn * fn * h1;
			if (e < best) {
				best = e;
				*bands = b;
				*rows = r;
			}
		}
	}
}
