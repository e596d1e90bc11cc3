/*
 * test_tokenizer.c - nr_tokenize: token types, offsets into the original
 * input (also after UTF-8 repair), CJK and other scripts, stop and stem
 * flags, edge cases, limits, and allocation failure at every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "stopwords.h"
#include "strmap.h"

/* The stopword lists of the build tree (tests run from the top folder). */
#define DATA_DIR "lexicons"

static struct nr_tokenizer *make(unsigned flags, size_t max_input)
{
	struct nr_tokenizer_options o = {0};
	struct nr_tokenizer *tok = NULL;

	o.data_dir = DATA_DIR;
	o.flags = flags;
	o.max_input = max_input;
	assert_int_equal(nr_tokenizer_new(&tok, &o), NR_OK);
	assert_non_null(tok);
	return tok;
}

/* Tokenize s (NUL-terminated) and return the count; *t gets the tokens. */
static size_t run(struct nr_tokenizer *tok, const char *s, const char *lang,
		  const struct nr_token **t)
{
	size_t n = 99;

	assert_int_equal(nr_tokenize(tok, s, strlen(s), lang, t, &n), NR_OK);
	assert_non_null(*t);
	return n;
}

/* Index of the token whose surface is want, or -1. */
static long find(const char *s, const struct nr_token *t, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].length == strlen(want) && !memcmp(s + t[i].offset, want, t[i].length))
			return (long)i;
	return -1;
}

static void expect(const char *s, const struct nr_token *t, size_t n, const char *surface,
		   enum nr_token_type type)
{
	long i = find(s, t, n, surface);

	if (i < 0)
		fail_msg("no token '%s'", surface);
	if (t[i].type != type)
		fail_msg("'%s' is %s, not %s", surface, nr_token_type_name(t[i].type),
			 nr_token_type_name(type));
}

static int norm_is(const struct nr_token *t, const char *want)
{
	return t->norm_len == strlen(want) && !memcmp(t->norm, want, t->norm_len);
}

/* Tokens come in order, do not overlap and lie inside the input. */
static void check_order(const struct nr_token *t, size_t n, size_t len)
{
	size_t i, end = 0;

	for (i = 0; i < n; i++) {
		assert_true(t[i].offset >= end);
		assert_true(t[i].length > 0);
		end = t[i].offset + t[i].length;
		assert_true(end <= len);
	}
}

/* A hashtag runs over an apostrophe between two letters (#Xi'an, with
 * U+0027, U+2019 or U+02BC): city names would be cut otherwise.  One at
 * the end or the start is not part of it.  Both paths: the ASCII fast
 * path and ICU. */
static void test_hashtag_apostrophe(void **state)
{
	static const char s[] = "Off to #Xi'an, #ExploreXi\xe2\x80\x99" "an and #Xi\xca\xbc"
				"an! #abc' and #'abc #L'Aquila";
	unsigned flags[2] = {0, NR_TOKENIZE_NO_ICU_FAST};

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct nr_tokenizer *tok = make(flags[k], 0);
		const struct nr_token *t;
		size_t n = run(tok, s, "en", &t);

		check_order(t, n, strlen(s));
		expect(s, t, n, "#Xi'an", NR_TOKEN_HASHTAG);
		expect(s, t, n, "#ExploreXi\xe2\x80\x99" "an", NR_TOKEN_HASHTAG);
		expect(s, t, n, "#Xi\xca\xbc" "an", NR_TOKEN_HASHTAG);
		assert_true(norm_is(&t[find(s, t, n, "#Xi'an")], "#xi'an"));
		/* a trailing apostrophe stays out; a leading one makes no hashtag */
		expect(s, t, n, "#abc", NR_TOKEN_HASHTAG);
		assert_true(find(s, t, n, "#abc'") < 0);
		assert_true(find(s, t, n, "#'abc") < 0);
		expect(s, t, n, "abc", NR_TOKEN_WORD);
		expect(s, t, n, "#L'Aquila", NR_TOKEN_HASHTAG);
		nr_tokenizer_free(tok);
	}
}

static void test_types(void **state)
{
	static const char s[] =
		"Visit https://example.com/a_(b)). or www.hangzhou.gov.cn, mail info@city.gov.cn "
		"@alice #CityWalk #上海美食 去#杭州#玩 @人民日报：好 1,000.5 3.14 50% "
		"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 "
		"\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3! C# a.b@x";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n;

	(void)state;
	n = run(tok, s, "en", &t);
	check_order(t, n, strlen(s));
	expect(s, t, n, "Visit", NR_TOKEN_WORD);
	expect(s, t, n, "https://example.com/a_(b)", NR_TOKEN_URL);
	expect(s, t, n, ")", NR_TOKEN_PUNCT);
	expect(s, t, n, "www.hangzhou.gov.cn", NR_TOKEN_URL);
	expect(s, t, n, "info@city.gov.cn", NR_TOKEN_EMAIL);
	expect(s, t, n, "@alice", NR_TOKEN_MENTION);
	expect(s, t, n, "#CityWalk", NR_TOKEN_HASHTAG);
	expect(s, t, n, "#上海美食", NR_TOKEN_HASHTAG);
	expect(s, t, n, "#杭州#", NR_TOKEN_HASHTAG);
	expect(s, t, n, "玩", NR_TOKEN_WORD);
	expect(s, t, n, "@人民日报", NR_TOKEN_MENTION);
	expect(s, t, n, "：", NR_TOKEN_PUNCT);
	expect(s, t, n, "1,000.5", NR_TOKEN_NUMBER);
	expect(s, t, n, "3.14", NR_TOKEN_NUMBER);
	expect(s, t, n, "50", NR_TOKEN_NUMBER);
	expect(s, t, n, "%", NR_TOKEN_PUNCT);
	/* a ZWJ family and a flag stay one token each */
	expect(s, t, n, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
	       NR_TOKEN_EMOJI);
	expect(s, t, n, "\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3", NR_TOKEN_EMOJI);
	/* "C#" is no hashtag; "a.b@x" has no TLD, so no email */
	expect(s, t, n, "C", NR_TOKEN_WORD);
	expect(s, t, n, "#", NR_TOKEN_PUNCT);
	assert_true(find(s, t, n, "a.b@x") < 0 || t[find(s, t, n, "a.b@x")].type != NR_TOKEN_EMAIL);
	/* norms are case folded; the mention's too */
	assert_true(norm_is(&t[find(s, t, n, "Visit")], "visit"));
	assert_true(norm_is(&t[find(s, t, n, "#CityWalk")], "#citywalk"));
	assert_true(norm_is(&t[find(s, t, n, "：")], ":"));
	/* the ZWJ survives in the emoji's norm */
	assert_true(norm_is(
		&t[find(s, t, n,
			"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80"
			"\x8d\xf0\x9f\x91\xa7")],
		"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"));
	nr_tokenizer_free(tok);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(nr_token_type_name(NR_TOKEN_WORD), "word");
	assert_string_equal(nr_token_type_name(NR_TOKEN_NUMBER), "number");
	assert_string_equal(nr_token_type_name(NR_TOKEN_URL), "url");
	assert_string_equal(nr_token_type_name(NR_TOKEN_EMAIL), "email");
	assert_string_equal(nr_token_type_name(NR_TOKEN_MENTION), "mention");
	assert_string_equal(nr_token_type_name(NR_TOKEN_HASHTAG), "hashtag");
	assert_string_equal(nr_token_type_name(NR_TOKEN_EMOJI), "emoji");
	assert_string_equal(nr_token_type_name(NR_TOKEN_PUNCT), "punct");
	assert_string_equal(nr_token_type_name((enum nr_token_type)42), "?");
}

static void test_offsets_and_punct_flag(void **state)
{
	static const char s[] = "  Café au lait, s'il vous plaît!\n\tÜBER straße ";
	struct nr_tokenizer *tok = make(NR_TOKENIZE_NO_PUNCT, 0);
	const struct nr_token *t;
	size_t n, i;

	(void)state;
	n = run(tok, s, "fr", &t);
	check_order(t, n, strlen(s));
	for (i = 0; i < n; i++)
		assert_int_not_equal(t[i].type, NR_TOKEN_PUNCT);
	assert_int_equal(find(s, t, n, "Café"), 0);
	assert_int_equal(t[0].offset, 2);
	assert_true(norm_is(&t[0], "café"));
	/* French elision: s'il is s' + il (tests/unit/test_elision.c) */
	expect(s, t, n, "s'", NR_TOKEN_WORD);
	expect(s, t, n, "il", NR_TOKEN_WORD);
	assert_int_equal(find(s, t, n, "s'il"), -1);
	assert_true(norm_is(&t[find(s, t, n, "ÜBER")], "über"));
	/* NFKC_Casefold: ß folds to ss */
	assert_true(norm_is(&t[find(s, t, n, "straße")], "strasse"));
	nr_tokenizer_free(tok);
}

static void test_repair_offsets(void **state)
{
	/* an ill-formed byte, a truncated 3-byte sequence, an overlong */
	static const char s[] = "ab\xff cd \xe4\xb8 ef \xc0\xaf gh";
	struct nr_tokenizer *strict = make(0, 0), *rep = make(NR_TOKENIZE_REPAIR_UTF8, 0);
	const struct nr_token *t = (const struct nr_token *)s;
	size_t n = 7;
	long k;

	(void)state;
	assert_int_equal(nr_tokenize(strict, s, sizeof(s) - 1, "en", &t, &n), NR_EUTF8);
	assert_null(t);
	assert_int_equal(n, 0);
	assert_int_equal(nr_tokenizer_error_offset(strict), 2);
	assert_true(strlen(nr_tokenizer_errmsg(strict)) > 0);

	assert_int_equal(nr_tokenize(rep, s, sizeof(s) - 1, "en", &t, &n), NR_OK);
	assert_int_equal(nr_tokenizer_repairs(rep), 4); /* \xff, \xe4\xb8, \xc0, \xaf */
	check_order(t, n, sizeof(s) - 1);
	/* every word's offsets point at its bytes in the ORIGINAL input */
	assert_true(find(s, t, n, "cd") >= 0);
	assert_true(find(s, t, n, "ef") >= 0);
	assert_true(find(s, t, n, "gh") >= 0);
	assert_int_equal(t[find(s, t, n, "gh")].offset, sizeof(s) - 3);
	/* each U+FFFD is a punctuation token whose offsets cover exactly the
	 * bad bytes it replaced, and whose norm is U+FFFD */
	assert_int_equal(t[0].offset, 0);
	assert_int_equal(t[0].length, 2);
	assert_int_equal(t[1].type, NR_TOKEN_PUNCT);
	assert_int_equal(t[1].offset, 2);
	assert_int_equal(t[1].length, 1);
	assert_true(norm_is(&t[1], "\xef\xbf\xbd"));
	k = find(s, t, n, "\xe4\xb8");
	assert_true(k >= 0);
	assert_int_equal(t[k].offset, 7);
	assert_int_equal(t[find(s, t, n, "\xc0")].length, 1);
	assert_int_equal(t[find(s, t, n, "\xaf")].length, 1);
	nr_tokenizer_free(strict);
	nr_tokenizer_free(rep);
}

static void test_chinese(void **state)
{
	static const char s[] = "我爱北京天安门。杭州西湖很美！";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n, i;

	(void)state;
	n = run(tok, s, "zh", &t);
	check_order(t, n, strlen(s));
	expect(s, t, n, "北京", NR_TOKEN_WORD);
	expect(s, t, n, "天安门", NR_TOKEN_WORD);
	expect(s, t, n, "西湖", NR_TOKEN_WORD);
	expect(s, t, n, "。", NR_TOKEN_PUNCT);
	for (i = 0; i < n; i++) {
		if (t[i].type == NR_TOKEN_WORD)
			assert_int_equal(t[i].cjk, 1);
		/* no stemmer for Chinese: stem == norm */
		assert_ptr_equal(t[i].stem, t[i].norm);
	}
	assert_string_equal(nr_tokenizer_lang(tok), "zh");
	nr_tokenizer_free(tok);
}

static void test_japanese_thai_korean(void **state)
{
	static const char ja[] = "日本語のテキストです";
	static const char th[] = "ภาษาไทยง่ายนิดเดียว";
	static const char ko[] = "한국어 텍스트입니다";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n, i;

	(void)state;
	n = run(tok, ja, "ja", &t);
	check_order(t, n, strlen(ja));
	expect(ja, t, n, "日本語", NR_TOKEN_WORD);
	expect(ja, t, n, "テキスト", NR_TOKEN_WORD);
	for (i = 0; i < n; i++)
		assert_int_equal(t[i].cjk, 1);

	/* Thai has no spaces between words: the dictionary splits it */
	n = run(tok, th, "th", &t);
	check_order(t, n, strlen(th));
	assert_true(n >= 3);
	assert_int_equal(t[0].offset, 0);
	assert_int_equal(t[n - 1].offset + t[n - 1].length, strlen(th));
	expect(th, t, n, "ภาษา", NR_TOKEN_WORD);
	for (i = 0; i < n; i++)
		assert_int_equal(t[i].cjk, 1);

	/* Korean is written with spaces: words, but cjk = 0 */
	n = run(tok, ko, "ko", &t);
	assert_int_equal(n, 2);
	expect(ko, t, n, "한국어", NR_TOKEN_WORD);
	assert_int_equal(t[0].cjk, 0);
	nr_tokenizer_free(tok);
}

static void test_arabic_russian(void **state)
{
	static const char ar[] = "مرحبا بالعالم، القاهرة";
	static const char ru[] = "Привет, Москва! Города России.";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n;

	(void)state;
	n = run(tok, ar, "ar", &t);
	check_order(t, n, strlen(ar));
	expect(ar, t, n, "مرحبا", NR_TOKEN_WORD);
	expect(ar, t, n, "بالعالم", NR_TOKEN_WORD);
	expect(ar, t, n, "،", NR_TOKEN_PUNCT);
	assert_int_equal(t[0].cjk, 0);

	n = run(tok, ru, "ru", &t);
	check_order(t, n, strlen(ru));
	expect(ru, t, n, "Привет", NR_TOKEN_WORD);
	assert_true(norm_is(&t[find(ru, t, n, "Москва")], "москва"));
	/* the Russian stemmer: города -> город */
	{
		const struct nr_token *g = &t[find(ru, t, n, "Города")];

		assert_true(g->stem_len == strlen("город") &&
			    !memcmp(g->stem, "город", g->stem_len));
	}
	nr_tokenizer_free(tok);
}

static void test_english_stop_stem(void **state)
{
	static const char s[] = "The runners were running happily through the cities";
	struct nr_tokenizer *tok = make(0, 0), *nostem = make(NR_TOKENIZE_NO_STEM, 0);
	const struct nr_token *t;
	size_t n, i;
	long k;

	(void)state;
	n = run(tok, s, "en-US", &t);
	assert_string_equal(nr_tokenizer_lang(tok), "en");
	assert_int_equal(t[find(s, t, n, "The")].stop, 1);
	assert_int_equal(t[find(s, t, n, "the")].stop, 1);
	assert_int_equal(t[find(s, t, n, "runners")].stop, 0);
	k = find(s, t, n, "running");
	assert_true(t[k].stem_len == 3 && !memcmp(t[k].stem, "run", 3));
	k = find(s, t, n, "cities");
	assert_true(t[k].stem_len == 4 && !memcmp(t[k].stem, "citi", 4));
	k = find(s, t, n, "happily");
	assert_true(t[k].stem_len == 7 && !memcmp(t[k].stem, "happili", 7));

	/* the same again: now from the word cache, same answers */
	n = run(tok, s, "en", &t);
	k = find(s, t, n, "running");
	assert_true(t[k].stem_len == 3 && !memcmp(t[k].stem, "run", 3));
	assert_int_equal(t[find(s, t, n, "The")].stop, 1);

	n = run(nostem, s, "en", &t);
	for (i = 0; i < n; i++) {
		assert_int_equal(t[i].stem_len, t[i].norm_len);
		assert_memory_equal(t[i].stem, t[i].norm, t[i].norm_len);
	}
	assert_int_equal(t[find(s, t, n, "the")].stop, 1);
	nr_tokenizer_free(tok);
	nr_tokenizer_free(nostem);
}

/*
 * The ASCII fast path works 8 and 16 bytes at a time, and the stopword
 * table probes words of up to 8 bytes inline: words of every length from
 * 1 to 40, upper and mixed case, ending exactly at the end of a heap
 * buffer of their size (so that ASan sees a read past the text), must
 * have the lower-cased norm and the offsets of their surface, with and
 * without stems; stop flags of short and long stopwords and of words that
 * share a stopword's first 8 bytes must come out right both ways.
 */
static void test_fast_path_lengths_and_stops(void **state)
{
	static const char *const words[] = {"THE",	   "The",	"themselves", "THEMSELVES",
					    "themselvesx", "themselve", "theme",      "ourselves",
					    "yourselves",  "cities"};
	static const unsigned char stops[] = {1, 1, 1, 1, 0, 0, 0, 1, 1, 0};
	struct nr_tokenizer *toks[2] = {make(0, 0), make(NR_TOKENIZE_NO_STEM, 0)};
	const struct nr_token *t;
	size_t n, len, i, k;
	char *buf;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (len = 1; len <= 40; len++) {
			buf = test_malloc(len + 2);
			buf[0] = 'a';
			buf[1] = ' ';
			for (i = 0; i < len; i++)
				buf[2 + i] =
					(char)(i % 3 ? 'a' + (char)(i % 26) : 'A' + (char)(i % 26));
			assert_int_equal(nr_tokenize(toks[k], buf, len + 2, "en", &t, &n), NR_OK);
			assert_int_equal(n, 2);
			assert_int_equal(t[1].offset, 2);
			assert_int_equal(t[1].length, len);
			assert_int_equal(t[1].type, NR_TOKEN_WORD);
			assert_int_equal(t[1].norm_len, len);
			for (i = 0; i < len; i++)
				assert_int_equal(t[1].norm[i], 'a' + (char)(i % 26));
			test_free(buf);
		}
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			len = strlen(words[i]);
			buf = test_malloc(len);
			memcpy(buf, words[i], len);
			assert_int_equal(nr_tokenize(toks[k], buf, len, "en", &t, &n), NR_OK);
			assert_int_equal(n, 1);
			assert_int_equal(t[0].stop, stops[i]);
			test_free(buf);
		}
	}
	nr_tokenizer_free(toks[0]);
	nr_tokenizer_free(toks[1]);
}

/* Stop flags of Chinese words (one, two and three characters) from the
 * dictionary path. */
static void test_chinese_stops(void **state)
{
	static const char s[] = "我们因为而且城市的发展";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n;
	long k;

	(void)state;
	n = run(tok, s, "zh", &t);
	k = find(s, t, n, "我们");
	assert_true(k >= 0 && t[k].stop == 1 && t[k].cjk == 1);
	k = find(s, t, n, "因为");
	assert_true(k >= 0 && t[k].stop == 1);
	k = find(s, t, n, "城市");
	assert_true(k >= 0 && t[k].stop == 0);
	nr_tokenizer_free(tok);
}

/* Every token's hash is nri_hash of its norm (analyze, the shingles and
 * the matcher key their tables by it), whatever path made the token. */
static size_t check_hashes(const struct nr_token *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_true(t[i].hash != 0);
		if (t[i].hash != nri_hash(t[i].norm, t[i].norm_len))
			fail_msg("token %zu '%.*s' (type %d): hash is not nri_hash of its norm", i,
				 (int)t[i].norm_len, t[i].norm, (int)t[i].type);
	}
	return n;
}

/*
 * Words from every path of the tokenizer: the ASCII fast path (short
 * words, words of more than 16 bytes, of more than the word cache's 64
 * bytes, a word at the very end of the text), numbers, one-byte and
 * longer punctuation, URLs, e-mail addresses, mentions, hashtags, emoji,
 * the ICU path (accents, Cyrillic, Greek, case folding, NFKC: ligatures,
 * fullwidth letters and digits, the memoised one-character folds), Korean,
 * Chinese and Japanese dictionary words, Thai, and repaired UTF-8; in
 * languages with a stemmer, without one, with stemming off and with the
 * fast path off; each text twice (the word cache then answers).  The
 * hashes of equal norms from different paths must agree too.
 */
static void test_token_hash(void **state)
{
	static const char *const docs[] = {
		"The quick brown Fox jumps; over the lazy dog... 42 3.14 1,000 x_y don't",
		"Internationalisation internationalisations "
		"Pneumonoultramicroscopicsilicovolcanoconiosisxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "
		"end",
		"Visit https://example.com/a?b=1 or www.example.org, mail me@example.com, "
		"@mention #Hashtag #城市 😀 👨‍👩‍👧 ❤️ ❤ !!! -- ... end",
		"Café STRASSE Straße ΣΊΣΥΦΟΣ Города МОСКВА ﬁne ＡＢＣ １２３ café",
		"杭州西湖很美，我们去了两次。城市的发展，好！「杭州」 abc",
		"東京タワーに行きました。カタカナ ひらがな",
		"ภาษาไทยเป็นภาษาที่ไม่มีช่องว่าง",
		"항저우에서 부산의 서울시",
		"mixed 杭州 Hangzhou ＨＡＮＧＺＨＯＵ hangzhou",
	};
	static const char *const langs[] = {"en", "fr", "ru", "zh", "ja", "th", "ko", "und", NULL};
	static const unsigned flags[] = {0, NR_TOKENIZE_NO_STEM, NR_TOKENIZE_NO_ICU_FAST,
					 NR_TOKENIZE_NO_PUNCT | NR_TOKENIZE_REPAIR_UTF8};
	const struct nr_token *t;
	size_t f, d, l, n, i, total = 0;
	uint64_t h1 = 0, h2 = 0;
	int round;

	(void)state;
	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		struct nr_tokenizer *tok = make(flags[f], 0);

		for (round = 0; round < 2; round++)
			for (d = 0; d < sizeof(docs) / sizeof(docs[0]); d++)
				for (l = 0; l < sizeof(langs) / sizeof(langs[0]); l++)
					total += check_hashes(t, run(tok, docs[d], langs[l], &t));
		if (flags[f] & NR_TOKENIZE_REPAIR_UTF8) {
			static const char bad[] = "caf\xC3 na\xEFve \xFF\xFE word";

			assert_int_equal(nr_tokenize(tok, bad, sizeof(bad) - 1, "en", &t, &n),
					 NR_OK);
			assert_true(nr_tokenizer_repairs(tok) > 0);
			total += check_hashes(t, n);
		}
		/* "hangzhou" from the fast path, from a fullwidth fold and
		 * from ICU (fast path off) hash alike */
		n = run(tok, docs[8], "en", &t);
		for (i = 0; i < n; i++) {
			if (t[i].norm_len == 8 && !memcmp(t[i].norm, "hangzhou", 8)) {
				if (!h1)
					h1 = t[i].hash;
				assert_true(t[i].hash == h1);
				h2++;
			}
		}
		nr_tokenizer_free(tok);
	}
	assert_true(h2 >= 3 * 4);
	assert_true(total > 1000);
}

/*
 * Stop flags against the stopword set itself: the whole list file of a
 * language (every stopword, and the words of its comments, which mostly
 * are none), upper-cased and as is, tokenized in that language with and
 * without stems, must flag exactly the words nri_stopwords_has knows: the
 * tokenizer's probes (a bit filter before the table) drop none.
 */
static void test_stop_flags_whole_lists(void **state)
{
	static const char *const langs[] = {"en", "zh", "fr", "de", "ru"};
	static const unsigned flags[] = {0, NR_TOKENIZE_NO_STEM};
	size_t l, f, i, k, n, stops = 0;

	(void)state;
	for (l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
		struct nri_stopwords *sw = NULL;
		char path[256];
		FILE *fp;
		char *text;
		long size;

		snprintf(path, sizeof(path), DATA_DIR "/stopwords/%s.txt", langs[l]);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		assert_int_equal(fseek(fp, 0, SEEK_END), 0);
		size = ftell(fp);
		assert_true(size > 0);
		rewind(fp);
		text = test_malloc(2 * (size_t)size + 2);
		assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
		fclose(fp);
		/* the list again, ASCII upper-cased: the fold path */
		for (i = 0; i < (size_t)size; i++)
			text[size + 1 + i] =
				(char)(text[i] >= 'a' && text[i] <= 'z' ? text[i] - 32 : text[i]);
		text[size] = '\n';
		text[2 * size + 1] = '\0';
		assert_int_equal(nri_stopwords_load(&sw, DATA_DIR, langs[l]), NR_OK);
		for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
			struct nr_tokenizer *tok = make(flags[f], 0);
			const struct nr_token *t;

			for (k = 0; k < 2; k++) { /* twice: the word cache answers */
				n = run(tok, text, langs[l], &t);
				for (i = 0; i < n; i++) {
					int want;

					if (t[i].type != NR_TOKEN_WORD)
						continue;
					want = nri_stopwords_has(sw, t[i].norm, t[i].norm_len);
					if (t[i].stop != want)
						fail_msg("%s: '%.*s' stop %d, the set says %d", langs[l],
							 (int)t[i].norm_len, t[i].norm, t[i].stop, want);
					stops += (size_t)want;
				}
			}
			nr_tokenizer_free(tok);
		}
		nri_stopwords_free(sw);
		test_free(text);
	}
	assert_true(stops > 4 * 1000);
}

static void test_nul_empty_and_args(void **state)
{
	static const char s[] = "a\0b c\0\0";
	struct nr_tokenizer *tok = make(0, 0);
	const struct nr_token *t;
	size_t n = 5;

	(void)state;
	assert_int_equal(nr_tokenize(tok, s, sizeof(s) - 1, "en", &t, &n), NR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(t[0].offset, 0);
	assert_int_equal(t[1].offset, 2);
	assert_int_equal(t[2].offset, 4);

	assert_int_equal(nr_tokenize(tok, "", 0, "en", &t, &n), NR_OK);
	assert_int_equal(n, 0);
	assert_non_null(t);
	assert_int_equal(nr_tokenize(tok, NULL, 0, "en", &t, &n), NR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(nr_tokenize(tok, " \n\t ", 4, "en", &t, &n), NR_OK);
	assert_int_equal(n, 0);

	assert_int_equal(nr_tokenize(tok, NULL, 3, "en", &t, &n), NR_EINVAL);
	assert_int_equal(nr_tokenize(tok, "x", 1, "en", NULL, &n), NR_EINVAL);
	assert_int_equal(nr_tokenize(NULL, "x", 1, "en", &t, &n), NR_EINVAL);
	assert_int_equal(nr_tokenizer_new(NULL, NULL), NR_EINVAL);
	nr_tokenizer_free(NULL);
	assert_string_equal(nr_tokenizer_errmsg(NULL), "");

	/* no language given: identified, never empty */
	assert_int_equal(nr_tokenize(tok, "Hello there, how are the cities?", 32, NULL, &t, &n),
			 NR_OK);
	assert_true(strlen(nr_tokenizer_lang(tok)) >= 2);
	nr_tokenizer_free(tok);
}

static void test_limit(void **state)
{
	struct nr_tokenizer *tok = make(0, 10);
	const struct nr_token *t = (const struct nr_token *)&tok;
	size_t n = 1;

	(void)state;
	assert_int_equal(nr_tokenize(tok, "0123456789a", 11, "en", &t, &n), NR_ELIMIT);
	assert_null(t);
	assert_int_equal(n, 0);
	assert_non_null(strstr(nr_tokenizer_errmsg(tok), "limit"));
	/* still usable, and exactly max_input is fine */
	assert_int_equal(nr_tokenize(tok, "0123 56789", 10, "en", &t, &n), NR_OK);
	assert_int_equal(n, 2);
	nr_tokenizer_free(tok);
}

/* Make the nth allocation fail, for every n until everything succeeds:
 * NR_ENOMEM each time (or success once n is past the last allocation),
 * and the same tokens as without failures.  The sanitizer build checks
 * that nothing leaks. */
static void test_alloc_failure(void **state)
{
	static const char s[] =
		"Loving #杭州# and #CityWalk with @alice 😀 https://x.org/p 北京天安门 "
		"The runners were running. Привет мир! 1,000.5 ภาษาไทย";
	struct nr_tokenizer *ref = make(0, 0), *again;
	const struct nr_token *rt, *t;
	size_t rn, n, i;
	long fail;
	int done = 0, rc;

	(void)state;
	rn = run(ref, s, "en", &rt);
	for (fail = 1; !done && fail < 5000; fail++) {
		struct nr_tokenizer *tok = NULL;
		struct nr_tokenizer_options o = {0};

		o.data_dir = DATA_DIR;
		nri_alloc_fail_at(fail);
		rc = nr_tokenizer_new(&tok, &o);
		if (rc == NR_OK) {
			rc = nr_tokenize(tok, s, sizeof(s) - 1, "en", &t, &n);
			if (rc == NR_OK)
				done = nri_alloc_count() < fail;
		}
		nri_alloc_fail_at(0);
		if (rc != NR_OK) {
			assert_int_equal(rc, NR_ENOMEM);
			if (tok) {
				/* the handle is still usable after the failure */
				assert_int_equal(nr_tokenize(tok, s, sizeof(s) - 1, "en", &t, &n),
						 NR_OK);
				assert_int_equal(n, rn);
			}
		} else {
			assert_int_equal(n, rn);
			for (i = 0; i < n; i++) {
				assert_int_equal(t[i].offset, rt[i].offset);
				assert_int_equal(t[i].type, rt[i].type);
				assert_int_equal(t[i].stem_len, rt[i].stem_len);
			}
		}
		nr_tokenizer_free(tok);
	}
	assert_true(done);
	assert_true(fail > 5);

	/* and a failure in the middle of a later document */
	again = make(0, 0);
	for (fail = 1; fail < 200; fail++) {
		nri_alloc_fail_at(fail);
		rc = nr_tokenize(again, s, sizeof(s) - 1, "en", &t, &n);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_null(t);
	}
	assert_int_equal(nr_tokenize(again, s, sizeof(s) - 1, "en", &t, &n), NR_OK);
	assert_int_equal(n, rn);
	nr_tokenizer_free(again);
	nr_tokenizer_free(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_hashtag_apostrophe),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_offsets_and_punct_flag),
		cmocka_unit_test(test_repair_offsets),
		cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_japanese_thai_korean),
		cmocka_unit_test(test_arabic_russian),
		cmocka_unit_test(test_english_stop_stem),
		cmocka_unit_test(test_fast_path_lengths_and_stops),
		cmocka_unit_test(test_chinese_stops),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_stop_flags_whole_lists),
		cmocka_unit_test(test_nul_empty_and_args),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
