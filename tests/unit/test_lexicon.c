/*
 * test_lexicon.c - the .nlex parser: every error with its line:col, the
 * all-or-nothing load, the accessors (headers, categories and roll-up,
 * languages and counts, entities and attributes), and allocation failure
 * at every step of a load.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "lexicon.h"

static const char good[] = "# a lexicon written for this test\n"
			   "@lexicon demo\n"
			   "@version 1\n"
			   "@source written for the narrate tests\n"
			   "@source second source line\n"
			   "@licence CC0\n"
			   "@description tests\n"
			   "@kind entities\n"
			   "@category place/city Cities of the test\n"
			   "@entity 330100\n"
			   "@attr name_en Hangzhou\n"
			   "@attr lat 30.2741\n"
			   "@lang zh\n"
			   "杭州\n"
			   "@lang zh-Hant\n"
			   "杭州\n"
			   "@lang en\n"
			   "Hangzhou\n"
			   "@entity 610100 place/city\n"
			   "@attr name_en Xi'an\n"
			   "Xi'an\n"
			   "Xian | w=2\n"
			   "@lang zh\n"
			   "西安\n"
			   "-西安路\n"
			   "@category place/river\n"
			   "@lang en\n"
			   "West Lake\n"
			   "\\#hashtag\n";

static struct nr_lexicon *load_ok(const char *src)
{
	struct nr_lexicon *lex;
	int rc;

	assert_int_equal(nr_lexicon_new(&lex), NR_OK);
	rc = nr_lexicon_load_buffer(lex, src, strlen(src), "t.nlex");
	if (rc)
		fprintf(stderr, "%s\n", nr_lexicon_errmsg(lex));
	assert_int_equal(rc, NR_OK);
	assert_string_equal(nr_lexicon_errmsg(lex), "");
	return lex;
}

static void test_accessors(void **state)
{
	struct nr_lexicon *lex = load_ok(good);
	int city, river, place, e, cat, ent, lang, neg, blocking;
	double counts[8] = {0}, w;
	const char *k, *v;
	size_t line, i, zh = 0;

	(void)state;
	assert_string_equal(nr_lexicon_name(lex), "demo");
	assert_int_equal(nr_lexicon_kind(lex), NR_LEXICON_ENTITIES);
	assert_string_equal(nr_lexicon_header(lex, "source", 1), "second source line");
	assert_null(nr_lexicon_header(lex, "source", 2));
	assert_string_equal(nr_lexicon_header(lex, "license", 0), "CC0");
	assert_string_equal(nr_lexicon_header(lex, "version", 0), "1");
	/* categories: the implied parent comes first */
	assert_int_equal(nr_lexicon_category_count(lex), 3);
	place = nr_lexicon_category_find(lex, "place");
	city = nr_lexicon_category_find(lex, "place/city");
	river = nr_lexicon_category_find(lex, "place/river");
	assert_int_equal(place, 0);
	assert_true(city > place && river > place);
	assert_int_equal(nr_lexicon_category_parent(lex, city), place);
	assert_int_equal(nr_lexicon_category_parent(lex, place), -1);
	assert_int_equal(nr_lexicon_category_parent(lex, 99), -1);
	assert_int_equal(nr_lexicon_category_find(lex, "city"), -1);
	assert_string_equal(nr_lexicon_category_description(lex, city), "Cities of the test");
	assert_string_equal(nr_lexicon_category_description(lex, place), "");
	/* roll-up: leaves add into their ancestors */
	counts[city] = 3;
	counts[river] = 2;
	nr_lexicon_rollup(lex, counts);
	assert_true(counts[place] == 5 && counts[city] == 3 && counts[river] == 2);
	/* entries: 9 terms, one blocking */
	assert_int_equal(nr_lexicon_entry_count(lex), 9);
	assert_int_equal(nr_lexicon_count(lex, -1, -1), 8);
	assert_int_equal(nr_lexicon_count(lex, river, -1), 2);
	for (i = 0; i < nr_lexicon_lang_count(lex); i++)
		if (!strcmp(nr_lexicon_lang_name(lex, (int)i), "zh"))
			zh = i;
	assert_true(zh > 0);
	assert_string_equal(nr_lexicon_lang_name(lex, 0), "*");
	assert_int_equal(nr_lexicon_count(lex, city, (int)zh), 2);
	assert_string_equal(nr_lexicon_entry_term(lex, 8), "#hashtag");
	assert_int_equal(
		nr_lexicon_entry_info(lex, 4, &cat, &ent, &lang, &w, &neg, &blocking, &line),
		NR_OK);
	assert_int_equal(cat, city);
	assert_string_equal(nr_lexicon_entity_id(lex, ent), "610100");
	assert_true(w == 2.0);
	assert_int_equal(line, 22);
	assert_int_equal(blocking, 0);
	assert_int_equal(
		nr_lexicon_entry_info(lex, 6, NULL, NULL, NULL, NULL, NULL, &blocking, NULL),
		NR_OK);
	assert_int_equal(blocking, 1);
	assert_string_equal(nr_lexicon_entry_term(lex, 6), "西安路");
	assert_int_equal(nr_lexicon_entry_info(lex, 99, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			 NR_EINVAL);
	/* entities and attributes */
	assert_int_equal(nr_lexicon_entity_count(lex), 2);
	e = nr_lexicon_entity_find(lex, "610100");
	assert_int_equal(e, 1);
	assert_int_equal(nr_lexicon_entity_find(lex, "999"), -1);
	assert_int_equal(nr_lexicon_entity_category(lex, e), city);
	assert_string_equal(nr_lexicon_entity_attr(lex, 0, "lat"), "30.2741");
	assert_null(nr_lexicon_entity_attr(lex, 0, "lon"));
	assert_int_equal(nr_lexicon_entity_attr_at(lex, 0, 1, &k, &v), NR_OK);
	assert_string_equal(k, "lat");
	assert_int_equal(nr_lexicon_entity_attr_at(lex, 0, 2, &k, &v), NR_ENOTFOUND);
	nr_lexicon_free(lex);
	nr_lexicon_free(NULL);
}

/* Each bad lexicon, with the line, column and words its message must
 * carry. */
static const struct {
	const char *src;
	int rc;
	size_t line, col;
	const char *says;
} bad[] = {
	{"@lexicon x\n@category a\n@foo bar\n", NR_EPARSE, 3, 1, "unknown directive '@foo'"},
	{"@lexicon x\n@category a\n  @Category b\n", NR_EPARSE, 3, 3, "unknown directive"},
	{"@lexicon x\n@category a\nab\xff"
	 "c\n",
	 NR_EUTF8, 3, 3, "invalid UTF-8"},
	{"@lexicon x\n@category a\n杭州\xe6\x9d\n", NR_EUTF8, 3, 3, "invalid UTF-8"},
	{"@lexicon x\n@category a\n\xc0\xaf\n", NR_EUTF8, 3, 1, "invalid UTF-8"},
	{"@lexicon x\n@kind entities\n@category c\n@entity 1\nA\n@entity 1\nB\n", NR_EPARSE, 6, 9,
	 "duplicate entity id '1' (first at line 4)"},
	{"@lexicon x\n@kind entities\n@category 330100\n@entity 330100\nA\n", NR_EPARSE, 4, 9,
	 "both a category and an entity"},
	{"@lexicon x\n@kind entities\n@category c\n@entity c2\nA\n@category c2\n", NR_EPARSE, 6, 11,
	 "both an entity and a category"},
	{"@lexicon x\n@category a\n|w=2\n", NR_EPARSE, 3, 1, "empty entry"},
	{"@lexicon x\n@category a\n  *\n", NR_EPARSE, 3, 3, "a lone '*'"},
	{"@lexicon x\n@category a\n-\n", NR_EPARSE, 3, 2, "empty entry"},
	{"@lexicon x\n@category a\n' \n", NR_EPARSE, 3, 1, "empty entry"},
	{"@lexicon x\n@category a\ngood | w=abc\n", NR_EPARSE, 3, 10, "bad weight 'abc'"},
	{"@lexicon x\n@category a\ngood | w=nan\n", NR_EPARSE, 3, 10, "bad weight"},
	{"@lexicon x\n@category a\ngood | w=1e999\n", NR_EPARSE, 3, 10, "bad weight"},
	{"@lexicon x\n@category a\ngood | w=\n", NR_EPARSE, 3, 10, "bad weight"},
	{"@lexicon x\n@category a\ngood | w=1 w=2\n", NR_EPARSE, 3, 12, "given twice"},
	{"@lexicon x\n@category a\ngood | neg=x\n", NR_EPARSE, 3, 12, "bad negation window"},
	{"@lexicon x\n@category a\ngood | strength=2\n", NR_EPARSE, 3, 8,
	 "unknown option 'strength'"},
	{"@lexicon x\n@category a\ngood | w\n", NR_EPARSE, 3, 8, "bad option"},
	{"@lexicon x\ngood\n", NR_EPARSE, 2, 1, "entry before any @category or @entity"},
	{"@lexicon x\n@kind entities\n@category c\n@entity 1\n@lang en\nSuzhou\n"
	 "@entity 2\n@lang en\nSuzhou\n",
	 NR_EPARSE, 9, 1, "ambiguous homonym 'Suzhou': entities '1' (line 6) and '2'"},
	{"@lexicon x\n@kind entities\n@category c\n@entity 1\nSuzhou | w=2\n"
	 "@entity 2\nsuzhou | w=2\n@entity 3\nSUZHOU | w=3\n@entity 4\nSuzhou\n",
	 NR_OK, 0, 0, ""},
	{"@lexicon x\n@category c\nzhongshan road\n-Zhongshan  Road\n", NR_EPARSE, 4, 1,
	 "both a blocking entry and an entry (line 3)"},
	{"@category a\n@lexicon x\n", NR_EPARSE, 1, 1, "first directive must be '@lexicon NAME'"},
	{"good\n", NR_EPARSE, 1, 1, "first directive"},
	{"# only a comment\n", NR_EPARSE, 0, 0, "no '@lexicon NAME' line"},
	{"@lexicon x\n@lexicon y\n", NR_EPARSE, 2, 1, "given twice"},
	{"@lexicon X Y\n", NR_EPARSE, 1, 10, "bad lexicon name"},
	{"@lexicon x\n@category a\n@source late\n", NR_EPARSE, 3, 1,
	 "header directive '@source' after"},
	{"@lexicon x\n@kind people\n", NR_EPARSE, 2, 7, "bad kind 'people'"},
	{"@lexicon x\n@category A/b\n", NR_EPARSE, 2, 11, "bad category path 'A/b'"},
	{"@lexicon x\n@category a//b\n", NR_EPARSE, 2, 11, "bad category path"},
	{"@lexicon x\n@category a\n@category a other text\n@category a again\n", NR_EPARSE, 4, 13,
	 "already has another description"},
	{"@lexicon x\n@lang en_US\n", NR_EPARSE, 2, 7, "bad language tag"},
	{"@lexicon x\n@category a\n@entity 1\n", NR_EPARSE, 3, 1, "needs '@kind entities'"},
	{"@lexicon x\n@kind entities\n@entity 1\n", NR_EPARSE, 3, 1, "has no category"},
	{"@lexicon x\n@kind entities\n@category a\n@entity a/b\n", NR_EPARSE, 4, 9,
	 "bad entity id"},
	{"@lexicon x\n@category a\n@attr k v\n", NR_EPARSE, 3, 1, "'@attr' outside an @entity"},
	{"@lexicon x\n@kind entities\n@category a\n@entity 1\n@attr Key v\n", NR_EPARSE, 5, 7,
	 "bad attribute key"},
	{"@lexicon x\n@kind entities\n@category a\n@entity 1\n@attr key\n", NR_EPARSE, 5, 10,
	 "has no value"},
	{"@lexicon x\n@category a\nnew * york\n", NR_EPARSE, 3, 5, "wildcard only at the end"},
	{"@lexicon x\n@category a\nnew *\n", NR_EPARSE, 3, 5, "a wildcard must end a word"},
	{"@lexicon x\n@category a\n杭州\\q\n", NR_EPARSE, 3, 3, "unknown escape '\\q'"},
	{"@lexicon x\n@category a\nab\\\n", NR_EPARSE, 3, 3, "escapes nothing"},
	{"@lexicon x\n@negators en\n", NR_EPARSE, 2, 13, "lists no word"},
	{"@lexicon x\n@negators\n", NR_EPARSE, 2, 10, "needs a language tag and words"},
	{"@lexicon x\n@negators en not no*\n", NR_EPARSE, 2, 18, "cannot have a wildcard"},
	{"@lexicon x\n@negation -1\n", NR_EPARSE, 2, 11, "bad negation window"},
	{"@lexicon x\n@negation 5000\n", NR_EPARSE, 2, 11, "bad negation window"},
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nr_lexicon *lex;
		int rc;

		assert_int_equal(nr_lexicon_new(&lex), NR_OK);
		rc = nr_lexicon_load_buffer(lex, bad[i].src, strlen(bad[i].src), "t.nlex");
		if (rc != bad[i].rc || !strstr(nr_lexicon_errmsg(lex), bad[i].says) ||
		    nr_lexicon_error_line(lex) != bad[i].line ||
		    nr_lexicon_error_col(lex) != bad[i].col)
			fail_msg("case %zu: rc %d, line %zu col %zu, message '%s'", i, rc,
				 nr_lexicon_error_line(lex), nr_lexicon_error_col(lex),
				 nr_lexicon_errmsg(lex));
		if (bad[i].line) {
			char prefix[64];

			snprintf(prefix, sizeof(prefix), "t.nlex:%zu:%zu: ", bad[i].line,
				 bad[i].col);
			assert_true(!strncmp(nr_lexicon_errmsg(lex), prefix, strlen(prefix)));
		}
		/* nothing was loaded */
		if (rc)
			assert_int_equal(nr_lexicon_entry_count(lex), 0);
		nr_lexicon_free(lex);
	}
}

static void test_homonym_weights(void **state)
{
	const char *src = bad[22].src;
	struct nr_lexicon *lex = load_ok(src);
	const struct nri_lexdata *d = nri_lexicon_data(lex);
	size_t i, winners = 0;

	(void)state;
	/* entity 3 has the highest weight: every other Suzhou is shadowed */
	for (i = 0; i < d->nentries; i++) {
		if (!d->entries[i].shadowed) {
			winners++;
			assert_string_equal(d->entities[d->entries[i].entity].id, "3");
		}
	}
	assert_int_equal(winners, 1);
	nr_lexicon_free(lex);
}

static void test_failed_load_keeps_old(void **state)
{
	struct nr_lexicon *lex = load_ok(good);
	const char *broken = "@lexicon other\n@category a\nfine\n@oops\n";
	const char *second = "@lexicon second\n@category a\none\n";

	(void)state;
	assert_int_equal(nr_lexicon_load_buffer(lex, broken, strlen(broken), "b.nlex"), NR_EPARSE);
	assert_string_equal(nr_lexicon_errmsg(lex), "b.nlex:4:1: unknown directive '@oops'");
	assert_string_equal(nr_lexicon_name(lex), "demo");
	assert_int_equal(nr_lexicon_entry_count(lex), 9);
	assert_int_equal(nr_lexicon_entity_find(lex, "330100"), 0);
	/* a good load replaces the content */
	assert_int_equal(nr_lexicon_load_buffer(lex, second, strlen(second), NULL), NR_OK);
	assert_string_equal(nr_lexicon_name(lex), "second");
	assert_int_equal(nr_lexicon_entry_count(lex), 1);
	assert_int_equal(nr_lexicon_entity_count(lex), 0);
	nr_lexicon_free(lex);
}

static void test_terms(void **state)
{
	const char *src = "@lexicon t\n@category a\n"
			  "\\@home\n\\-minus\nfive \\* stars\nA\\|B\ntouris*\n"
			  "  New   York | w=-2.5 neg=3 \r\n"
			  "\xEF\xBC\xA8\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x87\n"; /* Ｈａｎｇ */
	struct nr_lexicon *lex = load_ok(src);
	const struct nri_lexdata *d = nri_lexicon_data(lex);
	double w;
	int neg;

	(void)state;
	assert_int_equal(d->nentries, 7);
	assert_string_equal(d->entries[0].term, "@home");
	assert_string_equal(d->entries[1].term, "-minus");
	assert_int_equal(d->entries[1].blocking, 0);
	assert_string_equal(d->entries[2].term, "five * stars");
	assert_string_equal(d->entries[3].term, "A|B");
	assert_string_equal(d->entries[4].term, "touris*");
	assert_int_equal(d->entries[4].wildcard, 1);
	assert_string_equal(d->entries[5].term, "New   York");
	assert_int_equal(nr_lexicon_entry_info(lex, 5, NULL, NULL, NULL, &w, &neg, NULL, NULL),
			 NR_OK);
	assert_true(w == -2.5);
	assert_int_equal(neg, 3);
	/* the key is the normalised pieces: "new" "york" */
	assert_int_equal(d->entries[5].keylen, 11);
	assert_memory_equal(d->entries[5].key, "W\x03newW\x04york", 11);
	/* NFKC + case fold: fullwidth capitals become "hang" */
	assert_memory_equal(d->entries[6].key, "W\x04hang", 6);
	nr_lexicon_free(lex);
}

static void test_bom_crlf_and_file(void **state)
{
	const char *src = "\xEF\xBB\xBF@lexicon t\r\n@category a\r\nword\r\n";
	char path[] = "/tmp/narrate-test-lexicon-XXXXXX";
	struct nr_lexicon *lex = load_ok(src);
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(nr_lexicon_entry_count(lex), 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(good, f);
	fclose(f);
	assert_int_equal(nr_lexicon_load_file(lex, path), NR_OK);
	assert_int_equal(nr_lexicon_entry_count(lex), 9);
	remove(path);
	assert_int_equal(nr_lexicon_load_file(lex, path), NR_EIO);
	assert_non_null(strstr(nr_lexicon_errmsg(lex), "cannot open lexicon"));
	assert_int_equal(nr_lexicon_entry_count(lex), 9);
	nr_lexicon_free(lex);
}

static void test_alloc_failure(void **state)
{
	struct nr_lexicon *lex = NULL;
	long n;
	int rc = NR_ENOMEM, failures = 0;

	(void)state;
	for (n = 1; n < 100000; n++) {
		nri_alloc_fail_at(n);
		if (!lex && nr_lexicon_new(&lex) != NR_OK) {
			nri_alloc_fail_at(0);
			failures++;
			continue;
		}
		rc = nr_lexicon_load_buffer(lex, good, strlen(good), "t.nlex");
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		/* nothing half-loaded */
		assert_int_equal(nr_lexicon_entry_count(lex), 0);
		assert_int_equal(nr_lexicon_category_count(lex), 0);
		failures++;
	}
	assert_int_equal(rc, NR_OK);
	assert_true(failures > 20);
	assert_int_equal(nr_lexicon_entry_count(lex), 9);
	nr_lexicon_free(lex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_homonym_weights),
		cmocka_unit_test(test_failed_load_keeps_old),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_bom_crlf_and_file),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
