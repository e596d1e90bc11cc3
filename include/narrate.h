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
	NR_ENOMEM = -1,   /* an allocation failed */
	NR_EINVAL = -2,   /* a bad argument or option */
	NR_EUTF8 = -3,    /* input is not valid UTF-8 */
	NR_EPARSE = -4,   /* a file or value could not be parsed */
	NR_EIO = -5,      /* reading or writing failed */
	NR_ELIMIT = -6,   /* a size limit was reached */
	NR_ENOTFOUND = -7, /* a named thing (language, file, id) does not exist */
	NR_EUNSUPPORTED = -8, /* valid, but not supported (e.g. no stemmer) */
	NR_EINTERNAL = -9 /* a library below narrate failed unexpectedly */
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
int nr_utf8_repair(const char *s, size_t len, char **out, size_t *out_len,
		   size_t *repairs);

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
int nr_normalize(const char *s, size_t len, enum nr_norm_form form, char **out,
		 size_t *out_len, size_t **offsets);

/* ---- language identification ------------------------------------------ */

/* Guess the language of s[0..len) and write a NUL-terminated code (ISO 639-1
 * where one exists: "en", "zh", "ja", "ko", "ru", "ar", "fr", ...) into
 * lang[0..size).  Writes "und" when the text gives no basis for a guess.
 * *confidence (if not NULL) gets a value in [0, 1].  Thread-safe.  See
 * docs/langid.md for the method.  Returns NR_OK, NR_EINVAL (size < 8). */
int nr_langid(const char *s, size_t len, char *lang, size_t size,
	      double *confidence);

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
	unsigned char stop;  /* 1 if norm is on the language's stopword list */
	unsigned char cjk;   /* 1 if the token is in a script written without
				spaces (Han, Hiragana, Katakana, Thai, ...) */
};

/* Options for nr_tokenizer_new; zero-initialise, then set what you need. */
struct nr_tokenizer_options {
	const char *data_dir;  /* folder holding stopwords/; NULL: no stopwords */
	unsigned flags;        /* NR_TOKENIZE_* below */
	size_t max_input;      /* bytes one nr_tokenize accepts; 0: 256 MiB */
};

#define NR_TOKENIZE_REPAIR_UTF8 0x1u /* repair bad UTF-8 instead of failing */
#define NR_TOKENIZE_NO_STEM 0x2u     /* leave stem == norm */
#define NR_TOKENIZE_NO_PUNCT 0x4u    /* drop punctuation tokens */
#define NR_TOKENIZE_NO_ICU_FAST 0x8u /* never use the ASCII fast path (for
					the differential test) */

struct nr_tokenizer;

/* Create a tokenizer.  opts may be NULL for defaults.  *out gets a handle to
 * free with nr_tokenizer_free.  A tokenizer is not thread-safe: use one per
 * thread.  Returns NR_OK, NR_ENOMEM, NR_EIO/NR_EPARSE (stopword data). */
int nr_tokenizer_new(struct nr_tokenizer **out,
		     const struct nr_tokenizer_options *opts);
void nr_tokenizer_free(struct nr_tokenizer *tok);

/* Tokenize s[0..len).  lang is a language code, or NULL/"" to identify the
 * language (nr_langid).  *tokens gets a borrowed array of *ntokens tokens in
 * input order.  Returns NR_OK; NR_EUTF8 (invalid input without the repair
 * flag: nr_tokenizer_error_offset gives the byte), NR_ELIMIT (len over
 * max_input), NR_ENOMEM, NR_EINTERNAL.  On error *tokens is NULL and
 * *ntokens 0, and the handle stays usable. */
int nr_tokenize(struct nr_tokenizer *tok, const char *s, size_t len,
		const char *lang, const struct nr_token **tokens,
		size_t *ntokens);

/* After nr_tokenize: the language used (given or identified), borrowed. */
const char *nr_tokenizer_lang(const struct nr_tokenizer *tok);
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
int nr_stemmer_stem(struct nr_stemmer *st, const char *w, size_t len,
		    const char **stem, size_t *stem_len);

/* The Snowball algorithm names libstemmer ships, NULL-terminated; static. */
const char *const *nr_stemmer_algorithms(void);

#ifdef __cplusplus
}
#endif
#endif /* NARRATE_H */
