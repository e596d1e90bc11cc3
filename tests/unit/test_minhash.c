/*
 * test_minhash.c - units, shingles, MinHash, LSH parameters and
 * clustering, Jaccard (exact and bottom-k), cliche mining
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

static void test_jaccard(void **state)
{
	uint32_t a[] = { 1, 2, 3 }, b[] = { 2, 3, 4 };
	uint32_t *x = malloc(5000 * sizeof(*x)), *y = malloc(5000 * sizeof(*y));
	struct nri_prng r;
	size_t nx = 0, ny = 0;
	double est;

	(void)state;
	assert_true(fabs(nri_jaccard(a, 3, 3, b, 3, 3) - 0.5) < 1e-12);
	assert_true(nri_jaccard(a, 3, 3, a, 3, 3) == 1);
	assert_true(nri_jaccard(a, 0, 0, b, 3, 3) == 0);
	/* two sets of 4000 sharing 3000: J = 3000 / 5000 = 0.6; bottom-256 */
	nri_prng_seed(&r, 5);
	for (uint32_t v = 0; v < 5000; v++) {
		uint32_t h = (uint32_t)(nri_prng_next(&r) >> 32);

		if (v < 4000)
			x[nx++] = h;
		if (v >= 1000)
			y[ny++] = h;
	}
	{
		/* sort both (insertion into a bitset would need dedup anyway) */
		for (size_t i = 1; i < nx; i++)
			for (size_t j = i; j && x[j - 1] > x[j]; j--) {
				uint32_t t = x[j];
				x[j] = x[j - 1];
				x[j - 1] = t;
			}
		for (size_t i = 1; i < ny; i++)
			for (size_t j = i; j && y[j - 1] > y[j]; j--) {
				uint32_t t = y[j];
				y[j] = y[j - 1];
				y[j - 1] = t;
			}
	}
	assert_true(fabs(nri_jaccard(x, nx, nx, y, ny, ny) - 0.6) < 1e-3);
	est = nri_jaccard(x, 256, nx, y, 256, ny);
	assert_true(fabs(est - 0.6) < 0.1);
	/* a short set inside a long one is no copy of it: at most 10 / 4000 */
	assert_true(nri_jaccard(x, 10, 10, x, 256, nx) <= 10.0 / 4000 + 1e-12);
	free(x);
	free(y);
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
	for (double t = 0.1; t < 1; t += 0.1) {
		nri_lsh_params(t, 128, 0.1, 0.9, &b, &r);
		assert_true(b * r <= 128);
		assert_true(nri_lsh_prob(t + 0.1 > 1 ? 1 : t + 0.1, b, r) >
			    nri_lsh_prob(t - 0.1 < 0 ? 0 : t - 0.1, b, r));
	}
	assert_true(nri_lsh_prob(1, 32, 4) == 1);
	assert_true(nri_lsh_prob(0, 32, 4) == 0);
}

static void test_minhash_estimate(void **state)
{
	struct nri_minhash m;
	uint32_t x[300], y[300], sx[128], sy[128];
	unsigned agree = 0;

	(void)state;
	assert_int_equal(nri_minhash_init(&m, 128, 16, 9, 1), NR_EINVAL);
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 7), NR_OK);
	/* x = 0..299, y = 100..399: J = 200 / 400 = 0.5 */
	for (uint32_t i = 0; i < 300; i++) {
		x[i] = i * 2654435761u;
		y[i] = (i + 100) * 2654435761u;
	}
	nri_minhash_sign(&m, x, 300, sx);
	nri_minhash_sign(&m, y, 300, sy);
	for (int j = 0; j < 128; j++)
		agree += sx[j] == sy[j];
	assert_true(fabs(agree / 128.0 - 0.5) < 0.15);
	nri_minhash_sign(&m, y, 300, sx);
	assert_memory_equal(sx, sy, sizeof(sx)); /* deterministic */
	nri_minhash_release(&m);
}

/* A bucket of many identical documents: one cluster, about one Jaccard
 * check per document (not n^2 / 2), in a few seconds at most. */
static void test_cluster_identical(void **state)
{
	const size_t n = 200000;
	struct nri_minhash m;
	struct nri_dupdocs d;
	uint32_t set[5] = { 10, 20, 30, 40, 50 }, sig[128], keys[32], *root, *shn;
	const uint32_t **kp, **sp;
	uint64_t verified;
	clock_t t0;

	(void)state;
	assert_int_equal(nri_minhash_init(&m, 128, 32, 4, 7), NR_OK);
	nri_minhash_sign(&m, set, 5, sig);
	nri_minhash_band_keys(&m, sig, keys);
	kp = malloc(n * sizeof(*kp));
	sp = malloc(n * sizeof(*sp));
	shn = malloc(n * sizeof(*shn));
	root = malloc(n * sizeof(*root));
	for (size_t i = 0; i < n; i++) {
		kp[i] = keys;
		sp[i] = set;
		shn[i] = i % 1000 == 999 ? 0 : 5; /* a few empty documents */
	}
	d.n = n;
	d.nbands = 32;
	d.keys = kp;
	d.sh = sp;
	d.shn = shn;
	d.shfull = shn;
	t0 = clock();
	assert_int_equal(nri_lsh_cluster(&d, 0.5, 8, root, &verified), NR_OK);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5);
	assert_true(verified < 2 * n);
	for (size_t i = 0; i < n; i++) {
		if (shn[i])
			assert_int_equal(root[i], 0);
		else
			assert_int_equal(root[i], i); /* empty: alone */
	}
	free(kp);
	free(sp);
	free(shn);
	free(root);
	nri_minhash_release(&m);
}

static void test_cluster_small(void **state)
{
	struct nri_dupdocs d;
	uint32_t a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 3, 5 }, c[] = { 7, 8, 9 };
	uint32_t k1[2] = { 5, 6 }, k2[2] = { 5, 9 }, k3[2] = { 5, 11 };
	const uint32_t *kp[3] = { k1, k2, k3 }, *sp[3] = { a, b, c };
	uint32_t shn[3] = { 4, 4, 3 }, root[3];
	uint64_t v;

	(void)state;
	d.n = 3;
	d.nbands = 2;
	d.keys = kp;
	d.sh = sp;
	d.shn = shn;
	d.shfull = shn;
	/* a, b: J = 3/5 = 0.6; c shares a band key but not the content */
	assert_int_equal(nri_lsh_cluster(&d, 0.5, 8, root, &v), NR_OK);
	assert_int_equal(root[0], 0);
	assert_int_equal(root[1], 0);
	assert_int_equal(root[2], 2);
	assert_int_equal(nri_lsh_cluster(&d, 0.7, 8, root, &v), NR_OK);
	assert_int_equal(root[1], 1);
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
	uint32_t a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 3, 5 }, c[] = { 7, 8, 9 };
	uint32_t k1[2] = { 5, 6 }, k2[2] = { 5, 6 }, k3[2] = { 5, 11 };
	const uint32_t *kp[3] = { k1, k2, k3 }, *sp[3] = { a, b, c };
	uint32_t shn[3] = { 4, 4, 3 };
	uint64_t cand;
	int hits = 0;

	(void)state;
	d.n = 3;
	d.nbands = 2;
	d.keys = kp;
	d.sh = sp;
	d.shn = shn;
	d.shfull = shn;
	assert_int_equal(nri_lsh_pairs(&d, count_pair, &hits, &cand), NR_OK);
	assert_int_equal(cand, 3); /* (a,b) in both bands counted once; (a,c), (b,c) */
	assert_int_equal(hits, 1);
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
	uint32_t keys[4] = { 1, 2, 3, 4 }, sh[3] = { 1, 2, 3 }, g = 0;
	int rc;

	(void)state;
	nri_alloc_fail_at(1);
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
		rc = nri_dupstore_add(&s, 1, keys, sh, 3, &g, 1, "id", 2, "text", 4);
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
		cmocka_unit_test(test_cliche),         cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
