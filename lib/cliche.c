/*
 * cliche.c - n-gram counting per group with distinct sampling, cliche
 * selection and the merging of overlapping n-grams into phrases
 * (docs/homogeneity.md).
 *
 * Counting is on the path of every document, so it is built for few
 * instructions and few cache misses: one hash set per document drops its
 * repeated n-grams in L1, each kept n-gram's slot in the big table is
 * prefetched as soon as its hash is known, the table grows (fourfold) to
 * its final size and is then compacted in place when the level rises (no
 * fresh pages to fault in), its large arrays ask for huge pages, and a
 * new n-gram's text is one slice of the document's units, joined once.
 *
 * Memory is the other bound (analyze keeps its peak under the input's
 * size): the texts' arena grows to the size its texts project rather
 * than to the next power of two, a level rise slides the survivors'
 * texts down in place, with no second arena, and the first worker's
 * table moves into the merged one, regrouped in place.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "cliche.h"
#include "phrase.h"
#include "strmap.h"

#define MIN_CAP	  ((size_t)1024)
#define MAX_TEXT  1024		    /* bytes of an n-gram's text kept (whole units) */
#define LEN_BITS  16		    /* text reference: offset << LEN_BITS | length */
#define FIRST_CAP ((size_t)1 << 14) /* slots of a new table (384 KB) */
#define HUGE_MIN  ((size_t)4 << 20) /* bytes: an array worth huge pages */
#define JOIN_PAD  64		    /* bytes readable past the joined units' end */
#define ARENA_MIN ((size_t)4096)

#if defined(__GNUC__) || defined(__clang__)
#define prefetch(p) __builtin_prefetch(p)
#else
#define prefetch(p) ((void)(p))
#endif

void nri_cliche_init(struct nri_cliche *c, unsigned word_n, unsigned char_n, size_t max_pairs)
{
	memset(c, 0, sizeof(*c));
	c->word_n = word_n ? word_n : NRI_CLICHE_DEFAULT_WORDS;
	c->char_n = char_n ? char_n : NRI_CLICHE_DEFAULT_CHARS;
	c->max_pairs = max_pairs ? max_pairs : NRI_CLICHE_DEFAULT_PAIRS;
	/* at most max_pairs + 1 entries before the level rises: half full */
	c->capmax = MIN_CAP;
	while (c->capmax / 2 < c->max_pairs && c->capmax < ((size_t)1 << 40))
		c->capmax *= 2;
	nri_buf_init(&c->arena, (size_t)1 << 40);
	nri_buf_init(&c->join, (size_t)1 << 40);
}

void nri_cliche_release(struct nri_cliche *c)
{
	nri_free(c->e);
	nri_free(c->text);
	nri_free(c->dh);
	nri_free(c->dp);
	nri_free(c->set);
	nri_buf_release(&c->arena);
	nri_buf_release(&c->join);
	nri_free(c->joff);
	memset(c, 0, sizeof(*c));
}

/* SplitMix64's finalizer (Steele, Lea, Flood, OOPSLA 2014): the n-gram
 * hash chains it over the unit hashes.  Changing it changes which n-grams
 * a sampled table keeps. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned clz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return x ? (unsigned)__builtin_clzll(x) : 64;
#else
	unsigned n = 0;

	if (!x)
		return 64;
	while (!(x >> 63)) {
		x <<= 1;
		n++;
	}
	return n;
#endif
}

/* The leading zero bits of a stored hash (never 0): the index of
 * c->lz. */
static unsigned lead0(uint64_t h)
{
#if defined(__GNUC__) || defined(__clang__)
	return (unsigned)__builtin_clzll(h);
#else
	return clz64(h);
#endif
}

/* The bits a kept hash has none of. */
static uint64_t drop_mask(unsigned level)
{
	unsigned lv = level > 63 ? 63 : level;

	return lv ? ~(uint64_t)0 << (64 - lv) : 0;
}

/* Kept at the level: the hash starts with `level` zero bits (at most 63). */
static int kept_at(uint64_t h, unsigned level)
{
	return !(h & drop_mask(level));
}

/* The n-gram hash is already well mixed in its low bits (the level only
 * looks at its high ones): the group is folded in by a multiply, with no
 * second mix. */
static uint64_t group_key(uint32_t g)
{
	return (uint64_t)g * 0x9E3779B97F4A7C15ULL;
}

static size_t pair_slot(uint64_t h, uint32_t g, size_t mask)
{
	return (size_t)(h ^ group_key(g)) & mask;
}

/* The slot of (h, g), or the empty slot where it goes. */
static size_t pair_find(const struct nri_cliche *c, uint64_t h, uint32_t g)
{
	const struct nri_cliche_entry *e = c->e;
	size_t mask = c->cap - 1, s = pair_slot(h, g, mask);

	while (e[s].h && !(e[s].h == h && e[s].g == g))
		s = (s + 1) & mask;
	return s;
}

/* Ask for transparent huge pages for one of the table's arrays: probes
 * are random, and with 4 KB pages nearly each one also misses the TLB (a
 * page walk, two-dimensional under virtualisation); prefetching does not
 * hide that.  Only a hint (THP in "madvise" mode, Debian's default);
 * ignored elsewhere.  Not for small tables: a small corpus would get 2 MB
 * pages for a few entries. */
static void huge_pages(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = (uintptr_t)1 << 21;
	uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1),
		  hi = ((uintptr_t)p + n) & ~(huge - 1);

	if (n >= HUGE_MIN && hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

/* Move every entry into fresh arrays of ncap slots (a power of two). */
static int pairs_resize(struct nri_cliche *c, size_t ncap)
{
	struct nri_cliche_entry *ne = nri_calloc(ncap, sizeof(*ne));
	uint64_t *nt = nri_malloc(ncap * sizeof(*nt));

	if (!ne || !nt) {
		nri_free(ne);
		nri_free(nt);
		return NR_ENOMEM;
	}
	huge_pages(ne, ncap * sizeof(*ne));
	huge_pages(nt, ncap * sizeof(*nt));
	for (size_t i = 0; i < c->cap; i++) {
		size_t s;

		if (!c->e[i].h)
			continue;
		s = pair_slot(c->e[i].h, c->e[i].g, ncap - 1);
		while (ne[s].h)
			s = (s + 1) & (ncap - 1);
		ne[s] = c->e[i];
		nt[s] = c->text[i];
	}
	nri_free(c->e);
	nri_free(c->text);
	c->e = ne;
	c->text = nt;
	c->cap = ncap;
	return NR_OK;
}

/* The first table: small, for a small corpus; it grows fourfold (three
 * rehashes to the default final size). */
static int pairs_alloc(struct nri_cliche *c)
{
	return c->e ? NR_OK : pairs_resize(c, c->capmax < FIRST_CAP ? c->capmax : FIRST_CAP);
}

/* Room for one more entry: the table grows up to capmax and no further:
 * there it holds at most max_pairs + 1 entries (then the level rises),
 * half its slots.  Only at level 63, where the sampling cannot drop more,
 * does it grow past. */
static int need_room(const struct nri_cliche *c)
{
	return (c->en + 1) * 2 > c->cap && (c->cap < c->capmax || c->en > c->max_pairs);
}

static size_t grown_cap(const struct nri_cliche *c)
{
	if (c->cap >= c->capmax)
		return c->cap * 2;
	return c->cap * 4 < c->capmax ? c->cap * 4 : c->capmax;
}

/* Room for n more bytes (and a NUL) in the arena.  It is the largest
 * array of a table and it stops growing once the level first rises (a
 * rise halves it and it refills to about the same size): doubling could
 * leave nearly half of it unused for good.  So it doubles only up to the
 * size its texts so far project for max_pairs + 1 entries (where the
 * level rises), then grows by an eighth; copies stay about those of
 * doubling. */
static int arena_grow(struct nri_cliche *c, size_t n)
{
	struct nri_buf *a = &c->arena;
	size_t need, ncap;
	char *p;

	if (n > a->limit || a->len > a->limit - n)
		return NR_ELIMIT;
	need = a->len + n + 1;
	if (need <= a->cap)
		return NR_OK;
	ncap = a->cap ? a->cap * 2 : ARENA_MIN;
	if (c->en && c->en <= c->max_pairs) {
		double per = (double)a->len / (double)c->en;
		size_t proj = (size_t)(per * 1.03 * (double)(c->max_pairs + 1)) + 2 * MAX_TEXT;

		if (ncap > proj)
			ncap = proj > a->cap + a->cap / 8 ? proj : a->cap + a->cap / 8;
	}
	if (ncap < need)
		ncap = need;
	p = nri_realloc(a->data, ncap);
	if (!p)
		return NR_ENOMEM;
	a->data = p;
	a->cap = ncap;
	return NR_OK;
}

/* A survivor's text reference and slot, for sorting by arena offset. */
struct slide {
	uint64_t t, slot;
};

/* The sorted list lives in memory typed otherwise (the table's text
 * array): it is read and written by memcpy, which may alias anything. */
static struct slide slide_get(const unsigned char *w, size_t k)
{
	struct slide x;

	memcpy(&x, w + k * sizeof(x), sizeof(x));
	return x;
}

static void slide_put(unsigned char *w, size_t k, struct slide x)
{
	memcpy(w + k * sizeof(x), &x, sizeof(x));
}

static int cmp_slide(const void *x, const void *y)
{
	struct slide a = slide_get(x, 0), b = slide_get(y, 0);

	return (a.t > b.t) - (a.t < b.t);
}

/* The survivors of a compaction: v in table order, then by their texts'
 * arena offsets in w; offset >> shift is one of nb buckets, about two
 * survivors to a bucket. */
struct slides {
	struct slide *v;
	unsigned char *w; /* the table's text array, or own when too small */
	void *own;
	size_t n, nb, shift;
	size_t *at; /* nb + 1: counts, then bucket starts, then ends */
};

#define SLIDE_BUCKET(l, t) ((size_t)((t) >> LEN_BITS >> (l)->shift))

static void slides_free(struct slides *l)
{
	nri_free(l->v);
	nri_free(l->own);
	nri_free(l->at);
}

/* Room for at most `most` survivors of c.  The sorted copy goes to the
 * table's text array, whose contents the list holds meanwhile and which
 * has the room: at most half the slots are full. */
static int slides_alloc(struct slides *l, const struct nri_cliche *c, size_t most)
{
	memset(l, 0, sizeof(*l));
	l->nb = 64;
	while (l->nb < most / 2)
		l->nb *= 2;
	while ((c->arena.len >> l->shift) >= l->nb)
		l->shift++;
	l->v = nri_malloc((most ? most : 1) * sizeof(*l->v));
	l->at = nri_calloc(l->nb + 1, sizeof(*l->at));
	if (most > c->cap / 2)
		l->own = nri_malloc(most * sizeof(*l->v));
	l->w = l->own ? l->own : (unsigned char *)c->text;
	if (!l->v || !l->at || (most > c->cap / 2 && !l->own)) {
		slides_free(l);
		return NR_ENOMEM;
	}
	return NR_OK;
}

/* Move the survivors' texts (l, filled by pairs_compact) to the start of
 * the arena, in their order there, so that the dropped ones' space is
 * free again: a sliding compaction, as in mark-compact garbage collectors
 * (Jones, Hosking, Moss, The Garbage Collection Handbook, 2011, ch. 3).
 * The list is distributed by bucket (a counting sort's scatter: no chain
 * of dependent misses), each bucket ordered by insertion sort; then every
 * text moves down, never over one not yet moved, and the references are
 * rewritten.  Besides the text array, 16 bytes per survivor: a fraction
 * of the second arena a copy would need.  l is freed. */
static void arena_slide(struct nri_cliche *c, struct slides *l)
{
	const uint64_t lmask = (1u << LEN_BITS) - 1;
	struct slide *v = l->v;
	unsigned char *w = l->w;
	size_t *at = l->at, n = l->n, pos = 0;
	char *data = c->arena.data;

	for (size_t b = 1; b <= l->nb; b++)
		at[b] += at[b - 1];
	for (size_t k = 0; k < n; k++)
		slide_put(w, at[SLIDE_BUCKET(l, v[k].t)]++, v[k]);
	/* at[b] is now the end of bucket b */
	for (size_t b = 0, lo = 0; b < l->nb; lo = at[b++]) {
		size_t hi = at[b];

		if (hi - lo > 32) {
			qsort(w + lo * sizeof(*v), hi - lo, sizeof(*v), cmp_slide);
			continue;
		}
		for (size_t i = lo + 1; i < hi; i++) {
			struct slide t = slide_get(w, i), y;
			size_t j = i;

			while (j > lo && t.t < (y = slide_get(w, j - 1)).t) {
				slide_put(w, j, y);
				j--;
			}
			slide_put(w, j, t);
		}
	}
	for (size_t k = 0; k < n; k++) {
		struct slide x = slide_get(w, k);
		size_t off = (size_t)(x.t >> LEN_BITS), len = (size_t)(x.t & lmask);

		if (off != pos)
			memmove(data + pos, data + off, len);
		v[k].t = (uint64_t)pos << LEN_BITS | len;
		v[k].slot = x.slot;
		pos += len;
	}
	/* w is read: the text array takes the new references */
	for (size_t k = 0; k < n; k++)
		c->text[v[k].slot] = v[k].t;
	if (data) {
		c->arena.len = pos;
		data[pos] = '\0';
	}
	slides_free(l);
}

/* Raise the level to lv: drop the entries it does not keep, in place, in
 * one pass.  The pass starts after a slot that was empty before the drop
 * (no probe run crosses it) and puts each survivor back at the first free
 * slot from its home, which is at or before its old one, so every run
 * stays unbroken (Knuth, TAOCP vol. 3, 6.4, Algorithm R, generalised to
 * many deletions).  The pass lists the survivors, whose texts then slide
 * down in the arena: the dropped texts go, with no second arena.  keep:
 * at most how many entries survive (the list's size).  On NR_ENOMEM
 * nothing has changed. */
static int pairs_compact(struct nri_cliche *c, unsigned lv, size_t keep)
{
	size_t mask = c->cap - 1, z = 0;
	struct nri_cliche_entry *e = c->e;
	uint64_t *text = c->text, drop = drop_mask(lv);
	struct slides l;

	if (!e) {
		c->level = lv;
		return NR_OK;
	}
	if (keep > c->en)
		keep = c->en;
	if (slides_alloc(&l, c, keep))
		return NR_ENOMEM;
	c->level = lv;
	while (e[z].h)
		z++; /* the table is never full */
	for (size_t k = 1, cap = c->cap; k < cap; k++) {
		size_t s = (z + k) & mask, d;
		struct nri_cliche_entry x;
		uint64_t t;

		if (!e[s].h)
			continue;
		x = e[s];
		e[s].h = 0;
		if (x.h & drop) {
			c->en--;
			continue;
		}
		d = pair_slot(x.h, x.g, mask);
		while (e[d].h)
			d = (d + 1) & mask;
		e[d] = x;
		t = text[s];
		text[d] = t;
		l.v[l.n].t = t;
		l.v[l.n++].slot = d;
		l.at[SLIDE_BUCKET(&l, t) + 1]++;
	}
	for (unsigned b = 0; b < (lv > 63 ? 63 : lv); b++)
		c->lz[b] = 0; /* the dropped */
	arena_slide(c, &l);
	return NR_OK;
}

/* The table is over its cap: raise the level until the kept pairs fit,
 * to the smallest level above the current one at which they do, from the
 * count of entries by their hashes' leading zero bits (kept as they come
 * and go: no pass over the table). */
static int raise_level(struct nri_cliche *c)
{
	size_t n;
	unsigned lv = c->level;

	do {
		lv++;
		n = 0;
		for (unsigned z = lv > 63 ? 63 : lv; z < 65; z++)
			n += c->lz[z];
	} while (n > c->max_pairs && lv < 63);
	return pairs_compact(c, lv, n);
}

/* Append len bytes of text to c's arena: *ref gets its reference. */
static char *text_room(struct nri_cliche *c, size_t len, uint64_t *ref)
{
	char *p;

	if (arena_grow(c, len))
		return NULL;
	p = c->arena.data + c->arena.len;
	*ref = (uint64_t)c->arena.len << LEN_BITS | len;
	c->arena.len += len;
	c->arena.data[c->arena.len] = '\0';
	return p;
}

/* memcpy for the few bytes of a word or a character: two overlapping
 * fixed-size moves instead of a call (reads only s[0..n)). */
static void copy_short(char *d, const char *s, size_t n)
{
	if (n <= 3) {
		if (n) {
			d[0] = s[0];
			d[n / 2] = s[n / 2];
			d[n - 1] = s[n - 1];
		}
	} else if (n <= 8) {
		uint32_t x, y;

		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n <= 16) {
		uint64_t x, y;

		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
		memcpy(d, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else {
		memcpy(d, s, n);
	}
}

/* The text of the n-gram v[0..k): its units separated by NRI_CLICHE_SEP, as many
 * whole units as fit in MAX_TEXT bytes. */
static int text_units(struct nri_cliche *c, const struct nri_unit *v, unsigned k, uint64_t *ref)
{
	struct nri_buf *a = &c->arena;
	size_t len = 0, all = k - 1;
	char *p;

	if (a->cap - a->len <= MAX_TEXT && arena_grow(c, MAX_TEXT))
		return NR_ENOMEM;
	p = a->data + a->len;
	for (unsigned j = 0; j < k; j++)
		all += v[j].len;
	if (all < MAX_TEXT) {
		/* all of it (the usual case) */
		copy_short(p, v[0].s, v[0].len);
		len = v[0].len;
		for (unsigned j = 1; j < k; j++) {
			p[len++] = NRI_CLICHE_SEP;
			copy_short(p + len, v[j].s, v[j].len);
			len += v[j].len;
		}
	} else {
		for (unsigned j = 0; j < k; j++) {
			if (len + v[j].len + 1 > MAX_TEXT)
				break;
			if (j)
				p[len++] = NRI_CLICHE_SEP;
			copy_short(p + len, v[j].s, v[j].len);
			len += v[j].len;
		}
	}
	*ref = (uint64_t)a->len << LEN_BITS | len;
	a->len += len;
	a->data[a->len] = '\0';
	return NR_OK;
}

/* The document's units joined by NRI_CLICHE_SEP, built at its first new entry:
 * each unit is copied once, and a new n-gram's text is one slice. */
static int doc_join(struct nri_cliche *c, const struct nri_units *u)
{
	const struct nri_unit *v = u->v;
	size_t total = JOIN_PAD, len = 0;
	char *p;

	for (size_t j = 0; j < u->n; j++)
		total += v[j].len + 1;
	if (c->jcap < u->n) {
		size_t *no = nri_realloc(c->joff, u->n * sizeof(*no));

		if (!no)
			return NR_ENOMEM;
		c->joff = no;
		c->jcap = u->n;
	}
	nri_buf_reset(&c->join);
	if (nri_buf_grow(&c->join, total))
		return NR_ENOMEM;
	p = c->join.data;
	for (size_t j = 0; j < u->n; j++) {
		c->joff[j] = len;
		copy_short(p + len, v[j].s, v[j].len);
		len += v[j].len;
		p[len++] = NRI_CLICHE_SEP;
	}
	memset(p + len, 0, JOIN_PAD);
	c->join.len = len;
	return NR_OK;
}

/* The text of the n-gram at unit i, from the joined units: one move of
 * JOIN_PAD bytes for a short one (the arena has the room). */
static int text_slice(struct nri_cliche *c, const struct nri_units *u, size_t i, unsigned k,
		      uint64_t *ref)
{
	struct nri_buf *a = &c->arena;
	size_t start = c->joff[i], len = c->joff[i + k - 1] + u->v[i + k - 1].len - start;
	char *p;

	if (len >= MAX_TEXT)
		return text_units(c, u->v + i, k, ref); /* cut at a unit */
	if (a->cap - a->len <= MAX_TEXT && arena_grow(c, MAX_TEXT))
		return NR_ENOMEM;
	p = a->data + a->len;
	if (len <= JOIN_PAD)
		memcpy(p, c->join.data + start, JOIN_PAD);
	else
		memcpy(p, c->join.data + start, len);
	*ref = (uint64_t)a->len << LEN_BITS | len;
	a->len += len; /* no NUL: the texts are read by length */
	return NR_OK;
}

/* Per-document room for n n-grams: the distinct list and its hash set. */
static int doc_reserve(struct nri_cliche *c, size_t n, size_t *setsize)
{
	size_t ss = 16;

	while (ss < 2 * n)
		ss *= 2;
	if (c->dcap < n) {
		uint64_t *nh = nri_realloc(c->dh, n * sizeof(*nh));
		uint32_t *np;

		if (!nh)
			return NR_ENOMEM;
		c->dh = nh;
		np = nri_realloc(c->dp, n * sizeof(*np));
		if (!np)
			return NR_ENOMEM;
		c->dp = np;
		c->dcap = n;
	}
	if (c->setcap < ss) {
		uint32_t *ns = nri_realloc(c->set, ss * sizeof(*ns));

		if (!ns)
			return NR_ENOMEM;
		c->set = ns;
		c->setcap = ss;
	}
	*setsize = ss;
	return NR_OK;
}

/* The hash of the n-gram v[0..k), 0 when it is skipped: only stopwords,
 * or one unit repeated ("very very very very", "哈哈哈哈"): no phrase.
 * The placeholder counts as content. */
static uint64_t ngram_hash(const struct nri_unit *v, unsigned k, int chars)
{
	uint64_t h = 0x6a09e667f3bcc909ULL ^ k;
	int content = chars, varied = k < 2;

	for (unsigned j = 0; j < k; j++) {
		h = mix64(h ^ v[j].h);
		content |= !v[j].stop;
		varied |= v[j].h != v[0].h;
	}
	if (!content || !varied)
		return 0;
	return h ? h : 1;
}

/* The same for n = 4, the default, unrolled. */
static uint64_t ngram_hash4(const struct nri_unit *v, int chars)
{
	uint64_t h0 = v[0].h, h;

	if (!(chars | !(v[0].stop & v[1].stop & v[2].stop & v[3].stop)) ||
	    !((v[1].h != h0) | (v[2].h != h0) | (v[3].h != h0)))
		return 0;
	h = mix64(0x6a09e667f3bcc909ULL ^ 4 ^ h0);
	h = mix64(h ^ v[1].h);
	h = mix64(h ^ v[2].h);
	h = mix64(h ^ v[3].h);
	return h ? h : 1;
}

/* The document's distinct kept n-grams, in order of first position, into
 * c->dh / c->dp; returns how many.  Each one's slot in the big table (for
 * the document's first group) is prefetched as soon as it is found: the
 * rest of the document's hashing hides the miss. */
static size_t doc_ngrams(struct nri_cliche *c, const struct nri_units *u, unsigned k,
			 size_t setsize, uint32_t g0)
{
	size_t np = u->n - k + 1, m = 0, smask = setsize - 1;
	uint64_t drop = drop_mask(c->level), *dh = c->dh;
	uint32_t *set = c->set, *dp = c->dp;
	const struct nri_unit *v = u->v;
	int chars = u->chars;
	size_t mask = c->cap - 1;
	uint64_t gk = group_key(g0);

	memset(set, 0, setsize * sizeof(*set));
	for (size_t i = 0; i < np; i++) {
		uint64_t h = k == 4 ? ngram_hash4(v + i, chars) : ngram_hash(v + i, k, chars);
		size_t s;
		uint32_t x;

		if (!h || (h & drop))
			continue;
		s = (size_t)h & smask;
		while ((x = set[s]) && dh[x - 1] != h)
			s = (s + 1) & smask;
		if (x)
			continue; /* each n-gram once per document */
		dh[m] = h;
		dp[m] = (uint32_t)i;
		set[s] = (uint32_t)++m;
		s = (size_t)(h ^ gk) & mask;
		prefetch(&c->e[s]);
		prefetch(&c->text[s]);
	}
	return m;
}

int nri_cliche_add(struct nri_cliche *c, const struct nri_units *u, const uint32_t *groups,
		   size_t ngroups)
{
	unsigned k = u->chars ? c->char_n : c->word_n;
	size_t m, setsize, mask;
	uint64_t drop, gk0;
	struct nri_cliche_entry *e;
	int rc, joined = 0;

	if (!ngroups || u->n < k)
		return NR_OK;
	if (u->n > UINT32_MAX)
		return NR_ELIMIT;
	if ((rc = doc_reserve(c, u->n - k + 1, &setsize)) || (rc = pairs_alloc(c)))
		return rc;
	m = doc_ngrams(c, u, k, setsize, groups[0]);
	drop = drop_mask(c->level);
	e = c->e;
	mask = c->cap - 1;
	gk0 = group_key(groups[0]);
	for (size_t i = 0; i < m; i++) {
		uint64_t h = c->dh[i];
		size_t g = 0;

		if (h & drop)
			continue; /* the level rose while adding this document */
		do {
			uint32_t gr = groups[g];
			size_t s = (size_t)(h ^ (g ? group_key(gr) : gk0)) & mask;

			while (e[s].h && !(e[s].h == h && e[s].g == gr))
				s = (s + 1) & mask;
			if (e[s].h) {
				e[s].docs++;
				continue;
			}
			if (need_room(c)) {
				if ((rc = pairs_resize(c, grown_cap(c))))
					return rc;
				e = c->e;
				mask = c->cap - 1;
				s = pair_find(c, h, gr);
			}
			/* the text only for a new entry: most n-grams repeat */
			if ((!joined && (rc = doc_join(c, u))) ||
			    (rc = text_slice(c, u, c->dp[i], k, &c->text[s])))
				return rc;
			joined = 1;
			e[s].h = h;
			e[s].g = gr;
			e[s].docs = 1;
			c->lz[lead0(h)]++;
			if (++c->en > c->max_pairs) {
				if ((rc = raise_level(c)))
					return rc;
				drop = drop_mask(c->level);
				if (h & drop)
					break;
			}
		} while (++g < ngroups);
	}
	return NR_OK;
}

/* Fold src into dst, entry by entry: a new one gets a copy of its text. */
int nri_cliche_merge(struct nri_cliche *dst, const struct nri_cliche *src, const uint32_t *gmap)
{
	size_t ncap;
	int rc;

	if (src->level > dst->level && (rc = pairs_compact(dst, src->level, dst->en)))
		return rc;
	if (!src->en)
		return NR_OK;
	if ((rc = pairs_alloc(dst)))
		return rc;
	ncap = dst->cap;
	while (ncap < dst->capmax && ncap / 2 < dst->en + src->en)
		ncap *= 2;
	if (ncap > dst->cap && (rc = pairs_resize(dst, ncap)))
		return rc;
	for (size_t i = 0; i < src->cap; i++) {
		const struct nri_cliche_entry *x = &src->e[i];
		uint32_t g;
		size_t s;

		if (!x->h || !kept_at(x->h, dst->level))
			continue;
		g = gmap[x->g];
		s = pair_find(dst, x->h, g);
		if (!dst->e[s].h) {
			uint64_t t = src->text[i], len = t & ((1u << LEN_BITS) - 1);

			if (need_room(dst)) {
				if ((rc = pairs_resize(dst, grown_cap(dst))))
					return rc;
				s = pair_find(dst, x->h, g);
			}
			{
				char *p = text_room(dst, len, &dst->text[s]);

				if (!p)
					return NR_ENOMEM;
				memcpy(p, src->arena.data + (t >> LEN_BITS), len);
			}
			dst->e[s].h = x->h;
			dst->e[s].g = g;
			dst->e[s].docs = 0;
			dst->en++;
			dst->lz[lead0(x->h)]++;
		}
		dst->e[s].docs += x->docs;
		if (dst->en > dst->max_pairs && (rc = raise_level(dst)))
			return rc;
	}
	return NR_OK;
}

/* Regroup a table in place: every entry's group g becomes gmap[g], and
 * with it its slot.  A bitmap marks the entries already moved; an entry
 * not yet moved is taken out and put at the first slot from its new home
 * that is empty or holds an entry not yet moved, which it displaces and
 * which goes on the same way (a chain that ends at an empty slot).  A
 * moved entry never moves again, so every slot between a moved entry's
 * home and it stays full: lookups and later inserts find it.  Two groups
 * mapped to one (gmap[] == UINT32_MAX for both) fold into one entry, as
 * in a merge.  moved: cap / 64 words, zeroed, from the caller (so that
 * nothing here can fail). */
static void pairs_regroup(struct nri_cliche *c, const uint32_t *gmap, uint64_t *moved)
{
	struct nri_cliche_entry *e = c->e;
	uint64_t *text = c->text;
	size_t mask = c->cap - 1;

#define MOVED(i) (moved[(i) >> 6] >> ((i)&63) & 1)
#define MARK(i)	 (moved[(i) >> 6] |= (uint64_t)1 << ((i)&63))
	for (size_t i = 0; i < c->cap; i++) {
		struct nri_cliche_entry x;
		uint64_t t;
		size_t s;

		if (!e[i].h || MOVED(i))
			continue;
		x = e[i];
		t = text[i];
		e[i].h = 0;
		x.g = gmap[x.g];
		s = pair_slot(x.h, x.g, mask);
		for (;;) {
			if (!e[s].h) {
				e[s] = x;
				text[s] = t;
				MARK(s);
				break;
			}
			if (!MOVED(s)) {
				struct nri_cliche_entry y = e[s];
				uint64_t u = text[s];

				e[s] = x;
				text[s] = t;
				MARK(s);
				x = y;
				t = u;
				x.g = gmap[x.g];
				s = pair_slot(x.h, x.g, mask);
				continue;
			}
			if (e[s].h == x.h && e[s].g == x.g) {
				e[s].docs += x.docs;
				c->lz[lead0(x.h)]--;
				c->en--;
				break;
			}
			s = (s + 1) & mask;
		}
	}
#undef MOVED
#undef MARK
}

/* Into an empty dst of the same cap, src's arrays move rather than being
 * copied: the end phase then holds one table fewer, and the first
 * worker's texts are not copied at all. */
int nri_cliche_merge_move(struct nri_cliche *dst, struct nri_cliche *src, const uint32_t *gmap)
{
	uint64_t *moved;
	unsigned lv = dst->level;
	int rc;

	if (dst->en || !src->en || src->max_pairs != dst->max_pairs || src->capmax != dst->capmax) {
		rc = nri_cliche_merge(dst, src, gmap);
		nri_cliche_release(src);
		return rc;
	}
	moved = nri_calloc((src->cap + 63) / 64, sizeof(*moved));
	if (!moved) {
		nri_cliche_release(src);
		return NR_ENOMEM;
	}
	nri_free(dst->e);
	nri_free(dst->text);
	nri_buf_release(&dst->arena);
	dst->e = src->e;
	dst->text = src->text;
	dst->cap = src->cap;
	dst->en = src->en;
	memcpy(dst->lz, src->lz, sizeof(dst->lz));
	dst->arena = src->arena;
	dst->level = src->level;
	src->e = NULL;
	src->text = NULL;
	nri_buf_init(&src->arena, 0);
	nri_cliche_release(src);
	pairs_regroup(dst, gmap, moved);
	nri_free(moved);
	if (lv > dst->level)
		return pairs_compact(dst, lv, dst->en);
	return NR_OK;
}

/* ---- the result --------------------------------------------------------------- */

/* A table entry with its text, for the result. */
struct fin {
	uint64_t h;
	uint32_t g, docs;
	uint64_t text; /* offset << LEN_BITS | length */
};

static int fin_less(const struct fin *a, const struct fin *b)
{
	return a->h != b->h ? a->h < b->h : a->g < b->g;
}

static int cmp_fin(const void *x, const void *y)
{
	const struct fin *a = x, *b = y;

	return fin_less(a, b) ? -1 : fin_less(b, a);
}

/* Sort v[0..n) by (n-gram, group), into *out (v is freed or becomes
 * *out).  The hashes are uniform: one counting pass on their leading
 * bits puts about two entries in each bucket, and insertion sort orders a
 * bucket; a bucket of one n-gram used by many groups goes to qsort.  A
 * few passes over the entries where qsort made twenty comparisons each. */
static int sort_fin(struct fin *v, size_t n, struct fin **out)
{
	uint64_t top = 0;
	unsigned lz, b = 8;
	size_t nb, *at;
	struct fin *w;

	*out = v;
	if (n < 2)
		return NR_OK;
	for (size_t i = 0; i < n; i++)
		top |= v[i].h;
	lz = clz64(top);
	while (b < 20 && ((size_t)1 << b) < n / 2)
		b++;
	nb = (size_t)1 << b;
	w = nri_malloc(n * sizeof(*w));
	at = nri_calloc(nb + 1, sizeof(*at));
	if (!w || !at) {
		nri_free(w);
		nri_free(at);
		return NR_ENOMEM;
	}
#define BUCKET(h) ((size_t)(((h) << lz) >> (64 - b)))
	for (size_t i = 0; i < n; i++)
		at[BUCKET(v[i].h) + 1]++;
	for (size_t i = 1; i <= nb; i++)
		at[i] += at[i - 1];
	for (size_t i = 0; i < n; i++)
		w[at[BUCKET(v[i].h)]++] = v[i];
#undef BUCKET
	/* at[x] is now the end of bucket x */
	for (size_t x = 0, lo = 0; x < nb; lo = at[x++]) {
		size_t hi = at[x];

		if (hi - lo > 32) {
			qsort(w + lo, hi - lo, sizeof(*w), cmp_fin);
			continue;
		}
		for (size_t i = lo + 1; i < hi; i++) {
			struct fin t = w[i];
			size_t j = i;

			while (j > lo && fin_less(&t, &w[j - 1])) {
				w[j] = w[j - 1];
				j--;
			}
			w[j] = t;
		}
	}
	nri_free(at);
	nri_free(v);
	*out = w;
	return NR_OK;
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

int nri_cliche_finish(struct nri_cliche *c, size_t ngroups, unsigned min_cities, uint64_t *total,
		      uint64_t *cliche, struct nri_cliche_item **items, size_t *nitems,
		      size_t max_items)
{
	struct fin *v, *sv;
	struct nri_phrase_ngram *r = NULL;
	uint32_t *gpool = NULL;
	size_t n = 0, nr = 0, rcap = 0;
	int rc = NR_OK;

	*items = NULL;
	*nitems = 0;
	memset(total, 0, ngroups * sizeof(*total));
	memset(cliche, 0, ngroups * sizeof(*cliche));
	v = nri_malloc((c->en ? c->en : 1) * sizeof(*v));
	if (!v)
		return NR_ENOMEM;
	for (size_t i = 0; i < c->cap; i++)
		if (c->e[i].h) {
			v[n].h = c->e[i].h;
			v[n].g = c->e[i].g;
			v[n].docs = c->e[i].docs;
			v[n++].text = c->text[i];
		}
	/* the table is not needed any more, only its texts: its memory goes
	 * before the sort's */
	nri_free(c->e);
	nri_free(c->text);
	c->e = NULL;
	c->text = NULL;
	c->cap = c->en = 0;
	memset(c->lz, 0, sizeof(c->lz));
	if ((rc = sort_fin(v, n, &sv)))
		goto out;
	v = sv;
	/* each n-gram's groups, ascending (v is sorted by n-gram, then group) */
	gpool = nri_malloc((n ? n : 1) * sizeof(*gpool));
	if (!gpool) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		gpool[i] = v[i].g;
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
			const struct fin *t = &v[s];

			for (size_t i = s; i < e; i++)
				if (v[i].g < ngroups)
					cliche[v[i].g] += v[i].docs;
			if (nr == rcap) {
				size_t ncap = rcap ? rcap * 2 : 256;
				struct nri_phrase_ngram *nr2 = nri_realloc(r, ncap * sizeof(*nr2));

				if (!nr2) {
					rc = NR_ENOMEM;
					goto out;
				}
				r = nr2;
				rcap = ncap;
			}
			r[nr].s = c->arena.data + (t->text >> LEN_BITS);
			r[nr].len = (size_t)(t->text & ((1u << LEN_BITS) - 1));
			r[nr].cities = (uint32_t)(e - s);
			r[nr].docs = docs;
			r[nr].example = ex;
			r[nr].groups = gpool + s;
			nr++;
		}
		s = e;
	}
	rc = nri_phrase_chain(r, nr, items, nitems);
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
	nri_free(gpool);
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
