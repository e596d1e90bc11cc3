/*
 * test_lexicon_build.c - the lexicon drafter (nr_lexbuild_*) on small
 * corpora and lexicons written for these tests: the measures, a planted
 * term ranked first with its counts and contexts, the city's own and
 * other cities' names kept out, stopword-edged n-grams not proposed, the
 * draft loading back and matching, the error cases, and every allocation
 * failure returning an error without a crash or leak.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "narrate.h"
#include "alloc.h"
#include "lexicon_build.h"

static char dir[256];

static void put(const char *name, const char *data)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static const char *path_of(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* Target docs about Zeta (a city the lexicon does not know) with a planted
 * "copper bridge" and a planted 铜鼓楼; reference docs about Beta; the same
 * generic sentence everywhere.  Alpha, another city, is named in Zeta's
 * documents. */
static void write_corpus(void)
{
	FILE *f;
	char path[512];
	static const char *ctx[] = {"We walked over",	   "Everyone loves", "Photos of",
				    "At night we crossed", "Kids play near", "Rain fell on"};

	snprintf(path, sizeof(path), "%s/corpus.jsonl", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 6; i++) {
		fprintf(f,
			"{\"id\":\"z%d\",\"lang\":\"en\",\"text\":\"Zeta is a lovely place. %s the "
			"copper bridge %s. The train from Alpha was quick.\"}\n",
			i, ctx[i], i % 2 ? "today" : "again");
		fprintf(f,
			"{\"id\":\"zz%d\",\"lang\":\"zh\",\"city\":\"Zeta\",\"text\":\"%s铜鼓楼%s，"
			"这里的公园很美。\"}\n",
			i,
			i % 3 == 0   ? "我们去了"
			: i % 3 == 1 ? "早上参观"
				     : "晚上的",
			i % 2 ? "人很多" : "很安静");
	}
	for (int i = 0; i < 12; i++) {
		fprintf(f,
			"{\"id\":\"b%d\",\"lang\":\"en\",\"city\":\"Beta\",\"text\":\"Beta is a "
			"lovely "
			"place. We walked in the park %d times.\"}\n",
			i, i);
		fprintf(f,
			"{\"id\":\"bb%d\",\"lang\":\"zh\",\"city\":\"Beta\",\"text\":"
			"\"这里的公园很美，"
			"我们去了%s。\"}\n",
			i, i % 2 ? "市场" : "车站");
	}
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nr-lexbuild-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("c.nlex", "@lexicon c\n@kind entities\n@category city\n"
		      "@entity 100 city\n@attr name_en Alpha\nalpha\n"
		      "@entity 200 city\n@attr name_en Beta\nbeta\n");
	put("t.nlex", "@lexicon t\n@category topic/landmarks\nbridge\n"
		      "@category topic/nature\npark\n公园\n");
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/stopwords", dir);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	put("stopwords/en.txt", "the\na\nis\nof\nwe\nin\nover\nfrom\nwas\nat\non\n");
	put("stopwords/zh.txt", "的\n了\n很\n这里\n我们\n");
	put("empty.jsonl", "");
	write_corpus();
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void options(struct nr_lexbuild_options *o, const char *city)
{
	memset(o, 0, sizeof(*o));
	o->data_dir = dir;
	o->cities = path_of("c.nlex");
	o->topics = path_of("t.nlex");
	o->city = city;
}

static void test_measures(void **state)
{
	(void)state;
	/* 4 occurrences, 4 different neighbours: ln 4; one neighbour: 0 */
	assert_true(fabs(nri_lexbuild_entropy(4, 0) - log(4)) < 1e-12);
	assert_true(fabs(nri_lexbuild_entropy(4, 4 * log(4))) < 1e-12);
	/* 2+2: ln 2 */
	assert_true(fabs(nri_lexbuild_entropy(4, 2 * 2 * log(2)) - log(2)) < 1e-12);
	assert_true(nri_lexbuild_entropy(0, 0) == 0);
	/* PMI: f=10 in t=1000, parts 10 and 20: ln(10*1000/200) = ln 50 */
	assert_true(fabs(nri_lexbuild_pmi(10, 10, 20, 1000) - log(50)) < 1e-12);
	assert_true(isinf(nri_lexbuild_pmi(0, 1, 1, 10)));
}

static const struct nr_lexbuild_candidate *find(struct nr_lexbuild *b, const char *term,
						struct nr_lexbuild_candidate *c)
{
	for (size_t i = 0; i < nr_lexbuild_candidate_count(b); i++) {
		assert_int_equal(nr_lexbuild_candidate(b, i, c), NR_OK);
		if (!strcmp(c->term, term))
			return c;
	}
	return NULL;
}

static void test_planted(void **state)
{
	struct nr_lexbuild_options o;
	struct nr_lexbuild *b;
	struct nr_lexbuild_candidate c;
	struct nr_lexbuild_counts n;
	char cp[512];
	const char *paths[] = {cp};
	const char *aliases[] = {"阿泽", NULL};
	char *text;
	size_t len;
	struct nr_lexicon *lex;

	(void)state;
	snprintf(cp, sizeof(cp), "%s/corpus.jsonl", dir);
	options(&o, "Zeta");
	o.aliases = aliases;
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_OK);
	assert_int_equal(nr_lexbuild_run(b, paths, 1, NULL, 0), NR_OK);
	nr_lexbuild_get_counts(b, &n);
	assert_int_equal(n.target_docs, 12);
	assert_int_equal(n.reference_docs, 24);
	assert_int_equal(n.flagged_cities, 1);

	assert_non_null(find(b, "copper bridge", &c));
	assert_string_equal(c.lang, "en");
	assert_int_equal(c.rank, 1);
	assert_int_equal(c.freq, 6);
	assert_int_equal(c.docs, 6);
	assert_int_equal(c.ref_freq, 0);
	assert_true(c.g2 > 0 && c.log_ratio > 1);
	assert_non_null(c.category);
	assert_string_equal(c.category, "topic/landmarks"); /* "bridge" is its head */
	assert_non_null(c.context[0]);
	assert_non_null(c.context[1]);
	assert_non_null(strstr(c.context[0], "[copper bridge]"));
	/* "Zeta" is within 10 tokens (punctuation counts) in 5 of the 6 */
	assert_true(fabs(c.near - 5.0 / 6.0) < 1e-9);

	assert_non_null(find(b, "铜鼓楼", &c));
	assert_string_equal(c.lang, "zh");
	assert_int_equal(c.rank, 1);
	assert_int_equal(c.cjk, 1);
	/* parts of the planted words are not proposed on their own */
	assert_null(find(b, "copper", &c));
	assert_null(find(b, "bridge", &c));
	assert_null(find(b, "鼓楼", &c));
	assert_null(find(b, "铜鼓", &c));
	/* names: the city's own, another city's; a stopword at an edge;
	 * content shared with the reference */
	assert_null(find(b, "zeta", &c));
	assert_null(find(b, "Zeta", &c));
	assert_null(find(b, "alpha", &c));
	assert_null(find(b, "Alpha", &c));
	assert_null(find(b, "the copper bridge", &c));
	assert_null(find(b, "lovely place", &c));
	assert_null(find(b, "公园", &c));

	assert_int_equal(nr_lexbuild_draft(b, &text, &len), NR_OK);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "@lexicon zeta-draft\n"));
	assert_non_null(strstr(text, "\n@category topic/landmarks\n@lang en\n"));
	assert_non_null(strstr(text, "\ncopper bridge\n"));
	assert_non_null(strstr(text, "\n铜鼓楼\n"));
	assert_non_null(strstr(text, "# other city 100 Alpha"));
	assert_null(strstr(text, "\nalpha\n"));
	/* loads back, and finds the planted term in a text */
	assert_int_equal(nr_lexicon_new(&lex), NR_OK);
	assert_int_equal(nr_lexicon_load_buffer(lex, text, len, "draft"), NR_OK);
	{
		struct nr_tokenizer *tok;
		struct nr_matcher *m;
		const struct nr_token *toks;
		const struct nr_match_hit *hits;
		const struct nr_lexicon *lx[] = {lex};
		size_t nt, nh;
		const char *s = "Rain fell on the Copper-Bridge.";

		assert_int_equal(nr_tokenizer_new(&tok, NULL), NR_OK);
		assert_int_equal(nr_matcher_new(&m, lx, 1), NR_OK);
		assert_int_equal(nr_tokenize(tok, s, strlen(s), "en", &toks, &nt), NR_OK);
		assert_int_equal(nr_matcher_match(m, s, strlen(s), toks, nt, "en", &hits, &nh),
				 NR_OK);
		assert_int_equal(nh, 1);
		assert_int_equal(hits[0].offset, 17);
		nr_matcher_free(m);
		nr_tokenizer_free(tok);
	}
	nr_lexicon_free(lex);
	nr_free(text);
	nr_lexbuild_free(b);
}

static void test_errors(void **state)
{
	struct nr_lexbuild_options o;
	struct nr_lexbuild *b;
	char cp[512];
	const char *paths[] = {cp};
	char ep[512];
	const char *empty[] = {ep};
	char *text = (char *)"x";
	size_t len = 1;

	(void)state;
	snprintf(cp, sizeof(cp), "%s/corpus.jsonl", dir);
	snprintf(ep, sizeof(ep), "%s/empty.jsonl", dir);
	options(&o, "Atlantis");
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_OK);
	assert_int_equal(nr_lexbuild_run(b, paths, 1, NULL, 0), NR_ENOTFOUND);
	assert_non_null(strstr(nr_lexbuild_errmsg(b), "no document is about 'Atlantis'"));
	assert_int_equal(nr_lexbuild_draft(b, &text, &len), NR_EINVAL);
	assert_null(text);
	nr_lexbuild_free(b);

	options(&o, "Zeta");
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_OK);
	assert_int_equal(nr_lexbuild_run(b, empty, 1, NULL, 0), NR_ENOTFOUND);
	assert_non_null(strstr(nr_lexbuild_errmsg(b), "holds no document"));
	nr_lexbuild_free(b);

	options(&o, "Zeta");
	o.flags = NR_LEXBUILD_ALL;
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_OK);
	assert_int_equal(nr_lexbuild_run(b, paths, 1, NULL, 0), NR_EINVAL);
	nr_lexbuild_free(b);

	/* a known city by id: Beta is 200; its own name is never proposed */
	options(&o, "200");
	o.min_docs = 2;
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_OK);
	assert_int_equal(nr_lexbuild_run(b, paths, 1, NULL, 0), NR_OK);
	for (size_t i = 0; i < nr_lexbuild_candidate_count(b); i++) {
		struct nr_lexbuild_candidate c;

		assert_int_equal(nr_lexbuild_candidate(b, i, &c), NR_OK);
		assert_null(strstr(c.term, "beta"));
		assert_null(strstr(c.term, "Beta"));
	}
	nr_lexbuild_free(b);

	options(&o, "");
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_EINVAL);
	nr_lexbuild_free(b);
	options(&o, "Zeta");
	o.name = "Bad Name";
	assert_int_equal(nr_lexbuild_new(&b, &o), NR_EINVAL);
	nr_lexbuild_free(b);
}

/* Every allocation failing in turn: an error code, never a crash, and
 * (under ASan) no leak; then the run completes. */
static void test_enomem(void **state)
{
	char cp[512];
	const char *paths[] = {cp};
	int done = 0;

	(void)state;
	snprintf(cp, sizeof(cp), "%s/corpus.jsonl", dir);
	for (long n = 1; n < 200000 && !done; n += n < 400 ? 1 : 37) {
		struct nr_lexbuild_options o;
		struct nr_lexbuild *b = NULL;
		char *text = NULL;
		size_t len;
		int rc;

		options(&o, "Zeta");
		nri_alloc_fail_at(n);
		rc = nr_lexbuild_new(&b, &o);
		if (!rc)
			rc = nr_lexbuild_run(b, paths, 1, NULL, 0);
		if (!rc)
			rc = nr_lexbuild_draft(b, &text, &len);
		nri_alloc_fail_at(0);
		if (rc == NR_OK) {
			done = 1;
			assert_non_null(text);
		} else {
			assert_true(rc < 0);
		}
		nr_free(text);
		nr_lexbuild_free(b);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measures),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
