/*
 * narrate.h - the public interface of libnarrate.
 *
 * narrate measures how cities are talked about: it tokenizes multilingual
 * text, matches lexicons and computes per-city measures.  This header is the
 * only one a program using the library includes; no ICU, utf8proc, PCRE2 or
 * Snowball type appears in it.
 *
 * Conventions (see docs/api.md):
 *  - Functions return an enum nr_err: NR_OK (0) or a negative code.
 *  - Text travels as (const char *s, size_t len); no NUL terminator needed.
 *  - Every result says who owns it: "borrowed" (valid until the next call on
 *    the same handle), "caller-owned" (free it with the named function), or
 *    written to the caller's buffer.
 *  - nr_X_free(NULL) is a no-op.
 *  - The library never prints and never exits.
 */
#ifndef NARRATE_H
#define NARRATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------ */

/* New codes are only ever appended. */
enum nr_err {
	NR_OK = 0,
	NR_ENOMEM = -1,	      /* an allocation failed */
	NR_EINVAL = -2,	      /* a bad argument or option */
	NR_EUTF8 = -3,	      /* input is not valid UTF-8 */
	NR_EPARSE = -4,	      /* a file or value could not be parsed */
	NR_EIO = -5,	      /* reading or writing failed */
	NR_ELIMIT = -6,	      /* a size limit was reached */
	NR_ENOTFOUND = -7,    /* a named thing (language, file, id) does not exist */
	NR_EUNSUPPORTED = -8, /* valid, but not supported (e.g. no stemmer) */
	NR_EINTERNAL = -9     /* a library below narrate failed unexpectedly */
};

/* Static, lower-case text for an error code; never NULL. */
const char *nr_strerror(int err);

/* The library version, "MAJOR.MINOR.PATCH"; static. */
const char *nr_version(void);

/* Free memory the library returned as caller-owned where no more specific
 * free function is named.  NULL is a no-op. */
void nr_free(void *p);

/* ---- UTF-8 ------------------------------------------------------------- */

/* Check that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF).  NUL bytes are valid UTF-8 and accepted here.
 * Returns NR_OK, or NR_EUTF8 with *bad_offset (if not NULL) set to the byte
 * offset of the first byte of the first ill-formed sequence. */
int nr_utf8_check(const char *s, size_t len, size_t *bad_offset);

/* Copy s[0..len) to a caller-owned buffer (free with nr_free) in which each
 * maximal ill-formed subpart is replaced by U+FFFD, as Unicode's "substitution
 * of maximal subparts" practice (Unicode 15, section 3.9) says.  *out_len gets
 * the new length and *repairs (if not NULL) the number of U+FFFD inserted.
 * Returns NR_OK, NR_ENOMEM or NR_ELIMIT (output would exceed SIZE_MAX/2). */
int nr_utf8_repair(const char *s, size_t len, char **out, size_t *out_len, size_t *repairs);

/* ---- normalisation ----------------------------------------------------- */

enum nr_norm_form {
	NR_NFC = 0,
	NR_NFD = 1,
	NR_NFKC = 2,
	NR_NFKD = 3,
	NR_NFKC_CASEFOLD = 4 /* NFKC + full case folding: what narrate matches on */
};

/* Normalise valid UTF-8 s[0..len) into a caller-owned buffer (nr_free).
 * If offsets is not NULL, *offsets gets a caller-owned array (nr_free) of
 * *out_len + 1 entries: offsets[i] is the byte offset in s of the input
 * character that produced output byte i (offsets[*out_len] == len), so any
 * output span maps back to the original bytes.
 * Returns NR_OK, NR_EUTF8 (input not valid UTF-8), NR_EINVAL, NR_ENOMEM. */
int nr_normalize(const char *s, size_t len, enum nr_norm_form form, char **out, size_t *out_len,
		 size_t **offsets);

/* ---- language identification ------------------------------------------ */

/* Guess the language of s[0..len) and write a NUL-terminated code (ISO 639-1
 * where one exists: "en", "zh", "ja", "ko", "ru", "ar", "fr", ...) into
 * lang[0..size).  Writes "und" when the text gives no basis for a guess.
 * *confidence (if not NULL) gets a value in [0, 1].  Thread-safe.  See
 * docs/langid.md for the method.  Returns NR_OK, NR_EINVAL (size < 8). */
int nr_langid(const char *s, size_t len, char *lang, size_t size, double *confidence);

/* ---- tokenizer ---------------------------------------------------------- */

enum nr_token_type {
	NR_TOKEN_WORD = 0,
	NR_TOKEN_NUMBER = 1,
	NR_TOKEN_URL = 2,
	NR_TOKEN_EMAIL = 3,
	NR_TOKEN_MENTION = 4,
	NR_TOKEN_HASHTAG = 5,
	NR_TOKEN_EMOJI = 6,
	NR_TOKEN_PUNCT = 7
};

/* "word", "number", "url", "email", "mention", "hashtag", "emoji", "punct";
 * static; "?" for an unknown value. */
const char *nr_token_type_name(enum nr_token_type type);

/* One token.  offset/length are bytes of the ORIGINAL input given to
 * nr_tokenize (even when it was repaired).  norm and stem are borrowed:
 * valid until the next nr_tokenize or nr_tokenizer_free on the handle. */
struct nr_token {
	size_t offset;
	size_t length;
	const char *norm; /* NFKC + case folded form, not NUL-terminated */
	size_t norm_len;
	const char *stem; /* stem of norm in the document language; == norm
			     when there is no stemmer or the token is no word */
	size_t stem_len;
	enum nr_token_type type;
	unsigned char stop; /* 1 if norm is on the language's stopword list */
	unsigned char cjk;  /* 1 if the token is in a script written without
			       spaces (Han, Hiragana, Katakana, Thai, ...) */
	uint64_t hash;	    /* a 64-bit hash of norm[0..norm_len), never 0: equal
			       norms have equal hashes (within one build of the
			       library), so a caller can key tables by it instead
			       of hashing the bytes again */
};

/* Options for nr_tokenizer_new; zero-initialise, then set what you need. */
struct nr_tokenizer_options {
	const char *data_dir; /* folder holding stopwords/; NULL: no stopwords */
	unsigned flags;	      /* NR_TOKENIZE_* below */
	size_t max_input;     /* bytes one nr_tokenize accepts; 0: 256 MiB */
};

#define NR_TOKENIZE_REPAIR_UTF8 0x1u /* repair bad UTF-8 instead of failing */
#define NR_TOKENIZE_NO_STEM	0x2u /* leave stem == norm */
#define NR_TOKENIZE_NO_PUNCT	0x4u /* drop punctuation tokens */
#define NR_TOKENIZE_NO_ICU_FAST                                                                    \
	0x8u /* never use the ASCII fast path (for                                                 \
		the differential test) */

struct nr_tokenizer;

/* Create a tokenizer.  opts may be NULL for defaults.  *out gets a handle to
 * free with nr_tokenizer_free.  A tokenizer is not thread-safe: use one per
 * thread.  Stopword lists and stemmers are loaded on first use of each
 * language, by nr_tokenize.  Returns NR_OK, NR_EINVAL, NR_ENOMEM,
 * NR_EINTERNAL (ICU could not open its word break rules). */
int nr_tokenizer_new(struct nr_tokenizer **out, const struct nr_tokenizer_options *opts);
void nr_tokenizer_free(struct nr_tokenizer *tok);

/* Tokenize s[0..len).  lang is a language code, or NULL/"" to identify the
 * language (nr_langid).  *tokens gets a borrowed array of *ntokens tokens in
 * input order (never NULL on success, even when *ntokens is 0).  Rules in
 * docs/tokenize.md.  Returns NR_OK; NR_EUTF8 (invalid input without the
 * repair flag: nr_tokenizer_error_offset gives the byte), NR_ELIMIT (len
 * over max_input), NR_EIO/NR_EPARSE (the language's stopword list cannot be
 * read), NR_EINVAL, NR_ENOMEM, NR_EINTERNAL.  On error *tokens is NULL and
 * *ntokens 0, nr_tokenizer_errmsg says why, and the handle stays usable. */
int nr_tokenize(struct nr_tokenizer *tok, const char *s, size_t len, const char *lang,
		const struct nr_token **tokens, size_t *ntokens);

/* After nr_tokenize: the language used (given or identified), borrowed. */
const char *nr_tokenizer_lang(const struct nr_tokenizer *tok);
/* After nr_tokenize: 1 if that language has a stopword list in the data
 * folder (so the tokens' stop flags mean something), else 0. */
int nr_tokenizer_has_stopwords(const struct nr_tokenizer *tok);
/* After nr_tokenize: how many U+FFFD the repair flag inserted. */
size_t nr_tokenizer_repairs(const struct nr_tokenizer *tok);
/* After a failed call: a message (borrowed, "" if none) and, for NR_EUTF8,
 * the byte offset of the first bad byte. */
const char *nr_tokenizer_errmsg(const struct nr_tokenizer *tok);
size_t nr_tokenizer_error_offset(const struct nr_tokenizer *tok);

/* ---- stemming and stopwords (also usable alone) ------------------------ */

struct nr_stemmer;

/* A caching stemmer for lang ("en", "english", "fr", ...).  Returns NR_OK,
 * NR_ENOTFOUND (no Snowball algorithm for lang), NR_ENOMEM. */
int nr_stemmer_new(struct nr_stemmer **out, const char *lang);
void nr_stemmer_free(struct nr_stemmer *st);
/* Stem the case-folded word w[0..len).  *stem is borrowed from the stemmer's
 * cache: valid until nr_stemmer_free.  Returns NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nr_stemmer_stem(struct nr_stemmer *st, const char *w, size_t len, const char **stem,
		    size_t *stem_len);

/* The Snowball algorithm names libstemmer ships, NULL-terminated; static. */
const char *const *nr_stemmer_algorithms(void);

/* ---- corpus reading ----------------------------------------------------- */

/* One document.  Every pointer is borrowed: valid until the next
 * nr_corpus_next or nr_corpus_free.  String metadata are NUL-terminated and
 * NULL when absent; counts are -1 when absent.  See docs/corpus.md. */
struct nr_doc {
	const char *id;
	size_t id_len;
	const char *text; /* may hold NUL bytes; not checked for UTF-8 */
	size_t text_len;
	const char *city;
	const char *platform;
	const char *lang;
	const char *date;
	const char *author_type;
	const char *media;
	const char *url;
	const char *title;
	double likes, shares, comments, views;
	const char *source; /* "path:line" (CSV: the line the row starts on;
			       TXT/MD: the path) */
	size_t repairs;	    /* U+FFFD the reader inserted (JSONL with
			       NR_CORPUS_REPAIR_UTF8), else 0 */
};

/* Options for nr_corpus_new; zero-initialise. */
struct nr_corpus_options {
	/* Field-name map for other people's exports: "ours=theirs" strings,
	 * NULL-terminated array, e.g. {"text=content", "id=post_id", NULL}. */
	const char *const *field_map;
	/* Fields taken from the directory levels of a .txt/.md file below a
	 * folder given as input, outermost first, comma-separated; e.g. "city"
	 * or "city,platform".  NULL: none. */
	const char *path_fields;
	size_t max_doc_bytes; /* a larger document is rejected; 0: 64 MiB */
	unsigned flags;	      /* NR_CORPUS_* */
	/* The format of every file named to nr_corpus_add_path, whatever its
	 * name: "jsonl", "ndjson", "csv", "tsv", "txt" or "md" (gzip or not,
	 * told by content).  Needed for "-" (standard input); files found in
	 * folders still go by their extensions.  NULL: by extension.  An
	 * unknown name makes nr_corpus_new return NR_EINVAL. */
	const char *format;
};

/* JSON cannot carry invalid UTF-8: with this flag a JSONL line that is not
 * valid UTF-8 is repaired (U+FFFD, counted in nr_doc.repairs) before it is
 * parsed; without it the line is rejected with the byte offset. */
#define NR_CORPUS_REPAIR_UTF8 0x1u

enum nr_corpus_event {
	NR_CORPUS_END = 0,    /* no more input */
	NR_CORPUS_DOC = 1,    /* *doc is a document */
	NR_CORPUS_REJECT = 2, /* a document (or a file's rest) that cannot be
				 read: see nr_corpus_reject_* */
	NR_CORPUS_SKIP = 3    /* a file that is not a corpus file (unknown
				 extension, sidecar): see nr_corpus_reject_* */
};

struct nr_corpus;

/* Create a reader; opts may be NULL.  NR_OK, NR_ENOMEM, NR_EINVAL (a bad
 * field map: nr_corpus_errmsg says which). */
int nr_corpus_new(struct nr_corpus **out, const struct nr_corpus_options *opts);
void nr_corpus_free(struct nr_corpus *c);

/* Queue a file or a folder (walked recursively, entries sorted by byte
 * order so runs repeat).  Formats by extension: .jsonl .ndjson .csv .tsv
 * .txt .md, each optionally .gz, or the options' format.  "-" is standard
 * input (once, and only with a format).  NR_OK; NR_ENOTFOUND or NR_EIO
 * when path cannot be opened, NR_EINVAL for a file of no known format or
 * "-" without one (nr_corpus_errmsg says which); NR_ENOMEM. */
int nr_corpus_add_path(struct nr_corpus *c, const char *path);

/* Read the next event.  Returns an enum nr_corpus_event (>= 0) or a
 * negative nr_err for a failure that stops reading (NR_ENOMEM).  For
 * NR_CORPUS_DOC, *doc is set (borrowed).  Unreadable files, malformed
 * lines, missing fields and oversize documents are NR_CORPUS_REJECT events,
 * never errors: reading goes on with the next document. */
int nr_corpus_next(struct nr_corpus *c, const struct nr_doc **doc);

/* After NR_CORPUS_REJECT or NR_CORPUS_SKIP: where ("path:line"), the
 * document id if known (else NULL) and why.  Borrowed until the next call. */
const char *nr_corpus_reject_source(const struct nr_corpus *c);
const char *nr_corpus_reject_id(const struct nr_corpus *c);
const char *nr_corpus_reject_reason(const struct nr_corpus *c);
const char *nr_corpus_errmsg(const struct nr_corpus *c);

/* Any field of the current document by its (mapped) name, known or not,
 * as text (numbers as written); NULL when absent.  Borrowed. */
const char *nr_doc_field(const struct nr_corpus *c, const char *name);

/* ---- lexicons and matching (docs/lexicon-format.md, docs/matching.md) -- */

struct nr_lexicon;

enum nr_lexicon_kind {
	NR_LEXICON_TERMS = 0,	/* @kind terms (the default) */
	NR_LEXICON_ENTITIES = 1 /* @kind entities: names grouped under ids */
};

/* An empty lexicon handle; free with nr_lexicon_free.  NR_OK, NR_ENOMEM. */
int nr_lexicon_new(struct nr_lexicon **out);
void nr_lexicon_free(struct nr_lexicon *lex);

/* Parse a .nlex file (or s[0..len), named `name` in messages) into lex,
 * replacing what it held.  All or nothing: on error lex keeps its previous
 * content and nr_lexicon_errmsg says "name:line:col: what is wrong".
 * Returns NR_OK, NR_EPARSE (bad content), NR_EUTF8 (bad UTF-8), NR_EIO
 * (cannot read the file), NR_ELIMIT (file or line too large), NR_ENOMEM,
 * NR_EINTERNAL (the tokenizer failed on a term). */
int nr_lexicon_load_file(struct nr_lexicon *lex, const char *path);
int nr_lexicon_load_buffer(struct nr_lexicon *lex, const char *s, size_t len, const char *name);
/* The message of the last failed load, borrowed; "" after a success. */
const char *nr_lexicon_errmsg(const struct nr_lexicon *lex);
/* The 1-based line and column (in code points) of the last load error; 0
 * when the error has no place (e.g. out of memory). */
size_t nr_lexicon_error_line(const struct nr_lexicon *lex);
size_t nr_lexicon_error_col(const struct nr_lexicon *lex);

/* Header values, borrowed (valid until the next successful load or free).
 * nr_lexicon_name: the @lexicon NAME ("" before a load).
 * nr_lexicon_header(lex, "source", i): the i-th value of a header directive
 * ("version", "source", "licence", "description"), NULL past the end. */
const char *nr_lexicon_name(const struct nr_lexicon *lex);
enum nr_lexicon_kind nr_lexicon_kind(const struct nr_lexicon *lex);
const char *nr_lexicon_header(const struct nr_lexicon *lex, const char *key, size_t i);

/* Entries (TERM lines, blocking entries included), in file order. */
size_t nr_lexicon_entry_count(const struct nr_lexicon *lex);
/* The term of entry i as written (escapes removed, a wildcard keeps its
 * trailing '*'), borrowed; NULL when i is out of range. */
const char *nr_lexicon_entry_term(const struct nr_lexicon *lex, size_t i);
/* Details of entry i; any out-pointer may be NULL.  category: leaf category
 * id; entity: entity index or -1; lang: language index (see
 * nr_lexicon_lang_name); blocking: 1 for a "-TERM" entry; line: its line.
 * NR_OK or NR_EINVAL (i out of range). */
int nr_lexicon_entry_info(const struct nr_lexicon *lex, size_t i, int *category, int *entity,
			  int *lang, double *weight, int *neg_window, int *blocking, size_t *line);

/* Categories have ids 0..count-1; a parent always has a smaller id than its
 * children.  Names are full paths ("topic/culture/heritage"), borrowed. */
size_t nr_lexicon_category_count(const struct nr_lexicon *lex);
const char *nr_lexicon_category_name(const struct nr_lexicon *lex, int id);
/* The @category DESCRIPTION, borrowed; "" when none was given. */
const char *nr_lexicon_category_description(const struct nr_lexicon *lex, int id);
/* The parent id, or -1 for a top-level category or a bad id. */
int nr_lexicon_category_parent(const struct nr_lexicon *lex, int id);
/* The id of the category with this full path, or -1. */
int nr_lexicon_category_find(const struct nr_lexicon *lex, const char *path);
/* Hierarchy roll-up: counts[] has one slot per category id, filled with
 * per-leaf counts (e.g. from hits); afterwards each slot also holds the
 * counts of all its descendants. */
void nr_lexicon_rollup(const struct nr_lexicon *lex, double *counts);

/* Languages used by the entries (index 0 is "*", any language); borrowed. */
size_t nr_lexicon_lang_count(const struct nr_lexicon *lex);
const char *nr_lexicon_lang_name(const struct nr_lexicon *lex, int lang);
/* Entries (blocking entries excluded) whose leaf category is `category`
 * (-1: any) and language is `lang` (-1: any). */
size_t nr_lexicon_count(const struct nr_lexicon *lex, int category, int lang);

/* Entities (entity lexicons): indexes 0..count-1 in file order. */
size_t nr_lexicon_entity_count(const struct nr_lexicon *lex);
/* The id of entity i, borrowed; NULL when out of range. */
const char *nr_lexicon_entity_id(const struct nr_lexicon *lex, int i);
/* The index of the entity with this id, or -1. */
int nr_lexicon_entity_find(const struct nr_lexicon *lex, const char *id);
/* The entity's category id, or -1 for a bad index. */
int nr_lexicon_entity_category(const struct nr_lexicon *lex, int i);
/* The first value of @attr key on entity i, borrowed; NULL when absent. */
const char *nr_lexicon_entity_attr(const struct nr_lexicon *lex, int i, const char *key);
/* The j-th @attr of entity i in file order: NR_OK, or NR_ENOTFOUND past
 * the last one.  *key and *value are borrowed. */
int nr_lexicon_entity_attr_at(const struct nr_lexicon *lex, int i, size_t j, const char **key,
			      const char **value);

/* A compiled matcher over one or more lexicons.  The lexicons are borrowed:
 * they must outlive the matcher and must not be reloaded while it lives.
 * Not thread-safe: use one matcher per thread.  NR_OK, NR_EINVAL (no
 * lexicon, or an empty handle), NR_ELIMIT, NR_ENOMEM. */
struct nr_matcher;

int nr_matcher_new(struct nr_matcher **out, const struct nr_lexicon *const *lexicons,
		   size_t nlexicons);
void nr_matcher_free(struct nr_matcher *m);

/* One hit.  offset/length: bytes of the original text, from the first
 * byte of the first matched token or character to the last byte of the
 * last one. */
struct nr_match_hit {
	size_t offset;
	size_t length;
	size_t lexicon;	       /* index into the array given to nr_matcher_new */
	int category;	       /* leaf category id in that lexicon */
	int entity;	       /* entity index, or -1 */
	const char *entity_id; /* borrowed from the lexicon, or NULL */
	double weight;	       /* the entry's w= (1 by default) */
	size_t entry;	       /* entry index in that lexicon */
	size_t token;	       /* index of the first token of the hit */
	size_t ntokens;	       /* tokens the hit touches (>= 1) */
	unsigned char negated; /* 1 if a negator is within the entry's window */
};

/* Match lexicon entries in one tokenized document.  text[0..len) is the
 * original input and tokens[0..ntokens) what nr_tokenize returned for it
 * (offsets into text; tokens made some other way may set hash to 0: it
 * only speeds up finding words, and any value gives the same hits).
 * lang: the document language; entries tagged with another language are
 * skipped ("zh" admits "zh-Hant" entries); NULL or "" admits every entry.
 * *hits gets a borrowed array (valid until the next call on m or
 * nr_matcher_free) of *nhits hits, ordered by offset, then lexicon, then
 * entry.  Returns NR_OK, NR_EINVAL (a token outside the
 * text), NR_ELIMIT, NR_ENOMEM; on error *hits is NULL and *nhits 0. */
int nr_matcher_match(struct nr_matcher *m, const char *text, size_t len,
		     const struct nr_token *tokens, size_t ntokens, const char *lang,
		     const struct nr_match_hit **hits, size_t *nhits);

/* ---- scoring: composite indices (docs/scoring.md) ---------------------- */

/* A scorer reads an index definition (YAML), the measures of `narrate
 * analyze` (measures.json, docs/measures-json.md) and optionally a CSV of
 * external indicators, then ranks the groups (cities) by the composite index
 * and runs the uncertainty and sensitivity analysis.  Messages are
 * "file:line: message".  Not thread-safe; one handle per thread. */
struct nr_scorer;

/* Options for nr_scorer_run; zero-initialise, then set what you need. */
struct nr_score_options {
	long runs;     /* Monte Carlo runs; < 0: the index file's uncertainty.runs
			  (default 1000); 0: no Monte Carlo */
	uint64_t seed; /* used when seed_set; else the index file's seed (1) */
	int seed_set;
};

/* One row of the ranking.  All pointers are borrowed from the scorer: valid
 * until the next nr_scorer_run or nr_scorer_free. */
struct nr_score_row {
	size_t rank; /* 1 = best; equal scores share a rank (1,2,2,4) */
	const char *city_id;
	const char *city_name;
	const char *name_zh;	 /* NULL when not known */
	const char *region;	 /* "east", "central", "west", "northeast" or NULL */
	const char *north_south; /* "north", "south" or NULL */
	double score;		 /* the index value of the base run */
	const double *dimension; /* nr_scorer_dimension_count values */
	double rank_median;	 /* over the Monte Carlo runs (= rank with no runs) */
	double rank_p05, rank_p95;
};

/* What dropping one indicator does to the ranking (docs/scoring.md). */
struct nr_score_indicator {
	const char *id;
	const char *path;   /* "dimension/.../indicator" */
	const char *source; /* "measure:NAME" or "external:COLUMN" */
	double weight;	    /* its effective weight in the base run (product of
			       the weights on its path) */
	double mean_shift;  /* mean |rank change| over cities when dropped */
	size_t max_shift;   /* largest |rank change| */
	double first_order; /* first-order sensitivity of the Monte Carlo's
			       mean rank shift to this indicator's weight
			       (docs/scoring.md); NAN with fewer than 2 runs */
};

/* A regional summary: mean of the score and dimensions over a group of
 * cities ("north", "south", "east", ...), or a gap between two means
 * ("north-south" = mean(north) - mean(south)). */
struct nr_score_region {
	const char *split; /* "north_south" or "region" */
	const char *group; /* "north", "east", ..., "unknown", or "A-B" */
	int gap;	   /* 1 for a gap row */
	size_t cities;	   /* cities in the group (a gap: in both groups) */
	double score;
	const double *dimension;
};

/* Create a scorer.  Returns NR_OK or NR_ENOMEM. */
int nr_scorer_new(struct nr_scorer **out);
void nr_scorer_free(struct nr_scorer *sc);

/* Load the index definition s[0..len); name is the file name used in
 * messages.  Replaces an earlier one.  NR_OK, NR_EPARSE (bad YAML or a bad
 * definition: nr_scorer_errmsg says where), NR_ELIMIT, NR_ENOMEM. */
int nr_scorer_load_index(struct nr_scorer *sc, const char *s, size_t len, const char *name);

/* Load measures.json s[0..len).  NR_OK, NR_EPARSE (not JSON, wrong schema
 * or version, a group without an id, a non-numeric measure), NR_ENOMEM. */
int nr_scorer_load_measures(struct nr_scorer *sc, const char *s, size_t len, const char *name);

/* Load a CSV (comma- or tab-separated, header row) of external indicators.
 * The key column is the first of city_id, city, city_name, id in the
 * header; values match a group's id, else its name or name_zh.  Rows whose
 * city is not in the measures are listed as warnings, not used.  Cells are
 * converted when an indicator uses the column.  NR_OK, NR_EPARSE, NR_ENOMEM.
 * Call after nr_scorer_load_measures. */
int nr_scorer_load_indicators(struct nr_scorer *sc, const char *s, size_t len, const char *name);

/* Compute the ranking, the Monte Carlo rank intervals, the one-at-a-time
 * sensitivity and the regional summaries.  opts may be NULL.  NR_OK;
 * NR_EINVAL (index or measures not loaded); NR_ENOTFOUND (an indicator names
 * a measure or column that does not exist); NR_EPARSE (a missing value under
 * 'missing: error', a non-numeric CSV cell, a value a transform or
 * normalisation cannot take); NR_ENOMEM. */
int nr_scorer_run(struct nr_scorer *sc, const struct nr_score_options *opts);

/* After a failed call: "file:line: message", borrowed ("" if none). */
const char *nr_scorer_errmsg(const struct nr_scorer *sc);

/* Warnings from the loads and the last run, in order ("file:line: message"),
 * borrowed. */
size_t nr_scorer_warning_count(const struct nr_scorer *sc);
const char *nr_scorer_warning(const struct nr_scorer *sc, size_t i);

/* Results of the last successful nr_scorer_run.  Rows are in rank order
 * (ties by city id).  Names and strings are borrowed.  Functions taking an
 * index return NR_EINVAL when it is out of range. */
size_t nr_scorer_city_count(const struct nr_scorer *sc);
int nr_scorer_row(const struct nr_scorer *sc, size_t i, struct nr_score_row *row);
size_t nr_scorer_dimension_count(const struct nr_scorer *sc);
const char *nr_scorer_dimension_id(const struct nr_scorer *sc, size_t j);
/* Indicators sorted by mean_shift, largest first (ties by path). */
size_t nr_scorer_indicator_count(const struct nr_scorer *sc);
int nr_scorer_indicator(const struct nr_scorer *sc, size_t i, struct nr_score_indicator *ind);
size_t nr_scorer_region_count(const struct nr_scorer *sc);
int nr_scorer_region(const struct nr_scorer *sc, size_t i, struct nr_score_region *reg);
/* First-order sensitivity of the Monte Carlo's mean rank shift to the
 * choice of normalisation scheme (docs/scoring.md); NAN with fewer than 2
 * runs or no alternative normalisation. */
double nr_scorer_normalisation_first_order(const struct nr_scorer *sc);
/* Runs done and seed used by the last nr_scorer_run; the index's name. */
long nr_scorer_runs(const struct nr_scorer *sc);
uint64_t nr_scorer_seed(const struct nr_scorer *sc);
const char *nr_scorer_index_name(const struct nr_scorer *sc);

/* ---- analysis: the pipeline of `narrate analyze` (docs/analyze.md) ------ */

/* How a document without a `city` field is attributed to cities. */
enum nr_attribution {
	NR_ATTRIBUTE_ALL = 0, /* to every city its text mentions */
	NR_ATTRIBUTE_MOST = 1 /* to the most mentioned (ties: the first) */
};

/* Options for nr_analysis_new; zero-initialise, then set what you need. */
struct nr_analysis_options {
	const char *data_dir; /* where NAME.nlex lexicons live */
	/* Lexicons by name (DATA_DIR/NAME.nlex) or path (contains '/' or ends
	 * in .nlex); NULL: the shipped default ("cities", "topics", "frames",
	 * "tone"); "": none. */
	const char *cities, *topics, *frames, *tone;
	/* Grouping keys, comma-separated, from: city, platform, month, lang,
	 * author_type, media.  NULL: "city". */
	const char *group_by;
	enum nr_attribution attribution;
	unsigned threads;     /* worker threads; 0: one per online core */
	unsigned flags;	      /* NR_ANALYZE_* */
	const char *lang;     /* every document's language; NULL: the
				 document's `lang` field, else identified */
	size_t lexdiv_tokens; /* tokens per group kept for MATTR and MTLD;
				 0: 100000 (docs/measures.md) */
	size_t max_doc_bytes; /* 0: 64 MiB */
	/* Near-duplicates and cliches (docs/homogeneity.md); 0 means the
	 * default given. */
	double dup_threshold;	      /* Jaccard of near-duplicates, (0, 1]; 0.5 */
	unsigned minhash_perm;	      /* MinHash permutations; 128 */
	unsigned lsh_bands, lsh_rows; /* both or neither; chosen from the
					 threshold */
	unsigned shingle_words;	      /* word shingle length; 3 */
	unsigned shingle_chars;	      /* CJK character shingle length; 4 */
	unsigned ngram_words;	      /* cliche word n-gram length; 4 */
	unsigned ngram_chars;	      /* cliche CJK character n-gram length; 4 */
	unsigned cliche_min_cities;   /* a cliche is used by this many groups;
					 0: from cliche_share */
	double cliche_share;	      /* ... or this share of the groups (at least
					 3, at most all, at least 2); 0.2 */
};

#define NR_ANALYZE_REPAIR_UTF8                                                                     \
	0x1u /* repair bad UTF-8 (counted) instead of                                              \
		rejecting the document */
#define NR_ANALYZE_DUP_TEXT                                                                        \
	0x2u /* keep document ids and the start of                                                 \
		their text for the cluster files of                                                \
		nr_analysis_write_homogeneity */
#define NR_ANALYZE_NO_NEAR_DUPS                                                                    \
	0x4u /* skip near-duplicate detection (no                                                  \
		per-document memory); dup_within and                                               \
		dup_across are then undefined */
#define NR_ANALYZE_NO_CLICHES                                                                      \
	0x8u /* skip cliche mining (no n-gram tables);                                             \
		cliche_rate is then undefined and the                                              \
		homogeneity index the mean of the others */
#define NR_ANALYZE_NO_REPORT                                                                       \
	0x100u /* nr_analysis_write writes no                                                      \
		  report.html (docs/report.md) */

/* What nr_analysis_run reports as it goes. */
enum nr_analysis_event_kind {
	NR_EVENT_REJECT = 1,  /* a document that could not be analysed */
	NR_EVENT_SKIP = 2,    /* a file that is not a corpus file */
	NR_EVENT_PROGRESS = 3 /* documents and bytes read so far */
};

struct nr_analysis_event {
	enum nr_analysis_event_kind kind;
	const char *source; /* REJECT, SKIP: "path:line" */
	const char *id;	    /* REJECT: the document id, or NULL */
	const char *reason; /* REJECT, SKIP */
	uint64_t docs_read;
	uint64_t bytes_read;
};

/* Counts of a finished run; read = analysed + rejected, always. */
struct nr_analysis_counts {
	uint64_t read; /* documents read (analysed + rejected) */
	uint64_t analysed;
	uint64_t rejected;
	uint64_t unattributed; /* analysed, but no group (no city found) */
	uint64_t repaired;     /* analysed after a UTF-8 repair */
	uint64_t skipped_files;
	uint64_t bytes; /* text bytes analysed */
	uint64_t groups;
	uint64_t no_stopwords; /* analysed in a language with no stopword list
				  (its function words count as content) */
	uint64_t dates_unread; /* analysed with a date whose month cannot be
				  read (docs/analyze.md): month "(none)" */
};

struct nr_analysis;

/* Load the lexicons and prepare a run.  NR_OK; NR_EINVAL (bad option),
 * NR_ENOTFOUND / NR_EIO / NR_EPARSE (a lexicon: nr_analysis_errmsg says
 * which and where), NR_ENOMEM.  On error *out is still set when it could
 * be allocated, so that the message can be read; free it. */
int nr_analysis_new(struct nr_analysis **out, const struct nr_analysis_options *opts);
void nr_analysis_free(struct nr_analysis *a);
const char *nr_analysis_errmsg(const struct nr_analysis *a);

/* Read every document of corpus, analyse it and accumulate per group.
 * on_event (may be NULL) is called from the calling thread for rejects,
 * skipped files and progress.  Results are the same bytes whatever the
 * thread count.  NR_OK; NR_ENOMEM; NR_EINTERNAL; NR_ELIMIT;
 * NR_EINVAL when cancelled (nr_analysis_cancel). Call once per handle. */
int nr_analysis_run(struct nr_analysis *a, struct nr_corpus *corpus,
		    void (*on_event)(void *ctx, const struct nr_analysis_event *ev), void *ctx);

/* Ask a running nr_analysis_run to stop soon; async-signal-safe. */
void nr_analysis_cancel(struct nr_analysis *a);

void nr_analysis_get_counts(const struct nr_analysis *a, struct nr_analysis_counts *out);

/* The languages of the documents counted in no_stopwords, in byte order of
 * their codes: the ith code (borrowed; NULL past the last) and, if docs is
 * not NULL, its number of documents. */
const char *nr_analysis_nostop_lang(const struct nr_analysis *a, size_t i, uint64_t *docs);

/* Write the report folder (docs/analyze.md): measures.json, cities.csv,
 * topics.csv, frames.csv, keyterms.csv, similarity.csv,
 * concentration.json, rejects.jsonl, manifest.json and, unless
 * NR_ANALYZE_NO_REPORT, report.html drawn from them (nr_report_write,
 * docs/report.md).  Atomic: files are written to a temporary folder beside
 * outdir, which replaces outdir only when all are complete.  command is
 * recorded in the manifest (may be NULL).  NR_OK, NR_EIO (message on the
 * handle), NR_ENOMEM. */
int nr_analysis_write(struct nr_analysis *a, const char *outdir, const char *command);

/* Write the folder of `narrate homogeneity` (docs/homogeneity.md):
 * homogeneity.csv, clusters.csv, cross_clusters.csv, cliches.csv,
 * similarity.csv, rejects.jsonl and manifest.json; atomically, as
 * nr_analysis_write.  Document ids and texts in the cluster files need
 * NR_ANALYZE_DUP_TEXT.  NR_OK, NR_EIO, NR_ENOMEM. */
int nr_analysis_write_homogeneity(struct nr_analysis *a, const char *outdir, const char *command);

/* Results, for a summary: groups sorted by id, 0..counts.groups-1.
 * Strings are borrowed until nr_analysis_free.  nr_analysis_group_measure
 * returns a scalar measure by its measures.json name, NAN when undefined
 * or unknown. */
const char *nr_analysis_group_id(const struct nr_analysis *a, size_t i);
const char *nr_analysis_group_name(const struct nr_analysis *a, size_t i);
double nr_analysis_group_measure(const struct nr_analysis *a, size_t i, const char *name);
/* The group's k-th "personal tag" (top key term by G2), k from 0, or NULL
 * past the last; *len gets its length.  Borrowed until nr_analysis_free. */
const char *nr_analysis_group_tag(const struct nr_analysis *a, size_t i, size_t k, size_t *len);
/* The k-th cliche (cliches.csv order), or NULL past the last; *cities and
 * *docs (may be NULL) get how many groups and documents use it. */
const char *nr_analysis_cliche(const struct nr_analysis *a, size_t k, size_t *cities, size_t *docs);

/* ---- drafting a city lexicon from a corpus (docs/lexicon-build.md) ----- */

/* A lexicon builder reads a corpus twice: documents about one city (the
 * target) and a reference (the corpus's other documents, or a reference
 * corpus), and proposes terms that are key in the target - word n-grams
 * for spaced scripts, cohesive character n-grams for CJK - as a draft
 * lexicon for a person to review.  Not thread-safe. */
struct nr_lexbuild;

/* Options for nr_lexbuild_new; zero-initialise, then set what you need. */
struct nr_lexbuild_options {
	const char *data_dir;			/* where NAME.nlex lexicons and stopwords/ are */
	const char *cities;			/* city lexicon: name (DATA_DIR/NAME.nlex) or
						   path; NULL: "cities"; "": none */
	const char *topics;			/* topic lexicon for categories; NULL: "topics";
						   "": none (every candidate uncategorised) */
	const char *city;			/* required: a city id or any name in the city
						   lexicon, or a name it does not know */
	const char *const *aliases;		/* more names of the city, NULL-terminated;
						   may be NULL */
	const struct nr_corpus_options *corpus; /* for both corpora; may be NULL */
	const char *lang;			/* every document's language; NULL: the `lang`
						   field, else identified */
	const char *name;			/* @lexicon name; NULL: "<city-slug>-draft" */
	const char *source;			/* what @source names as the corpus; NULL:
						   "the given corpus" */
	const char *date;			/* written as @version when not NULL (output
						   is otherwise the same bytes every run) */
	unsigned flags;				/* NR_LEXBUILD_* */
	size_t min_docs;			/* a candidate is in at least this many target
						   documents; 0: 2 */
	size_t min_freq;			/* ... and occurs at least this often; 0: 3 */
	size_t top;				/* candidates kept per language; 0: 100 */
	size_t max_words;			/* longest word n-gram; 0: 4 (at most 8) */
	size_t max_chars;			/* longest CJK character n-gram; 0: 8 (<= 16) */
	size_t max_grams;			/* distinct n-grams counted in the target before
						   NR_ELIMIT; 0: 4 Mi (about 350 MB) */
};

/* Every document of the corpus is about the city (no search for its
 * name); the reference must then be given to nr_lexbuild_run. */
#define NR_LEXBUILD_ALL 0x1u

/* Load the lexicons and resolve the city.  NR_OK; NR_EINVAL (no city, a
 * bad option); NR_ENOTFOUND / NR_EIO / NR_EPARSE (a lexicon);
 * NR_ENOMEM.  On error *out is still set when it could be allocated, so
 * that nr_lexbuild_errmsg can be read; free it. */
int nr_lexbuild_new(struct nr_lexbuild **out, const struct nr_lexbuild_options *opts);
void nr_lexbuild_free(struct nr_lexbuild *b);
/* The message of the last failure, borrowed; "" if none. */
const char *nr_lexbuild_errmsg(const struct nr_lexbuild *b);

/* Read the corpus paths[0..npaths) and, if nrefs > 0, the reference
 * corpus refs[0..nrefs) (without it the reference is the corpus's
 * documents not about the city), and rank the candidates.  Call once.
 * NR_OK; NR_ENOTFOUND (a path cannot be opened, the corpus holds no
 * document, or none is about the city); NR_EINVAL (no reference document,
 * or the reference shares no language with the target; NR_LEXBUILD_ALL
 * without a reference); NR_ELIMIT (too many distinct n-grams); NR_ENOMEM;
 * NR_EINTERNAL.  The message says what and names the city or path. */
int nr_lexbuild_run(struct nr_lexbuild *b, const char *const *paths, size_t npaths,
		    const char *const *refs, size_t nrefs);

/* One proposed term.  Strings are borrowed until nr_lexbuild_free. */
struct nr_lexbuild_candidate {
	const char *term;	/* as the draft writes it (first surface form
				   for words, the characters for CJK) */
	const char *lang;	/* the documents' language ("*" if unknown) */
	const char *category;	/* suggested topic path, or NULL */
	const char *context[2]; /* KWIC snippets, the term in [brackets];
				   context[1] may be NULL */
	size_t rank;		/* 1-based within its language */
	double score;		/* g2 * (1 + near) / 2: the ranking key */
	double g2, log_ratio;	/* keyness against the reference */
	double near;		/* share of occurrences within 10 tokens of a
				   mention of the city's name */
	uint64_t freq, docs;	/* in the target */
	uint64_t ref_freq;	/* in the reference */
	int cjk;		/* 1 for a character n-gram */
};

/* Counts of a finished run. */
struct nr_lexbuild_counts {
	uint64_t read;	   /* documents read from both corpora */
	uint64_t rejected; /* documents the reader could not read */
	uint64_t target_docs;
	uint64_t reference_docs;
	uint64_t ignored_docs;	 /* neither: the corpus's other documents
				    when a reference corpus is given, and
				    reference documents about the city */
	uint64_t flagged_cities; /* other cities named in the target */
};

void nr_lexbuild_get_counts(const struct nr_lexbuild *b, struct nr_lexbuild_counts *out);

/* The proposed candidates of the last run, by language then rank. */
size_t nr_lexbuild_candidate_count(const struct nr_lexbuild *b);
int nr_lexbuild_candidate(const struct nr_lexbuild *b, size_t i, struct nr_lexbuild_candidate *c);

/* Notes of the last run (a language with no reference text, rejects),
 * borrowed. */
size_t nr_lexbuild_warning_count(const struct nr_lexbuild *b);
const char *nr_lexbuild_warning(const struct nr_lexbuild *b, size_t i);

/* The draft lexicon of the last run as .nlex text (docs/lexicon-build.md),
 * caller-owned (nr_free), *len bytes, NUL-terminated.  The text has been
 * loaded back with nr_lexicon_load_buffer before it is returned.  NR_OK;
 * NR_ENOTFOUND (no candidate: no draft is made); NR_EINVAL (no run);
 * NR_EINTERNAL (the draft did not load: a bug); NR_ENOMEM. */
int nr_lexbuild_draft(struct nr_lexbuild *b, char **text, size_t *len);

/* ---- report.html: the report folder drawn (docs/report.md) ------------ */

/* Options for nr_report_write; zero-initialise, then set what you need. */
struct nr_report_options {
	const char *output;	 /* the HTML file; NULL: DIR/report.html */
	const char *timestamp;	 /* written in the footer when not NULL; without
				    it the same folder gives the same bytes */
	int names_zh;		 /* chart labels in Chinese where the city
				    lexicon knows a Chinese name */
	size_t top;		 /* cities shown in heatmaps, panels and long
				    tables (the CSVs hold all); 0: 40 */
	const char *ranking;	 /* ranking.csv of narrate score; NULL:
				    DIR/ranking.csv (regions.csv beside it) */
	const char *homogeneity; /* folder of narrate homogeneity (cliches.csv,
				    cross_clusters.csv, homogeneity.csv);
				    NULL: DIR */
	/* Called for each note worth a line on stderr (an optional file not
	 * found); may be NULL.  msg is valid during the call only. */
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/* Draw the report folder dir (measures.json, required, and the other
 * files of narrate analyze, score and homogeneity when present) as one
 * self-contained HTML file with inline SVG charts.  The file is written
 * beside its final name and renamed into place.  opts may be NULL.  NR_OK;
 * NR_ENOTFOUND (no measures.json); NR_EPARSE (a file that does not parse);
 * NR_EIO; NR_ELIMIT; NR_ENOMEM.  On error err (errlen bytes, may be NULL)
 * gets a message naming the file. */
int nr_report_write(const char *dir, const struct nr_report_options *opts, char *err,
		    size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* NARRATE_H */
