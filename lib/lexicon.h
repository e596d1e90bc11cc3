/*
 * lexicon.h - internal side of the lexicon parser (nr_lexicon_* in
 * narrate.h): the loaded representation the matcher compiles, and the one
 * rule that turns a normalised token into match "pieces", shared by the
 * parser (for terms) and the matcher (for text) so both split alike.
 */
#ifndef NR_LEXICON_H
#define NR_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "narrate.h"

/* A term, and a token of text, is a sequence of pieces:
 *   'W' a word: the normalised token (or a run of non-CJK characters
 *       inside a mixed token), compared whole;
 *   'C' one character of a script written without spaces (Han, Kana,
 *       Thai...), so CJK terms match on characters.
 * Keys are pieces serialised as: 'W' varint(len) bytes | 'C' utf8-bytes. */
#define NRI_PIECE_WORD 'W'
#define NRI_PIECE_CHAR 'C'

struct nri_lex_entry {
	const char *term;	  /* as written, escapes removed ('*' kept) */
	const unsigned char *key; /* serialised pieces */
	size_t keylen;
	size_t line;
	double weight;
	int category;
	int entity; /* -1: none */
	int lang;   /* index into langs; 0 is "*" */
	int neg;    /* negation window in pieces; 0: off */
	unsigned char blocking;
	unsigned char wildcard; /* the last piece is a word prefix */
	unsigned char shadowed; /* loses a homonym contest: never reported */
};

struct nri_lex_category {
	const char *name; /* full path */
	const char *desc;
	int parent;
};

struct nri_lex_attr {
	const char *key;
	const char *value;
};

struct nri_lex_entity {
	const char *id;
	int category;
	size_t attr_first, nattr;
	size_t line;
};

struct nri_lex_negator {
	const unsigned char *key;
	size_t keylen;
	int lang;
};

struct nri_lex_header {
	const char *key;
	const char *value;
};

/* Everything one successful load produced; immutable afterwards. */
struct nri_lexdata {
	const char *name;
	enum nr_lexicon_kind kind;
	struct nri_lex_header *headers;
	size_t nheaders;
	struct nri_lex_category *cats;
	size_t ncats;
	struct nri_lex_entity *entities;
	size_t nentities;
	struct nri_lex_attr *attrs;
	size_t nattrs;
	struct nri_lex_entry *entries;
	size_t nentries;
	const char **langs;
	size_t nlangs;
	struct nri_lex_negator *negators;
	size_t nnegators;
	void *pool; /* string and key storage */
};

/* The loaded data of lex, or NULL before a successful load. */
const struct nri_lexdata *nri_lexicon_data(const struct nr_lexicon *lex);

/* 1 if cp belongs to a script written without spaces between words (Han,
 * Hiragana, Katakana, Bopomofo, Thai, Lao, Khmer, Myanmar, Tibetan, Yi). */
int nri_lex_nospace(uint32_t cp);

/* 1 if cp may sit between the words of a multiword term: a white space or a
 * joiner (hyphens, apostrophes, middle dots, underscore, slash is NOT). */
int nri_lex_gap_char(uint32_t cp);

/* Split one normalised token into pieces.  For each piece fn is called
 * with its kind, its bytes (a word piece is apostrophe-folded: U+2019 and
 * U+02BC become '), and the byte range [nb, ne) of the piece in norm.
 * fold is a scratch buffer for folded words (>= norm_len bytes).  A
 * punctuation token made only of joiners gives no piece; a hashtag token
 * is split without its '#' marks; URL, e-mail and mention tokens are one
 * word piece.  Returns what fn returns if not 0, else 0. */
typedef int (*nri_piece_fn)(void *ctx, int kind, const char *p, size_t n, size_t nb, size_t ne);
int nri_lex_pieces(const char *norm, size_t norm_len, enum nr_token_type type, char *fold,
		   nri_piece_fn fn, void *ctx);

/* Split a hashtag token into pieces as nri_lex_pieces does, but with its
 * word runs also cut where the ORIGINAL text shows word boundaries
 * (social media's camel case, docs/matching.md): before an upper-case
 * letter that follows a lower-case one (Visit|Chengdu), before the last
 * capital of a run that a lower-case letter follows (NYC|Tourism), between
 * a letter and a digit (Expo|2024), and around connector punctuation
 * (visit_chengdu: the '_' is in no piece).  Marks go with the letter they
 * follow; letters of scripts without case are never cut from letters.  A
 * run with a cut is kept whole when whole (may be NULL) returns 1 for its
 * folded bytes.  norm and orig are the token's normalised and original
 * bytes, '#' marks included; when orig shows no cut, or its cut pieces
 * normalised one by one (into scratch) are not norm, this is exactly
 * nri_lex_pieces(norm, norm_len, NR_TOKEN_HASHTAG, ...).  nb and ne are
 * offsets in norm, as there.  Returns NR_ENOMEM, what fn returns if not
 * 0, else 0. */
struct nri_buf;
typedef int (*nri_whole_fn)(void *ctx, const char *p, size_t n);
int nri_lex_hashtag_pieces(const char *norm, size_t norm_len, const char *orig, size_t orig_len,
			   char *fold, struct nri_buf *scratch, nri_whole_fn whole, nri_piece_fn fn,
			   void *ctx);

/* Read one varint from key[*i] (used by the matcher to walk keys). */
size_t nri_lex_varint(const unsigned char *key, size_t len, size_t *i);

/* The other keys a key needs because nr_tokenize splits an elided article
 * off its word (l'aquila -> l' + aquila) in French, Italian, Catalan,
 * Occitan and Irish text and in no other: *split gets key[0..len) with
 * every word piece that starts with an elided form (nri_elision_form) cut
 * after its apostrophe, *joined gets it with every word piece that is only
 * an elided form glued to the word piece after it.  Each buffer is reset,
 * and left empty when its key would be key itself.  Returns NR_OK,
 * NR_ENOMEM, NR_ELIMIT or NR_EINVAL (a malformed key). */
int nri_lex_elision_keys(const unsigned char *key, size_t len, struct nri_buf *split,
			 struct nri_buf *joined);

#endif
