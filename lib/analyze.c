/*
 * analyze.c - the pipeline of `narrate analyze`: read documents, tokenize,
 * match the lexicons, accumulate per group, merge, compute the measures.
 *
 * Threads: the calling thread reads the corpus and hands batches of copied
 * documents to worker threads through a bounded queue.  Each worker owns
 * its tokenizer, matcher and group accumulators; at the end the
 * accumulators are merged (analysis_merge.c).  Everything merged is an integer count, and
 * every floating-point result is computed after the merge, in a fixed
 * order, so the output is the same bytes whatever the thread count.  The
 * one order-dependent measure family (MATTR, MTLD: sequential) keeps, per
 * group, the first N word tokens in corpus order; each worker keeps its own
 * first N for the documents it saw, which always contains its share of the
 * global first N, and the merge takes the first N by document sequence.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "datetime.h"
#include "homogeneity.h"
#include "normalize.h"
#include "sha256.h"
#include "strmap.h"
#include "vocab.h"

#define DEFAULT_LEXDIV_TOKENS 100000
#define BATCH_DOCS	      256
#define BATCH_BYTES	      ((size_t)4 << 20)

#define PREFETCH_AHEAD 8		  /* words between a prefetch and its use */
#define DENSE_IDS      ((size_t)1 << 16)  /* ids a group's dense row covers */
#define DENSE_BUDGET   ((size_t)64 << 20) /* bytes of dense rows per worker */
/* Rejects the reader and each worker hold before they go to a temporary
 * file (lib/rejects.c): about 13 MB each at 200 bytes a reject. */
#define REJECTS_KEPT ((size_t)1 << 16)

const char *const nri_measure_names[M_COUNT] = {"documents",
						"tokens",
						"types",
						"ttr",
						"mattr",
						"mtld",
						"hdd",
						"yules_k",
						"topic_entropy",
						"frame_shannon",
						"frame_simpson",
						"frame_hill0",
						"frame_hill1",
						"frame_hill2",
						"tone_pos",
						"tone_neg",
						"tone_net",
						"distinct_share",
						"cosine_mean",
						"cosine_max",
						"jsd_topics",
						"interaction_rate",
						"engagement_per_doc",
						"dup_within",
						"dup_across",
						"cliche_rate",
						"homogeneity",
						"distinctiveness",
						"languages",
						"platforms",
						"likes",
						"shares",
						"comments",
						"views"};

static const char *const key_names[NRI_KEY_COUNT] = {"city", "platform",    "month",
						     "lang", "author_type", "media"};

static const char *const default_lex[NRI_NLEX] = {"cities", "topics", "frames", "tone"};

static void set_err(struct nr_analysis *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct nr_analysis *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->errmsg, sizeof(a->errmsg), fmt, ap);
	va_end(ap);
}

const char *nr_analysis_errmsg(const struct nr_analysis *a)
{
	return a ? a->errmsg : "";
}

/* ---- set-up --------------------------------------------------------------- */

/* NAME -> DATA_DIR/NAME.nlex; a path (has '/' or ends in .nlex) as is. */
static char *lexicon_path(const char *data_dir, const char *name)
{
	size_t n = strlen(name);
	struct nri_buf b;

	nri_buf_init(&b, 0);
	if (strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".nlex"))) {
		if (nri_buf_adds(&b, name))
			return NULL;
	} else if (nri_buf_printf(&b, "%s/%s.nlex", data_dir ? data_dir : ".", name)) {
		nri_buf_release(&b);
		return NULL;
	}
	return nri_buf_detach(&b, NULL);
}

static int parse_group_by(struct nr_analysis *a, const char *spec)
{
	const char *p = spec;

	a->nkeys = 0;
	for (int k = 0; k < NRI_KEY_COUNT; k++)
		a->keys[k] = -1;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int found = -1;

		for (int k = 0; k < NRI_KEY_COUNT; k++)
			if (strlen(key_names[k]) == len && !strncmp(p, key_names[k], len))
				found = k;
		if (found < 0 || a->nkeys >= NRI_MAX_KEYS) {
			set_err(a,
				"unknown or repeated group key '%.*s': use city, platform, month, "
				"lang, author_type or media (at most %d)",
				(int)len, p, NRI_MAX_KEYS);
			return NR_EINVAL;
		}
		for (size_t i = 0; i < a->nkeys; i++)
			if (a->keys[i] == found) {
				set_err(a, "group key '%.*s' given twice", (int)len, p);
				return NR_EINVAL;
			}
		a->keys[a->nkeys++] = found;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!a->nkeys) {
		set_err(a, "no group key given");
		return NR_EINVAL;
	}
	return NR_OK;
}

/* Casefold s into b (replacing its content); s must be valid UTF-8. */
static int fold(struct nri_buf *b, const char *s, size_t len)
{
	nri_buf_reset(b);
	if (nr_utf8_check(s, len, NULL) != NR_OK)
		return NR_EUTF8;
	return nri_casefold(b, s, len);
}

/* Build the map from a city's id and every name the city lexicon gives it
 * (case-folded) to the entity, so that a `city` field can say `330100`,
 * `Hangzhou` or `杭州`.  A name two entities share goes to the entry with
 * the higher weight, as the matcher does. */
static int build_city_index(struct nr_analysis *a)
{
	const struct nr_lexicon *lx = a->lex[NRI_LEX_CITIES];
	struct nri_buf b;
	double *best = NULL;
	size_t n, ne;
	int rc = NR_OK;

	nri_strmap_init(&a->city_names, 0);
	nri_strmap_init(&a->nostop, 0);
	if (!lx)
		return NR_OK;
	nri_buf_init(&b, 4096);
	ne = nr_lexicon_entity_count(lx);
	for (size_t i = 0; i < ne; i++) {
		const char *id = nr_lexicon_entity_id(lx, (int)i);
		struct nri_strmap_slot *s;

		if (fold(&b, id, strlen(id)) != NR_OK)
			continue;
		rc = nri_strmap_put(&a->city_names, b.data, b.len, &s, NULL);
		if (rc)
			goto out;
		s->value = i + 1;
	}
	n = nr_lexicon_entry_count(lx);
	best = nri_calloc(n ? n : 1, sizeof(*best));
	if (!best) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *term = nr_lexicon_entry_term(lx, i);
		int entity, blocking;
		double w;
		struct nri_strmap_slot *s;
		int added;
		size_t tl;

		if (nr_lexicon_entry_info(lx, i, NULL, &entity, NULL, &w, NULL, &blocking, NULL) ||
		    entity < 0 || blocking || !term)
			continue;
		tl = strlen(term);
		if (tl && term[tl - 1] == '*')
			continue; /* a wildcard is no name */
		if (fold(&b, term, tl) != NR_OK)
			continue;
		rc = nri_strmap_put(&a->city_names, b.data, b.len, &s, &added);
		if (rc)
			goto out;
		if (added || (s->value > 0 && w > best[s->value - 1] &&
			      /* ids always win over names */
			      strcmp(nr_lexicon_entity_id(lx, (int)s->value - 1), b.data))) {
			s->value = (uintptr_t)entity + 1;
			best[entity] = w > best[entity] ? w : best[entity];
		}
	}
out:
	nri_free(best);
	nri_buf_release(&b);
	return rc;
}

static char *opt_dup(struct nr_analysis *a, const char *s)
{
	char *d;

	for (size_t i = 0; i < sizeof(a->opt_strings) / sizeof(a->opt_strings[0]); i++)
		if (!a->opt_strings[i]) {
			d = nri_strndup(s, strlen(s));
			a->opt_strings[i] = d;
			return d;
		}
	return NULL;
}

int nr_analysis_new(struct nr_analysis **out, const struct nr_analysis_options *opts)
{
	struct nr_analysis *a;
	const char *names[NRI_NLEX];
	int rc;

	*out = NULL;
	a = nri_calloc(1, sizeof(*a));
	if (!a)
		return NR_ENOMEM;
	*out = a;
	if (opts)
		a->o = *opts;
	/* keep our own copies of the option strings */
	if (a->o.data_dir && !(a->o.data_dir = opt_dup(a, a->o.data_dir)))
		return NR_ENOMEM;
	if (a->o.lang && !(a->o.lang = opt_dup(a, a->o.lang)))
		return NR_ENOMEM;
	if (!a->o.lexdiv_tokens)
		a->o.lexdiv_tokens = DEFAULT_LEXDIV_TOKENS;
	rc = parse_group_by(a, a->o.group_by ? a->o.group_by : "city");
	if (rc)
		return rc;
	a->o.group_by = NULL;
	if (a->o.attribution != NR_ATTRIBUTE_ALL && a->o.attribution != NR_ATTRIBUTE_MOST) {
		set_err(a, "unknown attribution mode");
		return NR_EINVAL;
	}
	a->rejects_kept = REJECTS_KEPT;
	a->nthreads = a->o.threads;
	if (!a->nthreads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		a->nthreads = n > 0 ? (unsigned)n : 1;
	}
	if (a->nthreads > NRI_MAX_THREADS)
		a->nthreads = NRI_MAX_THREADS;

	names[NRI_LEX_CITIES] = a->o.cities;
	names[NRI_LEX_TOPICS] = a->o.topics;
	names[NRI_LEX_FRAMES] = a->o.frames;
	names[NRI_LEX_TONE] = a->o.tone;
	for (int i = 0; i < NRI_NLEX; i++) {
		const char *name = names[i] ? names[i] : default_lex[i];
		struct stat st;

		if (!*name)
			continue;
		a->lex_path[i] = lexicon_path(a->o.data_dir, name);
		if (!a->lex_path[i])
			return NR_ENOMEM;
		if (stat(a->lex_path[i], &st) != 0) {
			set_err(a, "cannot open lexicon '%s': %s", a->lex_path[i], strerror(errno));
			return NR_ENOTFOUND;
		}
		rc = nr_lexicon_new(&a->lex[i]);
		if (rc)
			return rc;
		rc = nr_lexicon_load_file(a->lex[i], a->lex_path[i]);
		if (rc) {
			set_err(a, "%s", nr_lexicon_errmsg(a->lex[i]));
			return rc;
		}
		if (nri_sha256_file(a->lex_path[i], a->lex_sha256[i]) != NR_OK) {
			set_err(a, "cannot read lexicon '%s': %s", a->lex_path[i], strerror(errno));
			return NR_EIO;
		}
		a->lex_slot[i] = a->nactive;
		a->active[a->nactive++] = a->lex[i];
	}
	rc = nri_homogeneity_setup(a);
	if (rc)
		return rc;
	a->interaction_cat = -1;
	if (a->lex[NRI_LEX_FRAMES])
		a->interaction_cat =
			nr_lexicon_category_find(a->lex[NRI_LEX_FRAMES], "frame/interaction_call");
	if (a->lex[NRI_LEX_TONE]) {
		/* a tone hit's polarity: its category's name, when it says, or
		 * the sign of its weight; worked out once, not per hit */
		size_t nc = nr_lexicon_category_count(a->lex[NRI_LEX_TONE]);

		a->tone_pol = nri_malloc(nc ? nc : 1);
		if (!a->tone_pol)
			return NR_ENOMEM;
		a->ntone_pol = nc;
		for (size_t c = 0; c < nc; c++) {
			const char *cat = nr_lexicon_category_name(a->lex[NRI_LEX_TONE], (int)c);

			a->tone_pol[c] = cat && strstr(cat, "negative")	  ? 0
					 : cat && strstr(cat, "positive") ? 1
									  : -1;
		}
	}
	return build_city_index(a);
}

/* ---- groups -------------------------------------------------------------- */

void nri_group_release(struct nri_group *g)
{
	nri_free(g->id);
	for (int k = 0; k < NRI_KEY_COUNT; k++)
		nri_free(g->keys[k]);
	nri_free(g->term_ids);
	nri_termcount_release(&g->tcount);
	nri_free(g->term_counts);
	nri_free(g->topic_docs);
	nri_free(g->frame_docs);
	nri_strmap_release(&g->langs);
	nri_strmap_release(&g->platforms);
	nri_strmap_release(&g->media);
	nri_strmap_release(&g->author_types);
	nri_free(g->capture);
	nri_free(g->segs);
	memset(g, 0, sizeof(*g));
}

size_t nri_analysis_ncat(const struct nr_analysis *a, int lex)
{
	return a->lex[lex] ? nr_lexicon_category_count(a->lex[lex]) : 0;
}

/* Find or create the worker's accumulator for group id; *keys gives the
 * key values (NULL where not a grouping key). */
int nri_group_get(struct nri_worker *w, const char *id, size_t idlen,
		  char *const keys[NRI_KEY_COUNT], int city_entity, struct nri_group **out)
{
	struct nr_analysis *a = w->a;
	struct nri_strmap_slot *s;
	struct nri_group *g;
	int added, rc;

	rc = nri_strmap_put(&w->group_index, id, idlen, &s, &added);
	if (rc)
		return rc;
	if (!added) {
		*out = &w->groups[s->value - 1];
		return NR_OK;
	}
	if (w->ngroups == w->groups_cap) {
		size_t ncap = w->groups_cap ? w->groups_cap * 2 : 16;
		struct nri_group *ng = nri_realloc(w->groups, ncap * sizeof(*ng));

		if (!ng)
			goto nomem;
		w->groups = ng;
		w->groups_cap = ncap;
	}
	g = &w->groups[w->ngroups];
	memset(g, 0, sizeof(*g));
	nri_termcount_init(&g->tcount, 0);
	nri_strmap_init(&g->langs, 0);
	nri_strmap_init(&g->platforms, 0);
	nri_strmap_init(&g->media, 0);
	nri_strmap_init(&g->author_types, 0);
	g->city_entity = city_entity;
	g->id = nri_strndup(id, idlen);
	if (!g->id)
		goto nomem_g;
	for (int k = 0; k < NRI_KEY_COUNT; k++)
		if (keys[k] && !(g->keys[k] = nri_strndup(keys[k], strlen(keys[k]))))
			goto nomem_g;
	if (nri_analysis_ncat(a, NRI_LEX_TOPICS) &&
	    !(g->topic_docs = nri_calloc(nri_analysis_ncat(a, NRI_LEX_TOPICS), sizeof(uint64_t))))
		goto nomem_g;
	if (nri_analysis_ncat(a, NRI_LEX_FRAMES) &&
	    !(g->frame_docs = nri_calloc(nri_analysis_ncat(a, NRI_LEX_FRAMES), sizeof(uint64_t))))
		goto nomem_g;
	w->ngroups++;
	s->value = w->ngroups;
	*out = g;
	return NR_OK;
nomem_g:
	nri_group_release(g);
nomem:
	/* the map has the key but no group: take it out by pointing at none */
	s->value = 0;
	return NR_ENOMEM;
}

static int count_key(struct nri_strmap *m, const char *k)
{
	struct nri_strmap_slot *s;
	int rc;

	if (!k || !*k)
		return NR_OK;
	rc = nri_strmap_put(m, k, strlen(k), &s, NULL);
	if (rc)
		return rc;
	s->value++;
	return NR_OK;
}

int nri_capture_add(struct nri_group *g, uint64_t seq, const uint32_t *ids, size_t n, size_t cap)
{
	size_t room = cap > g->ncapture ? cap - g->ncapture : 0;

	if (n > room)
		n = room;
	if (!n)
		return NR_OK;
	if (g->ncapture + n > g->capture_cap) {
		size_t ncap = g->capture_cap ? g->capture_cap : 1024;
		uint32_t *nc;

		while (ncap < g->ncapture + n)
			ncap *= 2;
		if (ncap > cap)
			ncap = cap;
		nc = nri_realloc(g->capture, ncap * sizeof(*nc));
		if (!nc)
			return NR_ENOMEM;
		g->capture = nc;
		g->capture_cap = ncap;
	}
	if (g->nsegs == g->segs_cap) {
		size_t ncap = g->segs_cap ? g->segs_cap * 2 : 64;
		struct nri_capture_seg *ns = nri_realloc(g->segs, ncap * sizeof(*ns));

		if (!ns)
			return NR_ENOMEM;
		g->segs = ns;
		g->segs_cap = ncap;
	}
	memcpy(g->capture + g->ncapture, ids, n * sizeof(*ids));
	g->segs[g->nsegs].seq = seq;
	g->segs[g->nsegs].start = g->ncapture;
	g->segs[g->nsegs].len = n;
	g->nsegs++;
	g->ncapture += n;
	return NR_OK;
}

/* Count the document's word tokens (w->wids, w->wcontent) for group g
 * (vocab.h: a dense row for the frequent words, a table for the rest). */
static int count_words(struct nri_worker *w, struct nri_group *g, size_t nwords)
{
	const struct nri_termcount *t = &g->tcount;

	/* a group's row is larger than the cache: fetch the counters of a
	 * word a few places ahead while this one is counted */
	for (size_t i = 0; i < nwords && i < PREFETCH_AHEAD; i++)
		if (w->wids[i] < t->ndense)
			__builtin_prefetch(t->dense + 2 * (size_t)w->wids[i], 1);
	for (size_t i = 0; i < nwords; i++) {
		int rc;

		if (i + PREFETCH_AHEAD < nwords && w->wids[i + PREFETCH_AHEAD] < t->ndense)
			__builtin_prefetch(t->dense + 2 * (size_t)w->wids[i + PREFETCH_AHEAD], 1);
		rc = nri_termcount_add(&g->tcount, w->wids[i], w->wcontent[i], DENSE_IDS,
				       &w->dense_budget);
		if (rc)
			return rc;
		g->content_tokens += w->wcontent[i];
	}
	return NR_OK;
}

/* ---- one document --------------------------------------------------------- */

/* A document as the reader copied it into a batch. */
struct bdoc {
	uint64_t seq;
	const char *id, *text, *source;
	size_t id_len, text_len;
	const char *city, *platform, *lang, *date, *author_type, *media;
	double likes, shares, comments, views;
	size_t repairs; /* made by the reader */
};

/* The entity a `city` field names (id or any name, case-folded), or -1. */
static int resolve_city(struct nri_worker *w, const char *city)
{
	struct nri_strmap_slot *s;
	size_t len = strlen(city);

	while (len && city[len - 1] == ' ')
		len--;
	while (len && *city == ' ') {
		city++;
		len--;
	}
	if (fold(&w->scratch, city, len) != NR_OK)
		return -1;
	s = nri_strmap_get(&w->a->city_names, w->scratch.data, w->scratch.len);
	return s && s->value ? (int)s->value - 1 : -1;
}

/* Mark a category and its ancestors once per document; returns how many
 * new marks were set (the caller counts them per group). */
static void mark_category(const struct nr_lexicon *lx, int cat, uint32_t *stamp, uint32_t epoch)
{
	while (cat >= 0) {
		if (stamp[cat] == epoch)
			return; /* ancestors already marked */
		stamp[cat] = epoch;
		cat = nr_lexicon_category_parent(lx, cat);
	}
}

static int is_question(const struct nr_token *t, const char *text)
{
	const char *s = text + t->offset;

	if (t->type != NR_TOKEN_PUNCT)
		return 0;
	return (t->length == 1 && s[0] == '?') ||
	       (t->length == 3 && !memcmp(s, "\xEF\xBC\x9F", 3)); /* U+FF1F fullwidth ? */
}

/* 1 if the UTF-8 string s[0..n) is exactly one code point. */
static int one_char(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	return n > 0 && n == len;
}

static int process_doc(struct nri_worker *w, const struct bdoc *d)
{
	struct nr_analysis *a = w->a;
	const struct nr_token *toks;
	const struct nr_match_hit *hits = NULL;
	size_t ntoks, nhits = 0, ncity_doc = 0, nwords = 0, nall;
	const char *lang = a->o.lang ? a->o.lang : d->lang;
	char reason[300];
	int rc, interaction = 0;
	uint64_t tone_pos = 0, tone_neg = 0;
	uint32_t *ids = NULL;
	char month[8];
	const char *keyval[NRI_KEY_COUNT];
	size_t ntopic = nri_analysis_ncat(a, NRI_LEX_TOPICS);
	int *city_list;
	size_t ndg = 0;

	rc = nr_tokenize(w->tok, d->text, d->text_len, lang && *lang ? lang : NULL, &toks, &ntoks);
	if (rc == NR_EUTF8) {
		snprintf(reason, sizeof(reason),
			 "invalid UTF-8 at byte %zu of the text (use --repair-utf8 to replace bad "
			 "bytes with U+FFFD)",
			 nr_tokenizer_error_offset(w->tok));
		return nri_reject_add(&w->rejects, d->seq, d->source, d->id, d->id_len, reason);
	}
	if (rc == NR_ELIMIT) {
		snprintf(reason, sizeof(reason), "text too large to tokenize: %s",
			 nr_tokenizer_errmsg(w->tok));
		return nri_reject_add(&w->rejects, d->seq, d->source, d->id, d->id_len, reason);
	}
	if (rc)
		return rc;
	if (nr_tokenizer_repairs(w->tok) || d->repairs)
		w->repaired++;
	lang = nr_tokenizer_lang(w->tok);
	if (a->nactive) {
		rc = nr_matcher_match(w->matcher, d->text, d->text_len, toks, ntoks, NULL, &hits,
				      &nhits);
		if (rc == NR_ELIMIT) {
			snprintf(reason, sizeof(reason), "too many lexicon hits in one document");
			return nri_reject_add(&w->rejects, d->seq, d->source, d->id, d->id_len,
					      reason);
		}
		if (rc)
			return rc;
	}

	/* per-document marks */
	if (++w->epoch == 0) {
		memset(w->stamp, 0, w->nstamp * sizeof(*w->stamp));
		w->epoch = 1;
	}
	if (w->in_city_cap < ntoks + 1) {
		unsigned char *n = nri_realloc(w->in_city, ntoks + 1);

		if (!n)
			return NR_ENOMEM;
		w->in_city = n;
		w->in_city_cap = ntoks + 1;
	}
	memset(w->in_city, 0, ntoks + 1);
	for (size_t h = 0; h < nhits; h++) {
		const struct nr_match_hit *hit = &hits[h];

		if (a->lex[NRI_LEX_CITIES] && hit->lexicon == a->lex_slot[NRI_LEX_CITIES]) {
			if (hit->entity >= 0 && (size_t)hit->entity < w->ncity) {
				if (w->city_hits[hit->entity]++ == 0)
					w->doc_cities[ncity_doc++] = hit->entity;
			}
			for (size_t t = hit->token; t < hit->token + hit->ntokens && t < ntoks; t++)
				w->in_city[t] = 1;
		} else if (a->lex[NRI_LEX_TOPICS] && hit->lexicon == a->lex_slot[NRI_LEX_TOPICS]) {
			mark_category(a->lex[NRI_LEX_TOPICS], hit->category, w->stamp, w->epoch);
		} else if (a->lex[NRI_LEX_FRAMES] && hit->lexicon == a->lex_slot[NRI_LEX_FRAMES]) {
			mark_category(a->lex[NRI_LEX_FRAMES], hit->category, w->stamp + ntopic,
				      w->epoch);
			if (hit->category == a->interaction_cat)
				interaction = 1;
		} else if (a->lex[NRI_LEX_TONE] && hit->lexicon == a->lex_slot[NRI_LEX_TONE]) {
			/* polarity: the category name, or the sign of the weight */
			int pos = hit->category >= 0 && (size_t)hit->category < a->ntone_pol
					  ? a->tone_pol[hit->category]
					  : -1;

			if (pos < 0)
				pos = hit->weight >= 0;

			if (hit->negated)
				pos = !pos;
			if (pos)
				tone_pos++;
			else
				tone_neg++;
		}
	}

	/* word tokens: interned once (vocabulary id, and the hash MATTR/MTLD
	 * work on), with whether each counts as content */
	if (w->words_cap < ntoks) {
		size_t ncap = ntoks < 256 ? 256 : ntoks;
		uint32_t *ni = nri_realloc(w->ids, ncap * sizeof(*ni)), *nw;
		unsigned char *nc;
		uint64_t *nh;

		if (!ni)
			return NR_ENOMEM;
		w->ids = ni;
		nw = nri_realloc(w->wids, ncap * sizeof(*nw));
		if (!nw)
			return NR_ENOMEM;
		w->wids = nw;
		nc = nri_realloc(w->wcontent, ncap);
		if (!nc)
			return NR_ENOMEM;
		w->wcontent = nc;
		nh = nri_realloc(w->hashes, ncap * sizeof(*nh));
		if (!nh)
			return NR_ENOMEM;
		w->hashes = nh;
		w->words_cap = ncap;
	}
	ids = w->ids;
	/* hash every word first, then intern each while the vocabulary slot of
	 * a word a few places ahead is being fetched: the cache misses of a
	 * large vocabulary overlap instead of following one another */
	for (size_t t = 0; t < ntoks; t++) {
		uint64_t h;

		if (toks[t].type != NR_TOKEN_WORD)
			continue;
		h = toks[t].hash; /* nri_hash of the norm, from the tokenizer */
		w->hashes[nwords] = h;
		ids[nwords++] = (uint32_t)h;
	}
	nall = nwords;
	for (size_t i = 0; i < nall && i < PREFETCH_AHEAD; i++)
		nri_vocab_prefetch(&w->vocab, w->hashes[i]);
	nwords = 0;
	for (size_t t = 0; t < ntoks; t++) {
		if (is_question(&toks[t], d->text))
			interaction = 1;
		if (toks[t].type != NR_TOKEN_WORD)
			continue;
		if (nwords + PREFETCH_AHEAD < nall)
			nri_vocab_prefetch(&w->vocab, w->hashes[nwords + PREFETCH_AHEAD]);
		rc = nri_vocab_intern_hashed(&w->vocab, toks[t].norm, toks[t].norm_len,
					     w->hashes[nwords], &w->wids[nwords]);
		if (rc)
			return rc;
		/* a lone Han or kana character is mostly what the dictionary
		 * segmenter left over (洪/崖/洞), not a term: not content
		 * (docs/measures.md) */
		w->wcontent[nwords] = !toks[t].stop && !w->in_city[t] &&
				      !(toks[t].cjk && one_char(toks[t].norm, toks[t].norm_len));
		nwords++;
	}
	if (d->text_len && d->text[0] == '@')
		interaction = 1; /* a reply */

	/* which groups */
	city_list = w->doc_cities;
	if (a->o.attribution == NR_ATTRIBUTE_MOST && ncity_doc > 1) {
		int best = w->doc_cities[0];

		for (size_t i = 1; i < ncity_doc; i++)
			if (w->city_hits[w->doc_cities[i]] > w->city_hits[best])
				best = w->doc_cities[i];
		w->doc_cities[0] = best;
		ncity_doc = 1;
	}
	keyval[NRI_KEY_PLATFORM] = d->platform && *d->platform ? d->platform : "(none)";
	if (d->date && *d->date && nri_month_of(d->date, strlen(d->date), month)) {
		keyval[NRI_KEY_MONTH] = month;
	} else {
		keyval[NRI_KEY_MONTH] = "(none)";
		w->dates_unread += d->date && *d->date;
	}
	keyval[NRI_KEY_LANG] = lang && *lang ? lang : "und";
	keyval[NRI_KEY_AUTHOR_TYPE] = d->author_type && *d->author_type ? d->author_type : "(none)";
	keyval[NRI_KEY_MEDIA] = d->media && *d->media ? d->media : "(none)";

	{
		int uses_city = 0, given = -1;
		size_t ncities, attributed = 0;
		const char *given_name = NULL;

		for (size_t k = 0; k < a->nkeys; k++)
			uses_city |= a->keys[k] == NRI_KEY_CITY;
		if (uses_city && d->city && *d->city) {
			given = resolve_city(w, d->city);
			if (given < 0)
				given_name = d->city;
			ncities = 1;
		} else {
			ncities = uses_city ? ncity_doc : 1;
		}
		for (size_t ci = 0; ci < ncities; ci++) {
			int entity = -1;
			char *keys[NRI_KEY_COUNT] = {0};
			struct nri_group *g;

			if (uses_city) {
				if (given >= 0 || given_name)
					entity = given;
				else
					entity = city_list[ci];
				keyval[NRI_KEY_CITY] =
					entity >= 0 ? nr_lexicon_entity_id(a->lex[NRI_LEX_CITIES],
									   entity)
						    : given_name;
			}
			nri_buf_reset(&w->scratch);
			for (size_t k = 0; k < a->nkeys; k++) {
				if (k && (rc = nri_buf_addc(&w->scratch, '|')))
					goto out;
				if ((rc = nri_buf_adds(&w->scratch, keyval[a->keys[k]])))
					goto out;
				keys[a->keys[k]] = (char *)keyval[a->keys[k]];
			}
			rc = nri_group_get(w, w->scratch.data, w->scratch.len, keys, entity, &g);
			if (rc)
				goto out;
			w->doc_groups[ndg++] = (uint32_t)(g - w->groups);
			attributed++;
			g->docs++;
			g->tokens += nwords;
			g->tone_pos += tone_pos;
			g->tone_neg += tone_neg;
			g->interaction_docs += interaction;
			if (d->likes > 0)
				g->likes += (uint64_t)llround(d->likes);
			if (d->shares > 0)
				g->shares += (uint64_t)llround(d->shares);
			if (d->comments > 0)
				g->comments += (uint64_t)llround(d->comments);
			if (d->views > 0)
				g->views += (uint64_t)llround(d->views);
			if ((rc = count_key(&g->langs, keyval[NRI_KEY_LANG])) ||
			    (rc = count_key(&g->platforms, d->platform)) ||
			    (rc = count_key(&g->media, d->media)) ||
			    (rc = count_key(&g->author_types, d->author_type)))
				goto out;
			for (size_t c = 0; c < ntopic; c++)
				g->topic_docs[c] += w->stamp[c] == w->epoch;
			for (size_t c = 0; c < nri_analysis_ncat(a, NRI_LEX_FRAMES); c++)
				g->frame_docs[c] += w->stamp[ntopic + c] == w->epoch;
			rc = count_words(w, g, nwords);
			if (rc)
				goto out;
			rc = nri_capture_add(g, d->seq, ids, nwords, a->o.lexdiv_tokens);
			if (rc)
				goto out;
		}
		rc = nri_homogeneity_doc(w, d->seq, toks, ntoks, ndg, d->id, d->id_len, d->text,
					 d->text_len);
		if (rc)
			goto out;
		if (attributed)
			w->analysed++;
		else {
			w->analysed++;
			w->unattributed++;
		}
		if (!nr_tokenizer_has_stopwords(w->tok) &&
		    (rc = count_key(&w->nostop, lang && *lang ? lang : "und")))
			goto out;
		w->bytes += d->text_len;
	}
	rc = NR_OK;
out:
	/* clear the city hit counts we set */
	for (size_t h = 0; h < nhits; h++) {
		const struct nr_match_hit *hit = &hits[h];

		if (a->lex[NRI_LEX_CITIES] && hit->lexicon == a->lex_slot[NRI_LEX_CITIES] &&
		    hit->entity >= 0 && (size_t)hit->entity < w->ncity)
			w->city_hits[hit->entity] = 0;
	}
	return rc;
}

/* ---- workers and the queue ------------------------------------------------ */

struct batch {
	struct bdoc docs[BATCH_DOCS];
	size_t n;
	struct nri_buf arena;
	struct batch *next;
};

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct batch *head, *tail;
	size_t len, cap;
	int closed;
	int failed; /* a worker failed: stop feeding */
};

static int worker_init(struct nri_worker *w, struct nr_analysis *a)
{
	struct nr_tokenizer_options to = {0};
	int rc;

	memset(w, 0, sizeof(*w));
	w->a = a;
	nri_strmap_init(&w->group_index, 0);
	nri_strmap_init(&w->nostop, 0);
	nri_buf_init(&w->scratch, 1 << 20);
	nri_vocab_init(&w->vocab, 0);
	w->dense_budget = DENSE_BUDGET;
	to.data_dir = a->o.data_dir;
	to.flags = (a->o.flags & NR_ANALYZE_REPAIR_UTF8) ? NR_TOKENIZE_REPAIR_UTF8 : 0;
	/* terms, matching and shingles all work on the normalised form: no
	 * measure reads a stem, so the stemmer need not run */
	to.flags |= NR_TOKENIZE_NO_STEM;
	to.max_input = a->o.max_doc_bytes;
	rc = nr_tokenizer_new(&w->tok, &to);
	if (rc)
		return rc;
	if (a->nactive) {
		rc = nr_matcher_new(&w->matcher, a->active, a->nactive);
		if (rc)
			return rc;
	}
	w->nstamp = nri_analysis_ncat(a, NRI_LEX_TOPICS) + nri_analysis_ncat(a, NRI_LEX_FRAMES);
	w->stamp = nri_calloc(w->nstamp ? w->nstamp : 1, sizeof(*w->stamp));
	w->ncity = a->lex[NRI_LEX_CITIES] ? nr_lexicon_entity_count(a->lex[NRI_LEX_CITIES]) : 0;
	w->city_hits = nri_calloc(w->ncity ? w->ncity : 1, sizeof(*w->city_hits));
	w->doc_cities = nri_calloc(w->ncity ? w->ncity : 1, sizeof(*w->doc_cities));
	if (!w->stamp || !w->city_hits || !w->doc_cities)
		return NR_ENOMEM;
	return nri_homogeneity_worker_init(w);
}

static void worker_release(struct nri_worker *w)
{
	nr_tokenizer_free(w->tok);
	nr_matcher_free(w->matcher);
	nri_strmap_release(&w->group_index);
	nri_strmap_release(&w->nostop);
	for (size_t i = 0; i < w->ngroups; i++)
		nri_group_release(&w->groups[i]);
	nri_free(w->groups);
	nri_reject_list_release(&w->rejects);
	nri_free(w->stamp);
	nri_free(w->city_hits);
	nri_free(w->doc_cities);
	nri_free(w->in_city);
	nri_buf_release(&w->scratch);
	nri_vocab_release(&w->vocab);
	nri_free(w->term_map);
	nri_free(w->ids);
	nri_free(w->wids);
	nri_free(w->wcontent);
	nri_free(w->hashes);
	nri_homogeneity_worker_release(w);
	memset(w, 0, sizeof(*w));
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	nri_buf_release(&b->arena);
	nri_free(b);
}

static void *worker_loop(void *arg)
{
	struct nri_worker *w = arg;
	struct queue *q = w->a->queue;

	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&q->mu);
		while (!q->head && !q->closed)
			pthread_cond_wait(&q->not_empty, &q->mu);
		b = q->head;
		if (b) {
			q->head = b->next;
			if (!q->head)
				q->tail = NULL;
			q->len--;
			pthread_cond_signal(&q->not_full);
		}
		pthread_mutex_unlock(&q->mu);
		if (!b)
			break;
		for (size_t i = 0; i < b->n && !w->rc; i++)
			w->rc = process_doc(w, &b->docs[i]);
		batch_free(b);
		if (w->rc) {
			pthread_mutex_lock(&q->mu);
			q->failed = 1;
			pthread_cond_broadcast(&q->not_full);
			pthread_mutex_unlock(&q->mu);
			/* keep draining so the reader is never stuck */
		}
	}
	return NULL;
}

/* Copy a document into the batch's arena (pointers fixed up later, when
 * the arena stops moving). */
struct bdoc_off {
	size_t id, text, source, city, platform, lang, date, author_type, media;
	int has[9];
};

static int arena_add(struct nri_buf *ar, const char *s, size_t len, size_t *off)
{
	*off = ar->len;
	if (nri_buf_add(ar, s, len))
		return NR_ENOMEM;
	return nri_buf_addc(ar, '\0');
}

static int batch_add(struct batch *b, struct bdoc_off *offs, uint64_t seq, const struct nr_doc *d)
{
	struct bdoc *bd = &b->docs[b->n];
	struct bdoc_off *o = &offs[b->n];
	const char *strs[9] = {d->id,	d->text, d->source,	 d->city, d->platform,
			       d->lang, d->date, d->author_type, d->media};
	size_t lens[9];
	size_t *dst[9] = {&o->id,   &o->text, &o->source,      &o->city, &o->platform,
			  &o->lang, &o->date, &o->author_type, &o->media};

	lens[0] = d->id_len;
	lens[1] = d->text_len;
	for (int i = 2; i < 9; i++)
		lens[i] = strs[i] ? strlen(strs[i]) : 0;
	for (int i = 0; i < 9; i++) {
		o->has[i] = strs[i] != NULL;
		if (strs[i] && arena_add(&b->arena, strs[i], lens[i], dst[i]))
			return NR_ENOMEM;
	}
	memset(bd, 0, sizeof(*bd));
	bd->seq = seq;
	bd->id_len = d->id_len;
	bd->text_len = d->text_len;
	bd->likes = d->likes;
	bd->shares = d->shares;
	bd->comments = d->comments;
	bd->views = d->views;
	bd->repairs = d->repairs;
	b->n++;
	return NR_OK;
}

static void batch_fix(struct batch *b, const struct bdoc_off *offs)
{
	for (size_t i = 0; i < b->n; i++) {
		struct bdoc *bd = &b->docs[i];
		const struct bdoc_off *o = &offs[i];
		const char *base = b->arena.data;

		bd->id = o->has[0] ? base + o->id : NULL;
		bd->text = o->has[1] ? base + o->text : "";
		bd->source = o->has[2] ? base + o->source : "";
		bd->city = o->has[3] ? base + o->city : NULL;
		bd->platform = o->has[4] ? base + o->platform : NULL;
		bd->lang = o->has[5] ? base + o->lang : NULL;
		bd->date = o->has[6] ? base + o->date : NULL;
		bd->author_type = o->has[7] ? base + o->author_type : NULL;
		bd->media = o->has[8] ? base + o->media : NULL;
	}
}

static struct batch *batch_new(size_t limit)
{
	struct batch *b = nri_calloc(1, sizeof(*b));

	if (b)
		nri_buf_init(&b->arena, limit);
	return b;
}

/* Hand a full batch to the workers (or process it here with one thread). */
static int submit(struct nr_analysis *a, struct queue *q, struct batch *b)
{
	int rc = NR_OK;

	if (a->nthreads == 1) {
		struct nri_worker *w = &a->workers[0];

		for (size_t i = 0; i < b->n && !rc; i++)
			rc = process_doc(w, &b->docs[i]);
		batch_free(b);
		return rc;
	}
	pthread_mutex_lock(&q->mu);
	while (q->len >= q->cap && !q->failed)
		pthread_cond_wait(&q->not_full, &q->mu);
	if (q->failed) {
		pthread_mutex_unlock(&q->mu);
		batch_free(b);
		return NR_EINTERNAL;
	}
	b->next = NULL;
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
	return NR_OK;
}

void nr_analysis_cancel(struct nr_analysis *a)
{
	if (a)
		a->cancelled = 1;
}

int nr_analysis_run(struct nr_analysis *a, struct nr_corpus *corpus,
		    void (*on_event)(void *ctx, const struct nr_analysis_event *ev), void *ctx)
{
	struct queue q;
	struct batch *b = NULL;
	struct bdoc_off *offs = NULL;
	unsigned started = 0;
	int rc = NR_OK, ev;
	const struct nr_doc *d;
	uint64_t bytes_read = 0;
	struct nr_analysis_event e;

	if (a->ran) {
		set_err(a, "an analysis handle runs once");
		return NR_EINVAL;
	}
	a->ran = 1;
	a->workers = nri_calloc(a->nthreads, sizeof(*a->workers));
	offs = nri_calloc(BATCH_DOCS, sizeof(*offs));
	if (!a->workers || !offs) {
		nri_free(offs);
		return NR_ENOMEM;
	}
	for (unsigned i = 0; i < a->nthreads; i++) {
		rc = worker_init(&a->workers[i], a);
		if (rc) {
			set_err(a, "cannot set up a worker: %s", nr_strerror(rc));
			goto out_noq;
		}
		a->workers[i].rejects.keep = a->rejects_kept;
	}
	a->reader_rejects.keep = a->rejects_kept;
	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.not_empty, NULL);
	pthread_cond_init(&q.not_full, NULL);
	q.cap = 2 * (size_t)a->nthreads;
	a->queue = &q;
	if (a->nthreads > 1) {
		for (; started < a->nthreads; started++)
			if (pthread_create(&a->workers[started].thread, NULL, worker_loop,
					   &a->workers[started])) {
				set_err(a, "cannot start a worker thread");
				rc = NR_EINTERNAL;
				break;
			}
	}

	while (rc == NR_OK) {
		if (a->cancelled) {
			set_err(a, "cancelled");
			rc = NR_EINVAL;
			break;
		}
		ev = nr_corpus_next(corpus, &d);
		if (ev < 0) {
			set_err(a, "reading the corpus failed: %s", nr_strerror(ev));
			rc = ev;
			break;
		}
		if (ev == NR_CORPUS_END)
			break;
		memset(&e, 0, sizeof(e));
		if (ev == NR_CORPUS_SKIP) {
			a->skipped_files++;
			rc = nri_reject_add(&a->skipped, a->skipped_files,
					    nr_corpus_reject_source(corpus), NULL, 0,
					    nr_corpus_reject_reason(corpus));
			if (rc)
				break;
			e.kind = NR_EVENT_SKIP;
			e.source = nr_corpus_reject_source(corpus);
			e.reason = nr_corpus_reject_reason(corpus);
			if (on_event)
				on_event(ctx, &e);
			continue;
		}
		a->read++;
		if (ev == NR_CORPUS_REJECT) {
			const char *id = nr_corpus_reject_id(corpus);

			rc = nri_reject_add(&a->reader_rejects, a->seq++,
					    nr_corpus_reject_source(corpus), id,
					    id ? strlen(id) : 0, nr_corpus_reject_reason(corpus));
			if (rc) {
				set_err(a, "cannot keep a rejected document's line: %s%s",
					nr_strerror(rc),
					rc == NR_EIO ? " (writing rejects to a temporary file)"
						     : "");
				break;
			}
			e.kind = NR_EVENT_REJECT;
			e.source = nr_corpus_reject_source(corpus);
			e.id = id;
			e.reason = nr_corpus_reject_reason(corpus);
			if (on_event)
				on_event(ctx, &e);
			continue;
		}
		bytes_read += d->text_len;
		if (!b && !(b = batch_new(BATCH_BYTES + d->text_len + d->id_len + 65536))) {
			rc = NR_ENOMEM;
			break;
		}
		rc = batch_add(b, offs, a->seq++, d);
		if (rc)
			break;
		if (b->n == BATCH_DOCS || b->arena.len >= BATCH_BYTES) {
			batch_fix(b, offs);
			rc = submit(a, &q, b);
			b = NULL;
		}
		if (on_event && (a->read & 1023) == 0) {
			e.kind = NR_EVENT_PROGRESS;
			e.docs_read = a->read;
			e.bytes_read = bytes_read;
			on_event(ctx, &e);
		}
	}
	if (b && rc == NR_OK) {
		batch_fix(b, offs);
		rc = submit(a, &q, b);
		b = NULL;
	}
	batch_free(b);
	pthread_mutex_lock(&q.mu);
	q.closed = 1;
	pthread_cond_broadcast(&q.not_empty);
	pthread_mutex_unlock(&q.mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(a->workers[i].thread, NULL);
	/* anything still queued after a failure */
	while (q.head) {
		struct batch *n = q.head->next;

		batch_free(q.head);
		q.head = n;
	}
	for (unsigned i = 0; i < a->nthreads; i++)
		if (a->workers[i].rc && (rc == NR_OK || rc == NR_EINTERNAL)) {
			rc = a->workers[i].rc;
			set_err(a, "analysing a document failed: %s", nr_strerror(rc));
		}
	a->queue = NULL;
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.not_empty);
	pthread_cond_destroy(&q.not_full);
out_noq:
	nri_free(offs);
	if (rc == NR_OK) {
		if (on_event) {
			memset(&e, 0, sizeof(e));
			e.kind = NR_EVENT_PROGRESS;
			e.docs_read = a->read;
			e.bytes_read = bytes_read;
			on_event(ctx, &e);
		}
		rc = nri_analysis_merge(a);
	}
	return rc;
}

/* ---- results ----------------------------------------------------------------- */

void nr_analysis_get_counts(const struct nr_analysis *a, struct nr_analysis_counts *out)
{
	*out = a->counts;
}

const char *nr_analysis_nostop_lang(const struct nr_analysis *a, size_t i, uint64_t *docs)
{
	const struct nri_strmap_slot *s;

	if (!a || !a->nostop_keys || i >= a->nostop.count)
		return NULL;
	s = nri_strmap_get(&a->nostop, a->nostop_keys[i], strlen(a->nostop_keys[i]));
	if (docs)
		*docs = s ? s->value : 0;
	return a->nostop_keys[i];
}

const char *nr_analysis_group_id(const struct nr_analysis *a, size_t i)
{
	return i < a->ngroups ? a->groups[i].id : NULL;
}

const char *nr_analysis_group_name(const struct nr_analysis *a, size_t i)
{
	return i < a->ngroups && a->results ? a->results[i].name : NULL;
}

double nr_analysis_group_measure(const struct nr_analysis *a, size_t i, const char *name)
{
	if (i >= a->ngroups || !a->results)
		return NAN;
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(nri_measure_names[m], name))
			return a->results[i].m[m];
	return NAN;
}

const char *nr_analysis_group_tag(const struct nr_analysis *a, size_t i, size_t k, size_t *len)
{
	if (i >= a->ngroups || !a->results || k >= a->results[i].nkey)
		return NULL;
	if (len)
		*len = a->results[i].key_len[k];
	return a->results[i].key_s[k];
}

int nr_analysis_write(struct nr_analysis *a, const char *outdir, const char *command)
{
	if (!a->results && a->ngroups) {
		set_err(a, "nothing to write: the analysis has not run");
		return NR_EINVAL;
	}
	return nri_analysis_write_files(a, outdir, command);
}

void nr_analysis_free(struct nr_analysis *a)
{
	if (!a)
		return;
	if (a->workers) {
		for (unsigned i = 0; i < a->nthreads; i++)
			worker_release(&a->workers[i]);
		nri_free(a->workers);
	}
	for (size_t i = 0; i < a->ngroups; i++)
		nri_group_release(&a->groups[i]);
	nri_free(a->groups);
	if (a->results) {
		for (size_t i = 0; i < a->ngroups; i++) {
			nri_free(a->results[i].name);
			nri_free(a->results[i].name_zh);
			nri_free(a->results[i].key_terms);
			nri_free(a->results[i].key_g2);
			nri_free(a->results[i].key_lr);
			nri_free(a->results[i].key_other);
			nri_free(a->results[i].key_s);
			nri_free(a->results[i].key_len);
		}
		nri_free(a->results);
	}
	nri_free(a->cosine);
	nri_free(a->tone_pol);
	nri_vocab_release(&a->terms);
	nri_free(a->term_order);
	nri_homogeneity_release(a);
	nri_reject_list_release(&a->reader_rejects);
	nri_reject_list_release(&a->skipped);
	for (int i = 0; i < NRI_NLEX; i++) {
		nr_lexicon_free(a->lex[i]);
		nri_free(a->lex_path[i]);
	}
	nri_strmap_release(&a->city_names);
	nri_strmap_release(&a->nostop);
	nri_free(a->nostop_keys);
	for (size_t i = 0; i < sizeof(a->opt_strings) / sizeof(a->opt_strings[0]); i++)
		nri_free(a->opt_strings[i]);
	nri_free(a);
}

void nri_analysis_set_rejects_kept(struct nr_analysis *a, size_t n)
{
	a->rejects_kept = n;
}
