/*
 * conf_lsh_recall.c - LSH near-duplicate detection against brute force
 * (issue 5): a corpus of a few thousand documents with planted edited
 * copies at known edit rates (so Jaccard levels spread around the
 * threshold), in English-like and in Chinese text, tokenized by narrate,
 * shingled (words / characters), signed and banded with the default
 * parameters.  Every pair's exact Jaccard is the truth; the LSH candidate
 * pairs, verified, must reach recall >= 0.95 and precision >= 0.95 at the
 * threshold, and the union-find clusters must hold >= 0.95 of the true
 * pairs.  Prints the figures.  Exit 0 = pass.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"
#include "lsh.h"
#include "minhash.h"
#include "prng.h"

#define NBASE 500
#define THRESHOLD 0.5

struct corpus {
	size_t n;
	uint32_t **sh;
	uint32_t *shn;
};

static const double edit_rates[] = { 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6 };
#define NRATES (sizeof(edit_rates) / sizeof(edit_rates[0]))

/* A pseudo-word of 2-4 syllables, or a random Han character (UTF-8). */
static void unit(struct nri_prng *r, int zh, char *out)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ren", "tu", "sha", "ve", "dor",
					   "pin", "qua", "zel", "bo", "nix", "ter", "ul", "fay" };

	if (zh) {
		uint32_t cp = 0x4E00 + (uint32_t)nri_prng_below(r, 0x9FA5 - 0x4E00);

		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		out[3] = '\0';
		return;
	}
	out[0] = '\0';
	for (uint64_t k = 2 + nri_prng_below(r, 3); k > 0; k--)
		strcat(out, syl[nri_prng_below(r, 16)]);
}

/* Documents as arrays of units; copies replace a share of them. */
static char *render(char (*u)[16], size_t n, int zh)
{
	size_t len = 0;
	char *s = malloc(n * 17 + 1);

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(u[i]);

		if (!zh && i)
			s[len++] = ' ';
		memcpy(s + len, u[i], l);
		len += l;
	}
	s[len] = '\0';
	return s;
}

static int build(struct corpus *c, int zh, struct nr_tokenizer *tok, const struct nri_minhash *mh,
		 uint32_t **keys_out)
{
	struct nri_prng r;
	struct nri_units units;
	size_t cap = NBASE * (1 + NRATES), n = 0;
	char(*u)[16] = malloc(200 * sizeof(*u));
	char(*v)[16] = malloc(200 * sizeof(*v));
	uint32_t *sig = malloc(mh->nperm * sizeof(*sig));
	uint32_t *keys = malloc(cap * mh->bands * sizeof(*keys));

	nri_prng_seed(&r, zh ? 77 : 42);
	nri_units_init(&units);
	c->sh = calloc(cap, sizeof(*c->sh));
	c->shn = calloc(cap, sizeof(*c->shn));
	for (size_t b = 0; b < NBASE; b++) {
		size_t len = zh ? 60 + nri_prng_below(&r, 60) : 25 + nri_prng_below(&r, 30);
		int copies = b % 2 == 0; /* half the bases get edited copies */

		for (size_t i = 0; i < len; i++)
			unit(&r, zh, u[i]);
		for (size_t e = 0; e < (copies ? 1 + NRATES : 1); e++) {
			const struct nr_token *toks;
			size_t ntoks;
			char *text;

			memcpy(v, u, len * sizeof(*u));
			if (e)
				for (size_t i = 0; i < len; i++)
					if (nri_prng_uniform(&r) < edit_rates[e - 1])
						unit(&r, zh, v[i]);
			text = render(v, len, zh);
			if (nr_tokenize(tok, text, strlen(text), zh ? "zh" : "en", &toks, &ntoks) ||
			    nri_units_build(&units, toks, ntoks, NULL)) {
				fprintf(stderr, "tokenize failed\n");
				return 1;
			}
			c->sh[n] = malloc((units.n + 1) * sizeof(uint32_t));
			c->shn[n] = (uint32_t)nri_shingles(units.v, units.n,
							   units.chars ? NRI_SHINGLE_DEFAULT_CHARS
								       : NRI_SHINGLE_DEFAULT_WORDS,
							   c->sh[n]);
			if (zh != units.chars) {
				fprintf(stderr, "document %zu: expected %s units\n", n,
					zh ? "character" : "word");
				return 1;
			}
			nri_minhash_sign(mh, c->sh[n], c->shn[n], sig);
			nri_minhash_band_keys(mh, sig, keys + n * mh->bands);
			free(text);
			n++;
		}
	}
	c->n = n;
	nri_units_release(&units);
	free(u);
	free(v);
	free(sig);
	*keys_out = keys;
	return 0;
}

struct found {
	unsigned char *hit; /* n x n bits would be big: a sorted pair list */
	uint64_t *pairs;
	size_t n, cap;
	uint64_t verified_true;
};

static int on_pair(void *ctx, size_t i, size_t j, double jac)
{
	struct found *f = ctx;

	if (jac >= THRESHOLD) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 1024;
			f->pairs = realloc(f->pairs, f->cap * sizeof(*f->pairs));
		}
		f->pairs[f->n++] = (uint64_t)i << 32 | j;
	}
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static int run(int zh, struct nr_tokenizer *tok)
{
	struct nri_minhash mh;
	struct corpus c;
	struct nri_dupdocs d;
	uint32_t *keys, *root;
	unsigned b, r;
	struct found f = { 0 };
	uint64_t truth = 0, tp = 0, cand = 0, cl_tp = 0, cl_pairs = 0, cl_false = 0, verified;
	clock_t t0;
	double t_brute, t_lsh;
	int fail = 0;

	nri_lsh_params(THRESHOLD, NRI_MINHASH_DEFAULT_PERM, 0.1, 0.9, &b, &r);
	if (nri_minhash_init(&mh, NRI_MINHASH_DEFAULT_PERM, b, r, 0x6e61727261746521ULL))
		return 1;
	if (build(&c, zh, tok, &mh, &keys))
		return 1;
	d.n = c.n;
	d.nbands = b;
	d.keys = malloc(c.n * sizeof(*d.keys));
	d.sh = malloc(c.n * sizeof(*d.sh));
	d.shn = c.shn;
	d.shfull = c.shn;
	for (size_t i = 0; i < c.n; i++) {
		d.keys[i] = keys + i * b;
		d.sh[i] = c.sh[i];
	}
	t0 = clock();
	if (nri_lsh_pairs(&d, on_pair, &f, &cand))
		return 1;
	qsort(f.pairs, f.n, sizeof(*f.pairs), cmp_u64);
	root = malloc(c.n * sizeof(*root));
	if (nri_lsh_cluster(&d, THRESHOLD, 8, root, &verified))
		return 1;
	t_lsh = (double)(clock() - t0) / CLOCKS_PER_SEC;
	t0 = clock();
	for (size_t i = 0; i < c.n; i++)
		for (size_t j = i + 1; j < c.n; j++) {
			double jac = nri_jaccard(c.sh[i], c.shn[i], c.shn[i], c.sh[j], c.shn[j],
						 c.shn[j]);
			uint64_t key = (uint64_t)i << 32 | j;

			if (root[i] == root[j]) {
				cl_pairs++;
				cl_false += jac < THRESHOLD;
			}
			if (jac < THRESHOLD)
				continue;
			truth++;
			tp += bsearch(&key, f.pairs, f.n, sizeof(*f.pairs), cmp_u64) != NULL;
			cl_tp += root[i] == root[j];
		}
	t_brute = (double)(clock() - t0) / CLOCKS_PER_SEC;
	{
		double recall = truth ? (double)tp / (double)truth : 1;
		double precision = f.n ? (double)tp / (double)f.n : 1;
		double cl_recall = truth ? (double)cl_tp / (double)truth : 1;
		double cl_prec = cl_pairs ? (double)(cl_pairs - cl_false) / (double)cl_pairs : 1;
		double cand_prec = cand ? (double)f.n / (double)cand : 1;

		printf("%s: %zu documents, threshold %.2f, %u permutations, b=%u r=%u\n",
		       zh ? "Chinese (character 4-shingles)" : "English (word 3-shingles)", c.n,
		       THRESHOLD, mh.nperm, b, r);
		printf("  brute force: %llu pairs with Jaccard >= %.2f of %llu (%.2f s)\n",
		       (unsigned long long)truth, THRESHOLD,
		       (unsigned long long)c.n * (c.n - 1) / 2, t_brute);
		printf("  LSH pairs:   %llu candidates (%.3f of them true), %zu verified; "
		       "recall %.4f precision %.4f (%.3f s incl. clustering)\n",
		       (unsigned long long)cand, cand_prec, f.n, recall, precision, t_lsh);
		printf("  clusters:    recall %.4f, pair precision %.4f (%llu pairs in clusters, "
		       "%llu Jaccard checks)\n",
		       cl_recall, cl_prec, (unsigned long long)cl_pairs,
		       (unsigned long long)verified);
		/* cluster pair precision is printed, not asserted: union-find joins
		 * transitively (single linkage), so two edited copies of one
		 * original share a cluster even when they are below the threshold
		 * to each other (docs/homogeneity.md) */
		if (recall < 0.95 || precision < 0.95 || cl_recall < 0.95) {
			printf("  FAIL: below 0.95\n");
			fail = 1;
		}
		if (truth < 500) {
			printf("  FAIL: too few planted pairs (%llu) to judge\n",
			       (unsigned long long)truth);
			fail = 1;
		}
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.sh[i]);
	free(c.sh);
	free(c.shn);
	free(d.keys);
	free(d.sh);
	free(keys);
	free(root);
	free(f.pairs);
	nri_minhash_release(&mh);
	return fail;
}

int main(void)
{
	struct nr_tokenizer *tok;
	int fail = 0;

	if (nr_tokenizer_new(&tok, NULL)) {
		fprintf(stderr, "cannot create a tokenizer\n");
		return 1;
	}
	fail |= run(0, tok);
	fail |= run(1, tok);
	nr_tokenizer_free(tok);
	printf(fail ? "conf_lsh_recall: FAIL\n" : "conf_lsh_recall: ok\n");
	return fail;
}
