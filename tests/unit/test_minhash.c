/*
 * test_minhash.c - units, shingles, one-permutation MinHash with
 * densification, LSH parameters and clustering, Jaccard (exact, on
 * fingerprints, estimated from signatures), the store, cliche mining
 * (lib/minhash.c, lib/lsh.c, lib/cliche.c; docs/homogeneity.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"
#include "alloc.h"
#include "cliche.h"
#include "lsh.h"
#include "minhash.h"
#include "prng.h"
#include "strmap.h"

static const struct nr_token *tokenize(struct nr_tokenizer *t, const char *s, const char *lang,
				       size_t *n)
{
	const struct nr_token *toks;

	assert_int_equal(nr_tokenize(t, s, strlen(s), lang, &toks, n), NR_OK);
	return toks;
}

static void test_units_modes(void **state)
{
	struct nr_tokenizer *t;
	struct nri_units u;
	const struct nr_token *toks;
	unsigned char in_city[64];
	size_t n;

	(void)state;
	assert_int_equal(nr_tokenizer_new(&t, NULL), NR_OK);
	nri_units_init(&u);

	/* English: word units, the city run is one placeholder, punctuation
	 * and URLs are not units */
	toks = tokenize(t, "Welcome to New York, a city! https://x.org", "en", &n);
	memset(in_city, 0, sizeof(in_city));
	for (size_t i = 0; i < n; i++)
		if ((toks[i].norm_len == 3 && !memcmp(toks[i].norm, "new", 3)) ||
		    (toks[i].norm_len == 4 && !memcmp(toks[i].norm, "york", 4)))
			in_city[i] = 1;
	assert_int_equal(nri_units_build(&u, toks, n, in_city), NR_OK);
	assert_int_equal(u.chars, 0);
	assert_int_equal(u.n, 5); /* welcome to {city} a city */
	assert_true(u.v[2].city);
	assert_int_equal(u.v[2].h, NRI_CITY_UNIT_HASH);
	assert_memory_equal(u.v[4].s, "city", 4);

	/* Chinese: character units */
	toks = tokenize(t, "欢迎来到千年古城", "zh", &n);
	assert_int_equal(nri_units_build(&u, toks, n, NULL), NR_OK);
	assert_int_equal(u.chars, 1);
	assert_int_equal(u.n, 8);
	assert_memory_equal(u.v[4].s, "千", 3);
	assert_true(u.v[4].cjk);

	/* mostly English with a Chinese word: word units */
	toks = tokenize(t, "the ancient city of 西安 has a long history", NULL, &n);
	assert_int_equal(nri_units_build(&u, toks, n, NULL), NR_OK);
	assert_int_equal(u.chars, 0);

	/* nothing to shingle */
	toks = tokenize(t, "!!! ... ???", "en", &n);
	assert_int_equal(nri_units_build(&u, toks, n, NULL), NR_OK);
	assert_int_equal(u.n, 0);
	nri_units_release(&u);
	nr_tokenizer_free(t);
}

static void make_units(struct nri_unit *u, const uint64_t *h, size_t n)
{
	memset(u, 0, n * sizeof(*u));
	for (size_t i = 0; i < n; i++) {
		u[i].h = h[i];
		u[i].s = "x";
		u[i].len = 1;
	}
}

static void test_shingles(void **state)
{
	struct nri_unit u[10];
	uint64_t h[10] = { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 };
	uint32_t out[11], out2[11];

	(void)state;
	make_units(u, h, 10);
	assert_int_equal(nri_shingles(u, 0, 3, out), 0);     /* empty: no shingle */
	assert_int_equal(nri_shingles(u, 2, 3, out), 1);     /* short: one */
	assert_int_equal(nri_shingles(u, 1, 3, out2), 1);
	assert_int_not_equal(out[0], out2[0]);
	assert_int_equal(nri_shingles(u, 10, 3, out), 5);    /* repeats dropped */
	assert_int_equal(nri_shingles(u, 10, 1, out), 5);
	assert_int_equal(nri_shingles(u, 10, 10, out), 1);
	assert_int_equal(nri_shingles(u, 10, 0, out), 5);    /* k 0 taken as 1 */
	/* sorted, no repeats */
	assert_int_equal(nri_shingles(u, 5, 2, out), 4);
	for (int i = 1; i < 4; i++)
		assert_true(out[i - 1] < out[i]);
}

/* n units with hashes from r, or from the given values */
static struct nri_unit *random_units(struct nri_prng *r, size_t n)
{
	struct nri_unit *u = calloc(n ? n : 1, sizeof(*u));

	for (size_t i = 0; i < n; i++) {
		u[i].h = nri_prng_next(r);
		u[i].s = "x";
		u[i].len = 1;
	}
	return u;
}

static void test_jaccard(void **state)
{
	uint32_t a[] = { 1, 2, 3 }, b[] = { 2, 3, 4 };
	uint16_t fa[] = { 9, 1, 2, 3, 2, 1 }, fb[] = { 4, 3, 2, 2 }, fc[] = { 0, 65535 };

	(void)state;
	assert_true(fabs(nri_jaccard(a, 3, b, 3) - 0.5) < 1e-12);
	assert_true(nri_jaccard(a, 3, a, 3) == 1);
	assert_true(nri_jaccard(a, 0, b, 3) == 0);
	/* fingerprint lists: any order, repeats once: {1,2,3,9} vs {2,3,4} */
	assert_true(fabs(nri_fp_jaccard(fa, 6, fb, 4) - 2.0 / 5) < 1e-12);
	assert_true(fabs(nri_fp_jaccard(fb, 4, fa, 6) - 2.0 / 5) < 1e-12);
	assert_true(nri_fp_jaccard(fa, 6, fa, 6) == 1);
	assert_true(nri_fp_jaccard(fc, 2, fa, 6) == 0); /* 0 and 65535 are values too */
	assert_true(nri_fp_jaccard(fc, 2, fc, 2) == 1);
	assert_true(nri_fp_jaccard(fa, 0, fb, 4) == 0);
}

static void test_lsh_params(void **state)
{
	unsigned b, r;

	(void)state;
	/* the documented defaults (docs/homogeneity.md) */
	nri_lsh_params(0.5, 128, 0.1, 0.9, &b, &r);
	assert_int_equal(b, 32);
	assert_int_equal(r, 4);
	/* equal weights put the S-curve's midpoint near the threshold:
	 * datasketch's (25, 5) for 0.5 and 128 */
	nri_lsh_params(0.5, 128, 0.5, 0.5, &b, &r);
	assert_int_equal(b, 25);
	assert_int_equal(r, 5);
	/* the table in docs/homogeneity.md */
	nri_lsh_params(0.8, 128, 0.1, 0.9, &b, &r);
	assert_int_equal(b, 14);
	assert_int_equal(r, 9);
	nri_lsh_params(0.3, 128, 0.1, 0.9, &b, &r);
	assert_int_equal(b, 32);
	assert_int_equal(r, 2);
	for (double t = 0.1; t < 1; t += 0.1) {
		nri_lsh_params(t, 128, 0.1, 0.9, &b, &r);
		assert_true(b * r <= 128);
		assert_true(nri_lsh_prob(t + 0.1 > 1 ? 1 : t + 0.1, b, r) >
			    nri_lsh_prob(t - 0.1 < 0 ? 0 : t - 0.1, b, r));
	}
	assert_true(nri_lsh_prob(1, 32, 4) == 1);
	assert_true(nri_lsh_prob(0, 32, 4) == 0);
}

/* Every filled bin holds the value of the first non-empty bin of its probe
 * order (optimal densification), whichever way sign found it: a document
 * with up to three quarters of its bins non-empty (the rank way) and one
 * with more (the walk). */
static void check_densified(const struct nri_minhash *m, const uint8_t *sig)
{
	unsigned np = m->nperm, nonempty = 0;

	for (unsigned i = 0; i < np; i++)
		nonempty += !(sig[i] & 0x80);
	assert_true(nonempty > 0);
	for (unsigned i = 0; i < np; i++) {
		const uint16_t *probe = m->probe + (size_t)i * np;
		unsigned t = 0;

		if (!(sig[i] & 0x80))
			continue;
		while (sig[probe[t]] & 0x80)
			t++;
		assert_int_equal(sig[i], 0x80 | sig[probe[t]]);
	}
}

static void test_minhash_estimate(void **state)
{
	struct nri_minhash m;
	struct nri_prng r;
	struct nri_unit *x, *y, *z;
	uint8_t sx[128], sy[128], sz[128];
	uint16_t fp[NRI_MINHASH_MAX_FP];
	double sim;

	(void)state;
	assert_int_equal(nri_minhash_init(&m, 128, 16, 9, 1), NR_EINVAL);
	assert_int_equal(nri_minhash_init(&m, 2048, 16, 4, 1), NR_EINVAL);
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 7), NR_OK);
	/* the probe orders are permutations, rankt their inverse */
	for (unsigned i = 0; i < 128; i++)
		for (unsigned j = 0; j < 128; j++)
			assert_int_equal(m.rankt[m.probe[i * 128 + j] * m.stride + i], j);
	/* 1-shingles of 3000 units: x = units 0..1999, y = 1000..2999,
	 * J = 1000 / 3000 */
	nri_prng_seed(&r, 11);
	x = random_units(&r, 3000);
	nri_minhash_sign(&m, x, 2000, 1, sx, fp, 0);
	nri_minhash_sign(&m, x + 1000, 2000, 1, sy, fp, 0);
	sim = nri_minhash_similarity(&m, sx, sy);
	assert_true(fabs(sim - 1.0 / 3) < 0.12);
	assert_true(nri_minhash_similarity(&m, sx, sx) == 1);
	/* deterministic */
	nri_minhash_sign(&m, x + 1000, 2000, 1, sz, fp, 0);
	assert_memory_equal(sy, sz, sizeof(sy));
	/* disjoint: about 0 (the chance agreements of 7-bit values are
	 * corrected for) */
	nri_minhash_sign(&m, x + 2000, 1000, 1, sz, fp, 0);
	assert_true(nri_minhash_similarity(&m, sx, sz) < 0.08);
	/* the estimate over many pairs near J = 0.5 is unbiased to within a
	 * few thousandths, each within about 4 standard errors */
	{
		double sum = 0;
		const int pairs = 200;

		for (int p = 0; p < pairs; p++) {
			/* 60 units, 3-shingles: y replaces 6 units of x in the
			 * middle; compared with the exact Jaccard */
			uint32_t a[64], b[64];
			size_t na, nb;

			y = random_units(&r, 60);
			z = malloc(60 * sizeof(*z));
			memcpy(z, y, 60 * sizeof(*z));
			for (int q = 0; q < 6; q++)
				z[5 + q * 9].h = nri_prng_next(&r);
			nri_minhash_sign(&m, y, 60, 3, sy, fp, 0);
			nri_minhash_sign(&m, z, 60, 3, sz, fp, 0);
			check_densified(&m, sy);
			na = nri_shingles(y, 60, 3, a);
			nb = nri_shingles(z, 60, 3, b);
			sim = nri_minhash_similarity(&m, sy, sz) - nri_jaccard(a, na, b, nb);
			assert_true(fabs(sim) < 0.2);
			sum += sim;
			free(y);
			free(z);
		}
		assert_true(fabs(sum / pairs) < 0.02);
	}
	/* few non-empty bins: filled by the rank way; many: by the walk */
	nri_minhash_sign(&m, x, 3, 1, sx, fp, 0);
	check_densified(&m, sx);
	nri_minhash_sign(&m, x, 1, 1, sx, fp, 0);
	check_densified(&m, sx);
	for (int j = 1; j < 128; j++)
		assert_int_equal(sx[j] & 0x7f, sx[0] & 0x7f); /* one value everywhere */
	nri_minhash_sign(&m, x, 100, 1, sx, fp, 0);
	check_densified(&m, sx);
	/* the walk takes over when more than three quarters of the bins
	 * hold a value: 300 units fill about 116 of 128 */
	nri_minhash_sign(&m, x, 300, 1, sx, fp, 0);
	{
		unsigned nonempty = 0;

		for (int j = 0; j < 128; j++)
			nonempty += !(sx[j] & 0x80);
		assert_true(nonempty >= 96 && nonempty < 128);
	}
	check_densified(&m, sx);
	/* and with a number of bins that is no multiple of 8 */
	{
		struct nri_minhash m36;

		assert_int_equal(nri_minhash_init(&m36, 36, 9, 4, 5), NR_OK);
		for (size_t len = 1; len < 60; len += 4) {
			nri_minhash_sign(&m36, x, len, 1, sx, fp, 0);
			check_densified(&m36, sx);
		}
		nri_minhash_release(&m36);
	}
	/* fingerprints: kept up to fpmax shingles, in order, 16 bits of the
	 * hash of each (the top 16 of them: nri_shingles' value) */
	{
		uint32_t a[40];

		assert_int_equal(nri_minhash_sign(&m, x, 40, 3, sx, fp, 38), 38);
		assert_int_equal(nri_minhash_sign(&m, x, 40, 3, sx, fp, 37), 0);
		assert_int_equal(nri_minhash_sign(&m, x, 2, 3, sx, fp, 38), 1); /* short */
		assert_int_equal(nri_minhash_sign(&m, x, 40, 3, sx, fp, 38), 38);
		assert_int_equal(nri_shingles(x, 40, 3, a), 38);
		for (int i = 0; i < 38; i++) {
			int found = 0;

			for (int j = 0; j < 38; j++)
				found |= (uint16_t)(a[j] >> 8) == fp[i];
			assert_true(found);
		}
	}
	free(x);
	nri_minhash_release(&m);
}

/* Band keys: the rows themselves up to 4, a hash beyond; equal rows,
 * equal keys, whatever the other bands hold. */
static void test_band_keys(void **state)
{
	struct nri_minhash m4, m2, m9;
	uint8_t a[36], b[36];

	(void)state;
	for (int i = 0; i < 36; i++)
		a[i] = b[i] = (uint8_t)(i * 7 + 1);
	b[0] ^= 1;  /* band 0 differs in every layout */
	b[35] ^= 1; /* the last band of 9 rows too */
	assert_int_equal(nri_minhash_init(&m4, 36, 9, 4, 1), NR_OK);
	assert_int_equal(nri_minhash_init(&m2, 36, 18, 2, 1), NR_OK);
	assert_int_equal(nri_minhash_init(&m9, 36, 4, 9, 1), NR_OK);
	assert_int_equal(nri_minhash_band_key(&m4, a, 1), 0x322b241du); /* bytes 4..7 */
	assert_int_equal(nri_minhash_band_key(&m2, a, 1), 0x160fu);	 /* bytes 2, 3 */
	assert_int_not_equal(nri_minhash_band_key(&m4, a, 0), nri_minhash_band_key(&m4, b, 0));
	assert_int_not_equal(nri_minhash_band_key(&m2, a, 0), nri_minhash_band_key(&m2, b, 0));
	assert_int_not_equal(nri_minhash_band_key(&m9, a, 0), nri_minhash_band_key(&m9, b, 0));
	assert_int_not_equal(nri_minhash_band_key(&m9, a, 3), nri_minhash_band_key(&m9, b, 3));
	for (unsigned k = 1; k < 3; k++)
		assert_int_equal(nri_minhash_band_key(&m9, a, k), nri_minhash_band_key(&m9, b, k));
	for (unsigned k = 1; k < 8; k++)
		assert_int_equal(nri_minhash_band_key(&m4, a, k), nri_minhash_band_key(&m4, b, k));
	/* different rows of one band, different keys */
	assert_int_not_equal(nri_minhash_band_key(&m9, a, 1), nri_minhash_band_key(&m9, a, 2));
	nri_minhash_release(&m4);
	nri_minhash_release(&m2);
	nri_minhash_release(&m9);
}

/* A bucket of many identical documents: one cluster, about one check per
 * document (not n^2 / 2), in a few seconds at most. */
static void test_cluster_identical(void **state)
{
	const size_t n = 200000;
	struct nri_minhash m;
	struct nri_dupdocs d;
	struct nri_prng r;
	struct nri_unit *u;
	uint8_t sig[128];
	uint16_t fp[8];
	uint32_t *root;
	uint64_t verified;
	clock_t t0;
	size_t nfp;

	(void)state;
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 7), NR_OK);
	nri_prng_seed(&r, 3);
	u = random_units(&r, 7);
	nfp = nri_minhash_sign(&m, u, 7, 3, sig, fp, 8);
	assert_int_equal(nfp, 5);
	d.n = n;
	d.mh = &m;
	d.sig = malloc(n * sizeof(*d.sig));
	d.fp = malloc(n * sizeof(*d.fp));
	d.nfp = malloc(n * sizeof(*d.nfp));
	root = malloc(n * sizeof(*root));
	for (size_t i = 0; i < n; i++) {
		d.sig[i] = i % 1000 == 999 ? NULL : sig; /* a few empty documents */
		d.fp[i] = fp;
		d.nfp[i] = i % 2 ? (uint8_t)nfp : 0; /* exact or estimated: both 1 */
	}
	t0 = clock();
	assert_int_equal(nri_lsh_cluster(&d, 0.5, 8, root, &verified), NR_OK);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5);
	assert_true(verified < 2 * n);
	for (size_t i = 0; i < n; i++) {
		if (d.sig[i])
			assert_int_equal(root[i], 0);
		else
			assert_int_equal(root[i], i); /* empty: alone */
	}
	free(d.sig);
	free(d.fp);
	free(d.nfp);
	free(root);
	free(u);
	nri_minhash_release(&m);
}

/* Three documents with hand-made signatures of 2 bins (2 bands of 1 row,
 * so the bytes are the band keys) and fingerprint sets. */
static void small_docs(struct nri_dupdocs *d, struct nri_minhash *m, const uint8_t **sp,
		       const uint16_t **fpp, uint8_t *nfp, int same_second)
{
	static const uint8_t s1[2] = { 5, 6 }, s2a[2] = { 5, 9 }, s2b[2] = { 5, 6 },
			     s3[2] = { 5, 11 };
	static const uint16_t a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 3, 5 }, c[] = { 7, 8, 9 };

	assert_int_equal(nri_minhash_init(m, 2, 2, 1, 1), NR_OK);
	sp[0] = s1;
	sp[1] = same_second ? s2b : s2a;
	sp[2] = s3;
	fpp[0] = a;
	fpp[1] = b;
	fpp[2] = c;
	nfp[0] = 4;
	nfp[1] = 4;
	nfp[2] = 3;
	d->n = 3;
	d->mh = m;
	d->sig = sp;
	d->fp = fpp;
	d->nfp = nfp;
}

static void test_cluster_small(void **state)
{
	struct nri_dupdocs d;
	struct nri_minhash m;
	const uint8_t *sp[3];
	const uint16_t *fpp[3];
	uint8_t nfp[3];
	uint32_t root[3];
	uint64_t v;

	(void)state;
	small_docs(&d, &m, sp, fpp, nfp, 0);
	/* a, b: J = 3/5 = 0.6; c shares a band key but not the content */
	assert_int_equal(nri_lsh_cluster(&d, 0.5, 8, root, &v), NR_OK);
	assert_int_equal(root[0], 0);
	assert_int_equal(root[1], 0);
	assert_int_equal(root[2], 2);
	assert_int_equal(nri_lsh_cluster(&d, 0.7, 8, root, &v), NR_OK);
	assert_int_equal(root[1], 1);
	assert_true(fabs(nri_lsh_similarity(&d, 0, 1) - 0.6) < 1e-12);
	nri_minhash_release(&m);
}

static int count_pair(void *ctx, size_t i, size_t j, double jac)
{
	(void)i;
	(void)j;
	if (jac > 0.5)
		(*(int *)ctx)++;
	return 0;
}

static void test_lsh_pairs(void **state)
{
	struct nri_dupdocs d;
	struct nri_minhash m;
	const uint8_t *sp[3];
	const uint16_t *fpp[3];
	uint8_t nfp[3];
	uint64_t cand;
	int hits = 0;

	(void)state;
	small_docs(&d, &m, sp, fpp, nfp, 1);
	assert_int_equal(nri_lsh_pairs(&d, count_pair, &hits, &cand), NR_OK);
	assert_int_equal(cand, 3); /* (a,b) in both bands counted once; (a,c), (b,c) */
	assert_int_equal(hits, 1);
	nri_minhash_release(&m);
}

/* The store: documents appended with their signature slot, fingerprints
 * kept or not, groups and text. */
static void test_dupstore(void **state)
{
	struct nri_dupstore s;
	uint8_t *sig;
	uint16_t *fp;
	uint32_t g[2] = { 3, 4 };

	(void)state;
	nri_dupstore_init(&s, 16, 1);
	for (uint32_t i = 0; i < 3000; i++) {
		assert_int_equal(nri_dupstore_add(&s, 10 + i, g, 1 + i % 2, "id", 2,
						  "some text", 9, &sig, &fp),
				 NR_OK);
		memset(sig, (int)(i & 0x7f), 16);
		for (uint32_t q = 0; q < i % 5; q++)
			fp[q] = (uint16_t)(i + q);
		nri_dupstore_keep_fp(&s, i % 5);
	}
	assert_int_equal(s.n, 3000);
	for (uint32_t i = 0; i < 3000; i++) {
		uint16_t f[NRI_DUP_EXACT];

		assert_int_equal(s.seq[i], 10 + i);
		assert_int_equal(s.sig[i * 16 + 15], i & 0x7f);
		assert_int_equal(s.nfp[i], i % 5);
		assert_int_equal(nri_dupstore_fp(&s, i, f), i % 5); /* sorted */
		if (i % 5)
			assert_int_equal(f[i % 5 - 1], i + i % 5 - 1);
		assert_int_equal(s.gn[i], 1 + i % 2);
		assert_int_equal(s.gpool[s.goff[i]], 3);
		assert_string_equal(s.txt.data + s.txt_off[i], "id");
	}
	nri_dupstore_release(&s);
}

/* units of a phrase (word mode) */
static void phrase_units(struct nri_units *u, const char *const *w, size_t n)
{
	u->n = n;
	u->chars = 0;
	for (size_t i = 0; i < n; i++) {
		memset(&u->v[i], 0, sizeof(u->v[i]));
		u->v[i].s = w[i];
		u->v[i].len = (uint32_t)strlen(w[i]);
		u->v[i].h = w[i][0] == '{' ? NRI_CITY_UNIT_HASH : nri_hash(w[i], strlen(w[i]));
		u->v[i].city = w[i][0] == '{';
		u->v[i].stop = !strcmp(w[i], "a") || !strcmp(w[i], "of") || !strcmp(w[i], "and") ||
			       !strcmp(w[i], "to");
	}
}

static void feed(struct nri_cliche *c, struct nri_units *u, uint32_t g, int k, int slogan)
{
	static const char *const s[] = { "welcome", "to", "{city}", "a", "perfect", "blend",
					  "of", "tradition", "and", "modernity" };
	static char own[8][8][12][32]; /* group, document, word: each its own */
	const char *w[12];

	if (slogan) {
		phrase_units(u, s, 10);
	} else {
		for (int i = 0; i < 12; i++) {
			snprintf(own[g][k][i], sizeof(own[g][k][i]), "w%u_%d_%d", g, k, i);
			w[i] = own[g][k][i];
		}
		phrase_units(u, w, 12);
	}
	assert_int_equal(nri_cliche_add(c, u, &g, 1), NR_OK);
}

static void test_cliche(void **state)
{
	struct nri_cliche one, p1, p2, merged;
	struct nri_units u;
	struct nri_unit store[16];
	struct nri_cliche_item *items, *items2;
	size_t n, n2;
	uint64_t tot[6], cl[6], tot2[6], cl2[6];
	uint32_t id[6] = { 0, 1, 2, 3, 4, 5 };

	(void)state;
	memset(&u, 0, sizeof(u));
	u.v = store;
	u.cap = 16;
	nri_cliche_init(&one, 4, 4, 0);
	/* groups 0..3 use the slogan (group g in g+1 of its 6 documents),
	 * groups 4, 5 never */
	for (uint32_t g = 0; g < 6; g++)
		for (int k = 0; k < 6; k++)
			feed(&one, &u, g, k, g < 4 && k <= (int)g);
	assert_int_equal(nri_cliche_finish(&one, 6, 3, tot, cl, &items, &n, 100), NR_OK);
	assert_true(n >= 1);
	/* the ten-word slogan comes out as one phrase, with the placeholder */
	assert_string_equal(items[0].text, "welcome to {city} a perfect blend of tradition and modernity");
	assert_int_equal(items[0].cities, 4);
	assert_int_equal(items[0].docs, 1 + 2 + 3 + 4);
	assert_int_equal(items[0].example, 3);
	for (uint32_t g = 0; g < 4; g++)
		assert_int_equal(items[0].groups[g], g); /* every group using it, ascending */
	assert_int_equal(cl[4], 0);
	assert_int_equal(cl[5], 0);
	for (int g = 1; g < 4; g++)
		assert_true((double)cl[g] / (double)tot[g] > (double)cl[g - 1] / (double)tot[g - 1]);
	nri_cliche_items_free(items, n);

	/* with a tiny cap the table samples n-grams; the result is the same
	 * whether the documents went through one table or two merged ones */
	nri_cliche_init(&p1, 4, 4, 24);
	nri_cliche_init(&p2, 4, 4, 24);
	nri_cliche_init(&merged, 4, 4, 24);
	nri_cliche_release(&one);
	nri_cliche_init(&one, 4, 4, 24);
	for (uint32_t g = 0; g < 6; g++)
		for (int k = 0; k < 6; k++) {
			feed(&one, &u, g, k, g < 4 && k <= (int)g);
			feed((g + (uint32_t)k) % 2 ? &p1 : &p2, &u, g, k, g < 4 && k <= (int)g);
		}
	assert_true(one.level > 0);
	assert_int_equal(nri_cliche_merge(&merged, &p2, id), NR_OK);
	assert_int_equal(nri_cliche_merge(&merged, &p1, id), NR_OK);
	assert_int_equal(merged.level, one.level);
	assert_int_equal(nri_cliche_finish(&one, 6, 3, tot, cl, &items, &n, 100), NR_OK);
	assert_int_equal(nri_cliche_finish(&merged, 6, 3, tot2, cl2, &items2, &n2, 100), NR_OK);
	assert_int_equal(n, n2);
	assert_memory_equal(tot, tot2, sizeof(tot));
	assert_memory_equal(cl, cl2, sizeof(cl));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(items[i].text, items2[i].text);
		assert_int_equal(items[i].cities, items2[i].cities);
		assert_memory_equal(items[i].groups, items2[i].groups,
				    items[i].cities * sizeof(*items[i].groups));
		/* sampled, yet exact: a kept n-gram has all its groups, here 0..3 */
		assert_int_equal(items[i].cities, 4);
		for (uint32_t g = 0; g < 4; g++)
			assert_int_equal(items[i].groups[g], g);
	}
	nri_cliche_items_free(items, n);
	nri_cliche_items_free(items2, n2);
	nri_cliche_release(&one);
	nri_cliche_release(&p1);
	nri_cliche_release(&p2);
	nri_cliche_release(&merged);
}

static void test_alloc_failure(void **state)
{
	struct nri_minhash m;
	struct nri_cliche c;
	struct nri_units u;
	struct nri_unit store[16];
	struct nri_dupstore s;
	uint32_t g = 0;
	uint8_t *sig;
	uint16_t *fp;
	int rc;

	(void)state;
	nri_alloc_fail_at(1);
	assert_int_equal(nri_minhash_init(&m, 64, 4, 4, 1), NR_ENOMEM);
	nri_alloc_fail_at(2);
	assert_int_equal(nri_minhash_init(&m, 64, 4, 4, 1), NR_ENOMEM);
	nri_alloc_fail_at(0);
	memset(&u, 0, sizeof(u));
	u.v = store;
	u.cap = 16;
	{
		static const char *const w[] = { "one", "two", "three", "four", "five", "six" };

		phrase_units(&u, w, 6);
	}
	for (long k = 1; k < 12; k++) {
		nri_cliche_init(&c, 4, 4, 0);
		nri_alloc_fail_at(k);
		rc = nri_cliche_add(&c, &u, &g, 1);
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		nri_cliche_release(&c);
	}
	for (long k = 1; k < 12; k++) {
		nri_dupstore_init(&s, 4, 1);
		nri_alloc_fail_at(k);
		rc = nri_dupstore_add(&s, 1, &g, 1, "id", 2, "text", 4, &sig, &fp);
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		nri_dupstore_release(&s);
	}
	/* the result, with each cliche's list of groups */
	for (long k = 1, ok = 0; k < 40 || !ok; k++) {
		struct nri_cliche_item *items;
		size_t n;
		uint64_t tot[3], cl[3];

		assert_true(k < 200);
		nri_cliche_init(&c, 4, 4, 0);
		for (uint32_t q = 0; q < 3; q++)
			assert_int_equal(nri_cliche_add(&c, &u, &q, 1), NR_OK);
		nri_alloc_fail_at(k);
		rc = nri_cliche_finish(&c, 3, 2, tot, cl, &items, &n, 100);
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		if (rc == NR_OK) {
			ok = 1;
			assert_int_equal(n, 1);
			assert_int_equal(items[0].cities, 3);
			assert_int_equal(items[0].groups[2], 2);
		}
		nri_cliche_items_free(items, n);
		nri_cliche_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_modes),    cmocka_unit_test(test_shingles),
		cmocka_unit_test(test_jaccard),        cmocka_unit_test(test_lsh_params),
		cmocka_unit_test(test_minhash_estimate), cmocka_unit_test(test_cluster_identical),
		cmocka_unit_test(test_cluster_small),  cmocka_unit_test(test_lsh_pairs),
		cmocka_unit_test(test_dupstore),       cmocka_unit_test(test_band_keys),
		cmocka_unit_test(test_cliche),         cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
