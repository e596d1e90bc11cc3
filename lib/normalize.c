/*
 * normalize.c - Unicode normalisation (NFC, NFD, NFKC, NFKD, NFKC_Casefold)
 * with a map from output bytes back to input bytes.
 *
 * utf8proc supplies the character data (decompositions, case folding,
 * combining classes, default ignorables, canonical composition); narrate
 * drives it one "segment" at a time instead of calling utf8proc_map on a
 * whole document, for two reasons:
 *
 *  - speed: most characters are in the target form already and cannot
 *    interact with their neighbours; a per-code-point quick-check table
 *    lets them through as a byte copy (docs/normalization.md);
 *  - offsets: a segment is the smallest span that normalises independently
 *    of the rest of the text, so every output byte can name the input
 *    character (or, where characters merged or moved, the input segment) it
 *    came from.
 *
 * A segment starts before a character whose mapping (decomposition, after
 * case folding for NFKC_Casefold) begins with a starter (canonical combining
 * class 0) that no composition takes as its second character.  Canonical
 * reordering never moves a character across a starter, and such a starter
 * blocks every later character from composing with anything before it
 * (Unicode 15, section 3.11), so NF(XY) == NF(X) NF(Y) at that point (UAX
 * #15, "Stable Code Points").  The characters that can be a second and have
 * class 0 are marks (Mc, Mn) and Hangul vowel and trailing jamo; treating
 * every mark that way is conservative (checked against
 * DerivedNormalizationProps' NFC_QC=Maybe list by
 * tests/conformance/conf_normalization.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "normalize.h"
#include "utf8.h"

#define NFORMS 5

/* The longest mapping of one code point in any form: U+FDFA has 18 under
 * NFKD (and NFKC_Casefold); canonical decompositions have at most 4. */
#define DMAX 32

/* Segments up to this many mapped code points need no heap. */
#define SEG_STACK 64

/* Quick-check flags of a code point in a form. */
#define QC_BOUNDARY 1u /* a segment may start before it */
#define QC_SAME	    2u /* alone, it normalises to itself */

static const utf8proc_option_t form_opts[NFORMS] = {
	UTF8PROC_DECOMPOSE,							    /* NFC */
	UTF8PROC_DECOMPOSE,							    /* NFD */
	UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,					    /* NFKC */
	UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,					    /* NFKD */
	UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, /* CF */
};

static const int form_composes[NFORMS] = {1, 0, 1, 0, 1};

static inline int ccc(int32_t cp)
{
	return utf8proc_get_property(cp)->combining_class;
}

/* Can cp (class 0) be the second character of a canonical composition?
 * Conservative: every mark, plus Hangul V (1161..1175) and T (11A8..11C2). */
static int maybe_second(int32_t cp)
{
	utf8proc_category_t c;

	if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
		return 1;
	if (cp < 0x300)
		return 0;
	c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/*
 * Unassigned code points that Unicode already reserves as
 * Default_Ignorable_Code_Point (Other_Default_Ignorable_Code_Point in
 * PropList.txt: 2065, FFF0..FFF8, E0000..E0FFF), which NFKC_CF removes.
 * utf8proc's "ignorable" flag covers only assigned ones; without this,
 * text from a newer Unicode version would keep them.
 */
static int reserved_ignorable(int32_t cp)
{
	if (cp != 0x2065 && !(cp >= 0xFFF0 && cp <= 0xFFF8) && !(cp >= 0xE0000 && cp <= 0xE0FFF))
		return 0;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_CN;
}

/* The mapping of one code point in a form, before reordering: the full
 * (recursive) decomposition, case folded first for NFKC_Casefold, empty for
 * a default ignorable there.  Returns the count, or -1 (never expected). */
static int map_cp(int32_t cp, int form, int32_t *dst)
{
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, dst, DMAX, form_opts[form], NULL);

	if (n < 0 || n > DMAX)
		return -1;
	if (form == NR_NFKC_CASEFOLD && n == 1 && reserved_ignorable(cp))
		return 0;
	return (int)n;
}

/* Canonical ordering (Unicode 15, D109): a stable sort of each run of
 * non-starters by combining class.  Insertion sort for short runs (almost
 * all of them); a counting sort for long ones, so that a hostile run of a
 * million combining marks stays linear. */
static void reorder(int32_t *c, size_t n, int32_t *tmp)
{
	size_t i = 0, j, k, run;
	size_t count[256];

	while (i < n) {
		if (ccc(c[i]) == 0) {
			i++;
			continue;
		}
		for (j = i; j < n && ccc(c[j]) != 0; j++)
			;
		run = j - i;
		if (run <= 16 || !tmp) {
			for (k = i + 1; k < j; k++) {
				int32_t x = c[k];
				int cx = ccc(x);
				size_t m = k;

				while (m > i && ccc(c[m - 1]) > cx) {
					c[m] = c[m - 1];
					m--;
				}
				c[m] = x;
			}
		} else {
			size_t pos = 0, t;

			memset(count, 0, sizeof(count));
			for (k = i; k < j; k++)
				count[ccc(c[k])]++;
			for (t = 0; t < 256; t++) {
				size_t cnt = count[t];

				count[t] = pos;
				pos += cnt;
			}
			for (k = i; k < j; k++)
				tmp[count[ccc(c[k])]++] = c[k];
			memcpy(c + i, tmp, run * sizeof(*c));
		}
		i = j;
	}
}

/* Normalise one mapped segment in place; returns its new length. */
static size_t finish(int32_t *c, size_t n, int form, int32_t *tmp)
{
	reorder(c, n, tmp);
	if (form_composes[form] && n > 1)
		n = (size_t)utf8proc_normalize_utf32(c, (utf8proc_ssize_t)n,
						     UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return n;
}

static unsigned classify(int32_t cp, int form)
{
	int32_t d[DMAX];
	int n = map_cp(cp, form, d);
	unsigned f = 0;

	if (n <= 0)
		return 0;
	if (ccc(d[0]) == 0 && !(form_composes[form] && maybe_second(d[0])))
		f |= QC_BOUNDARY;
	if (finish(d, (size_t)n, form, NULL) == 1 && d[0] == cp)
		f |= QC_SAME;
	return f;
}

/*
 * Quick-check bits for the BMP, two per code point, computed once per form
 * on first use (a few milliseconds); supplementary code points are
 * classified on the fly.
 */
static uint64_t qc_bits[NFORMS][2][65536 / 64];
static pthread_once_t qc_once[NFORMS] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
					 PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};

static void qc_fill(int form)
{
	int32_t cp;

	for (cp = 0; cp < 0x10000; cp++) {
		unsigned f;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		f = classify(cp, form);
		if (f & QC_BOUNDARY)
			qc_bits[form][0][cp >> 6] |= (uint64_t)1 << (cp & 63);
		if (f & QC_SAME)
			qc_bits[form][1][cp >> 6] |= (uint64_t)1 << (cp & 63);
	}
}

static void qc_fill0(void)
{
	qc_fill(0);
}
static void qc_fill1(void)
{
	qc_fill(1);
}
static void qc_fill2(void)
{
	qc_fill(2);
}
static void qc_fill3(void)
{
	qc_fill(3);
}
static void qc_fill4(void)
{
	qc_fill(4);
}

static void (*const qc_fillers[NFORMS])(void) = {qc_fill0, qc_fill1, qc_fill2, qc_fill3, qc_fill4};

static int qc_ready(int form)
{
	return pthread_once(&qc_once[form], qc_fillers[form]) == 0;
}

static inline unsigned qc_flags(int32_t cp, int form)
{
	if (cp < 0x10000) {
		uint64_t bit = (uint64_t)1 << (cp & 63);

		return ((qc_bits[form][0][cp >> 6] & bit) ? QC_BOUNDARY : 0) |
		       ((qc_bits[form][1][cp >> 6] & bit) ? QC_SAME : 0);
	}
	return classify(cp, form);
}

/* ---- output: bytes and (optionally) their source offsets --------------- */

struct sink {
	struct nri_buf *b;
	int want_offs; /* keep offs: one entry per output byte */
	size_t *offs;
	size_t ocap; /* entries allocated */
	size_t base; /* b->len when we started (nri_casefold appends) */
};

static int offs_reserve(struct sink *k, size_t n)
{
	size_t need, ncap;
	size_t *p;

	need = k->b->len - k->base + n + 1;
	if (need <= k->ocap)
		return NR_OK;
	ncap = k->ocap ? k->ocap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / sizeof(size_t))
			return NR_ELIMIT;
		ncap *= 2;
	}
	p = nri_realloc(k->offs, ncap * sizeof(size_t));
	if (!p)
		return NR_ENOMEM;
	k->offs = p;
	k->ocap = ncap;
	return NR_OK;
}

/* Append p[0..n); every byte maps to off, or (identity) byte t to off + t. */
static int emit(struct sink *k, const void *p, size_t n, size_t off, int identity)
{
	size_t at = k->b->len - k->base, t;
	int rc;

	if (k->want_offs) {
		rc = offs_reserve(k, n);
		if (rc)
			return rc;
	}
	rc = nri_buf_add(k->b, p, n);
	if (rc)
		return rc;
	if (k->want_offs)
		for (t = 0; t < n; t++)
			k->offs[at + t] = identity ? off + t : off;
	return NR_OK;
}

/* ---- the slow path: one segment through utf8proc -------------------- */

struct seg {
	int32_t *map;  /* mapped code points, in input order */
	int32_t *work; /* the same, then reordered and composed */
	int32_t *tmp;  /* scratch for the counting sort */
	size_t *src;   /* input offset of the character each came from */
	size_t n, cap;
	int32_t map_s[SEG_STACK + DMAX], work_s[SEG_STACK + DMAX], tmp_s[SEG_STACK + DMAX];
	size_t src_s[SEG_STACK + DMAX];
};

static void seg_init(struct seg *g)
{
	g->map = g->map_s;
	g->work = g->work_s;
	g->tmp = g->tmp_s;
	g->src = g->src_s;
	g->n = 0;
	g->cap = SEG_STACK + DMAX;
}

static void seg_release(struct seg *g)
{
	if (g->map != g->map_s) {
		nri_free(g->map);
		nri_free(g->work);
		nri_free(g->tmp);
		nri_free(g->src);
	}
	seg_init(g);
}

/* Room for DMAX more code points. */
static int seg_reserve(struct seg *g)
{
	int32_t *m, *w, *x;
	size_t *s, ncap;

	if (g->n + DMAX <= g->cap)
		return NR_OK;
	if (g->cap > SIZE_MAX / 4 / sizeof(size_t))
		return NR_ELIMIT;
	ncap = g->cap * 2;
	m = nri_malloc(ncap * sizeof(*m));
	w = nri_malloc(ncap * sizeof(*w));
	x = nri_malloc(ncap * sizeof(*x));
	s = nri_malloc(ncap * sizeof(*s));
	if (!m || !w || !x || !s) {
		nri_free(m);
		nri_free(w);
		nri_free(x);
		nri_free(s);
		return NR_ENOMEM;
	}
	memcpy(m, g->map, g->n * sizeof(*m));
	memcpy(s, g->src, g->n * sizeof(*s));
	if (g->map != g->map_s) {
		nri_free(g->map);
		nri_free(g->work);
		nri_free(g->tmp);
		nri_free(g->src);
	}
	g->map = m;
	g->work = w;
	g->tmp = x;
	g->src = s;
	g->cap = ncap;
	return NR_OK;
}

static inline int32_t next_cp(const char *s, size_t len, size_t *i)
{
	int32_t cp = nri_utf8_next(s, len, i);

	return cp < 0 ? 0xFFFD : cp;
}

/*
 * Normalise s[a..b), one segment.  If the result is exactly the mapped code
 * points in input order, each output character maps to the input character
 * it came from (a ligature's "fi" both to the ligature); if reordering or
 * composition changed anything, every output byte maps to a, the segment's
 * start, which keeps the offsets non-decreasing.
 */
static int slow(struct sink *k, struct seg *g, const char *s, size_t a, size_t b, int form)
{
	size_t i, o, t, m;
	char enc[4];
	int n, rc, same;

	g->n = 0;
	for (i = a; i < b;) {
		o = i;
		rc = seg_reserve(g);
		if (rc)
			return rc;
		n = map_cp(next_cp(s, b, &i), form, g->map + g->n);
		if (n < 0)
			return NR_EINTERNAL;
		for (t = 0; t < (size_t)n; t++)
			g->src[g->n + t] = o;
		g->n += (size_t)n;
	}
	memcpy(g->work, g->map, g->n * sizeof(*g->work));
	m = finish(g->work, g->n, form, g->tmp);
	same = m == g->n && !memcmp(g->work, g->map, m * sizeof(*g->work));
	for (t = 0; t < m; t++) {
		size_t len = nri_utf8_encode((uint32_t)g->work[t], enc);

		rc = emit(k, enc, len, same ? g->src[t] : a, 0);
		if (rc)
			return rc;
	}
	return NR_OK;
}

/*
 * Copy s[a..b), characters that are their own normal form, in one go.
 * Each byte maps to the start of its character; for NFKC_Casefold the
 * ASCII capitals in it are lowered (the only change a copied run needs).
 */
static int flush(struct sink *k, const unsigned char *p, size_t a, size_t b, int fold)
{
	size_t at = k->b->len, t, cur = a;
	int rc;

	if (a == b)
		return NR_OK;
	if (k->want_offs) {
		rc = offs_reserve(k, b - a);
		if (rc)
			return rc;
	}
	rc = nri_buf_add(k->b, p + a, b - a);
	if (rc)
		return rc;
	if (k->want_offs) {
		size_t *o = k->offs + (at - k->base);

		for (t = a; t < b; t++) {
			if ((p[t] & 0xC0) != 0x80)
				cur = t;
			o[t - a] = cur;
		}
	}
	if (fold) {
		char *d = k->b->data + at;

		for (t = 0; t < b - a; t++)
			if (d[t] >= 'A' && d[t] <= 'Z')
				d[t] = (char)(d[t] + 32);
	}
	return NR_OK;
}

#define HIGH_BITS 0x8080808080808080ull

/* End of the ASCII run starting at i (8 bytes at a time). */
static inline size_t ascii_end(const unsigned char *p, size_t len, size_t i)
{
	uint64_t w;

	while (len - i >= 8) {
		memcpy(&w, p + i, 8);
		if (w & HIGH_BITS)
			break;
		i += 8;
	}
	while (i < len && p[i] < 0x80)
		i++;
	return i;
}

/* One decoded character: code point (U+FFFD for an ill-formed subpart),
 * where it ends, and its quick-check flags. */
struct look {
	size_t at, end;
	int32_t cp;
	unsigned flags;
};

/* Decode a character of text already known to be well-formed. */
static inline int32_t decode_valid(const unsigned char *p, size_t *i)
{
	const unsigned char *q = p + *i;

	if (q[0] < 0x80) {
		*i += 1;
		return q[0];
	}
	if (q[0] < 0xE0) {
		*i += 2;
		return (int32_t)(((q[0] & 0x1Fu) << 6) | (q[1] & 0x3Fu));
	}
	if (q[0] < 0xF0) {
		*i += 3;
		return (int32_t)(((q[0] & 0x0Fu) << 12) | ((q[1] & 0x3Fu) << 6) | (q[2] & 0x3Fu));
	}
	*i += 4;
	return (int32_t)(((q[0] & 0x07u) << 18) | ((q[1] & 0x3Fu) << 12) | ((q[2] & 0x3Fu) << 6) |
			 (q[3] & 0x3Fu));
}

static inline void look_at(struct look *c, const char *s, size_t len, size_t at, int form,
			   int valid)
{
	int32_t cp;

	if (c->at == at)
		return;
	c->at = at;
	c->end = at;
	if (valid)
		cp = decode_valid((const unsigned char *)s, &c->end);
	else
		cp = nri_utf8_next(s, len, &c->end);
	/* an ill-formed subpart is a boundary on both sides, never copied */
	c->cp = cp < 0 ? 0xFFFD : cp;
	c->flags = cp < 0 ? QC_BOUNDARY : qc_flags(cp, form);
}

/*
 * The driver.  Characters that are their own normal form and are followed
 * by a segment boundary accumulate in a pending run [pend, i) that is
 * copied in one go; ASCII is such a character for every form (lowered
 * later for NFKC_Casefold), except possibly the last one before a
 * non-ASCII byte, which may be the base of a combining sequence.  Any
 * other character starts a segment - it and every following character
 * that is no boundary - which goes through slow().  valid: s is known to
 * be well-formed (decode without checks); otherwise each ill-formed
 * subpart becomes U+FFFD.
 */
static int run(struct sink *k, const char *s, size_t len, int form, int valid)
{
	const unsigned char *p = (const unsigned char *)s;
	int fold = form == NR_NFKC_CASEFOLD;
	size_t i = 0, pend = 0, j;
	struct look cur = {(size_t)-1, 0, 0, 0}, nxt = {(size_t)-1, 0, 0, 0};
	struct seg g;
	unsigned f;
	int rc = NR_OK;

	if (!qc_ready(form))
		return NR_EINTERNAL;
	seg_init(&g);
	while (i < len) {
		if (p[i] < 0x80) {
			j = ascii_end(p, len, i);
			if (j == len) {
				i = len;
				break;
			}
			i = j - 1;
		}
		if (nxt.at == i)
			cur = nxt;
		else
			look_at(&cur, s, len, i, form, valid);
		f = cur.flags;
		if (cur.cp < 0x80 && fold)
			f |= QC_SAME;
		if (f & QC_SAME) {
			if (cur.end == len) {
				i = len;
				break;
			}
			look_at(&nxt, s, len, cur.end, form, valid);
			if (nxt.flags & QC_BOUNDARY) {
				i = cur.end;
				continue;
			}
		}
		/* a segment: this character and every non-boundary one after it */
		for (j = cur.end; j < len; j = nxt.end) {
			look_at(&nxt, s, len, j, form, valid);
			if (nxt.flags & QC_BOUNDARY)
				break;
		}
		rc = flush(k, p, pend, i, fold);
		if (!rc)
			rc = slow(k, &g, s, i, j, form);
		if (rc)
			break;
		i = pend = j;
	}
	if (!rc)
		rc = flush(k, p, pend, i, fold);
	seg_release(&g);
	return rc;
}

int nr_normalize(const char *s, size_t len, enum nr_norm_form form, char **out, size_t *out_len,
		 size_t **offsets)
{
	struct nri_buf b;
	struct sink k;
	int rc;

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (offsets)
		*offsets = NULL;
	if (!out || !out_len || (!s && len) || (unsigned)form >= NFORMS)
		return NR_EINVAL;
	rc = nr_utf8_check(s, len, NULL);
	if (rc)
		return rc;
	nri_buf_init(&b, SIZE_MAX / 2 / sizeof(size_t));
	k.b = &b;
	k.want_offs = offsets != NULL;
	k.offs = NULL;
	k.ocap = 0;
	k.base = 0;
	/* Most text keeps its length: size for that up front. */
	rc = nri_buf_grow(&b, len);
	if (!rc && k.want_offs)
		rc = offs_reserve(&k, len);
	if (!rc)
		rc = run(&k, s, len, (int)form, 1);
	if (!rc && k.want_offs)
		rc = offs_reserve(&k, 0);
	if (rc) {
		nri_buf_release(&b);
		nri_free(k.offs);
		return rc;
	}
	if (k.want_offs) {
		k.offs[b.len] = len;
		*offsets = k.offs;
	}
	*out = nri_buf_detach(&b, out_len);
	return NR_OK;
}

/*
 * The tokenizer's per-token entry point.  A pure-ASCII token (most of them)
 * is lower-cased in one pass without looking anything up.
 */
int nri_casefold(struct nri_buf *out, const char *s, size_t len)
{
	size_t old = out->len, t;
	struct sink k;
	int rc;

	for (t = 0; t < len && (unsigned char)s[t] < 0x80; t++)
		;
	if (t == len) {
		rc = nri_buf_grow(out, len);
		if (rc)
			return rc;
		for (t = 0; t < len; t++) {
			unsigned char c = (unsigned char)s[t];

			out->data[out->len + t] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		out->len += len;
		out->data[out->len] = '\0';
		return NR_OK;
	}
	k.b = out;
	k.want_offs = 0;
	k.offs = NULL;
	k.ocap = 0;
	k.base = old;
	rc = run(&k, s, len, NR_NFKC_CASEFOLD, nr_utf8_check(s, len, NULL) == NR_OK);
	if (rc) {
		out->len = old;
		if (out->data)
			out->data[old] = '\0';
	}
	return rc;
}
