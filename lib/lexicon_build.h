/*
 * lexicon_build.h - internal side of the lexicon drafter (nr_lexbuild_* in
 * narrate.h): the measures it computes, exposed so that unit tests can
 * check them on hand-made counts.
 */
#ifndef NR_LEXICON_BUILD_H
#define NR_LEXICON_BUILD_H

#include <stddef.h>
#include <stdint.h>

/* Boundary (branching) entropy in nats of a string seen n times whose
 * distinct neighbours on one side were seen c_1..c_k times, given
 * s = sum c_i ln c_i: H = ln n - s / n.  Occurrences with no neighbour (at
 * a run's edge) count as distinct neighbours seen once (they add 0 to s).
 * Source: Jin and Tanaka-Ishii (2006), "Unsupervised segmentation of
 * Chinese text by use of branching entropy", COLING/ACL. */
double nri_lexbuild_entropy(uint64_t n, double s);

/* Pointwise mutual information (ln) of a split of a string seen f times
 * into parts seen fa and fb times, among t characters:
 * ln (f t / (fa fb)).  Church and Hanks (1990), "Word association norms,
 * mutual information, and lexicography", Computational Linguistics 16(1). */
double nri_lexbuild_pmi(uint64_t f, uint64_t fa, uint64_t fb, uint64_t t);

#endif
