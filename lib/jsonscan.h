/*
 * jsonscan.h - a validating scanner for one JSON text (one JSONL line) that
 * builds no tree: it checks the whole text against RFC 8259 with jansson's
 * limits (the ones narrate's results depend on) and reports where the
 * top-level object's members of interest are.  lib/corpus.c reads lines
 * with it and keeps jansson for what the scanner rejects (jansson's error
 * message) and for fields it was not asked about.
 */
#ifndef NR_JSONSCAN_H
#define NR_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>

/* jansson's JSON_PARSER_MAX_DEPTH (2.14): a value nested deeper than this
 * (the top-level value has depth 1; scalars count) is rejected. */
#define NRI_JSON_MAX_DEPTH 2048
/* At most this many names can be asked for in one scan. */
#define NRI_JSONSCAN_MAX_KEYS 32

enum nri_json_type {
	NRI_JSON_ABSENT = 0, /* the member did not occur */
	NRI_JSON_NULL,
	NRI_JSON_FALSE,
	NRI_JSON_TRUE,
	NRI_JSON_STRING,
	NRI_JSON_INTEGER, /* no fraction, no exponent: fits int64 (else invalid) */
	NRI_JSON_REAL,	  /* a fraction or an exponent: finite as a double */
	NRI_JSON_OBJECT,
	NRI_JSON_ARRAY
};

enum nri_jsonscan_result {
	NRI_JSONSCAN_OBJECT = 0,  /* valid, and the value is an object */
	NRI_JSONSCAN_OTHER = 1,	  /* valid, but not an object */
	NRI_JSONSCAN_NUL = 4,	  /* a flag on the two above: valid only through
				     jansson's NUL quirk (see nri_jsonscan) */
	NRI_JSONSCAN_INVALID = -1 /* not one JSON text, or past jansson's limits */
};

/* The names to look for among the top-level object's members (a key
 * matches a name when its unescaped bytes equal the name), prepared once
 * by nri_jsonscan_keys_init: a member's key is compared with the one or
 * two names that share its length and first and last bytes, not with all. */
struct nri_jsonscan_keys {
	size_t n;
	const char *name[NRI_JSONSCAN_MAX_KEYS]; /* borrowed */
	size_t len[NRI_JSONSCAN_MAX_KEYS];
	uint32_t bucket[64]; /* the names by a hash of length and end bytes */
};

/* Prepare keys for names[0..n) of lengths lens[0..n) (borrowed: they must
 * outlive keys).  n <= NRI_JSONSCAN_MAX_KEYS (more are ignored). */
void nri_jsonscan_keys_init(struct nri_jsonscan_keys *keys, const char *const *names,
			    const size_t *lens, size_t n);

/* Where a member's value is, in the scanned text (borrowed from it). */
struct nri_json_span {
	const char *s; /* STRING: the bytes between the quotes, escapes kept;
			  INTEGER/REAL: the number as written; others: the
			  value's first byte */
	size_t len;
	unsigned char type;    /* enum nri_json_type */
	unsigned char escaped; /* STRING: holds a backslash escape */
};

/*
 * Scan s[0..len) as one JSON text: white space, a value, white space (space,
 * tab, LF, CR), nothing else.  Valid means what jansson 2.14's json_loadb
 * with JSON_ALLOW_NUL | JSON_DECODE_ANY accepts, no more and no less: input
 * that is valid UTF-8 (the caller checks; bytes >= 0x80 are not looked at
 * here), no control character (< 0x20) raw inside a string, escapes
 * \" \\ \/ \b \f \n \r \t \uXXXX with surrogates only as a high-low pair,
 * no \u0000 in a key (it is allowed in a value), integers within int64,
 * reals that do not overflow a double, depth <= NRI_JSON_MAX_DEPTH.
 *
 * jansson skips a raw NUL byte right after a number or a literal ("[1\0]"
 * is valid to it), and so does the scanner, but then reports the result
 * with the NRI_JSONSCAN_NUL flag: jansson's end position (JSON_DISABLE_
 * EOF_CHECK) is one byte short per NUL skipped, so a caller that checks
 * what follows the value should let jansson judge such a text.
 *
 * For NRI_JSONSCAN_OBJECT, spans[i] (i < keys->n) describes the value of
 * the last member whose key equals name i (jansson keeps the last of
 * duplicate keys), or has type NRI_JSON_ABSENT; equal names get the same
 * value.  For the other results every span is ABSENT; for
 * NRI_JSONSCAN_INVALID, *err_off (if not NULL) is the byte offset where
 * the scan stopped.  Allocates nothing.
 */
int nri_jsonscan(const char *s, size_t len, const struct nri_jsonscan_keys *keys,
		 struct nri_json_span *spans, size_t *err_off);

/* Decode a STRING span's bytes (as validated by nri_jsonscan) into out,
 * which has room for len bytes (decoding never lengthens); returns the
 * decoded length.  \u0000 gives a NUL byte, a surrogate pair one 4-byte
 * UTF-8 sequence.  Does not terminate out. */
size_t nri_json_unescape(const char *s, size_t len, char *out);

/* An INTEGER span's value (as validated by nri_jsonscan). */
int64_t nri_json_integer(const char *s, size_t len);

/* A REAL span's value as jansson computes it: strtod with the locale's
 * decimal point put in place of '.'.  NR_OK or NR_ENOMEM (a number longer
 * than 63 bytes is copied to the heap). */
int nri_json_real(const char *s, size_t len, double *out);

#endif
