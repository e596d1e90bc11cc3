/*
 * analysis_measures.c - the measures of `narrate analyze`, computed once
 * the workers' accumulators are merged (analysis_merge.c): lexical diversity,
 * frames, tone, key terms and under-used terms, tf-idf cosines, topic JSD
 * and concentration.  Everything here runs on merged integer counts in a
 * fixed order (terms by their bytes, groups by id), which is what keeps the
 * output the same whatever the thread count.  Formulas: docs/measures.md.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "concentration.h"
#include "diversity.h"
#include "homogeneity.h"
#include "keyness.h"
#include "lexdiv.h"
#include "radix.h"
#include "vocab.h"

#define KEY_G2_MIN    10.83 /* p < 0.001 with one degree of freedom */
#define KEY_LR_MIN    1.0   /* at least twice as frequent as elsewhere */
#define KEY_MIN_COUNT 3

/* Corpus-wide counts per term id (a->terms): what key terms, under-used
 * terms and tf-idf need. */
struct vocab {
	uint32_t *df;	 /* groups using the term (content count > 0) */
	uint64_t *total; /* content count over all groups */
	size_t n;
};

struct sparse {
	uint32_t *id;
	double *w;
	size_t n;
};

/* qsort has no context argument in C11: sort key terms through an array of
 * (g2, term index) pairs instead. */
struct key_item {
	double g2, lr;
	uint64_t other;
	size_t term;
	const char *s;
	size_t len;
};

/* G2 descending, ties by the term's bytes: a group's terms ascend by term
 * id, and term ids follow the words' byte order, so the term index is the
 * byte order. */
static int cmp_key_item(const void *x, const void *y)
{
	const struct key_item *a = x, *b = y;

	if (a->g2 != b->g2)
		return a->g2 < b->g2 ? 1 : -1;
	return (a->term > b->term) - (a->term < b->term);
}

static const char *attr(const struct nr_analysis *a, int entity, const char *key)
{
	if (entity < 0 || !a->lex[NRI_LEX_CITIES])
		return NULL;
	return nr_lexicon_entity_attr(a->lex[NRI_LEX_CITIES], entity, key);
}

static double attr_num(const struct nr_analysis *a, int entity, const char *key)
{
	const char *v = attr(a, entity, key);
	char *end;
	double d;

	if (!v)
		return NAN;
	d = strtod(v, &end);
	return end != v ? d : NAN;
}

/* Qinling-Huaihe line: the lexicon's own north_south attribute when it has
 * one, else latitude 33 degrees N as a documented approximation. */
static const char *north_south(const struct nr_analysis *a, int entity, double lat)
{
	const char *v = attr(a, entity, "north_south");

	if (v && (!strcmp(v, "north") || !strcmp(v, "south")))
		return !strcmp(v, "north") ? "north" : "south";
	if (isnan(lat))
		return NULL;
	return lat >= 33.0 ? "north" : "south";
}

static const char *region(const struct nr_analysis *a, int entity)
{
	static const char *const ok[] = {"east", "central", "west", "northeast"};
	const char *v = attr(a, entity, "region");

	for (size_t i = 0; v && i < 4; i++)
		if (!strcmp(v, ok[i]))
			return ok[i];
	return NULL;
}

/* The terms the group uses markedly less than the rest of the corpus: G2
 * <= -3.84 (p < 0.05) among terms the group would be expected to use at
 * least 5 times, the 10 most under-used kept (ties by the term's bytes).
 * They are the other side of the key-term bars in report.html. */
static void under_used(const struct nr_analysis *an, struct nri_result *r, const struct vocab *voc,
		       uint64_t c, uint64_t d)
{
	const struct nri_group *g = r->g;
	size_t cur = 0;

	r->nunder = 0;
	if (!c || !d)
		return;
	/* term ids ascending, the group's terms too: walk both */
	for (uint32_t id = 0; id < voc->n; id++) {
		uint64_t total = voc->total[id], av, b;
		double e1, g2;
		size_t k, len;
		const char *key;

		while (cur < g->nterms && g->term_ids[cur] < id)
			cur++;
		if (!total)
			continue;
		e1 = (double)c * (double)total / (double)(c + d);
		if (e1 < 5)
			continue;
		av = cur < g->nterms && g->term_ids[cur] == id ? g->term_counts[cur].content : 0;
		b = total - av;
		g2 = nri_g2(av, b, c, d);
		if (g2 > -3.84)
			continue;
		key = nri_analysis_term(an, id, &len);
		/* insertion into the sorted top 10: most negative first, then
		 * bytes (ids ascend in byte order, so an equal G2 already in
		 * the list comes first) */
		for (k = r->nunder; k > 0 && r->under[k - 1].g2 > g2; k--)
			;
		if (k >= 10)
			continue;
		if (r->nunder < 10)
			r->nunder++;
		memmove(&r->under[k + 1], &r->under[k], (r->nunder - 1 - k) * sizeof(r->under[0]));
		r->under[k].s = key;
		r->under[k].len = len;
		r->under[k].count = av;
		r->under[k].other = b;
		r->under[k].g2 = g2;
		r->under[k].lr = nri_log_ratio(av, b, c, d);
	}
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

/* A group's term frequencies, ascending, into freqs: radix sorted when
 * they fit in 32 bits (always, short of four billion tokens of one word),
 * which costs a few passes instead of a comparison sort's 20-odd calls per
 * term. */
static int sort_freqs(const struct nri_group *g, uint64_t *freqs)
{
	uint64_t max = 0, *tmp;

	for (size_t t = 0; t < g->nterms; t++) {
		freqs[t] = g->term_counts[t].total;
		max = freqs[t] > max ? freqs[t] : max;
	}
	if (max > UINT32_MAX) {
		qsort(freqs, g->nterms, sizeof(*freqs), cmp_u64);
		return NR_OK;
	}
	tmp = nri_malloc((g->nterms ? g->nterms : 1) * sizeof(*tmp));
	if (!tmp)
		return NR_ENOMEM;
	for (size_t t = 0; t < g->nterms; t++)
		freqs[t] <<= 32;
	nri_radix_hi32(freqs, tmp, g->nterms, nri_bits_of(max));
	for (size_t t = 0; t < g->nterms; t++)
		freqs[t] >>= 32;
	nri_free(tmp);
	return NR_OK;
}

static int compute_group(struct nr_analysis *a, struct nri_result *r, struct vocab *voc,
			 uint64_t total_content)
{
	struct nri_group *g = r->g;
	uint64_t *freqs;
	double *x;
	size_t nc;
	int err = NR_OK;

	for (int m = 0; m < M_COUNT; m++)
		r->m[m] = NAN;
	r->m[M_DOCUMENTS] = (double)g->docs;
	r->m[M_TOKENS] = (double)g->tokens;
	r->m[M_TYPES] = (double)g->nterms;
	r->m[M_TTR] = nri_ttr(g->tokens, g->nterms);
	freqs = nri_malloc((g->nterms ? g->nterms : 1) * sizeof(*freqs));
	if (!freqs)
		return NR_ENOMEM;
	/* the floating-point sums run over the frequencies in ascending order
	 * (as they always have: the same digits in the output) */
	err = sort_freqs(g, freqs);
	if (err) {
		nri_free(freqs);
		return err;
	}
	r->m[M_HDD] = nri_hdd(freqs, g->nterms, 42);
	r->m[M_YULES_K] = nri_yules_k(freqs, g->nterms);
	nri_free(freqs);
	r->m[M_MATTR] = nri_mattr(g->capture, g->ncapture, 100, &err);
	if (err)
		return err;
	r->m[M_MTLD] = nri_mtld(g->capture, g->ncapture, 0.72, &err);
	if (err)
		return err;

	/* frames: distribution over leaf frame categories (topic entropy and
	 * JSD need the whole corpus: merge_and_compute does them) */
	nc = nri_analysis_ncat(a, NRI_LEX_FRAMES);
	x = nri_calloc(nc ? nc : 1, sizeof(*x));
	if (!x)
		return NR_ENOMEM;
	if (a->lex[NRI_LEX_FRAMES]) {
		size_t k = 0;

		/* frames: the leaf categories */
		for (size_t c = 0; c < nri_analysis_ncat(a, NRI_LEX_FRAMES); c++) {
			int leaf = 1;

			for (size_t c2 = 0; c2 < nri_analysis_ncat(a, NRI_LEX_FRAMES); c2++)
				if (nr_lexicon_category_parent(a->lex[NRI_LEX_FRAMES], (int)c2) ==
				    (int)c)
					leaf = 0;
			if (leaf)
				x[k++] = (double)g->frame_docs[c];
		}
		r->m[M_FRAME_SHANNON] = nri_shannon(x, k);
		r->m[M_FRAME_SIMPSON] = nri_gini_simpson(x, k);
		r->m[M_FRAME_HILL0] = nri_hill(x, k, 0);
		r->m[M_FRAME_HILL1] = nri_hill(x, k, 1);
		r->m[M_FRAME_HILL2] = nri_hill(x, k, 2);
	}
	nri_free(x);
	if (a->lex[NRI_LEX_TONE] && g->tokens) {
		r->m[M_TONE_POS] = (double)g->tone_pos / (double)g->tokens;
		r->m[M_TONE_NEG] = (double)g->tone_neg / (double)g->tokens;
		r->m[M_TONE_NET] = r->m[M_TONE_POS] - r->m[M_TONE_NEG];
	}
	r->m[M_INTERACTION_RATE] = g->docs ? (double)g->interaction_docs / (double)g->docs : NAN;
	r->m[M_ENGAGEMENT_PER_DOC] =
		g->docs ? (double)(g->likes + g->shares + g->comments) / (double)g->docs : NAN;
	r->m[M_LANGUAGES] = (double)g->langs.count;
	r->m[M_PLATFORMS] = (double)g->platforms.count;
	r->m[M_LIKES] = (double)g->likes;
	r->m[M_SHARES] = (double)g->shares;
	r->m[M_COMMENTS] = (double)g->comments;
	r->m[M_VIEWS] = (double)g->views;

	/* key terms against the rest of the corpus */
	if (a->ngroups > 1) {
		struct key_item *items = nri_malloc((g->nterms ? g->nterms : 1) * sizeof(*items));
		size_t nk = 0;
		uint64_t c = g->content_tokens, dtot = total_content - g->content_tokens, keyed = 0;

		if (!items)
			return NR_ENOMEM;
		for (size_t i = 0; i < g->nterms; i++) {
			const struct nri_term_count *tc = &g->term_counts[i];
			uint64_t av = tc->content, bv;
			double g2, lr;

			if (av < KEY_MIN_COUNT)
				continue;
			bv = voc->total[g->term_ids[i]] - av;
			g2 = nri_g2(av, bv, c, dtot);
			lr = nri_log_ratio(av, bv, c, dtot);
			if (g2 < KEY_G2_MIN || !(lr >= KEY_LR_MIN))
				continue;
			items[nk].g2 = g2;
			items[nk].lr = lr;
			items[nk].other = bv;
			items[nk].term = i;
			items[nk].s = nri_analysis_term(a, g->term_ids[i], &items[nk].len);
			keyed += av;
			nk++;
		}
		qsort(items, nk, sizeof(*items), cmp_key_item);
		r->m[M_DISTINCT_SHARE] = c ? (double)keyed / (double)c : NAN;
		r->nkey = nk;
		r->key_terms = nri_malloc((nk ? nk : 1) * sizeof(size_t));
		r->key_g2 = nri_malloc((nk ? nk : 1) * sizeof(double));
		r->key_lr = nri_malloc((nk ? nk : 1) * sizeof(double));
		r->key_other = nri_malloc((nk ? nk : 1) * sizeof(uint64_t));
		r->key_s = nri_malloc((nk ? nk : 1) * sizeof(char *));
		r->key_len = nri_malloc((nk ? nk : 1) * sizeof(size_t));
		if (!r->key_terms || !r->key_g2 || !r->key_lr || !r->key_other || !r->key_s ||
		    !r->key_len) {
			nri_free(items);
			return NR_ENOMEM;
		}
		for (size_t i = 0; i < nk; i++) {
			r->key_terms[i] = items[i].term;
			r->key_g2[i] = items[i].g2;
			r->key_lr[i] = items[i].lr;
			r->key_other[i] = items[i].other;
			r->key_s[i] = items[i].s;
			r->key_len[i] = items[i].len;
		}
		nri_free(items);
		under_used(a, r, voc, c, dtot);
	}
	return NR_OK;
}

static int build_vocab(struct nr_analysis *a, struct vocab *v, uint64_t *total_content)
{
	*total_content = 0;
	v->n = a->terms.n;
	v->df = nri_calloc(v->n ? v->n : 1, sizeof(*v->df));
	v->total = nri_calloc(v->n ? v->n : 1, sizeof(*v->total));
	if (!v->df || !v->total)
		return NR_ENOMEM;
	for (size_t gi = 0; gi < a->ngroups; gi++) {
		const struct nri_group *g = &a->groups[gi];

		*total_content += g->content_tokens;
		for (size_t i = 0; i < g->nterms; i++) {
			uint64_t cnt = g->term_counts[i].content;

			if (!cnt)
				continue;
			v->df[g->term_ids[i]]++;
			v->total[g->term_ids[i]] += cnt;
		}
	}
	return NR_OK;
}

/* tf-idf vectors (raw counts x smoothed idf, L2-normalised) and their
 * cosines.  idf = ln((1 + G) / (1 + df)) + 1, scikit-learn's default, with
 * G the number of groups: a term every group uses still weighs 1. */
static int compute_cosine(struct nr_analysis *a, struct vocab *v)
{
	size_t G = a->ngroups;
	struct sparse *vec = nri_calloc(G ? G : 1, sizeof(*vec));
	double *dense = NULL;
	int rc = NR_OK;

	a->cosine = nri_calloc(G ? G * G : 1, sizeof(double));
	if (!vec || !a->cosine) {
		nri_free(vec);
		return NR_ENOMEM;
	}
	for (size_t gi = 0; gi < G; gi++) {
		struct nri_group *g = &a->groups[gi];
		size_t n = 0;
		double norm = 0;

		vec[gi].id = nri_malloc((g->nterms ? g->nterms : 1) * sizeof(uint32_t));
		vec[gi].w = nri_malloc((g->nterms ? g->nterms : 1) * sizeof(double));
		if (!vec[gi].id || !vec[gi].w) {
			rc = NR_ENOMEM;
			goto out;
		}
		/* term ids ascend in byte order: the sums below run in the same
		 * order whatever the threads did */
		for (size_t i = 0; i < g->nterms; i++) {
			uint32_t id = g->term_ids[i];
			double idf, w;

			if (!g->term_counts[i].content)
				continue;
			idf = log((1.0 + (double)G) / (1.0 + (double)v->df[id])) + 1;
			w = (double)g->term_counts[i].content * idf;
			vec[gi].id[n] = id;
			vec[gi].w[n++] = w;
			norm += w * w;
		}
		vec[gi].n = n;
		norm = sqrt(norm);
		for (size_t i = 0; i < n && norm > 0; i++)
			vec[gi].w[i] /= norm;
	}
	/* group i's vector spread over a dense array, then each later group's
	 * entries looked up in it: no branch per step as in a merge of two
	 * sorted lists.  The products of the shared terms are added in
	 * ascending term id as before (a term group i lacks adds an exact
	 * +0, which leaves a non-negative sum unchanged), so the values are
	 * the same bits. */
	dense = nri_calloc(v->n ? v->n : 1, sizeof(*dense));
	if (!dense) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < G; i++) {
		a->cosine[i * G + i] = vec[i].n ? 1 : NAN;
		for (size_t p = 0; p < vec[i].n; p++)
			dense[vec[i].id[p]] = vec[i].w[p];
		for (size_t j = i + 1; j < G; j++) {
			double dot = 0;

			for (size_t q = 0; q < vec[j].n; q++)
				dot += dense[vec[j].id[q]] * vec[j].w[q];
			if (!vec[i].n || !vec[j].n)
				dot = NAN;
			a->cosine[i * G + j] = a->cosine[j * G + i] = dot;
		}
		for (size_t p = 0; p < vec[i].n; p++)
			dense[vec[i].id[p]] = 0;
	}
out:
	nri_free(dense);
	for (size_t gi = 0; gi < G; gi++) {
		nri_free(vec[gi].id);
		nri_free(vec[gi].w);
	}
	nri_free(vec);
	return rc;
}

/* compute_group over every group, on up to a->nthreads threads that take
 * the next group in turn (groups differ in size by orders of magnitude).
 * A group's measures are its own and computed the same way on any thread,
 * so the output does not depend on the threads. */
struct group_jobs {
	struct nr_analysis *a;
	struct vocab *voc;
	uint64_t total_content;
	pthread_mutex_t mu;
	size_t next;
	int rc;
};

static void *group_jobs_run(void *arg)
{
	struct group_jobs *j = arg;

	for (;;) {
		size_t gi;
		int rc;

		pthread_mutex_lock(&j->mu);
		gi = j->rc ? j->a->ngroups : j->next++;
		pthread_mutex_unlock(&j->mu);
		if (gi >= j->a->ngroups)
			return NULL;
		rc = compute_group(j->a, &j->a->results[gi], j->voc, j->total_content);
		if (rc) {
			pthread_mutex_lock(&j->mu);
			if (!j->rc)
				j->rc = rc;
			pthread_mutex_unlock(&j->mu);
		}
	}
}

static int compute_groups(struct nr_analysis *a, struct vocab *voc, uint64_t total_content)
{
	struct group_jobs j;
	pthread_t *th = NULL;
	size_t nt = a->nthreads > 1 && a->ngroups > 1 ? a->nthreads : 1, started = 0;

	if (nt > a->ngroups)
		nt = a->ngroups;
	memset(&j, 0, sizeof(j));
	j.a = a;
	j.voc = voc;
	j.total_content = total_content;
	pthread_mutex_init(&j.mu, NULL);
	/* without the array or a thread, fewer threads do the work */
	if (nt > 1 && (th = nri_malloc((nt - 1) * sizeof(*th))))
		while (started < nt - 1 && !pthread_create(&th[started], NULL, group_jobs_run, &j))
			started++;
	group_jobs_run(&j);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	nri_free(th);
	pthread_mutex_destroy(&j.mu);
	return j.rc;
}

int nri_analysis_compute(struct nr_analysis *a)
{
	struct vocab voc;
	uint64_t total_content = 0;
	double *topic_pool = NULL, *topic_g = NULL, *x = NULL;
	size_t ntop = 0;
	int rc;

	memset(&voc, 0, sizeof(voc));
	rc = build_vocab(a, &voc, &total_content);
	if (rc)
		goto out;
	a->results = nri_calloc(a->ngroups ? a->ngroups : 1, sizeof(*a->results));
	if (!a->results) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (size_t gi = 0; gi < a->ngroups; gi++) {
		struct nri_result *r = &a->results[gi];
		struct nri_group *g = &a->groups[gi];
		const char *nm;

		r->g = g;
		r->nearest = -1;
		nm = attr(a, g->city_entity, "name_en");
		if (a->nkeys == 1 || !g->keys[NRI_KEY_CITY]) {
			r->name = nri_strndup(nm ? nm : g->id, strlen(nm ? nm : g->id));
		} else {
			struct nri_buf b;

			nri_buf_init(&b, 0);
			for (size_t k = 0; k < a->nkeys; k++) {
				const char *v =
					a->keys[k] == NRI_KEY_CITY && nm ? nm : g->keys[a->keys[k]];

				if ((k && nri_buf_adds(&b, " | ")) ||
				    nri_buf_adds(&b, v ? v : "")) {
					nri_buf_release(&b);
					rc = NR_ENOMEM;
					goto out;
				}
			}
			r->name = nri_buf_detach(&b, NULL);
		}
		if (!r->name) {
			rc = NR_ENOMEM;
			goto out;
		}
		nm = attr(a, g->city_entity, "name_zh");
		if (nm && !(r->name_zh = nri_strndup(nm, strlen(nm)))) {
			rc = NR_ENOMEM;
			goto out;
		}
		r->lat = attr_num(a, g->city_entity, "lat");
		r->lon = attr_num(a, g->city_entity, "lon");
		r->region = region(a, g->city_entity);
		r->north_south = north_south(a, g->city_entity, r->lat);
	}
	rc = compute_groups(a, &voc, total_content);
	if (rc)
		goto out;
	rc = compute_cosine(a, &voc);
	if (rc)
		goto out;
	for (size_t i = 0; i < a->ngroups; i++) {
		double sum = 0, best = -1;
		size_t n = 0;

		for (size_t j = 0; j < a->ngroups; j++) {
			double c = a->cosine[i * a->ngroups + j];

			if (i == j || isnan(c))
				continue;
			sum += c;
			n++;
			if (c > best) {
				best = c;
				a->results[i].nearest = (int)j;
			}
		}
		a->results[i].m[M_COSINE_MEAN] = n ? sum / (double)n : NAN;
		a->results[i].m[M_COSINE_MAX] = n ? best : NAN;
	}
	rc = nri_homogeneity_compute(a);
	if (rc)
		goto out;
	/* JSD of each group's top-level topic profile from the pooled one */
	if (a->lex[NRI_LEX_TOPICS]) {
		const struct nr_lexicon *lx = a->lex[NRI_LEX_TOPICS];
		size_t nc = nri_analysis_ncat(a, NRI_LEX_TOPICS);
		size_t *top = nri_malloc((nc ? nc : 1) * sizeof(*top));

		topic_pool = nri_calloc(nc ? nc : 1, sizeof(double));
		topic_g = nri_calloc(nc ? nc : 1, sizeof(double));
		if (!top || !topic_pool || !topic_g) {
			nri_free(top);
			rc = NR_ENOMEM;
			goto out;
		}
		for (size_t c = 0; c < nc; c++) {
			int p = nr_lexicon_category_parent(lx, (int)c);

			/* the topic level: children of the root category ("topic") */
			if (p >= 0 && nr_lexicon_category_parent(lx, p) < 0)
				top[ntop++] = c;
		}
		for (size_t gi = 0; gi < a->ngroups; gi++)
			for (size_t k = 0; k < ntop; k++)
				topic_pool[k] += (double)a->groups[gi].topic_docs[top[k]];
		for (size_t gi = 0; gi < a->ngroups; gi++) {
			for (size_t k = 0; k < ntop; k++)
				topic_g[k] = (double)a->groups[gi].topic_docs[top[k]];
			a->results[gi].m[M_JSD_TOPICS] = nri_jsd(topic_g, topic_pool, ntop);
			a->results[gi].m[M_TOPIC_ENTROPY] = nri_shannon(topic_g, ntop);
		}
		nri_free(top);
	}
	/* concentration of documents and engagement over groups */
	x = nri_calloc(a->ngroups ? a->ngroups : 1, sizeof(double));
	if (!x) {
		rc = NR_ENOMEM;
		goto out;
	}
	/* the HHI first: the other two sort x (the HHI's sum runs in group
	 * order) */
	for (size_t gi = 0; gi < a->ngroups; gi++)
		x[gi] = (double)a->groups[gi].docs;
	a->conc_docs[1] = nri_hhi(x, a->ngroups);
	a->conc_docs[0] = nri_gini(x, a->ngroups);
	a->conc_docs[2] = nri_top_share(x, a->ngroups, 10);
	for (size_t gi = 0; gi < a->ngroups; gi++)
		x[gi] = (double)(a->groups[gi].likes + a->groups[gi].shares +
				 a->groups[gi].comments);
	a->conc_eng[1] = nri_hhi(x, a->ngroups);
	a->conc_eng[0] = nri_gini(x, a->ngroups);
	a->conc_eng[2] = nri_top_share(x, a->ngroups, 10);
	rc = NR_OK;
out:
	nri_free(x);
	nri_free(topic_pool);
	nri_free(topic_g);
	nri_free(voc.df);
	nri_free(voc.total);
	return rc;
}
