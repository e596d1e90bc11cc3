/*
 * test_radix.c - nri_radix_hi32 against a comparison sort: sorted by key,
 * stable, for every number of passes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "radix.h"

/* by key, then by the payload (the input position): what a stable sort
 * of entries numbered in input order gives */
static int cmp_entry(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static void check(unsigned key_bits, size_t n, uint64_t seed)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v)), *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	uint64_t *ref = malloc((n ? n : 1) * sizeof(*ref)), s = seed;

	assert_non_null(v);
	assert_non_null(tmp);
	assert_non_null(ref);
	for (size_t i = 0; i < n; i++) {
		uint64_t key;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		key = (s >> 32) & (key_bits >= 32 ? 0xffffffffULL : ((1ULL << key_bits) - 1));
		if (i % 7 == 3 && i)
			key = v[i - 1] >> 32; /* repeated keys: stability shows */
		v[i] = key << 32 | (uint64_t)i;
	}
	memcpy(ref, v, n * sizeof(*v));
	qsort(ref, n, sizeof(*ref), cmp_entry);
	nri_radix_hi32(v, tmp, n, key_bits);
	assert_memory_equal(v, ref, n * sizeof(*v));
	free(v);
	free(tmp);
	free(ref);
}

static void test_radix_sorts(void **state)
{
	(void)state;
	check(1, 100, 1);
	check(11, 5000, 2);  /* one pass */
	check(12, 5000, 3);  /* two */
	check(22, 20000, 4); /* two, full */
	check(23, 20000, 5); /* three */
	check(32, 20000, 6);
	check(32, 0, 7);
	check(32, 1, 8);
}

static void test_bits_of(void **state)
{
	(void)state;
	assert_int_equal(nri_bits_of(0), 0);
	assert_int_equal(nri_bits_of(1), 1);
	assert_int_equal(nri_bits_of(2047), 11);
	assert_int_equal(nri_bits_of(2048), 12);
	assert_int_equal(nri_bits_of(UINT32_MAX), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radix_sorts),
		cmocka_unit_test(test_bits_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
