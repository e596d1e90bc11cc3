/*
 * test_matcher_fast.c - the matcher's fast paths (word cache, whole-word,
 * punctuation and Han tokens decided without nri_lex_pieces, root wildcard
 * hits worked out with the word, per-lexicon lists made at compilation for
 * documents of no language) against its plain way (nri_matcher_set_slow):
 * random documents mixing entries, near misses, clitics, Korean particles,
 * no-space scripts, compatibility characters, hashtags (camel case too),
 * URLs and punctuation, under several document languages, must give the
 * same hits, field by field, again and again on one matcher (a warm
 * cache), also when the tokens' hash fields are wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "narrate.h"
#include "matcher.h"

static const char lex_t[] =
	"@lexicon t\n@negators en not never don't no\n@negators zh 不 没有\n@negation 3\n"
	"@category tour\ntouris*\ntour\nhôtel*\naccept*\naccepta*\nabandon*\nnew york*\n"
	"st. peter*\n"
	"@category exact\ntourism\nnew york\nnew york city\nyork\nxi'an\nmcdonald's\nstraße\n"
	"café\nst. petersburg\n2024年\n#trip\no'a\n"
	"@category pos\n@lang en\ngood\nnice | neg=0\nhappy days\nno doubt\nhappy | w=2\n"
	"@lang zh\n好\n不错\n-不断\n很好 | neg=1\n@lang fr\nbon\nbonne*\n"
	"@category city\n@lang ko\n항저우\n부산\n서울시\n@lang *\nhangzhou\n杭州\nカタカナ\n"
	"ไทย\n丽\n";

static const char lex_cities[] =
	"@lexicon cities\n@kind entities\n@category city\n"
	"@entity 330100\n@lang zh\n杭州\n@lang zh-Hant\n杭州\n@lang en\nHangzhou\n"
	"@entity 330100-lake place\n@lang zh\n西湖\n"
	"@entity IN country\n@lang zh\n印度\n"
	"@entity ID country\n@lang zh\n印度尼西亚\n"
	"@entity 442000 city\n@lang zh\n中山\n-中山路\n-中山大学\n"
	"@entity 610100 city\n@lang en\nXi'an\nXian\n@lang zh\n西安\n"
	"@entity 320500 city\n@lang en\nSuzhou | w=2\n@lang zh\n苏州\n"
	"@entity 341300 city\n@lang en\nSuzhou\n@lang zh\n宿州\n"
	"@entity 110000 city\n@lang zh-Hant\n北京\n@lang *\n北京\n";

/* Pieces of documents: entries and their near misses in many scripts. */
static const char *const pieces[] = {
	"new",
	"york",
	"New York",
	"NEW YORK CITY",
	"york city",
	"Yorkshire",
	"tourism",
	"tourists",
	"Touris",
	"tour",
	"tours",
	"hôtel",
	"l'hôtel",
	"L\xE2\x80\x99H\xC3\xB4tel",
	"d'Hangzhou",
	"Hangzhou's",
	"HANGZHOU",
	"hangzhou\xE2\x80\x99s",
	"Xi'an",
	"Xi\xE2\x80\x99"
	"an",
	"xian",
	"cities'",
	"not",
	"never",
	"don't",
	"don\xE2\x80\x99t",
	"no",
	"doubt",
	"good",
	"nice",
	"happy",
	"days",
	"McDonald's",
	"mcdonald",
	"Straße",
	"STRASSE",
	"café",
	"CAFÉ",
	"bon",
	"bonnes",
	"bonne",
	"accept",
	"accepted",
	"Acceptance",
	"acceptable",
	"abandon",
	"abandoned",
	"st.",
	"St. Petersburg",
	"St. Peterhof",
	"#trip",
	"#hangzhou",
	"#杭州#",
	"#new",
	"#NewYorkCity",
	"#VisitHangzhou",
	"#NYCTourism",
	"#new_york",
	"#Hangzhou2024",
	"#HappyDays",
	"#NotGood",
	"#Visit\xE6\x9D\xAD\xE5\xB7\x9E",
	"#Cafe\xCC\x81Hangzhou",
	"@user",
	"http://example.com/new-york",
	"a@b.com",
	"2024年",
	"2024",
	"3.5",
	"\xEF\xBC\x91\xEF\xBC\x92",
	"\xEF\xBC\xA8\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x87",
	"\xF0\x9F\x98\x80",
	"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
	"ไทย",
	"ภาษาไทย",
	"항저우에서",
	"부산의",
	"서울시는",
	"항저우",
	"서울",
	"杭州",
	"西湖",
	"杭州西湖景区",
	"印度尼西亚",
	"印度",
	"中山路",
	"中山大学",
	"中山",
	"中山市",
	"不错",
	"不",
	"不断",
	"好",
	"很好",
	"没有",
	"很",
	"北京",
	"北京\xEF\xA7\x91",
	"\xEF\xA7\x91",
	"\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85",
	"カタカナ",
	"ひらがな",
	"々",
	"〇",
	"・",
	"。",
	"，",
	"、",
	"！",
	"?",
	".",
	",",
	"-",
	"\xE2\x80\x94",
	"'",
	"\xE2\x80\x99",
	"\"",
	"(",
	")",
	"\xCA\xBC"
	"okina",
	"o\xCA\xBC"
	"a",
	"Xi\xCA\xBC"
	"an",
	"\xF0\xAF\xA0\x80",
	"\xF0\xAF\xA0\x80杭州",
	"丽",
	"\xE3\x8D\xBF",
	"naïve",
	"résumé",
	"Ünter",
	"ÄÖÜ",
	"苏州",
	"宿州",
	"Suzhou",
	"西安",
	"l'Asie",
	"dell'Italia",
	"aaaa",
	"l'aaaaaaa",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"wordthatislongerthanthecacheholdsforsure",
	"touristswhoarelongerthanthecacheholds",
};

static const char *const seps[] = {
	" ", " ", " ",	 "  ",	 "\n",		 "\t", "\xC2\xA0",
	"",  "-", " - ", "\r\n", "\xE3\x80\x80", ", ", ". ",
};

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void doc(char *out, size_t cap)
{
	size_t n = 1 + next() % 60, i, o = 0;

	for (i = 0; i < n; i++) {
		const char *p = pieces[next() % (sizeof(pieces) / sizeof(pieces[0]))];
		const char *s = seps[next() % (sizeof(seps) / sizeof(seps[0]))];

		if (o + strlen(p) + strlen(s) + 1 >= cap)
			break;
		memcpy(out + o, p, strlen(p));
		o += strlen(p);
		memcpy(out + o, s, strlen(s));
		o += strlen(s);
	}
	out[o] = '\0';
}

static struct nr_lexicon *load(const char *src)
{
	struct nr_lexicon *l;
	int rc;

	assert_int_equal(nr_lexicon_new(&l), NR_OK);
	rc = nr_lexicon_load_buffer(l, src, strlen(src), "t.nlex");
	if (rc)
		fail_msg("%s", nr_lexicon_errmsg(l));
	return l;
}

/* Same hits, field by field; returns how many. */
static size_t compare(struct nr_matcher *fast, struct nr_matcher *slow, const char *text,
		      const struct nr_token *t, size_t nt, const char *lang)
{
	const struct nr_match_hit *a, *b;
	size_t na, nb, i;

	assert_int_equal(nr_matcher_match(fast, text, strlen(text), t, nt, lang, &a, &na), NR_OK);
	assert_int_equal(nr_matcher_match(slow, text, strlen(text), t, nt, lang, &b, &nb), NR_OK);
	if (na != nb)
		fail_msg("%zu hits, %zu the plain way, lang %s, in: %s", na, nb,
			 lang ? lang : "(none)", text);
	for (i = 0; i < na; i++) {
		if (a[i].offset != b[i].offset || a[i].length != b[i].length ||
		    a[i].lexicon != b[i].lexicon || a[i].category != b[i].category ||
		    a[i].entity != b[i].entity || a[i].entity_id != b[i].entity_id ||
		    a[i].weight != b[i].weight || a[i].entry != b[i].entry ||
		    a[i].token != b[i].token || a[i].ntokens != b[i].ntokens ||
		    a[i].negated != b[i].negated)
			fail_msg("hit %zu differs (offset %zu/%zu, entry %zu/%zu), lang %s, in: %s",
				 i, a[i].offset, b[i].offset, a[i].entry, b[i].entry,
				 lang ? lang : "(none)", text);
	}
	assert_int_equal(nri_matcher_candidates(fast), nri_matcher_candidates(slow));
	return na;
}

/* The matcher finds a word's cache set by the token's hash: tokens built
 * by hand whose hash is 0, the same for every token, or anything at all
 * must still give the plain way's hits, and the entries they leave in the
 * wrong sets of the (shared, warm) cache must not spoil later lookups. */
static size_t bad_hashes(struct nr_matcher *fast, struct nr_matcher *slow, const char *text,
			 const struct nr_token *t, size_t nt, unsigned d)
{
	struct nr_token *u = malloc((nt ? nt : 1) * sizeof(*u));
	uint64_t x = 0x9E3779B97F4A7C15ULL * (d + 1);
	size_t i, n;

	assert_non_null(u);
	for (i = 0; i < nt; i++) {
		u[i] = t[i];
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		u[i].hash = d % 3 == 0 ? 0 : d % 3 == 1 ? 0x8000000000000001ULL : x;
	}
	n = compare(fast, slow, text, u, nt, d % 2 ? NULL : "en");
	free(u);
	return n;
}

static void run_random(struct nr_lexicon **lex, size_t nlex, unsigned flags, int docs,
		       size_t min_hits)
{
	static const char *const langs[] = {NULL, "", "en", "zh", "zh-Hant", "fr", "ko", "und"};
	struct nr_tokenizer_options o;
	struct nr_tokenizer *tok;
	struct nr_matcher *fast, *slow;
	char text[2048];
	size_t hits = 0, l;
	int d;

	memset(&o, 0, sizeof(o));
	o.flags = flags;
	assert_int_equal(nr_tokenizer_new(&tok, &o), NR_OK);
	assert_int_equal(nr_matcher_new(&fast, (const struct nr_lexicon *const *)lex, nlex), NR_OK);
	assert_int_equal(nr_matcher_new(&slow, (const struct nr_lexicon *const *)lex, nlex), NR_OK);
	nri_matcher_set_slow(slow, 1);
	for (d = 0; d < docs; d++) {
		const struct nr_token *t;
		size_t nt;

		doc(text, sizeof(text));
		assert_int_equal(
			nr_tokenize(tok, text, strlen(text), d % 3 ? "und" : "zh", &t, &nt), NR_OK);
		for (l = 0; l < sizeof(langs) / sizeof(langs[0]); l++)
			hits += compare(fast, slow, text, t, nt, langs[l]);
		hits += bad_hashes(fast, slow, text, t, nt, (unsigned)d);
	}
	assert_true(hits >= min_hits);
	nr_matcher_free(fast);
	nr_matcher_free(slow);
	nr_tokenizer_free(tok);
}

static void test_random_documents(void **state)
{
	struct nr_lexicon *lex[2];

	(void)state;
	lex[0] = load(lex_t);
	lex[1] = load(lex_cities);
	run_random(lex, 2, 0, 1500, 20000);
	run_random(lex, 2, NR_TOKENIZE_NO_PUNCT | NR_TOKENIZE_NO_STEM, 500, 5000);
	run_random(lex + 1, 1, NR_TOKENIZE_NO_ICU_FAST, 300, 1000);
	nr_lexicon_free(lex[0]);
	nr_lexicon_free(lex[1]);
}

/* A word that reaches more wildcard nodes with outputs than the cache or
 * the symbol can list (a*, aa*, ... 300 of them): walked in scan. */
static void test_many_wildcards(void **state)
{
	size_t cap = 400 * 320, o = 0, i, k;
	char *src = malloc(cap), text[800];
	struct nr_lexicon *lex[1];
	struct nr_tokenizer *tok;
	struct nr_matcher *fast, *slow;
	const struct nr_token *t;
	size_t nt, n;

	(void)state;
	assert_non_null(src);
	o += (size_t)snprintf(src, cap, "@lexicon w\n@category a\n");
	for (i = 1; i <= 300; i++) {
		for (k = 0; k < i; k++)
			src[o++] = 'a';
		memcpy(src + o, "*\n", 2);
		o += 2;
	}
	src[o] = '\0';
	lex[0] = load(src);
	assert_int_equal(nr_tokenizer_new(&tok, NULL), NR_OK);
	assert_int_equal(nr_matcher_new(&fast, (const struct nr_lexicon *const *)lex, 1), NR_OK);
	assert_int_equal(nr_matcher_new(&slow, (const struct nr_lexicon *const *)lex, 1), NR_OK);
	nri_matcher_set_slow(slow, 1);
	/* 320 a's, then l' and 310 a's, then a short one, twice (cached) */
	o = 0;
	for (k = 0; k < 2; k++) {
		memset(text + o, 'a', 320);
		o += 320;
		memcpy(text + o, " l'", 3);
		o += 3;
		memset(text + o, 'a', 60);
		o += 60;
		memcpy(text + o, " aaaa ", 6);
		o += 6;
	}
	text[o] = '\0';
	assert_int_equal(nr_tokenize(tok, text, strlen(text), "fr", &t, &nt), NR_OK);
	n = compare(fast, slow, text, t, nt, NULL);
	assert_int_equal(n, 6); /* one hit a word: the longest prefix wins */
	assert_int_equal(nri_matcher_candidates(fast), 2 * (300 + 60 + 4));
	n = compare(fast, slow, text, t, nt, "fr");
	assert_int_equal(n, 6);
	nr_matcher_free(fast);
	nr_matcher_free(slow);
	nr_tokenizer_free(tok);
	nr_lexicon_free(lex[0]);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_documents),
		cmocka_unit_test(test_many_wildcards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
