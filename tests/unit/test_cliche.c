/*
 * test_cliche.c - n-gram counting with distinct sampling (lib/cliche.c,
 * docs/homogeneity.md section 3) against a model written from the
 * documentation: every distinct n-gram once per document and group, the
 * level the smallest at which at most max_pairs (n-gram, group) pairs
 * keep, kept counts exact, the same result however the documents are
 * split between tables and merged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "cliche.h"
#include "minhash.h"
#include "strmap.h"

#define MAXU   64
#define NDOC   400
#define NGROUP 7

static const char *const vocab[] = {
	"the",	  "of",	    "and",    "to",	"a",	    "river",   "bridge", "market",
	"old",	  "town",   "harbor", "night",	"festival", "music",   "food",	 "street",
	"museum", "park",   "tower",  "garden", "square",   "station", "lake",	 "hill",
	"castle", "church", "school", "beach",	"forest",   "island",
};
#define NSTOP  5 /* the first five are stopwords */
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

/* A template several groups use: a cliche. */
static const int slogan[] = {0, 9, 1, 5, 2, 6, 11, 12, 3, 8};

struct doc {
	int w[MAXU]; /* vocab index, -1: the city placeholder */
	size_t n;
	uint32_t g[3];
	size_t ng;
};

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rng_state >> 33) % n);
}

static void make_corpus(struct doc *d, size_t nd, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = 0; i < nd; i++) {
		d[i].n = 4 + rnd(24);
		for (size_t j = 0; j < d[i].n; j++)
			d[i].w[j] = (int)rnd(NVOCAB);
		if (rnd(3) == 0) {
			/* the slogan, at a random place, with a city in it */
			size_t at = rnd((uint32_t)(d[i].n + 1)),
			       ns = sizeof(slogan) / sizeof(*slogan);

			if (d[i].n + ns <= MAXU) {
				memmove(d[i].w + at + ns, d[i].w + at, (d[i].n - at) * sizeof(int));
				for (size_t j = 0; j < ns; j++)
					d[i].w[at + j] = slogan[j];
				d[i].w[at + 2] = -1;
				d[i].n += ns;
			}
		}
		if (rnd(5) == 0 && d[i].n >= 6) /* a repeat inside the document */
			memcpy(d[i].w + d[i].n - 4, d[i].w, 4 * sizeof(int));
		/* one group, sometimes two or three (distinct) */
		d[i].ng = 1 + (rnd(4) == 0) + (rnd(8) == 0);
		d[i].g[0] = rnd(NGROUP);
		for (size_t k = 1; k < d[i].ng; k++)
			d[i].g[k] = (d[i].g[0] + (uint32_t)k * 2) % NGROUP;
	}
}

static void doc_units(const struct doc *d, struct nri_units *u)
{
	u->n = d->n;
	u->chars = 0;
	for (size_t j = 0; j < d->n; j++) {
		struct nri_unit *x = &u->v[j];
		const char *s = d->w[j] < 0 ? "{city}" : vocab[d->w[j]];

		memset(x, 0, sizeof(*x));
		x->s = s;
		x->len = (uint32_t)strlen(s);
		x->h = d->w[j] < 0 ? NRI_CITY_UNIT_HASH : nri_hash(s, strlen(s));
		x->city = d->w[j] < 0;
		x->stop = d->w[j] >= 0 && d->w[j] < NSTOP;
	}
}

/* ---- the model ---------------------------------------------------------------- */

/* The documented n-gram hash: SplitMix64's finalizer chained over the
 * unit hashes from 0x6a09e667f3bcc909 ^ n.  Pinned here: a change would
 * change which n-grams a sampled table keeps. */
static uint64_t ref_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t ref_hash(const struct nri_unit *v, unsigned k, int chars)
{
	uint64_t h = 0x6a09e667f3bcc909ULL ^ k;
	int content = chars, varied = 0;

	for (unsigned j = 0; j < k; j++) {
		h = ref_mix(h ^ v[j].h);
		content |= !v[j].stop;
		varied |= v[j].h != v[0].h;
	}
	if (!content || !varied)
		return 0;
	return h ? h : 1;
}

struct pair {
	uint64_t h;
	uint32_t g, docs;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->g > b->g) - (a->g < b->g);
}

static unsigned lead0(uint64_t h)
{
	unsigned n = 0;

	while (n < 64 && !(h >> (63 - n) & 1))
		n++;
	return n;
}

/* The expected level and per-group totals and cliche counts. */
static void model(const struct doc *d, size_t nd, unsigned k, size_t max_pairs, unsigned min_cities,
		  unsigned *level, uint64_t *total, uint64_t *cliche)
{
	struct pair *p = calloc(nd * MAXU * 3 + 1, sizeof(*p));
	struct nri_unit store[MAXU];
	struct nri_units u = {store, 0, MAXU, 0};
	size_t np = 0, nq = 0;
	unsigned lv = 0;

	assert_non_null(p);
	for (size_t i = 0; i < nd; i++) {
		size_t first = np;

		doc_units(&d[i], &u);
		for (size_t j = 0; j + k <= u.n; j++) {
			uint64_t h = ref_hash(store + j, k, 0);
			int seen = 0;

			if (!h)
				continue;
			for (size_t q = first; q < np && !seen; q++)
				seen = p[q].h == h;
			if (seen)
				continue;
			for (size_t g = 0; g < d[i].ng; g++) {
				p[np].h = h;
				p[np].g = d[i].g[g];
				p[np++].docs = 1;
			}
		}
	}
	qsort(p, np, sizeof(*p), cmp_pair);
	for (size_t i = 0; i < np; i++) {
		if (nq && p[nq - 1].h == p[i].h && p[nq - 1].g == p[i].g)
			p[nq - 1].docs++;
		else
			p[nq++] = p[i];
	}
	for (;;) {
		size_t n = 0;

		for (size_t i = 0; i < nq; i++)
			n += lead0(p[i].h) >= lv;
		if (n <= max_pairs || lv >= 63)
			break;
		lv++;
	}
	*level = lv;
	memset(total, 0, NGROUP * sizeof(*total));
	memset(cliche, 0, NGROUP * sizeof(*cliche));
	for (size_t s = 0, e; s < nq; s = e) {
		for (e = s; e < nq && p[e].h == p[s].h; e++)
			;
		if (lead0(p[s].h) < lv)
			continue;
		for (size_t i = s; i < e; i++) {
			total[p[i].g] += p[i].docs;
			if (e - s >= min_cities)
				cliche[p[i].g] += p[i].docs;
		}
	}
	free(p);
}

static void feed(struct nri_cliche *c, const struct doc *d, const uint32_t *gmap)
{
	struct nri_unit store[MAXU];
	struct nri_units u = {store, 0, MAXU, 0};
	uint32_t g[3];

	doc_units(d, &u);
	for (size_t k = 0; k < d->ng; k++)
		g[k] = gmap ? gmap[d->g[k]] : d->g[k];
	assert_int_equal(nri_cliche_add(c, &u, g, d->ng), NR_OK);
}

/* ---- tests -------------------------------------------------------------------- */

/* What the table must hold whatever path built it: the count of entries
 * by leading zero bits matches the entries, every entry is kept at the
 * level, and the arena holds exactly the entries' texts (a level rise
 * leaves no dead text behind) unless dead_ok. */
static void check_table(const struct nri_cliche *c, int dead_ok)
{
	size_t lz[65] = {0}, n = 0, len = 0;

	for (size_t i = 0; i < c->cap; i++) {
		uint64_t t;

		if (!c->e[i].h)
			continue;
		n++;
		lz[lead0(c->e[i].h)]++;
		assert_true(lead0(c->e[i].h) >= (c->level > 63 ? 63 : c->level));
		t = c->text[i];
		len += (size_t)(t & 0xffff);
		assert_true((t >> 16) + (t & 0xffff) <= c->arena.len);
	}
	assert_int_equal(n, c->en);
	assert_memory_equal(lz, c->lz, sizeof(lz));
	if (dead_ok)
		assert_true(len <= c->arena.len);
	else
		assert_int_equal(len, c->arena.len);
}

/* One table against the model, with no sampling and with a cap that
 * makes the level rise several times during the counting. */
static void test_model(void **state)
{
	static struct doc d[NDOC];
	static const size_t caps[] = {0, 2000, 400, 60, 7};

	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		make_corpus(d, NDOC, seed);
		for (size_t ci = 0; ci < sizeof(caps) / sizeof(*caps); ci++) {
			struct nri_cliche c;
			struct nri_cliche_item *items;
			size_t n;
			uint64_t tot[NGROUP], cl[NGROUP], etot[NGROUP], ecl[NGROUP];
			unsigned lv;

			model(d, NDOC, 4, caps[ci] ? caps[ci] : NRI_CLICHE_DEFAULT_PAIRS, 2, &lv,
			      etot, ecl);
			nri_cliche_init(&c, 4, 4, caps[ci]);
			for (size_t i = 0; i < NDOC; i++)
				feed(&c, &d[i], NULL);
			assert_int_equal(c.level, lv);
			assert_true(c.en <= c.max_pairs);
			check_table(&c, 0);
			assert_int_equal(
				nri_cliche_finish(&c, NGROUP, 2, tot, cl, &items, &n, 1000), NR_OK);
			assert_memory_equal(tot, etot, sizeof(tot));
			assert_memory_equal(cl, ecl, sizeof(cl));
			if (caps[ci] == 0) {
				/* the slogan, whole, with its placeholder */
				assert_true(n >= 1);
				assert_string_equal(items[0].text, "the town {city} river and "
								   "bridge night festival to old");
			}
			for (size_t i = 0; i < n; i++) {
				assert_true(items[i].cities >= 2);
				for (uint32_t g = 1; g < items[i].cities; g++)
					assert_true(items[i].groups[g - 1] < items[i].groups[g]);
			}
			nri_cliche_items_free(items, n);
			nri_cliche_release(&c);
		}
	}
}

/* a and b give the same result (finish uses them up). */
static void same_result(struct nri_cliche *a, struct nri_cliche *b)
{
	struct nri_cliche_item *ia, *ib;
	size_t na, nb;
	uint64_t ta[NGROUP], ca[NGROUP], tb[NGROUP], cb[NGROUP];

	assert_int_equal(a->level, b->level);
	assert_int_equal(a->en, b->en);
	assert_int_equal(nri_cliche_finish(a, NGROUP, 2, ta, ca, &ia, &na, 1000), NR_OK);
	assert_int_equal(nri_cliche_finish(b, NGROUP, 2, tb, cb, &ib, &nb, 1000), NR_OK);
	/* the tables went before the sort */
	assert_null(a->e);
	assert_null(b->e);
	assert_memory_equal(ta, tb, sizeof(ta));
	assert_memory_equal(ca, cb, sizeof(ca));
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(ia[i].text, ib[i].text);
		assert_int_equal(ia[i].cities, ib[i].cities);
		assert_int_equal(ia[i].docs, ib[i].docs);
		assert_int_equal(ia[i].example, ib[i].example);
		assert_int_equal(ia[i].units, ib[i].units);
		assert_memory_equal(ia[i].groups, ib[i].groups,
				    ia[i].cities * sizeof(*ia[i].groups));
	}
	nri_cliche_items_free(ia, na);
	nri_cliche_items_free(ib, nb);
}

/* The documents split between three tables (each with its own group
 * numbering, as the workers have), merged in either order: the same
 * result as one table, at every cap. */
static void test_split_merge(void **state)
{
	static struct doc d[NDOC];
	static const size_t caps[] = {0, 400, 60};
	/* worker w numbers group g as local[w][g]; back: to_global[w] */
	static const uint32_t local[3][NGROUP] = {
		{0, 1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1, 0}, {3, 0, 6, 2, 5, 1, 4}};
	uint32_t to_global[3][NGROUP];

	(void)state;
	for (int w = 0; w < 3; w++)
		for (uint32_t g = 0; g < NGROUP; g++)
			to_global[w][local[w][g]] = g;
	make_corpus(d, NDOC, 7);
	for (size_t ci = 0; ci < sizeof(caps) / sizeof(*caps); ci++) {
		struct nri_cliche one, one2, part[3], m1, m2;

		nri_cliche_init(&one, 4, 4, caps[ci]);
		nri_cliche_init(&one2, 4, 4, caps[ci]);
		nri_cliche_init(&m1, 4, 4, caps[ci]);
		nri_cliche_init(&m2, 4, 4, caps[ci]);
		for (int w = 0; w < 3; w++)
			nri_cliche_init(&part[w], 4, 4, caps[ci]);
		for (size_t i = 0; i < NDOC; i++) {
			int w = (int)((i * 7 + i / 5) % 3);

			feed(&one, &d[i], NULL);
			feed(&one2, &d[i], NULL);
			feed(&part[w], &d[i], local[w]);
		}
		for (int w = 0; w < 3; w++)
			assert_int_equal(nri_cliche_merge(&m1, &part[w], to_global[w]), NR_OK);
		for (int w = 2; w >= 0; w--)
			assert_int_equal(nri_cliche_merge(&m2, &part[w], to_global[w]), NR_OK);
		check_table(&m1, 0);
		check_table(&m2, 0);
		if (caps[ci] == 60)
			assert_true(one.level >= 2);
		same_result(&one, &m1);
		same_result(&one2, &m2);
		nri_cliche_release(&one);
		nri_cliche_release(&one2);
		nri_cliche_release(&m1);
		nri_cliche_release(&m2);
		for (int w = 0; w < 3; w++)
			nri_cliche_release(&part[w]);
	}
}

/* The end phase's merge: the first table moves into the empty merged
 * one, regrouped in place, the others are copied, each is released; the
 * same result as one table and as the copying merge, at every cap, also
 * when the merged table's level is already higher and when two groups
 * map to one. */
static void test_move_merge(void **state)
{
	static struct doc d[NDOC];
	static const size_t caps[] = {0, 400, 60};
	static const uint32_t local[3][NGROUP] = {
		{0, 1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1, 0}, {3, 0, 6, 2, 5, 1, 4}};
	uint32_t to_global[3][NGROUP], fold[3][NGROUP];

	(void)state;
	for (int w = 0; w < 3; w++)
		for (uint32_t g = 0; g < NGROUP; g++) {
			to_global[w][local[w][g]] = g;
			/* groups 5 and 6 become one */
			fold[w][local[w][g]] = g == 6 ? 5 : g;
		}
	make_corpus(d, NDOC, 13);
	for (size_t ci = 0; ci < sizeof(caps) / sizeof(*caps); ci++)
		for (int variant = 0; variant < 3; variant++) {
			struct nri_cliche one, one2, part[3], copy[3], mv, cp;
			uint32_t(*map)[NGROUP] = variant == 2 ? fold : to_global;

			nri_cliche_init(&one, 4, 4, caps[ci]);
			nri_cliche_init(&one2, 4, 4, caps[ci]);
			nri_cliche_init(&mv, 4, 4, caps[ci]);
			nri_cliche_init(&cp, 4, 4, caps[ci]);
			for (int w = 0; w < 3; w++) {
				nri_cliche_init(&part[w], 4, 4, caps[ci]);
				nri_cliche_init(&copy[w], 4, 4, caps[ci]);
			}
			for (size_t i = 0; i < NDOC; i++) {
				int w = (int)((i * 5 + i / 3) % 3);
				uint32_t g[3];
				struct doc x = d[i];

				for (size_t k = 0; k < x.ng; k++)
					g[k] = map[0][x.g[k]];
				memcpy(x.g, g, sizeof(g));
				feed(&one, &x, NULL);
				feed(&one2, &x, NULL);
				feed(&part[w], &d[i], local[w]);
				feed(&copy[w], &d[i], local[w]);
			}
			if (variant == 1) {
				/* the merged table already at a higher level: the
				 * moved entries it does not keep are dropped */
				mv.level = cp.level = part[0].level + 1;
			}
			for (int w = 0; w < 3; w++) {
				assert_int_equal(nri_cliche_merge(&cp, &copy[w], map[w]), NR_OK);
				assert_int_equal(nri_cliche_merge_move(&mv, &part[w], map[w]),
						 NR_OK);
				/* released: nothing left, and releasing again is harmless */
				assert_null(part[w].e);
				assert_null(part[w].arena.data);
				assert_int_equal(part[w].en, 0);
				check_table(&mv, variant == 2);
				check_table(&cp, 0);
			}
			/* folded, the parts hold more pairs than one table, so
			 * their level may be higher: one is compared unsampled */
			if (variant == 0 || (variant == 2 && caps[ci] == 0)) {
				same_result(&one, &mv);
				same_result(&one2, &cp);
			} else {
				same_result(&mv, &cp);
			}
			nri_cliche_release(&one);
			nri_cliche_release(&one2);
			nri_cliche_release(&mv);
			nri_cliche_release(&cp);
			for (int w = 0; w < 3; w++) {
				nri_cliche_release(&part[w]);
				nri_cliche_release(&copy[w]);
			}
		}
}

static void set_units(struct nri_units *u, const char *const *w, size_t n, int chars)
{
	u->n = n;
	u->chars = chars;
	for (size_t i = 0; i < n; i++) {
		memset(&u->v[i], 0, sizeof(u->v[i]));
		u->v[i].s = w[i];
		u->v[i].len = (uint32_t)strlen(w[i]);
		u->v[i].h = nri_hash(w[i], strlen(w[i]));
		u->v[i].stop = !chars && (!strcmp(w[i], "of") || !strcmp(w[i], "the"));
		u->v[i].cjk = chars;
	}
}

/* Counting rules: once per document, skipped n-grams, texts cut at a
 * whole unit, characters joined without spaces. */
static void test_rules(void **state)
{
	struct nri_cliche c;
	struct nri_unit store[16];
	struct nri_units u = {store, 0, 16, 0};
	struct nri_cliche_item *items;
	size_t n;
	uint64_t tot[3], cl[3];
	static char big[3][420];
	static const char *const rep[] = {"alpha", "beta",  "gamma", "delta", "alpha", "beta",
					  "gamma", "delta", "alpha", "beta",  "gamma", "delta"};
	static const char *const same[] = {"very", "very", "very", "very"};
	static const char *const stop[] = {"of", "the", "of", "the", "of"};
	static const char *const zh[] = {"欢", "迎", "来", "到", "杭", "州"};
	const char *longw[4];

	(void)state;
	/* a document repeating one 4-gram three times counts it once;
	 * "very very very very" and stopword-only n-grams are no n-grams */
	nri_cliche_init(&c, 4, 4, 0);
	for (uint32_t g = 0; g < 3; g++) {
		set_units(&u, rep, 12, 0);
		assert_int_equal(nri_cliche_add(&c, &u, &g, 1), NR_OK);
		set_units(&u, same, 4, 0);
		assert_int_equal(nri_cliche_add(&c, &u, &g, 1), NR_OK);
		set_units(&u, stop, 5, 0);
		assert_int_equal(nri_cliche_add(&c, &u, &g, 1), NR_OK);
		set_units(&u, rep, 3, 0); /* shorter than n */
		assert_int_equal(nri_cliche_add(&c, &u, &g, 1), NR_OK);
	}
	/* four distinct 4-grams (the cycle), three groups each */
	assert_int_equal(c.en, 4 * 3);
	assert_int_equal(nri_cliche_finish(&c, 3, 3, tot, cl, &items, &n, 100), NR_OK);
	for (int g = 0; g < 3; g++) {
		assert_int_equal(tot[g], 4);
		assert_int_equal(cl[g], 4);
	}
	assert_true(n >= 1);
	assert_int_equal(items[0].docs, 3);
	nri_cliche_items_free(items, n);
	nri_cliche_release(&c);

	/* units of 419 bytes: the text keeps the two that fit in 1024 bytes */
	for (int i = 0; i < 3; i++) {
		memset(big[i], 'a' + i, sizeof(big[i]) - 1);
		longw[i] = big[i];
	}
	longw[3] = "end";
	nri_cliche_init(&c, 4, 4, 0);
	for (uint32_t g = 0; g < 3; g++) {
		set_units(&u, longw, 4, 0);
		assert_int_equal(nri_cliche_add(&c, &u, &g, 1), NR_OK);
	}
	assert_int_equal(nri_cliche_finish(&c, 3, 3, tot, cl, &items, &n, 100), NR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(items[0].text), 419 + 1 + 419);
	assert_int_equal(items[0].text[419], ' ');
	assert_int_equal(items[0].text[420], 'b');
	nri_cliche_items_free(items, n);
	nri_cliche_release(&c);

	/* characters: 4-grams joined without spaces, a document in two
	 * groups at once */
	nri_cliche_init(&c, 4, 4, 0);
	for (uint32_t g = 0; g < 3; g += 2) {
		uint32_t gs[2] = {g, 1};

		set_units(&u, zh, 6, 1);
		assert_int_equal(nri_cliche_add(&c, &u, gs, 2), NR_OK);
	}
	assert_int_equal(nri_cliche_finish(&c, 3, 3, tot, cl, &items, &n, 100), NR_OK);
	assert_int_equal(tot[1], 2 * 3);
	assert_int_equal(tot[0], 3);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].text, "欢迎来到杭州");
	assert_int_equal(items[0].docs, 1 + 2 + 1);
	assert_int_equal(items[0].example, 1);
	nri_cliche_items_free(items, n);
	nri_cliche_release(&c);
}

/* Every allocation failing in turn: NR_ENOMEM or success, never a crash
 * or a leak (the sanitizer build checks), and a table that failed still
 * releases cleanly. */
static void test_alloc_failure(void **state)
{
	static struct doc d[60];

	(void)state;
	make_corpus(d, 60, 11);
	for (long k = 1; k < 80; k++) {
		struct nri_cliche a, b;
		int rc = NR_OK;

		nri_cliche_init(&a, 4, 4, 30);
		nri_cliche_init(&b, 4, 4, 30);
		for (size_t i = 0; i < 30; i++)
			feed(&b, &d[i], NULL);
		nri_alloc_fail_at(k);
		for (size_t i = 30; i < 60 && rc == NR_OK; i++) {
			struct nri_unit store[MAXU];
			struct nri_units u = {store, 0, MAXU, 0};

			doc_units(&d[i], &u);
			rc = nri_cliche_add(&a, &u, d[i].g, d[i].ng);
		}
		if (rc == NR_OK)
			rc = nri_cliche_merge(&a, &b, (const uint32_t[]){0, 1, 2, 3, 4, 5, 6});
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		nri_cliche_release(&a);
		nri_cliche_release(&b);
	}
	/* the move into an empty table: src released whatever happens */
	for (long k = 1; k < 20; k++) {
		struct nri_cliche a, b;
		int rc;

		nri_cliche_init(&a, 4, 4, 30);
		nri_cliche_init(&b, 4, 4, 30);
		for (size_t i = 0; i < 60; i++)
			feed(&b, &d[i], NULL);
		a.level = b.level + 1; /* a compaction after the move */
		nri_alloc_fail_at(k);
		rc = nri_cliche_merge_move(&a, &b, (const uint32_t[]){6, 5, 4, 3, 2, 1, 0});
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		assert_null(b.e);
		if (rc == NR_OK)
			check_table(&a, 0);
		nri_cliche_release(&a);
		nri_cliche_release(&b);
	}
	/* a merge into an empty table (the first worker's) */
	for (long k = 1; k < 20; k++) {
		struct nri_cliche a, b;
		int rc;

		nri_cliche_init(&a, 4, 4, 0);
		nri_cliche_init(&b, 4, 4, 0);
		for (size_t i = 0; i < 60; i++)
			feed(&b, &d[i], NULL);
		nri_alloc_fail_at(k);
		rc = nri_cliche_merge(&a, &b, (const uint32_t[]){0, 1, 2, 3, 4, 5, 6});
		nri_alloc_fail_at(0);
		assert_true(rc == NR_OK || rc == NR_ENOMEM);
		nri_cliche_release(&a);
		nri_cliche_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),	      cmocka_unit_test(test_split_merge),
		cmocka_unit_test(test_move_merge),    cmocka_unit_test(test_rules),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
