/*
 * stemmer.h - internal side of the caching Snowball stemmer (nr_stemmer_*
 * in narrate.h).
 */
#ifndef NR_STEMMER_H
#define NR_STEMMER_H

#include <stddef.h>

struct nr_stemmer;

/* Defaults for the cache cap: NR_ELIMIT from nr_stemmer_stem once this many
 * distinct words, or this many bytes of words + stems, are cached. */
#define NRI_STEMMER_MAX_WORDS ((size_t)1 << 21)
#define NRI_STEMMER_MAX_BYTES ((size_t)128 << 20)

/* Map a language code or Snowball name to the canonical Snowball algorithm
 * name libstemmer ships ("en" -> "english", "pt-BR" -> "portuguese");
 * static, or NULL when there is none. */
const char *nri_stemmer_algorithm_for(const char *lang);

/* The canonical algorithm name of st; static. */
const char *nri_stemmer_algorithm(const struct nr_stemmer *st);

/* As nr_stemmer_new with explicit caps (0: the default); for tests and for
 * callers that know their vocabulary. */
int nri_stemmer_new_capped(struct nr_stemmer **out, const char *lang, size_t max_words,
			   size_t max_bytes);

/* Distinct words cached now. */
size_t nri_stemmer_cached(const struct nr_stemmer *st);

/* Forget every cached stem and free its memory; all stems returned before
 * are invalid afterwards.  For callers whose own contract lets borrowed
 * stems die (the tokenizer between documents) and who hit NR_ELIMIT. */
void nri_stemmer_clear(struct nr_stemmer *st);

#endif
