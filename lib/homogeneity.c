/*
 * homogeneity.c - near-duplicate clusters, cliches and the homogeneity
 * index of each group, inside `narrate analyze` and `narrate homogeneity`
 * (docs/homogeneity.md, docs/measures.md).
 *
 * Workers sign each document and keep its MinHash signature with its
 * sequence number; after the merge the documents are taken in input
 * order, so clusters (and every output) are the same whatever the thread
 * count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "cliche.h"
#include "homogeneity.h"
#include "lsh.h"
#include "minhash.h"

#define DEFAULT_THRESHOLD    0.5
#define DEFAULT_CLICHE_SHARE 0.2
#define LSH_W_FP	     0.1 /* false positives only cost a verification */
#define LSH_W_FN	     0.9
#define MAX_REPS	     8
#define MINHASH_SEED	     0x6e61727261746521ULL /* "narrate!" */
#define MAX_K		     32

int nri_homogeneity_setup(struct nr_analysis *a)
{
	const struct nr_analysis_options *o = &a->o;
	unsigned nperm = o->minhash_perm ? o->minhash_perm : NRI_MINHASH_DEFAULT_PERM;
	unsigned b = o->lsh_bands, r = o->lsh_rows;
	int rc;

	a->dup_threshold = o->dup_threshold > 0 ? o->dup_threshold : DEFAULT_THRESHOLD;
	if (!(o->dup_threshold >= 0 && a->dup_threshold <= 1)) {
		snprintf(a->errmsg, sizeof(a->errmsg),
			 "near-duplicate threshold must be in (0, 1], not %g", o->dup_threshold);
		return NR_EINVAL;
	}
	if (nperm > 1024) {
		snprintf(a->errmsg, sizeof(a->errmsg), "at most 1024 MinHash permutations, not %u",
			 nperm);
		return NR_EINVAL;
	}
	if (!b != !r || (b && (uint64_t)b * r > nperm)) {
		snprintf(a->errmsg, sizeof(a->errmsg),
			 "LSH bands and rows go together, with bands x rows <= permutations "
			 "(%u)",
			 nperm);
		return NR_EINVAL;
	}
	if (!b)
		nri_lsh_params(a->dup_threshold, nperm, LSH_W_FP, LSH_W_FN, &b, &r);
	a->shingle_words = o->shingle_words ? o->shingle_words : NRI_SHINGLE_DEFAULT_WORDS;
	a->shingle_chars = o->shingle_chars ? o->shingle_chars : NRI_SHINGLE_DEFAULT_CHARS;
	a->ngram_words = o->ngram_words ? o->ngram_words : NRI_CLICHE_DEFAULT_WORDS;
	a->ngram_chars = o->ngram_chars ? o->ngram_chars : NRI_CLICHE_DEFAULT_CHARS;
	if (a->shingle_words > MAX_K || a->shingle_chars > MAX_K || a->ngram_words > MAX_K ||
	    a->ngram_chars > MAX_K) {
		snprintf(a->errmsg, sizeof(a->errmsg), "shingle and n-gram lengths go from 1 to %d",
			 MAX_K);
		return NR_EINVAL;
	}
	a->cliche_share = o->cliche_share > 0 ? o->cliche_share : DEFAULT_CLICHE_SHARE;
	if (!(o->cliche_share >= 0 && a->cliche_share <= 1)) {
		snprintf(a->errmsg, sizeof(a->errmsg), "cliche share must be in (0, 1], not %g",
			 o->cliche_share);
		return NR_EINVAL;
	}
	rc = nri_minhash_init(&a->mh, nperm, b, r, MINHASH_SEED);
	if (rc == NR_EINVAL)
		snprintf(a->errmsg, sizeof(a->errmsg), "bad MinHash parameters");
	return rc;
}

int nri_homogeneity_worker_init(struct nri_worker *w)
{
	struct nr_analysis *a = w->a;

	nri_units_init(&w->units);
	nri_dupstore_init(&w->dup, a->mh.nperm, (a->o.flags & NR_ANALYZE_DUP_TEXT) != 0);
	nri_cliche_init(&w->cliche, a->ngram_words, a->ngram_chars, 0);
	w->doc_groups = nri_malloc((w->ncity + 1) * sizeof(*w->doc_groups));
	if (!w->doc_groups)
		return NR_ENOMEM;
	return NR_OK;
}

void nri_homogeneity_worker_release(struct nri_worker *w)
{
	nri_units_release(&w->units);
	nri_dupstore_release(&w->dup);
	nri_cliche_release(&w->cliche);
	nri_free(w->doc_groups);
	for (size_t i = 0; i < w->ngid; i++)
		nri_free(w->gid[i]);
	nri_free(w->gid);
	nri_free(w->gmap);
}

/* A document is signed straight from its units into its slot of the
 * worker's store: its signature (nperm bytes) and, when it is short, its
 * shingle set as 16-bit fingerprints are all near-duplicate detection
 * keeps of it (docs/homogeneity.md). */
int nri_homogeneity_doc(struct nri_worker *w, uint64_t seq, const struct nr_token *toks,
			size_t ntoks, size_t ngroups, const char *id, size_t idlen,
			const char *text, size_t textlen)
{
	struct nr_analysis *a = w->a;
	int content = 0, rc;
	const int dups = !(a->o.flags & NR_ANALYZE_NO_NEAR_DUPS);
	const int cliches = !(a->o.flags & NR_ANALYZE_NO_CLICHES);

	if (!ngroups)
		return NR_OK; /* not attributed: in no group's figures */
	if (!dups && !cliches)
		return NR_OK; /* both turned off: no units needed */
	rc = nri_units_build(&w->units, toks, ntoks, a->lex[NRI_LEX_CITIES] ? w->in_city : NULL);
	if (rc)
		return rc;
	/* a post that is only city names ("Hangzhou", "#杭州#") has no
	 * content to be a copy of: treated as empty */
	for (size_t i = 0; i < w->units.n && !content; i++)
		content = !w->units.v[i].city;
	if (content && dups) {
		uint8_t *sig;
		uint16_t *fp;
		size_t nfp;

		rc = nri_dupstore_add(&w->dup, seq, w->doc_groups, ngroups, id, idlen, text,
				      textlen, &sig, &fp);
		if (rc)
			return rc;
		nfp = nri_minhash_sign(&a->mh, w->units.v, w->units.n,
				       w->units.chars ? a->shingle_chars : a->shingle_words, sig,
				       fp, NRI_DUP_EXACT);
		nri_dupstore_keep_fp(&w->dup, nfp);
	}
	return cliches ? nri_cliche_add(&w->cliche, &w->units, w->doc_groups, ngroups) : NR_OK;
}

int nri_homogeneity_before_merge(struct nr_analysis *a)
{
	for (unsigned i = 0; i < a->nthreads; i++) {
		struct nri_worker *w = &a->workers[i];

		w->gid = nri_calloc(w->ngroups ? w->ngroups : 1, sizeof(*w->gid));
		if (!w->gid)
			return NR_ENOMEM;
		w->ngid = w->ngroups;
		for (size_t g = 0; g < w->ngroups; g++)
			if (!(w->gid[g] = nri_strndup(w->groups[g].id, strlen(w->groups[g].id))))
				return NR_ENOMEM;
	}
	return NR_OK;
}

static int cmp_id_group(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct nri_group *)elem)->id);
}

static int make_gmaps(struct nr_analysis *a)
{
	for (unsigned i = 0; i < a->nthreads; i++) {
		struct nri_worker *w = &a->workers[i];

		w->gmap = nri_malloc((w->ngid ? w->ngid : 1) * sizeof(*w->gmap));
		if (!w->gmap)
			return NR_ENOMEM;
		for (size_t g = 0; g < w->ngid; g++) {
			const struct nri_group *f = bsearch(w->gid[g], a->groups, a->ngroups,
							    sizeof(*a->groups), cmp_id_group);

			w->gmap[g] = f ? (uint32_t)(f - a->groups) : UINT32_MAX;
		}
	}
	return NR_OK;
}

/* Every worker's documents in input order (nri_dupdocs_view); then the
 * sequence numbers are dead and go before the clustering allocates. */
static int build_view(struct nr_analysis *a)
{
	const struct nri_dupstore **st = nri_malloc(a->nthreads * sizeof(*st));
	int rc;

	if (!st)
		return NR_ENOMEM;
	for (unsigned i = 0; i < a->nthreads; i++)
		st[i] = &a->workers[i].dup;
	rc = nri_dupdocs_view(&a->dd, &a->mh, st, a->nthreads);
	nri_free(st);
	if (rc)
		return rc;
	for (unsigned i = 0; i < a->nthreads; i++) {
		nri_free(a->workers[i].dup.seq);
		a->workers[i].dup.seq = NULL;
	}
	return NR_OK;
}

/* Document m's groups, as indexes local to its worker *w (map them with
 * w->gmap); *n of them. */
static const uint32_t *doc_groups(const struct nr_analysis *a, uint32_t m,
				  const struct nri_worker **w, size_t *n)
{
	unsigned wi;
	size_t l;

	nri_dupdocs_where(&a->dd, m, &wi, &l);
	*w = &a->workers[wi];
	*n = (*w)->dup.gn[l];
	return (*w)->dup.gpool + (*w)->dup.goff[l];
}

/* dup_within / dup_across per group, cluster numbers, the clusters two
 * groups share. */
static int cluster_stats(struct nr_analysis *a, uint64_t *within, uint64_t *across)
{
	size_t n = a->dd.n, G = a->ngroups;
	uint32_t *cnt = NULL, *start = NULL, *members = NULL, *gcnt = NULL, *touched = NULL;
	int rc = NR_ENOMEM;

	a->dup_cluster = nri_calloc(n ? n : 1, sizeof(*a->dup_cluster));
	a->shared = nri_calloc(G ? G * G : 1, sizeof(*a->shared));
	cnt = nri_calloc(n + 1, sizeof(*cnt));
	start = nri_malloc((n + 1) * sizeof(*start));
	members = nri_malloc((n ? n : 1) * sizeof(*members));
	gcnt = nri_calloc(G ? G : 1, sizeof(*gcnt));
	touched = nri_malloc((G ? G : 1) * sizeof(*touched));
	if (!a->dup_cluster || !a->shared || !cnt || !start || !members || !gcnt || !touched)
		goto out;
	for (size_t i = 0; i < n; i++)
		cnt[a->dup_root[i]]++;
	/* members of each root, in input order (counting sort) */
	{
		uint32_t sum = 0;

		for (size_t i = 0; i < n; i++) {
			start[i] = sum;
			sum += cnt[i];
		}
		start[n] = sum;
		for (size_t i = 0; i < n; i++)
			members[start[a->dup_root[i]]++] = (uint32_t)i;
		for (size_t i = n; i > 0; i--)
			start[i] = start[i - 1];
		start[0] = 0;
	}
	a->nclusters = a->ncross = 0;
	for (size_t r = 0; r < n; r++) {
		size_t s = cnt[r], nt = 0;

		if (s < 2)
			continue;
		a->nclusters++;
		for (size_t k = start[r]; k < start[r] + s; k++) {
			uint32_t m = members[k];
			const struct nri_worker *w;
			size_t ng;
			const uint32_t *gl = doc_groups(a, m, &w, &ng);

			a->dup_cluster[m] = (uint32_t)a->nclusters;
			for (size_t q = 0; q < ng; q++) {
				uint32_t g = w->gmap[gl[q]];

				if (g >= G)
					continue;
				if (!gcnt[g]++)
					touched[nt++] = g;
			}
		}
		for (size_t k = start[r]; k < start[r] + s; k++) {
			const struct nri_worker *w;
			size_t ng;
			const uint32_t *gl = doc_groups(a, members[k], &w, &ng);

			for (size_t q = 0; q < ng; q++) {
				uint32_t g = w->gmap[gl[q]];

				if (g >= G)
					continue;
				within[g] += gcnt[g] >= 2;
				across[g] += s - gcnt[g] > 0;
			}
		}
		if (nt >= 2)
			a->ncross++;
		for (size_t x = 0; x < nt; x++)
			for (size_t y = 0; y < nt; y++)
				if (x != y)
					a->shared[touched[x] * G + touched[y]]++;
		for (size_t x = 0; x < nt; x++)
			gcnt[touched[x]] = 0;
	}
	rc = NR_OK;
out:
	nri_free(cnt);
	nri_free(start);
	nri_free(members);
	nri_free(gcnt);
	nri_free(touched);
	return rc;
}

static unsigned min_cities(const struct nr_analysis *a)
{
	size_t G = a->ngroups;
	double m;

	if (a->o.cliche_min_cities)
		return a->o.cliche_min_cities;
	m = ceil(a->cliche_share * (double)G - 1e-9);
	if (m < 3)
		m = 3;
	if (m > (double)G)
		m = (double)G;
	if (m < 2)
		m = 2;
	return (unsigned)m;
}

/* The index: each component min-max normalised over the groups, then the
 * mean of the available ones (docs/measures.md).  A component equal in
 * every group (or a single group) counts 0.5: it says nothing about which
 * group is more alike. */
static void index_of(struct nr_analysis *a)
{
	static const int comp[] = {M_DUP_WITHIN, M_DUP_ACROSS, M_CLICHE_RATE, M_COSINE_MEAN};
	const size_t nc = sizeof(comp) / sizeof(comp[0]);
	double lo[4], hi[4];

	for (size_t c = 0; c < nc; c++) {
		lo[c] = INFINITY;
		hi[c] = -INFINITY;
		for (size_t g = 0; g < a->ngroups; g++) {
			double v = a->results[g].m[comp[c]];

			if (isnan(v))
				continue;
			lo[c] = v < lo[c] ? v : lo[c];
			hi[c] = v > hi[c] ? v : hi[c];
		}
	}
	for (size_t g = 0; g < a->ngroups; g++) {
		struct nri_result *r = &a->results[g];
		double sum = 0;
		size_t k = 0;

		for (size_t c = 0; c < nc; c++) {
			double v = r->m[comp[c]];

			if (isnan(v))
				continue;
			sum += hi[c] > lo[c] ? (v - lo[c]) / (hi[c] - lo[c]) : 0.5;
			k++;
		}
		r->m[M_HOMOGENEITY] = k ? sum / (double)k : NAN;
		r->m[M_DISTINCTIVENESS] = k ? 1 - r->m[M_HOMOGENEITY] : NAN;
	}
}

/* The cliches: every worker's table into one (each released as it is
 * merged), groups mapped to the final indexes, in worker order (the result
 * does not depend on it), then the selection. */
static int cliche_run(struct nr_analysis *a, uint64_t *total, uint64_t *cliche)
{
	struct nri_cliche merged;
	int rc = NR_OK;

	nri_cliche_init(&merged, a->ngram_words, a->ngram_chars, 0);
	for (unsigned i = 0; i < a->nthreads && !rc; i++)
		rc = nri_cliche_merge_move(&merged, &a->workers[i].cliche, a->workers[i].gmap);
	if (!rc) {
		a->cliche_min_cities = min_cities(a);
		a->cliche_level = merged.level;
		rc = nri_cliche_finish(&merged, a->ngroups, a->cliche_min_cities, total, cliche,
				       &a->cliches, &a->ncliches, 10000);
	}
	nri_cliche_release(&merged);
	return rc;
}

int nri_homogeneity_compute(struct nr_analysis *a)
{
	size_t G = a->ngroups;
	uint64_t *within = NULL, *across = NULL, *total = NULL, *cliche = NULL;
	int rc;

	within = nri_calloc(G ? G : 1, sizeof(*within));
	across = nri_calloc(G ? G : 1, sizeof(*across));
	total = nri_calloc(G ? G : 1, sizeof(*total));
	cliche = nri_calloc(G ? G : 1, sizeof(*cliche));
	if (!within || !across || !total || !cliche) {
		rc = NR_ENOMEM;
		goto out;
	}
	if ((rc = make_gmaps(a)))
		goto out;
	/* the cliches first: their tables go before the near-duplicate
	 * clustering allocates, so the two peaks do not add up (run side by
	 * side they did, and peak memory went over the input's size) */
	if ((rc = cliche_run(a, total, cliche)))
		goto out;
	if ((rc = build_view(a)))
		goto out;
	a->dup_root = nri_malloc((a->dd.n ? a->dd.n : 1) * sizeof(*a->dup_root));
	if (!a->dup_root) {
		rc = NR_ENOMEM;
		goto out;
	}
	rc = nri_lsh_cluster_mt(&a->dd, a->dup_threshold, MAX_REPS, a->nthreads, a->dup_root,
				&a->dup_verified);
	if (rc)
		goto out;
	if ((rc = cluster_stats(a, within, across)))
		goto out;
	for (size_t g = 0; g < G; g++) {
		struct nri_result *r = &a->results[g];
		double docs = (double)a->groups[g].docs;

		int dups = docs > 0 && !(a->o.flags & NR_ANALYZE_NO_NEAR_DUPS);

		r->m[M_DUP_WITHIN] = dups ? (double)within[g] / docs : NAN;
		r->m[M_DUP_ACROSS] = dups ? (double)across[g] / docs : NAN;
		r->m[M_CLICHE_RATE] = total[g] && G >= a->cliche_min_cities
					      ? (double)cliche[g] / (double)total[g]
					      : NAN;
	}
	index_of(a);
	rc = NR_OK;
out:
	nri_free(within);
	nri_free(across);
	nri_free(total);
	nri_free(cliche);
	return rc;
}

void nri_homogeneity_release(struct nr_analysis *a)
{
	nri_minhash_release(&a->mh);
	nri_dupdocs_release(&a->dd);
	memset(&a->dd, 0, sizeof(a->dd));
	nri_free(a->dup_root);
	nri_free(a->dup_cluster);
	nri_free(a->shared);
	nri_cliche_items_free(a->cliches, a->ncliches);
	a->cliches = NULL;
	a->ncliches = 0;
}

const char *nr_analysis_cliche(const struct nr_analysis *a, size_t k, size_t *cities, size_t *docs)
{
	if (!a || k >= a->ncliches)
		return NULL;
	if (cities)
		*cities = a->cliches[k].cities;
	if (docs)
		*docs = a->cliches[k].docs;
	return a->cliches[k].text;
}
