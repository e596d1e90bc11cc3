/*
 * test_score_math.c - the composite-indicator arithmetic (lib/compind.c)
 * against fixtures computed with numpy/scipy and against published worked
 * examples (tests/data/score/, made by make_fixtures.py).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "compind.h"
#include "index_def.h"
#include "prng.h"

#define MAXV 256

/* The fixture folder: $NR_SCORE_FIXTURES, else tests/data/score (the suite
 * runs from the source root). */
static const char *fixture_dir(void)
{
	const char *d = getenv("NR_SCORE_FIXTURES");

	return d && *d ? d : "tests/data/score";
}

/* Read "key = v1 v2 ..." from a fixture file into v; returns the count. */
static size_t fx(const char *file, const char *key, double *v)
{
	char path[512], line[16384];
	size_t n = 0, klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir(), file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (strncmp(line, key, klen) || strncmp(line + klen, " = ", 3))
			continue;
		p = line + klen + 3;
		for (;;) {
			double d = strtod(p, &end);

			if (end == p)
				break;
			assert_true(n < MAXV);
			v[n++] = d;
			p = end;
		}
		break;
	}
	fclose(f);
	if (n == 0)
		fail_msg("no '%s' in fixture %s", key, file);
	return n;
}

static void assert_vec_near(const double *got, const double *want, size_t n, double tol,
			    const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(fabs(got[i] - want[i]) <= tol))
			fail_msg("%s[%zu]: got %.17g, want %.17g (tolerance %g)", what, i, got[i],
				 want[i], tol);
}

static void test_normalisations(void **state)
{
	static const struct {
		enum nri_norm m;
		int benefit;
		const char *key;
	} cases[] = {
		{ NRI_NORM_MINMAX, 1, "minmax_benefit" }, { NRI_NORM_MINMAX, 0, "minmax_cost" },
		{ NRI_NORM_ZSCORE, 1, "zscore_benefit" }, { NRI_NORM_ZSCORE, 0, "zscore_cost" },
		{ NRI_NORM_RANK, 1, "rank_benefit" },     { NRI_NORM_RANK, 0, "rank_cost" },
		{ NRI_NORM_DTB, 1, "dtb_benefit" },       { NRI_NORM_DTB, 0, "dtb_cost" },
		{ NRI_NORM_NONE, 1, "none_benefit" },     { NRI_NORM_NONE, 0, "none_cost" },
	};
	double x[MAXV], want[MAXV], got[MAXV];
	size_t n, i;
	int constant;

	(void)state;
	n = fx("normalise.txt", "x", x);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fx("normalise.txt", cases[i].key, want), n);
		assert_int_equal(nri_ci_normalise(cases[i].m, cases[i].benefit, x, n, got,
						  &constant),
				 NR_OK);
		assert_int_equal(constant, 0);
		assert_vec_near(got, want, n, 1e-12, cases[i].key);
	}
	/* in place gives the same */
	memcpy(got, x, n * sizeof(double));
	assert_int_equal(nri_ci_normalise(NRI_NORM_RANK, 1, got, n, got, NULL), NR_OK);
	fx("normalise.txt", "rank_benefit", want);
	assert_vec_near(got, want, n, 1e-12, "rank in place");
	fx("normalise.txt", "rankdata", want);
	assert_int_equal(nri_ci_rankdata(x, n, got), NR_OK);
	assert_vec_near(got, want, n, 0, "rankdata");
}

static void test_normalise_edges(void **state)
{
	double c[3] = { 4, 4, 4 }, o[3], neg[3] = { -1, 2, 3 }, zero[3] = { 0, 2, 3 };
	int constant;

	(void)state;
	assert_int_equal(nri_ci_normalise(NRI_NORM_MINMAX, 1, c, 3, o, &constant), NR_OK);
	assert_int_equal(constant, 1);
	assert_true(o[0] == 0.5 && o[2] == 0.5);
	assert_int_equal(nri_ci_normalise(NRI_NORM_ZSCORE, 1, c, 3, o, &constant), NR_OK);
	assert_true(o[1] == 0.0);
	assert_int_equal(nri_ci_normalise(NRI_NORM_RANK, 0, c, 3, o, NULL), NR_OK);
	assert_true(o[0] == 0.5);
	/* distance to the best refuses what it cannot divide */
	assert_int_equal(nri_ci_normalise(NRI_NORM_DTB, 1, neg, 3, o, NULL), NR_EINVAL);
	assert_int_equal(nri_ci_normalise(NRI_NORM_DTB, 0, zero, 3, o, NULL), NR_EINVAL);
	assert_int_equal(nri_ci_normalise(NRI_NORM_DTB, 1, zero, 3, o, NULL), NR_OK);
	assert_true(o[0] == 0.0 && o[2] == 1.0);
}

static void test_percentile_winsorise(void **state)
{
	double x[MAXV], p[MAXV], want[MAXV], s[MAXV], got[MAXV];
	size_t n, np, i;

	(void)state;
	n = fx("normalise.txt", "x", x);
	np = fx("normalise.txt", "percentile_p", p);
	fx("normalise.txt", "percentile_value", want);
	memcpy(s, x, n * sizeof(double));
	for (i = 1; i < n; i++) /* insertion sort */
		for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
			double t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	for (i = 0; i < np; i++)
		got[i] = nri_ci_percentile_sorted(s, n, p[i]);
	assert_vec_near(got, want, np, 1e-12, "percentile");
	memcpy(got, x, n * sizeof(double));
	assert_int_equal(nri_ci_winsorise(got, n, 5, 95, NULL), NR_OK);
	fx("normalise.txt", "winsorise_5_95", want);
	assert_vec_near(got, want, n, 1e-12, "winsorise 5 95");
	memcpy(got, x, n * sizeof(double));
	assert_int_equal(nri_ci_winsorise(got, n, 10, 80, &i), NR_OK);
	assert_true(i > 0);
	fx("normalise.txt", "winsorise_10_80", want);
	assert_vec_near(got, want, n, 1e-12, "winsorise 10 80");
	assert_int_equal(nri_ci_winsorise(got, n, 50, 40, NULL), NR_EINVAL);
}

static void test_entropy_hwang_yoon(void **state)
{
	double m[MAXV], pub[MAXV], e_want[MAXV], w_want[MAXV], w[16], e[16], nk[1];
	size_t n, k;
	int deg;

	(void)state;
	fx("entropy_hwang_yoon.txt", "n", nk);
	n = (size_t)nk[0];
	fx("entropy_hwang_yoon.txt", "k", nk);
	k = (size_t)nk[0];
	assert_int_equal(fx("entropy_hwang_yoon.txt", "matrix", m), n * k);
	fx("entropy_hwang_yoon.txt", "published_entropy", pub);
	fx("entropy_hwang_yoon.txt", "entropy", e_want);
	fx("entropy_hwang_yoon.txt", "weights", w_want);
	assert_int_equal(nri_ci_weights_entropy(m, n, k, w, e, &deg), NR_OK);
	assert_int_equal(deg, 0);
	/* the book rounds p_ij before the logs: see the fixture's caveat */
	assert_vec_near(e, pub, k, 1e-3, "entropy vs the book");
	assert_vec_near(e, e_want, k, 1e-9, "entropy");
	assert_vec_near(w, w_want, k, 1e-9, "entropy weights");
}

static void test_entropy_degenerate(void **state)
{
	double m[6] = { 1, 2, 1, 2, 1, 2 }, w[2];
	double neg[4] = { -1, 2, 1, 2 };
	int deg;

	(void)state;
	/* every column constant: no information, equal weights, flagged */
	assert_int_equal(nri_ci_weights_entropy(m, 3, 2, w, NULL, &deg), NR_OK);
	assert_int_equal(deg, 1);
	assert_true(fabs(w[0] - 0.5) < 1e-15 && fabs(w[1] - 0.5) < 1e-15);
	assert_int_equal(nri_ci_weights_entropy(neg, 2, 2, w, NULL, &deg), NR_EINVAL);
	assert_int_equal(nri_ci_weights_entropy(m, 1, 2, w, NULL, &deg), NR_EINVAL);
}

static void test_topsis_hwang_yoon(void **state)
{
	double m[MAXV], wt[16], bf[16], pub[16], want[16], got[16], nk[1];
	int benefit[16];
	size_t n, k, j;

	(void)state;
	fx("topsis_hwang_yoon.txt", "n", nk);
	n = (size_t)nk[0];
	fx("topsis_hwang_yoon.txt", "k", nk);
	k = (size_t)nk[0];
	assert_int_equal(fx("topsis_hwang_yoon.txt", "matrix", m), n * k);
	fx("topsis_hwang_yoon.txt", "weights", wt);
	fx("topsis_hwang_yoon.txt", "benefit", bf);
	for (j = 0; j < k; j++)
		benefit[j] = bf[j] != 0;
	fx("topsis_hwang_yoon.txt", "published_closeness", pub);
	fx("topsis_hwang_yoon.txt", "closeness", want);
	assert_int_equal(nri_ci_topsis(m, n, k, wt, benefit, got), NR_OK);
	/* the book rounds its intermediate steps: 3 printed decimals, +-1 */
	assert_vec_near(got, pub, n, 1e-3, "closeness vs the book");
	assert_vec_near(got, want, n, 1e-12, "closeness");
	/* ranking A1 > A3 > A4 > A2 as published */
	assert_true(got[0] > got[2] && got[2] > got[3] && got[3] > got[1]);
}

static void test_critic(void **state)
{
	double m[MAXV], want[16], w[16], nk[1];
	double c[6] = { 1, 5, 1, 6, 1, 7 };
	size_t n, k;
	int deg;

	(void)state;
	fx("critic.txt", "n", nk);
	n = (size_t)nk[0];
	fx("critic.txt", "k", nk);
	k = (size_t)nk[0];
	assert_int_equal(fx("critic.txt", "matrix", m), n * k);
	fx("critic.txt", "weights", want);
	assert_int_equal(nri_ci_weights_critic(m, n, k, w, &deg), NR_OK);
	assert_int_equal(deg, 0);
	assert_vec_near(w, want, k, 1e-12, "critic weights");
	/* a constant column gets weight 0 (no contrast) */
	assert_int_equal(nri_ci_weights_critic(c, 3, 2, w, &deg), NR_OK);
	assert_true(w[0] == 0.0 && fabs(w[1] - 1.0) < 1e-15);
}

static void test_aggregations(void **state)
{
	double m[MAXV], wt[16], want[16], got[16], nk[1], shift[1];
	size_t n, k;
	int shifted;

	(void)state;
	fx("aggregate.txt", "n", nk);
	n = (size_t)nk[0];
	fx("aggregate.txt", "k", nk);
	k = (size_t)nk[0];
	fx("aggregate.txt", "matrix", m);
	fx("aggregate.txt", "weights", wt);
	fx("aggregate.txt", "arithmetic", want);
	nri_ci_aggregate_arithmetic(m, n, k, wt, got);
	assert_vec_near(got, want, n, 1e-12, "arithmetic");
	fx("aggregate.txt", "shift", shift);
	fx("aggregate.txt", "geometric_shifted", want);
	assert_int_equal(nri_ci_aggregate_geometric(m, n, k, wt, shift[0], got, &shifted),
			 NR_OK);
	assert_int_equal(shifted, 1);
	assert_vec_near(got, want, n, 1e-12, "geometric with zeros");
	/* one zero lowers the row but does not erase the others' values */
	assert_true(got[1] > 0.1);
	fx("aggregate.txt", "plain_n", nk);
	n = (size_t)nk[0];
	fx("aggregate.txt", "plain_matrix", m);
	fx("aggregate.txt", "geometric_plain", want);
	assert_int_equal(nri_ci_aggregate_geometric(m, n, k, wt, 0.01, got, &shifted), NR_OK);
	assert_int_equal(shifted, 0);
	assert_vec_near(got, want, n, 1e-12, "geometric");
	m[0] = -0.1;
	assert_int_equal(nri_ci_aggregate_geometric(m, n, k, wt, 0.01, got, &shifted),
			 NR_EINVAL);
}

/* The same seed gives the same stream; different seeds differ; uniform and
 * bounded draws stay in range; gamma has about the right mean. */
static void test_prng(void **state)
{
	struct nri_prng a, b;
	double sum = 0;
	int i, differ = 0;

	(void)state;
	nri_prng_seed(&a, 42);
	nri_prng_seed(&b, 42);
	for (i = 0; i < 1000; i++)
		assert_true(nri_prng_next(&a) == nri_prng_next(&b));
	nri_prng_seed(&b, 43);
	for (i = 0; i < 10; i++)
		differ |= nri_prng_next(&a) != nri_prng_next(&b);
	assert_true(differ);
	for (i = 0; i < 10000; i++) {
		double u = nri_prng_uniform(&a);

		assert_true(u >= 0 && u < 1);
		assert_true(nri_prng_below(&a, 7) < 7);
		sum += nri_prng_gamma(&a, 2.5);
	}
	assert_true(fabs(sum / 10000 - 2.5) < 0.1);
	sum = 0;
	for (i = 0; i < 10000; i++)
		sum += nri_prng_gamma(&a, 0.5);
	assert_true(fabs(sum / 10000 - 0.5) < 0.05);
}

/* The correlation ratio by hand: x = 1 1 2 2, y = 1 3 5 7, two bins:
 * bin means 2 and 6, mean 4, between = 2*4 + 2*4 = 16, total = 20. */
static void test_first_order(void **state)
{
	double x[4] = { 2, 1, 2, 1 }, y[4] = { 5, 1, 7, 3 }, s;
	double xs[400], ys[400];
	struct nri_prng r;
	size_t i;

	(void)state;
	assert_int_equal(nri_ci_first_order(x, y, 4, 2, &s), NR_OK);
	assert_true(fabs(s - 0.8) < 1e-12);
	/* many bins asked, but runs of equal x are never split: the same */
	assert_int_equal(nri_ci_first_order(x, y, 4, 4, &s), NR_OK);
	assert_true(fabs(s - 0.8) < 1e-12);
	/* y a function of x: near 1; y independent of x: near the noise floor */
	nri_prng_seed(&r, 3);
	for (i = 0; i < 400; i++) {
		xs[i] = nri_prng_uniform(&r);
		ys[i] = xs[i] * xs[i];
	}
	assert_int_equal(nri_ci_first_order(xs, ys, 400, 20, &s), NR_OK);
	assert_true(s > 0.99);
	for (i = 0; i < 400; i++)
		ys[i] = nri_prng_uniform(&r);
	assert_int_equal(nri_ci_first_order(xs, ys, 400, 20, &s), NR_OK);
	assert_true(s < 0.15);
	assert_int_equal(nri_ci_first_order(xs, ys, 1, 20, &s), NR_EINVAL);
}

/* Numbers in index files and CSVs: C-locale decimals only. */
static void test_strtod_c(void **state)
{
	static const struct {
		const char *s;
		int ok;
		double v;
	} cases[] = {
		{ "1.5", 1, 1.5 },   { "-2", 1, -2 },      { "+3e2", 1, 300 },  { ".5", 1, 0.5 },
		{ "5.", 1, 5 },      { "1E-3", 1, 0.001 }, { "1,5", 0, 0 },     { "", 0, 0 },
		{ "0x10", 0, 0 },    { "inf", 0, 0 },      { "nan", 0, 0 },     { " 1", 0, 0 },
		{ "1 ", 0, 0 },      { "1e", 0, 0 },       { "1e400", 0, 0 },   { ".", 0, 0 },
		{ "12abc", 0, 0 },   { "-", 0, 0 },
	};
	size_t i;
	double d;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ok = nri_strtod_c(cases[i].s, strlen(cases[i].s), &d);

		if (ok != cases[i].ok || (ok && d != cases[i].v))
			fail_msg("'%s': ok %d value %g", cases[i].s, ok, ok ? d : 0.0);
	}
}

/* Allocation failures come back as NR_ENOMEM. */
static void test_enomem(void **state)
{
	double x[4] = { 1, 3, 2, 2 }, o[4], m[6] = { 1, 2, 3, 4, 5, 7 }, w[2];

	(void)state;
	nri_alloc_fail_at(1);
	assert_int_equal(nri_ci_normalise(NRI_NORM_RANK, 1, x, 4, o, NULL), NR_ENOMEM);
	assert_int_equal(nri_ci_weights_critic(m, 3, 2, w, NULL), NR_ENOMEM);
	assert_int_equal(nri_ci_topsis(m, 3, 2, w, NULL, o), NR_ENOMEM);
	assert_int_equal(nri_ci_winsorise(x, 4, 5, 95, NULL), NR_ENOMEM);
	nri_alloc_fail_at(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalisations),
		cmocka_unit_test(test_normalise_edges),
		cmocka_unit_test(test_percentile_winsorise),
		cmocka_unit_test(test_entropy_hwang_yoon),
		cmocka_unit_test(test_entropy_degenerate),
		cmocka_unit_test(test_topsis_hwang_yoon),
		cmocka_unit_test(test_critic),
		cmocka_unit_test(test_aggregations),
		cmocka_unit_test(test_prng),
		cmocka_unit_test(test_first_order),
		cmocka_unit_test(test_strtod_c),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
