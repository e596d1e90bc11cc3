/*
 * phrase.h - joining a cliche's overlapping n-grams into phrases and
 * rendering them (phrase.c).
 */
#ifndef NR_PHRASE_H
#define NR_PHRASE_H

#include <stddef.h>
#include <stdint.h>

#include "cliche.h"

/* One selected n-gram: its units separated by NRI_CLICHE_SEP, and the
 * groups using it. */
struct nri_phrase_ngram {
	const char *s;
	size_t len;
	uint32_t cities, docs, example;
	const uint32_t *groups; /* the `cities` groups using it, ascending */
};

/* Phrases from the n-grams r[0..n), taken in that order (a fixed one, so
 * the result repeats): *out gets the items, caller-owned
 * (nri_cliche_items_free), unsorted.  NR_OK, NR_ENOMEM. */
int nri_phrase_chain(const struct nri_phrase_ngram *r, size_t n, struct nri_cliche_item **out,
		     size_t *nout);

#endif
