/*
 * test_langtag.c - language tags to primary subtags and ISO 639-1 codes,
 * and what that means for the tokenizer: a document tagged "English",
 * "eng" or "en-GB" gets the English stopword list, like "en".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>

#include "narrate.h"
#include "langtag.h"

#define DATA_DIR "lexicons"

static void test_codes(void **state)
{
	static const char *const cases[][2] = {
		{"en", "en"},	   {"EN", "en"},       {"en-GB", "en"},	 {"en_US", "en"},
		{"eng", "en"},	   {"English", "en"},  {"zh", "zh"},	 {"zh-Hans", "zh"},
		{"zho", "zh"},	   {"chi", "zh"},      {"Chinese", "zh"}, {"fre", "fr"},
		{"fra", "fr"},	   {"ger", "de"},      {"German", "de"}, {"pt-BR", "pt"},
		{"xx", "xx"},	   {"klingon", "klingon"},
	};
	char out[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(nri_lang_code(cases[i][0], out, sizeof(out)), 1);
		assert_string_equal(out, cases[i][1]);
	}
	/* no language tag: no code, and nothing that could name a file */
	assert_int_equal(nri_lang_code("", out, sizeof(out)), 0);
	assert_int_equal(nri_lang_code("../en", out, sizeof(out)), 0);
	assert_int_equal(nri_lang_code("e n", out, sizeof(out)), 0);
	assert_int_equal(nri_lang_code("english", out, 2), 0); /* "en" needs 3 */
	assert_int_equal(nri_lang_code("english", out, 3), 1);
	/* the primary subtag alone keeps names as they are (the stemmer's
	 * Snowball names) */
	assert_int_equal(nri_lang_primary("English", out, sizeof(out)), 1);
	assert_string_equal(out, "english");
}

/* every shipped stopword list is reachable by its ISO 639-2 codes and
 * English name, not only by its file's two letters */
static void test_every_list_has_names(void **state)
{
	DIR *d = opendir(DATA_DIR "/stopwords");
	struct dirent *e;
	size_t lists = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		const char *iso1, *b, *t, *name;
		size_t n = strlen(e->d_name), rows, i;

		if (n != 6 || strcmp(e->d_name + 2, ".txt"))
			continue;
		lists++;
		rows = nri_lang_known(0, &iso1, &b, &t, &name);
		for (i = 0; i < rows; i++) {
			nri_lang_known(i, &iso1, &b, &t, &name);
			if (!strncmp(iso1, e->d_name, 2))
				break;
		}
		if (i == rows)
			fail_msg("stopwords/%s has no row in langtag.c", e->d_name);
	}
	closedir(d);
	assert_true(lists >= 50);
}

static int stop_of_the(const char *lang)
{
	struct nr_tokenizer_options o = { 0 };
	struct nr_tokenizer *tok;
	const struct nr_token *t;
	size_t n;
	int stop;

	o.data_dir = DATA_DIR;
	assert_int_equal(nr_tokenizer_new(&tok, &o), NR_OK);
	assert_int_equal(nr_tokenize(tok, "the city", 8, lang, &t, &n), NR_OK);
	assert_true(n >= 1);
	stop = t[0].stop;
	assert_string_equal(nr_tokenizer_lang(tok), "en");
	nr_tokenizer_free(tok);
	return stop;
}

static void test_tokenizer_names(void **state)
{
	static const char *const tags[] = {"English", "English", "xx", "English", "de", "eng"};
	static const char *const codes[] = {"en", "en", "xx", "en", "de", "en"};
	struct nr_tokenizer_options o = { 0 };
	struct nr_tokenizer *tok;
	const struct nr_token *t;
	size_t n;

	(void)state;
	assert_int_equal(stop_of_the("en"), 1);
	assert_int_equal(stop_of_the("English"), 1);
	assert_int_equal(stop_of_the("eng"), 1);
	assert_int_equal(stop_of_the("en-GB"), 1);
	/* one tokenizer, the tag changing and coming back (it keeps the
	 * last tag's code) */
	o.data_dir = DATA_DIR;
	assert_int_equal(nr_tokenizer_new(&tok, &o), NR_OK);
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		assert_int_equal(nr_tokenize(tok, "the city", 8, tags[i], &t, &n), NR_OK);
		assert_string_equal(nr_tokenizer_lang(tok), codes[i]);
		assert_int_equal(t[0].stop, !strcmp(codes[i], "en"));
		assert_int_equal(nr_tokenizer_has_stopwords(tok), strcmp(codes[i], "xx") != 0);
	}
	nr_tokenizer_free(tok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_every_list_has_names),
		cmocka_unit_test(test_tokenizer_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
