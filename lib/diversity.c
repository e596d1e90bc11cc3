/*
 * diversity.c - Shannon, Gini-Simpson, Hill numbers, Jensen-Shannon.
 *
 * Sources: Shannon, C. E. (1948) "A mathematical theory of communication";
 * Hill, M. O. (1973) "Diversity and evenness: a unifying notation and its
 * consequences", Ecology 54(2); Jost, L. (2006) "Entropy and diversity",
 * Oikos 113(2); Lin, J. (1991) "Divergence measures based on the Shannon
 * entropy", IEEE Trans. Information Theory 37(1).
 */
#include <math.h>

#include "diversity.h"

static double total(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		if (x[i] > 0)
			s += x[i];
	return s;
}

double nri_shannon(const double *x, size_t n)
{
	double s = total(x, n), h = 0;

	if (s <= 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
		if (x[i] > 0) {
			double p = x[i] / s;

			h -= p * log(p);
		}
	return h;
}

double nri_gini_simpson(const double *x, size_t n)
{
	double s = total(x, n), d = 0;

	if (s <= 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
		if (x[i] > 0)
			d += (x[i] / s) * (x[i] / s);
	return 1 - d;
}

double nri_hill(const double *x, size_t n, double q)
{
	double s = total(x, n), acc = 0;

	if (s <= 0)
		return NAN;
	if (q == 0) {
		for (size_t i = 0; i < n; i++)
			acc += x[i] > 0;
		return acc;
	}
	if (q == 1)
		return exp(nri_shannon(x, n));
	for (size_t i = 0; i < n; i++)
		if (x[i] > 0)
			acc += pow(x[i] / s, q);
	return pow(acc, 1 / (1 - q));
}

double nri_jsd(const double *p, const double *q, size_t n)
{
	double sp = total(p, n), sq = total(q, n), d = 0;

	if (sp <= 0 || sq <= 0)
		return NAN;
	for (size_t i = 0; i < n; i++) {
		double a = p[i] > 0 ? p[i] / sp : 0;
		double b = q[i] > 0 ? q[i] / sq : 0;
		double m = (a + b) / 2;

		if (a > 0)
			d += 0.5 * a * log2(a / m);
		if (b > 0)
			d += 0.5 * b * log2(b / m);
	}
	return d < 0 ? 0 : d;
}
