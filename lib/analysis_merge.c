/*
 * analysis_merge.c - the end of an analysis run, before the measures: the
 * workers' vocabularies become one with term ids in the words' byte order,
 * each worker group's counts move onto those ids (radix sorted), groups of
 * the same id from different workers are folded into one, and the counts,
 * rejects and languages without a stopword list are gathered.  Only
 * integer counts are merged and everything comes out in a fixed order, so
 * the measures computed next (analysis_measures.c) are the same whatever
 * the thread count.
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "homogeneity.h"
#include "radix.h"
#include "strmap.h"
#include "vocab.h"

/* Turn a worker group's counts by worker vocabulary id into its term
 * arrays, ascending by term id (key_bits: the bits of the largest). */
static int group_terms_from_ids(const uint32_t *term_map, unsigned key_bits, struct nri_group *g)
{
	int rc;

	nri_free(g->term_ids);
	nri_free(g->term_counts);
	rc = nri_termcount_sorted(&g->tcount, term_map, key_bits, &g->term_ids, &g->term_counts,
				  &g->nterms);
	if (rc)
		return rc;
	nri_termcount_release(&g->tcount);
	return NR_OK;
}

struct vocab_item {
	const char *s;
	size_t len;
	uint32_t id;
};

static int cmp_vocab_item(const void *x, const void *y)
{
	const struct vocab_item *a = x, *b = y;
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

/* The corpus vocabulary: every worker's words interned into a->terms, term
 * ids given in the words' byte order (so that what is summed over terms is
 * summed in the same order whatever thread met a word first), and each
 * worker group's counts moved onto term ids. */
static int merge_vocab(struct nr_analysis *a)
{
	struct vocab_item *it = NULL;
	uint32_t *rank = NULL;
	size_t n;
	int rc = NR_OK;

	nri_vocab_init(&a->terms, 0);
	for (unsigned i = 0; i < a->nthreads; i++) {
		struct nri_worker *w = &a->workers[i];

		w->term_map = nri_malloc((w->vocab.n ? w->vocab.n : 1) * sizeof(*w->term_map));
		if (!w->term_map)
			return NR_ENOMEM;
		for (size_t l = 0; l < w->vocab.n; l++) {
			size_t len;
			const char *s = nri_vocab_str(&w->vocab, (uint32_t)l, &len);

			if ((rc = nri_vocab_intern(&a->terms, s, len, &w->term_map[l], NULL)))
				return rc;
		}
	}
	n = a->terms.n;
	it = nri_malloc((n ? n : 1) * sizeof(*it));
	rank = nri_malloc((n ? n : 1) * sizeof(*rank));
	a->term_order = nri_malloc((n ? n : 1) * sizeof(*a->term_order));
	if (!it || !rank || !a->term_order) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		it[i].s = nri_vocab_str(&a->terms, (uint32_t)i, &it[i].len);
		it[i].id = (uint32_t)i;
	}
	qsort(it, n, sizeof(*it), cmp_vocab_item);
	for (size_t i = 0; i < n; i++) {
		a->term_order[i] = it[i].id;
		rank[it[i].id] = (uint32_t)i;
	}
	for (unsigned i = 0; i < a->nthreads && !rc; i++) {
		struct nri_worker *w = &a->workers[i];

		for (size_t l = 0; l < w->vocab.n; l++)
			w->term_map[l] = rank[w->term_map[l]];
		for (size_t gi = 0; gi < w->ngroups && !rc; gi++)
			rc = group_terms_from_ids(w->term_map, nri_bits_of(n), &w->groups[gi]);
		nri_free(w->term_map);
		w->term_map = NULL;
		nri_vocab_release(&w->vocab);
	}
out:
	nri_free(it);
	nri_free(rank);
	return rc;
}

/* Fold src's terms into dst's: two ascending runs merged into one. */
static int merge_terms(struct nri_group *dst, const struct nri_group *src)
{
	size_t cap = dst->nterms + src->nterms, i = 0, j = 0, n = 0;
	uint32_t *ids = nri_malloc((cap ? cap : 1) * sizeof(*ids));
	struct nri_term_count *tc = nri_malloc((cap ? cap : 1) * sizeof(*tc));

	if (!ids || !tc) {
		nri_free(ids);
		nri_free(tc);
		return NR_ENOMEM;
	}
	while (i < dst->nterms || j < src->nterms) {
		if (j >= src->nterms || (i < dst->nterms && dst->term_ids[i] < src->term_ids[j])) {
			ids[n] = dst->term_ids[i];
			tc[n++] = dst->term_counts[i++];
		} else if (i >= dst->nterms || src->term_ids[j] < dst->term_ids[i]) {
			ids[n] = src->term_ids[j];
			tc[n++] = src->term_counts[j++];
		} else {
			ids[n] = dst->term_ids[i];
			tc[n].total = dst->term_counts[i].total + src->term_counts[j].total;
			tc[n++].content =
				dst->term_counts[i++].content + src->term_counts[j++].content;
		}
	}
	nri_free(dst->term_ids);
	nri_free(dst->term_counts);
	dst->term_ids = ids;
	dst->term_counts = tc;
	dst->nterms = n;
	return NR_OK;
}

static int merge_keymap(struct nri_strmap *dst, const struct nri_strmap *src)
{
	for (size_t i = 0; i < src->nslots; i++) {
		const struct nri_strmap_slot *s = &src->slots[i];
		struct nri_strmap_slot *d;
		int rc;

		if (!s->hash)
			continue;
		rc = nri_strmap_put(dst, s->key, s->len, &d, NULL);
		if (rc)
			return rc;
		d->value += s->value;
	}
	return NR_OK;
}

/* Fold src into dst (same group id), then empty src. */
static int merge_group(struct nr_analysis *a, struct nri_group *dst, struct nri_group *src)
{
	int rc;

	dst->docs += src->docs;
	dst->tokens += src->tokens;
	dst->content_tokens += src->content_tokens;
	dst->tone_pos += src->tone_pos;
	dst->tone_neg += src->tone_neg;
	dst->interaction_docs += src->interaction_docs;
	dst->likes += src->likes;
	dst->shares += src->shares;
	dst->comments += src->comments;
	dst->views += src->views;
	for (size_t c = 0; c < nri_analysis_ncat(a, NRI_LEX_TOPICS); c++)
		dst->topic_docs[c] += src->topic_docs[c];
	for (size_t c = 0; c < nri_analysis_ncat(a, NRI_LEX_FRAMES); c++)
		dst->frame_docs[c] += src->frame_docs[c];
	if ((rc = merge_keymap(&dst->langs, &src->langs)) ||
	    (rc = merge_keymap(&dst->platforms, &src->platforms)) ||
	    (rc = merge_keymap(&dst->media, &src->media)) ||
	    (rc = merge_keymap(&dst->author_types, &src->author_types)))
		return rc;
	if ((rc = merge_terms(dst, src)))
		return rc;
	/* captures: merge the two seq-ordered segment lists, keep the first N */
	{
		struct nri_group m;
		size_t i = 0, j = 0;

		memset(&m, 0, sizeof(m));
		while (i < dst->nsegs || j < src->nsegs) {
			const struct nri_group *from;
			const struct nri_capture_seg *sg;

			if (j >= src->nsegs ||
			    (i < dst->nsegs && dst->segs[i].seq < src->segs[j].seq))
				from = dst, sg = &dst->segs[i++];
			else
				from = src, sg = &src->segs[j++];
			rc = nri_capture_add(&m, sg->seq, from->capture + sg->start, sg->len,
					     a->o.lexdiv_tokens);
			if (rc) {
				nri_free(m.capture);
				nri_free(m.segs);
				return rc;
			}
			if (m.ncapture >= a->o.lexdiv_tokens)
				break;
		}
		nri_free(dst->capture);
		nri_free(dst->segs);
		dst->capture = m.capture;
		dst->ncapture = m.ncapture;
		dst->capture_cap = m.capture_cap;
		dst->segs = m.segs;
		dst->nsegs = m.nsegs;
		dst->segs_cap = m.segs_cap;
	}
	nri_group_release(src);
	return NR_OK;
}

static int cmp_group_id(const void *x, const void *y)
{
	return strcmp(((const struct nri_group *)x)->id, ((const struct nri_group *)y)->id);
}

static int cmp_str_ptr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The languages without a stopword list, their codes in byte order (the
 * map's slots depend on the order the workers' maps were merged). */
static int nostop_order(struct nr_analysis *a)
{
	size_t n = 0;

	a->nostop_keys = nri_malloc((a->nostop.count + 1) * sizeof(*a->nostop_keys));
	if (!a->nostop_keys)
		return NR_ENOMEM;
	a->counts.no_stopwords = 0;
	for (size_t i = 0; i < a->nostop.nslots; i++)
		if (a->nostop.slots[i].hash) {
			a->nostop_keys[n++] = a->nostop.slots[i].key;
			a->counts.no_stopwords += a->nostop.slots[i].value;
		}
	qsort(a->nostop_keys, n, sizeof(*a->nostop_keys), cmp_str_ptr);
	a->nostop_keys[n] = NULL;
	return NR_OK;
}

int nri_analysis_merge(struct nr_analysis *a)
{
	struct nri_worker *w0 = &a->workers[0];
	int rc;

	rc = nri_homogeneity_before_merge(a);
	if (rc)
		return rc;
	rc = merge_vocab(a);
	if (rc)
		return rc;
	/* groups of every worker into worker 0 */
	for (unsigned i = 1; i < a->nthreads; i++) {
		struct nri_worker *w = &a->workers[i];

		for (size_t gi = 0; gi < w->ngroups; gi++) {
			struct nri_group *src = &w->groups[gi], *dst;
			char *keys[NRI_KEY_COUNT];

			memcpy(keys, src->keys, sizeof(keys));
			rc = nri_group_get(w0, src->id, strlen(src->id), keys, src->city_entity,
					   &dst);
			if (rc)
				return rc;
			rc = merge_group(a, dst, src);
			if (rc)
				return rc;
		}
		w->ngroups = 0;
	}
	/* counts */
	memset(&a->counts, 0, sizeof(a->counts));
	a->counts.read = a->read;
	a->counts.skipped_files = a->skipped_files;
	a->counts.rejected = nri_reject_count(&a->reader_rejects);
	for (unsigned i = 0; i < a->nthreads; i++) {
		struct nri_worker *w = &a->workers[i];

		a->counts.analysed += w->analysed;
		a->counts.unattributed += w->unattributed;
		a->counts.dates_unread += w->dates_unread;
		if ((rc = merge_keymap(&a->nostop, &w->nostop)))
			return rc;
		a->counts.repaired += w->repaired;
		a->counts.bytes += w->bytes;
		a->counts.rejected += nri_reject_count(&w->rejects);
	}
	if ((rc = nostop_order(a)))
		return rc;
	/* take the merged groups, sorted by id */
	a->groups = w0->groups;
	a->ngroups = w0->ngroups;
	w0->groups = NULL;
	w0->ngroups = w0->groups_cap = 0;
	nri_strmap_release(&w0->group_index);
	nri_strmap_init(&w0->group_index, 0);
	if (a->ngroups)
		qsort(a->groups, a->ngroups, sizeof(*a->groups), cmp_group_id);
	a->counts.groups = a->ngroups;

	return nri_analysis_compute(a);
}
