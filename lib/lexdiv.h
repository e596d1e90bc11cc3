/*
 * lexdiv.h - lexical diversity measures (docs/measures.md, "Lexical
 * diversity").  Each returns NAN where the measure is undefined (too few
 * tokens); writers turn NAN into null.
 *
 * Token sequences are arrays of type ids (any uint32 values: equal id =
 * same word type).  Frequency spectra are arrays of per-type counts.
 */
#ifndef NR_LEXDIV_H
#define NR_LEXDIV_H

#include <stddef.h>
#include <stdint.h>

/* types / tokens. */
double nri_ttr(uint64_t tokens, uint64_t types);

/* Moving-average TTR over every window of `window` tokens (Covington and
 * McFall 2010); the TTR of the whole sequence when it is shorter than a
 * window.  NAN for n == 0.  *err gets NR_ENOMEM on allocation failure. */
double nri_mattr(const uint32_t *ids, size_t n, size_t window, int *err);

/* MTLD, the mean of the forward and the backward pass (McCarthy and
 * Jarvis 2010), with the given TTR threshold (0.72).  NAN when no factor
 * at all can be counted (n == 0, or a sequence that never repeats a type). */
double nri_mtld(const uint32_t *ids, size_t n, double threshold, int *err);

/* HD-D (McCarthy and Jarvis 2007): sum over types of the hypergeometric
 * probability that the type occurs in a random sample of `sample` tokens,
 * divided by `sample`.  NAN when tokens < sample. */
double nri_hdd(const uint64_t *freqs, size_t ntypes, unsigned sample);

/* Yule's K = 10^4 (sum_i i^2 V_i - N) / N^2 (Yule 1944).  NAN for N == 0. */
double nri_yules_k(const uint64_t *freqs, size_t ntypes);

#endif
