/*
 * score.h - internal side of the scorer (nr_scorer_* in narrate.h).
 */
#ifndef NR_SCORE_H
#define NR_SCORE_H

#include <stddef.h>

/* Standard competition ranks ("1224") of score[0..n), highest score first:
 * rank_i = 1 + the number of scores strictly greater.  rank gets doubles so
 * that Monte Carlo percentiles can be taken directly.  NR_OK, NR_ENOMEM. */
int nri_score_rank(const double *score, size_t n, double *rank);

/* Largest number of Monte Carlo rank values kept (runs x cities). */
#define NRI_SCORE_MAX_CELLS ((size_t)1 << 25)

#endif
