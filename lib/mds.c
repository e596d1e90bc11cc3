/*
 * mds.c - classical (Torgerson-Gower) multidimensional scaling.
 *
 * Torgerson (1952), "Multidimensional scaling: I. Theory and method";
 * Gower (1966), "Some distance properties of latent root and vector methods
 * used in multivariate analysis": B = -1/2 J D^2 J with J = I - 11'/n; the
 * coordinates on axis k are sqrt(lambda_k) times the k-th eigenvector of B.
 * The eigenvectors come from the cyclic Jacobi method (Golub and Van Loan,
 * Matrix Computations, 4th ed., section 8.5; rotation formulas as in
 * Numerical Recipes, section 11.1), which needs no random start and gives
 * the same numbers on every run.  O(n^3) per sweep: callers keep n to a
 * few hundred.
 */
#include <math.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "mds.h"

void nri_jacobi_eigen(double *a, size_t n, double *w, double *v)
{
	double total = 0;

	for (size_t i = 0; i < n * n; i++)
		v[i] = 0;
	for (size_t i = 0; i < n; i++) {
		v[i * n + i] = 1;
		for (size_t j = 0; j < n; j++)
			total += a[i * n + j] * a[i * n + j];
	}
	for (int sweep = 0; sweep < 60; sweep++) {
		double off = 0;

		for (size_t p = 0; p < n; p++)
			for (size_t q = p + 1; q < n; q++)
				off += a[p * n + q] * a[p * n + q];
		if (off <= 1e-24 * total || off == 0)
			break;
		for (size_t p = 0; p < n; p++) {
			for (size_t q = p + 1; q < n; q++) {
				double apq = a[p * n + q], theta, t, c, s;

				if (fabs(apq) < 1e-300)
					continue;
				theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
				t = 1 / (fabs(theta) + sqrt(theta * theta + 1));
				if (theta < 0)
					t = -t;
				c = 1 / sqrt(t * t + 1);
				s = t * c;
				for (size_t k = 0; k < n; k++) {
					double akp = a[k * n + p], akq = a[k * n + q];

					a[k * n + p] = c * akp - s * akq;
					a[k * n + q] = s * akp + c * akq;
				}
				for (size_t k = 0; k < n; k++) {
					double apk = a[p * n + k], aqk = a[q * n + k];

					a[p * n + k] = c * apk - s * aqk;
					a[q * n + k] = s * apk + c * aqk;
				}
				for (size_t k = 0; k < n; k++) {
					double vkp = v[k * n + p], vkq = v[k * n + q];

					v[k * n + p] = c * vkp - s * vkq;
					v[k * n + q] = s * vkp + c * vkq;
				}
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		w[i] = a[i * n + i];
}

int nri_mds_classical(const double *d, size_t n, double *xy, double *explained)
{
	double *b, *v, *w, big = 0, *rmean, gmean = 0, pos = 0;
	size_t axis[2] = {0, 0};

	if (explained)
		*explained = NAN;
	if (n == 0)
		return NR_OK;
	b = nri_malloc(n * n * sizeof(*b));
	v = nri_malloc(n * n * sizeof(*v));
	w = nri_malloc(n * sizeof(*w));
	rmean = nri_malloc(n * sizeof(*rmean));
	if (!b || !v || !w || !rmean) {
		nri_free(b);
		nri_free(v);
		nri_free(w);
		nri_free(rmean);
		return NR_ENOMEM;
	}
	for (size_t i = 0; i < n * n; i++)
		if (isfinite(d[i]) && d[i] > big)
			big = d[i];
	/* squared distances, double-centred */
	for (size_t i = 0; i < n; i++) {
		rmean[i] = 0;
		for (size_t j = 0; j < n; j++) {
			double x = i == j ? 0 : (isfinite(d[i * n + j]) ? d[i * n + j] : big);

			b[i * n + j] = x * x;
			rmean[i] += x * x;
		}
		rmean[i] /= (double)n;
		gmean += rmean[i];
	}
	gmean /= (double)n;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			b[i * n + j] = -0.5 * (b[i * n + j] - rmean[i] - rmean[j] + gmean);
	/* symmetrise against rounding */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			b[i * n + j] = b[j * n + i] = (b[i * n + j] + b[j * n + i]) / 2;
	nri_jacobi_eigen(b, n, w, v);
	/* the two largest eigenvalues, ties to the lower index */
	for (size_t k = 0; k < 2; k++) {
		size_t best = (size_t)-1;

		for (size_t i = 0; i < n; i++) {
			if (k == 1 && i == axis[0])
				continue;
			if (best == (size_t)-1 || w[i] > w[best])
				best = i;
		}
		axis[k] = best == (size_t)-1 ? 0 : best;
	}
	for (size_t i = 0; i < n; i++)
		if (w[i] > 0)
			pos += w[i];
	for (size_t k = 0; k < 2; k++) {
		size_t col = axis[k];
		double lam = n > k ? w[col] : 0, scale, maxabs = -1, sign = 1;

		if (n <= k || lam <= 0) {
			for (size_t i = 0; i < n; i++)
				xy[2 * i + k] = 0;
			continue;
		}
		scale = sqrt(lam);
		for (size_t i = 0; i < n; i++) {
			double x = v[i * n + col];

			if (fabs(x) > maxabs + 1e-12) {
				maxabs = fabs(x);
				sign = x < 0 ? -1 : 1;
			}
		}
		for (size_t i = 0; i < n; i++) {
			xy[2 * i + k] = sign * v[i * n + col] * scale;
			if (xy[2 * i + k] == 0)
				xy[2 * i + k] = 0;
		}
	}
	if (explained && pos > 0) {
		double s = 0;

		for (size_t k = 0; k < 2 && k < n; k++)
			if (w[axis[k]] > 0)
				s += w[axis[k]];
		*explained = s / pos;
	}
	nri_free(b);
	nri_free(v);
	nri_free(w);
	nri_free(rmean);
	return NR_OK;
}
