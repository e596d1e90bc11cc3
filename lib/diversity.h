/*
 * diversity.h - diversity of a distribution over categories (frames,
 * topics): Shannon entropy, Gini-Simpson, Hill numbers.  Inputs are
 * non-negative counts or weights; NAN when they sum to 0.
 */
#ifndef NR_DIVERSITY_H
#define NR_DIVERSITY_H

#include <stddef.h>

/* H = -sum p_i ln p_i (nats; Shannon 1948). */
double nri_shannon(const double *x, size_t n);
/* 1 - sum p_i^2 (Gini-Simpson index). */
double nri_gini_simpson(const double *x, size_t n);
/* Hill number of order q (Hill 1973; Jost 2006): q = 0 richness, q = 1
 * exp(H), q = 2 1 / sum p_i^2, else (sum p_i^q)^(1/(1-q)). */
double nri_hill(const double *x, size_t n, double q);

/* Jensen-Shannon divergence, base 2, in [0, 1], between two distributions
 * (normalised here) over the same n categories (Lin 1991). */
double nri_jsd(const double *p, const double *q, size_t n);

#endif
