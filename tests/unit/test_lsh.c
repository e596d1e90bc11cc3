/*
 * test_lsh.c - LSH clustering against a plain reference (entries sorted
 * by key and index with qsort), the same clusters with one, two and
 * three threads, coded fingerprint sets, the 4-byte view over several
 * stores, allocation failure
 * (lib/lsh.c; docs/homogeneity.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "lsh.h"
#include "minhash.h"
#include "prng.h"

/* Documents as signature arrays: families of edited copies of random
 * originals (so that buckets hold near-duplicates and chance
 * collisions), some kept with fingerprints, a few without signature. */
struct corpus {
	size_t n;
	uint8_t *sigs;
	uint16_t *fps;
	const uint8_t **sig;
	const uint16_t **fp;
	uint8_t *nfp;
};

static void make_corpus(struct corpus *c, const struct nri_minhash *m, size_t n, uint64_t seed)
{
	struct nri_prng r;
	struct nri_unit u[200], base[200];

	size_t blen = 10;

	nri_prng_seed(&r, seed);
	c->n = n;
	c->sigs = calloc(n, m->nperm);
	c->fps = calloc(n, NRI_DUP_EXACT * sizeof(*c->fps));
	c->sig = calloc(n, sizeof(*c->sig));
	c->fp = calloc(n, sizeof(*c->fp));
	c->nfp = calloc(n, 1);
	assert_non_null(c->sigs);
	assert_non_null(c->fps);
	assert_non_null(c->sig);
	assert_non_null(c->fp);
	assert_non_null(c->nfp);
	for (size_t i = 0; i < n; i++) {
		size_t len, nfp;

		if (i % 7 == 0 || i % 53 == 1) { /* a new original */
			blen = 3 + nri_prng_next(&r) % 180;
			for (size_t k = 0; k < 200; k++) {
				memset(&base[k], 0, sizeof(base[k]));
				base[k].h = nri_prng_next(&r);
				base[k].s = "x";
				base[k].len = 1;
			}
		}
		len = blen + nri_prng_next(&r) % 5;
		if (len > 200)
			len = 200;
		memcpy(u, base, sizeof(u));
		for (size_t k = 0; k < len; k++) /* an edit rate of 0 to 20% */
			if (nri_prng_next(&r) % 100 < (i * 7) % 21)
				u[k].h = nri_prng_next(&r);
		nfp = nri_minhash_sign(m, u, len, 3, c->sigs + i * m->nperm,
				       c->fps + i * NRI_DUP_EXACT, NRI_DUP_EXACT);
		c->sig[i] = i % 97 == 5 ? NULL : c->sigs + i * m->nperm;
		c->fp[i] = c->fps + i * NRI_DUP_EXACT;
		c->nfp[i] = i % 3 ? (uint8_t)nfp : 0;
	}
}

static void free_corpus(struct corpus *c)
{
	free(c->sigs);
	free(c->fps);
	free(c->sig);
	free(c->fp);
	free(c->nfp);
}

static void docs_of(struct nri_dupdocs *d, const struct nri_minhash *m, const struct corpus *c)
{
	memset(d, 0, sizeof(*d));
	d->n = c->n;
	d->mh = m;
	d->sig = c->sig;
	d->fp = c->fp;
	d->nfp = c->nfp;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static uint32_t ref_find(uint32_t *p, uint32_t x)
{
	while (p[x] != x)
		x = p[x];
	return x;
}

static void ref_unite(uint32_t *p, uint32_t x, uint32_t y)
{
	x = ref_find(p, x);
	y = ref_find(p, y);
	if (x < y)
		p[y] = x;
	else if (y < x)
		p[x] = y;
}

/* The clustering as documented: band by band, entries sorted by (key,
 * index), each member checked against the bucket's representatives. */
static uint64_t ref_cluster(const struct nri_dupdocs *d, double t, unsigned max_reps,
			    uint32_t *root)
{
	uint64_t *e = malloc(d->n * sizeof(*e)), nver = 0;

	assert_non_null(e);
	for (size_t i = 0; i < d->n; i++)
		root[i] = (uint32_t)i;
	for (unsigned b = 0; b < d->mh->bands; b++) {
		size_t n = 0, s = 0;

		for (size_t i = 0; i < d->n; i++)
			if (nri_dupdocs_sig(d, i))
				e[n++] = (uint64_t)nri_minhash_band_key(d->mh, nri_dupdocs_sig(d, i),
									  b)
						 << 32 |
					 i;
		qsort(e, n, sizeof(*e), cmp_u64);
		while (s < n) {
			size_t x, z = s + 1;
			uint32_t reps[64];
			unsigned nr = 0;

			while (z < n && e[z] >> 32 == e[s] >> 32)
				z++;
			for (x = s; x < z && z - s > 1; x++) {
				uint32_t m = (uint32_t)e[x];
				int joined = 0;

				for (unsigned q = 0; q < nr && !joined; q++)
					joined = ref_find(root, reps[q]) == ref_find(root, m);
				for (unsigned q = 0; q < nr && !joined; q++) {
					nver++;
					if (nri_lsh_similarity(d, reps[q], m) >= t) {
						ref_unite(root, reps[q], m);
						joined = 1;
					}
				}
				if (!joined && nr < max_reps)
					reps[nr++] = m;
			}
			s = z;
		}
	}
	for (size_t i = 0; i < d->n; i++)
		root[i] = ref_find(root, (uint32_t)i);
	free(e);
	return nver;
}

/* The reference, and 1, 2 and 3 threads: the same roots, the same number
 * of checks; for several band shapes (rows 4: keys as bytes; rows 2: many
 * equal top digits; rows 6: hashed keys; an odd number of bands). */
static void test_cluster_same(void **state)
{
	static const unsigned shapes[][2] = { { 32, 4 }, { 42, 3 }, { 21, 6 }, { 5, 2 } };
	const size_t n = 6000;

	(void)state;
	for (size_t sh = 0; sh < sizeof(shapes) / sizeof(shapes[0]); sh++) {
		struct nri_minhash m;
		struct corpus c;
		struct nri_dupdocs d;
		uint32_t *ref = malloc(n * sizeof(*ref)), *root = malloc(n * sizeof(*root));
		uint64_t vref, v;
		size_t clustered = 0;

		assert_non_null(ref);
		assert_non_null(root);
		assert_int_equal(nri_minhash_init(&m, 128, shapes[sh][0], shapes[sh][1], 11), NR_OK);
		make_corpus(&c, &m, n, 5 + sh);
		docs_of(&d, &m, &c);
		vref = ref_cluster(&d, 0.5, 8, ref);
		for (size_t i = 0; i < n; i++)
			clustered += ref[i] != i;
		/* the test has clusters to get wrong */
		assert_true(clustered > n / 3);
		for (unsigned th = 1; th <= 3; th++) {
			memset(root, 0xff, n * sizeof(*root));
			assert_int_equal(nri_lsh_cluster_mt(&d, 0.5, 8, th, root, &v), NR_OK);
			assert_memory_equal(root, ref, n * sizeof(*root));
			assert_int_equal(v, vref);
		}
		free_corpus(&c);
		free(ref);
		free(root);
		nri_minhash_release(&m);
	}
}

static int cmp_u16(const void *x, const void *y)
{
	return (int)*(const uint16_t *)x - (int)*(const uint16_t *)y;
}

/* The sorted set of v[0..n) into out; its size. */
static size_t sorted_set(const uint16_t *v, size_t n, uint16_t *out)
{
	size_t d = 0;

	memcpy(out, v, n * sizeof(*v));
	qsort(out, n, sizeof(*out), cmp_u16);
	for (size_t i = 0; i < n; i++)
		if (!d || out[i] != out[d - 1])
			out[d++] = out[i];
	return d;
}

/* Fingerprint sets coded and read back: one value, the extremes, every
 * size up to NRI_DUP_EXACT, repeats, documents without any between. */
static void test_fp_code(void **state)
{
	struct nri_dupstore s;
	struct nri_prng r;
	uint16_t want[400][NRI_DUP_EXACT], got[NRI_DUP_EXACT];
	size_t nwant[400];
	uint32_t g = 0;

	(void)state;
	nri_prng_seed(&r, 17);
	nri_dupstore_init(&s, 8, 0);
	for (size_t i = 0; i < 400; i++) {
		size_t n = i < 3 ? 1 : i % 7 == 3 ? 0 : 1 + (i * 13) % NRI_DUP_EXACT;
		uint8_t *sig;
		uint16_t *fp;

		assert_int_equal(nri_dupstore_add(&s, i, &g, 1, NULL, 0, NULL, 0, &sig, &fp), NR_OK);
		memset(sig, 0, 8);
		for (size_t k = 0; k < n; k++)
			fp[k] = i == 0	 ? 0
				: i == 1 ? 65535
				: i % 5 == 0 ? (uint16_t)(nri_prng_next(&r) % 40) /* repeats */
					     : (uint16_t)nri_prng_next(&r);
		nwant[i] = sorted_set(fp, n, want[i]);
		nri_dupstore_keep_fp(&s, n);
	}
	for (size_t i = 0; i < 400; i++) {
		assert_int_equal(nri_dupstore_fp(&s, i, got), nwant[i]);
		assert_memory_equal(got, want[i], nwant[i] * sizeof(*got));
		if (nwant[i])
			assert_true(nri_dupstore_fp_bytes((unsigned)nwant[i]) <= 2 * nwant[i] + 1);
	}
	nri_dupstore_release(&s);
}

/* Three stores with interleaved sequence numbers: the view is in
 * sequence order, each document's signature and fingerprints found, and
 * the clusters are those of the same documents as arrays. */
static void test_view(void **state)
{
	const size_t n = 3000;
	struct nri_minhash m;
	struct corpus c;
	struct nri_dupstore s[3];
	const struct nri_dupstore *sp[3] = { &s[0], &s[1], &s[2] };
	struct nri_dupdocs d, da;
	uint32_t *r1 = malloc(n * sizeof(*r1)), *r2 = malloc(n * sizeof(*r2)), g = 0;
	uint64_t v1, v2;

	(void)state;
	assert_non_null(r1);
	assert_non_null(r2);
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 3), NR_OK);
	make_corpus(&c, &m, n, 99);
	for (size_t i = 0; i < n; i++)
		c.sig[i] = c.sigs + i * m.nperm; /* a store keeps signed documents only */
	for (int k = 0; k < 3; k++)
		nri_dupstore_init(&s[k], m.nperm, 0);
	for (size_t i = 0; i < n; i++) {
		/* batches of 1 to 40 documents to one store or another */
		int k = (int)((i / 40 + (i % 40 > (i / 40) % 40)) % 3);
		uint8_t *sig;
		uint16_t *fp;

		assert_int_equal(
			nri_dupstore_add(&s[k], 7 + 2 * i, &g, 1, NULL, 0, NULL, 0, &sig, &fp),
			NR_OK);
		memcpy(sig, c.sig[i], m.nperm);
		memcpy(fp, c.fp[i], c.nfp[i] * sizeof(*fp));
		nri_dupstore_keep_fp(&s[k], c.nfp[i]);
	}
	assert_int_equal(nri_dupdocs_view(&d, &m, sp, 3), NR_OK);
	assert_int_equal(d.n, n);
	assert_int_equal(d.wbits, 2);
	for (size_t i = 0; i < n; i++) {
		unsigned w;
		size_t l, nf, ne;
		uint16_t fp[NRI_DUP_EXACT], want[NRI_DUP_EXACT];

		nri_dupdocs_where(&d, i, &w, &l);
		assert_int_equal(s[w].seq[l], 7 + 2 * i);
		assert_memory_equal(nri_dupdocs_sig(&d, i), c.sig[i], m.nperm);
		nf = nri_dupstore_fp(&s[w], l, fp);
		ne = sorted_set(c.fp[i], c.nfp[i], want);
		assert_int_equal(nf, ne);
		if (nf)
			assert_memory_equal(fp, want, nf * sizeof(*fp));
	}
	docs_of(&da, &m, &c);
	for (size_t i = 0; i + 1 < n; i++) /* the same similarity, bit for bit */
		for (size_t j = i + 1; j < n && j < i + 8; j++)
			assert_true(nri_lsh_similarity(&d, i, j) == nri_lsh_similarity(&da, i, j));
	assert_int_equal(nri_lsh_cluster_mt(&d, 0.5, 8, 2, r1, &v1), NR_OK);
	assert_int_equal(nri_lsh_cluster(&da, 0.5, 8, r2, &v2), NR_OK);
	assert_memory_equal(r1, r2, n * sizeof(*r1));
	assert_int_equal(v1, v2);
	nri_dupdocs_release(&d);
	for (int k = 0; k < 3; k++)
		nri_dupstore_release(&s[k]);
	free_corpus(&c);
	free(r1);
	free(r2);
	nri_minhash_release(&m);
}

/* Every allocation failing in turn, with one thread and with two: an
 * error and nothing left behind (the sanitizer build checks the leaks),
 * or the right answer. */
static void test_alloc_failure(void **state)
{
	const size_t n = 500;
	struct nri_minhash m;
	struct corpus c;
	struct nri_dupdocs d;
	uint32_t *ref = malloc(n * sizeof(*ref)), *root = malloc(n * sizeof(*root));
	uint64_t v;

	(void)state;
	assert_non_null(ref);
	assert_non_null(root);
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 3), NR_OK);
	make_corpus(&c, &m, n, 4);
	docs_of(&d, &m, &c);
	ref_cluster(&d, 0.5, 8, ref);
	for (unsigned th = 1; th <= 2; th++)
		for (long k = 1, ok = 0; !ok; k++) {
			int rc;

			assert_true(k < 100);
			nri_alloc_fail_at(k);
			rc = nri_lsh_cluster_mt(&d, 0.5, 8, th, root, &v);
			nri_alloc_fail_at(0);
			assert_true(rc == NR_OK || rc == NR_ENOMEM);
			if (rc == NR_OK) {
				ok = 1;
				assert_memory_equal(root, ref, n * sizeof(*root));
			}
		}
	free_corpus(&c);
	free(ref);
	free(root);
	nri_minhash_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cluster_same),
		cmocka_unit_test(test_fp_code),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
