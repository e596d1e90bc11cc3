/*
 * test_stemmer.c - the caching Snowball stemmer: language names, cache
 * identity, the cap, and allocation failure at every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "stemmer.h"

static void test_unknown_language(void **state)
{
	static const char *const bad[] = {"xx", "zh", "ja", "", "-en", "german2",
					  "kraaij_pohlmann", "en glish", "english2"};
	struct nr_stemmer *st = (struct nr_stemmer *)&st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nr_stemmer_new(&st, bad[i]), NR_ENOTFOUND);
		assert_null(st);
	}
	assert_int_equal(nr_stemmer_new(&st, NULL), NR_EINVAL);
	assert_int_equal(nr_stemmer_new(NULL, "en"), NR_EINVAL);
	nr_stemmer_free(NULL);
}

static void test_language_names(void **state)
{
	static const struct {
		const char *lang, *alg;
	} cases[] = {
		{"en", "english"},    {"EN", "english"},    {"en-US", "english"},
		{"en_GB", "english"}, {"english", "english"}, {"porter", "porter"},
		{"fr", "french"},     {"fra", "french"},    {"ru", "russian"},
		{"ar", "arabic"},     {"nb", "norwegian"},  {"pt-BR", "portuguese"},
		{"German", "german"}, {"el", "greek"},      {"ta", "tamil"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nr_stemmer *st = NULL;

		assert_int_equal(nr_stemmer_new(&st, cases[i].lang), NR_OK);
		assert_string_equal(nri_stemmer_algorithm(st), cases[i].alg);
		nr_stemmer_free(st);
	}
}

/* Every listed algorithm can be opened by its own name. */
static void test_algorithm_list(void **state)
{
	const char *const *algs = nr_stemmer_algorithms();
	int n = 0, english = 0;

	(void)state;
	assert_non_null(algs);
	for (; *algs; algs++, n++) {
		struct nr_stemmer *st = NULL;

		assert_int_equal(nr_stemmer_new(&st, *algs), NR_OK);
		nr_stemmer_free(st);
		english |= !strcmp(*algs, "english");
	}
	assert_true(n >= 20);
	assert_true(english);
}

static void expect_stem(struct nr_stemmer *st, const char *w, const char *want)
{
	const char *s = NULL;
	size_t len = 0;

	assert_int_equal(nr_stemmer_stem(st, w, strlen(w), &s, &len), NR_OK);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(s, want, len);
	assert_int_equal(s[len], '\0');
}

static void test_stems(void **state)
{
	struct nr_stemmer *st = NULL;

	(void)state;
	assert_int_equal(nr_stemmer_new(&st, "en"), NR_OK);
	expect_stem(st, "running", "run");
	expect_stem(st, "cities", "citi");
	expect_stem(st, "generously", "generous");
	expect_stem(st, "", "");
	nr_stemmer_free(st);
	assert_int_equal(nr_stemmer_new(&st, "fr"), NR_OK);
	expect_stem(st, "continuellement", "continuel");
	nr_stemmer_free(st);
	assert_int_equal(nr_stemmer_new(&st, "ru"), NR_OK);
	expect_stem(st, "городами", "город");
	nr_stemmer_free(st);
}

/* The second look-up of a word is the cached copy: same pointer, same
 * bytes, and the word counted once.  The input is not NUL-terminated. */
static void test_cache_hit(void **state)
{
	struct nr_stemmer *st = NULL;
	const char *text = "festivals festival";
	const char *a, *b, *c;
	size_t alen, blen, clen;

	(void)state;
	assert_int_equal(nr_stemmer_new(&st, "english"), NR_OK);
	assert_int_equal(nr_stemmer_stem(st, text, 9, &a, &alen), NR_OK);
	assert_int_equal(nri_stemmer_cached(st), 1);
	assert_int_equal(nr_stemmer_stem(st, text, 9, &b, &blen), NR_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(alen, blen);
	assert_int_equal(nri_stemmer_cached(st), 1);
	assert_int_equal(nr_stemmer_stem(st, text + 10, 8, &c, &clen), NR_OK);
	assert_ptr_not_equal(a, c);
	assert_int_equal(nri_stemmer_cached(st), 2);
	assert_int_equal(alen, clen);
	assert_memory_equal(a, "festiv", alen);
	assert_memory_equal(c, "festiv", clen);
	nr_stemmer_free(st);
}

/* At the cap a new word fails with NR_ELIMIT, cached words still answer,
 * and earlier stems stay valid; nri_stemmer_clear makes room. */
static void test_cap(void **state)
{
	struct nr_stemmer *st = NULL;
	const char *s1, *s;
	size_t len;

	(void)state;
	assert_int_equal(nri_stemmer_new_capped(&st, "en", 2, 0), NR_OK);
	assert_int_equal(nr_stemmer_stem(st, "walking", 7, &s1, &len), NR_OK);
	assert_int_equal(nr_stemmer_stem(st, "talking", 7, &s, &len), NR_OK);
	assert_int_equal(nr_stemmer_stem(st, "singing", 7, &s, &len), NR_ELIMIT);
	assert_null(s);
	assert_int_equal(nr_stemmer_stem(st, "walking", 7, &s, &len), NR_OK);
	assert_ptr_equal(s, s1);
	assert_memory_equal(s1, "walk", 5);
	nri_stemmer_clear(st);
	assert_int_equal(nri_stemmer_cached(st), 0);
	expect_stem(st, "singing", "sing");
	nr_stemmer_free(st);

	/* the byte cap: 16 bytes hold one 5-letter word and its stem */
	assert_int_equal(nri_stemmer_new_capped(&st, "en", 0, 16), NR_OK);
	expect_stem(st, "parks", "park");
	assert_int_equal(nr_stemmer_stem(st, "gardens", 7, &s, &len), NR_ELIMIT);
	nr_stemmer_free(st);
}

/* Fail the 1st, 2nd, ... allocation until the whole sequence succeeds:
 * every failure must be NR_ENOMEM and leave nothing behind (the
 * sanitizer build checks leaks). */
static int stem_some(void)
{
	static const char *const words[] = {"harbours", "harbour", "skyline",
					    "skylines", "harbours"};
	struct nr_stemmer *st = NULL;
	const char *s;
	size_t i, len;
	int rc = nr_stemmer_new(&st, "en");

	for (i = 0; !rc && i < sizeof(words) / sizeof(words[0]); i++)
		rc = nr_stemmer_stem(st, words[i], strlen(words[i]), &s, &len);
	if (!rc)
		assert_memory_equal(s, "harbour", len);
	nr_stemmer_free(st);
	return rc;
}

static void test_alloc_failure(void **state)
{
	long n;
	int rc = NR_ENOMEM, failures = 0;

	(void)state;
	for (n = 1; n < 1000; n++) {
		nri_alloc_fail_at(n);
		rc = stem_some();
		nri_alloc_fail_at(0);
		if (rc != NR_ENOMEM)
			break;
		failures++;
	}
	assert_int_equal(rc, NR_OK);
	assert_true(failures >= 3); /* handle, map slots, key block, stem block */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_language),
		cmocka_unit_test(test_language_names),
		cmocka_unit_test(test_algorithm_list),
		cmocka_unit_test(test_stems),
		cmocka_unit_test(test_cache_hit),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
