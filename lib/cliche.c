/*
 * cliche.c - n-gram counting per group with distinct sampling, cliche
 * selection and the merging of overlapping n-grams into phrases
 * (docs/homogeneity.md).
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "cliche.h"
#include "strmap.h"

#define SEP '\x1f'

void nri_cliche_init(struct nri_cliche *c, unsigned word_n, unsigned char_n, size_t max_pairs)
{
	memset(c, 0, sizeof(*c));
	c->word_n = word_n ? word_n : NRI_CLICHE_DEFAULT_WORDS;
	c->char_n = char_n ? char_n : NRI_CLICHE_DEFAULT_CHARS;
	c->max_pairs = max_pairs ? max_pairs : NRI_CLICHE_DEFAULT_PAIRS;
	nri_buf_init(&c->arena, (size_t)1 << 40);
}

void nri_cliche_release(struct nri_cliche *c)
{
	nri_free(c->e);
	nri_free(c->scratch);
	nri_buf_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int kept(const struct nri_cliche *c, uint64_t h)
{
	return c->level == 0 || (h >> (64 - (c->level > 63 ? 63 : c->level))) == 0;
}

static size_t pair_slot(uint64_t h, uint32_t g, size_t mask)
{
	return (size_t)mix64(h ^ ((uint64_t)g * 0x9E3779B97F4A7C15ULL)) & mask;
}

/* Rebuild the pair table with room for at least need entries, keeping
 * only entries that pass the current level; with compact, their texts
 * move to a fresh arena (the old one holds texts of dropped entries). */
static int pairs_rehash(struct nri_cliche *c, size_t need, int compact)
{
	size_t ncap = 1024, n = 0;
	struct nri_cliche_entry *ne;
	struct nri_buf na;

	while (ncap < need * 2)
		ncap *= 2;
	ne = nri_calloc(ncap, sizeof(*ne));
	if (!ne)
		return NR_ENOMEM;
	nri_buf_init(&na, (size_t)1 << 40);
	for (size_t i = 0; i < c->ecap; i++) {
		struct nri_cliche_entry x = c->e[i];
		size_t s;

		if (!x.h || !kept(c, x.h))
			continue;
		if (compact) {
			size_t off = na.len;

			if (nri_buf_add(&na, c->arena.data + x.off, x.len)) {
				nri_free(ne);
				nri_buf_release(&na);
				return NR_ENOMEM;
			}
			x.off = off;
		}
		s = pair_slot(x.h, x.g, ncap - 1);
		while (ne[s].h)
			s = (s + 1) & (ncap - 1);
		ne[s] = x;
		n++;
	}
	nri_free(c->e);
	c->e = ne;
	c->ecap = ncap;
	c->en = n;
	if (compact) {
		nri_buf_release(&c->arena);
		c->arena = na;
	} else {
		nri_buf_release(&na);
	}
	return NR_OK;
}

/* Raise the level until the kept pairs fit the cap. */
static int enforce_cap(struct nri_cliche *c)
{
	size_t n;

	if (c->en <= c->max_pairs)
		return NR_OK;
	do {
		c->level++;
		n = 0;
		for (size_t i = 0; i < c->ecap; i++)
			n += c->e[i].h && kept(c, c->e[i].h);
	} while (n > c->max_pairs && c->level < 63);
	return pairs_rehash(c, n + 1, 1);
}

/* The entry of (h, g), created (docs 0, no text yet: *added set) when
 * absent; NULL when out of memory.  Valid until the next insert. */
static struct nri_cliche_entry *pair_get(struct nri_cliche *c, uint64_t h, uint32_t g, int *added)
{
	size_t slot;
	struct nri_cliche_entry *x;

	*added = 0;
	if ((c->en + 1) * 2 > c->ecap && pairs_rehash(c, c->en + 1 > 512 ? c->en * 2 : 1024, 0))
		return NULL;
	slot = pair_slot(h, g, c->ecap - 1);
	while (c->e[slot].h && !(c->e[slot].h == h && c->e[slot].g == g))
		slot = (slot + 1) & (c->ecap - 1);
	x = &c->e[slot];
	if (!x->h) {
		x->h = h;
		x->g = g;
		x->docs = 0;
		x->off = c->arena.len;
		x->len = 0;
		c->en++;
		*added = 1;
	}
	return x;
}

/* Add docs to (h, g); a new entry takes its text from s[0..len). */
static int pair_add(struct nri_cliche *c, uint64_t h, uint32_t g, uint32_t docs, const char *s,
		    size_t len)
{
	int added;
	struct nri_cliche_entry *x = pair_get(c, h, g, &added);

	if (!x)
		return NR_ENOMEM;
	if (added) {
		if (nri_buf_add(&c->arena, s, len)) {
			x->h = 0; /* not a valid entry: leave the slot empty */
			c->en--;
			return NR_ENOMEM;
		}
		x->len = (uint32_t)len;
	}
	x->docs += docs;
	return NR_OK;
}

static int cmp_u64_pair(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

int nri_cliche_add(struct nri_cliche *c, const struct nri_units *u, const uint32_t *groups,
		   size_t ngroups)
{
	unsigned k = u->chars ? c->char_n : c->word_n;
	size_t m = 0;
	const struct nri_unit *v = u->v;

	if (!ngroups || u->n < k)
		return NR_OK;
	if (c->scap < 2 * u->n) {
		uint64_t *ns = nri_realloc(c->scratch, 2 * u->n * sizeof(*ns));

		if (!ns)
			return NR_ENOMEM;
		c->scratch = ns;
		c->scap = 2 * u->n;
	}
	for (size_t i = 0; i + k <= u->n; i++) {
		uint64_t h = 0x6a09e667f3bcc909ULL ^ k;
		int content = u->chars;

		int varied = k < 2;

		for (unsigned j = 0; j < k; j++) {
			h = mix64(h ^ v[i + j].h);
			content |= !v[i + j].stop; /* the placeholder counts */
			varied |= j && v[i + j].h != v[i].h;
		}
		if (!content || !varied)
			continue; /* only stopwords, or one unit repeated ("very very
				     very very", "哈哈哈哈"): no phrase */
		h = h ? h : 1;
		if (!kept(c, h))
			continue;
		c->scratch[2 * m] = h;
		c->scratch[2 * m + 1] = i;
		m++;
	}
	if (m <= 64) {
		/* a post's few dozen n-grams: insertion sort beats qsort's setup */
		for (size_t i = 1; i < m; i++) {
			uint64_t h = c->scratch[2 * i], p = c->scratch[2 * i + 1];
			size_t j = i;

			while (j && c->scratch[2 * (j - 1)] > h) {
				c->scratch[2 * j] = c->scratch[2 * (j - 1)];
				c->scratch[2 * j + 1] = c->scratch[2 * (j - 1) + 1];
				j--;
			}
			c->scratch[2 * j] = h;
			c->scratch[2 * j + 1] = p;
		}
	} else {
		qsort(c->scratch, m, 2 * sizeof(uint64_t), cmp_u64_pair);
	}
	for (size_t i = 0; i < m; i++) {
		uint64_t h = c->scratch[2 * i];
		int rc;

		if (i && c->scratch[2 * (i - 1)] == h)
			continue;
		if (!kept(c, h))
			continue; /* the level rose while adding this document */
		for (size_t g = 0; g < ngroups; g++) {
			int added;
			struct nri_cliche_entry *x = pair_get(c, h, groups[g], &added);

			if (!x)
				return NR_ENOMEM;
			x->docs++;
			if (added) {
				/* the text only for a new entry: most n-grams repeat */
				size_t p = (size_t)c->scratch[2 * i + 1], len = 0;

				for (unsigned j = 0; j < k; j++) {
					const struct nri_unit *y = &v[p + j];

					if (len + y->len + 1 > 1024)
						break;
					if ((j && nri_buf_addc(&c->arena, SEP)) ||
					    nri_buf_add(&c->arena, y->s, y->len)) {
						x->h = 0;
						c->en--;
						return NR_ENOMEM;
					}
					len += y->len + (j > 0);
				}
				x->len = (uint32_t)len;
			}
		}
		if ((rc = enforce_cap(c)))
			return rc;
	}
	return NR_OK;
}

int nri_cliche_merge(struct nri_cliche *dst, const struct nri_cliche *src, const uint32_t *gmap)
{
	int rc;

	if (src->level > dst->level) {
		dst->level = src->level;
		if ((rc = pairs_rehash(dst, dst->en + 1, 1)))
			return rc;
	}
	for (size_t i = 0; i < src->ecap; i++) {
		const struct nri_cliche_entry *x = &src->e[i];

		if (!x->h || !kept(dst, x->h))
			continue;
		if ((rc = pair_add(dst, x->h, gmap[x->g], x->docs, src->arena.data + x->off,
				   x->len)) ||
		    (rc = enforce_cap(dst)))
			return rc;
	}
	return NR_OK;
}

/* ---- the result --------------------------------------------------------------- */

static int cmp_entry(const void *x, const void *y)
{
	const struct nri_cliche_entry *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->g > b->g) - (a->g < b->g);
}

static int cmp_item(const void *x, const void *y)
{
	const struct nri_cliche_item *a = x, *b = y;

	if (a->cities != b->cities)
		return a->cities > b->cities ? -1 : 1;
	if (a->docs != b->docs)
		return a->docs > b->docs ? -1 : 1;
	return strcmp(a->text, b->text);
}

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

/* units separated by SEP -> display text */
static char *render(const char *s, size_t len)
{
	struct nri_buf b;
	size_t start = 0;
	const char *prev = NULL;
	size_t prevlen = 0;

	nri_buf_init(&b, 0);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != SEP)
			continue;
		if (prev && !nospace(prev, prevlen, 1) && !nospace(s + start, i - start, 0) &&
		    nri_buf_addc(&b, ' '))
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

struct raw {
	const char *s; /* units separated by SEP */
	size_t len;
	uint32_t cities, docs, example;
	const struct nri_cliche_entry *e; /* its cities entries, by group */
};

/* Offsets of the first and the last separators: prefix = s[0..last),
 * suffix = s[first+1..len). */
static void seps(const char *s, size_t len, size_t *first, size_t *last)
{
	*first = *last = len;
	for (size_t i = 0; i < len; i++)
		if (s[i] == SEP) {
			if (*first == len)
				*first = i;
			*last = i;
		}
}

/* n-grams sorted by prefix (or suffix): for the lookups of chain() */
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
static int follows(const struct raw *base, const struct raw *x)
{
	return x->cities >= base->cities && (double)x->docs >= 0.9 * (double)base->docs;
}

/* From an n-gram left over by the first pass (its phrase's start was
 * taken by another phrase), walk left through unused predecessors of the
 * same phrase to the leftmost: the phrase then comes out whole, once. */
static size_t leftmost(const struct raw *r, size_t n, const struct affix *suf,
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
static int chain(struct raw *r, size_t n, struct nri_cliche_item **out, size_t *nout)
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
				units += b.data[x] == SEP;
			it = &items[ni++];
			it->text = render(b.data, b.len);
			it->groups = nri_malloc(r[i].cities * sizeof(*it->groups));
			if (!it->text || !it->groups)
				goto out;
			for (uint32_t g = 0; g < r[i].cities; g++)
				it->groups[g] = r[i].e[g].g;
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

int nri_cliche_finish(struct nri_cliche *c, size_t ngroups, unsigned min_cities, uint64_t *total,
		      uint64_t *cliche, struct nri_cliche_item **items, size_t *nitems,
		      size_t max_items)
{
	struct nri_cliche_entry *v;
	struct raw *r = NULL;
	size_t n = 0, nr = 0, rcap = 0;
	int rc = NR_OK;

	*items = NULL;
	*nitems = 0;
	memset(total, 0, ngroups * sizeof(*total));
	memset(cliche, 0, ngroups * sizeof(*cliche));
	v = nri_malloc((c->en ? c->en : 1) * sizeof(*v));
	if (!v)
		return NR_ENOMEM;
	for (size_t i = 0; i < c->ecap; i++)
		if (c->e[i].h)
			v[n++] = c->e[i];
	qsort(v, n, sizeof(*v), cmp_entry);
	for (size_t s = 0; s < n;) {
		size_t e = s;
		uint32_t docs = 0, best = 0, ex = v[s].g;

		while (e < n && v[e].h == v[s].h) {
			docs += v[e].docs;
			if (v[e].docs > best) {
				best = v[e].docs;
				ex = v[e].g;
			}
			e++;
		}
		for (size_t i = s; i < e; i++)
			if (v[i].g < ngroups)
				total[v[i].g] += v[i].docs;
		if (e - s >= min_cities && min_cities > 0) {
			const struct nri_cliche_entry *t = &v[s];

			for (size_t i = s; i < e; i++)
				if (v[i].g < ngroups)
					cliche[v[i].g] += v[i].docs;
			if (t) {
				if (nr == rcap) {
					size_t ncap = rcap ? rcap * 2 : 256;
					struct raw *nr2 = nri_realloc(r, ncap * sizeof(*nr2));

					if (!nr2) {
						rc = NR_ENOMEM;
						goto out;
					}
					r = nr2;
					rcap = ncap;
				}
				r[nr].s = c->arena.data + t->off;
				r[nr].len = t->len;
				r[nr].cities = (uint32_t)(e - s);
				r[nr].docs = docs;
				r[nr].example = ex;
				r[nr].e = t;
				nr++;
			}
		}
		s = e;
	}
	rc = chain(r, nr, items, nitems);
	if (rc)
		goto out;
	qsort(*items, *nitems, sizeof(**items), cmp_item);
	{
		/* the same text twice: a mixed-script phrase read in word mode by
		 * some documents and in character mode by others; the first (most
		 * cities, most documents) stays */
		struct nri_strmap seen;
		size_t m = 0;

		nri_strmap_init(&seen, 0);
		for (size_t i = 0; i < *nitems; i++) {
			struct nri_cliche_item *it = &(*items)[i];
			struct nri_strmap_slot *sl;
			int added;

			if (nri_strmap_put(&seen, it->text, strlen(it->text), &sl, &added)) {
				nri_strmap_release(&seen);
				for (size_t k = i; k < *nitems; k++) {
					nri_free((*items)[k].text);
					nri_free((*items)[k].groups);
				}
				*nitems = m;
				rc = NR_ENOMEM;
				goto out;
			}
			if (!added) {
				nri_free(it->text);
				nri_free(it->groups);
				continue;
			}
			(*items)[m++] = *it;
		}
		*nitems = m;
		nri_strmap_release(&seen);
	}
	if (*nitems > max_items) {
		for (size_t i = max_items; i < *nitems; i++) {
			nri_free((*items)[i].text);
			nri_free((*items)[i].groups);
		}
		*nitems = max_items;
	}
out:
	nri_free(v);
	nri_free(r);
	return rc;
}

void nri_cliche_items_free(struct nri_cliche_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		nri_free(items[i].text);
		nri_free(items[i].groups);
	}
	nri_free(items);
}
