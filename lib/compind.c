/*
 * compind.c - normalisations, weights and aggregations for composite
 * indicators.  Formulas follow the OECD/JRC Handbook on Constructing
 * Composite Indicators (2008), section 5 (normalisation) and section 6
 * (weighting and aggregation); each function cites its own source.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "compind.h"

const char *nri_norm_name(enum nri_norm m)
{
	switch (m) {
	case NRI_NORM_NONE: return "none";
	case NRI_NORM_MINMAX: return "minmax";
	case NRI_NORM_ZSCORE: return "zscore";
	case NRI_NORM_RANK: return "rank";
	case NRI_NORM_DTB: return "distance_to_best";
	case NRI_NORM_COUNT: break;
	}
	return "?";
}

struct vi {
	double v;
	size_t i;
};

static int cmp_vi(const void *a, const void *b)
{
	const struct vi *x = a, *y = b;

	if (x->v < y->v)
		return -1;
	if (x->v > y->v)
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Average ranks as scipy.stats.rankdata(method='average'): a run of t tied
 * values at sorted positions p..p+t-1 (1-based) all get p + (t - 1) / 2. */
int nri_ci_rankdata(const double *x, size_t n, double *ranks)
{
	struct vi *a;
	size_t i, j;

	if (n == 0)
		return NR_OK;
	a = nri_malloc(n * sizeof(*a));
	if (!a)
		return NR_ENOMEM;
	for (i = 0; i < n; i++) {
		a[i].v = x[i];
		a[i].i = i;
	}
	qsort(a, n, sizeof(*a), cmp_vi);
	for (i = 0; i < n; i = j) {
		double r;

		for (j = i + 1; j < n && a[j].v == a[i].v; j++)
			;
		r = (double)(i + 1 + j) / 2.0;
		for (size_t t = i; t < j; t++)
			ranks[a[t].i] = r;
	}
	nri_free(a);
	return NR_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Hyndman & Fan (1996) definition 7, numpy's default: h = (n - 1) p / 100,
 * Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). */
double nri_ci_percentile_sorted(const double *sorted, size_t n, double p)
{
	double h, f;
	size_t lo;

	if (n == 0)
		return NAN;
	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	h = (double)(n - 1) * p / 100.0;
	f = floor(h);
	lo = (size_t)f;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - f) * (sorted[lo + 1] - sorted[lo]);
}

/* Winsorising as the Handbook (section 5.1) suggests for outliers that would
 * otherwise dominate a min-max range: values beyond the chosen percentiles
 * are set to those percentiles. */
int nri_ci_winsorise(double *x, size_t n, double lo, double hi, size_t *changed)
{
	double *s, plo, phi;
	size_t i, c = 0;

	if (changed)
		*changed = 0;
	if (!(lo >= 0 && lo < hi && hi <= 100))
		return NR_EINVAL;
	if (n == 0)
		return NR_OK;
	s = nri_malloc(n * sizeof(*s));
	if (!s)
		return NR_ENOMEM;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	plo = nri_ci_percentile_sorted(s, n, lo);
	phi = nri_ci_percentile_sorted(s, n, hi);
	nri_free(s);
	for (i = 0; i < n; i++) {
		if (x[i] < plo) {
			x[i] = plo;
			c++;
		} else if (x[i] > phi) {
			x[i] = phi;
			c++;
		}
	}
	if (changed)
		*changed = c;
	return NR_OK;
}

/* Handbook section 5: min-max (eq. 5.6), z-score (5.5, population sd as
 * numpy/scipy's default ddof=0), ranking (5.2, rescaled to [0, 1] so that
 * it can be mixed and swapped with min-max), and distance to a reference
 * (5.7) with the best city as the reference, x / x_best.  Cost indicators
 * are turned around so that more is always better. */
int nri_ci_normalise(enum nri_norm m, int benefit, const double *x, size_t n, double *out,
		     int *constant)
{
	double min, max, sum = 0, mean, ss = 0, sd;
	size_t i;
	int rc;

	if (constant)
		*constant = 0;
	if (n == 0)
		return NR_OK;
	min = max = x[0];
	for (i = 0; i < n; i++) {
		if (x[i] < min)
			min = x[i];
		if (x[i] > max)
			max = x[i];
		sum += x[i];
	}
	if (constant && min == max)
		*constant = 1;
	switch (m) {
	case NRI_NORM_NONE:
		for (i = 0; i < n; i++)
			out[i] = benefit ? x[i] : -x[i];
		return NR_OK;
	case NRI_NORM_MINMAX:
		for (i = 0; i < n; i++) {
			if (max == min)
				out[i] = 0.5;
			else if (benefit)
				out[i] = (x[i] - min) / (max - min);
			else
				out[i] = (max - x[i]) / (max - min);
		}
		return NR_OK;
	case NRI_NORM_ZSCORE:
		mean = sum / (double)n;
		for (i = 0; i < n; i++)
			ss += (x[i] - mean) * (x[i] - mean);
		sd = sqrt(ss / (double)n);
		for (i = 0; i < n; i++) {
			double z = sd > 0 ? (x[i] - mean) / sd : 0.0;

			out[i] = benefit ? z : -z;
		}
		return NR_OK;
	case NRI_NORM_RANK:
		if (n == 1) {
			out[0] = 0.5;
			return NR_OK;
		}
		if (out == x) {
			double *tmp = nri_malloc(n * sizeof(*tmp));

			if (!tmp)
				return NR_ENOMEM;
			memcpy(tmp, x, n * sizeof(*tmp));
			rc = nri_ci_rankdata(tmp, n, out);
			nri_free(tmp);
		} else {
			rc = nri_ci_rankdata(x, n, out);
		}
		if (rc)
			return rc;
		for (i = 0; i < n; i++) {
			double r = (out[i] - 1.0) / (double)(n - 1);

			out[i] = benefit ? r : 1.0 - r;
		}
		return NR_OK;
	case NRI_NORM_DTB:
		if (min < 0)
			return NR_EINVAL;
		if (benefit && max <= 0)
			return NR_EINVAL;
		if (!benefit && min <= 0)
			return NR_EINVAL;
		for (i = 0; i < n; i++)
			out[i] = benefit ? x[i] / max : min / x[i];
		return NR_OK;
	case NRI_NORM_COUNT: break;
	}
	return NR_EINVAL;
}

/* Entropy weight method as in Hwang & Yoon (1981, section on "entropy
 * method") after Zeleny (1982): the more a column's values differ between
 * rows, the lower its entropy and the higher its weight. */
int nri_ci_weights_entropy(const double *m, size_t n, size_t k, double *w, double *e,
			   int *degenerate)
{
	double dsum = 0, lnn;
	size_t i, j;

	if (degenerate)
		*degenerate = 0;
	if (n < 2 || k == 0)
		return NR_EINVAL;
	lnn = log((double)n);
	for (j = 0; j < k; j++) {
		double s = 0, h = 0;

		for (i = 0; i < n; i++) {
			if (!(m[i * k + j] >= 0))
				return NR_EINVAL;
			s += m[i * k + j];
		}
		if (s > 0) {
			for (i = 0; i < n; i++) {
				double p = m[i * k + j] / s;

				if (p > 0)
					h -= p * log(p);
			}
			h /= lnn;
		} else {
			h = 1.0;
		}
		if (h > 1.0)
			h = 1.0;
		if (e)
			e[j] = h;
		w[j] = 1.0 - h;
		dsum += w[j];
	}
	if (!(dsum > 1e-15)) {
		for (j = 0; j < k; j++)
			w[j] = 1.0 / (double)k;
		if (degenerate)
			*degenerate = 1;
		return NR_OK;
	}
	for (j = 0; j < k; j++)
		w[j] /= dsum;
	return NR_OK;
}

/* CRITIC, "CRiteria Importance Through Intercriteria Correlation":
 * Diakoulaki, Mavrotas & Papayannakis, Computers & Operations Research 22
 * (1995) 763-770.  A column carries information through its contrast
 * (standard deviation) and its conflict with the others (1 - r). */
int nri_ci_weights_critic(const double *m, size_t n, size_t k, double *w, int *degenerate)
{
	double *z, *sd, csum = 0;
	size_t i, j, l;

	if (degenerate)
		*degenerate = 0;
	if (n < 2 || k == 0)
		return NR_EINVAL;
	z = nri_malloc(n * k * sizeof(*z));
	sd = nri_malloc(k * sizeof(*sd));
	if (!z || !sd) {
		nri_free(z);
		nri_free(sd);
		return NR_ENOMEM;
	}
	for (j = 0; j < k; j++) {
		double min = m[j], max = m[j], mean = 0, ss = 0;

		for (i = 0; i < n; i++) {
			double v = m[i * k + j];

			if (v < min)
				min = v;
			if (v > max)
				max = v;
		}
		for (i = 0; i < n; i++) {
			z[i * k + j] = max > min ? (m[i * k + j] - min) / (max - min) : 0.0;
			mean += z[i * k + j];
		}
		mean /= (double)n;
		for (i = 0; i < n; i++) {
			z[i * k + j] -= mean; /* centred from here on */
			ss += z[i * k + j] * z[i * k + j];
		}
		sd[j] = sqrt(ss / (double)n);
	}
	for (j = 0; j < k; j++) {
		double conflict = 0;

		for (l = 0; l < k; l++) {
			double r = 0, sxy = 0;

			if (l == j) {
				continue; /* 1 - r_jj = 0 */
			}
			if (sd[j] > 0 && sd[l] > 0) {
				for (i = 0; i < n; i++)
					sxy += z[i * k + j] * z[i * k + l];
				r = sxy / ((double)n * sd[j] * sd[l]);
			}
			conflict += 1.0 - r;
		}
		w[j] = sd[j] * conflict;
		csum += w[j];
	}
	nri_free(z);
	nri_free(sd);
	if (!(csum > 1e-15)) {
		for (j = 0; j < k; j++)
			w[j] = 1.0 / (double)k;
		if (degenerate)
			*degenerate = 1;
		return NR_OK;
	}
	for (j = 0; j < k; j++)
		w[j] /= csum;
	return NR_OK;
}

/* Linear aggregation, Handbook section 6.2 (eq. 6.11). */
void nri_ci_aggregate_arithmetic(const double *m, size_t n, size_t k, const double *w, double *out)
{
	double ws = 0;
	size_t i, j;

	for (j = 0; j < k; j++)
		ws += w[j];
	for (i = 0; i < n; i++) {
		double s = 0;

		for (j = 0; j < k; j++)
			s += w[j] * m[i * k + j];
		out[i] = ws > 0 ? s / ws : 0.0;
	}
}

/* Geometric aggregation, Handbook section 6.2 (eq. 6.12).  A zero input
 * would make the product 0 whatever the other indicators say, so narrate
 * shifts every input of the node by the same positive constant when one is
 * zero (docs/scoring.md); computed through logs to avoid underflow. */
int nri_ci_aggregate_geometric(const double *m, size_t n, size_t k, const double *w, double shift,
			       double *out, int *shifted)
{
	double ws = 0, add = 0;
	size_t i, j;

	if (shifted)
		*shifted = 0;
	for (i = 0; i < n * k; i++) {
		if (!(m[i] >= 0))
			return NR_EINVAL;
		if (m[i] == 0)
			add = shift;
	}
	if (add > 0 && shifted)
		*shifted = 1;
	for (j = 0; j < k; j++)
		ws += w[j];
	for (i = 0; i < n; i++) {
		double s = 0;

		for (j = 0; j < k; j++)
			s += w[j] * log(m[i * k + j] + add);
		out[i] = ws > 0 ? exp(s / ws) - add : 0.0;
		if (out[i] < 0)
			out[i] = 0.0; /* rounding of (0 + shift) - shift */
	}
	return NR_OK;
}

/* TOPSIS: Hwang & Yoon, Multiple Attribute Decision Making (Springer 1981),
 * pp. 128-134; their fighter-aircraft example is a unit-test fixture. */
int nri_ci_topsis(const double *m, size_t n, size_t k, const double *w, const int *benefit,
		  double *out)
{
	double *col, ws = 0;
	size_t i, j;

	/* per column: scale w_j / |x_j|, then ideal and anti-ideal */
	col = nri_malloc((k ? k : 1) * 3 * sizeof(*col));
	if (!col)
		return NR_ENOMEM;
	for (j = 0; j < k; j++)
		ws += w[j];
	for (j = 0; j < k; j++) {
		double ss = 0, best = -HUGE_VAL, worst = HUGE_VAL;

		for (i = 0; i < n; i++)
			ss += m[i * k + j] * m[i * k + j];
		col[3 * j] = ss > 0 && ws > 0 ? w[j] / ws / sqrt(ss) : 0.0;
		for (i = 0; i < n; i++) {
			double v = col[3 * j] * m[i * k + j];

			if (v > best)
				best = v;
			if (v < worst)
				worst = v;
		}
		if (benefit && !benefit[j]) {
			double tmp = best;

			best = worst;
			worst = tmp;
		}
		col[3 * j + 1] = best;
		col[3 * j + 2] = worst;
	}
	for (i = 0; i < n; i++) {
		double dp = 0, dn = 0;

		for (j = 0; j < k; j++) {
			double v = col[3 * j] * m[i * k + j];

			dp += (v - col[3 * j + 1]) * (v - col[3 * j + 1]);
			dn += (v - col[3 * j + 2]) * (v - col[3 * j + 2]);
		}
		dp = sqrt(dp);
		dn = sqrt(dn);
		/* dn / (dp + dn) written so that rounding keeps it monotone in
		 * dp and dn: a dominating row never gets a lower value */
		if (dn > 0)
			out[i] = 1.0 / (1.0 + dp / dn);
		else
			out[i] = dp > 0 ? 0.0 : 0.5;
	}
	nri_free(col);
	return NR_OK;
}

/* Given-data first-order index by partitioning x (Plischke, Borgonovo &
 * Smith 2013, the "binning" estimator; it is Pearson's correlation ratio).
 * With B bins and no real effect it is about (B - 1) / (n - 1): the noise
 * floor docs/scoring.md tells users to read it against. */
int nri_ci_first_order(const double *x, const double *y, size_t n, size_t bins, double *out)
{
	struct vi *a;
	double mean = 0, tot = 0, between = 0;
	size_t i, j, per;

	*out = 0;
	if (n < 2 || bins < 1)
		return NR_EINVAL;
	a = nri_malloc(n * sizeof(*a));
	if (!a)
		return NR_ENOMEM;
	for (i = 0; i < n; i++) {
		a[i].v = x[i];
		a[i].i = i;
		mean += y[i];
	}
	mean /= (double)n;
	for (i = 0; i < n; i++)
		tot += (y[i] - mean) * (y[i] - mean);
	qsort(a, n, sizeof(*a), cmp_vi);
	per = (n + bins - 1) / bins;
	for (i = 0; i < n; i = j) {
		double bm = 0;

		j = i + per < n ? i + per : n;
		while (j < n && a[j].v == a[j - 1].v)
			j++; /* do not split a run of equal x */
		for (size_t t = i; t < j; t++)
			bm += y[a[t].i];
		bm /= (double)(j - i);
		between += (double)(j - i) * (bm - mean) * (bm - mean);
	}
	nri_free(a);
	*out = tot > 0 ? between / tot : 0.0;
	if (*out > 1)
		*out = 1;
	return NR_OK;
}
