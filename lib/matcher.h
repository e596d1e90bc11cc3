/*
 * matcher.h - internal side of the compiled lexicon matcher (nr_matcher_*
 * in narrate.h); see docs/matching.md for the rules.
 */
#ifndef NR_MATCHER_H
#define NR_MATCHER_H

#include <stddef.h>

struct nr_matcher;

/* Trie size after compilation, for tests and the benchmark. */
size_t nri_matcher_nodes(const struct nr_matcher *m);
/* Candidates found by the last nr_matcher_match, before overlaps were
 * resolved. */
size_t nri_matcher_candidates(const struct nr_matcher *m);
/* on 1: match the plain way, without the word cache and the fast paths
 * for common tokens (the reference the differential test compares with). */
void nri_matcher_set_slow(struct nr_matcher *m, int on);

#endif
