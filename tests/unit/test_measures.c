/*
 * test_measures.c - the measure functions against hand-computed values and
 * published test vectors.  Every expected number is derived in a comment
 * (or, for HD-D, computed with scipy as the comment shows).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "narrate.h"
#include "alloc.h"
#include "concentration.h"
#include "diversity.h"
#include "keyness.h"
#include "lexdiv.h"

#define EPS 1e-9

static void test_yules_k_and_ttr(void **state)
{
	/* "a b c d d e e f f f": N = 10, V1 = 3, V2 = 2, V3 = 1;
	 * sum i^2 V_i = 3 + 8 + 9 = 20; K = 1e4 (20 - 10) / 100 = 1000. */
	uint64_t f[] = { 1, 1, 1, 2, 2, 3 };

	(void)state;
	assert_float_equal(nri_yules_k(f, 6), 1000.0, EPS);
	assert_float_equal(nri_ttr(10, 6), 0.6, EPS);
	assert_true(isnan(nri_yules_k(f, 0)));
	assert_true(isnan(nri_ttr(0, 0)));
}

static void test_mattr(void **state)
{
	/* "a b a c", window 3: [a b a] 2/3, [b a c] 3/3; mean 5/6. */
	uint32_t s[] = { 1, 2, 1, 3 };
	int err;

	(void)state;
	assert_float_equal(nri_mattr(s, 4, 3, &err), 5.0 / 6.0, EPS);
	assert_int_equal(err, NR_OK);
	/* shorter than the window: plain TTR, 3/4 */
	assert_float_equal(nri_mattr(s, 4, 100, &err), 0.75, EPS);
	assert_true(isnan(nri_mattr(s, 0, 100, &err)));
}

static void test_mtld(void **state)
{
	/* "a b a b a b": forward TTRs 1, 1, 2/3 (factor 1, reset), 1, 1,
	 * 2/3 (factor 2, reset); 6 / 2 = 3; backward the same; MTLD 3. */
	uint32_t s1[] = { 1, 2, 1, 2, 1, 2 };
	/* "a b c a": TTR ends at 3/4 > 0.72 with no full factor; partial
	 * (1 - 0.75) / (1 - 0.72) = 0.892857...; 4 / that = 4.48; backward
	 * "a c b a" the same. */
	uint32_t s2[] = { 7, 8, 9, 7 };
	/* never repeats: no factor at all */
	uint32_t s3[] = { 1, 2, 3, 4 };
	/* forward and backward differ: "a a b c d" forward: a 1, a 1/2
	 * (factor 1), b 1, c 1, d 1 -> partial 0: 5 / 1 = 5.  Backward
	 * "d c b a a": 1, 1, 1, 1, 4/5 = 0.8 -> partial 0.2/0.28 = 0.714285..
	 * -> 5 / 0.714285 = 7.  Mean 6. */
	uint32_t s4[] = { 1, 1, 2, 3, 4 };
	int err;

	(void)state;
	assert_float_equal(nri_mtld(s1, 6, 0.72, &err), 3.0, EPS);
	assert_float_equal(nri_mtld(s2, 4, 0.72, &err), 4.0 / (0.25 / 0.28), EPS);
	assert_true(isnan(nri_mtld(s3, 4, 0.72, &err)));
	assert_float_equal(nri_mtld(s4, 5, 0.72, &err), 6.0, 1e-9);
}

static void test_hdd(void **state)
{
	/* "a a b", sample 2: P(a absent) = C(1,2)/C(3,2) = 0; P(b absent) =
	 * C(2,2)/C(3,2) = 1/3; (1 + 2/3) / 2 = 5/6. */
	uint64_t f1[] = { 2, 1 };
	/* scipy: f = [50,30,10,5,3,1,1]; sum(1 - hypergeom(100, x, 42).pmf(0)
	 * for x in f) / 42 = 0.1329833706748318 */
	uint64_t f2[] = { 50, 30, 10, 5, 3, 1, 1 };

	(void)state;
	assert_float_equal(nri_hdd(f1, 2, 2), 5.0 / 6.0, EPS);
	assert_float_equal(nri_hdd(f2, 7, 42), 0.1329833706748318, 1e-12);
	assert_true(isnan(nri_hdd(f1, 2, 42)));
}

static void test_diversity(void **state)
{
	double even[] = { 1, 1, 1, 1 };
	/* p = .5 .25 .25: H = -(.5 ln .5 + 2 (.25 ln .25)) = 1.0397207708;
	 * 1 - sum p^2 = 1 - .375 = .625; Hill2 = 1 / .375; Hill3 =
	 * (.125 + 2 * .015625)^(-1/2) = .15625^-.5 = 2.5298221281 */
	double x[] = { 2, 1, 1, 0 };
	double p[] = { 1, 0 }, q[] = { 0, 1 };

	(void)state;
	assert_float_equal(nri_shannon(even, 4), log(4), EPS);
	assert_float_equal(nri_gini_simpson(even, 4), 0.75, EPS);
	for (int k = 0; k <= 3; k++)
		assert_float_equal(nri_hill(even, 4, k), 4, EPS);
	assert_float_equal(nri_shannon(x, 4), 1.0397207708399179, EPS);
	assert_float_equal(nri_gini_simpson(x, 4), 0.625, EPS);
	assert_float_equal(nri_hill(x, 4, 0), 3, EPS);
	assert_float_equal(nri_hill(x, 4, 1), exp(1.0397207708399179), EPS);
	assert_float_equal(nri_hill(x, 4, 2), 1 / 0.375, EPS);
	assert_float_equal(nri_hill(x, 4, 3), 2.5298221281347035, EPS);
	assert_true(nri_hill(x, 4, 0) >= nri_hill(x, 4, 1));
	assert_true(nri_hill(x, 4, 1) >= nri_hill(x, 4, 2));
	assert_true(isnan(nri_shannon(p, 0)));
	assert_float_equal(nri_jsd(p, q, 2), 1.0, EPS);
	assert_float_equal(nri_jsd(x, x, 4), 0.0, EPS);
	/* JSD([.5,.5],[1,0]) = .5 KL([.5,.5]||[.75,.25]) + .5 KL([1,0]||[.75,.25])
	 * = .5 (.5 log2(.5/.75) + .5 log2(.5/.25)) + .5 log2(1/.75)
	 * = 0.31127812445913283 */
	{
		double a[] = { 1, 1 }, b[] = { 1, 0 };

		assert_float_equal(nri_jsd(a, b, 2), 0.31127812445913283, 1e-12);
	}
}

static void test_concentration(void **state)
{
	double one[] = { 0, 0, 0, 10 }, eq[] = { 3, 3, 3, 3 }, r[] = { 4, 1, 3, 2 };
	double t[] = { 5, 3, 2 };

	(void)state;
	assert_float_equal(nri_gini(one, 4), 0.75, EPS); /* (n-1)/n */
	assert_float_equal(nri_gini(eq, 4), 0, EPS);
	/* sorted 1 2 3 4: sum (2i-5) x = -3 -2 +3 +12 = 10; 10 / (4 * 10) */
	assert_float_equal(nri_gini(r, 4), 0.25, EPS);
	assert_float_equal(nri_hhi(eq, 4), 0.25, EPS);
	assert_float_equal(nri_hhi(one, 4), 1, EPS);
	assert_float_equal(nri_top_share(t, 3, 1), 0.5, EPS);
	assert_float_equal(nri_top_share(t, 3, 2), 0.8, EPS);
	assert_float_equal(nri_top_share(t, 3, 10), 1, EPS);
	assert_true(isnan(nri_gini(t, 0)));
}

static void test_keyness(void **state)
{
	/* a=10 b=5 c=1000 d=2000: E1 = 1000*15/3000 = 5, E2 = 10;
	 * G2 = 2 (10 ln 2 + 5 ln .5) = 10 ln 2 = 6.931471805599453;
	 * log ratio = log2((10/1000) / (5/2000)) = 2 */
	(void)state;
	assert_float_equal(nri_g2(10, 5, 1000, 2000), 10 * log(2), EPS);
	assert_float_equal(nri_log_ratio(10, 5, 1000, 2000), 2, EPS);
	/* under-use is negative, symmetric */
	assert_float_equal(nri_g2(5, 10, 2000, 1000), -10 * log(2), EPS);
	/* zero in the reference: log ratio uses 0.5 */
	assert_float_equal(nri_log_ratio(4, 0, 100, 100), log2(4 / 0.5), EPS);
	assert_float_equal(nri_g2(0, 0, 10, 10), 0, EPS);
}

static void test_alloc_failure(void **state)
{
	uint32_t s[] = { 1, 2, 1, 3, 4, 1, 2, 5 };
	int err;

	(void)state;
	for (long n = 1; n < 10; n++) {
		double v;

		nri_alloc_fail_at(n);
		v = nri_mtld(s, 8, 0.72, &err);
		nri_alloc_fail_at(0);
		assert_true(err == NR_ENOMEM ? isnan(v) : !isnan(v));
		nri_alloc_fail_at(n);
		v = nri_mattr(s, 8, 3, &err);
		nri_alloc_fail_at(0);
		assert_true(err == NR_ENOMEM ? isnan(v) : !isnan(v));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yules_k_and_ttr), cmocka_unit_test(test_mattr),
		cmocka_unit_test(test_mtld),		cmocka_unit_test(test_hdd),
		cmocka_unit_test(test_diversity),	cmocka_unit_test(test_concentration),
		cmocka_unit_test(test_keyness),		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
