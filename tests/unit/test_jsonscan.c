/*
 * test_jsonscan.c - the JSON line scanner (lib/jsonscan.c): hand-written
 * cases for every rule where it must agree with jansson (each case is also
 * given to jansson, and the verdicts compared), the decoding of strings and
 * numbers, and the corpus reader's fast path against its jansson path.
 * tests/fuzz/fuzz_jsonscan.c does the same on generated input.
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
#include <unistd.h>

#include <jansson.h>

#include "narrate.h"
#include "alloc.h"
#include "corpus.h"
#include "jsonscan.h"

static const char *const names[] = { "id", "text", "city", "likes", "x", "text" };
#define NNAMES 6

static struct nri_json_span sp[NNAMES];

/* Scan s with the names above; also parse it with jansson as corpus.c's
 * fallback does (any value, NUL allowed) and require the same verdict. */
static int scan(const char *s)
{
	struct nri_jsonscan_keys keys;
	size_t lens[NNAMES];
	size_t len = strlen(s), off = 0;
	json_error_t err;
	json_t *j;
	int rc;

	for (int i = 0; i < NNAMES; i++)
		lens[i] = strlen(names[i]);
	nri_jsonscan_keys_init(&keys, names, lens, NNAMES);
	rc = nri_jsonscan(s, len, &keys, sp, &off);
	j = json_loadb(s, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	if ((rc == NRI_JSONSCAN_INVALID) != (j == NULL))
		print_message("disagree on '%s': scanner %d at %zu, jansson %s\n", s, rc, off,
			      j ? "accepts" : err.text);
	assert_int_equal(rc == NRI_JSONSCAN_INVALID, j == NULL);
	assert_int_equal(rc == NRI_JSONSCAN_OBJECT, j != NULL && json_is_object(j));
	json_decref(j);
	return rc;
}

/* The decoded string of span i, in a static buffer; its length in *n. */
static const char *str(int i, size_t *n)
{
	static char out[256];

	assert_int_equal(sp[i].type, NRI_JSON_STRING);
	assert_true(sp[i].len <= sizeof(out));
	*n = nri_json_unescape(sp[i].s, sp[i].len, out);
	return out;
}

static void test_plain_object(void **state)
{
	size_t n;
	const char *t;

	(void)state;
	assert_int_equal(scan("{\"id\":\"p1\",\"text\":\"West Lake\",\"likes\":12}"),
			 NRI_JSONSCAN_OBJECT);
	t = str(0, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(t, "p1", 2);
	assert_false(sp[1].escaped);
	assert_int_equal(sp[1].len, 9);
	assert_memory_equal(sp[1].s, "West Lake", 9);
	/* the same name twice in keys[]: both get the member */
	assert_int_equal(sp[5].type, NRI_JSON_STRING);
	assert_ptr_equal(sp[5].s, sp[1].s);
	assert_int_equal(sp[3].type, NRI_JSON_INTEGER);
	assert_int_equal(nri_json_integer(sp[3].s, sp[3].len), 12);
	assert_int_equal(sp[2].type, NRI_JSON_ABSENT);
	assert_int_equal(scan("{}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[0].type, NRI_JSON_ABSENT);
}

static void test_escapes(void **state)
{
	size_t n;
	const char *t;

	(void)state;
	assert_int_equal(scan("{\"text\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}"),
			 NRI_JSONSCAN_OBJECT);
	assert_true(sp[1].escaped);
	t = str(1, &n);
	assert_int_equal(n, 17);
	assert_memory_equal(t, "a\"b\\c/d\be\ff\ng\rh\ti", 17);
	/* \u to UTF-8: 2 and 3 bytes, and a surrogate pair to 4 (either case) */
	assert_int_equal(scan("{\"text\":\"\\u00e9\\u4E2D\\ud83d\\ude00\\uD83D\\uDE00\"}"),
			 NRI_JSONSCAN_OBJECT);
	t = str(1, &n);
	assert_int_equal(n, 13);
	assert_memory_equal(t, "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 13);
	/* lone surrogates, a high one followed by anything but a low one: jansson
	 * rejects them all (so does the scanner: results never differ) */
	assert_int_equal(scan("{\"text\":\"\\ud800\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\udc00\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\ud800\\u0041\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\ud800\\ud800\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\ud800\\n\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\ude00\\ud83d\"}"), NRI_JSONSCAN_INVALID);
	/* bad escapes, short \u, raw control characters (DEL is fine) */
	assert_int_equal(scan("{\"text\":\"\\x\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\u12\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"\\u12g4\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"tab\there\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"del\x7f\"}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(scan("{\"text\":\"unterminated}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"text\":\"ends in a backslash\\"), NRI_JSONSCAN_INVALID);
	/* a key with escapes matches its decoded name */
	assert_int_equal(scan("{\"te\\u0078t\":\"k\"}"), NRI_JSONSCAN_OBJECT);
	t = str(1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(scan("{\"te\\u0078t\\u0078\":\"k\"}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[1].type, NRI_JSON_ABSENT);
}

/* JSON_ALLOW_NUL: \u0000 in a value is a NUL byte; in a key jansson
 * refuses the document. */
static void test_nul(void **state)
{
	size_t n;
	const char *t;

	(void)state;
	assert_int_equal(scan("{\"text\":\"a\\u0000b\"}"), NRI_JSONSCAN_OBJECT);
	t = str(1, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(t, "a\0b", 3);
	assert_int_equal(scan("{\"te\\u0000xt\":\"a\"}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"q\":{\"\\u0000\":1}}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("[\"\\u0000\"]"), NRI_JSONSCAN_OTHER);
}

/* jansson skips one raw NUL byte right after a number or a literal (it
 * puts the byte back and then takes it for the end of its buffer); the
 * scanner does too, so that the two never disagree. */
#define C(lit) lit, sizeof(lit) - 1

static void test_raw_nul(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int want;
	} cases[] = {
		{ C("[1\0]"), NRI_JSONSCAN_OTHER },
		{ C("4\0"), NRI_JSONSCAN_OTHER },
		{ C("[true\0,null\0 ,-1.5e3\0]"), NRI_JSONSCAN_OTHER },
		{ C("{\"likes\":7\0}"), NRI_JSONSCAN_OBJECT },
		{ C("[1\0\0]"), NRI_JSONSCAN_INVALID },
		{ C("[1 \0]"), NRI_JSONSCAN_INVALID },
		{ C("[\"a\"\0]"), NRI_JSONSCAN_INVALID },
		{ C("[[]\0]"), NRI_JSONSCAN_INVALID },
		{ C("{}\0"), NRI_JSONSCAN_INVALID },
		{ C("[\"a\0\"]"), NRI_JSONSCAN_INVALID },
		{ C("\0"), NRI_JSONSCAN_INVALID },
	};
	struct nri_jsonscan_keys keys;
	size_t lens[NNAMES];

	(void)state;
	for (int i = 0; i < NNAMES; i++)
		lens[i] = strlen(names[i]);
	nri_jsonscan_keys_init(&keys, names, lens, NNAMES);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_error_t err;
		json_t *j = json_loadb(cases[i].s, cases[i].len, JSON_ALLOW_NUL | JSON_DECODE_ANY,
				       &err);
		int rc = nri_jsonscan(cases[i].s, cases[i].len, &keys, sp, NULL);

		if (cases[i].want >= 0) {
			/* flagged: jansson's end position is off by the NULs */
			assert_int_equal(rc & NRI_JSONSCAN_NUL, NRI_JSONSCAN_NUL);
			rc &= ~NRI_JSONSCAN_NUL;
		}
		assert_int_equal(rc, cases[i].want);
		assert_int_equal(j == NULL, rc == NRI_JSONSCAN_INVALID);
		json_decref(j);
		if (rc == NRI_JSONSCAN_OBJECT) {
			/* the NUL is not part of the number */
			assert_int_equal(sp[3].type, NRI_JSON_INTEGER);
			assert_int_equal(sp[3].len, 1);
			assert_int_equal(nri_json_integer(sp[3].s, sp[3].len), 7);
		}
	}
	assert_int_equal(sp[3].type, NRI_JSON_ABSENT);
}

static void test_structure(void **state)
{
	(void)state;
	/* nested values in members nobody asked for are checked and skipped */
	assert_int_equal(scan("{\"q\":{\"a\":[1,{\"b\":[true,false,null]},[]],\"c\":{}},"
			      "\"text\":\"t\",\"x\":[{}]}"),
			 NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[1].type, NRI_JSON_STRING);
	assert_int_equal(sp[4].type, NRI_JSON_ARRAY);
	assert_int_equal(sp[4].len, 4);
	assert_int_equal(scan("{\"x\":{\"text\":\"inner\"},\"q\":[{\"text\":1}]}"),
			 NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[4].type, NRI_JSON_OBJECT);
	assert_int_equal(sp[1].type, NRI_JSON_ABSENT); /* not a top-level member */
	/* duplicates: the last one counts, null included */
	assert_int_equal(scan("{\"text\":\"a\",\"text\":\"b\",\"city\":\"c\",\"city\":null}"),
			 NRI_JSONSCAN_OBJECT);
	assert_memory_equal(sp[1].s, "b", 1);
	assert_int_equal(sp[2].type, NRI_JSON_NULL);
	/* white space: space, tab, LF, CR around every token */
	assert_int_equal(scan(" \t\r\n{ \"text\" :\t\"w\" , \"x\" : [ 1 , 2 ] ,\n\"likes\":true }\r\n "),
			 NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[3].type, NRI_JSON_TRUE);
	assert_int_equal(scan("{\"x\":false,\"likes\":null}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[4].type, NRI_JSON_FALSE);
	/* not one JSON text */
	const char *bad[] = { "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]",
			      "{\"a\":1 \"b\":2}", "{'a':1}", "{a:1}", "{\"a\":1}x", "{\"a\":1}{}",
			      "{\"a\":tru}", "{\"a\":truee}", "{\"a\":nul}", "{\"a\":True}",
			      "{\"a\":1}\x0b", "\xef\xbb\xbf{}", "{\"a\":[1}", "{\"a\":{]}", "[}",
			      "{\"a\"::1}", "{,}", "{\"a\":1,,\"b\":2}", "\"a\" \"b\"" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(scan(bad[i]), NRI_JSONSCAN_INVALID);
	/* valid, but not an object */
	const char *other[] = { "[]", "[1,2]", "1", "\"s\"", "null", " true ", "-0.5e3" };
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_int_equal(scan(other[i]), NRI_JSONSCAN_OTHER);
		assert_int_equal(sp[1].type, NRI_JSON_ABSENT);
	}
}

static void test_numbers(void **state)
{
	double d;

	(void)state;
	assert_int_equal(scan("{\"likes\":-0}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[3].type, NRI_JSON_INTEGER);
	assert_int_equal(nri_json_integer(sp[3].s, sp[3].len), 0);
	assert_int_equal(scan("{\"likes\":1e5}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[3].type, NRI_JSON_REAL);
	assert_int_equal(nri_json_real(sp[3].s, sp[3].len, &d), NR_OK);
	assert_true(d == 100000.0);
	assert_int_equal(scan("{\"likes\":1.0}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(sp[3].type, NRI_JSON_REAL);
	assert_int_equal(sp[3].len, 3);
	assert_int_equal(scan("{\"likes\":-0.0E+0}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(nri_json_real(sp[3].s, sp[3].len, &d), NR_OK);
	assert_true(d == 0 && signbit(d));
	/* jansson keeps integers in int64 and refuses anything beyond */
	assert_int_equal(scan("{\"likes\":9223372036854775807}"), NRI_JSONSCAN_OBJECT);
	assert_true(nri_json_integer(sp[3].s, sp[3].len) == INT64_MAX);
	assert_int_equal(scan("{\"likes\":-9223372036854775808}"), NRI_JSONSCAN_OBJECT);
	assert_true(nri_json_integer(sp[3].s, sp[3].len) == INT64_MIN);
	assert_int_equal(scan("{\"likes\":9223372036854775808}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":-9223372036854775809}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":100000000000000000000}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":100000000000000000000.0}"), NRI_JSONSCAN_OBJECT);
	/* reals: overflow is an error, underflow is zero */
	assert_int_equal(scan("{\"likes\":1e309}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":-1e400}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":1e99999999999999999999999}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":1e-400}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(scan("{\"likes\":0e99999999999999999999999}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(scan("{\"likes\":0.000001e313}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(scan("{\"likes\":0.000001e315}"), NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":1.7976931348623157e308}"), NRI_JSONSCAN_OBJECT);
	assert_int_equal(scan("{\"likes\":1.7976931348623158e308}"), NRI_JSONSCAN_OBJECT);
	/* the threshold 2^1024 - 2^970 itself rounds to infinity, a digit less
	 * does not */
	assert_int_equal(scan("{\"likes\":1."
			      "797693134862315807937289714053034150799341327100378269361737789804"
			      "449682927647509466490179775872070963302864166928879109465555478519"
			      "404026306574886715058206819089020007083836762738548458177115317644"
			      "757302700698555713669596228429148198608349364752927190741684443655"
			      "10704342711559699508093042880177904174497792e308}"),
			 NRI_JSONSCAN_INVALID);
	assert_int_equal(scan("{\"likes\":1."
			      "797693134862315807937289714053034150799341327100378269361737789804"
			      "449682927647509466490179775872070963302864166928879109465555478519"
			      "404026306574886715058206819089020007083836762738548458177115317644"
			      "757302700698555713669596228429148198608349364752927190741684443655"
			      "10704342711559699508093042880177904174497791999e308}"),
			 NRI_JSONSCAN_OBJECT);
	assert_int_equal(nri_json_real(sp[3].s, sp[3].len, &d), NR_OK);
	assert_true(d == 1.7976931348623157e308);
	/* grammar: no leading zeros, '+', bare '.', or empty parts */
	const char *bad[] = { "01", "-01", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-", "--1",
			      "0x10", "1_000", "NaN", "Infinity", "-Infinity", "1.5.3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[64];

		snprintf(line, sizeof(line), "{\"likes\":%s}", bad[i]);
		assert_int_equal(scan(line), NRI_JSONSCAN_INVALID);
	}
}

/* jansson's depth limit: values nested 2048 deep, scalars counted. */
static void test_depth(void **state)
{
	char *s = malloc(2 * NRI_JSON_MAX_DEPTH + 16);

	(void)state;
	assert_non_null(s);
	for (int extra = -1; extra <= 1; extra++) {
		int n = NRI_JSON_MAX_DEPTH + extra; /* arrays, the outermost included */
		size_t k = 0;

		for (int i = 0; i < n; i++)
			s[k++] = '[';
		for (int i = 0; i < n; i++)
			s[k++] = ']';
		s[k] = '\0';
		assert_int_equal(scan(s), extra <= 0 ? NRI_JSONSCAN_OTHER : NRI_JSONSCAN_INVALID);
		/* a scalar inside is one level more */
		memmove(s + n + 1, s + n, (size_t)n + 1);
		s[n] = '1';
		assert_int_equal(scan(s), extra < 0 ? NRI_JSONSCAN_OTHER : NRI_JSONSCAN_INVALID);
	}
	free(s);
}

static void test_alloc_failure(void **state)
{
	/* a real longer than the scanner's stack copy goes to the heap */
	const char *num = "1.00000000000000000000000000000000000000000000000000000000000000000005";
	double d = 0;

	(void)state;
	nri_alloc_fail_at(1);
	assert_int_equal(nri_json_real(num, strlen(num), &d), NR_ENOMEM);
	nri_alloc_fail_at(0);
	assert_int_equal(nri_json_real(num, strlen(num), &d), NR_OK);
	assert_true(d == 1.0);
	/* the scanner itself allocates nothing */
	nri_alloc_fail_at(1);
	assert_int_equal(scan("{\"text\":\"\\u00e9\",\"likes\":1e5,\"x\":[[[{}]]]}"),
			 NRI_JSONSCAN_OBJECT);
	assert_int_equal(nri_alloc_count(), 0);
	nri_alloc_fail_at(0);
}

/* ---- the corpus reader: fast path against jansson path ---------------- */

struct seen {
	int ev;
	char id[64], text[128], city[64], reason[256], extra[64];
	size_t text_len;
	double likes;
};

static void read_file(const char *path, int scan_on, struct seen *out, int max, int *n)
{
	struct nr_corpus *c;
	const struct nr_doc *d;
	int ev;

	*n = 0;
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	nri_corpus_set_scan(c, scan_on);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	while ((ev = nr_corpus_next(c, &d)) > 0 && *n < max) {
		struct seen *s = &out[(*n)++];
		const char *x = nr_doc_field(c, "extra");

		memset(s, 0, sizeof(*s));
		s->ev = ev;
		snprintf(s->extra, sizeof(s->extra), "%s", x ? x : "(null)");
		if (ev == NR_CORPUS_DOC) {
			snprintf(s->id, sizeof(s->id), "%.*s", (int)d->id_len, d->id);
			assert_true(d->text_len < sizeof(s->text));
			memcpy(s->text, d->text, d->text_len);
			s->text_len = d->text_len;
			snprintf(s->city, sizeof(s->city), "%s", d->city ? d->city : "(null)");
			s->likes = d->likes;
		} else {
			snprintf(s->reason, sizeof(s->reason), "%s", nr_corpus_reject_reason(c));
		}
	}
	assert_int_equal(ev, NR_CORPUS_END);
	nr_corpus_free(c);
}

static void test_corpus_paths(void **state)
{
	char path[64];
	FILE *f;
	struct seen a[16], b[16];
	int na, nb;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/nr-jsonscan-%ld.jsonl", (long)getpid());
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("{\"id\":\"a\",\"text\":\"caf\\u00e9 \\ud83d\\ude00\\u0000!\",\"extra\":\"x\\ty\"}\n"
	      "{\"id\":7,\"text\":\"n\",\"city\":1.5,\"likes\":\"12\",\"extra\":3}\n"
	      "{\"id\":\"b\",\"text\":\"\\ud800\"}\n"
	      "{\"id\":\"c\",\"text\":\"t\",\"likes\":-1,\"extra\":\"kept\"}\n"
	      "{\"id\":\"d\",\"text\":\"t\"} x\n"
	      "{\"id\":\"e\",\"text\":\"t\",\"id\":\"e2\",\"city\":330100,\"likes\":2e3}\n"
	      "{\"id\":\"f\",\"text\":\"t\",\"likes\":9223372036854775808}\n",
	      f);
	fwrite("{\"id\":\"g\",\"text\":\"t\",\"likes\":5\0}\n", 1, 33, f);
	fclose(f);
	read_file(path, 1, a, 16, &na);
	read_file(path, 0, b, 16, &nb);
	unlink(path);
	assert_int_equal(na, 8);
	assert_int_equal(nb, na);
	for (int i = 0; i < na; i++) {
		assert_int_equal(a[i].ev, b[i].ev);
		assert_string_equal(a[i].id, b[i].id);
		assert_int_equal(a[i].text_len, b[i].text_len);
		assert_memory_equal(a[i].text, b[i].text, a[i].text_len);
		assert_string_equal(a[i].city, b[i].city);
		assert_string_equal(a[i].reason, b[i].reason);
		assert_string_equal(a[i].extra, b[i].extra);
		assert_memory_equal(&a[i].likes, &b[i].likes, sizeof(double));
	}
	/* and what they read */
	assert_int_equal(a[0].text_len, 12);
	assert_memory_equal(a[0].text, "caf\xc3\xa9 \xf0\x9f\x98\x80\0!", 12);
	assert_string_equal(a[0].extra, "x\ty");
	assert_string_equal(a[1].id, "7");
	assert_string_equal(a[1].city, "1.5");
	assert_true(a[1].likes == 12);
	assert_string_equal(a[1].extra, "(null)");
	assert_int_equal(a[2].ev, NR_CORPUS_REJECT);
	assert_non_null(strstr(a[2].reason, "malformed JSON at column"));
	assert_non_null(strstr(a[2].reason, "invalid Unicode '\\uD800'"));
	assert_non_null(strstr(a[3].reason, "'likes' is negative"));
	assert_string_equal(a[3].extra, "kept");
	assert_non_null(strstr(a[4].reason, "text after the object"));
	assert_string_equal(a[5].id, "e2");
	assert_string_equal(a[5].city, "330100");
	assert_true(a[5].likes == 2000);
	assert_non_null(strstr(a[6].reason, "too big integer"));
	/* jansson skips a NUL after a number but then reports the object one
	 * byte short: the reader has always rejected such a line */
	assert_int_equal(a[7].ev, NR_CORPUS_REJECT);
	assert_non_null(strstr(a[7].reason, "text after the object"));
}

/* nr_doc_field parses the line late, and only while the reader still holds
 * it: after an oversize line's reject there is no current line. */
static void test_doc_field_late(void **state)
{
	char path[64];
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	const struct nr_doc *d;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/nr-jsonscan-df-%ld.jsonl", (long)getpid());
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("{\"id\":\"a\",\"text\":\"t\",\"extra\":\"e\\u00e9\",\"n\":1,\"city\":\"C\"}\n"
	      "{\"id\":\"b\",\"text\":\"a line longer than the limit of eighty bytes set "
	      "below, so it is rejected\"}\n",
	      f);
	fclose(f);
	o.max_doc_bytes = 80;
	assert_int_equal(nr_corpus_new(&c, &o), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(nr_doc_field(c, "city"), "C");
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_REJECT);
	assert_non_null(strstr(nr_corpus_reject_reason(c), "larger than 80"));
	assert_null(nr_doc_field(c, "extra"));
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_END);
	nr_corpus_free(c);

	/* the line in hand: decoded, and a non-string is absent */
	assert_int_equal(nr_corpus_new(&c, NULL), NR_OK);
	assert_int_equal(nr_corpus_add_path(c, path), NR_OK);
	assert_int_equal(nr_corpus_next(c, &d), NR_CORPUS_DOC);
	assert_string_equal(nr_doc_field(c, "extra"), "e\xc3\xa9");
	assert_null(nr_doc_field(c, "n"));
	assert_null(nr_doc_field(c, "title"));
	nr_corpus_free(c);
	unlink(path);
}

/* The fast path under failing allocations: every run ends in NR_ENOMEM or
 * reads all documents with the right text (the sanitizer build checks for
 * leaks). */
static void test_corpus_alloc_failure(void **state)
{
	char path[64];
	FILE *f;
	int ok = 0;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/nr-jsonscan-af-%ld.jsonl", (long)getpid());
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("{\"id\":\"a\",\"text\":\"caf\\u00e9\",\"city\":\"X\",\"likes\":1.5}\n"
	      "{\"id\":2,\"text\":\"long enough to make the scratch buffer grow past its first "
	      "size of sixty-four bytes\",\"likes\":1.000000000000000000000000000000000000000000"
	      "00000000000000000000000000005}\n",
	      f);
	fclose(f);
	for (long n = 1; n < 200 && !ok; n++) {
		struct nr_corpus *c = NULL;
		const struct nr_doc *d;
		int rc, ev = 0, docs = 0;

		nri_alloc_fail_at(n);
		rc = nr_corpus_new(&c, NULL);
		if (rc == NR_OK)
			rc = nr_corpus_add_path(c, path);
		if (rc == NR_OK) {
			while ((ev = nr_corpus_next(c, &d)) > 0) {
				assert_int_equal(ev, NR_CORPUS_DOC);
				assert_true(d->text_len == 5 || d->text_len > 64);
				docs++;
			}
			rc = ev;
		}
		nri_alloc_fail_at(0);
		nr_corpus_free(c);
		if (rc == NR_OK) {
			ok = 1;
			assert_int_equal(docs, 2);
		} else {
			assert_int_equal(rc, NR_ENOMEM);
		}
	}
	unlink(path);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_object), cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_nul), cmocka_unit_test(test_raw_nul),          cmocka_unit_test(test_structure),
		cmocka_unit_test(test_numbers),      cmocka_unit_test(test_depth),
		cmocka_unit_test(test_alloc_failure), cmocka_unit_test(test_corpus_paths),
		cmocka_unit_test(test_corpus_alloc_failure),
		cmocka_unit_test(test_doc_field_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
