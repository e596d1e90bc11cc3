/*
 * keyness.c - log-likelihood G2 and the log ratio effect size.
 *
 * Sources: Dunning, T. (1993) "Accurate methods for the statistics of
 * surprise and coincidence", Computational Linguistics 19(1); Rayson, P.
 * and Garside, R. (2000) "Comparing corpora using frequency profiling",
 * WCC workshop, ACL; Hardie, A. (2014) "Log Ratio: an informal
 * introduction", CASS, Lancaster University.
 */
#include <math.h>

#include "keyness.h"

double nri_g2(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	double e1, e2, g = 0;

	if (c + d == 0 || a + b == 0)
		return 0;
	e1 = (double)c * (double)(a + b) / (double)(c + d);
	e2 = (double)d * (double)(a + b) / (double)(c + d);
	if (a > 0)
		g += (double)a * log((double)a / e1);
	if (b > 0)
		g += (double)b * log((double)b / e2);
	g *= 2;
	/* under-use in the target: report as negative */
	if (c > 0 && d > 0 && (double)a / (double)c < (double)b / (double)d)
		g = -g;
	return g;
}

double nri_log_ratio(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	double fa = a ? (double)a : 0.5, fb = b ? (double)b : 0.5;

	if (c == 0 || d == 0)
		return NAN;
	return log2((fa / (double)c) / (fb / (double)d));
}
