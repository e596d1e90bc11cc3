/*
 * phrase.c - cliches as readers see them: overlapping n-grams joined into
 * phrases ("a perfect blend of tradition and modernity" from its 4-grams)
 * and rendered, words spaced (but not after an elided article: l'été) and
 * CJK characters joined (docs/homogeneity.md).  cliche.c counts and
 * selects the n-grams.
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "cliche.h"
#include "phrase.h"

/* Code points of scripts written without spaces: no space around them
 * when an n-gram is rendered. */
static int nospace(const char *s, size_t len, int last)
{
	const unsigned char *p;
	uint32_t cp;
	size_t i = 0;

	if (!len)
		return 0;
	if (last) {
		i = len - 1;
		while (i && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
	}
	p = (const unsigned char *)s + i;
	if (p[0] < 0xE0)
		return 0;
	if (p[0] < 0xF0) {
		if (i + 3 > len)
			return 0;
		cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	} else {
		if (i + 4 > len)
			return 0;
		cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		     (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
	}
	return (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x2E80 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* units separated by NRI_CLICHE_SEP -> display text */
static char *render(const char *s, size_t len)
{
	struct nri_buf b;
	size_t start = 0;
	const char *prev = NULL;
	size_t prevlen = 0;

	nri_buf_init(&b, 0);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != NRI_CLICHE_SEP)
			continue;
		/* no space after an elided article (l'architecture: the
		 * tokenizer splits it off in French, Italian, Catalan...) */
		if (prev && !nospace(prev, prevlen, 1) && !nospace(s + start, i - start, 0) &&
		    (!prevlen || prev[prevlen - 1] != '\'') && nri_buf_addc(&b, ' '))
			goto fail;
		if (nri_buf_add(&b, s + start, i - start))
			goto fail;
		prev = s + start;
		prevlen = i - start;
		start = i + 1;
	}
	if (!b.data && nri_buf_add(&b, "", 0))
		goto fail;
	return nri_buf_detach(&b, NULL);
fail:
	nri_buf_release(&b);
	return NULL;
}

/* Offsets of the first and the last separators: prefix = s[0..last),
 * suffix = s[first+1..len). */
static void seps(const char *s, size_t len, size_t *first, size_t *last)
{
	*first = *last = len;
	for (size_t i = 0; i < len; i++)
		if (s[i] == NRI_CLICHE_SEP) {
			if (*first == len)
				*first = i;
			*last = i;
		}
}

/* n-grams sorted by prefix (or suffix): for the lookups of nri_phrase_chain() */
struct affix {
	const char *s;
	size_t len;
	size_t i;
};

static int cmp_affix(const void *x, const void *y)
{
	const struct affix *a = x, *b = y;
	size_t m = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, m);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* The first entry of v[0..n) equal to key (s, len), or n. */
static size_t affix_first(const struct affix *v, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct affix k = {s, len, 0};

		if (cmp_affix(&v[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].len == len && !memcmp(v[lo].s, s, len) ? lo : n;
}

/* A neighbour is "of the same phrase" when it is used by at least as many
 * cities and in at least 90% as many documents as the phrase's first
 * n-gram: a fragment shared with other templates is more frequent, and
 * the walk passes through it. */
static int follows(const struct nri_phrase_ngram *base, const struct nri_phrase_ngram *x)
{
	return x->cities >= base->cities && (double)x->docs >= 0.9 * (double)base->docs;
}

/* From an n-gram left over by the first pass (its phrase's start was
 * taken by another phrase), walk left through unused predecessors of the
 * same phrase to the leftmost: the phrase then comes out whole, once. */
static size_t leftmost(const struct nri_phrase_ngram *r, size_t n, const struct affix *suf,
		       const unsigned char *used, uint32_t *stamp, size_t i)
{
	size_t cur = i;
	uint32_t mark = (uint32_t)(n + i + 1);

	stamp[i] = mark;
	for (;;) {
		size_t f, l, k, best = SIZE_MAX;
		double bd = 0;

		seps(r[cur].s, r[cur].len, &f, &l);
		if (f == r[cur].len)
			break;
		for (k = affix_first(suf, n, r[cur].s, l);
		     k < n && suf[k].len == l && !memcmp(suf[k].s, r[cur].s, l); k++) {
			size_t j = suf[k].i;
			double d = (double)r[j].docs - (double)r[i].docs;

			d = d < 0 ? -d : d;
			if (used[j] || stamp[j] == mark || !follows(&r[i], &r[j]))
				continue;
			if (best == SIZE_MAX || d < bd) {
				best = j;
				bd = d;
			}
		}
		if (best == SIZE_MAX)
			break;
		stamp[best] = mark;
		cur = best;
	}
	return cur;
}

/* Phrases from overlapping n-grams.  Each n-gram is a node; an edge joins
 * an n-gram whose last n - 1 units are another's first n - 1.  A phrase
 * starts at an n-gram with no predecessor "of the same phrase" and walks
 * right, at each step to the successor of the same phrase whose document
 * count is closest to the start's (ties: the smaller text), through
 * fragments shared with other templates (more frequent) and on to the
 * start's own continuation, until none is left.  A shared fragment is
 * also a phrase of its own, from its own start; n-grams left in no phrase
 * (cycles) stand alone. */
int nri_phrase_chain(const struct nri_phrase_ngram *r, size_t n, struct nri_cliche_item **out,
		     size_t *nout)
{
	struct affix *pre = NULL, *suf = NULL;
	unsigned char *used = NULL;
	uint32_t *stamp = NULL;
	struct nri_cliche_item *items = NULL;
	struct nri_buf b;
	size_t ni = 0;
	int rc = NR_ENOMEM;

	nri_buf_init(&b, 0);
	pre = nri_malloc((n ? n : 1) * sizeof(*pre));
	suf = nri_malloc((n ? n : 1) * sizeof(*suf));
	used = nri_calloc(n ? n : 1, 1);
	stamp = nri_calloc(n ? n : 1, sizeof(*stamp));
	items = nri_calloc(n ? n : 1, sizeof(*items));
	if (!pre || !suf || !used || !stamp || !items)
		goto out;
	for (size_t i = 0; i < n; i++) {
		size_t f, l;

		seps(r[i].s, r[i].len, &f, &l);
		pre[i].s = r[i].s;
		pre[i].len = f == r[i].len ? 0 : l;
		pre[i].i = i;
		suf[i].s = f == r[i].len ? r[i].s : r[i].s + f + 1;
		suf[i].len = f == r[i].len ? 0 : r[i].len - f - 1;
		suf[i].i = i;
	}
	qsort(pre, n, sizeof(*pre), cmp_affix);
	qsort(suf, n, sizeof(*suf), cmp_affix);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i0 = 0; i0 < n; i0++) {
			struct nri_cliche_item *it;
			size_t f, l, i = i0, cur;
			uint32_t units = 1;
			int start = 1;

			if (used[i0])
				continue;
			if (pass == 1)
				i = leftmost(r, n, suf, used, stamp, i0);
			cur = i;
			seps(r[i].s, r[i].len, &f, &l);
			if (pass == 0 && f < r[i].len) {
				/* a predecessor of the same phrase: not a start */
				size_t k = affix_first(suf, n, r[i].s, l);

				for (; k < n && suf[k].len == l && !memcmp(suf[k].s, r[i].s, l);
				     k++)
					if (suf[k].i != i && follows(&r[i], &r[suf[k].i]))
						start = 0;
			}
			if (!start)
				continue;
			nri_buf_reset(&b);
			if (nri_buf_add(&b, r[i].s, r[i].len))
				goto out;
			used[i] = 1;
			stamp[i] = (uint32_t)i + 1;
			for (;;) {
				size_t cf, cl, best = SIZE_MAX, k;
				double bd = 0;

				seps(r[cur].s, r[cur].len, &cf, &cl);
				if (cf == r[cur].len)
					break;
				k = affix_first(pre, n, r[cur].s + cf + 1, r[cur].len - cf - 1);
				for (; k < n && pre[k].len == r[cur].len - cf - 1 &&
				       !memcmp(pre[k].s, r[cur].s + cf + 1, pre[k].len);
				     k++) {
					size_t j = pre[k].i;
					double d = (double)r[j].docs - (double)r[i].docs;

					d = d < 0 ? -d : d;
					if (stamp[j] == i + 1 || !follows(&r[i], &r[j]))
						continue;
					if (best == SIZE_MAX || d < bd ||
					    (d == bd &&
					     cmp_affix(&pre[k],
						       &(struct affix){r[best].s, r[best].len,
								       best}) < 0)) {
						best = j;
						bd = d;
					}
				}
				if (best == SIZE_MAX)
					break;
				seps(r[best].s, r[best].len, &cf, &cl);
				if (nri_buf_add(&b, r[best].s + cl, r[best].len - cl))
					goto out;
				stamp[best] = (uint32_t)i + 1;
				if (r[best].cities == r[i].cities &&
				    (double)r[best].docs <= 1.1 * (double)r[i].docs)
					used[best] = 1; /* its own phrase; a shared one stays */
				cur = best;
			}
			for (size_t x = 0; x < b.len; x++)
				units += b.data[x] == NRI_CLICHE_SEP;
			it = &items[ni++];
			it->text = render(b.data, b.len);
			it->groups = nri_malloc(r[i].cities * sizeof(*it->groups));
			if (!it->text || !it->groups)
				goto out;
			for (uint32_t g = 0; g < r[i].cities; g++)
				it->groups[g] = r[i].groups[g];
			it->cities = r[i].cities;
			it->docs = r[i].docs;
			it->example = r[i].example;
			it->units = units;
			if (pass == 1 && !used[i0])
				i0--; /* its phrase started left of it: again, from it
					 (unsigned wrap-around at 0 is defined) */
		}
	rc = NR_OK;
out:
	if (rc) {
		nri_cliche_items_free(items, ni);
		items = NULL;
		ni = 0;
	}
	*out = items;
	*nout = ni;
	nri_buf_release(&b);
	nri_free(pre);
	nri_free(suf);
	nri_free(used);
	nri_free(stamp);
	return rc;
}
