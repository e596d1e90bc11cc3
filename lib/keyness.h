/*
 * keyness.h - keyness of a term in a target corpus against a reference.
 */
#ifndef NR_KEYNESS_H
#define NR_KEYNESS_H

#include <stdint.h>

/* Log-likelihood G2 (Dunning 1993, as computed by Rayson and Garside 2000)
 * of a term seen a times in a target of c tokens and b times in a reference
 * of d tokens: 2 (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d),
 * E2 = d(a+b)/(c+d), a 0 count contributing 0.  Signed: negative when the
 * term is relatively rarer in the target than in the reference. */
double nri_g2(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

/* Log ratio effect size (Hardie 2014): log2((a/c) / (b/d)), with a zero
 * frequency replaced by 0.5 so that it stays finite. */
double nri_log_ratio(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

#endif
