/*
 * test_normalize.c - nr_normalize and nri_casefold: outputs and offsets
 * maps for ligatures, fullwidth letters, composition and decomposition,
 * reordering, Hangul, case folding (German sharp s, Greek sigma, Turkish
 * dotted I), default ignorables; long combining runs; a differential test
 * against utf8proc_map; argument errors and allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "normalize.h"
#include "utf8.h"

#define NOFFS ((size_t)-1)

/*
 * nr_normalize(in) must give want; if want_offs is not NULL it lists the
 * offset of every output byte (out_len entries; the final len entry is
 * checked separately).
 */
static void expect_norm(const char *in, enum nr_norm_form form, const char *want,
			const size_t *want_offs)
{
	size_t len = strlen(in), want_len = strlen(want), out_len = 99, i;
	size_t *offs = NULL;
	char *out = NULL;

	assert_int_equal(nr_normalize(in, len, form, &out, &out_len, &offs), NR_OK);
	assert_non_null(out);
	assert_non_null(offs);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(offs[out_len], len);
	for (i = 0; i < out_len; i++) {
		if (want_offs)
			assert_int_equal(offs[i], want_offs[i]);
		if (i)
			assert_true(offs[i] >= offs[i - 1]);
	}
	nr_free(out);
	nr_free(offs);
	/* the same without offsets */
	assert_int_equal(nr_normalize(in, len, form, &out, &out_len, NULL), NR_OK);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	nr_free(out);
}

static void test_ascii(void **state)
{
	static const size_t id[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};

	(void)state;
	expect_norm("", NR_NFC, "", NULL);
	expect_norm("Hello, World!", NR_NFC, "Hello, World!", id);
	expect_norm("Hello, World!", NR_NFKD, "Hello, World!", id);
	expect_norm("Hello, World!", NR_NFKC_CASEFOLD, "hello, world!", id);
	expect_norm("ABCXYZ@[`{", NR_NFKC_CASEFOLD, "abcxyz@[`{", id);
}

/* U+FB01 LATIN SMALL LIGATURE FI: both output letters map to the ligature. */
static void test_ligature(void **state)
{
	static const size_t o1[] = {0, 1, 1, 4};
	static const size_t o2[] = {0, 0};

	(void)state;
	expect_norm("a\xEF\xAC\x81" "b", NR_NFKC, "afib", o1);
	expect_norm("a\xEF\xAC\x81" "b", NR_NFKD, "afib", o1);
	expect_norm("a\xEF\xAC\x81" "b", NR_NFKC_CASEFOLD, "afib", o1);
	expect_norm("\xEF\xAC\x81", NR_NFKC, "fi", o2);
	/* canonical forms keep the ligature */
	expect_norm("a\xEF\xAC\x81" "b", NR_NFC, "a\xEF\xAC\x81" "b", NULL);
	expect_norm("a\xEF\xAC\x81" "b", NR_NFD, "a\xEF\xAC\x81" "b", NULL);
}

/* Fullwidth letters: 3 input bytes each, one output byte. */
static void test_fullwidth(void **state)
{
	/* U+FF21 FULLWIDTH LATIN CAPITAL LETTER A */
	static const size_t o1[] = {0};
	/* "Ｔｏｋｙｏ" */
	static const size_t o2[] = {0, 3, 6, 9, 12};
	static const size_t o3[] = {0, 1, 4, 5};
	static const size_t o4[] = {0, 0, 0};

	(void)state;
	expect_norm("\xEF\xBC\xA1", NR_NFKC, "A", o1);
	expect_norm("\xEF\xBC\xA1", NR_NFKC_CASEFOLD, "a", o1);
	expect_norm("\xEF\xBC\xB4\xEF\xBD\x8F\xEF\xBD\x8B\xEF\xBD\x99\xEF\xBD\x8F", NR_NFKC,
		    "Tokyo", o2);
	expect_norm("\xEF\xBC\xB4\xEF\xBD\x8F\xEF\xBD\x8B\xEF\xBD\x99\xEF\xBD\x8F",
		    NR_NFKC_CASEFOLD, "tokyo", o2);
	expect_norm("x\xEF\xBC\xA1yz", NR_NFKC_CASEFOLD, "xayz", o3);
	/* fullwidth digits and ideographic space */
	expect_norm("\xEF\xBC\x92\xEF\xBC\x90\xE3\x80\x80\xEF\xBC\x92", NR_NFKC, "20 2", NULL);
	/* NFC leaves them: every byte of a character maps to its start */
	expect_norm("\xEF\xBC\xA1", NR_NFC, "\xEF\xBC\xA1", o4);
}

/* e + U+0301 composes to U+00E9 in NFC and both output bytes map to the
 * start of the combining sequence; NFD splits U+00E9 and every output byte
 * maps to its start. */
static void test_compose_decompose(void **state)
{
	static const size_t o1[] = {0, 0};
	static const size_t o2[] = {0, 1, 1, 4};
	static const size_t o3[] = {0, 0, 0};
	static const size_t o4[] = {0, 1, 1, 1, 3};
	static const size_t o5[] = {0, 1, 1, 3, 3, 5};

	(void)state;
	expect_norm("e\xCC\x81", NR_NFC, "\xC3\xA9", o1);
	expect_norm("e\xCC\x81", NR_NFKC, "\xC3\xA9", o1);
	expect_norm("e\xCC\x81", NR_NFKC_CASEFOLD, "\xC3\xA9", o1);
	expect_norm("E\xCC\x81", NR_NFKC_CASEFOLD, "\xC3\xA9", o1);
	expect_norm("xe\xCC\x81y", NR_NFC, "x\xC3\xA9y", o2);
	expect_norm("\xC3\xA9", NR_NFD, "e\xCC\x81", o3);
	expect_norm("x\xC3\xA9y", NR_NFD, "xe\xCC\x81y", o4);
	/* precomposed stays, with its own offsets */
	expect_norm("x\xC3\xA9\xC3\xA9y", NR_NFC, "x\xC3\xA9\xC3\xA9y", o5);
	expect_norm("\xC3\x89", NR_NFKC_CASEFOLD, "\xC3\xA9", o1);
	/* U+212B ANGSTROM SIGN is a singleton: U+00C5 in NFC */
	expect_norm("\xE2\x84\xAB", NR_NFC, "\xC3\x85", o1);
	/* U+0344 COMBINING GREEK DIALYTIKA TONOS -> U+0308 U+0301 */
	expect_norm("\xCD\x84", NR_NFC, "\xCC\x88\xCC\x81", NULL);
}

/* Canonical reordering: a + dot above (230) + dot below (220). */
static void test_reorder(void **state)
{
	static const size_t o1[] = {0, 0, 0, 0, 0};
	static const size_t o2[] = {0, 0, 0, 0, 0};

	(void)state;
	expect_norm("a\xCC\x87\xCC\xA3", NR_NFD, "a\xCC\xA3\xCC\x87", o1);
	/* U+1EA1 (a with dot below) + U+0307 */
	expect_norm("a\xCC\x87\xCC\xA3", NR_NFC, "\xE1\xBA\xA1\xCC\x87", o2);
	/* already ordered: each character keeps its own offset */
	{
		static const size_t o3[] = {0, 1, 1, 3, 3};

		expect_norm("a\xCC\xA3\xCC\x87", NR_NFD, "a\xCC\xA3\xCC\x87", o3);
	}
}

static void test_hangul(void **state)
{
	/* U+D55C HANGUL SYLLABLE HAN = 1112 1161 11AB */
	static const size_t o1[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const size_t o2[] = {0, 0, 0};

	(void)state;
	expect_norm("\xED\x95\x9C", NR_NFD, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", o1);
	expect_norm("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", NR_NFC, "\xED\x95\x9C", o2);
	expect_norm("\xED\x95\x9C", NR_NFC, "\xED\x95\x9C", o2);
	/* U+AC00 + U+11A7 (no trailing consonant): must not compose (a
	 * utf8proc 2.8 composition bug that segmenting avoids) */
	expect_norm("\xEA\xB0\x80\xE1\x86\xA7", NR_NFC, "\xEA\xB0\x80\xE1\x86\xA7", NULL);
	/* halfwidth jamo compose under NFKC */
	expect_norm("\xEF\xBE\xA1\xEF\xBF\x82", NR_NFKC, "\xEA\xB0\x80", NULL);
}

static void test_casefold(void **state)
{
	/* Straße -> strasse: both s map to the sharp s at byte 4 */
	static const size_t o1[] = {0, 1, 2, 3, 4, 4, 6};
	/* U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE -> i + U+0307 */
	static const size_t o2[] = {0, 0, 0};
	static const size_t o3[] = {0, 1, 1, 1};

	(void)state;
	expect_norm("Stra\xC3\x9F" "e", NR_NFKC_CASEFOLD, "strasse", o1);
	/* U+1E9E LATIN CAPITAL LETTER SHARP S */
	expect_norm("\xE1\xBA\x9E", NR_NFKC_CASEFOLD, "ss", NULL);
	/* Greek: final sigma U+03C2 and capital U+03A3 both fold to U+03C3 */
	expect_norm("\xCE\xA3\xCE\xBF\xCF\x82", NR_NFKC_CASEFOLD, "\xCF\x83\xCE\xBF\xCF\x83",
		    NULL);
	expect_norm("\xCE\x9F\xCE\x94\xCE\xA5\xCE\xA3\xCE\xA3\xCE\x95\xCE\xA5\xCE\xA3",
		    NR_NFKC_CASEFOLD,
		    "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x85\xCF\x83", NULL);
	/* Turkish dotted capital I: full (non-Turkic) folding */
	expect_norm("\xC4\xB0", NR_NFKC_CASEFOLD, "i\xCC\x87", o2);
	expect_norm("I\xC4\xB0", NR_NFKC_CASEFOLD, "ii\xCC\x87", o3);
	/* dotless i stays */
	expect_norm("\xC4\xB1", NR_NFKC_CASEFOLD, "\xC4\xB1", NULL);
	/* Cyrillic and Armenian ligature U+0587 -> U+0565 U+0582 */
	expect_norm("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", NR_NFKC_CASEFOLD,
		    "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", NULL);
	expect_norm("\xD6\x87", NR_NFKC_CASEFOLD, "\xD5\xA5\xD6\x82", NULL);
	/* CJK and emoji are their own fold; ㈱ (U+3231) -> (株) */
	expect_norm("\xE6\x9D\xAD\xE5\xB7\x9E\xF0\x9F\x98\x80", NR_NFKC_CASEFOLD,
		    "\xE6\x9D\xAD\xE5\xB7\x9E\xF0\x9F\x98\x80", NULL);
	expect_norm("\xE3\x88\xB1", NR_NFKC_CASEFOLD, "(\xE6\xA0\xAA)", NULL);
	/* U+0345 after a mark: per-character mapping, then NFC (Unicode 15, 3.13) */
	expect_norm("\xCE\xB1\xCC\x81\xCD\x85", NR_NFKC_CASEFOLD, "\xCE\xAC\xCE\xB9", NULL);
}

/* Default ignorables vanish under NFKC_CASEFOLD only. */
static void test_ignorables(void **state)
{
	/* a SOFT HYPHEN b; a ZERO WIDTH SPACE b */
	static const size_t o1[] = {0, 3};
	static const size_t o2[] = {0, 4};

	(void)state;
	expect_norm("a\xC2\xAD" "b", NR_NFKC_CASEFOLD, "ab", o1);
	expect_norm("a\xE2\x80\x8B" "b", NR_NFKC_CASEFOLD, "ab", o2);
	expect_norm("a\xC2\xAD" "b", NR_NFKC, "a\xC2\xAD" "b", NULL);
	/* an ignorable between base and mark does not stop composition */
	expect_norm("e\xC2\xAD\xCC\x81", NR_NFKC_CASEFOLD, "\xC3\xA9", NULL);
	/* only ignorables */
	expect_norm("\xC2\xAD\xE2\x80\x8B", NR_NFKC_CASEFOLD, "", NULL);
	/* a reserved default ignorable (U+E0FFF, unassigned) */
	expect_norm("x\xF3\xA0\xBF\xBF", NR_NFKC_CASEFOLD, "x", NULL);
}

/* A base with thousands of marks (a hostile "zalgo" run): the segment
 * outgrows the stack, the counting sort runs, the result is ordered and
 * stable, and offsets all point at the base. */
static void test_long_marks(void **state)
{
	const size_t pairs = 3000;
	size_t len = 1 + pairs * 4, i, out_len, *offs;
	char *in = malloc(len), *out;

	(void)state;
	assert_non_null(in);
	in[0] = 'a';
	for (i = 0; i < pairs; i++)
		memcpy(in + 1 + 4 * i, "\xCC\x87\xCC\xA3", 4); /* 230, 220 */
	assert_int_equal(nr_normalize(in, len, NR_NFD, &out, &out_len, &offs), NR_OK);
	assert_int_equal(out_len, len);
	assert_int_equal(out[0], 'a');
	for (i = 0; i < pairs; i++)
		assert_memory_equal(out + 1 + 2 * i, "\xCC\xA3", 2);
	for (i = 0; i < pairs; i++)
		assert_memory_equal(out + 1 + 2 * pairs + 2 * i, "\xCC\x87", 2);
	for (i = 0; i < out_len; i++)
		assert_int_equal(offs[i], 0);
	nr_free(out);
	nr_free(offs);
	/* NFC: a + dot below composes; the dots above stay, in order */
	assert_int_equal(nr_normalize(in, len, NR_NFC, &out, &out_len, NULL), NR_OK);
	assert_int_equal(out_len, 3 + 2 * (pairs - 1) + 2 * pairs);
	assert_memory_equal(out, "\xE1\xBA\xA1", 3);
	nr_free(out);
	free(in);
}

/* Differential test against utf8proc_map (NFC, NFD, NFKC, NFKD) on random
 * strings drawn from characters that interact: bases, marks of several
 * classes, precomposed letters, Hangul jamo and syllables, compatibility
 * characters, ASCII.  U+11A7 is left out (utf8proc_map composes it). */
static void test_differential(void **state)
{
	static const int32_t pool[] = {
		'a',    'e',    'A',    ' ',    'I',    0x00E9, 0x00C5, 0x1E0A, 0x1E0C,
		0x0300, 0x0301, 0x0307, 0x0323, 0x031B, 0x0345, 0x0327, 0x05B0, 0x0F71,
		0x0F72, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xD55C, 0x3131, 0xFB01, 0xFF21,
		0x2126, 0x0B47, 0x0B3E, 0x0B57, 0x09C7, 0x09BE, 0x1B05, 0x1B35, 0x0CC6,
		0x0CC2, 0x0CD5, 0x3099, 0x304B, 0x309A, 0xFDFA, 0x1D15E, 0x1D165, 0x0344,
		0x0F73, 0x00A8, 0x0132, 0x2460, 0x1F3C1,
	};
	static const utf8proc_option_t opt[] = {
		UTF8PROC_STABLE | UTF8PROC_COMPOSE,
		UTF8PROC_STABLE | UTF8PROC_DECOMPOSE,
		UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT,
		UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
	};
	unsigned long seed = 7;
	char in[12 * 4];
	int iter, form;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t len = 0, n = (size_t)(iter % 12) + 1, k;

		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			len += nri_utf8_encode(
				(uint32_t)pool[(seed >> 33) % (sizeof(pool) / sizeof(pool[0]))],
				in + len);
		}
		for (form = NR_NFC; form <= NR_NFKD; form++) {
			utf8proc_uint8_t *ref = NULL;
			utf8proc_ssize_t rlen;
			char *out;
			size_t out_len;

			rlen = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len,
					    &ref, opt[form]);
			assert_true(rlen >= 0);
			assert_int_equal(nr_normalize(in, len, (enum nr_norm_form)form, &out,
						      &out_len, NULL),
					 NR_OK);
			assert_int_equal(out_len, (size_t)rlen);
			assert_memory_equal(out, ref, out_len);
			nr_free(out);
			free(ref);
		}
	}
}

static void test_errors(void **state)
{
	char *out = (char *)&out;
	size_t out_len = 5, *offs = (size_t *)&offs, bad;

	(void)state;
	assert_int_equal(nr_normalize("a\xFF", 2, NR_NFC, &out, &out_len, &offs), NR_EUTF8);
	assert_null(out);
	assert_null(offs);
	assert_int_equal(out_len, 0);
	assert_int_equal(nr_normalize("\xED\xA0\x80", 3, NR_NFKC_CASEFOLD, &out, &out_len, NULL),
			 NR_EUTF8);
	assert_int_equal(nr_normalize("a", 1, (enum nr_norm_form)5, &out, &out_len, NULL),
			 NR_EINVAL);
	assert_int_equal(nr_normalize("a", 1, (enum nr_norm_form)-1, &out, &out_len, NULL),
			 NR_EINVAL);
	assert_int_equal(nr_normalize("a", 1, NR_NFC, NULL, &out_len, NULL), NR_EINVAL);
	assert_int_equal(nr_normalize("a", 1, NR_NFC, &out, NULL, NULL), NR_EINVAL);
	assert_int_equal(nr_normalize(NULL, 1, NR_NFC, &out, &out_len, NULL), NR_EINVAL);
	assert_int_equal(nr_normalize(NULL, 0, NR_NFC, &out, &out_len, &offs), NR_OK);
	assert_int_equal(out_len, 0);
	assert_int_equal(offs[0], 0);
	nr_free(out);
	nr_free(offs);
	/* NUL bytes are text */
	assert_int_equal(nr_normalize("A\0B", 3, NR_NFKC_CASEFOLD, &out, &out_len, NULL), NR_OK);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, "a\0b", 3);
	nr_free(out);
	(void)bad;
}

/* nri_casefold appends NFKC_Casefold, agrees with nr_normalize, and
 * survives invalid input (U+FFFD, no overread). */
static void test_nri_casefold(void **state)
{
	static const char *const words[] = {
		"Hangzhou", "HANGZHOU", "hangzhou", "Stra\xC3\x9F" "e", "\xC4\xB0stanbul",
		"\xEF\xBC\xB4\xEF\xBD\x8F\xEF\xBD\x8B\xEF\xBD\x99\xEF\xBD\x8F",
		"e\xCC\x81t\xC3\xA9", "\xE6\x9D\xAD\xE5\xB7\x9E", "\xCE\xA3\xCE\xBF\xCF\x82",
		"caf\xC3\xA9", "CAF\xC3\x89", "\xEF\xAC\x81", "#\xE6\x9D\xAD\xE5\xB7\x9E#",
		"a\xC2\xAD" "b", "\xF0\x9F\x98\x80", "", "\xED\x95\x9C\xEA\xB5\xAD",
	};
	struct nri_buf b;
	size_t i;

	(void)state;
	nri_buf_init(&b, 0);
	assert_int_equal(nri_buf_adds(&b, "[prefix]"), NR_OK);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t len = strlen(words[i]), out_len, old = b.len;
		char *out;

		assert_int_equal(nri_casefold(&b, words[i], len), NR_OK);
		assert_int_equal(nr_normalize(words[i], len, NR_NFKC_CASEFOLD, &out, &out_len,
					      NULL),
				 NR_OK);
		assert_int_equal(b.len - old, out_len);
		assert_memory_equal(b.data + old, out, out_len);
		assert_int_equal(b.data[b.len], '\0');
		nr_free(out);
	}
	assert_memory_equal(b.data, "[prefix]hangzhouhangzhou", 24);
	nri_buf_reset(&b);
	assert_int_equal(nri_casefold(&b, "A\xFF" "B\xE2\x82", 5), NR_OK);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", 8);
	/* the cap: NR_ELIMIT, and the buffer keeps what it had */
	nri_buf_release(&b);
	nri_buf_init(&b, 10);
	assert_int_equal(nri_casefold(&b, "abcdef", 6), NR_OK);
	assert_int_equal(nri_casefold(&b, "\xEF\xAC\x81\xEF\xAC\x81\xEF\xAC\x81", 9), NR_ELIMIT);
	assert_int_equal(b.len, 6);
	assert_int_equal(nri_casefold(&b, "ABCDEFGH", 8), NR_ELIMIT);
	assert_int_equal(b.len, 6);
	nri_buf_release(&b);
}

/* Text that reaches every allocation site: expansion beyond the initial
 * size (U+FDFA is 18 characters under NFKC), offsets growth, and a segment
 * that outgrows the stack. */
static char *alloc_input(size_t *len)
{
	size_t n = 0, i;
	char *s = malloc(4096);

	assert_non_null(s);
	for (i = 0; i < 40; i++) {
		memcpy(s + n, "\xEF\xB7\xBA", 3); /* U+FDFA */
		n += 3;
	}
	s[n++] = 'a';
	for (i = 0; i < 200; i++) {
		memcpy(s + n, "\xCC\x87\xCC\xA3", 4);
		n += 4;
	}
	memcpy(s + n, "Stra\xC3\x9F" "e", 7);
	n += 7;
	*len = n;
	return s;
}

static void test_alloc_failure(void **state)
{
	size_t len, out_len, *offs;
	char *in = alloc_input(&len), *out;
	int form, rc;
	long n;

	(void)state;
	for (form = NR_NFC; form <= NR_NFKC_CASEFOLD; form++) {
		for (n = 1;; n++) {
			out = (char *)&out;
			offs = (size_t *)&offs;
			nri_alloc_fail_at(n);
			rc = nr_normalize(in, len, (enum nr_norm_form)form, &out, &out_len, &offs);
			nri_alloc_fail_at(0);
			if (rc == NR_OK)
				break;
			assert_int_equal(rc, NR_ENOMEM);
			assert_null(out);
			assert_null(offs);
			assert_true(n < 1000);
		}
		/* several allocation sites were exercised */
		assert_true(n >= 4);
		nr_free(out);
		nr_free(offs);
	}
	free(in);
}

static void test_casefold_alloc_failure(void **state)
{
	size_t len;
	char *in = alloc_input(&len);
	struct nri_buf b;
	long n;
	int rc;

	(void)state;
	for (n = 1;; n++) {
		nri_buf_init(&b, 0);
		nri_alloc_fail_at(n);
		rc = nri_casefold(&b, in, len);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_int_equal(b.len, 0);
		nri_buf_release(&b);
		assert_true(n < 1000);
	}
	assert_true(n >= 3);
	nri_buf_release(&b);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_ligature),
		cmocka_unit_test(test_fullwidth),
		cmocka_unit_test(test_compose_decompose),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_hangul),
		cmocka_unit_test(test_casefold),
		cmocka_unit_test(test_ignorables),
		cmocka_unit_test(test_long_marks),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nri_casefold),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_casefold_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
