/*
 * concentration.h - how concentrated attention is over groups.
 */
#ifndef NR_CONCENTRATION_H
#define NR_CONCENTRATION_H

#include <stddef.h>

/* Gini coefficient of non-negative values (0: equal, -> 1: all in one):
 * G = sum_i (2i - n - 1) x_(i) / (n sum x), x sorted ascending, i = 1..n.
 * NAN when n == 0 or the sum is 0.  Sorts x in place: a copy would be an
 * allocation that could fail, and a failure must not pass for a NAN. */
double nri_gini(double *x, size_t n);
/* Herfindahl-Hirschman index: sum of squared shares, in [1/n, 1]. */
double nri_hhi(const double *x, size_t n);
/* Share of the total held by the k largest values (all when n <= k).
 * Sorts x in place, like nri_gini. */
double nri_top_share(double *x, size_t n, size_t k);

#endif
