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

#endif
