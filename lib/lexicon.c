/*
 * lexicon.c - the .nlex parser (docs/lexicon-format.md).
 *
 * A load parses into a fresh struct nri_lexdata and swaps it into the handle
 * only when the whole file was good, so a failed load leaves the handle as
 * it was.  Terms are split into pieces with the public tokenizer, the same
 * code that splits the text later, so a multiword or mixed-script term
 * breaks exactly where the text will.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "lexicon.h"
#include "normalize.h"
#include "strmap.h"
#include "tokenizer.h"
#include "utf8.h"

#define MAX_FILE    ((size_t)512 << 20) /* bytes of one .nlex */
#define MAX_ITEMS   ((size_t)1 << 26)	/* entries, categories, entities */
#define MAX_NEG	    1000		/* largest negation window */
#define MAX_WEIGHT  1e9
#define ERRMSG_SIZE 512

struct nr_lexicon {
	struct nri_lexdata *d;
	struct nr_tokenizer *tok; /* splits terms; made on first load */
	char errmsg[ERRMSG_SIZE];
	size_t errline, errcol;
};

/* ---- character classes ---------------------------------------------- */

int nri_lex_nospace(uint32_t cp)
{
	if (cp < 0x0E00)
		return 0;
	if (cp <= 0x0FFF) /* Thai, Lao, Tibetan */
		return 1;
	if (cp >= 0x1000 && cp <= 0x109F) /* Myanmar */
		return 1;
	if (cp >= 0x1780 && cp <= 0x17FF) /* Khmer */
		return 1;
	if (cp >= 0x19E0 && cp <= 0x19FF) /* Khmer symbols */
		return 1;
	if (cp < 0x2E80)
		return 0;
	if (cp <= 0x2FDF || (cp >= 0x2FF0 && cp <= 0x2FFF)) /* radicals */
		return 1;
	if (cp == 0x3005 || cp == 0x3006 || cp == 0x3007 || (cp >= 0x3021 && cp <= 0x3029) ||
	    (cp >= 0x3038 && cp <= 0x303C))
		return 1;
	if (cp >= 0x3040 && cp <= 0x30FF)	     /* Hiragana, Katakana */
		return cp != 0x30FB && cp != 0x30A0; /* not the middle dot */
	if (cp >= 0x3100 && cp <= 0x312F)	     /* Bopomofo */
		return 1;
	if (cp >= 0x3190 && cp <= 0x31FF) /* Kanbun, Bopomofo ext, Kana */
		return cp < 0x31C0 || cp >= 0x31F0;
	if (cp >= 0x3400 && cp <= 0x4DBF) /* Han extension A */
		return 1;
	if (cp >= 0x4E00 && cp <= 0x9FFF) /* Han */
		return 1;
	if (cp >= 0xA000 && cp <= 0xA4CF) /* Yi */
		return 1;
	if (cp >= 0xF900 && cp <= 0xFAFF) /* compatibility ideographs */
		return 1;
	if (cp >= 0xFF66 && cp <= 0xFF9F) /* halfwidth Katakana */
		return 1;
	if (cp >= 0x1B000 && cp <= 0x1B16F) /* Kana supplement */
		return 1;
	if (cp >= 0x20000 && cp <= 0x3FFFF) /* Han extensions B.. */
		return 1;
	return 0;
}

int nri_lex_gap_char(uint32_t cp)
{
	switch (cp) {
	case 0x09:
	case 0x0A:
	case 0x0B:
	case 0x0C:
	case 0x0D:
	case 0x20:
	case 0x85:
	case 0xA0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202F:
	case 0x205F:
	case 0x3000:
	case 0x200B:
	case 0xFEFF:
	/* joiners: hyphens, apostrophes, middle dots */
	case '-':
	case 0x2010:
	case 0x2011:
	case 0xAD:
	case 0xFF0D:
	case '\'':
	case 0x2019:
	case 0x02BC:
	case 0xFF07:
	case 0xB7:
	case 0x30FB:
	case 0x2027:
	case 0xFF65: return 1;
	}
	return cp >= 0x2000 && cp <= 0x200A;
}

/* A word piece with U+2019 or U+02BC folded to ', so that Xi'an and Xi'an
 * typed with a typographic apostrophe are one word. */
static size_t fold_word(const char *p, size_t n, char *out, const char **res)
{
	size_t i, o = 0;

	if (!memchr(p, 0xE2, n) && !memchr(p, 0xCA, n)) {
		*res = p;
		return n;
	}
	for (i = 0; i < n;) {
		if (i + 2 < n && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
		    (unsigned char)p[i + 2] == 0x99) {
			out[o++] = '\'';
			i += 3;
		} else if (i + 1 < n && (unsigned char)p[i] == 0xCA &&
			   (unsigned char)p[i + 1] == 0xBC) {
			out[o++] = '\'';
			i += 2;
		} else {
			out[o++] = p[i++];
		}
	}
	*res = out;
	return o;
}

static int all_gap(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		int32_t cp = nri_utf8_next(s, n, &i);

		if (cp < 0 || !nri_lex_gap_char((uint32_t)cp))
			return 0;
	}
	return 1;
}

/* Where a hashtag is cut (nri_lex_hashtag_pieces): its segments, as
 * byte ranges of norm, in order; bytes between two segments belong to
 * none (connector punctuation). */
#define HT_MAXSEG 128 /* more: the last segment runs to the end */

struct htcuts {
	size_t n, k; /* segments; the first one a later run may touch */
	size_t b[HT_MAXSEG], e[HT_MAXSEG];
	nri_whole_fn whole;
};

/* The word run norm[r0, r1): one piece, or with cuts one piece per
 * segment it overlaps, unless cuts->whole keeps it whole. */
static int word_run(const char *norm, size_t r0, size_t r1, char *fold, struct htcuts *cuts,
		    nri_piece_fn fn, void *ctx)
{
	const char *w;
	size_t wn, k;
	int rc;

	if (cuts) {
		while (cuts->k < cuts->n && cuts->e[cuts->k] <= r0)
			cuts->k++;
		k = cuts->k;
		if (k < cuts->n && cuts->b[k] <= r0 && cuts->e[k] >= r1)
			cuts = NULL; /* inside one segment: not cut */
	}
	wn = fold_word(norm + r0, r1 - r0, fold, &w);
	if (!cuts || (cuts->whole && cuts->whole(ctx, w, wn)))
		return fn(ctx, NRI_PIECE_WORD, w, wn, r0, r1);
	for (k = cuts->k; k < cuts->n && cuts->b[k] < r1; k++) {
		size_t pb = cuts->b[k] > r0 ? cuts->b[k] : r0;
		size_t pe = cuts->e[k] < r1 ? cuts->e[k] : r1;

		if (pb >= pe)
			continue;
		wn = fold_word(norm + pb, pe - pb, fold, &w);
		rc = fn(ctx, NRI_PIECE_WORD, w, wn, pb, pe);
		if (rc)
			return rc;
	}
	return 0;
}

/* norm[b, e) as runs of word characters (cut by cuts when not NULL) and
 * single no-space characters. */
static int split_runs(const char *norm, size_t b, size_t e, char *fold, struct htcuts *cuts,
		      nri_piece_fn fn, void *ctx)
{
	size_t i, run = (size_t)-1;
	int rc;

	for (i = b; i < e;) {
		size_t at = i;
		int32_t cp = nri_utf8_next(norm, e, &i);

		if (cp >= 0 && nri_lex_nospace((uint32_t)cp)) {
			if (run != (size_t)-1) {
				rc = word_run(norm, run, at, fold, cuts, fn, ctx);
				if (rc)
					return rc;
				run = (size_t)-1;
			}
			rc = fn(ctx, NRI_PIECE_CHAR, norm + at, i - at, at, i);
			if (rc)
				return rc;
		} else if (run == (size_t)-1) {
			run = at;
		}
	}
	if (run != (size_t)-1)
		return word_run(norm, run, e, fold, cuts, fn, ctx);
	return 0;
}

/* Split a normalised token into word runs and no-space characters.  The
 * rule is in lexicon.h; it runs on terms at load and on text at match. */
int nri_lex_pieces(const char *norm, size_t len, enum nr_token_type type, char *fold,
		   nri_piece_fn fn, void *ctx)
{
	size_t i, b = 0, e = len;
	const char *w;
	size_t wn;

	if (type == NR_TOKEN_WORD || type == NR_TOKEN_NUMBER) {
		/* fast path: no byte that can start a no-space character
		 * (all of them are 3 or 4 bytes long) */
		unsigned char hi = 0;

		for (i = 0; i < len; i++)
			hi |= (unsigned char)norm[i];
		if (hi < 0x80)
			return len ? fn(ctx, NRI_PIECE_WORD, norm, len, 0, len) : 0;
		if (hi < 0xE0) {
			wn = fold_word(norm, len, fold, &w);
			return fn(ctx, NRI_PIECE_WORD, w, wn, 0, len);
		}
	}
	switch (type) {
	case NR_TOKEN_URL:
	case NR_TOKEN_EMAIL:
	case NR_TOKEN_MENTION:
		if (!len)
			return 0;
		wn = fold_word(norm, len, fold, &w);
		return fn(ctx, NRI_PIECE_WORD, w, wn, 0, len);
	case NR_TOKEN_PUNCT:
		if (!len || all_gap(norm, len))
			return 0;
		wn = fold_word(norm, len, fold, &w);
		return fn(ctx, NRI_PIECE_WORD, w, wn, 0, len);
	case NR_TOKEN_HASHTAG:
		/* #hangzhou and #杭州# are matched on what is inside the marks */
		while (b < e && norm[b] == '#')
			b++;
		while (e > b && norm[e - 1] == '#')
			e--;
		break;
	default: break;
	}
	return split_runs(norm, b, e, fold, NULL, fn, ctx);
}

/* Character classes of the hashtag cuts. */
enum { HT_OTHER, HT_UPPER, HT_LOWER, HT_UNCASED, HT_DIGIT, HT_MARK, HT_JOIN };

static int ht_class(int32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'a' && cp <= 'z')
			return HT_LOWER;
		if (cp >= 'A' && cp <= 'Z')
			return HT_UPPER;
		if (cp >= '0' && cp <= '9')
			return HT_DIGIT;
		return cp == '_' ? HT_JOIN : HT_OTHER;
	}
	if (nri_lex_nospace((uint32_t)cp))
		return HT_UNCASED; /* a piece of its own anyway */
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT: return HT_UPPER;
	case UTF8PROC_CATEGORY_LL: return HT_LOWER;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: return HT_UNCASED;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return HT_DIGIT;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME: return HT_MARK;
	case UTF8PROC_CATEGORY_PC: return HT_JOIN;
	default: return HT_OTHER;
	}
}

/* The class of the first character at or after s[i] that is no mark. */
static int ht_next(const char *s, size_t n, size_t i)
{
	while (i < n) {
		int32_t cp = nri_utf8_next(s, n, &i);
		int c = cp < 0 ? HT_OTHER : ht_class(cp);

		if (c != HT_MARK)
			return c;
	}
	return HT_OTHER;
}

/* 1 if a word boundary falls between a character of class p (the last one
 * that was no mark) and one of class c followed by one of class nx. */
static int ht_cut(int p, int c, int nx)
{
	if (p == HT_LOWER && c == HT_UPPER)
		return 1; /* visitChengdu */
	if (p == HT_UPPER && c == HT_UPPER && nx == HT_LOWER)
		return 1; /* NYCTourism */
	if (p == HT_DIGIT)
		return c == HT_UPPER || c == HT_LOWER || c == HT_UNCASED;
	return c == HT_DIGIT && (p == HT_UPPER || p == HT_LOWER || p == HT_UNCASED);
}

/* Segments of orig[b, e) (a hashtag without its marks) into cuts, as
 * offsets in orig; 0 segments or 1 covering everything: no cut.  Returns
 * 1 if orig[b, e) is ASCII. */
static int ht_segments(const char *orig, size_t b, size_t e, struct htcuts *cuts)
{
	size_t i = b, start = b;
	int p = HT_OTHER, ascii = 1;

	cuts->n = 0;
	while (i < e) {
		size_t at = i;
		int32_t cp = (unsigned char)orig[i];
		int c;

		if (cp < 0x80) {
			i++;
		} else {
			ascii = 0;
			cp = nri_utf8_next(orig, e, &i);
		}
		c = cp < 0 ? HT_OTHER : ht_class(cp);

		if (c == HT_MARK)
			continue;
		if (c == HT_JOIN || (ht_cut(p, c, c == HT_UPPER ? ht_next(orig, e, i) : HT_OTHER) &&
				     cuts->n + 1 < HT_MAXSEG)) {
			if (start < at && cuts->n + 1 < HT_MAXSEG) {
				cuts->b[cuts->n] = start;
				cuts->e[cuts->n++] = at;
				start = at;
			}
			if (c == HT_JOIN && start == at)
				start = i;
		}
		p = c;
	}
	if (start < e) {
		cuts->b[cuts->n] = start;
		cuts->e[cuts->n++] = e;
	}
	return ascii;
}

/* 1 if the ASCII o[0, n) case folds to f[0, n) (nri_casefold's quick
 * path: only A-Z change). */
static int ascii_folds_to(const char *o, const char *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)o[i];

		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)f[i])
			return 0;
	}
	return 1;
}

int nri_lex_hashtag_pieces(const char *norm, size_t len, const char *orig, size_t olen, char *fold,
			   struct nri_buf *scratch, nri_whole_fn whole, nri_piece_fn fn, void *ctx)
{
	struct htcuts cuts = {0}; /* GCC cannot see ht_segments set b[0], e[0] */
	size_t b = 0, e = len, ob = 0, oe = olen, k, prev;
	int rc, ascii;

	while (b < e && norm[b] == '#')
		b++;
	while (e > b && norm[e - 1] == '#')
		e--;
	while (ob < oe && orig[ob] == '#')
		ob++;
	while (oe > ob && orig[oe - 1] == '#')
		oe--;
	ascii = ht_segments(orig, ob, oe, &cuts);
	if (!cuts.n || (cuts.n == 1 && cuts.b[0] == ob && cuts.e[0] == oe))
		return nri_lex_pieces(norm, len, NR_TOKEN_HASHTAG, fold, fn, ctx);
	if (ascii && e - b == oe - ob && ascii_folds_to(orig + ob, norm + b, e - b)) {
		/* most hashtags: byte for byte */
		for (k = 0; k < cuts.n; k++) {
			cuts.b[k] = cuts.b[k] - ob + b;
			cuts.e[k] = cuts.e[k] - ob + b;
		}
		goto split;
	}
	/* each segment and each gap between two normalised alone: where
	 * they fall in norm, if together they are norm */
	nri_buf_reset(scratch);
	for (k = 0, prev = ob; k <= cuts.n; k++) {
		size_t sb = k < cuts.n ? cuts.b[k] : oe;

		rc = sb > prev ? nri_casefold(scratch, orig + prev, sb - prev) : NR_OK;
		if (!rc && k < cuts.n) {
			cuts.b[k] = b + scratch->len;
			rc = nri_casefold(scratch, orig + sb, cuts.e[k] - sb);
			prev = cuts.e[k];
			cuts.e[k] = b + scratch->len;
		}
		if (rc == NR_ENOMEM)
			return rc;
		if (rc)
			break;
	}
	if (k <= cuts.n || scratch->len != e - b || !scratch->len ||
	    memcmp(scratch->data, norm + b, e - b))
		return nri_lex_pieces(norm, len, NR_TOKEN_HASHTAG, fold, fn, ctx);
split:
	cuts.k = 0;
	cuts.whole = whole;
	return split_runs(norm, b, e, fold, &cuts, fn, ctx);
}

size_t nri_lex_varint(const unsigned char *key, size_t len, size_t *i)
{
	size_t v = 0;
	unsigned shift = 0;

	while (*i < len && shift < 63) {
		unsigned char c = key[(*i)++];

		v |= (size_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	return v;
}

/* Append the word piece p[0..n) p2[0..n2) to a serialised key (as
 * key_piece does). */
static int put_word(struct nri_buf *b, const void *p, size_t n, const void *p2, size_t n2)
{
	unsigned char v[10];
	size_t m = 0, x = n + n2;
	int rc;

	v[m++] = NRI_PIECE_WORD;
	do {
		v[m++] = (unsigned char)((x & 0x7F) | (x > 0x7F ? 0x80 : 0));
		x >>= 7;
	} while (x);
	if ((rc = nri_buf_add(b, v, m)) || (rc = nri_buf_add(b, p, n)))
		return rc;
	return n2 ? nri_buf_add(b, p2, n2) : NR_OK;
}

/* One piece of a serialised key at key[*i]: its kind, and its bytes
 * key[*ps..*ps+*pn) (a character's UTF-8 bytes).  0, or -1 if malformed. */
static int next_piece(const unsigned char *key, size_t len, size_t *i, int *kind, size_t *ps,
		      size_t *pn)
{
	size_t n;

	*kind = key[(*i)++];
	if (*kind == NRI_PIECE_WORD) {
		n = nri_lex_varint(key, len, i);
		if (n > len - *i)
			return -1;
	} else {
		size_t s = *i;

		if (nri_utf8_next((const char *)key, len, i) < 0)
			return -1;
		n = *i - s;
		*i = s;
	}
	*ps = *i;
	*pn = n;
	*i += n;
	return 0;
}

/*
 * Entries are tokenized in their own language (lang "*" as "und"), text in
 * its own: "L'Aquila" is one word piece in a "*" entry and in English text,
 * two in French text.  The matcher gives an entry the paths of both forms,
 * made here.
 */
int nri_lex_elision_keys(const unsigned char *key, size_t len, struct nri_buf *split,
			 struct nri_buf *joined)
{
	size_t i = 0, ps, pn, f;
	int kind, cut = 0, glue = 0, rc = NR_OK;

	nri_buf_reset(split);
	nri_buf_reset(joined);
	/* a first pass: most keys have no apostrophe and cost no copy */
	while (i < len) {
		if (next_piece(key, len, &i, &kind, &ps, &pn))
			return NR_EINVAL;
		if (kind != NRI_PIECE_WORD || !(f = nri_elision_form((const char *)key + ps, pn)))
			continue;
		if (f < pn)
			cut = 1;
		else if (i < len && key[i] == NRI_PIECE_WORD)
			glue = 1;
	}
	for (i = 0; cut && !rc && i < len;) {
		size_t at = i;

		next_piece(key, len, &i, &kind, &ps, &pn);
		f = kind == NRI_PIECE_WORD ? nri_elision_form((const char *)key + ps, pn) : 0;
		if (f && f < pn) {
			rc = put_word(split, key + ps, f, NULL, 0);
			if (!rc)
				rc = put_word(split, key + ps + f, pn - f, NULL, 0);
		} else {
			rc = nri_buf_add(split, key + at, i - at);
		}
	}
	for (i = 0; glue && !rc && i < len;) {
		size_t at = i;

		next_piece(key, len, &i, &kind, &ps, &pn);
		f = kind == NRI_PIECE_WORD ? nri_elision_form((const char *)key + ps, pn) : 0;
		if (f && f == pn && i < len && key[i] == NRI_PIECE_WORD) {
			size_t ps2, pn2;

			next_piece(key, len, &i, &kind, &ps2, &pn2);
			rc = put_word(joined, key + ps, pn, key + ps2, pn2);
		} else {
			rc = nri_buf_add(joined, key + at, i - at);
		}
	}
	return rc;
}

/* ---- a pool for strings and keys: one free for the whole load -------- */

struct pool_block {
	struct pool_block *next;
	size_t used, size;
	max_align_t data[];
};

static void *pool_alloc(void **pool, size_t n)
{
	struct pool_block *b = *pool;
	size_t need = (n + 15) & ~(size_t)15;

	if (!b || b->size - b->used < need) {
		size_t size = need > 65536 ? need : 65536;

		b = nri_malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = *pool;
		b->used = 0;
		b->size = size;
		*pool = b;
	}
	b->used += need;
	return (char *)b->data + b->used - need;
}

static char *pool_strndup(void **pool, const char *s, size_t n)
{
	char *d = pool_alloc(pool, n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void pool_free(void *pool)
{
	struct pool_block *b = pool;

	while (b) {
		struct pool_block *next = b->next;

		nri_free(b);
		b = next;
	}
}

static void data_free(struct nri_lexdata *d)
{
	if (!d)
		return;
	nri_free(d->headers);
	nri_free(d->cats);
	nri_free(d->entities);
	nri_free(d->attrs);
	nri_free(d->entries);
	nri_free(d->langs);
	nri_free(d->negators);
	pool_free(d->pool);
	nri_free(d);
}

/* Make room for one more element in a growable array. */
static int grow(void *arrp, size_t *cap, size_t n, size_t elsize)
{
	void **arr = arrp;
	size_t ncap;
	void *p;

	if (n < *cap)
		return NR_OK;
	if (n >= MAX_ITEMS)
		return NR_ELIMIT;
	ncap = *cap ? *cap : 16;
	while (ncap <= n)
		ncap *= 2;
	p = nri_realloc(*arr, ncap * elsize);
	if (!p)
		return NR_ENOMEM;
	*arr = p;
	*cap = ncap;
	return NR_OK;
}

/* ---- the loader ------------------------------------------------------ */

/* Per distinct key: who holds it (the homonym rule) and whether a blocking
 * entry and a normal entry share it. */
struct group {
	size_t best;  /* entity entry with the highest weight */
	size_t tie;   /* another entity's entry with that weight, or -1 */
	size_t block; /* a blocking entry, or -1 */
	size_t plain; /* a non-blocking entry, or -1 */
	int has_best;
};

struct loader {
	struct nr_lexicon *lex;
	const char *name;
	struct nri_lexdata *d;
	size_t cap_headers, cap_cats, cap_entities, cap_attrs, cap_entries, cap_langs, cap_negators,
		cap_groups;
	struct nri_strmap catmap, entmap, keymap;
	struct group *groups;
	size_t ngroups;
	int cur_cat, cur_ent, cur_lang, cur_neg;
	int seen_lexicon, seen_kind, seen_version, in_body;
	struct nri_buf term, key;
	char *fold;
	size_t foldcap;
	/* the line being parsed */
	size_t lineno;
	const char *line;
	size_t linelen;
};

/* Record "name:line:col: message" on the handle. */
static int vfail(struct loader *L, int rc, size_t line, size_t col, const char *fmt, va_list ap)
{
	struct nr_lexicon *lex = L->lex;
	int n;

	if (line)
		n = snprintf(lex->errmsg, ERRMSG_SIZE, "%s:%zu:%zu: ", L->name, line, col);
	else
		n = snprintf(lex->errmsg, ERRMSG_SIZE, "%s: ", L->name);
	lex->errline = line;
	lex->errcol = line ? col : 0;
	if (n < 0 || n >= ERRMSG_SIZE)
		n = 0;
	vsnprintf(lex->errmsg + n, ERRMSG_SIZE - (size_t)n, fmt, ap);
	return rc;
}

/* An error at byte `at` of the current line; the column counts code points
 * (at == (size_t)-1: an error with no place, such as out of memory). */
static int fail(struct loader *L, int rc, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct loader *L, int rc, size_t at, const char *fmt, ...)
{
	va_list ap;
	size_t col = 1, i = 0, line = 0;

	if (at != (size_t)-1 && L->line) {
		while (i < at && i < L->linelen) {
			nri_utf8_next(L->line, L->linelen, &i);
			col++;
		}
		line = L->lineno;
	}
	va_start(ap, fmt);
	rc = vfail(L, rc, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_line(struct loader *L, int rc, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_line(struct loader *L, int rc, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = vfail(L, rc, line, 1, fmt, ap);
	va_end(ap);
	return rc;
}

static int oom(struct loader *L, int rc)
{
	if (rc == NR_ELIMIT)
		return fail(L, rc, (size_t)-1, "too many items (limit %zu)", MAX_ITEMS);
	return fail(L, rc, (size_t)-1, "%s", nr_strerror(rc));
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int valid_path(const char *s, size_t n)
{
	size_t i, seg = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '/') {
			if (!seg)
				return 0;
			seg = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			   c == '-') {
			seg++;
		} else {
			return 0;
		}
	}
	return seg > 0;
}

static int valid_chars(const char *s, size_t n, const char *extra, int upper)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (upper && c >= 'A' && c <= 'Z') || (c && strchr(extra, c)))
			continue;
		return 0;
	}
	return 1;
}

/* BCP 47 in the loose sense a lexicon needs: "*", or a 2-8 letter primary
 * tag and alphanumeric subtags of 1-8 characters. */
static int valid_lang(const char *s, size_t n)
{
	size_t i = 0, seg = 0, k;

	if (n == 1 && s[0] == '*')
		return 1;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i < 2 || i > 8)
		return 0;
	while (i < n) {
		if (s[i] != '-')
			return 0;
		i++;
		for (k = 0; i < n && s[i] != '-'; i++, k++) {
			char c = s[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9')))
				return 0;
		}
		if (k < 1 || k > 8)
			return 0;
		seg++;
	}
	return 1;
}

/* ASCII case-insensitive equality of a[0..n) and the NUL-terminated b. */
static int lang_eq(const char *b, const char *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i], y = b[i];

		if (!y)
			return 0;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return b[n] == '\0';
}

static int lang_index(struct loader *L, const char *s, size_t n, int *out)
{
	struct nri_lexdata *d = L->d;
	size_t i;
	char *copy;
	int rc;

	for (i = 0; i < d->nlangs; i++)
		if (lang_eq(d->langs[i], s, n)) {
			*out = (int)i;
			return NR_OK;
		}
	rc = grow(&d->langs, &L->cap_langs, d->nlangs, sizeof(*d->langs));
	if (rc)
		return rc;
	copy = pool_strndup(&d->pool, s, n);
	if (!copy)
		return NR_ENOMEM;
	d->langs[d->nlangs] = copy;
	*out = (int)d->nlangs++;
	return NR_OK;
}

/* Find or create the category with path s[0..n), creating its ancestors
 * first so that a parent's id is always smaller than its children's. */
static int category(struct loader *L, const char *s, size_t n, int *out)
{
	struct nri_lexdata *d = L->d;
	struct nri_strmap_slot *slot;
	int parent = -1, added, rc;
	size_t cut;

	slot = nri_strmap_get(&L->catmap, s, n);
	if (slot) {
		*out = (int)slot->value;
		return NR_OK;
	}
	for (cut = n; cut > 0 && s[cut - 1] != '/'; cut--)
		;
	if (cut > 1) {
		rc = category(L, s, cut - 1, &parent);
		if (rc)
			return rc;
	}
	rc = grow(&d->cats, &L->cap_cats, d->ncats, sizeof(*d->cats));
	if (rc)
		return rc;
	rc = nri_strmap_put(&L->catmap, s, n, &slot, &added);
	if (rc)
		return rc;
	d->cats[d->ncats].name = pool_strndup(&d->pool, s, n);
	if (!d->cats[d->ncats].name)
		return NR_ENOMEM;
	d->cats[d->ncats].desc = "";
	d->cats[d->ncats].parent = parent;
	slot->value = d->ncats;
	*out = (int)d->ncats++;
	return NR_OK;
}

/* Split the rest of a directive line into the first word and the rest. */
static void split_word(const char *s, size_t n, size_t *wlen, size_t *rest)
{
	size_t i = 0;

	while (i < n && !is_space(s[i]))
		i++;
	*wlen = i;
	while (i < n && is_space(s[i]))
		i++;
	*rest = i;
}

static int add_header(struct loader *L, const char *key, const char *v, size_t n)
{
	struct nri_lexdata *d = L->d;
	int rc = grow(&d->headers, &L->cap_headers, d->nheaders, sizeof(*d->headers));

	if (rc)
		return rc;
	d->headers[d->nheaders].key = key;
	d->headers[d->nheaders].value = pool_strndup(&d->pool, v, n);
	if (!d->headers[d->nheaders].value)
		return NR_ENOMEM;
	d->nheaders++;
	return NR_OK;
}

/* ---- terms ------------------------------------------------------------ */

struct keyctx {
	struct nri_buf *buf;
	int last; /* kind of the last piece */
};

static int key_piece(void *ctx, int kind, const char *p, size_t n, size_t nb, size_t ne)
{
	struct keyctx *k = ctx;
	unsigned char v[10];
	size_t m = 0, x = n;
	int rc;

	(void)nb;
	(void)ne;
	k->last = kind;
	rc = nri_buf_addc(k->buf, kind);
	if (rc)
		return rc;
	if (kind == NRI_PIECE_WORD) {
		do {
			v[m++] = (unsigned char)((x & 0x7F) | (x > 0x7F ? 0x80 : 0));
			x >>= 7;
		} while (x);
		rc = nri_buf_add(k->buf, v, m);
		if (rc)
			return rc;
	}
	return nri_buf_add(k->buf, p, n);
}

/* The language the tokenizer is told when splitting terms of lang "*". */
#define TERM_LANG_ANY "und"

/* Tokenize term t[0..n) and append its pieces to L->key.  *last_char is
 * set when the last piece is a character (a wildcard is then moot). */
static int term_key(struct loader *L, const char *t, size_t n, int lang, int *last_char, size_t at)
{
	const struct nr_token *toks;
	size_t ntoks, i;
	const char *lc = lang > 0 ? L->d->langs[lang] : TERM_LANG_ANY;
	struct keyctx kc;
	int rc;

	nri_buf_reset(&L->key);
	kc.buf = &L->key;
	kc.last = 0;
	if (!L->lex->tok) {
		struct nr_tokenizer_options o;

		memset(&o, 0, sizeof(o));
		o.flags = NR_TOKENIZE_NO_STEM;
		rc = nr_tokenizer_new(&L->lex->tok, &o);
		if (rc)
			return fail(L, rc, (size_t)-1, "cannot create a tokenizer: %s",
				    nr_strerror(rc));
	}
	rc = nr_tokenize(L->lex->tok, t, n, lc, &toks, &ntoks);
	if (rc) {
		if (rc == NR_ENOMEM)
			return oom(L, rc);
		return fail(L, rc == NR_EUTF8 ? NR_EUTF8 : NR_EINTERNAL, at,
			    "cannot tokenize the term: %s", nr_strerror(rc));
	}
	for (i = 0; i < ntoks; i++) {
		if (toks[i].norm_len > L->foldcap) {
			char *f = nri_realloc(L->fold, toks[i].norm_len);

			if (!f)
				return oom(L, NR_ENOMEM);
			L->fold = f;
			L->foldcap = toks[i].norm_len;
		}
		rc = nri_lex_pieces(toks[i].norm, toks[i].norm_len, toks[i].type, L->fold,
				    key_piece, &kc);
		if (rc)
			return oom(L, rc);
	}
	*last_char = kc.last == NRI_PIECE_CHAR;
	return NR_OK;
}

/* Remove escapes from s[0..n) into L->term.  A trailing unescaped '*' sets
 * *wild; any other unescaped '*' or '|' is an error. */
static int unescape(struct loader *L, const char *s, size_t n, size_t base, int *wild)
{
	size_t i;
	int rc;

	nri_buf_reset(&L->term);
	*wild = 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\') {
			if (i + 1 >= n)
				return fail(L, NR_EPARSE, base + i,
					    "'\\' at the end of the term escapes nothing");
			c = s[i + 1];
			if (!strchr("@#-*|\\", c))
				return fail(L, NR_EPARSE, base + i,
					    "unknown escape '\\%c' (only \\@ \\# \\- \\* \\| \\\\)",
					    c);
			i++;
		} else if (c == '*') {
			if (i + 1 != n)
				return fail(L, NR_EPARSE, base + i,
					    "'*' is a wildcard only at the end of the term; write "
					    "'\\*' for a star");
			if (!i)
				return fail(L, NR_EPARSE, base + i,
					    "empty entry: a lone '*' matches nothing");
			if (is_space(s[i - 1]))
				return fail(
					L, NR_EPARSE, base + i,
					"a wildcard must end a word ('new york*', not 'new *')");
			*wild = 1;
			break;
		}
		rc = nri_buf_addc(&L->term, c);
		if (rc)
			return oom(L, rc);
	}
	return NR_OK;
}

static int parse_weight(struct loader *L, const char *v, size_t n, size_t at, double *w)
{
	char tmp[64];
	char *end;

	if (!n || n >= sizeof(tmp))
		goto bad;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	if (strspn(tmp, "0123456789+-.eE") != n)
		goto bad;
	errno = 0;
	*w = strtod(tmp, &end);
	if (*end || errno || !isfinite(*w) || fabs(*w) > MAX_WEIGHT)
		goto bad;
	return NR_OK;
bad:
	return fail(L, NR_EPARSE, at, "bad weight '%.*s' (a number such as 2 or -0.5)",
		    (int)(n > 40 ? 40 : n), v);
}

static int parse_window(struct loader *L, const char *v, size_t n, size_t at, int *out)
{
	size_t i;
	long x = 0;

	if (!n)
		goto bad;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		x = x * 10 + (v[i] - '0');
		if (x > MAX_NEG)
			goto bad;
	}
	*out = (int)x;
	return NR_OK;
bad:
	return fail(L, NR_EPARSE, at, "bad negation window '%.*s' (an integer 0..%d)",
		    (int)(n > 40 ? 40 : n), v, MAX_NEG);
}

/* Remember who uses this key, for the homonym and blocking rules checked
 * once the whole file is read. */
static int note_key(struct loader *L, size_t e)
{
	struct nri_lexdata *d = L->d;
	struct nri_lex_entry *en = &d->entries[e];
	struct nri_strmap_slot *slot;
	struct group *g;
	int added, rc;

	/* the key of the map is the wildcard flag + the pieces */
	nri_buf_reset(&L->term);
	rc = nri_buf_addc(&L->term, en->wildcard ? '*' : '=');
	if (!rc)
		rc = nri_buf_add(&L->term, en->key, en->keylen);
	if (!rc)
		rc = nri_strmap_put(&L->keymap, L->term.data, L->term.len, &slot, &added);
	if (rc)
		return rc;
	if (added) {
		rc = grow(&L->groups, &L->cap_groups, L->ngroups, sizeof(*L->groups));
		if (rc)
			return rc;
		g = &L->groups[L->ngroups];
		g->best = g->tie = g->block = g->plain = (size_t)-1;
		g->has_best = 0;
		slot->value = L->ngroups++;
	}
	g = &L->groups[slot->value];
	if (en->blocking) {
		if (g->block == (size_t)-1)
			g->block = e;
		return NR_OK;
	}
	if (g->plain == (size_t)-1)
		g->plain = e;
	if (en->entity < 0)
		return NR_OK;
	if (!g->has_best || en->weight > d->entries[g->best].weight) {
		g->best = e;
		g->tie = (size_t)-1;
		g->has_best = 1;
	} else if (en->weight == d->entries[g->best].weight &&
		   en->entity != d->entries[g->best].entity && g->tie == (size_t)-1) {
		g->tie = e;
	}
	return NR_OK;
}

static int entry_line(struct loader *L, const char *s, size_t n, size_t base)
{
	struct nri_lexdata *d = L->d;
	struct nri_lex_entry *en;
	size_t i, tend, topt = (size_t)-1, tstart = 0;
	int blocking = 0, wild = 0, last_char = 0, rc, seen_w = 0, seen_neg = 0;
	double weight = 1;
	int neg = L->cur_neg;
	char *stored;

	if (L->cur_cat < 0 && L->cur_ent < 0)
		return fail(L, NR_EPARSE, base, "entry before any @category or @entity");
	if (s[0] == '-') {
		blocking = 1;
		tstart = 1;
	}
	/* the term ends at the first unescaped '|' */
	for (i = tstart; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '|') {
			topt = i;
			break;
		}
	}
	tend = topt == (size_t)-1 ? n : topt;
	while (tstart < tend && is_space(s[tstart]))
		tstart++;
	while (tend > tstart && is_space(s[tend - 1]))
		tend--;
	if (tstart == tend)
		return fail(L, NR_EPARSE, base + tstart, "empty entry: no term before '|'");
	rc = unescape(L, s + tstart, tend - tstart, base + tstart, &wild);
	if (rc)
		return rc;
	if (!L->term.len)
		return fail(L, NR_EPARSE, base + tstart, "empty entry: a lone '*' matches nothing");
	/* options */
	if (topt != (size_t)-1) {
		i = topt + 1;
		for (;;) {
			size_t ks, ke, ve;

			while (i < n && is_space(s[i]))
				i++;
			if (i >= n)
				break;
			ks = i;
			while (i < n && !is_space(s[i]) && s[i] != '=')
				i++;
			ke = i;
			if (i >= n || s[i] != '=')
				return fail(L, NR_EPARSE, base + ks,
					    "bad option '%.*s' (expected key=value)",
					    (int)(ke - ks > 40 ? 40 : ke - ks), s + ks);
			i++;
			while (i < n && !is_space(s[i]))
				i++;
			ve = i;
			if (ke - ks == 1 && s[ks] == 'w') {
				if (seen_w++)
					return fail(L, NR_EPARSE, base + ks,
						    "option 'w' given twice");
				rc = parse_weight(L, s + ke + 1, ve - ke - 1, base + ke + 1,
						  &weight);
			} else if (ke - ks == 3 && !memcmp(s + ks, "neg", 3)) {
				if (seen_neg++)
					return fail(L, NR_EPARSE, base + ks,
						    "option 'neg' given twice");
				rc = parse_window(L, s + ke + 1, ve - ke - 1, base + ke + 1, &neg);
			} else {
				return fail(L, NR_EPARSE, base + ks,
					    "unknown option '%.*s' (known: w, neg)",
					    (int)(ke - ks > 40 ? 40 : ke - ks), s + ks);
			}
			if (rc)
				return rc;
		}
	}
	/* keep the term as written (before the tokenizer reuses L->term) */
	stored = pool_alloc(&d->pool, L->term.len + 2);
	if (!stored)
		return oom(L, NR_ENOMEM);
	memcpy(stored, L->term.data, L->term.len);
	if (wild)
		stored[L->term.len++] = '*';
	stored[L->term.len] = '\0';
	rc = term_key(L, stored, L->term.len - (size_t)wild, L->cur_lang, &last_char,
		      base + tstart);
	if (rc)
		return rc;
	if (!L->key.len)
		return fail(L, NR_EPARSE, base + tstart,
			    "empty entry: '%s' has no word or character to match", stored);
	rc = grow(&d->entries, &L->cap_entries, d->nentries, sizeof(*d->entries));
	if (rc)
		return oom(L, rc);
	en = &d->entries[d->nentries];
	memset(en, 0, sizeof(*en));
	en->term = stored;
	en->key = pool_alloc(&d->pool, L->key.len);
	if (!en->key)
		return oom(L, NR_ENOMEM);
	memcpy((void *)en->key, L->key.data, L->key.len);
	en->keylen = L->key.len;
	en->line = L->lineno;
	en->weight = weight;
	en->category = L->cur_ent >= 0 ? d->entities[L->cur_ent].category : L->cur_cat;
	en->entity = L->cur_ent;
	en->lang = L->cur_lang;
	en->neg = neg;
	en->blocking = (unsigned char)blocking;
	en->wildcard = (unsigned char)(wild && !last_char);
	d->nentries++;
	rc = note_key(L, d->nentries - 1);
	if (rc)
		return oom(L, rc);
	return NR_OK;
}

/* ---- directives ---------------------------------------------------- */

static const char *const header_keys[] = {"version", "source", "licence", "description"};

static int directive(struct loader *L, const char *s, size_t n, size_t base)
{
	struct nri_lexdata *d = L->d;
	size_t dl, rest, i;
	const char *arg;
	size_t an, wl, wrest;
	int rc;

	split_word(s, n, &dl, &rest);
	arg = s + rest;
	an = n - rest;
#define IS(lit) (dl == sizeof(lit) - 1 && !memcmp(s, lit, dl))
	if (!L->seen_lexicon && !IS("@lexicon"))
		return fail(L, NR_EPARSE, base, "the first directive must be '@lexicon NAME'");
	if (IS("@lexicon")) {
		if (L->seen_lexicon)
			return fail(L, NR_EPARSE, base, "'@lexicon' given twice");
		if (!valid_chars(arg, an, "_-", 0))
			return fail(L, NR_EPARSE, base + rest,
				    "bad lexicon name '%.*s' (letters a-z, digits, '_', '-')",
				    (int)(an > 40 ? 40 : an), arg);
		L->seen_lexicon = 1;
		d->name = pool_strndup(&d->pool, arg, an);
		return d->name ? NR_OK : oom(L, NR_ENOMEM);
	}
	for (i = 0; i < sizeof(header_keys) / sizeof(header_keys[0]); i++) {
		size_t kl = strlen(header_keys[i]);
		int license = i == 2 && dl == 8 && !memcmp(s + 1, "license", 7);

		if (!license && (dl != kl + 1 || memcmp(s + 1, header_keys[i], kl)))
			continue;
		if (L->in_body)
			return fail(L, NR_EPARSE, base,
				    "header directive '%.*s' after the first @category, @entity or "
				    "entry",
				    (int)dl, s);
		if (!an)
			return fail(L, NR_EPARSE, base, "'%.*s' needs a value", (int)dl, s);
		if (i == 0 && L->seen_version++)
			return fail(L, NR_EPARSE, base, "'@version' given twice");
		rc = add_header(L, header_keys[i], arg, an);
		return rc ? oom(L, rc) : NR_OK;
	}
	if (IS("@kind")) {
		if (L->in_body)
			return fail(L, NR_EPARSE, base,
				    "header directive '@kind' after the first @category, @entity "
				    "or entry");
		if (L->seen_kind++)
			return fail(L, NR_EPARSE, base, "'@kind' given twice");
		if (an == 5 && !memcmp(arg, "terms", 5))
			d->kind = NR_LEXICON_TERMS;
		else if (an == 8 && !memcmp(arg, "entities", 8))
			d->kind = NR_LEXICON_ENTITIES;
		else
			return fail(L, NR_EPARSE, base + rest,
				    "bad kind '%.*s' (terms or entities)", (int)(an > 40 ? 40 : an),
				    arg);
		return NR_OK;
	}
	if (IS("@category")) {
		int id;

		L->in_body = 1;
		split_word(arg, an, &wl, &wrest);
		if (!valid_path(arg, wl))
			return fail(L, NR_EPARSE, base + rest,
				    "bad category path '%.*s' (segments of a-z, 0-9, '_', '-' "
				    "separated by '/')",
				    (int)(wl > 60 ? 60 : wl), arg);
		if (nri_strmap_get(&L->entmap, arg, wl))
			return fail(L, NR_EPARSE, base + rest,
				    "'%.*s' is declared as both an entity and a category", (int)wl,
				    arg);
		rc = category(L, arg, wl, &id);
		if (rc)
			return oom(L, rc);
		if (an > wrest) {
			const char *old = d->cats[id].desc;
			size_t dn = an - wrest;

			if (*old && (strlen(old) != dn || memcmp(old, arg + wrest, dn)))
				return fail(L, NR_EPARSE, base + rest + wrest,
					    "category '%.*s' already has another description",
					    (int)wl, arg);
			if (!*old) {
				d->cats[id].desc = pool_strndup(&d->pool, arg + wrest, dn);
				if (!d->cats[id].desc)
					return oom(L, NR_ENOMEM);
			}
		}
		L->cur_cat = id;
		L->cur_ent = -1;
		return NR_OK;
	}
	if (IS("@lang")) {
		L->in_body = 1;
		if (!valid_lang(arg, an))
			return fail(
				L, NR_EPARSE, base + rest,
				"bad language tag '%.*s' (a BCP 47 tag such as en, zh-Hant, or *)",
				(int)(an > 40 ? 40 : an), arg);
		rc = lang_index(L, arg, an, &L->cur_lang);
		return rc ? oom(L, rc) : NR_OK;
	}
	if (IS("@entity")) {
		struct nri_strmap_slot *slot;
		int added, cat = L->cur_cat;
		struct nri_lex_entity *e;

		L->in_body = 1;
		if (d->kind != NR_LEXICON_ENTITIES)
			return fail(L, NR_EPARSE, base,
				    "'@entity' needs '@kind entities' in the header");
		split_word(arg, an, &wl, &wrest);
		if (!valid_chars(arg, wl, "_.-", 1))
			return fail(L, NR_EPARSE, base + rest,
				    "bad entity id '%.*s' (letters, digits, '_', '.', '-')",
				    (int)(wl > 40 ? 40 : wl), arg);
		if (nri_strmap_get(&L->catmap, arg, wl))
			return fail(L, NR_EPARSE, base + rest,
				    "'%.*s' is declared as both a category and an entity", (int)wl,
				    arg);
		if (an > wrest) {
			size_t cl = an - wrest;

			if (!valid_path(arg + wrest, cl))
				return fail(L, NR_EPARSE, base + rest + wrest,
					    "bad category path '%.*s'", (int)(cl > 60 ? 60 : cl),
					    arg + wrest);
			if (nri_strmap_get(&L->entmap, arg + wrest, cl))
				return fail(L, NR_EPARSE, base + rest + wrest,
					    "'%.*s' is declared as both an entity and a category",
					    (int)cl, arg + wrest);
			rc = category(L, arg + wrest, cl, &cat);
			if (rc)
				return oom(L, rc);
		}
		if (cat < 0)
			return fail(L, NR_EPARSE, base,
				    "entity '%.*s' has no category (give one, or a @category "
				    "before it)",
				    (int)wl, arg);
		slot = nri_strmap_get(&L->entmap, arg, wl);
		if (slot)
			return fail(L, NR_EPARSE, base + rest,
				    "duplicate entity id '%.*s' (first at line %zu)", (int)wl, arg,
				    d->entities[slot->value].line);
		rc = grow(&d->entities, &L->cap_entities, d->nentities, sizeof(*d->entities));
		if (!rc)
			rc = nri_strmap_put(&L->entmap, arg, wl, &slot, &added);
		if (rc)
			return oom(L, rc);
		e = &d->entities[d->nentities];
		e->id = pool_strndup(&d->pool, arg, wl);
		if (!e->id)
			return oom(L, NR_ENOMEM);
		e->category = cat;
		e->attr_first = d->nattrs;
		e->nattr = 0;
		e->line = L->lineno;
		slot->value = d->nentities;
		L->cur_ent = (int)d->nentities++;
		return NR_OK;
	}
	if (IS("@attr")) {
		struct nri_lex_attr *a;

		if (L->cur_ent < 0)
			return fail(L, NR_EPARSE, base, "'@attr' outside an @entity");
		split_word(arg, an, &wl, &wrest);
		if (!valid_chars(arg, wl, "_", 0))
			return fail(L, NR_EPARSE, base + rest,
				    "bad attribute key '%.*s' (a-z, 0-9, '_')",
				    (int)(wl > 40 ? 40 : wl), arg);
		if (wrest >= an)
			return fail(L, NR_EPARSE, base + rest + wl, "attribute '%.*s' has no value",
				    (int)wl, arg);
		rc = grow(&d->attrs, &L->cap_attrs, d->nattrs, sizeof(*d->attrs));
		if (rc)
			return oom(L, rc);
		a = &d->attrs[d->nattrs];
		a->key = pool_strndup(&d->pool, arg, wl);
		a->value = pool_strndup(&d->pool, arg + wrest, an - wrest);
		if (!a->key || !a->value)
			return oom(L, NR_ENOMEM);
		d->nattrs++;
		d->entities[L->cur_ent].nattr++;
		return NR_OK;
	}
	if (IS("@negators")) {
		int lang, last_char;

		L->in_body = 1;
		split_word(arg, an, &wl, &wrest);
		if (!wl || !valid_lang(arg, wl))
			return fail(L, NR_EPARSE, base + rest,
				    "'@negators' needs a language tag and words");
		if (wrest >= an)
			return fail(L, NR_EPARSE, base + rest + wl,
				    "'@negators %.*s' lists no word", (int)wl, arg);
		rc = lang_index(L, arg, wl, &lang);
		if (rc)
			return oom(L, rc);
		i = wrest;
		while (i < an) {
			size_t ws = i, we;
			struct nri_lex_negator *ng;
			char *w;

			while (i < an && !is_space(arg[i]))
				i++;
			we = i;
			while (i < an && is_space(arg[i]))
				i++;
			if (memchr(arg + ws, '*', we - ws))
				return fail(L, NR_EPARSE, base + rest + ws,
					    "a negator cannot have a wildcard");
			w = pool_strndup(&d->pool, arg + ws, we - ws);
			if (!w)
				return oom(L, NR_ENOMEM);
			rc = term_key(L, w, we - ws, lang, &last_char, base + rest + ws);
			if (rc)
				return rc;
			if (!L->key.len)
				return fail(L, NR_EPARSE, base + rest + ws,
					    "negator '%s' has no word to match", w);
			rc = grow(&d->negators, &L->cap_negators, d->nnegators,
				  sizeof(*d->negators));
			if (rc)
				return oom(L, rc);
			ng = &d->negators[d->nnegators];
			ng->key = pool_alloc(&d->pool, L->key.len);
			if (!ng->key)
				return oom(L, NR_ENOMEM);
			memcpy((void *)ng->key, L->key.data, L->key.len);
			ng->keylen = L->key.len;
			ng->lang = lang;
			d->nnegators++;
		}
		return NR_OK;
	}
	if (IS("@negation")) {
		L->in_body = 1;
		return parse_window(L, arg, an, base + rest, &L->cur_neg);
	}
#undef IS
	return fail(L, NR_EPARSE, base, "unknown directive '%.*s'", (int)(dl > 40 ? 40 : dl), s);
}

/* The homonym and blocking rules need the whole file: check them in entry
 * order so the first offending line is reported. */
static int check_keys(struct loader *L)
{
	struct nri_lexdata *d = L->d;
	size_t g, e;
	size_t bad = (size_t)-1, badg = 0;
	int blockbad = 0;

	for (g = 0; g < L->ngroups; g++) {
		struct group *gr = &L->groups[g];
		size_t at = (size_t)-1;
		int isblock = 0;

		if (gr->tie != (size_t)-1)
			at = gr->tie;
		if (gr->block != (size_t)-1 && gr->plain != (size_t)-1) {
			size_t later = gr->block > gr->plain ? gr->block : gr->plain;

			if (at == (size_t)-1 || later < at) {
				at = later;
				isblock = 1;
			}
		}
		if (at != (size_t)-1 && (bad == (size_t)-1 || at < bad)) {
			bad = at;
			badg = g;
			blockbad = isblock;
		}
	}
	if (bad != (size_t)-1) {
		struct group *gr = &L->groups[badg];
		const struct nri_lex_entry *en = &d->entries[bad];

		if (blockbad) {
			size_t other = bad == gr->block ? gr->plain : gr->block;

			return fail_line(L, NR_EPARSE, en->line,
					 "'%s' is both a blocking entry and an entry (line %zu)",
					 en->term, d->entries[other].line);
		}
		return fail_line(L, NR_EPARSE, en->line,
				 "ambiguous homonym '%s': entities '%s' (line %zu) and '%s' have "
				 "the same weight %g; give one a higher w=",
				 en->term, d->entities[d->entries[gr->best].entity].id,
				 d->entries[gr->best].line, d->entities[en->entity].id, en->weight);
	}
	/* losers of a homonym contest are never reported */
	for (e = 0; e < d->nentries; e++) {
		struct nri_lex_entry *en = &d->entries[e];
		struct nri_strmap_slot *slot;
		struct group *gr;
		int rc;

		if (en->blocking || en->entity < 0)
			continue;
		nri_buf_reset(&L->term);
		rc = nri_buf_addc(&L->term, en->wildcard ? '*' : '=');
		if (!rc)
			rc = nri_buf_add(&L->term, en->key, en->keylen);
		if (rc)
			return oom(L, rc);
		slot = nri_strmap_get(&L->keymap, L->term.data, L->term.len);
		gr = &L->groups[slot->value];
		if (d->entries[gr->best].entity != en->entity)
			en->shadowed = 1;
	}
	return NR_OK;
}

static int parse(struct loader *L, const char *s, size_t len)
{
	size_t pos = 0;
	int rc;

	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len;
		size_t a = 0, b, i;
		const char *ln = s + pos;
		size_t n = end - pos;

		L->lineno++;
		if (n && ln[n - 1] == '\r')
			n--;
		L->line = ln;
		L->linelen = n;
		pos = nl ? end + 1 : len;
		/* validate the line first: the column of the first bad byte */
		for (i = 0; i < n;) {
			size_t at = i;

			if (nri_utf8_next(ln, n, &i) < 0)
				return fail(L, NR_EUTF8, at, "invalid UTF-8 (byte 0x%02X)",
					    (unsigned char)ln[at]);
		}
		while (a < n && is_space(ln[a]))
			a++;
		b = n;
		while (b > a && is_space(ln[b - 1]))
			b--;
		if (a == b || ln[a] == '#')
			continue;
		if (ln[a] == '@')
			rc = directive(L, ln + a, b - a, a);
		else if (!L->seen_lexicon)
			rc = fail(L, NR_EPARSE, a, "the first directive must be '@lexicon NAME'");
		else {
			L->in_body = 1;
			rc = entry_line(L, ln + a, b - a, a);
		}
		if (rc)
			return rc;
	}
	L->line = NULL;
	if (!L->seen_lexicon) {
		L->lineno = 0;
		return fail(L, NR_EPARSE, (size_t)-1, "no '@lexicon NAME' line: not a lexicon");
	}
	return check_keys(L);
}

const struct nri_lexdata *nri_lexicon_data(const struct nr_lexicon *lex)
{
	return lex ? lex->d : NULL;
}

int nr_lexicon_new(struct nr_lexicon **out)
{
	struct nr_lexicon *lex;

	if (!out)
		return NR_EINVAL;
	lex = nri_calloc(1, sizeof(*lex));
	*out = lex;
	return lex ? NR_OK : NR_ENOMEM;
}

void nr_lexicon_free(struct nr_lexicon *lex)
{
	if (!lex)
		return;
	data_free(lex->d);
	nr_tokenizer_free(lex->tok);
	nri_free(lex);
}

int nr_lexicon_load_buffer(struct nr_lexicon *lex, const char *s, size_t len, const char *name)
{
	static const char nothing[4];
	struct loader L;
	int rc;

	if (!lex || (!s && len))
		return NR_EINVAL;
	memset(&L, 0, sizeof(L));
	L.lex = lex;
	L.name = name && *name ? name : "<lexicon>";
	L.cur_cat = L.cur_ent = -1;
	lex->errmsg[0] = '\0';
	lex->errline = lex->errcol = 0;
	if (len > MAX_FILE)
		return fail(&L, NR_ELIMIT, (size_t)-1, "larger than %zu bytes", MAX_FILE);
	nri_strmap_init(&L.catmap, 0);
	nri_strmap_init(&L.entmap, 0);
	nri_strmap_init(&L.keymap, 0);
	nri_buf_init(&L.term, 0);
	nri_buf_init(&L.key, 0);
	L.d = nri_calloc(1, sizeof(*L.d));
	if (!L.d) {
		rc = oom(&L, NR_ENOMEM);
		goto out;
	}
	L.d->name = "";
	rc = lang_index(&L, "*", 1, &L.cur_lang);
	if (rc) {
		rc = oom(&L, rc);
		goto out;
	}
	rc = parse(&L, s ? s : nothing, len);
	if (!rc) {
		data_free(lex->d);
		lex->d = L.d;
		L.d = NULL;
	}
out:
	data_free(L.d);
	nri_strmap_release(&L.catmap);
	nri_strmap_release(&L.entmap);
	nri_strmap_release(&L.keymap);
	nri_buf_release(&L.term);
	nri_buf_release(&L.key);
	nri_free(L.groups);
	nri_free(L.fold);
	return rc;
}

int nr_lexicon_load_file(struct nr_lexicon *lex, const char *path)
{
	struct nri_buf b;
	FILE *f;
	int rc;

	if (!lex || !path)
		return NR_EINVAL;
	f = fopen(path, "rb");
	if (!f) {
		snprintf(lex->errmsg, ERRMSG_SIZE, "cannot open lexicon '%s': %s", path,
			 strerror(errno));
		lex->errline = lex->errcol = 0;
		return NR_EIO;
	}
	nri_buf_init(&b, MAX_FILE + 1);
	for (;;) {
		size_t got;

		rc = nri_buf_grow(&b, 65536);
		if (rc)
			break;
		got = fread(b.data + b.len, 1, 65536, f);
		b.len += got;
		if (got < 65536) {
			if (ferror(f))
				rc = NR_EIO;
			break;
		}
	}
	fclose(f);
	if (rc) {
		snprintf(lex->errmsg, ERRMSG_SIZE, "cannot read lexicon '%s': %s", path,
			 rc == NR_EIO	   ? strerror(errno)
			 : rc == NR_ELIMIT ? "file too large"
					   : nr_strerror(rc));
		lex->errline = lex->errcol = 0;
		nri_buf_release(&b);
		return rc;
	}
	rc = nr_lexicon_load_buffer(lex, b.data, b.len, path);
	nri_buf_release(&b);
	return rc;
}

/* ---- accessors ------------------------------------------------------ */

const char *nr_lexicon_errmsg(const struct nr_lexicon *lex)
{
	return lex ? lex->errmsg : "";
}

size_t nr_lexicon_error_line(const struct nr_lexicon *lex)
{
	return lex ? lex->errline : 0;
}

size_t nr_lexicon_error_col(const struct nr_lexicon *lex)
{
	return lex ? lex->errcol : 0;
}

const char *nr_lexicon_name(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->name : "";
}

enum nr_lexicon_kind nr_lexicon_kind(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->kind : NR_LEXICON_TERMS;
}

const char *nr_lexicon_header(const struct nr_lexicon *lex, const char *key, size_t i)
{
	size_t k;

	if (!lex || !lex->d || !key)
		return NULL;
	if (!strcmp(key, "license"))
		key = "licence";
	for (k = 0; k < lex->d->nheaders; k++)
		if (!strcmp(lex->d->headers[k].key, key) && i-- == 0)
			return lex->d->headers[k].value;
	return NULL;
}

size_t nr_lexicon_entry_count(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->nentries : 0;
}

const char *nr_lexicon_entry_term(const struct nr_lexicon *lex, size_t i)
{
	if (!lex || !lex->d || i >= lex->d->nentries)
		return NULL;
	return lex->d->entries[i].term;
}

int nr_lexicon_entry_info(const struct nr_lexicon *lex, size_t i, int *category, int *entity,
			  int *lang, double *weight, int *neg_window, int *blocking, size_t *line)
{
	const struct nri_lex_entry *e;

	if (!lex || !lex->d || i >= lex->d->nentries)
		return NR_EINVAL;
	e = &lex->d->entries[i];
	if (category)
		*category = e->category;
	if (entity)
		*entity = e->entity;
	if (lang)
		*lang = e->lang;
	if (weight)
		*weight = e->weight;
	if (neg_window)
		*neg_window = e->neg;
	if (blocking)
		*blocking = e->blocking;
	if (line)
		*line = e->line;
	return NR_OK;
}

size_t nr_lexicon_category_count(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->ncats : 0;
}

static int cat_ok(const struct nr_lexicon *lex, int id)
{
	return lex && lex->d && id >= 0 && (size_t)id < lex->d->ncats;
}

const char *nr_lexicon_category_name(const struct nr_lexicon *lex, int id)
{
	return cat_ok(lex, id) ? lex->d->cats[id].name : NULL;
}

const char *nr_lexicon_category_description(const struct nr_lexicon *lex, int id)
{
	return cat_ok(lex, id) ? lex->d->cats[id].desc : NULL;
}

int nr_lexicon_category_parent(const struct nr_lexicon *lex, int id)
{
	return cat_ok(lex, id) ? lex->d->cats[id].parent : -1;
}

int nr_lexicon_category_find(const struct nr_lexicon *lex, const char *path)
{
	size_t i;

	if (!lex || !lex->d || !path)
		return -1;
	for (i = 0; i < lex->d->ncats; i++)
		if (!strcmp(lex->d->cats[i].name, path))
			return (int)i;
	return -1;
}

void nr_lexicon_rollup(const struct nr_lexicon *lex, double *counts)
{
	size_t i;

	if (!lex || !lex->d || !counts)
		return;
	/* parents have smaller ids: one pass from the leaves up suffices */
	for (i = lex->d->ncats; i-- > 0;)
		if (lex->d->cats[i].parent >= 0)
			counts[lex->d->cats[i].parent] += counts[i];
}

size_t nr_lexicon_lang_count(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->nlangs : 0;
}

const char *nr_lexicon_lang_name(const struct nr_lexicon *lex, int lang)
{
	if (!lex || !lex->d || lang < 0 || (size_t)lang >= lex->d->nlangs)
		return NULL;
	return lex->d->langs[lang];
}

size_t nr_lexicon_count(const struct nr_lexicon *lex, int category, int lang)
{
	size_t i, n = 0;

	if (!lex || !lex->d)
		return 0;
	for (i = 0; i < lex->d->nentries; i++) {
		const struct nri_lex_entry *e = &lex->d->entries[i];

		if (e->blocking)
			continue;
		if ((category < 0 || e->category == category) && (lang < 0 || e->lang == lang))
			n++;
	}
	return n;
}

size_t nr_lexicon_entity_count(const struct nr_lexicon *lex)
{
	return lex && lex->d ? lex->d->nentities : 0;
}

static int ent_ok(const struct nr_lexicon *lex, int i)
{
	return lex && lex->d && i >= 0 && (size_t)i < lex->d->nentities;
}

const char *nr_lexicon_entity_id(const struct nr_lexicon *lex, int i)
{
	return ent_ok(lex, i) ? lex->d->entities[i].id : NULL;
}

int nr_lexicon_entity_find(const struct nr_lexicon *lex, const char *id)
{
	size_t i;

	if (!lex || !lex->d || !id)
		return -1;
	for (i = 0; i < lex->d->nentities; i++)
		if (!strcmp(lex->d->entities[i].id, id))
			return (int)i;
	return -1;
}

int nr_lexicon_entity_category(const struct nr_lexicon *lex, int i)
{
	return ent_ok(lex, i) ? lex->d->entities[i].category : -1;
}

const char *nr_lexicon_entity_attr(const struct nr_lexicon *lex, int i, const char *key)
{
	const struct nri_lex_entity *e;
	size_t j;

	if (!ent_ok(lex, i) || !key)
		return NULL;
	e = &lex->d->entities[i];
	for (j = 0; j < e->nattr; j++)
		if (!strcmp(lex->d->attrs[e->attr_first + j].key, key))
			return lex->d->attrs[e->attr_first + j].value;
	return NULL;
}

int nr_lexicon_entity_attr_at(const struct nr_lexicon *lex, int i, size_t j, const char **key,
			      const char **value)
{
	const struct nri_lex_entity *e;

	if (!ent_ok(lex, i))
		return NR_EINVAL;
	e = &lex->d->entities[i];
	if (j >= e->nattr)
		return NR_ENOTFOUND;
	if (key)
		*key = lex->d->attrs[e->attr_first + j].key;
	if (value)
		*value = lex->d->attrs[e->attr_first + j].value;
	return NR_OK;
}
