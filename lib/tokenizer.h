/*
 * tokenizer.h - internal side of the tokenizer (nr_tokenize in narrate.h):
 * raw word-break segmentation, for the conformance and differential tests;
 * the elided forms it splits off, for the lexicon.
 */
#ifndef NR_TOKENIZER_H
#define NR_TOKENIZER_H

#include <stddef.h>

struct nr_tokenizer;

/* One word-break segment: bytes [start, end) of the text, and the rule
 * status ICU's word break iterator gives its end boundary (0 none, 100..199
 * number, 200..299 letter, 300..399 kana, 400..499 ideographic). */
struct nri_segment {
	size_t start;
	size_t end;
	int status;
};

/* Split valid UTF-8 s[0..len) into word-break segments (whitespace
 * segments included) with the tokenizer's break iterator: through ICU
 * alone when fast is 0, else with the ASCII fast path wherever the
 * tokenizer would use it.  No special spans (URLs, ...) are looked for.
 * *segs is borrowed until the next call on tok.  NR_OK, NR_ENOMEM,
 * NR_EINTERNAL. */
int nri_wordbreak_segments(struct nr_tokenizer *tok, const char *s, size_t len, int fast,
			   const struct nri_segment **segs, size_t *nsegs);

/* Bytes of the elided form (l', dell', qu', ...: letters and an ASCII
 * apostrophe) that the case-folded word w[0..n) starts with, in any
 * language whose elided forms nr_tokenize splits off (fr, it, ca, oc, ga);
 * 0 if none.  For lexicon keys, which must match text tokenized either
 * way (nri_lex_elision_keys). */
size_t nri_elision_form(const char *w, size_t n);

#endif
