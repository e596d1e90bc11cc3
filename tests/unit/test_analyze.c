/*
 * test_analyze.c - the analysis pipeline through the public API, on small
 * corpora and lexicons written for these tests: accounting (read =
 * analysed + rejected), city attribution, thread-count invariance, and
 * measures moving the right way when the planted structure changes.
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
#include "analyze.h" /* nri_analysis_set_rejects_kept */

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

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nr-analyze-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("c.nlex", "@lexicon c\n@kind entities\n@category city\n"
		      "@entity 100 city\n@attr name_en Alpha\n@attr region east\n@attr lat 40\n"
		      "alpha\nalphaville\n@lang zh\n阿尔法\n"
		      "@entity 200 city\n@attr name_en Beta\n@attr region west\n@attr lat 25\n"
		      "beta\n"
		      "@entity 300 city\n@attr name_en Gamma\n@attr lat 30\ngamma\n");
	put("t.nlex", "@lexicon t\n@category topic/food\nnoodles\ndumplings\n"
		      "@category topic/nature\nlake\nmountain\n@category topic/history\ntemple\n");
	put("f.nlex", "@lexicon f\n@category frame/major_event\nmarathon\nexpo\n"
		      "@category frame/emotional\nlove\nmemories\n"
		      "@category frame/history_tradition\nancient\n"
		      "@category frame/interaction_call\nvisit us\njoin\n");
	put("n.nlex", "@lexicon n\n@negators en not never\n@negation 2\n"
		      "@category tone/positive\ngood | w=2\nlovely\n"
		      "@category tone/negative\nbad | w=-2\ndirty\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static struct nr_analysis *run(const char *corpus_name, unsigned threads, int most,
			       const char *group_by)
{
	struct nr_analysis_options o = { 0 };
	struct nr_corpus *c;
	struct nr_analysis *a;
	char cities[512], topics[512], frames[512], tone[512];

	snprintf(cities, sizeof(cities), "%s/c.nlex", dir);
	snprintf(topics, sizeof(topics), "%s/t.nlex", dir);
	snprintf(frames, sizeof(frames), "%s/f.nlex", dir);
	snprintf(tone, sizeof(tone), "%s/n.nlex", dir);
	o.cities = cities;
	o.topics = topics;
	o.frames = frames;
	o.tone = tone;
	o.threads = threads;
	o.lang = "en";
	o.group_by = group_by;
	o.attribution = most ? NR_ATTRIBUTE_MOST : NR_ATTRIBUTE_ALL;
	assert_int_equal(nr_analysis_new(&a, &o), NR_OK);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path_of(corpus_name)), NR_OK);
	assert_int_equal(nr_analysis_run(a, c, NULL, NULL), NR_OK);
	nr_corpus_free(c);
	return a;
}

static size_t find(const struct nr_analysis *a, const char *id)
{
	struct nr_analysis_counts n;

	nr_analysis_get_counts(a, &n);
	for (size_t i = 0; i < n.groups; i++)
		if (!strcmp(nr_analysis_group_id(a, i), id))
			return i;
	fail_msg("no group '%s'", id);
	return 0;
}

static double m(const struct nr_analysis *a, const char *id, const char *name)
{
	return nr_analysis_group_measure(a, find(a, id), name);
}

static void test_accounting_and_attribution(void **state)
{
	struct nr_analysis *a;
	struct nr_analysis_counts n;

	(void)state;
	put("a.jsonl",
	    "{\"id\":\"1\",\"text\":\"Noodles by the lake in Alpha.\",\"city\":\"ALPHA\"}\n"
	    "{\"id\":\"2\",\"text\":\"Beta and Alpha and Alpha again: a good temple.\"}\n"
	    "{\"id\":\"3\",\"text\":\"Nothing about any city here.\"}\n"
	    "{\"id\":\"4\",\"text\":\"Osaka is not in the lexicon.\",\"city\":\"Osaka\"}\n"
	    "{\"id\":\"5\",\"text\":\"by id\",\"city\":\"300\"}\n"
	    "{\"id\":\"6\"}\n"
	    "not json\n");
	a = run("a.jsonl", 1, 0, NULL);
	nr_analysis_get_counts(a, &n);
	assert_int_equal(n.read, 7);
	assert_int_equal(n.rejected, 2);
	assert_int_equal(n.analysed, 5);
	assert_int_equal(n.read, n.analysed + n.rejected);
	assert_int_equal(n.unattributed, 1);
	/* groups: 100 (docs 1, 2), 200 (doc 2), 300 (doc 5), Osaka (doc 4) */
	assert_int_equal(n.groups, 4);
	assert_true(m(a, "100", "documents") == 2);
	assert_true(m(a, "200", "documents") == 1);
	assert_true(m(a, "300", "documents") == 1);
	assert_true(m(a, "Osaka", "documents") == 1);
	assert_string_equal(nr_analysis_group_name(a, find(a, "100")), "Alpha");
	nr_analysis_free(a);

	/* --attribution most: document 2 mentions Alpha twice, Beta once */
	a = run("a.jsonl", 1, 1, NULL);
	assert_true(m(a, "100", "documents") == 2);
	nr_analysis_get_counts(a, &n);
	assert_int_equal(n.groups, 3); /* no Beta group */
	nr_analysis_free(a);
}

/* Write a corpus: per city, `docs` posts; a share `tmpl` of them use one
 * template shared by every city, the rest words of their own. */
static void make_corpus(const char *name, double tmpl, int frames_alpha)
{
	static const char *const cities[] = { "Alpha", "Beta", "Gamma" };
	static const char *const own[3][6] = {
		{ "granite", "harbour", "lantern", "orchard", "violin", "copper" },
		{ "desert", "camel", "saffron", "pottery", "drum", "silk" },
		{ "glacier", "pine", "yak", "butter", "prayer", "valley" }
	};
	static const char *const frame_words[] = { "marathon", "love", "ancient", "join" };
	char path[512];
	FILE *f;
	int id = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int c = 0; c < 3; c++)
		for (int d = 0; d < 40; d++) {
			fprintf(f, "{\"id\":\"%d\",\"city\":\"%s\",\"text\":\"", id++, cities[c]);
			if (d < tmpl * 40)
				fprintf(f, "welcome to a perfect blend of tradition and modernity "
					   "with delicious food and friendly people");
			else
				for (int w = 0; w < 12; w++)
					fprintf(f, "%s ", own[c][(d * 7 + w * 3) % 6]);
			if (c == 0)
				fprintf(f, " %s", frame_words[d % frames_alpha]);
			else
				fprintf(f, " marathon");
			fprintf(f, "\"}\n");
		}
	fclose(f);
}

static void test_threads_identical(void **state)
{
	struct nr_analysis *a1, *a3;
	struct nr_analysis_counts n1, n3;
	static const char *const names[] = { "documents", "tokens", "types", "ttr", "mattr",
					     "mtld", "hdd", "yules_k", "frame_shannon",
					     "cosine_mean", "distinct_share", "tone_net" };

	(void)state;
	make_corpus("t.jsonl", 0.3, 4);
	a1 = run("t.jsonl", 1, 0, NULL);
	a3 = run("t.jsonl", 3, 0, NULL);
	nr_analysis_get_counts(a1, &n1);
	nr_analysis_get_counts(a3, &n3);
	assert_int_equal(n1.groups, n3.groups);
	for (size_t i = 0; i < n1.groups; i++) {
		assert_string_equal(nr_analysis_group_id(a1, i), nr_analysis_group_id(a3, i));
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			double x = nr_analysis_group_measure(a1, i, names[k]);
			double y = nr_analysis_group_measure(a3, i, names[k]);

			/* bit-identical, NAN included */
			if (memcmp(&x, &y, sizeof(x)))
				print_message("%s %s: %.17g vs %.17g\n", nr_analysis_group_id(a1, i),
					      names[k], x, y);
			assert_memory_equal(&x, &y, sizeof(x));
		}
	}
	nr_analysis_free(a1);
	nr_analysis_free(a3);
}

static void test_measures_move(void **state)
{
	struct nr_analysis *lo, *hi;

	(void)state;
	/* more template reuse -> higher cosine, lower distinctiveness */
	make_corpus("lo.jsonl", 0.1, 4);
	make_corpus("hi.jsonl", 0.8, 4);
	lo = run("lo.jsonl", 2, 0, NULL);
	hi = run("hi.jsonl", 2, 0, NULL);
	for (int c = 0; c < 3; c++) {
		const char *id = c == 0 ? "100" : c == 1 ? "200" : "300";

		assert_true(m(hi, id, "cosine_mean") > m(lo, id, "cosine_mean"));
		assert_true(m(hi, id, "distinct_share") < m(lo, id, "distinct_share"));
	}
	nr_analysis_free(lo);
	nr_analysis_free(hi);

	/* more frames -> higher frame diversity */
	make_corpus("f1.jsonl", 0.3, 1);
	make_corpus("f4.jsonl", 0.3, 4);
	lo = run("f1.jsonl", 1, 0, NULL);
	hi = run("f4.jsonl", 1, 0, NULL);
	assert_true(m(lo, "100", "frame_hill0") == 1);
	assert_true(m(hi, "100", "frame_hill0") == 4);
	assert_true(m(hi, "100", "frame_shannon") > m(lo, "100", "frame_shannon"));
	assert_true(fabs(m(hi, "100", "frame_hill1") - 4) < 1e-9); /* 10 docs each */
	/* "join" is the interaction frame: a quarter of Alpha's posts */
	assert_true(fabs(m(hi, "100", "interaction_rate") - 0.25) < 1e-9);
	nr_analysis_free(lo);
	nr_analysis_free(hi);
}

static void test_tone_and_groups(void **state)
{
	struct nr_analysis *a;

	(void)state;
	put("tone.jsonl",
	    "{\"id\":\"1\",\"city\":\"Alpha\",\"platform\":\"weibo\",\"date\":\"2024-05-01\","
	    "\"text\":\"good good lovely not good\"}\n"
	    "{\"id\":\"2\",\"city\":\"Alpha\",\"platform\":\"x\",\"date\":\"2024-06-01\","
	    "\"text\":\"bad dirty street\"}\n");
	/* 5 + 3 word tokens; positive: good good lovely = 3; negative: "not
	 * good" (negated) + bad + dirty = 3 */
	a = run("tone.jsonl", 1, 0, NULL);
	assert_true(fabs(m(a, "100", "tone_pos") - 3.0 / 8) < 1e-12);
	assert_true(fabs(m(a, "100", "tone_neg") - 3.0 / 8) < 1e-12);
	assert_true(fabs(m(a, "100", "tone_net")) < 1e-12);
	nr_analysis_free(a);

	a = run("tone.jsonl", 1, 0, "city,platform");
	assert_true(m(a, "100|weibo", "documents") == 1);
	assert_true(m(a, "100|x", "documents") == 1);
	assert_string_equal(nr_analysis_group_name(a, find(a, "100|weibo")), "Alpha | weibo");
	nr_analysis_free(a);
	a = run("tone.jsonl", 1, 0, "city,month");
	assert_true(m(a, "100|2024-05", "documents") == 1);
	nr_analysis_free(a);
}

static void test_bad_options(void **state)
{
	struct nr_analysis_options o = { 0 };
	struct nr_analysis *a;

	(void)state;
	o.group_by = "city,weather";
	o.cities = o.topics = o.frames = o.tone = "";
	assert_int_equal(nr_analysis_new(&a, &o), NR_EINVAL);
	assert_non_null(strstr(nr_analysis_errmsg(a), "weather"));
	nr_analysis_free(a);
	o.group_by = NULL;
	o.cities = "/nonexistent/x.nlex";
	assert_int_equal(nr_analysis_new(&a, &o), NR_ENOTFOUND);
	assert_non_null(strstr(nr_analysis_errmsg(a), "/nonexistent/x.nlex"));
	nr_analysis_free(a);
}

/* One run with the nth allocation (and every later one) failing: it must
 * say NR_ENOMEM, whether at set-up, on a worker or at the end, free what
 * it made (the sanitizer build checks) and never crash.  NR_OK when the
 * run needed fewer than n allocations. */
static int run_failing(long n, unsigned threads, long *count)
{
	struct nr_analysis_options o = { 0 };
	struct nr_corpus *c = NULL;
	struct nr_analysis *a = NULL;
	char cities[512], topics[512], frames[512], tone[512];
	int rc;

	snprintf(cities, sizeof(cities), "%s/c.nlex", dir);
	snprintf(topics, sizeof(topics), "%s/t.nlex", dir);
	snprintf(frames, sizeof(frames), "%s/f.nlex", dir);
	snprintf(tone, sizeof(tone), "%s/n.nlex", dir);
	o.cities = cities;
	o.topics = topics;
	o.frames = frames;
	o.tone = tone;
	o.threads = threads;
	o.lang = "en";
	nri_alloc_fail_at(n);
	rc = nr_analysis_new(&a, &o);
	if (rc == NR_OK)
		rc = nr_corpus_new(&c, NULL);
	if (rc == NR_OK)
		rc = nr_corpus_add_path(c, path_of("af.jsonl"));
	if (rc == NR_OK)
		rc = nr_analysis_run(a, c, NULL, NULL);
	nr_corpus_free(c);
	nr_analysis_free(a);
	if (count)
		*count = nri_alloc_count();
	nri_alloc_fail_at(0);
	return rc;
}

static void test_alloc_failure(void **state)
{
	char docs[8192];
	size_t len = 0;

	(void)state;
	/* cities, topics, frames, tone, a reply, repeated posts (near
	 * duplicates, cliches), an unattributed one */
	for (int i = 0; i < 24; i++)
		len += (size_t)snprintf(
			docs + len, sizeof(docs) - len,
			"{\"id\":\"%d\",\"text\":\"%s%s noodles by the lake, a good ancient "
			"temple; visit us for the marathon %d\",\"likes\":%d}\n",
			i, i % 5 == 0 ? "@x " : "",
			i % 3 == 0 ? "Alpha" : i % 3 == 1 ? "Beta and Gamma" : "Nowhere", i % 4,
			i);
	put("af.jsonl", docs);
	for (unsigned threads = 1; threads <= 2; threads++) {
		long total;

		assert_int_equal(run_failing(0, threads, &total), NR_OK);
		assert_true(total > 100);
		/* every allocation, one at a time; with 2 threads the nth is
		 * not always the same one, nor the count the same (which
		 * worker takes which batch), so a run may also end first */
		for (long n = 1; n <= total; n++) {
			long used;
			int rc = run_failing(n, threads, &used);

			/* success only by needing fewer than n allocations */
			if (rc != NR_ENOMEM && !(rc == NR_OK && used < n))
				fail_msg("allocation %ld of %ld failing, %u threads: %s", n, total,
					 threads, nr_strerror(rc));
		}
		if (threads == 1)
			assert_int_equal(run_failing(total + 1, threads, NULL), NR_OK);
	}
}

/* Documents in a language with no stopword list are counted, by code;
 * "English" and "eng" reach the English list and are not. */
/* rejects.jsonl of a run where the reader and each worker hold `kept`
 * rejects before moving them to a temporary file (0: all held), read back
 * whole; *count gets the manifest's count. */
static char *rejects_of(const char *corpus_name, unsigned threads, size_t kept, uint64_t *count)
{
	struct nr_analysis_options o = { 0 };
	struct nr_analysis_counts n;
	struct nr_corpus *c;
	struct nr_analysis *a;
	char out[600], path[700], *buf;
	FILE *f;
	long len;

	o.cities = path_of("c.nlex");
	o.topics = "";
	o.frames = "";
	o.tone = "";
	o.threads = threads;
	o.lang = "en";
	o.flags = NR_ANALYZE_NO_REPORT;
	assert_int_equal(nr_analysis_new(&a, &o), NR_OK);
	nri_analysis_set_rejects_kept(a, kept);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path_of(corpus_name)), NR_OK);
	assert_int_equal(nr_analysis_run(a, c, NULL, NULL), NR_OK);
	nr_corpus_free(c);
	nr_analysis_get_counts(a, &n);
	*count = n.rejected;
	snprintf(out, sizeof(out), "%s/rej-out-%u-%zu", dir, threads, kept);
	assert_int_equal(nr_analysis_write(a, out, "test"), NR_OK);
	nr_analysis_free(a);
	snprintf(path, sizeof(path), "%s/rejects.jsonl", out);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Rejects past what a producer holds go to a temporary file and come back
 * merged in input order: the same rejects.jsonl, byte for byte, whether
 * none, some or all of them were on file, at 1 and 3 threads.  Reader
 * rejects (malformed JSON) and worker rejects (bad UTF-8 in CSV text)
 * interleave. */
static void test_rejects_spill(void **state)
{
	char line[200];
	char *want, *got;
	uint64_t nwant, ngot;
	FILE *f;

	(void)state;
	mkdir(path_of("rej"), 0755);
	f = fopen(path_of("rej/a.jsonl"), "w");
	assert_non_null(f);
	for (int i = 0; i < 300; i++) {
		if (i % 3 == 0)
			fprintf(f, "{\"id\":\"j%d\",\"text\":\"cut\n", i);
		else
			fprintf(f, "{\"id\":\"j%d\",\"text\":\"alpha by the lake %d\"}\n", i, i);
	}
	fclose(f);
	f = fopen(path_of("rej/b.csv"), "w");
	assert_non_null(f);
	fputs("id,text\n", f);
	for (int i = 0; i < 300; i++) {
		snprintf(line, sizeof(line), "c%d,%s beta %d\n", i, i % 4 ? "fine" : "bad \xff", i);
		fputs(line, f);
	}
	fclose(f);
	want = rejects_of("rej", 1, 0, &nwant);
	assert_int_equal(nwant, 100 + 75);
	assert_non_null(strstr(want, "a.jsonl:1\""));
	assert_non_null(strstr(want, "invalid UTF-8"));
	/* in input order: the JSON file's rejects, then the CSV's */
	assert_non_null(strstr(want, "a.jsonl:298\""));
	assert_non_null(strstr(want, "\"c0\""));
	assert_true(strstr(want, "a.jsonl:298\"") < strstr(want, "\"c0\""));
	for (unsigned t = 1; t <= 3; t += 2) {
		static const size_t kept[] = { 0, 1, 2, 7, 1000 };

		for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
			got = rejects_of("rej", t, kept[k], &ngot);
			assert_int_equal(ngot, nwant);
			if (strcmp(got, want))
				fail_msg("rejects.jsonl differs at %u threads, %zu kept", t, kept[k]);
			free(got);
		}
	}
	free(want);
}

static void test_no_stopwords(void **state)
{
	struct nr_analysis_options o = { 0 };
	struct nr_analysis_counts n;
	struct nr_corpus *c;
	struct nr_analysis *a;
	char cities[512];
	uint64_t docs = 0;

	(void)state;
	put("ns.jsonl", "{\"id\":\"1\",\"lang\":\"en\",\"text\":\"the lake of Alpha\"}\n"
			"{\"id\":\"2\",\"lang\":\"English\",\"text\":\"the lake of Alpha\"}\n"
			"{\"id\":\"3\",\"lang\":\"eng\",\"text\":\"the lake of Beta\"}\n"
			"{\"id\":\"4\",\"lang\":\"xx\",\"text\":\"the lake of Beta\"}\n"
			"{\"id\":\"5\",\"lang\":\"klingon\",\"text\":\"the lake of Gamma\"}\n"
			"{\"id\":\"6\",\"lang\":\"xx\",\"text\":\"the lake of Gamma\"}\n");
	snprintf(cities, sizeof(cities), "%s/c.nlex", dir);
	o.cities = cities;
	o.topics = o.frames = o.tone = "";
	o.data_dir = "lexicons";
	o.threads = 2;
	assert_int_equal(nr_analysis_new(&a, &o), NR_OK);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path_of("ns.jsonl")), NR_OK);
	assert_int_equal(nr_analysis_run(a, c, NULL, NULL), NR_OK);
	nr_corpus_free(c);
	nr_analysis_get_counts(a, &n);
	assert_int_equal(n.analysed, 6);
	assert_int_equal(n.no_stopwords, 3);
	assert_string_equal(nr_analysis_nostop_lang(a, 0, &docs), "klingon");
	assert_int_equal(docs, 1);
	assert_string_equal(nr_analysis_nostop_lang(a, 1, &docs), "xx");
	assert_int_equal(docs, 2);
	assert_null(nr_analysis_nostop_lang(a, 2, &docs));
	nr_analysis_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounting_and_attribution),
		cmocka_unit_test(test_threads_identical),
		cmocka_unit_test(test_measures_move),
		cmocka_unit_test(test_tone_and_groups),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_no_stopwords),
		cmocka_unit_test(test_rejects_spill),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
