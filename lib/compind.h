/*
 * compind.h - the arithmetic of composite indicators: transforms,
 * normalisations, weights and aggregations on small dense matrices, as the
 * OECD/JRC Handbook on Constructing Composite Indicators (2008) describes
 * them.  No I/O and no index tree here (that is score.c), so each method can
 * be tested alone against published worked examples.
 *
 * Matrices are row-major: m[i * k + j] is city (row) i, indicator (column) j,
 * n rows, k columns.  Columns are single arrays x[0..n).
 */
#ifndef NR_COMPIND_H
#define NR_COMPIND_H

#include <stddef.h>

enum nri_norm {
	NRI_NORM_NONE = 0,   /* the value itself (cost: negated) */
	NRI_NORM_MINMAX = 1, /* (x - min) / (max - min) */
	NRI_NORM_ZSCORE = 2, /* (x - mean) / sd, population sd */
	NRI_NORM_RANK = 3,   /* (average rank - 1) / (n - 1) */
	NRI_NORM_DTB = 4,    /* distance to the best: x / max (cost: min / x) */
	NRI_NORM_COUNT = 5
};

enum nri_weighting {
	NRI_WEIGHT_FIXED = 0,
	NRI_WEIGHT_EQUAL = 1,
	NRI_WEIGHT_ENTROPY = 2,
	NRI_WEIGHT_CRITIC = 3
};

enum nri_aggregation { NRI_AGG_ARITHMETIC = 0, NRI_AGG_GEOMETRIC = 1, NRI_AGG_TOPSIS = 2 };

/* Names as the index file spells them ("minmax", "entropy", ...); static. */
const char *nri_norm_name(enum nri_norm m);

/* Normalise x[0..n) into out[0..n) (out may equal x).  benefit: 1 if more is
 * better, 0 for a cost indicator (the result is oriented so that more is
 * always better).  *constant (if not NULL) is set to 1 when every x is equal;
 * then minmax gives 0.5, zscore 0, rank 0.5, dtb 1.  Returns NR_OK,
 * NR_EINVAL (dtb: a negative value, a cost value of 0, or a benefit column
 * whose maximum is 0), NR_ENOMEM (rank). */
int nri_ci_normalise(enum nri_norm m, int benefit, const double *x, size_t n, double *out,
		     int *constant);

/* Average ranks, 1 = smallest, ties get the mean of their positions (as
 * scipy.stats.rankdata(method='average')).  NR_OK, NR_ENOMEM. */
int nri_ci_rankdata(const double *x, size_t n, double *ranks);

/* The p-th percentile (0..100) of x[0..n), linear interpolation between
 * order statistics (numpy.percentile's default, Hyndman & Fan type 7).
 * sorted must be x sorted ascending. */
double nri_ci_percentile_sorted(const double *sorted, size_t n, double p);

/* Clamp x[0..n) in place to its lo-th and hi-th percentiles (0 <= lo < hi
 * <= 100).  *changed (if not NULL) gets how many values were clamped.
 * NR_OK, NR_EINVAL, NR_ENOMEM. */
int nri_ci_winsorise(double *x, size_t n, double lo, double hi, size_t *changed);

/* Shannon entropy weights (Hwang & Yoon 1981; Zeleny 1982): p_ij = x_ij /
 * sum_i x_ij, e_j = -sum_i p_ij ln p_ij / ln n, w_j = (1 - e_j) / sum (1 - e).
 * Needs x >= 0 and n >= 2.  A column of zeros has e = 1 (no information).
 * If every column is uninformative the weights are equal and *degenerate (if
 * not NULL) is set.  e (if not NULL) gets e_j.  NR_OK, NR_EINVAL. */
int nri_ci_weights_entropy(const double *m, size_t n, size_t k, double *w, double *e,
			   int *degenerate);

/* CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995): on min-max
 * rescaled columns, C_j = sigma_j * sum_l (1 - r_jl), w_j = C_j / sum C, with
 * r Pearson's correlation (0 where a column is constant) and sigma the
 * population standard deviation (the choice cancels in w).  All-constant
 * columns give equal weights and set *degenerate.  NR_OK, NR_EINVAL, NR_ENOMEM. */
int nri_ci_weights_critic(const double *m, size_t n, size_t k, double *w, int *degenerate);

/* Weighted arithmetic mean of each row: out_i = sum_j w_j m_ij / sum_j w_j. */
void nri_ci_aggregate_arithmetic(const double *m, size_t n, size_t k, const double *w, double *out);

/* Weighted geometric mean of each row, weights normalised to sum 1.  Needs
 * m >= 0 (NR_EINVAL otherwise).  When some value of the matrix is 0 every
 * value is shifted: out_i = prod_j (m_ij + shift)^w_j - shift, so one zero
 * does not erase the row and the result stays strictly increasing in every
 * input; *shifted (if not NULL) says whether the shift was applied.  With no
 * zero the plain geometric mean is returned.  shift must be > 0. */
int nri_ci_aggregate_geometric(const double *m, size_t n, size_t k, const double *w, double shift,
			       double *out, int *shifted);

/* TOPSIS closeness (Hwang & Yoon 1981, pp. 128-134): vector normalisation
 * r_ij = x_ij / sqrt(sum_i x_ij^2), v = w r, ideal A+ (column max, min for a
 * cost column) and anti-ideal A-, Euclidean distances, C_i = d-_i / (d+_i +
 * d-_i).  benefit may be NULL (all benefit).  A row equal to both ideals
 * (d+ = d- = 0) gets 0.5.  NR_OK, NR_ENOMEM. */
int nri_ci_topsis(const double *m, size_t n, size_t k, const double *w, const int *benefit,
		  double *out);

/* First-order sensitivity index of y to x from given data (no special
 * sampling design): the correlation ratio eta^2 = sum_b n_b (mean_b(y) -
 * mean(y))^2 / sum_i (y_i - mean(y))^2 over bins of x of about n / bins
 * values each, a run of equal x never split (so a categorical x gets one
 * bin per value).  Plischke, Borgonovo & Smith, "Global sensitivity
 * measures from given data", EJOR 226 (2013) 536-550.  0 when y does not
 * vary.  NR_OK, NR_EINVAL (n < 2 or bins < 1), NR_ENOMEM. */
int nri_ci_first_order(const double *x, const double *y, size_t n, size_t bins, double *out);

#endif
