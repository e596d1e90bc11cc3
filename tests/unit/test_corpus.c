/*
 * test_corpus.c - the corpus reader: every format, every kind of bad input,
 * and the rule that read = documents + rejects.
 * The fixture texts are written for these tests.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "narrate.h"
#include "alloc.h"

static char tmpdir[256];

static void write_file(const char *name, const char *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_str(const char *name, const char *data)
{
	write_file(name, data, strlen(data));
}

static void write_gz(const char *name, const char *data, size_t cut)
{
	char path[512];
	gzFile g;
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	g = gzopen(path, "wb");
	assert_non_null(g);
	gzwrite(g, data, (unsigned)strlen(data));
	gzclose(g);
	if (!cut)
		return;
	/* keep only the first `cut` bytes: a truncated stream */
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_true((long)cut < n);
	f = fopen(path, "wb");
	fwrite(buf, 1, cut, f);
	fclose(f);
	free(buf);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/nr-corpus-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd);
}

struct tally {
	int docs, rejects, skips;
	char reasons[16][300];
	char sources[16][300];
	char ids[16][64];
	char skip_reasons[16][300];
};

static void read_all(const char *path, const struct nr_corpus_options *o, struct tally *t)
{
	struct nr_corpus *c;
	const struct nr_doc *d;
	int ev;

	memset(t, 0, sizeof(*t));
	assert_int_equal(nr_corpus_new(&c, o), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	while ((ev = nr_corpus_next(c, &d)) > 0) {
		if (ev == NR_CORPUS_DOC) {
			assert_non_null(d);
			if (t->docs < 16)
				snprintf(t->ids[t->docs], 64, "%.*s", (int)d->id_len, d->id);
			t->docs++;
		} else if (ev == NR_CORPUS_REJECT) {
			if (t->rejects < 16) {
				snprintf(t->reasons[t->rejects], 300, "%s",
					 nr_corpus_reject_reason(c));
				snprintf(t->sources[t->rejects], 300, "%s",
					 nr_corpus_reject_source(c));
			}
			t->rejects++;
		} else {
			if (t->skips < 16)
				snprintf(t->skip_reasons[t->skips], 300, "%s",
					 nr_corpus_reject_reason(c));
			t->skips++;
		}
	}
	assert_int_equal(ev, NR_CORPUS_END);
	nr_corpus_free(c);
}

static void test_jsonl(void **state)
{
	char path[512];
	struct nr_corpus *c;
	const struct nr_doc *d;
	struct tally t;

	(void)state;
	write_str("a.jsonl",
		  "{\"id\":\"p1\",\"text\":\"Hangzhou West Lake\",\"city\":\"Hangzhou\","
		  "\"likes\":12,\"shares\":\"3\",\"extra\":\"kept\"}\n"
		  "\n"
		  "{\"id\":2,\"text\":\"杭州\",\"city\":330100}\r\n"
		  "{\"id\":\"p3\",\"text\":\"x\",\"likes\":\"many\"}\n"
		  "{\"id\":\"p4\"}\n"
		  "{not json\n"
		  "[1,2]\n"
		  "{\"id\":\"p5\",\"text\":\"ok\"} trailing\n"
		  "{\"id\":\"p6\",\"text\":\"last line without newline\"}");
	snprintf(path, sizeof(path), "%s/a.jsonl", tmpdir);

	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_int_equal(d->id_len, 2);
	assert_memory_equal(d->id, "p1", 2);
	assert_int_equal(d->text_len, strlen("Hangzhou West Lake"));
	assert_string_equal(d->city, "Hangzhou");
	assert_true(d->likes == 12 && d->shares == 3 && d->views == -1);
	assert_string_equal(nr_doc_field(c, "extra"), "kept");
	assert_null(nr_doc_field(c, "nothing"));
	assert_string_equal(strrchr(d->source, ':'), ":1");

	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->id, "2");
	assert_string_equal(d->city, "330100");
	assert_string_equal(strrchr(d->source, ':'), ":3");
	assert_int_equal(d->text_len, strlen("杭州"));

	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_string_equal(nr_corpus_reject_id(c), "p3");
	assert_non_null(strstr(nr_corpus_reject_reason(c), "'likes' is not a number"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "missing required field 'text'"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "malformed JSON"));
	assert_string_equal(strrchr(nr_corpus_reject_source(c), ':'), ":6");
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "not an object"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "text after the object"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->id, "p6");
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_END);
	nr_corpus_free(c);

	read_all(path, NULL, &t);
	assert_int_equal(t.docs, 3);
	assert_int_equal(t.rejects, 5);
}

static void test_jsonl_utf8(void **state)
{
	char path[512];
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	const struct nr_doc *d;

	(void)state;
	write_str("u.jsonl", "{\"id\":\"u1\",\"text\":\"caf\xc3 ok\"}\n");
	snprintf(path, sizeof(path), "%s/u.jsonl", tmpdir);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "invalid UTF-8 at byte 22"));
	nr_corpus_free(c);

	o.flags = NR_CORPUS_REPAIR_UTF8;
	assert_int_equal(nr_corpus_new(&c, &o), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->text, "caf\xef\xbf\xbd ok");
	assert_int_equal(d->repairs, 1);
	nr_corpus_free(c);
}

static void test_field_map(void **state)
{
	char path[512];
	const char *map[] = { "text=content", "id=post_id", "city=place", NULL };
	const char *bad[] = { "text", NULL };
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	const struct nr_doc *d;

	(void)state;
	write_str("m.ndjson", "{\"post_id\":\"x1\",\"content\":\"hello\",\"place\":\"Xi'an\"}\n");
	snprintf(path, sizeof(path), "%s/m.ndjson", tmpdir);
	o.field_map = map;
	assert_int_equal(nr_corpus_new(&c, &o), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->id, "x1");
	assert_string_equal(d->text, "hello");
	assert_string_equal(d->city, "Xi'an");
	nr_corpus_free(c);

	o.field_map = bad;
	assert_int_equal(nr_corpus_new(&c, &o), NR_EINVAL);
	assert_null(c);
}

static void test_csv(void **state)
{
	char path[512];
	struct nr_corpus *c;
	const struct nr_doc *d;

	(void)state;
	write_str("b.csv", "\xEF\xBB\xBFid,text,city,likes\n"
			   "1,\"multi\nline, with \"\"quotes\"\"\",Chengdu,5\n"
			   "2,short,Chengdu\n"
			   "3,\"ok\",,\n"
			   "4,bad likes,Xi'an,1.2.3\n"
			   "\n"
			   "5,\"unterminated\n");
	snprintf(path, sizeof(path), "%s/b.csv", tmpdir);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->id, "1");
	assert_string_equal(d->text, "multi\nline, with \"quotes\"");
	assert_int_equal(d->text_len, strlen("multi\nline, with \"quotes\""));
	assert_true(d->likes == 5);
	assert_string_equal(strrchr(d->source, ':'), ":2");
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_string_equal(nr_corpus_reject_id(c), "2");
	assert_non_null(strstr(nr_corpus_reject_reason(c), "row has 3 fields, the header has 4"));
	assert_string_equal(strrchr(nr_corpus_reject_source(c), ':'), ":4");
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->id, "3");
	assert_null(d->city);
	assert_true(d->likes == -1);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "'likes' is not a number"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "unterminated"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_END);
	nr_corpus_free(c);

	write_str("nohdr.tsv", "id\tbody\n1\tx\n");
	snprintf(path, sizeof(path), "%s/nohdr.tsv", tmpdir);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "no 'text' column"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_END);
	nr_corpus_free(c);

	write_str("t.tsv", "id\ttext\tplatform\nq1\tsome text\tweibo\n");
	snprintf(path, sizeof(path), "%s/t.tsv", tmpdir);
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(d->platform, "weibo");
	assert_string_equal(nr_doc_field(c, "platform"), "weibo");
	nr_corpus_free(c);
}

static void test_folder_txt_gz(void **state)
{
	char path[512];
	struct nr_corpus_options o = { 0 };
	struct tally t;

	(void)state;
	snprintf(path, sizeof(path), "%s/tree", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/tree/Chengdu", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/tree/Chengdu/weibo", tmpdir);
	mkdir(path, 0755);
	write_str("tree/Chengdu/weibo/p1.txt", "Pandas and hotpot.");
	write_str("tree/Chengdu/weibo/p1.json", "{\"likes\": 7, \"lang\": \"en\"}");
	write_str("tree/Chengdu/weibo/p2.md", "# Title\nKuanzhai Alley.");
	write_str("tree/Chengdu/weibo/p3.md", "broken sidecar");
	write_str("tree/Chengdu/weibo/p3.json", "{nope");
	write_str("tree/Chengdu/notes.docx", "x");
	write_gz("tree/z.jsonl.gz", "{\"id\":\"g1\",\"text\":\"a\"}\n{\"id\":\"g2\",\"text\":\"b\"}\n", 0);
	{
		/* a long stream cut short */
		static char big[200000];
		size_t n = 0;

		for (int i = 0; n + 64 < sizeof(big); i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n,
					      "{\"id\":\"t%d\",\"text\":\"w%d x%d\"}\n", i, i * 7,
					      i * 13);
		write_gz("tree/zz-trunc.jsonl.gz", big, 2000);
	}
	o.path_fields = "city,platform";
	snprintf(path, sizeof(path), "%s/tree/", tmpdir);
	read_all(path, &o, &t);
	/* docs: p1.txt, p2.md, g1, g2, and some of the truncated stream */
	assert_true(t.docs > 4);
	assert_string_equal(t.ids[0], "Chengdu/weibo/p1.txt");
	assert_string_equal(t.ids[1], "Chengdu/weibo/p2.md");
	/* rejects: p3.md's sidecar, the truncated stream */
	if (t.rejects != 2 || !strstr(t.reasons[1], "truncated gzip"))
		for (int i = 0; i < t.rejects && i < 16; i++)
			print_message("reject %s: %s\n", t.sources[i], t.reasons[i]);
	assert_int_equal(t.rejects, 2);
	assert_non_null(strstr(t.reasons[0], "sidecar"));
	assert_non_null(strstr(t.reasons[1], "truncated gzip"));
	/* skips: notes.docx and the two .json sidecars, in byte order of
	 * their paths: notes.docx, then weibo/p1.json, weibo/p3.json */
	assert_int_equal(t.skips, 3);
	assert_non_null(strstr(t.skip_reasons[0], "not a corpus file: notes.docx"));
	assert_non_null(strstr(t.skip_reasons[1], "sidecar of p1.txt"));
	assert_non_null(strstr(t.skip_reasons[2], "sidecar of p3.md"));
}

/* A FIFO in a folder is a reject, not a reader blocked for ever on its
 * open (the alarm turns that regression into a failure, not a hung
 * suite); the documents around it are read. */
static void test_fifo_in_folder(void **state)
{
	char path[512];
	struct nr_corpus_options o = { 0 };
	struct tally t;

	(void)state;
	snprintf(path, sizeof(path), "%s/pipes", tmpdir);
	mkdir(path, 0755);
	write_str("pipes/a.jsonl", "{\"id\":\"a1\",\"text\":\"before\"}\n");
	write_str("pipes/c.jsonl", "{\"id\":\"c1\",\"text\":\"after\"}\n");
	snprintf(path, sizeof(path), "%s/pipes/b.jsonl", tmpdir);
	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(20);
	snprintf(path, sizeof(path), "%s/pipes", tmpdir);
	read_all(path, &o, &t);
	alarm(0);
	assert_int_equal(t.docs, 2);
	assert_string_equal(t.ids[0], "a1");
	assert_string_equal(t.ids[1], "c1");
	assert_int_equal(t.rejects, 1);
	assert_non_null(strstr(t.sources[0], "b.jsonl"));
	assert_non_null(strstr(t.reasons[0], "not a regular file"));
}

/* --format: files named directly are read as the format whatever their
 * names, "-" is standard input (plain or gzip), files in folders keep
 * going by their extensions; "-" needs a format and is read once. */
static void test_format_and_stdin(void **state)
{
	char path[512];
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	struct tally t;
	int saved;

	(void)state;
	write_str("lines.json", "{\"id\":\"j1\",\"text\":\"one\"}\n{\"id\":\"j2\",\"text\":\"two\"}\n");
	snprintf(path, sizeof(path), "%s/lines.json", tmpdir);
	o.format = "JSONL";
	read_all(path, &o, &t);
	assert_int_equal(t.docs, 2);
	assert_string_equal(t.ids[1], "j2");

	/* in a folder the extension decides: the .csv is CSV, the .json a
	 * skip, even with a format given */
	snprintf(path, sizeof(path), "%s/fmt", tmpdir);
	mkdir(path, 0755);
	write_str("fmt/a.csv", "id,text\nc1,from csv\n");
	write_str("fmt/b.json", "{\"id\":\"x\",\"text\":\"not read\"}\n");
	read_all(path, &o, &t);
	assert_int_equal(t.docs, 1);
	assert_string_equal(t.ids[0], "c1");
	assert_int_equal(t.skips, 1);

	/* standard input, gzip-compressed */
	write_gz("in.jsonl.gz", "{\"id\":\"s1\",\"text\":\"a\"}\nnot json\n{\"id\":\"s2\",\"text\":\"b\"}\n",
		 0);
	snprintf(path, sizeof(path), "%s/in.jsonl.gz", tmpdir);
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_non_null(freopen(path, "rb", stdin));
	read_all("-", &o, &t);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_int_equal(t.docs, 2);
	assert_string_equal(t.ids[0], "s1");
	assert_string_equal(t.ids[1], "s2");
	assert_int_equal(t.rejects, 1);
	assert_string_equal(t.sources[0], "(standard input):2");

	/* "-" without a format, "-" twice, an unknown format */
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, "-"), NR_EINVAL);
	assert_non_null(strstr(nr_corpus_errmsg(c), "needs a format"));
	nr_corpus_free(c);
	assert_int_equal(nr_corpus_new(&c, &o), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, "-"), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, "-"), NR_EINVAL);
	nr_corpus_free(c);
	o.format = "xml";
	assert_int_equal(nr_corpus_new(&c, &o), NR_EINVAL);
	assert_null(c);
	o.format = "jsonl.gz";
	assert_int_equal(nr_corpus_new(&c, &o), NR_EINVAL);
}

static void test_limits_and_errors(void **state)
{
	char path[512];
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	struct tally t;
	char *big;

	(void)state;
	big = malloc(5000);
	memset(big, 'a', 5000);
	memcpy(big, "{\"id\":\"big\",\"text\":\"", 20);
	memcpy(big + 4996, "\"}\n", 3);
	big[4999] = '\0';
	write_str("big.jsonl", big);
	free(big);
	o.max_doc_bytes = 1000;
	snprintf(path, sizeof(path), "%s/big.jsonl", tmpdir);
	read_all(path, &o, &t);
	assert_int_equal(t.docs, 0);
	assert_int_equal(t.rejects, 1);
	assert_non_null(strstr(t.reasons[0], "larger than 1000"));

	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, "/nonexistent/narrate"), NR_ENOTFOUND);
	assert_non_null(strstr(nr_corpus_errmsg(c), "cannot open corpus '/nonexistent/narrate'"));
	snprintf(path, sizeof(path), "%s/b.csv", tmpdir);
	write_str("x.pdf", "x");
	snprintf(path, sizeof(path), "%s/x.pdf", tmpdir);
	assert_int_equal(nr_corpus_add_path(c, path), NR_EINVAL);
	nr_corpus_free(c);

	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	mkdir(path, 0755);
	read_all(path, NULL, &t);
	assert_int_equal(t.docs + t.rejects + t.skips, 0);
	nr_corpus_free(NULL);
}

/* Fail the nth allocation for every n until reading succeeds: each run must
 * end in NR_ENOMEM or success, and leak nothing (the sanitizer build checks). */
static void test_alloc_failure(void **state)
{
	char path[512];
	int ok = 0;

	(void)state;
	write_str("af.csv", "id,text\n1,\"a\nb\"\n2,c\n");
	snprintf(path, sizeof(path), "%s/af.csv", tmpdir);
	for (long n = 1; n < 500 && !ok; n++) {
		struct nr_corpus *c = NULL;
		const struct nr_doc *d;
		int rc, ev = 0, docs = 0;

		nri_alloc_fail_at(n);
		rc = nr_corpus_new(&c, NULL);
		if (rc == NR_OK)
			rc = nr_corpus_add_path(c, path);
		if (rc == NR_OK) {
			while ((ev = nr_corpus_next(c, &d)) > 0)
				docs += ev == NR_CORPUS_DOC;
			rc = ev;
		}
		nri_alloc_fail_at(0);
		nr_corpus_free(c);
		if (rc == NR_OK && docs != 2)
			print_message("n=%ld: docs %d\n", n, docs);
		if (rc == NR_OK) {
			ok = 1;
			assert_int_equal(docs, 2);
		} else {
			/* libcsv's failed growth shows as a reject, not NR_ENOMEM */
			assert_true(rc == NR_ENOMEM);
		}
	}
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_jsonl_utf8),
		cmocka_unit_test(test_field_map),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_folder_txt_gz),
		cmocka_unit_test(test_fifo_in_folder),
		cmocka_unit_test(test_format_and_stdin),
		cmocka_unit_test(test_limits_and_errors),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
