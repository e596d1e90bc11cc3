/*
 * bench_dedup.c - near-duplicate detection on a sample: brute force (exact
 * Jaccard over all pairs) against MinHash + LSH (docs/homogeneity.md).
 *
 *   bench_dedup [--docs N] [--threshold T] FILE.jsonl
 *
 * Reads the first N documents (default 5000) of FILE with the corpus
 * reader and tokenizes them into units (untimed, as both methods need
 * them).  Timed, CPU time: (1) brute force, the shingle sets and every
 * pair's exact Jaccard; (2) LSH as narrate runs it: one-permutation
 * signatures (and fingerprints of short documents), band keys, candidate
 * pairs verified, union-find clusters.  Prints pairs/s and documents/s of
 * each, the LSH recall against brute force on this sample, and what brute
 * force would need for a million documents.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"
#include "lsh.h"
#include "minhash.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct pairs {
	uint64_t *v;
	size_t n, cap;
	double t;
};

static int on_pair(void *ctx, size_t i, size_t j, double jac)
{
	struct pairs *p = ctx;

	if (jac >= p->t) {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 1024;
			p->v = realloc(p->v, p->cap * sizeof(*p->v));
		}
		p->v[p->n++] = (uint64_t)i << 32 | j;
	}
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
	size_t want = 5000, n = 0;
	double t = 0.5, t0, t_brute, t_lsh;
	const char *file = NULL;
	struct nr_corpus *c;
	struct nr_tokenizer *tok;
	struct nri_units u;
	struct nri_minhash mh;
	struct nri_dupdocs d;
	struct nri_unit **uv;
	size_t *un;
	unsigned *uk;
	uint8_t *sig, *nfp;
	uint16_t *fp;
	uint32_t **sh, *shn, *root;
	unsigned b, r;
	const struct nr_doc *doc;
	uint64_t truth = 0, found = 0, cand, verified;
	struct pairs p = { 0 };
	int ev;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--docs") && i + 1 < argc)
			want = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
			t = strtod(argv[++i], NULL);
		else
			file = argv[i];
	}
	if (!file || !want) {
		fprintf(stderr, "usage: bench_dedup [--docs N] [--threshold T] FILE.jsonl\n");
		return 2;
	}
	if (nr_corpus_new(&c, NULL) || nr_corpus_add_path(c, file) || nr_tokenizer_new(&tok, NULL)) {
		fprintf(stderr, "bench_dedup: cannot read '%s'\n", file);
		return 1;
	}
	nri_lsh_params(t, 128, 0.1, 0.9, &b, &r);
	nri_minhash_init(&mh, 128, b, r, 0x6e61727261746521ULL);
	nri_units_init(&u);
	sh = calloc(want, sizeof(*sh));
	shn = calloc(want, sizeof(*shn));
	uv = calloc(want, sizeof(*uv));
	un = calloc(want, sizeof(*un));
	uk = calloc(want, sizeof(*uk));
	sig = malloc(want * 128);
	fp = malloc(want * NRI_DUP_EXACT * sizeof(*fp));
	nfp = calloc(want, 1);
	root = malloc(want * sizeof(*root));
	while (n < want && (ev = nr_corpus_next(c, &doc)) != NR_CORPUS_END) {
		const struct nr_token *toks;
		size_t nt;

		if (ev != NR_CORPUS_DOC)
			continue;
		if (nr_tokenize(tok, doc->text, doc->text_len, doc->lang, &toks, &nt) ||
		    nri_units_build(&u, toks, nt, NULL))
			continue;
		uv[n] = malloc((u.n + 1) * sizeof(*uv[n]));
		memcpy(uv[n], u.v, u.n * sizeof(*u.v));
		un[n] = u.n;
		uk[n] = u.chars ? 4 : 3; /* narrate's default shingles */
		n++;
	}
	/* brute force: the shingle sets, then every pair */
	t0 = cpu_now();
	for (size_t i = 0; i < n; i++) {
		sh[i] = malloc((un[i] + 1) * sizeof(uint32_t));
		shn[i] = (uint32_t)nri_shingles(uv[i], un[i], uk[i], sh[i]);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			truth += nri_jaccard(sh[i], shn[i], sh[j], shn[j]) >= t;
	t_brute = cpu_now() - t0;
	/* LSH */
	t0 = cpu_now();
	d.n = n;
	d.mh = &mh;
	d.sig = malloc(n * sizeof(*d.sig));
	d.fp = malloc(n * sizeof(*d.fp));
	d.nfp = nfp;
	for (size_t i = 0; i < n; i++) {
		d.sig[i] = NULL;
		d.fp[i] = fp + i * NRI_DUP_EXACT;
		if (!un[i])
			continue;
		nfp[i] = (uint8_t)nri_minhash_sign(&mh, uv[i], un[i], uk[i],
						   sig + i * 128, fp + i * NRI_DUP_EXACT,
						   NRI_DUP_EXACT);
		d.sig[i] = sig + i * 128;
	}
	nri_lsh_cluster(&d, t, 8, root, &verified);
	t_lsh = cpu_now() - t0;
	p.t = t;
	nri_lsh_pairs(&d, on_pair, &p, &cand);
	found = p.n;
	{
		double pairs = (double)n * (double)(n - 1) / 2;
		double pps = pairs / (t_brute > 0 ? t_brute : 1e-9);
		double million = 1e6 * (1e6 - 1) / 2 / pps;

		printf("sample: %zu documents, threshold %.2f, 128 permutations, b=%u r=%u\n", n, t, b,
		       r);
		printf("brute force: %.0f pairs in %.2f s CPU = %.3g pairs/s (%.0f docs/s); "
		       "%llu pairs >= threshold\n",
		       pairs, t_brute, pps, (double)n / t_brute, (unsigned long long)truth);
		printf("LSH:         %.3f s CPU = %.0f docs/s (signatures, bands, %llu similarity "
		       "checks, clusters); %.0fx brute force on this sample\n",
		       t_lsh, (double)n / t_lsh, (unsigned long long)verified, t_brute / t_lsh);
		printf("LSH pairs found %llu of %llu (recall %.3f) from %llu candidates\n",
		       (unsigned long long)found, (unsigned long long)truth,
		       truth ? (double)found / (double)truth : 1.0, (unsigned long long)cand);
		printf("brute force on 1,000,000 documents would take ~%.0f CPU hours\n",
		       million / 3600);
	}
	qsort(p.v, p.n, sizeof(*p.v), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		free(sh[i]);
		free(uv[i]);
	}
	free(sh);
	free(shn);
	free(uv);
	free(un);
	free(uk);
	free(sig);
	free(fp);
	free(nfp);
	free(root);
	free(d.sig);
	free(d.fp);
	free(p.v);
	nri_units_release(&u);
	nri_minhash_release(&mh);
	nr_tokenizer_free(tok);
	nr_corpus_free(c);
	return 0;
}
