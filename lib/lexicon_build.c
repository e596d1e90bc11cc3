/*
 * lexicon_build.c - draft a lexicon for a city from a corpus
 * (`narrate lexicon build`, docs/lexicon-build.md).
 *
 * Two passes over the input.  Pass 1 reads the corpus, decides which
 * documents are about the city (its `city` field, else a mention found by
 * the city lexicon or by the given names), and counts in those documents
 * every word n-gram (spaced scripts) and every character n-gram of CJK runs
 * (one character longer than the longest candidate, for boundary entropy).
 * The counts give the first filter: frequency, documents, no stopword at an
 * edge, and for CJK cohesion (the smallest PMI over the splits) and
 * boundary entropy on both sides.  Pass 2 reads both corpora again and,
 * for the survivors only, counts the reference, takes two contexts, votes
 * on the topic words around each occurrence and measures how often it
 * stands near the city's name.  Memory is bounded by the distinct n-grams
 * of the target, not by the reference.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "keyness.h"
#include "lexicon_build.h"
#include "normalize.h"
#include "strmap.h"

#define KIND_WORD     'w'
#define KIND_CJK      'c'
#define PREFIX	      3	   /* key: lang (2 bytes), kind, then the n-gram */
#define NEAR_WINDOW   10   /* tokens: "near the city's name" */
#define VOTE_WINDOW   10   /* tokens: topic words around an occurrence */
#define MAX_VOTES     200  /* occurrences that vote, per candidate */
#define NVOTE	      6	   /* categories remembered per candidate */
#define CTX_CHARS     40   /* characters of context on each side */
#define MIN_G2	      3.84 /* p < 0.05 with one degree of freedom */
#define MIN_LOG_RATIO 1.0  /* twice as frequent as in the reference */
#define MIN_PMI	      1.5  /* CJK cohesion, nats */
#define MIN_ENTROPY   0.5  /* CJK boundary entropy, nats */
#define SUBSUME	      0.8  /* a part seen mostly inside a longer one */
#define LEX_CITIES    0
#define LEX_TOPICS    1
#define LEX_NAMES     2

struct lang {
	char tag[24];
	uint64_t t_docs, r_docs;
	uint64_t t_words, r_words; /* word tokens */
	uint64_t t_chars, r_chars; /* CJK characters */
};

/* Pass 1: one distinct n-gram of the target. */
struct gram {
	const char *key; /* borrowed from the map */
	uint32_t klen;
	uint32_t freq, docs, last_doc;
	uint32_t bad_start, bad_end; /* occurrences with a stopword there */
	uint8_t n;
	double sl, sr; /* sum c ln c over left / right neighbours */
};

struct vote {
	int cat;
	uint32_t n;
};

/* Pass 2: a candidate. */
struct cand {
	char *key;
	size_t klen;
	uint16_t lang;
	uint8_t kind, n;
	uint64_t freq, docs, ref, near, occ;
	uint64_t ctx_doc;
	char *surface;
	int surface_initial; /* it started a sentence */
	char *entry;	     /* the term as the draft writes it */
	char *ctx[2];
	int nctx;
	struct vote votes[NVOTE];
	double pmi, hl, hr;
	double g2, lr, score;
	int category;
	int keep, suppressed;
	size_t rank;
};

struct cjkchar {
	size_t kb; /* byte offset in the norm scratch */
	size_t klen;
	size_t orig, orig_end;
	size_t tok;
	unsigned char stop;
};

struct city_count {
	uint64_t occ, docs, last_doc;
	char *surface;
};

struct nr_lexbuild {
	struct nr_lexbuild_options o;
	char errmsg[512];
	struct nr_lexicon *lex[3];
	struct nr_matcher *matcher;	  /* cities, topics, names */
	struct nr_matcher *topic_matcher; /* topics alone, for candidates */
	struct nr_tokenizer *tok;
	int entity;		     /* the city's entity, or -1 */
	struct nri_strmap own_names; /* case-folded names and id */
	char *display;		     /* the city's name for messages */
	char *slug;
	char *source;
	int ran;
	int has_ref; /* a reference corpus was given */
	/* per run */
	struct lang *langs;
	size_t nlangs;
	uint64_t docseq;
	int pass;
	int role; /* of the current document */
	struct nr_lexbuild_counts counts;
	struct nri_strmap grams_map; /* pass 1 */
	struct gram *grams;
	size_t ngrams, grams_cap;
	struct nri_strmap cand_map; /* pass 2 */
	struct cand *cands;
	size_t ncands;
	struct cand **out; /* proposed, by language then rank */
	size_t nout;
	struct city_count *cities;
	size_t ncities;
	char **warnings;
	size_t nwarnings;
	/* per document scratch */
	unsigned char *mark;
	size_t mark_cap;
	size_t *own_toks;
	size_t nown, own_cap;
	uint32_t *sent; /* sentence number of each token */
	size_t sent_cap;
	struct nr_match_hit *topic_hits;
	size_t ntopic, topic_cap;
	struct cjkchar *chars;
	size_t chars_cap;
	size_t *seg;
	size_t seg_cap;
	struct nri_buf key, norm, scratch;
	const char *text;
	size_t text_len;
};

enum { ROLE_NONE, ROLE_TARGET, ROLE_REF };

double nri_lexbuild_entropy(uint64_t n, double s)
{
	if (n == 0)
		return 0;
	return log((double)n) - s / (double)n;
}

double nri_lexbuild_pmi(uint64_t f, uint64_t fa, uint64_t fb, uint64_t t)
{
	if (!f || !fa || !fb || !t)
		return -INFINITY;
	return log((double)f * (double)t / ((double)fa * (double)fb));
}

static int fail(struct nr_lexbuild *b, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct nr_lexbuild *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->errmsg, sizeof(b->errmsg), fmt, ap);
	va_end(ap);
	return rc;
}

static int warn(struct nr_lexbuild *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int warn(struct nr_lexbuild *b, const char *fmt, ...)
{
	char tmp[512], **w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	w = nri_realloc(b->warnings, (b->nwarnings + 1) * sizeof(*w));
	if (!w)
		return NR_ENOMEM;
	b->warnings = w;
	if (!(w[b->nwarnings] = nri_strndup(tmp, strlen(tmp))))
		return NR_ENOMEM;
	b->nwarnings++;
	return NR_OK;
}

static char *dupstr(const char *s)
{
	return s ? nri_strndup(s, strlen(s)) : NULL;
}

/* Grow *p (elements of size sz) to hold at least n. */
static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	size_t nc = *cap ? *cap : 16;
	void *q;

	if (n <= *cap)
		return NR_OK;
	while (nc < n)
		nc *= 2;
	if (nc > ((size_t)1 << 40) / sz)
		return NR_ELIMIT;
	q = nri_realloc(*p, nc * sz);
	if (!q)
		return NR_ENOMEM;
	*p = q;
	*cap = nc;
	return NR_OK;
}

/* Case-fold s into b; returns NR_OK or an error (bad UTF-8 included). */
static int fold(struct nri_buf *b, const char *s, size_t len)
{
	nri_buf_reset(b);
	if (nr_utf8_check(s, len, NULL) != NR_OK)
		return NR_EUTF8;
	return nri_casefold(b, s, len);
}

static int add_own_name(struct nr_lexbuild *b, const char *s, size_t len)
{
	struct nri_strmap_slot *slot;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (!len || fold(&b->scratch, s, len) != NR_OK)
		return NR_OK;
	return nri_strmap_put(&b->own_names, b->scratch.data, b->scratch.len, &slot, NULL);
}

static char *lexicon_path(const char *dir, const char *name)
{
	struct nri_buf p;
	int rc;

	nri_buf_init(&p, 8192);
	if (strchr(name, '/') || (strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".nlex")))
		rc = nri_buf_adds(&p, name);
	else
		rc = nri_buf_printf(&p, "%s/%s.nlex", dir ? dir : ".", name);
	if (rc) {
		nri_buf_release(&p);
		return NULL;
	}
	return nri_buf_detach(&p, NULL);
}

static int load_lexicon(struct nr_lexbuild *b, int which, const char *name)
{
	char *path;
	int rc;

	if ((rc = nr_lexicon_new(&b->lex[which])))
		return rc;
	if (!(path = lexicon_path(b->o.data_dir, name)))
		return NR_ENOMEM;
	rc = nr_lexicon_load_file(b->lex[which], path);
	if (rc) {
		fail(b, rc, "cannot load lexicon '%s': %s", path,
		     *nr_lexicon_errmsg(b->lex[which]) ? nr_lexicon_errmsg(b->lex[which])
						       : nr_strerror(rc));
		nr_lexicon_free(b->lex[which]);
		b->lex[which] = NULL;
	}
	nri_free(path);
	return rc;
}

/* The entity a name or id designates in the city lexicon (the entry with
 * the highest weight, as the matcher resolves homonyms), or -1. */
static int resolve_city(struct nr_lexbuild *b, const char *name)
{
	const struct nr_lexicon *lx = b->lex[LEX_CITIES];
	struct nri_buf want;
	size_t i, n;
	int best = -1;
	double bestw = -INFINITY;

	if (!lx)
		return -1;
	if (nr_lexicon_entity_find(lx, name) >= 0)
		return nr_lexicon_entity_find(lx, name);
	nri_buf_init(&want, 4096);
	if (fold(&want, name, strlen(name)) != NR_OK) {
		nri_buf_release(&want);
		return -1;
	}
	n = nr_lexicon_entry_count(lx);
	for (i = 0; i < n; i++) {
		const char *t = nr_lexicon_entry_term(lx, i);
		int ent, blocking;
		double w;

		if (nr_lexicon_entry_info(lx, i, NULL, &ent, NULL, &w, NULL, &blocking, NULL) ||
		    ent < 0 || blocking || !t)
			continue;
		if (fold(&b->scratch, t, strlen(t)) != NR_OK)
			continue;
		if (b->scratch.len == want.len && !memcmp(b->scratch.data, want.data, want.len) &&
		    w > bestw) {
			best = ent;
			bestw = w;
		}
	}
	nri_buf_release(&want);
	return best;
}

/* Escape a term for an .nlex entry line (docs/lexicon-format.md). */
static int put_term(struct nri_buf *o, const char *s, size_t len)
{
	int rc = NR_OK;

	if (len && (*s == '@' || *s == '#' || *s == '-'))
		rc = nri_buf_addc(o, '\\');
	for (size_t i = 0; !rc && i < len; i++) {
		if (s[i] == '*' || s[i] == '|' || s[i] == '\\')
			rc = nri_buf_addc(o, '\\');
		if (!rc)
			rc = nri_buf_addc(o, s[i]);
	}
	return rc;
}

/* An in-memory lexicon of the names the user gave, so that a city the
 * city lexicon does not know is still found in text with the matcher's
 * rules (whole words for spaced scripts, characters for CJK). */
static int load_names(struct nr_lexbuild *b)
{
	struct nri_buf t;
	int rc;

	nri_buf_init(&t, 1 << 20);
	rc = nri_buf_adds(&t, "@lexicon names\n@category city\n");
	for (size_t i = 0; !rc && (i == 0 || (b->o.aliases && b->o.aliases[i - 1])); i++) {
		const char *nm = i == 0 ? b->o.city : b->o.aliases[i - 1];
		size_t l = strlen(nm);

		while (l && nm[l - 1] == ' ')
			l--;
		while (l && *nm == ' ') {
			nm++;
			l--;
		}
		if (!l || memchr(nm, '\n', l) || memchr(nm, '\r', l))
			continue;
		if (l && nm[l - 1] == '*')
			l--;
		if ((rc = put_term(&t, nm, l)) || (rc = nri_buf_addc(&t, '\n')))
			break;
	}
	if (!rc)
		rc = nr_lexicon_new(&b->lex[LEX_NAMES]);
	if (!rc) {
		rc = nr_lexicon_load_buffer(b->lex[LEX_NAMES], t.data, t.len, "--city");
		if (rc)
			fail(b, NR_EINVAL, "bad city name: %s",
			     nr_lexicon_errmsg(b->lex[LEX_NAMES]));
		if (rc == NR_EPARSE)
			rc = NR_EINVAL;
	}
	nri_buf_release(&t);
	return rc;
}

/* A slug [a-z0-9-] for the @lexicon name: the city's English name when
 * the lexicon has one, else the ASCII letters of the names given. */
static int make_slug(struct nr_lexbuild *b)
{
	const char *cands[64];
	size_t nc = 0;
	char out[64];

	if (b->entity >= 0) {
		cands[nc++] = nr_lexicon_entity_attr(b->lex[LEX_CITIES], b->entity, "name_en");
		cands[nc++] = nr_lexicon_entity_id(b->lex[LEX_CITIES], b->entity);
	}
	cands[nc++] = b->o.city;
	for (size_t i = 0; b->o.aliases && b->o.aliases[i] && nc < 63; i++)
		cands[nc++] = b->o.aliases[i];
	for (size_t i = 0; i < nc; i++) {
		size_t n = 0;
		int dash = 0;

		if (!cands[i])
			continue;
		for (const char *p = cands[i]; *p && n < sizeof(out) - 8; p++) {
			char ch = *p;

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
				if (dash && n)
					out[n++] = '-';
				dash = 0;
				out[n++] = ch;
			} else {
				dash = 1;
			}
		}
		if (n) {
			out[n] = '\0';
			b->slug = dupstr(out);
			return b->slug ? NR_OK : NR_ENOMEM;
		}
	}
	b->slug = dupstr("city");
	return b->slug ? NR_OK : NR_ENOMEM;
}

int nr_lexbuild_new(struct nr_lexbuild **out, const struct nr_lexbuild_options *opts)
{
	struct nr_lexbuild *b;
	struct nr_tokenizer_options to = {0};
	const struct nr_lexicon *lx[3];
	size_t nlx, ncity;
	int rc;

	*out = NULL;
	if (!(b = nri_calloc(1, sizeof(*b))))
		return NR_ENOMEM;
	*out = b;
	b->entity = -1;
	nri_strmap_init(&b->own_names, 0);
	nri_strmap_init(&b->grams_map, 0);
	nri_strmap_init(&b->cand_map, 0);
	nri_buf_init(&b->key, 1 << 20);
	nri_buf_init(&b->norm, (size_t)1 << 30);
	nri_buf_init(&b->scratch, 1 << 20);
	if (!opts || !opts->city || !*opts->city)
		return fail(b, NR_EINVAL, "no city given");
	b->o = *opts;
	if (!b->o.min_docs)
		b->o.min_docs = 2;
	if (!b->o.min_freq)
		b->o.min_freq = 3;
	if (!b->o.top)
		b->o.top = 100;
	if (!b->o.max_words)
		b->o.max_words = 4;
	if (!b->o.max_chars)
		b->o.max_chars = 8;
	if (!b->o.max_grams)
		b->o.max_grams = 4u << 20;
	if (b->o.max_words > 8 || b->o.max_chars > 16 || b->o.max_chars < 2)
		return fail(b, NR_EINVAL,
			    "n-gram length out of range (words 1-8, characters 2-16)");
	if (b->o.name) {
		for (const char *p = b->o.name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
			      *p == '-'))
				return fail(b, NR_EINVAL,
					    "bad lexicon name '%s' (use a-z, 0-9, '_' and '-')",
					    b->o.name);
		if (!*b->o.name)
			return fail(b, NR_EINVAL, "empty lexicon name");
	}
	to.data_dir = b->o.data_dir;
	if ((rc = nr_tokenizer_new(&b->tok, &to)))
		return fail(b, rc, "cannot create the tokenizer: %s", nr_strerror(rc));
	if (!b->o.cities || *b->o.cities) {
		if ((rc = load_lexicon(b, LEX_CITIES, b->o.cities ? b->o.cities : "cities")))
			return rc;
	}
	if (!b->o.topics || *b->o.topics) {
		if ((rc = load_lexicon(b, LEX_TOPICS, b->o.topics ? b->o.topics : "topics")))
			return rc;
	}
	if ((rc = load_names(b)))
		return rc;
	b->entity = resolve_city(b, b->o.city);
	if ((rc = add_own_name(b, b->o.city, strlen(b->o.city))))
		return rc;
	for (size_t i = 0; b->o.aliases && b->o.aliases[i]; i++)
		if ((rc = add_own_name(b, b->o.aliases[i], strlen(b->o.aliases[i]))))
			return rc;
	if (b->entity >= 0) {
		const struct nr_lexicon *cl = b->lex[LEX_CITIES];
		const char *id = nr_lexicon_entity_id(cl, b->entity);
		size_t n = nr_lexicon_entry_count(cl);

		if ((rc = add_own_name(b, id, strlen(id))))
			return rc;
		for (size_t i = 0; i < n; i++) {
			int ent, blocking;
			const char *t = nr_lexicon_entry_term(cl, i);

			if (nr_lexicon_entry_info(cl, i, NULL, &ent, NULL, NULL, NULL, &blocking,
						  NULL) ||
			    ent != b->entity || blocking || !t)
				continue;
			if ((rc = add_own_name(b, t, strlen(t))))
				return rc;
		}
	}
	/* keep lexicon indexes fixed: a missing lexicon is replaced by the
	 * names lexicon, whose hits are told apart by pointer below */
	lx[0] = b->lex[LEX_CITIES] ? b->lex[LEX_CITIES] : b->lex[LEX_NAMES];
	lx[1] = b->lex[LEX_TOPICS] ? b->lex[LEX_TOPICS] : b->lex[LEX_NAMES];
	lx[2] = b->lex[LEX_NAMES];
	nlx = 3;
	if ((rc = nr_matcher_new(&b->matcher, lx, nlx)))
		return fail(b, rc, "cannot compile the lexicons: %s", nr_strerror(rc));
	if (b->lex[LEX_TOPICS]) {
		const struct nr_lexicon *tl = b->lex[LEX_TOPICS];

		if ((rc = nr_matcher_new(&b->topic_matcher, &tl, 1)))
			return fail(b, rc, "cannot compile the topic lexicon: %s", nr_strerror(rc));
	}
	if (b->entity >= 0) {
		const struct nr_lexicon *cl = b->lex[LEX_CITIES];
		const char *en = nr_lexicon_entity_attr(cl, b->entity, "name_en");
		const char *zh = nr_lexicon_entity_attr(cl, b->entity, "name_zh");
		struct nri_buf d;

		nri_buf_init(&d, 4096);
		nri_buf_printf(&d, "%s (%s%s%s%s%s)", b->o.city,
			       nr_lexicon_entity_id(cl, b->entity), en ? " " : "", en ? en : "",
			       zh ? " " : "", zh ? zh : "");
		b->display = d.data ? nri_buf_detach(&d, NULL) : NULL;
		nri_buf_release(&d);
	} else {
		b->display = dupstr(b->o.city);
	}
	if (!b->display)
		return NR_ENOMEM;
	if ((rc = make_slug(b)))
		return rc;
	b->source = dupstr(b->o.source ? b->o.source : "the given corpus");
	if (!b->source)
		return NR_ENOMEM;
	ncity = b->lex[LEX_CITIES] ? nr_lexicon_entity_count(b->lex[LEX_CITIES]) : 0;
	if (!(b->cities = nri_calloc(ncity ? ncity : 1, sizeof(*b->cities))))
		return NR_ENOMEM;
	b->ncities = ncity;
	return NR_OK;
}

void nr_lexbuild_free(struct nr_lexbuild *b)
{
	if (!b)
		return;
	nr_matcher_free(b->matcher);
	nr_matcher_free(b->topic_matcher);
	for (int i = 0; i < 3; i++)
		nr_lexicon_free(b->lex[i]);
	nr_tokenizer_free(b->tok);
	nri_strmap_release(&b->own_names);
	nri_strmap_release(&b->grams_map);
	nri_strmap_release(&b->cand_map);
	nri_free(b->grams);
	for (size_t i = 0; i < b->ncands; i++) {
		nri_free(b->cands[i].key);
		nri_free(b->cands[i].surface);
		nri_free(b->cands[i].entry);
		nri_free(b->cands[i].ctx[0]);
		nri_free(b->cands[i].ctx[1]);
	}
	nri_free(b->cands);
	nri_free(b->out);
	for (size_t i = 0; i < b->ncities; i++)
		nri_free(b->cities[i].surface);
	nri_free(b->cities);
	for (size_t i = 0; i < b->nwarnings; i++)
		nri_free(b->warnings[i]);
	nri_free(b->warnings);
	nri_free(b->langs);
	nri_free(b->mark);
	nri_free(b->own_toks);
	nri_free(b->topic_hits);
	nri_free(b->sent);
	nri_free(b->chars);
	nri_free(b->seg);
	nri_buf_release(&b->key);
	nri_buf_release(&b->norm);
	nri_buf_release(&b->scratch);
	nri_free(b->display);
	nri_free(b->slug);
	nri_free(b->source);
	nri_free(b);
}

const char *nr_lexbuild_errmsg(const struct nr_lexbuild *b)
{
	return b ? b->errmsg : "";
}

/* ---- languages --------------------------------------------------------- */

/* A language tag the @lang directive accepts, else "*". */
static void clean_tag(const char *in, char *out, size_t size)
{
	size_t n = 0, seg = 0;
	int ok = in && *in;

	for (const char *p = in; ok && *p; p++) {
		char ch = *p == '_' ? '-' : *p;

		if (ch == '-') {
			if (!seg || n == 0)
				ok = 0;
			seg = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (n && strchr(out, '-') && ch >= '0' && ch <= '9')) {
			seg++;
			if (seg > 8)
				ok = 0;
		} else {
			ok = 0;
		}
		if (n + 1 >= size)
			ok = 0;
		if (ok) {
			out[n++] = ch;
			out[n] = '\0';
		}
	}
	if (!ok || !n || out[n - 1] == '-' || !strcmp(out, "und")) {
		snprintf(out, size, "*");
		return;
	}
	/* primary subtag lower case */
	for (size_t i = 0; i < n && out[i] != '-'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
}

static int lang_index(struct nr_lexbuild *b, const char *tag, uint16_t *idx)
{
	char t[24];
	struct lang *l;

	t[0] = '\0';
	clean_tag(tag, t, sizeof(t));
	for (size_t i = 0; i < b->nlangs; i++)
		if (!strcmp(b->langs[i].tag, t)) {
			*idx = (uint16_t)i;
			return NR_OK;
		}
	if (b->nlangs >= 1000)
		return NR_ELIMIT;
	if (!(l = nri_realloc(b->langs, (b->nlangs + 1) * sizeof(*l))))
		return NR_ENOMEM;
	b->langs = l;
	memset(&l[b->nlangs], 0, sizeof(*l));
	memcpy(l[b->nlangs].tag, t, strlen(t) + 1);
	*idx = (uint16_t)b->nlangs++;
	return NR_OK;
}

/* ---- n-gram occurrences -------------------------------------------------- */

struct occ {
	uint16_t lang;
	uint8_t kind, n;
	const char *key;
	size_t klen;
	size_t tok_first, tok_last;
	size_t orig, orig_end;
	int bad_start, bad_end;
};

static int count_gram(struct nr_lexbuild *b, const struct occ *o)
{
	struct nri_strmap_slot *slot;
	struct gram *g;
	int added, rc;

	rc = nri_strmap_put(&b->grams_map, o->key, o->klen, &slot, &added);
	if (rc == NR_ELIMIT)
		return fail(b, rc,
			    "more than %zu distinct n-grams in the documents about '%s': "
			    "lower --max-words or --max-chars, or split the corpus",
			    b->o.max_grams, b->display);
	if (rc)
		return rc;
	if (added) {
		if ((rc = grow(&b->grams, &b->grams_cap, b->ngrams + 1, sizeof(*b->grams))))
			return rc;
		g = &b->grams[b->ngrams];
		memset(g, 0, sizeof(*g));
		g->key = slot->key;
		g->klen = (uint32_t)slot->len;
		g->n = o->n;
		g->last_doc = UINT32_MAX;
		slot->value = ++b->ngrams;
	}
	g = &b->grams[slot->value - 1];
	if (g->freq < UINT32_MAX)
		g->freq++;
	g->bad_start += o->bad_start != 0;
	g->bad_end += o->bad_end != 0;
	if (g->last_doc != (uint32_t)b->docseq) {
		g->last_doc = (uint32_t)b->docseq;
		g->docs++;
	}
	return NR_OK;
}

/* A snippet of the text around [s, e): CTX_CHARS characters on each side,
 * white space collapsed, the occurrence in [brackets]. */
static char *snippet(struct nr_lexbuild *b, size_t s, size_t e)
{
	const char *t = b->text;
	size_t a = s, z = e, n;
	struct nri_buf o;
	int sp = 0, rc = NR_OK;

	for (n = 0; a > 0 && n < CTX_CHARS; n++) {
		a--;
		while (a > 0 && ((unsigned char)t[a] & 0xC0) == 0x80)
			a--;
	}
	for (n = 0; z < b->text_len && n < CTX_CHARS; n++) {
		z++;
		while (z < b->text_len && ((unsigned char)t[z] & 0xC0) == 0x80)
			z++;
	}
	nri_buf_init(&o, 4096);
	if (a > 0)
		rc = nri_buf_adds(&o, "...");
	for (size_t i = a; !rc && i < z; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (i == s)
			rc = nri_buf_addc(&o, '[');
		if (rc)
			break;
		if (ch < 0x20 || ch == 0x7F || ch == ' ') {
			if (!sp && o.len && i != s)
				rc = nri_buf_addc(&o, ' ');
			sp = 1;
		} else {
			rc = nri_buf_addc(&o, (char)ch);
			sp = 0;
		}
		if (!rc && i + 1 == e)
			rc = nri_buf_addc(&o, ']');
	}
	if (!rc && z < b->text_len)
		rc = nri_buf_adds(&o, "...");
	if (rc || !o.data) {
		nri_buf_release(&o);
		return NULL;
	}
	return nri_buf_detach(&o, NULL);
}

static size_t near_distance(const struct nr_lexbuild *b, size_t first, size_t last)
{
	size_t lo = 0, hi = b->nown, best = SIZE_MAX;

	/* own_toks is sorted: find the first >= first */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (b->own_toks[mid] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->nown)
		best = b->own_toks[lo] > last ? b->own_toks[lo] - last : 0;
	if (lo > 0 && first - b->own_toks[lo - 1] < best)
		best = first - b->own_toks[lo - 1];
	return best;
}

static void vote(struct nr_lexbuild *b, struct cand *c, const struct occ *o)
{
	int seen[NVOTE * 4];
	size_t nseen = 0;

	for (size_t h = 0; h < b->ntopic; h++) {
		const struct nr_match_hit *hit = &b->topic_hits[h];
		size_t hs = hit->token, he = hit->token + hit->ntokens - 1;
		int dup = 0, slot = -1;

		if (he + VOTE_WINDOW < o->tok_first)
			continue;
		if (hs > o->tok_last + VOTE_WINDOW)
			break;
		/* a topic word inside the occurrence is its own, not context;
		 * one in another sentence is about something else */
		if ((hit->offset >= o->orig && hit->offset < o->orig_end) ||
		    b->sent[hs] != b->sent[o->tok_first])
			continue;
		for (size_t k = 0; k < nseen; k++)
			dup |= seen[k] == hit->category;
		if (dup || nseen >= sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = hit->category;
		for (int k = 0; k < NVOTE; k++)
			if (c->votes[k].n && c->votes[k].cat == hit->category)
				slot = k;
		if (slot < 0)
			for (int k = 0; k < NVOTE; k++)
				if (!c->votes[k].n) {
					slot = k;
					c->votes[k].cat = hit->category;
					break;
				}
		if (slot >= 0)
			c->votes[slot].n++;
	}
}

/* Two contexts that read the same from the bracket on (a repost with
 * another prefix) show the reviewer nothing new. */
static int same_context(const char *x, const char *y)
{
	const char *a = strchr(x, '['), *c = strchr(y, '[');
	size_t la, lc;

	if (!a || !c)
		return 0;
	la = strlen(a);
	lc = strlen(c);
	/* "..." marks a cut: compare up to the shorter one */
	if (la >= 3 && !strcmp(a + la - 3, "..."))
		la -= 3;
	if (lc >= 3 && !strcmp(c + lc - 3, "..."))
		lc -= 3;
	return !memcmp(a, c, la < lc ? la : lc);
}

static int see_cand(struct nr_lexbuild *b, const struct occ *o)
{
	struct nri_strmap_slot *slot = nri_strmap_get(&b->cand_map, o->key, o->klen);
	struct cand *c;
	int initial;

	if (!slot || !slot->value)
		return NR_OK;
	c = &b->cands[slot->value - 1];
	if (b->role == ROLE_REF) {
		c->ref++;
		return NR_OK;
	}
	c->occ++;
	if (b->nown && near_distance(b, o->tok_first, o->tok_last) <= NEAR_WINDOW)
		c->near++;
	if (c->occ <= MAX_VOTES)
		vote(b, c, o);
	/* the surface form written in the draft: the first one seen, unless
	 * it starts a sentence (capitalised for that reason only) and a later
	 * one does not */
	initial = o->tok_first == 0 || b->sent[o->tok_first - 1] != b->sent[o->tok_first];
	if (o->kind == KIND_WORD && (!c->surface || (c->surface_initial && !initial))) {
		struct nri_buf s;
		int sp = 0, rc = NR_OK;

		nri_buf_init(&s, 4096);
		for (size_t i = o->orig; !rc && i < o->orig_end; i++) {
			unsigned char ch = (unsigned char)b->text[i];

			if (ch <= ' ') {
				if (!sp)
					rc = nri_buf_addc(&s, ' ');
				sp = 1;
			} else {
				rc = nri_buf_addc(&s, (char)ch);
				sp = 0;
			}
		}
		if (rc || !s.data) {
			nri_buf_release(&s);
			return NR_ENOMEM;
		}
		nri_free(c->surface);
		c->surface = nri_buf_detach(&s, NULL);
		c->surface_initial = initial;
	}
	if (c->nctx < 2 && (c->nctx == 0 || c->ctx_doc != b->docseq)) {
		if (!(c->ctx[c->nctx] = snippet(b, o->orig, o->orig_end)))
			return NR_ENOMEM;
		if (c->nctx == 1 && same_context(c->ctx[0], c->ctx[1])) {
			nri_free(c->ctx[1]); /* a repost: wait for another text */
			c->ctx[1] = NULL;
		} else {
			c->nctx++;
			c->ctx_doc = b->docseq;
		}
	}
	return NR_OK;
}

static int emit(struct nr_lexbuild *b, const struct occ *o)
{
	if (b->pass == 1)
		return b->role == ROLE_TARGET ? count_gram(b, o) : NR_OK;
	return see_cand(b, o);
}

static int is_gap_char(const char *s, size_t len, size_t *adv)
{
	unsigned char c = (unsigned char)s[0];

	*adv = 1;
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '\'')
		return 1;
	if (len >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xB7) { /* U+00B7 */
		*adv = 2;
		return 1;
	}
	if (len >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x90 || (unsigned char)s[2] == 0x91 ||
	     (unsigned char)s[2] == 0x99 || (unsigned char)s[2] == 0xAF)) {
		*adv = 3; /* hyphen, non-breaking hyphen, U+2019, narrow nbsp */
		return 1;
	}
	if (len >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xA0) {
		*adv = 2;
		return 1;
	}
	return 0;
}

/* What the text between two tokens allows: 1 when a multiword term can
 * span it (white space, hyphens, apostrophes, middle dots: the matcher's
 * rule), 0 otherwise. */
static int joinable(const char *s, size_t len)
{
	size_t adv;

	for (size_t i = 0; i < len; i += adv)
		if (!is_gap_char(s + i, len - i, &adv))
			return 0;
	return 1;
}

/* The bytes of a word token used in n-gram keys: its normalised form,
 * without an English possessive "'s" (then *ends = 1: no n-gram goes on). */
static void word_form(const struct nr_token *t, const char *lang, size_t *len, int *ends)
{
	*len = t->norm_len;
	*ends = 0;
	if (lang[0] == 'e' && lang[1] == 'n' && (lang[2] == '\0' || lang[2] == '-') &&
	    t->norm_len > 3 && t->norm[t->norm_len - 2] == '\'' &&
	    t->norm[t->norm_len - 1] == 's') {
		*len = t->norm_len - 2;
		*ends = 1;
	}
}

/* Bytes of a trailing "'s" or "’s" in the original token. */
static size_t possessive_len(const char *s, size_t len)
{
	if (len >= 4 && !memcmp(s + len - 4, "\xE2\x80\x99s", 4))
		return 4;
	if (len >= 4 && !memcmp(s + len - 4, "\xCA\xBCs", 3))
		return 3;
	return len >= 2 ? 2 : 0;
}

/* 1 when word token t follows p with nothing between and p is an elided
 * article the tokenizer split off it (l' + orangerie in French, Italian,
 * Catalan...: docs/tokenize.md): the n-gram key joins them with no space,
 * as they are written, so that the draft's entry (l'orangerie) is split
 * the same way when it is loaded and matches the text. */
static int glued(const struct nr_token *p, const struct nr_token *t)
{
	return p->offset + p->length == t->offset && p->norm_len > 1 &&
	       p->norm[p->norm_len - 1] == '\'';
}

static int word_segment(struct nr_lexbuild *b, const struct nr_token *toks, const size_t *seg,
			size_t n, uint16_t li)
{
	const char *lang = b->langs[li].tag;
	size_t maxn = b->o.max_words;
	int rc;

	for (size_t i = 0; i < n; i++) {
		nri_buf_reset(&b->key);
		if ((rc = nri_buf_addc(&b->key, (char)(li & 0xFF))) ||
		    (rc = nri_buf_addc(&b->key, (char)(li >> 8))) ||
		    (rc = nri_buf_addc(&b->key, KIND_WORD)))
			return rc;
		for (size_t k = 0; k < maxn && i + k < n; k++) {
			const struct nr_token *t = &toks[seg[i + k]], *f = &toks[seg[i]];
			size_t wl;
			int ends;
			struct occ o;

			word_form(t, lang, &wl, &ends);
			if (k && !glued(&toks[seg[i + k - 1]], t) &&
			    (rc = nri_buf_addc(&b->key, ' ')))
				return rc;
			if ((rc = nri_buf_add(&b->key, t->norm, wl)))
				return rc;
			o.lang = li;
			o.kind = KIND_WORD;
			o.n = (uint8_t)(k + 1);
			o.key = b->key.data;
			o.klen = b->key.len;
			o.tok_first = seg[i];
			o.tok_last = seg[i + k];
			o.orig = f->offset;
			o.orig_end = t->offset + t->length;
			if (wl != t->norm_len)
				o.orig_end -= possessive_len(b->text + t->offset, t->length);
			o.bad_start = f->stop || f->norm_len < 2;
			o.bad_end = t->stop || wl < 2;
			if ((rc = emit(b, &o)))
				return rc;
			if (ends)
				break;
		}
	}
	return NR_OK;
}

static int cjk_run(struct nr_lexbuild *b, size_t n, uint16_t li)
{
	size_t maxn = b->o.max_chars + (b->pass == 1);
	size_t minn = b->pass == 1 ? 1 : 2;
	int rc;

	for (size_t i = 0; i < n; i++) {
		nri_buf_reset(&b->key);
		if ((rc = nri_buf_addc(&b->key, (char)(li & 0xFF))) ||
		    (rc = nri_buf_addc(&b->key, (char)(li >> 8))) ||
		    (rc = nri_buf_addc(&b->key, KIND_CJK)))
			return rc;
		for (size_t k = 0; k < maxn && i + k < n; k++) {
			const struct cjkchar *f = &b->chars[i], *l = &b->chars[i + k];
			struct occ o;

			if ((rc = nri_buf_add(&b->key, b->norm.data + l->kb, l->klen)))
				return rc;
			if (k + 1 < minn)
				continue;
			o.lang = li;
			o.kind = KIND_CJK;
			o.n = (uint8_t)(k + 1);
			o.key = b->key.data;
			o.klen = b->key.len;
			o.tok_first = f->tok;
			o.tok_last = l->tok;
			o.orig = f->orig;
			o.orig_end = l->orig_end;
			o.bad_start = f->stop;
			o.bad_end = l->stop;
			if ((rc = emit(b, &o)))
				return rc;
		}
	}
	return NR_OK;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Walk the tokens of a target or reference document: word segments (runs
 * of word tokens a multiword term can span) and CJK runs (characters of
 * adjacent CJK word tokens), both cut at numbers, URLs, mentions, hashtags,
 * emoji, punctuation and city names. */
static int walk(struct nr_lexbuild *b, const struct nr_token *toks, size_t ntoks, uint16_t li)
{
	struct lang *L = &b->langs[li];
	size_t nseg = 0, nch = 0;
	size_t prev_end = 0;
	int kind_prev = 0; /* 0 none, 'w', 'c' */
	int rc;

	nri_buf_reset(&b->norm);
	for (size_t t = 0; t <= ntoks; t++) {
		const struct nr_token *k = t < ntoks ? &toks[t] : NULL;
		int kind = 0, ends = 0;

		if (k && k->type == NR_TOKEN_WORD && k->offset < b->text_len &&
		    !b->mark[k->offset]) {
			kind = k->cjk ? 'c' : 'w';
		}
		if (k && k->type == NR_TOKEN_WORD) {
			if (k->cjk) {
				for (size_t i = 0; i < k->norm_len;
				     i += utf8_len((unsigned char)k->norm[i]))
					if (b->role == ROLE_TARGET)
						L->t_chars++;
					else
						L->r_chars++;
			} else if (b->role == ROLE_TARGET) {
				L->t_words++;
			} else {
				L->r_words++;
			}
		}
		/* does the current run go on? */
		if (kind != kind_prev || kind == 0 ||
		    !joinable(b->text + prev_end,
			      k->offset > prev_end ? k->offset - prev_end : 0)) {
			if (kind_prev == 'w' && nseg &&
			    (rc = word_segment(b, toks, b->seg, nseg, li)))
				return rc;
			if (kind_prev == 'c' && nch && (rc = cjk_run(b, nch, li)))
				return rc;
			nseg = nch = 0;
			nri_buf_reset(&b->norm);
		}
		kind_prev = kind;
		if (!k)
			break;
		prev_end = k->offset + k->length;
		if (kind == 'w') {
			size_t wl;

			if ((rc = grow(&b->seg, &b->seg_cap, nseg + 1, sizeof(*b->seg))))
				return rc;
			b->seg[nseg++] = t;
			word_form(k, L->tag, &wl, &ends);
			if (ends) {
				if ((rc = word_segment(b, toks, b->seg, nseg, li)))
					return rc;
				nseg = 0;
				kind_prev = 0;
			}
		} else if (kind == 'c') {
			int same = k->norm_len == k->length;

			for (size_t i = 0; i < k->norm_len;) {
				size_t cl = utf8_len((unsigned char)k->norm[i]);
				struct cjkchar *c;
				size_t orig = same ? k->offset + i : k->offset;

				if (i + cl > k->norm_len)
					cl = k->norm_len - i;
				if (orig < b->text_len && b->mark[orig]) {
					/* a city name inside the token: cut here */
					if (nch && (rc = cjk_run(b, nch, li)))
						return rc;
					nch = 0;
					nri_buf_reset(&b->norm);
					i += cl;
					continue;
				}
				if ((rc = grow(&b->chars, &b->chars_cap, nch + 1,
					       sizeof(*b->chars))))
					return rc;
				c = &b->chars[nch++];
				c->kb = b->norm.len;
				c->klen = cl;
				c->orig = orig;
				c->orig_end = same ? orig + cl : k->offset + k->length;
				c->tok = t;
				c->stop = k->stop;
				if ((rc = nri_buf_add(&b->norm, k->norm + i, cl)))
					return rc;
				i += cl;
			}
		}
	}
	return NR_OK;
}

/* ---- reading ------------------------------------------------------------- */

static int field_is_city(struct nr_lexbuild *b, const char *city)
{
	size_t len = strlen(city);

	while (len && city[len - 1] == ' ')
		len--;
	while (len && *city == ' ') {
		city++;
		len--;
	}
	if (!len || fold(&b->scratch, city, len) != NR_OK)
		return 0;
	return nri_strmap_get(&b->own_names, b->scratch.data, b->scratch.len) != NULL;
}

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, c = *(const size_t *)y;

	return a < c ? -1 : a > c;
}

/* . ! ? ; and their full-width forms, the ideographic full stop, ellipsis */
static int ends_sentence(const char *s, size_t len)
{
	static const char *const ends[] = {".",
					   "!",
					   "?",
					   ";",
					   "\xE3\x80\x82",
					   "\xEF\xBC\x81",
					   "\xEF\xBC\x9F",
					   "\xEF\xBC\x9B",
					   "\xE2\x80\xA6"};

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (len >= strlen(ends[i]) && !memcmp(s, ends[i], strlen(ends[i])))
			return 1;
	return 0;
}

/* One document: tokenize, find the city names, decide its role, walk it. */
static int do_doc(struct nr_lexbuild *b, const struct nr_doc *d, int in_reference, int all)
{
	const struct nr_token *toks;
	const struct nr_match_hit *hits;
	size_t ntoks, nhits, own = 0;
	const char *lang = b->o.lang ? b->o.lang : (d->lang && *d->lang ? d->lang : NULL);
	uint16_t li;
	int rc, about;

	rc = nr_tokenize(b->tok, d->text, d->text_len, lang, &toks, &ntoks);
	if (rc == NR_EUTF8 || rc == NR_ELIMIT) {
		b->counts.rejected += b->pass == 1;
		b->counts.read += b->pass == 1;
		return NR_OK;
	}
	if (rc)
		return fail(b, rc, "cannot tokenize document '%s' (%s): %s", d->id, d->source,
			    nr_strerror(rc));
	if (b->pass == 1)
		b->counts.read++;
	if ((rc = nr_matcher_match(b->matcher, d->text, d->text_len, toks, ntoks, NULL, &hits,
				   &nhits)))
		return fail(b, rc, "cannot match document '%s': %s", d->id, nr_strerror(rc));
	if ((rc = grow(&b->mark, &b->mark_cap, d->text_len + 1, 1)))
		return rc;
	memset(b->mark, 0, d->text_len + 1);
	b->nown = b->ntopic = 0;
	for (size_t h = 0; h < nhits; h++) {
		const struct nr_match_hit *hit = &hits[h];
		int is_own = 0, is_city = 0;

		if (hit->lexicon == LEX_NAMES ||
		    (hit->lexicon == LEX_CITIES && b->lex[LEX_CITIES] && hit->entity >= 0)) {
			is_city = 1;
			is_own = hit->lexicon == LEX_NAMES || hit->entity == b->entity;
		} else if (hit->lexicon == LEX_TOPICS && b->lex[LEX_TOPICS]) {
			if ((rc = grow(&b->topic_hits, &b->topic_cap, b->ntopic + 1,
				       sizeof(*b->topic_hits))))
				return rc;
			b->topic_hits[b->ntopic++] = *hit;
		}
		if (!is_city)
			continue;
		for (size_t i = hit->offset; i < hit->offset + hit->length && i < d->text_len; i++)
			if (!b->mark[i] || is_own)
				b->mark[i] = is_own ? 1 : 2;
		if (is_own) {
			own++;
			for (size_t t = 0; t < hit->ntokens; t++) {
				if ((rc = grow(&b->own_toks, &b->own_cap, b->nown + 1,
					       sizeof(*b->own_toks))))
					return rc;
				b->own_toks[b->nown++] = hit->token + t;
			}
		}
	}
	if (b->nown > 1)
		qsort(b->own_toks, b->nown, sizeof(*b->own_toks), cmp_size);
	if ((rc = grow(&b->sent, &b->sent_cap, ntoks + 1, sizeof(*b->sent))))
		return rc;
	for (size_t t = 0, n = 0; t < ntoks; t++) {
		b->sent[t] = (uint32_t)n;
		n += toks[t].type == NR_TOKEN_PUNCT &&
		     ends_sentence(d->text + toks[t].offset, toks[t].length);
	}
	if (d->city && *d->city)
		about = field_is_city(b, d->city);
	else
		about = own > 0;
	if (in_reference)
		b->role = about ? ROLE_NONE : ROLE_REF;
	else if (all || about)
		b->role = ROLE_TARGET;
	else
		b->role = b->o.flags & NR_LEXBUILD_ALL ? ROLE_NONE : ROLE_REF;
	/* with a reference corpus the corpus's other documents are not used */
	if (!in_reference && b->role == ROLE_REF && b->has_ref)
		b->role = ROLE_NONE;
	if (b->role == ROLE_NONE) {
		b->counts.ignored_docs += b->pass == 1;
		return NR_OK;
	}
	if ((rc = lang_index(b, nr_tokenizer_lang(b->tok), &li)))
		return rc;
	if (b->pass == 1) {
		if (b->role == ROLE_TARGET) {
			b->counts.target_docs++;
			b->langs[li].t_docs++;
		} else {
			b->counts.reference_docs++;
			b->langs[li].r_docs++;
		}
		/* other cities named in the target: flagged, never proposed */
		if (b->role == ROLE_TARGET)
			for (size_t h = 0; h < nhits; h++) {
				const struct nr_match_hit *hit = &hits[h];
				struct city_count *cc;

				if (hit->lexicon != LEX_CITIES || !b->lex[LEX_CITIES] ||
				    hit->entity < 0 || hit->entity == b->entity ||
				    (size_t)hit->entity >= b->ncities)
					continue;
				cc = &b->cities[hit->entity];
				cc->occ++;
				if (cc->last_doc != b->docseq + 1) {
					cc->last_doc = b->docseq + 1;
					cc->docs++;
				}
				if (!cc->surface &&
				    !(cc->surface =
					      snippet(b, hit->offset, hit->offset + hit->length)))
					return NR_ENOMEM;
			}
	} else {
		/* the language totals are counted in pass 1 only */
		struct lang save = b->langs[li];

		rc = walk(b, toks, ntoks, li);
		b->langs[li] = save;
		return rc;
	}
	return walk(b, toks, ntoks, li);
}

static int read_corpus(struct nr_lexbuild *b, const char *const *paths, size_t n, int in_ref,
		       int all)
{
	struct nr_corpus *c = NULL;
	const struct nr_doc *d;
	int rc, ev;

	if ((rc = nr_corpus_new(&c, b->o.corpus)))
		return fail(b, rc, "cannot create the corpus reader: %s",
			    c ? nr_corpus_errmsg(c) : nr_strerror(rc));
	for (size_t i = 0; i < n; i++)
		if ((rc = nr_corpus_add_path(c, paths[i]))) {
			fail(b, rc, "%s",
			     *nr_corpus_errmsg(c) ? nr_corpus_errmsg(c) : nr_strerror(rc));
			nr_corpus_free(c);
			return rc;
		}
	while ((ev = nr_corpus_next(c, &d)) > 0) {
		if (ev == NR_CORPUS_REJECT) {
			if (b->pass == 1) {
				b->counts.read++;
				b->counts.rejected++;
				if (b->counts.rejected <= 3 &&
				    (rc = warn(b, "%s: cannot read a document: %s",
					       nr_corpus_reject_source(c),
					       nr_corpus_reject_reason(c))))
					break;
			}
			continue;
		}
		if (ev != NR_CORPUS_DOC)
			continue;
		b->text = d->text;
		b->text_len = d->text_len;
		if ((rc = do_doc(b, d, in_ref, all)))
			break;
		b->docseq++;
	}
	if (ev < 0)
		rc = fail(b, ev, "reading the corpus failed: %s", nr_strerror(ev));
	nr_corpus_free(c);
	return ev < 0 ? ev : rc;
}

/* ---- selection ----------------------------------------------------------- */

static struct gram *find_gram(struct nr_lexbuild *b, const char *k, size_t len)
{
	struct nri_strmap_slot *s = nri_strmap_get(&b->grams_map, k, len);

	return s && s->value ? &b->grams[s->value - 1] : NULL;
}

/* Boundary entropies: every (n+1)-gram adds f ln f to the right side of
 * its prefix and to the left side of its suffix. */
static void cjk_entropy(struct nr_lexbuild *b)
{
	for (size_t i = 0; i < b->ngrams; i++) {
		struct gram *g = &b->grams[i];
		const char *k = g->key;
		size_t first, last;
		struct gram *p;
		double fl;

		if (k[2] != KIND_CJK || g->n < 2)
			continue;
		first = PREFIX + utf8_len((unsigned char)k[PREFIX]);
		last = g->klen;
		while (last > PREFIX && ((unsigned char)k[last - 1] & 0xC0) == 0x80)
			last--;
		last--;
		fl = (double)g->freq * log((double)g->freq);
		/* prefix: key[0..last) */
		if ((p = find_gram(b, k, last)))
			p->sr += fl;
		/* suffix: the 3-byte prefix + key[first..) */
		nri_buf_reset(&b->scratch);
		if (nri_buf_add(&b->scratch, k, PREFIX) ||
		    nri_buf_add(&b->scratch, k + first, g->klen - first))
			continue;
		if ((p = find_gram(b, b->scratch.data, b->scratch.len)))
			p->sl += fl;
	}
}

/* The smallest PMI over the binary splits of a CJK n-gram. */
static double cjk_cohesion(struct nr_lexbuild *b, const struct gram *g, uint64_t total)
{
	double best = INFINITY;
	const char *k = g->key;

	for (size_t cut = PREFIX + utf8_len((unsigned char)k[PREFIX]); cut < g->klen;
	     cut += utf8_len((unsigned char)k[cut])) {
		struct gram *a = find_gram(b, k, cut), *c;
		double p;

		nri_buf_reset(&b->scratch);
		if (nri_buf_add(&b->scratch, k, PREFIX) ||
		    nri_buf_add(&b->scratch, k + cut, g->klen - cut))
			return -INFINITY;
		c = find_gram(b, b->scratch.data, b->scratch.len);
		if (!a || !c)
			return -INFINITY;
		p = nri_lexbuild_pmi(g->freq, a->freq, c->freq, total);
		if (p < best)
			best = p;
	}
	return best;
}

/* A CJK n-gram with a stopword character at an edge: that character is
 * part of the word when the rest is (almost, 80%) never seen without it
 * and at least a tenth of the character's own occurrences are in the
 * n-gram: 会 in 龙筝会 ("kite fair"), 大 in 大熊猫, but not 的 in
 * 的经历 (的 is everywhere).  Single-character stopwords of Chinese (会,
 * 上, 大, 中...) are too often parts of names for the rule of spaced
 * scripts. */
static int edge_bound(struct nr_lexbuild *b, const struct gram *g, size_t from, size_t to,
		      size_t cfrom, size_t cto)
{
	const char *k = g->key;
	struct gram *rest, *ch;

	nri_buf_reset(&b->scratch);
	if (nri_buf_add(&b->scratch, k, PREFIX) || nri_buf_add(&b->scratch, k + cfrom, cto - cfrom))
		return 0;
	ch = find_gram(b, b->scratch.data, b->scratch.len);
	nri_buf_reset(&b->scratch);
	if (nri_buf_add(&b->scratch, k, PREFIX) || nri_buf_add(&b->scratch, k + from, to - from))
		return 0;
	rest = find_gram(b, b->scratch.data, b->scratch.len);
	return rest && ch && (double)g->freq >= SUBSUME * (double)rest->freq &&
	       10 * (uint64_t)g->freq >= ch->freq;
}

static int cjk_edges_ok(struct nr_lexbuild *b, const struct gram *g)
{
	const char *k = g->key;
	size_t first = PREFIX + utf8_len((unsigned char)k[PREFIX]), last = g->klen;

	while (last > PREFIX && ((unsigned char)k[last - 1] & 0xC0) == 0x80)
		last--;
	last--;
	if (2 * (uint64_t)g->bad_end >= g->freq && !edge_bound(b, g, PREFIX, last, last, g->klen))
		return 0;
	if (2 * (uint64_t)g->bad_start >= g->freq &&
	    !edge_bound(b, g, first, g->klen, PREFIX, first))
		return 0;
	return 1;
}

static int select_candidates(struct nr_lexbuild *b)
{
	size_t cap = 0;
	int rc;

	cjk_entropy(b);
	for (size_t i = 0; i < b->ngrams; i++) {
		struct gram *g = &b->grams[i];
		uint16_t li =
			(uint16_t)((unsigned char)g->key[0] | ((unsigned char)g->key[1] << 8));
		int cjk = g->key[2] == KIND_CJK;
		double pmi = 0, hl = 0, hr = 0;
		struct nri_strmap_slot *slot;
		struct cand *c;

		if (g->freq < b->o.min_freq || g->docs < b->o.min_docs)
			continue;
		if (!cjk && 2 * ((uint64_t)g->bad_start + g->bad_end) >= g->freq)
			continue;
		if (cjk && !cjk_edges_ok(b, g))
			continue;
		if (cjk) {
			if (g->n < 2 || g->n > b->o.max_chars)
				continue;
			pmi = cjk_cohesion(b, g, b->langs[li].t_chars);
			hl = nri_lexbuild_entropy(g->freq, g->sl);
			hr = nri_lexbuild_entropy(g->freq, g->sr);
			if (pmi < MIN_PMI || hl < MIN_ENTROPY || hr < MIN_ENTROPY)
				continue;
		}
		if ((rc = grow(&b->cands, &cap, b->ncands + 1, sizeof(*b->cands))))
			return rc;
		c = &b->cands[b->ncands];
		memset(c, 0, sizeof(*c));
		c->key = nri_strndup(g->key, g->klen);
		if (!c->key)
			return NR_ENOMEM;
		b->ncands++;
		c->klen = g->klen;
		c->lang = li;
		c->kind = (uint8_t)g->key[2];
		c->n = g->n;
		c->freq = g->freq;
		c->docs = g->docs;
		c->pmi = pmi;
		c->hl = hl;
		c->hr = hr;
		c->category = -1;
		c->ctx_doc = UINT64_MAX;
		if ((rc = nri_strmap_put(&b->cand_map, c->key, c->klen, &slot, NULL)))
			return rc;
		slot->value = b->ncands;
	}
	nri_strmap_release(&b->grams_map);
	nri_strmap_init(&b->grams_map, 0);
	nri_free(b->grams);
	b->grams = NULL;
	b->ngrams = b->grams_cap = 0;
	return NR_OK;
}

static struct cand *find_cand(struct nr_lexbuild *b, const char *k, size_t len)
{
	struct nri_strmap_slot *s = nri_strmap_get(&b->cand_map, k, len);

	return s && s->value ? &b->cands[s->value - 1] : NULL;
}

/* Nested candidates.  A part of a longer candidate that is seen mostly
 * inside it adds nothing ("peak festival" inside "misty peak festival",
 * 峰山 inside 雾峰山): the part goes.  A longer candidate that is only one
 * of the contexts of a stronger part ("view from misty peak" around "misty
 * peak") adds nothing either: the longer one goes.  Parts dropped by the
 * first rule still count for the second ("talks about the silver" is one
 * context of "silver", itself inside "silver river marathon"). */
static void suppress_parts(struct nr_lexbuild *b)
{
	for (size_t i = 0; i < b->ncands; i++) {
		struct cand *w = &b->cands[i];
		size_t us[32], ue[32], nu = 0;

		if (!w->keep || w->n < 2)
			continue;
		/* units: words (split at ' ') or characters */
		for (size_t p = PREFIX; p < w->klen && nu < 32;) {
			size_t e;

			if (w->kind == KIND_WORD) {
				const char *sp = memchr(w->key + p, ' ', w->klen - p);

				e = sp ? (size_t)(sp - w->key) : w->klen;
			} else {
				e = p + utf8_len((unsigned char)w->key[p]);
			}
			us[nu] = p;
			ue[nu++] = e;
			p = w->kind == KIND_WORD ? e + 1 : e;
		}
		for (size_t a = 0; a < nu; a++)
			for (size_t z = a; z < nu; z++) {
				struct cand *s;

				if (a == 0 && z == nu - 1)
					continue; /* the whole */
				nri_buf_reset(&b->scratch);
				if (nri_buf_add(&b->scratch, w->key, PREFIX) ||
				    nri_buf_add(&b->scratch, w->key + us[a], ue[z] - us[a]))
					continue;
				s = find_cand(b, b->scratch.data, b->scratch.len);
				if (!s || s == w || !s->keep)
					continue;
				if ((double)w->freq >= SUBSUME * (double)s->freq)
					s->suppressed = 1;
				else if (s->score >= w->score)
					w->suppressed = 1;
			}
	}
}

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = *(struct cand *const *)x, *c = *(struct cand *const *)y;
	size_t m;
	int r;

	if (a->lang != c->lang)
		return a->lang < c->lang ? -1 : 1;
	if (a->score != c->score)
		return a->score > c->score ? -1 : 1;
	m = a->klen < c->klen ? a->klen : c->klen;
	r = memcmp(a->key, c->key, m);
	return r ? r : (a->klen < c->klen ? -1 : a->klen > c->klen);
}

/* The topic category of a candidate: a topic entry inside the candidate
 * itself (the rightmost: the head of "misty peak festival" is "festival"),
 * else the category most topic words around its occurrences belong to,
 * when at least 2 and 30% of the occurrences vote for it. */
static void categorise(struct nr_lexbuild *b, struct cand *c)
{
	const struct nr_token *toks;
	const struct nr_match_hit *hits;
	size_t ntoks, nhits, best_end = 0;
	const char *text = c->key + PREFIX;
	size_t len = c->klen - PREFIX;
	const char *lang = b->langs[c->lang].tag;
	uint32_t bestn = 0;

	if (!b->topic_matcher)
		return;
	if (!nr_tokenize(b->tok, text, len, strcmp(lang, "*") ? lang : NULL, &toks, &ntoks) &&
	    !nr_matcher_match(b->topic_matcher, text, len, toks, ntoks, NULL, &hits, &nhits)) {
		for (size_t h = 0; h < nhits; h++)
			if (hits[h].offset + hits[h].length >= best_end) {
				best_end = hits[h].offset + hits[h].length;
				c->category = hits[h].category;
			}
	}
	if (c->category >= 0)
		return;
	for (int k = 0; k < NVOTE; k++)
		if (c->votes[k].n > bestn ||
		    (c->votes[k].n == bestn && bestn && c->votes[k].cat < c->category)) {
			bestn = c->votes[k].n;
			c->category = c->votes[k].cat;
		}
	if (bestn < 2 || (double)bestn < 0.3 * (double)(c->occ < MAX_VOTES ? c->occ : MAX_VOTES))
		c->category = -1;
}

/* The term written as an entry: the first surface form of a word n-gram
 * when it folds to the same words (so a reviewer sees "Misty Peak"), else
 * the normalised form. */
static void entry_text(struct nr_lexbuild *b, const struct cand *c, const char **s, size_t *len)
{
	*s = c->key + PREFIX;
	*len = c->klen - PREFIX;
	if (c->kind != KIND_WORD || !c->surface)
		return;
	if (fold(&b->scratch, c->surface, strlen(c->surface)) != NR_OK)
		return;
	for (size_t i = 0; i < b->scratch.len; i++)
		if (b->scratch.data[i] == '-')
			b->scratch.data[i] = ' ';
	if (b->scratch.len == *len && !memcmp(b->scratch.data, *s, *len)) {
		*s = c->surface;
		*len = strlen(c->surface);
	}
}

static int finish(struct nr_lexbuild *b)
{
	size_t nkeep = 0, len;
	const char *s;
	int rc;

	for (size_t i = 0; i < b->ncands; i++) {
		struct cand *c = &b->cands[i];
		struct lang *L = &b->langs[c->lang];
		uint64_t tc = c->kind == KIND_CJK ? L->t_chars : L->t_words;
		uint64_t rc2 = c->kind == KIND_CJK ? L->r_chars : L->r_words;
		double near;

		if (!rc2)
			continue;
		c->g2 = nri_g2(c->freq, c->ref, tc, rc2);
		c->lr = nri_log_ratio(c->freq, c->ref, tc, rc2);
		near = c->occ ? (double)c->near / (double)c->occ : 0;
		c->score = c->g2 * (1 + near) / 2;
		c->keep = c->g2 >= MIN_G2 && c->lr >= MIN_LOG_RATIO;
	}
	suppress_parts(b);
	if (!(b->out = nri_calloc(b->ncands ? b->ncands : 1, sizeof(*b->out))))
		return NR_ENOMEM;
	for (size_t i = 0; i < b->ncands; i++)
		if (b->cands[i].keep && !b->cands[i].suppressed)
			b->out[nkeep++] = &b->cands[i];
	qsort(b->out, nkeep, sizeof(*b->out), cmp_cand);
	b->nout = 0;
	for (size_t i = 0, r = 0; i < nkeep; i++) {
		struct cand *c = b->out[i];

		r = (i && b->out[i - 1]->lang == c->lang) ? r + 1 : 1;
		if (r > b->o.top)
			continue;
		c->rank = r;
		categorise(b, c);
		entry_text(b, c, &s, &len);
		if (!(c->entry = nri_strndup(s, len)))
			return NR_ENOMEM;
		b->out[b->nout++] = c;
	}
	for (size_t i = 0; i < b->nlangs; i++) {
		struct lang *L = &b->langs[i];

		if (L->t_docs && !L->r_docs &&
		    (rc = warn(b,
			       "no reference document in '%s': the %llu target documents in it "
			       "give no candidates",
			       L->tag, (unsigned long long)L->t_docs)))
			return rc;
	}
	for (size_t i = 0; i < b->ncities; i++)
		b->counts.flagged_cities += b->cities[i].occ > 0;
	return NR_OK;
}

static int check_languages(struct nr_lexbuild *b)
{
	double overlap = 0;
	struct nri_buf t, r;
	int rc = NR_OK;

	for (size_t i = 0; i < b->nlangs; i++) {
		const struct lang *L = &b->langs[i];
		double pt = (double)L->t_docs / (double)b->counts.target_docs;
		double pr = (double)L->r_docs / (double)b->counts.reference_docs;

		overlap += pt < pr ? pt : pr;
	}
	if (overlap > 0.0)
		return NR_OK;
	nri_buf_init(&t, 4096);
	nri_buf_init(&r, 4096);
	for (size_t i = 0; i < b->nlangs; i++) {
		const struct lang *L = &b->langs[i];

		if (L->t_docs)
			nri_buf_printf(&t, "%s%s %.0f%%", t.len ? ", " : "", L->tag,
				       100.0 * (double)L->t_docs / (double)b->counts.target_docs);
		if (L->r_docs)
			nri_buf_printf(&r, "%s%s %.0f%%", r.len ? ", " : "", L->tag,
				       100.0 * (double)L->r_docs /
					       (double)b->counts.reference_docs);
	}
	rc = fail(b, NR_EINVAL,
		  "the reference shares no language with the documents about '%s' "
		  "(target: %s; reference: %s): keyness needs a reference in the same language",
		  b->display, t.data ? t.data : "-", r.data ? r.data : "-");
	nri_buf_release(&t);
	nri_buf_release(&r);
	return rc;
}

int nr_lexbuild_run(struct nr_lexbuild *b, const char *const *paths, size_t npaths,
		    const char *const *refs, size_t nrefs)
{
	int all = (b->o.flags & NR_LEXBUILD_ALL) != 0;
	int rc;

	if (!b || !paths || !npaths)
		return b ? fail(b, NR_EINVAL, "no corpus given") : NR_EINVAL;
	if (b->ran)
		return fail(b, NR_EINVAL, "nr_lexbuild_run called twice");
	b->ran = 1;
	if (all && !nrefs)
		return fail(b, NR_EINVAL,
			    "--all says every document is about '%s': give a reference corpus "
			    "(--reference) to compare it with",
			    b->display);
	b->grams_map.max_count = b->o.max_grams;
	b->pass = 1;
	b->docseq = 0;
	b->has_ref = nrefs > 0;
	if ((rc = read_corpus(b, paths, npaths, 0, all)))
		return rc;
	if (b->counts.read == 0 || b->counts.read == b->counts.rejected)
		return fail(b, NR_ENOTFOUND, "the corpus '%s'%s holds no %sdocument", paths[0],
			    npaths > 1 ? " (and the rest)" : "", b->counts.read ? "readable " : "");
	if (!b->counts.target_docs)
		return fail(b, NR_ENOTFOUND,
			    "no document is about '%s': none has it as its `city` field or "
			    "names it in its text (%llu documents read); check the spelling, "
			    "give other names with --alias, or use --all",
			    b->display, (unsigned long long)b->counts.read);
	if (nrefs) {
		uint64_t read0 = b->counts.read;

		if ((rc = read_corpus(b, refs, nrefs, 1, 0)))
			return rc;
		if (b->counts.read == read0)
			return fail(b, NR_ENOTFOUND, "the reference corpus '%s' holds no document",
				    refs[0]);
	}
	if (!b->counts.reference_docs)
		return fail(b, NR_EINVAL,
			    "no reference documents: all %llu documents read are about '%s'; "
			    "give a reference corpus with --reference",
			    (unsigned long long)b->counts.read, b->display);
	if ((rc = check_languages(b)))
		return rc;
	if ((rc = select_candidates(b)))
		return rc;
	b->pass = 2;
	b->docseq = 0;
	{
		/* pass 2 must not count documents again */
		struct nr_lexbuild_counts save = b->counts;

		rc = read_corpus(b, paths, npaths, 0, all);
		if (!rc && nrefs)
			rc = read_corpus(b, refs, nrefs, 1, 0);
		b->counts = save;
		if (rc)
			return rc;
	}
	return finish(b);
}

void nr_lexbuild_get_counts(const struct nr_lexbuild *b, struct nr_lexbuild_counts *out)
{
	*out = b->counts;
}

size_t nr_lexbuild_candidate_count(const struct nr_lexbuild *b)
{
	return b ? b->nout : 0;
}

static const char *category_name(const struct nr_lexbuild *b, int cat)
{
	return cat >= 0 && b->lex[LEX_TOPICS] ? nr_lexicon_category_name(b->lex[LEX_TOPICS], cat)
					      : NULL;
}

int nr_lexbuild_candidate(const struct nr_lexbuild *b, size_t i, struct nr_lexbuild_candidate *o)
{
	const struct cand *c;

	if (!b || i >= b->nout || !o)
		return NR_EINVAL;
	c = b->out[i];
	memset(o, 0, sizeof(*o));
	o->term = c->entry;
	o->lang = b->langs[c->lang].tag;
	o->category = category_name(b, c->category);
	o->context[0] = c->ctx[0];
	o->context[1] = c->ctx[1];
	o->rank = c->rank;
	o->score = c->score;
	o->g2 = c->g2;
	o->log_ratio = c->lr;
	o->near = c->occ ? (double)c->near / (double)c->occ : 0;
	o->freq = c->freq;
	o->docs = c->docs;
	o->ref_freq = c->ref;
	o->cjk = c->kind == KIND_CJK;
	return NR_OK;
}

size_t nr_lexbuild_warning_count(const struct nr_lexbuild *b)
{
	return b ? b->nwarnings : 0;
}

const char *nr_lexbuild_warning(const struct nr_lexbuild *b, size_t i)
{
	return b && i < b->nwarnings ? b->warnings[i] : NULL;
}

/* ---- the draft ----------------------------------------------------------- */

static int put_comment(struct nri_buf *o, const char *lead, const char *s)
{
	int rc = nri_buf_adds(o, lead);

	for (; !rc && s && *s; s++)
		rc = nri_buf_addc(o, *s == '\n' || *s == '\r' ? ' ' : *s);
	return rc ? rc : nri_buf_addc(o, '\n');
}

static int write_entry(struct nri_buf *o, const struct cand *c)
{
	int rc;

	rc = nri_buf_printf(o,
			    "# rank %zu  score %.1f  G2 %.1f  log-ratio %.2f  freq %llu  docs %llu"
			    "  ref %llu  near-name %.2f%s",
			    c->rank, c->score, c->g2, c->lr, (unsigned long long)c->freq,
			    (unsigned long long)c->docs, (unsigned long long)c->ref,
			    c->occ ? (double)c->near / (double)c->occ : 0.0,
			    c->kind == KIND_CJK ? "" : "");
	if (!rc && c->kind == KIND_CJK)
		rc = nri_buf_printf(o, "  cohesion %.2f  entropy %.2f/%.2f", c->pmi, c->hl, c->hr);
	if (!rc)
		rc = nri_buf_addc(o, '\n');
	for (int k = 0; !rc && k < c->nctx; k++)
		rc = put_comment(o, "#   ", c->ctx[k]);
	if (!rc)
		rc = put_term(o, c->entry, strlen(c->entry));
	return rc ? rc : nri_buf_addc(o, '\n');
}

int nr_lexbuild_draft(struct nr_lexbuild *b, char **text, size_t *tlen)
{
	struct nri_buf o;
	int *cats = NULL;
	size_t ncat = 0, nflag = 0;
	struct nr_lexicon *check = NULL;
	int rc;

	*text = NULL;
	*tlen = 0;
	if (!b->ran || !b->out)
		return fail(b, NR_EINVAL, "no run to draft from");
	if (!b->nout)
		return fail(b, NR_ENOTFOUND,
			    "no candidate term for '%s': nothing in its %llu documents is key "
			    "against the reference with --min-docs %zu and --min-freq %zu",
			    b->display, (unsigned long long)b->counts.target_docs, b->o.min_docs,
			    b->o.min_freq);
	nri_buf_init(&o, (size_t)1 << 30);
	rc = nri_buf_printf(
		&o,
		"# Draft lexicon for %s, made by `narrate lexicon build`.\n"
		"# Review it: keep the entries that name the city's own landmarks, events,\n"
		"# dishes, nicknames and slogans; delete the others (and their comments),\n"
		"# move entries between categories as needed; then `narrate lexicon check`.\n"
		"# Each entry follows a comment: its rank in its language, score (G2 x\n"
		"# (1 + near-name) / 2), keyness G2 and log-ratio against the reference,\n"
		"# frequency and documents in the target, frequency in the reference, the\n"
		"# share of its occurrences within %d tokens of the city's name, and two\n"
		"# contexts.  Categories are suggestions from the topic lexicon.\n"
		"# Target: %llu documents; reference: %llu documents.\n",
		b->display, NEAR_WINDOW, (unsigned long long)b->counts.target_docs,
		(unsigned long long)b->counts.reference_docs);
	if (!rc)
		rc = nri_buf_printf(&o, "@lexicon %s%s\n", b->o.name ? b->o.name : b->slug,
				    b->o.name ? "" : "-draft");
	if (!rc && b->o.date)
		rc = put_comment(&o, "@version ", b->o.date);
	if (!rc)
		rc = nri_buf_printf(&o, "@source drafted by narrate %s lexicon build from %s\n",
				    nr_version(), b->source);
	if (!rc)
		rc = put_comment(&o, "@description Draft lexicon for ", b->display);
	/* categories in topic-lexicon order, uncategorised last */
	if (!rc &&
	    !(cats = nri_calloc(
		      b->lex[LEX_TOPICS] ? nr_lexicon_category_count(b->lex[LEX_TOPICS]) + 1 : 1,
		      sizeof(*cats))))
		rc = NR_ENOMEM;
	if (!rc) {
		size_t nc = b->lex[LEX_TOPICS] ? nr_lexicon_category_count(b->lex[LEX_TOPICS]) : 0;

		for (size_t k = 0; k < nc; k++)
			for (size_t i = 0; i < b->nout; i++)
				if (b->out[i]->category == (int)k) {
					cats[ncat++] = (int)k;
					break;
				}
		for (size_t i = 0; i < b->nout; i++)
			if (b->out[i]->category < 0) {
				cats[ncat++] = -1;
				break;
			}
	}
	for (size_t k = 0; !rc && k < ncat; k++) {
		const char *cn = category_name(b, cats[k]);

		rc = nri_buf_printf(&o, "\n@category %s\n", cn ? cn : "uncategorised");
		for (size_t l = 0; !rc && l < b->nlangs; l++) {
			int any = 0;

			for (size_t i = 0; !rc && i < b->nout; i++) {
				const struct cand *c = b->out[i];

				if (c->category != cats[k] || c->lang != l)
					continue;
				if (!any)
					rc = nri_buf_printf(&o, "@lang %s\n", b->langs[l].tag);
				any = 1;
				if (!rc)
					rc = write_entry(&o, c);
			}
		}
	}
	for (size_t i = 0; !rc && i < b->ncities; i++) {
		const struct city_count *cc = &b->cities[i];
		const char *en, *zh;

		if (!cc->occ)
			continue;
		if (!nflag++)
			rc = nri_buf_adds(
				&o, "\n# Names of other cities in these documents: "
				    "flagged, not proposed (they are in the city lexicon).\n");
		en = nr_lexicon_entity_attr(b->lex[LEX_CITIES], (int)i, "name_en");
		zh = nr_lexicon_entity_attr(b->lex[LEX_CITIES], (int)i, "name_zh");
		if (!rc)
			rc = nri_buf_printf(&o, "# other city %s %s %s: freq %llu docs %llu, e.g. ",
					    nr_lexicon_entity_id(b->lex[LEX_CITIES], (int)i),
					    en ? en : "", zh ? zh : "", (unsigned long long)cc->occ,
					    (unsigned long long)cc->docs);
		if (!rc)
			rc = put_comment(&o, "", cc->surface);
	}
	nri_free(cats);
	if (rc) {
		nri_buf_release(&o);
		return rc;
	}
	/* load it back: a draft that `narrate lexicon check` refuses is a bug */
	rc = nr_lexicon_new(&check);
	if (!rc)
		rc = nr_lexicon_load_buffer(check, o.data, o.len, "draft");
	if (rc == NR_ENOMEM) {
		nr_lexicon_free(check);
		nri_buf_release(&o);
		return rc;
	}
	if (rc) {
		fail(b, NR_EINTERNAL, "the draft does not load (a bug): %s",
		     nr_lexicon_errmsg(check));
		nr_lexicon_free(check);
		nri_buf_release(&o);
		return NR_EINTERNAL;
	}
	nr_lexicon_free(check);
	*text = nri_buf_detach(&o, tlen);
	return *text ? NR_OK : NR_ENOMEM;
}
