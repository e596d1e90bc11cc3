/*
 * test_stopwords.c - loading the shipped stopword lists and hand-written
 * ones, the errors a bad file gives, and allocation failure at every step.
 * The shipped lists are read from $NR_DATA_DIR or ./lexicons (make check
 * runs from the top of the tree).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "stopwords.h"

static char tmpdir[] = "/tmp/nr-test-stopwords-XXXXXX";

static const char *data_dir(void)
{
	const char *d = getenv("NR_DATA_DIR");

	return d && *d ? d : "lexicons";
}

static int has(const struct nri_stopwords *sw, const char *w)
{
	return nri_stopwords_has(sw, w, strlen(w));
}

/* Write DIR/stopwords/<lang>.txt with the given bytes. */
static void write_list(const char *lang, const char *bytes, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/stopwords/%s.txt", tmpdir, lang);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_english(void **state)
{
	struct nri_stopwords *sw = NULL;

	(void)state;
	assert_int_equal(nri_stopwords_load(&sw, data_dir(), "en"), NR_OK);
	assert_true(nri_stopwords_count(sw) > 500);
	assert_true(has(sw, "the"));
	assert_true(has(sw, "and"));
	assert_true(has(sw, "which"));
	assert_false(has(sw, "city"));
	assert_false(has(sw, "hangzhou"));
	assert_false(has(sw, "The")); /* the caller gives folded words */
	assert_false(has(sw, ""));
	/* not NUL-terminated: "they" cut to "the" */
	assert_true(nri_stopwords_has(sw, "they", 3));
	nri_stopwords_free(sw);
	nri_stopwords_free(NULL);
	assert_false(nri_stopwords_has(NULL, "the", 3));
}

static void test_chinese(void **state)
{
	struct nri_stopwords *sw = NULL;

	(void)state;
	assert_int_equal(nri_stopwords_load(&sw, data_dir(), "zh-Hans"), NR_OK);
	assert_true(nri_stopwords_count(sw) > 500);
	assert_true(has(sw, "的"));
	assert_true(has(sw, "我们"));
	assert_true(has(sw, "上")); /* kept on purpose: see the file header */
	assert_false(has(sw, "杭州"));
	assert_false(has(sw, "西湖"));
	nri_stopwords_free(sw);
}

static void test_not_found(void **state)
{
	static const char *const langs[] = {"xx", "", "../en", "en/..", "e1", "zz-ZZ"};
	struct nri_stopwords *sw = (struct nri_stopwords *)&sw;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		assert_int_equal(nri_stopwords_load(&sw, data_dir(), langs[i]), NR_ENOTFOUND);
		assert_null(sw);
	}
	assert_int_equal(nri_stopwords_load_ex(&sw, "/nonexistent/narrate", "en", err,
					       sizeof(err)),
			 NR_ENOTFOUND);
	assert_non_null(strstr(err, "/nonexistent/narrate/stopwords/en.txt"));
	assert_int_equal(nri_stopwords_load(&sw, NULL, "en"), NR_EINVAL);
	assert_int_equal(nri_stopwords_load(&sw, data_dir(), NULL), NR_EINVAL);
}

/* Comments, blank lines, surrounding white space, CRLF, and words that a
 * person did not fold. */
static void test_hand_written(void **state)
{
	static const char list[] = "# a hand-written list\n"
				   "\n"
				   "  The \r\n"
				   "STRASSE\n"
				   "Ärger\n"
				   "#notaword\n"
				   "of course\n"
				   "last";
	struct nri_stopwords *sw = NULL;

	(void)state;
	write_list("qa", list, sizeof(list) - 1);
	assert_int_equal(nri_stopwords_load(&sw, tmpdir, "qa"), NR_OK);
	assert_int_equal(nri_stopwords_count(sw), 5);
	assert_true(has(sw, "the"));
	assert_true(has(sw, "strasse"));
	assert_true(has(sw, "ärger"));
	assert_true(has(sw, "of course"));
	assert_true(has(sw, "last"));
	assert_false(has(sw, "#notaword"));
	assert_false(has(sw, "notaword"));
	assert_false(has(sw, "The"));
	nri_stopwords_free(sw);
}

static void test_malformed(void **state)
{
	static const char bad_utf8[] = "one\ntwo\nth\xc3\x28ree\n";
	static const char nul[] = "one\nt\0wo\n";
	struct nri_stopwords *sw = (struct nri_stopwords *)&sw;
	char err[256], longline[2100];

	(void)state;
	write_list("qb", bad_utf8, sizeof(bad_utf8) - 1);
	assert_int_equal(nri_stopwords_load_ex(&sw, tmpdir, "qb", err, sizeof(err)), NR_EPARSE);
	assert_null(sw);
	assert_non_null(strstr(err, "qb.txt' line 3"));

	write_list("qc", nul, sizeof(nul) - 1);
	assert_int_equal(nri_stopwords_load_ex(&sw, tmpdir, "qc", err, sizeof(err)), NR_EPARSE);
	assert_non_null(strstr(err, "line 2"));

	memset(longline, 'a', sizeof(longline));
	write_list("qd", longline, sizeof(longline));
	assert_int_equal(nri_stopwords_load(&sw, tmpdir, "qd"), NR_EPARSE);
	assert_null(sw);
}

static void test_alloc_failure(void **state)
{
	struct nri_stopwords *sw = NULL;
	long n;
	int rc = NR_ENOMEM, failures = 0;

	(void)state;
	for (n = 1; n < 100000; n++) {
		nri_alloc_fail_at(n);
		rc = nri_stopwords_load(&sw, data_dir(), "en");
		nri_alloc_fail_at(0);
		if (rc != NR_ENOMEM)
			break;
		assert_null(sw);
		failures++;
	}
	assert_int_equal(rc, NR_OK);
	assert_true(failures >= 4); /* path, handle, file buffer, map */
	assert_true(has(sw, "the"));
	nri_stopwords_free(sw);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/stopwords", tmpdir);
	return mkdir(path, 0700);
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),     cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_not_found),   cmocka_unit_test(test_hand_written),
		cmocka_unit_test(test_malformed),   cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
