/*
 * test_utf8.c - nr_utf8_check, nr_utf8_repair, nri_utf8_next and
 * nri_utf8_encode: every boundary of Unicode 15's Table 3-7, overlongs,
 * surrogates, values above U+10FFFF, truncation, the U+FFFD examples of
 * section 3.9 (Tables 3-8 to 3-11), an exhaustive comparison with a
 * bit-pattern reference decoder, and allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "utf8.h"

/*
 * Reference: the length of the well-formed sequence at p, or 0.  Written
 * the other way round from lib/utf8.c - decode by bit pattern first, then
 * reject overlongs, surrogates and values above U+10FFFF by value - so the
 * two do not share a mistake.
 */
static size_t ref_seq(const unsigned char *p, size_t avail)
{
	uint32_t cp, min;
	size_t n, k;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = p[0] & 0x1F;
		min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = p[0] & 0x0F;
		min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Offset of the first ill-formed sequence by the reference, or len. */
static size_t ref_first_bad(const unsigned char *p, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = ref_seq(p + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

static void check_bytes(const unsigned char *p, size_t len)
{
	size_t bad = (size_t)-1, want = ref_first_bad(p, len);
	int rc = nr_utf8_check((const char *)p, len, &bad);

	if (want == len) {
		assert_int_equal(rc, NR_OK);
	} else {
		assert_int_equal(rc, NR_EUTF8);
		assert_int_equal(bad, want);
	}
}

static void test_valid_boundaries(void **state)
{
	static const uint32_t cps[] = {0x0,    0x7F,   0x80,    0x7FF,    0x800,   0xFFF,
				       0x1000, 0xCFFF, 0xD000,  0xD7FF,   0xE000,  0xFFFD,
				       0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000,
				       0x10FFFF};
	char buf[64], enc[4];
	size_t i, pad, n, bad;

	(void)state;
	assert_int_equal(nr_utf8_check("", 0, NULL), NR_OK);
	assert_int_equal(nr_utf8_check(NULL, 0, NULL), NR_OK);
	assert_int_equal(nr_utf8_check(NULL, 1, NULL), NR_EINVAL);
	assert_int_equal(nr_utf8_check("a\0b", 3, NULL), NR_OK);
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = nri_utf8_encode(cps[i], enc);
		/* at every alignment against the 8-byte ASCII skip, and at the
		 * very end of the input */
		for (pad = 0; pad < 17; pad++) {
			memset(buf, 'x', sizeof(buf));
			memcpy(buf + pad, enc, n);
			assert_int_equal(nr_utf8_check(buf, pad + n, &bad), NR_OK);
			assert_int_equal(nr_utf8_check(buf, pad + n + 5, &bad), NR_OK);
		}
	}
}

static void test_invalid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
		{"\xC0\x80", 2},         /* overlong U+0000 */
		{"\xC1\xBF", 2},         /* overlong U+007F */
		{"\xE0\x80\x80", 3},     /* overlong, 3 bytes */
		{"\xE0\x9F\xBF", 3},     /* overlong U+07FF */
		{"\xF0\x80\x80\x80", 4}, /* overlong, 4 bytes */
		{"\xF0\x8F\xBF\xBF", 4}, /* overlong U+FFFF */
		{"\xED\xA0\x80", 3},     /* U+D800 */
		{"\xED\xAF\xBF", 3},     /* U+DBFF */
		{"\xED\xB0\x80", 3},     /* U+DC00 */
		{"\xED\xBF\xBF", 3},     /* U+DFFF */
		{"\xF4\x90\x80\x80", 4}, /* U+110000 */
		{"\xF5\x80\x80\x80", 4}, /* lead F5 */
		{"\xF7\xBF\xBF\xBF", 4}, /* U+1FFFFF */
		{"\xF8\x88\x80\x80\x80", 5}, /* 5-byte form */
		{"\xFC\x84\x80\x80\x80\x80", 6},
		{"\xFE", 1},
		{"\xFF", 1},
		{"\x80", 1}, /* lone continuation bytes */
		{"\xBF", 1},
		{"\xC2", 1}, /* truncated at end of input */
		{"\xE2\x82", 2},
		{"\xF0\x9F\x98", 3},
		{"\xE2\x82\x41", 3}, /* truncated before ASCII */
		{"\xC2\xC2\xA9", 3},
		{"\xF0\x9F\x98\x80\x80", 5}, /* a valid emoji, then a stray byte */
	};
	/* where the first bad sequence starts in each case */
	static const size_t where[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4};
	char buf[64];
	size_t i, pad, bad;

	(void)state;
	assert_int_equal(sizeof(cases) / sizeof(cases[0]), sizeof(where) / sizeof(where[0]));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (pad = 0; pad < 17; pad++) {
			memset(buf, 'y', sizeof(buf));
			memcpy(buf + pad, cases[i].s, cases[i].len);
			bad = (size_t)-1;
			assert_int_equal(nr_utf8_check(buf, pad + cases[i].len, &bad), NR_EUTF8);
			assert_int_equal(bad, pad + where[i]);
			/* NULL bad_offset is allowed */
			assert_int_equal(nr_utf8_check(buf, pad + cases[i].len, NULL), NR_EUTF8);
		}
	}
}

/* Every 1-, 2- and 3-byte string, and every 4-byte string whose last two
 * bytes come from a set that straddles each boundary, against ref_seq. */
static void test_exhaustive(void **state)
{
	static const unsigned char tail[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
					     0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xFF};
	unsigned char b[8];
	unsigned a, c, d, e;

	(void)state;
	for (a = 0; a < 256; a++) {
		b[0] = (unsigned char)a;
		check_bytes(b, 1);
		for (c = 0; c < 256; c++) {
			b[1] = (unsigned char)c;
			check_bytes(b, 2);
			for (d = 0; d < 256; d++) {
				b[2] = (unsigned char)d;
				check_bytes(b, 3);
				if (a < 0xF0 || a > 0xF7)
					continue;
				for (e = 0; e < sizeof(tail); e++) {
					b[3] = tail[e];
					check_bytes(b, 4);
				}
			}
		}
	}
}

/* Random byte strings biased towards the interesting bytes, at lengths
 * that cross the 8-byte words. */
static void test_random(void **state)
{
	static const unsigned char pool[] = {'a',  ' ',  0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
					     0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
					     0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4,
					     0xF5, 0xFF};
	unsigned char b[40];
	unsigned long seed = 12345;
	int iter;
	size_t len, i;

	(void)state;
	for (iter = 0; iter < 300000; iter++) {
		len = (size_t)(iter % 40);
		for (i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			b[i] = pool[(seed >> 33) % sizeof(pool)];
		}
		check_bytes(b, len);
	}
}

static void test_encode_next_roundtrip(void **state)
{
	char enc[4];
	uint32_t cp;
	size_t n, i;
	int32_t got;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = nri_utf8_encode(cp, enc);
		assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		assert_int_equal(nr_utf8_check(enc, n, NULL), NR_OK);
		i = 0;
		got = nri_utf8_next(enc, n, &i);
		assert_int_equal(got, (int32_t)cp);
		assert_int_equal(i, n);
	}
}

/* nri_utf8_next steps over one maximal subpart per ill-formed sequence. */
static void test_next_subparts(void **state)
{
	/* Unicode 15, Table 3-11's input: E1 80 | E2 | F0 91 92 | F1 BF | 41 */
	static const char s[] = "\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41";
	static const size_t steps[] = {2, 3, 6, 8, 9};
	static const int32_t vals[] = {-1, -1, -1, -1, 0x41};
	size_t i = 0, k;

	(void)state;
	for (k = 0; k < 5; k++) {
		assert_int_equal(nri_utf8_next(s, sizeof(s) - 1, &i), vals[k]);
		assert_int_equal(i, steps[k]);
	}
}

static void expect_repair(const char *in, size_t len, const char *want, size_t want_len,
			  size_t want_repairs)
{
	char *out = NULL;
	size_t out_len = 0, repairs = 99;

	assert_int_equal(nr_utf8_repair(in, len, &out, &out_len, &repairs), NR_OK);
	assert_non_null(out);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[out_len], '\0');
	assert_int_equal(repairs, want_repairs);
	assert_int_equal(nr_utf8_check(out, out_len, NULL), NR_OK);
	nr_free(out);
}

#define R "\xEF\xBF\xBD"

/* Unicode 15, section 3.9, Tables 3-8 to 3-11: "U+FFFD Substitution of
 * Maximal Subparts". */
static void test_repair_tables(void **state)
{
	(void)state;
	/* The worked example before the tables:
	 * 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 ->
	 * 0061 FFFD FFFD FFFD 0062 FFFD 0063 FFFD FFFD 0064 */
	expect_repair("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13,
		      "a" R R R "b" R "c" R R "d", 22, 6);
	/* Table 3-8, non-shortest forms: C0 AF E0 80 BF F0 81 82 41 */
	expect_repair("\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", 9, R R R R R R R R "A", 25, 8);
	/* Table 3-9, surrogates: ED A0 80 ED BF BF ED AF 41 */
	expect_repair("\xED\xA0\x80\xED\xBF\xBF\xED\xAF\x41", 9, R R R R R R R R "A", 25, 8);
	/* Table 3-10, other ill-formed: F4 91 92 93 FF 41 80 BF 42 */
	expect_repair("\xF4\x91\x92\x93\xFF\x41\x80\xBF\x42", 9, R R R R R "A" R R "B", 23, 7);
	/* Table 3-11, truncated: E1 80 E2 F0 91 92 F1 BF 41 */
	expect_repair("\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", 9, R R R R "A", 13, 4);
}

static void test_repair_other(void **state)
{
	char *out = (char *)&out;
	size_t out_len = 7;

	(void)state;
	expect_repair("", 0, "", 0, 0);
	expect_repair(NULL, 0, "", 0, 0);
	expect_repair("plain \xE6\x9D\xAD\xE5\xB7\x9E", 12, "plain \xE6\x9D\xAD\xE5\xB7\x9E",
		      12, 0);
	expect_repair("a\0b", 3, "a\0b", 3, 0);
	/* truncated at the very end */
	expect_repair("abc\xF0\x9F\x98", 6, "abc" R, 6, 1);
	expect_repair("\xC2", 1, R, 3, 1);
	/* a bad byte inside a long ASCII run, then valid text */
	expect_repair("0123456789abcdef\xFF"
		      "0123456789abcdef\xE2\x82\xAC",
		      36, "0123456789abcdef" R "0123456789abcdef\xE2\x82\xAC", 38, 1);
	/* repairs is optional */
	assert_int_equal(nr_utf8_repair("\xFF", 1, &out, &out_len, NULL), NR_OK);
	assert_int_equal(out_len, 3);
	nr_free(out);
	assert_int_equal(nr_utf8_repair("x", 1, NULL, &out_len, NULL), NR_EINVAL);
	assert_int_equal(nr_utf8_repair("x", 1, &out, NULL, NULL), NR_EINVAL);
	assert_int_equal(nr_utf8_repair(NULL, 1, &out, &out_len, NULL), NR_EINVAL);
}

/* Repair of random bytes: the output is well-formed, the count is the
 * number of U+FFFD that were not in the input, and the well-formed parts
 * survive unchanged (removing every U+FFFD from both sides agrees with
 * removing every maximal subpart by the reference). */
static void test_repair_random(void **state)
{
	static const unsigned char pool[] = {'a', 0x80, 0xBF, 0xC2, 0xE0, 0xE2, 0xED,
					     0xF0, 0xF4, 0x9F, 0x82, 0xFF, 0xA0};
	unsigned char b[24];
	unsigned long seed = 99;
	int iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)(iter % 24), i, out_len, repairs, valid = 0, nbad = 0;
		char *out;

		for (i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			b[i] = pool[(seed >> 33) % sizeof(pool)];
		}
		for (i = 0; i < len;) {
			size_t n = ref_seq(b + i, len - i);

			if (n) {
				valid += n;
				i += n;
			} else {
				size_t j = i, k = i;

				/* maximal subpart by nri_utf8_next */
				nri_utf8_next((const char *)b, len, &k);
				assert_true(k > j);
				nbad++;
				i = k;
			}
		}
		assert_int_equal(nr_utf8_repair((const char *)b, len, &out, &out_len, &repairs),
				 NR_OK);
		assert_int_equal(repairs, nbad);
		assert_int_equal(out_len, valid + 3 * nbad);
		assert_int_equal(nr_utf8_check(out, out_len, NULL), NR_OK);
		nr_free(out);
	}
}

static void test_repair_alloc_failure(void **state)
{
	static const char in[] = "ab\xFF\xE2\x82 cd";
	char *out;
	size_t out_len, repairs;
	long n;
	int rc;

	(void)state;
	for (n = 1;; n++) {
		out = (char *)&out;
		nri_alloc_fail_at(n);
		rc = nr_utf8_repair(in, sizeof(in) - 1, &out, &out_len, &repairs);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_null(out);
		assert_true(n < 100);
	}
	assert_true(n >= 2);
	assert_int_equal(repairs, 2);
	nr_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_boundaries),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_encode_next_roundtrip),
		cmocka_unit_test(test_next_subparts),
		cmocka_unit_test(test_repair_tables),
		cmocka_unit_test(test_repair_other),
		cmocka_unit_test(test_repair_random),
		cmocka_unit_test(test_repair_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
