/*
 * concentration.c - Gini, HHI and top-k share of attention over groups.
 *
 * The Gini formula is the sorted-values form of the mean absolute
 * difference (Gini 1912; see Damgaard and Weiner 2000, Ecology 81(4)),
 * without a small-sample correction, so that one group holding everything
 * gives (n-1)/n.  HHI: Herfindahl (1950), Hirschman (1945).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "concentration.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double nri_gini(double *x, size_t n)
{
	double sum = 0, acc = 0;

	if (n == 0)
		return NAN;
	qsort(x, n, sizeof(*x), cmp_double);
	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		acc += (2.0 * (double)(i + 1) - (double)n - 1) * x[i];
	}
	if (sum <= 0)
		return NAN;
	return acc / ((double)n * sum);
}

double nri_hhi(const double *x, size_t n)
{
	double sum = 0, h = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	if (sum <= 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
		h += (x[i] / sum) * (x[i] / sum);
	return h;
}

double nri_top_share(double *x, size_t n, size_t k)
{
	double sum = 0, top = 0;

	if (n == 0)
		return NAN;
	qsort(x, n, sizeof(*x), cmp_double);
	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		if (i >= (n > k ? n - k : 0))
			top += x[i];
	}
	return sum > 0 ? top / sum : NAN;
}
