/*
 * test_matcher.c - the compiled matcher on real tokenizer output: whole
 * words, wildcards, multiword entries across line breaks but not across
 * punctuation, overlaps, weights, negation windows, roll-up, blocking
 * entries, CJK inside longer tokens (印度尼西亚 is not 印度), offsets in
 * the original text, language filtering, and allocation failure.
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
#include "alloc.h"
#include "matcher.h"

struct fx {
	struct nr_lexicon *lex[2];
	size_t nlex;
	struct nr_matcher *m;
	struct nr_tokenizer *tok;
	unsigned flags;
	const struct nr_match_hit *hits;
	size_t nhits;
	char out[4096]; /* "surface/category/entity" joined by ";" */
};

static void fx_load(struct fx *f, const char *src)
{
	int rc;

	assert_int_equal(nr_lexicon_new(&f->lex[f->nlex]), NR_OK);
	rc = nr_lexicon_load_buffer(f->lex[f->nlex], src, strlen(src), "t.nlex");
	if (rc)
		fail_msg("%s", nr_lexicon_errmsg(f->lex[f->nlex]));
	f->nlex++;
}

static void fx_compile(struct fx *f)
{
	struct nr_tokenizer_options o;

	memset(&o, 0, sizeof(o));
	o.flags = NR_TOKENIZE_NO_STEM | f->flags;
	assert_int_equal(nr_matcher_new(&f->m, (const struct nr_lexicon *const *)f->lex, f->nlex),
			 NR_OK);
	assert_int_equal(nr_tokenizer_new(&f->tok, &o), NR_OK);
}

static void fx_free(struct fx *f)
{
	size_t i;

	nr_matcher_free(f->m);
	nr_tokenizer_free(f->tok);
	for (i = 0; i < f->nlex; i++)
		nr_lexicon_free(f->lex[i]);
	memset(f, 0, sizeof(*f));
}

/* Match text and render the hits as "surface/category[/entity][!]" (! for
 * negated), joined by ";", for compact assertions. */
static const char *run(struct fx *f, const char *text, const char *lang)
{
	const struct nr_token *t;
	size_t nt, i, o = 0;

	assert_int_equal(nr_tokenize(f->tok, text, strlen(text), "und", &t, &nt), NR_OK);
	assert_int_equal(
		nr_matcher_match(f->m, text, strlen(text), t, nt, lang, &f->hits, &f->nhits),
		NR_OK);
	f->out[0] = '\0';
	for (i = 0; i < f->nhits && o < sizeof(f->out) - 1; i++) {
		const struct nr_match_hit *h = &f->hits[i];
		const char *cat = nr_lexicon_category_name(f->lex[h->lexicon], h->category);

		o += (size_t)snprintf(f->out + o, sizeof(f->out) - o, "%s%.*s/%s%s%s%s",
				      i ? ";" : "", (int)h->length, text + h->offset, cat,
				      h->entity_id ? "/" : "", h->entity_id ? h->entity_id : "",
				      h->negated ? "!" : "");
	}
	return f->out;
}

static void test_words_and_wildcards(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon t\n@category tour\ntouris*\ntour\n@category exact\ntourism\n"
		    "@category hang\nhang\n");
	fx_compile(&f);
	/* whole words only; exact beats a wildcard on the same word */
	assert_string_equal(run(&f,
				"Tourists, tourism, antitourism, TOURIS, tour, tours, "
				"Hangzhou hang",
				NULL),
			    "Tourists/tour;tourism/exact;TOURIS/tour;tour/tour;hang/hang");
	fx_free(&f);
}

static void test_multiword(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon t\n@category city\nnew york\nst. petersburg\nxi'an\n"
		    "@category other\nyork\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "New\nYork", NULL), "New\nYork/city");
	assert_string_equal(run(&f, "NEW \r\n\t  YORK", NULL), "NEW \r\n\t  YORK/city");
	assert_string_equal(run(&f, "New-York", NULL), "New-York/city");
	assert_string_equal(run(&f, "New\xC2\xA0York", NULL), "New\xC2\xA0York/city");
	/* punctuation between the words ends the term */
	assert_string_equal(run(&f, "New. York", NULL), "York/other");
	assert_string_equal(run(&f, "new, york", NULL), "york/other");
	assert_string_equal(run(&f, "new (york)", NULL), "york/other");
	/* punctuation inside the term is matched literally */
	assert_string_equal(run(&f, "St. Petersburg and St Petersburg", NULL),
			    "St. Petersburg/city");
	/* typographic apostrophe folds to ' */
	assert_string_equal(run(&f,
				"Xi\xE2\x80\x99"
				"an, XI'AN",
				NULL),
			    "Xi\xE2\x80\x99"
			    "an/city;XI'AN/city");
	fx_free(&f);
	/* without punctuation tokens the gap still blocks */
	f.flags = NR_TOKENIZE_NO_PUNCT;
	fx_load(&f, "@lexicon t\n@category city\nnew york\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "New. York new york", NULL), "new york/city");
	fx_free(&f);
}

static void test_clitics(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon t\n@category city\nhangzhou\nxi'an\nasie\nmcdonald's\n"
		    "@category other\nhôtel*\nnew york\n");
	fx_compile(&f);
	/* possessives and elisions: the word without its clitic */
	assert_string_equal(run(&f,
				"Hangzhou's lake, Xi\xE2\x80\x99"
				"an's walls",
				NULL),
			    "Hangzhou's/city;Xi\xE2\x80\x99"
			    "an's/city");
	assert_string_equal(run(&f, "la ville d'Hangzhou, l'Asie, l'hôtel", NULL),
			    "d'Hangzhou/city;l'Asie/city;l'hôtel/other");
	assert_string_equal(run(&f, "the cities' new york's", NULL), "new york's/other");
	/* an entry with the clitic is matched as written */
	assert_string_equal(run(&f, "McDonald's", NULL), "McDonald's/city");
	assert_string_equal(run(&f, "McDonald", NULL), "");
	/* Korean particles */
	fx_free(&f);
	fx_load(&f, "@lexicon t\n@category city\n항저우\n부산\n서울시\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "항저우에서 부산의 서울시는 항저우 서울", NULL),
			    "항저우에서/city;부산의/city;서울시는/city;항저우/city");
	fx_free(&f);
	fx_load(&f, "@lexicon t\n@category city\nhangzhou\nxi'an\nasie\nmcdonald's\n"
		    "@category other\nhôtel*\nnew york\n");
	fx_compile(&f);
	/* no clitic, no match: o'hangzhou is not an elision */
	assert_string_equal(run(&f, "o'hangzhou hangzhoua", NULL), "");
	fx_free(&f);
}

static void test_overlaps(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon t\n@category a\nnew york\nyork city\n@category b\nnew\ncity\n"
		    "@category c\nnew york city\n@category d\nyork\n");
	fx_compile(&f);
	/* the longest wins */
	assert_string_equal(run(&f, "new york city", NULL), "new york city/c");
	fx_free(&f);
	fx_load(&f, "@lexicon t\n@category a\nnew york\nyork city\n@category b\nnew\ncity\n");
	fx_compile(&f);
	/* equal length: the leftmost; what is left over still matches */
	assert_string_equal(run(&f, "new york city", NULL), "new york/a;city/b");
	fx_free(&f);
	/* same term in two categories: both count (LIWC); in two lexicons:
	 * each lexicon resolves on its own */
	fx_load(&f, "@lexicon t\n@category posemo\nhappy\n@category affect\nhappy\n"
		    "happy days\n");
	fx_load(&f, "@lexicon u\n@category mood\nhappy\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "happy. happy days", NULL),
			    "happy/posemo;happy/affect;happy/mood;happy days/affect;happy/mood");
	assert_int_equal(f.hits[3].lexicon, 0);
	assert_int_equal(f.hits[3].ntokens, 2);
	assert_int_equal(f.hits[4].lexicon, 1);
	fx_free(&f);
}

static void test_weights_and_rollup(void **state)
{
	struct fx f = {0};
	double counts[8] = {0};
	size_t i;
	int pos, neg, tone;

	(void)state;
	fx_load(&f, "@lexicon tone\n@category tone/positive\ngood | w=2\ngreat | w=3.5\n"
		    "@category tone/negative\nbad | w=-2\n");
	fx_compile(&f);
	run(&f, "good, great and bad and good", NULL);
	assert_int_equal(f.nhits, 4);
	assert_true(f.hits[0].weight == 2 && f.hits[1].weight == 3.5 && f.hits[2].weight == -2);
	for (i = 0; i < f.nhits; i++)
		counts[f.hits[i].category] += 1;
	nr_lexicon_rollup(f.lex[0], counts);
	tone = nr_lexicon_category_find(f.lex[0], "tone");
	pos = nr_lexicon_category_find(f.lex[0], "tone/positive");
	neg = nr_lexicon_category_find(f.lex[0], "tone/negative");
	assert_true(counts[pos] == 3 && counts[neg] == 1 && counts[tone] == 4);
	fx_free(&f);
}

static void test_negation(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon tone\n@negators en not never don't\n@negators zh 不 没有\n"
		    "@negation 3\n@category positive\n@lang en\ngood\nnice | neg=0\n"
		    "wonderful | neg=1\n@lang zh\n好\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "not good", NULL), "good/positive!");
	assert_string_equal(run(&f, "never very very good", NULL), "good/positive!");
	assert_string_equal(run(&f, "not at all really good", NULL), "good/positive");
	assert_string_equal(run(&f, "not nice", NULL), "nice/positive");
	assert_string_equal(run(&f, "not wonderful; not so wonderful", NULL),
			    "wonderful/positive!;wonderful/positive");
	/* punctuation ends the scope of a negator */
	assert_string_equal(run(&f, "not bad. good", NULL), "good/positive");
	assert_string_equal(run(&f, "not bad, good", NULL), "good/positive");
	assert_string_equal(run(&f, "don\xE2\x80\x99t good", NULL), "good/positive!");
	/* CJK: the window counts characters */
	assert_string_equal(run(&f, "不好", NULL), "好/positive!");
	assert_string_equal(run(&f, "没有很好", NULL), "好/positive!");
	assert_string_equal(run(&f, "很好", NULL), "好/positive");
	assert_string_equal(run(&f, "不，好", NULL), "好/positive");
	/* the negators of another language do not apply */
	assert_string_equal(run(&f, "not good", "zh"), "");
	assert_string_equal(run(&f, "不好", "en"), "");
	fx_free(&f);
	/* a negator inside a term that won its span is part of the term */
	fx_load(&f, "@lexicon tone\n@negators zh 不\n@negators en no\n@negation 3\n"
		    "@category positive\n@lang zh\n好\n不错\n@lang en\nno doubt\ngood\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "不错很好", NULL), "不错/positive;好/positive");
	assert_string_equal(run(&f, "不很好", NULL), "好/positive!");
	assert_string_equal(run(&f, "no doubt good", NULL), "no doubt/positive;good/positive");
	assert_string_equal(run(&f, "no good", NULL), "good/positive!");
	fx_free(&f);
}

static const char cities[] =
	"@lexicon cities\n@kind entities\n@category city\n"
	"@entity 330100\n@lang zh\n杭州\n@lang zh-Hant\n杭州\n@lang en\nHangzhou\n"
	"@entity 330100-lake place\n@lang zh\n西湖\n"
	"@entity IN country\n@lang zh\n印度\n"
	"@entity ID country\n@lang zh\n印度尼西亚\n"
	"@entity 442000 city\n@lang zh\n中山\n-中山路\n-中山大学\n"
	"@entity 610100 city\n@lang en\nXi'an\nXian\n@lang zh\n西安\n"
	"@entity 320500 city\n@lang en\nSuzhou | w=2\n@lang zh\n苏州\n"
	"@entity 341300 city\n@lang en\nSuzhou\n@lang zh\n宿州\n"
	"@entity 110000 city\n@lang zh-Hant\n北京\n";

static void test_cjk(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, cities);
	fx_compile(&f);
	/* inside a longer token, whatever the segmentation */
	assert_string_equal(run(&f, "杭州西湖景区", NULL),
			    "杭州/city/330100;西湖/place/330100-lake");
	assert_string_equal(run(&f, "游览西湖风景区", NULL), "西湖/place/330100-lake");
	/* longest match: Indonesia is not India */
	assert_string_equal(run(&f, "印度尼西亚和印度", NULL),
			    "印度尼西亚/country/ID;印度/country/IN");
	/* blocking entries: a street and a university are no city */
	assert_string_equal(run(&f, "中山路上的中山大学在中山市", NULL), "中山/city/442000");
	/* Xi'an, Xian and 西安 are one city */
	assert_string_equal(run(&f, "Xi'an Xian 西安", NULL),
			    "Xi'an/city/610100;Xian/city/610100;西安/city/610100");
	/* the homonym with the higher weight wins */
	assert_string_equal(run(&f, "Suzhou", NULL), "Suzhou/city/320500");
	/* hashtags and line breaks */
	assert_string_equal(run(&f, "#杭州# 杭\n州", NULL), "杭州/city/330100;杭\n州/city/330100");
	assert_string_equal(run(&f, "杭，州", NULL), "");
	fx_free(&f);
}

/* Hashtags are cut into words where their original text shows a boundary
 * (camel case, letters and digits, '_'), and only hashtags. */
static void test_hashtags(void **state)
{
	struct fx f = {0};

	(void)state;
	fx_load(&f, "@lexicon t\n@category city\nchengdu\nshanghai\nnew york city\nnew york\n"
		    "bath\nhangzhou\nxian\nxi'an\n杭州\n西湖\nмосква\nparis\n"
		    "@category topic\nfood\ntourism\nexpo\n2024\nnyc\n\\#metoo\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "Loving #VisitChengdu and #DiscoverShanghai!", NULL),
			    "Chengdu/city;Shanghai/city");
	/* adjacent pieces make multiword names; the longest wins */
	assert_string_equal(run(&f, "#NewYorkCity #NewYork", NULL),
			    "NewYorkCity/city;NewYork/city");
	/* a capital run before a capitalised word; letters and digits */
	assert_string_equal(
		run(&f, "#NYCTourism #Expo2024 #HangzhouFood", NULL),
		"NYC/topic;Tourism/topic;Expo/topic;2024/topic;Hangzhou/city;Food/topic");
	/* connector punctuation: the '_' is no piece and breaks nothing */
	assert_string_equal(run(&f, "#visit_chengdu #New_York", NULL),
			    "chengdu/city;New_York/city");
	/* no case cue, no cut: substrings are never guessed */
	assert_string_equal(run(&f, "#bathroom #visitchengdu #newyorkcity #BATHROOM", NULL), "");
	/* a run some entry uses whole is not cut (#metoo, xian) */
	assert_string_equal(run(&f, "#MeToo #XiAn", NULL), "MeToo/topic;XiAn/city");
	/* a name with an apostrophe, whole or cut from a camel-case tag
	 * (the tokenizer keeps the apostrophe between letters in a hashtag) */
	assert_string_equal(run(&f, "#Xi'an #ExploreXi\xe2\x80\x99" "an", NULL),
			    "Xi'an/city;Xi\xe2\x80\x99" "an/city");
	/* only hashtags: words and mentions are names as written */
	assert_string_equal(run(&f, "VisitChengdu iPhone NewYorkCity @VisitChengdu @NewYork", NULL),
			    "");
	/* scripts without case are as before; cased ones other than Latin
	 * are cut too */
	assert_string_equal(run(&f, "#魅力杭州# #杭州 #杭州西湖# #Visit杭州", NULL),
			    "杭州/city;杭州/city;杭州/city;西湖/city;杭州/city");
	assert_string_equal(run(&f,
				"#\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"
				"\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
				NULL),
			    "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0/city");
	/* hits are placed as other hits inside a hashtag: on the piece's own
	 * bytes, in the hashtag's token */
	run(&f, "go #VisitChengdu", NULL);
	assert_int_equal(f.nhits, 1);
	assert_int_equal(f.hits[0].offset, 9);
	assert_int_equal(f.hits[0].length, 7);
	assert_int_equal(f.hits[0].token, 1);
	assert_int_equal(f.hits[0].ntokens, 1);
	/* a combining accent (composed by normalisation) stays with its
	 * letter; the token changed length, so the hit is the whole token */
	assert_string_equal(run(&f, "#Cafe\xCC\x81Paris", NULL), "#Cafe\xCC\x81Paris/city");
	fx_free(&f);
}

static void test_offsets_and_langs(void **state)
{
	struct fx f = {0};
	const char *t = "ok \xEF\xBC\xA8\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x87\xEF\xBD\x9A"
			"\xEF\xBD\x88\xEF\xBD\x8F\xEF\xBD\x95!"; /* fullwidth Hangzhou */

	(void)state;
	fx_load(&f, cities);
	fx_compile(&f);
	run(&f, t, NULL);
	assert_int_equal(f.nhits, 1);
	assert_int_equal(f.hits[0].offset, 3);
	assert_int_equal(f.hits[0].length, 24);
	assert_int_equal(f.hits[0].token, 1);
	/* a compatibility ideograph (U+F9D1 -> 六) inside a token maps back
	 * to its own bytes */
	run(&f, "北京\xEF\xA7\x91", NULL);
	assert_int_equal(f.nhits, 1);
	assert_int_equal(f.hits[0].offset, 0);
	assert_int_equal(f.hits[0].length, 6);
	/* languages: zh admits zh-Hant entries; en admits none of them */
	assert_string_equal(run(&f, "北京 杭州 Hangzhou", "zh"),
			    "北京/city/110000;杭州/city/330100");
	assert_string_equal(run(&f, "北京 杭州 Hangzhou", "en-GB"), "Hangzhou/city/330100");
	assert_string_equal(run(&f, "北京 杭州 Hangzhou", ""),
			    "北京/city/110000;杭州/city/330100;Hangzhou/city/330100");
	fx_free(&f);
}

static void test_deterministic(void **state)
{
	struct fx f = {0};
	char first[4096];

	(void)state;
	fx_load(&f, "@lexicon t\n@category a\nab\nbc\ncd\nabc\nbcd\n@category b\nb c d\n"
		    "@category c\nd*\n");
	fx_compile(&f);
	strcpy(first, run(&f, "a b c d abc abcd dx", NULL));
	assert_string_equal(first, "b c d/b;abc/a;dx/c");
	assert_string_equal(run(&f, "a b c d abc abcd dx", NULL), first);
	fx_free(&f);
	/* CJK: ABC and BCD tie on length, the leftmost wins, D stays free */
	fx_load(&f, "@lexicon t\n@category a\n甲乙丙\n乙丙丁\n丁\n");
	fx_compile(&f);
	assert_string_equal(run(&f, "甲乙丙丁", NULL), "甲乙丙/a;丁/a");
	fx_free(&f);
}

static void test_scale(void **state)
{
	/* 20,000 entries do not make more candidates than 100 do on text that
	 * holds none of the extra entries */
	struct nri_buf;
	size_t cap = 1 << 20, o, i, c100, c20k;
	char *src = malloc(cap);
	struct fx f = {0};
	const char *text = "the tourism office of Hangzhou said the 西湖 area was busy";

	(void)state;
	for (int round = 0; round < 2; round++) {
		size_t n = round ? 20000 : 100;

		o = (size_t)snprintf(src, cap, "@lexicon s\n@category a\nhangzhou\n西湖\n");
		for (i = 0; i < n; i++)
			o += (size_t)snprintf(src + o, cap - o, "w%zux\nq%zu y%zu\n", i, i, i);
		fx_load(&f, src);
		fx_compile(&f);
		assert_string_equal(run(&f, text, NULL), "Hangzhou/a;西湖/a");
		if (round)
			c20k = nri_matcher_candidates(f.m);
		else
			c100 = nri_matcher_candidates(f.m);
		fx_free(&f);
	}
	assert_int_equal(c100, c20k);
	free(src);
}

static void test_long_document(void **state)
{
	/* buffers grow far past their first size in one call */
	struct fx f = {0};
	const char *unit = "杭州 Hangzhou 印度尼西亚, ";
	size_t n = 3000, ul = strlen(unit), i;
	char *text = malloc(n * ul + 1);

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(text + i * ul, unit, ul);
	text[n * ul] = '\0';
	fx_load(&f, cities);
	fx_compile(&f);
	run(&f, text, NULL);
	assert_int_equal(f.nhits, 3 * n);
	for (i = 0; i < f.nhits; i++) {
		assert_int_equal(f.hits[i].offset, (i / 3) * ul + (i % 3 == 0	? 0
								   : i % 3 == 1 ? 7
										: 16));
		assert_string_equal(f.hits[i].entity_id, i % 3 == 2 ? "ID" : "330100");
	}
	fx_free(&f);
	free(text);
}

static void test_errors_and_alloc(void **state)
{
	struct fx f = {0};
	struct nr_token bad;
	const struct nr_match_hit *h = (void *)&h;
	size_t nh = 9;
	const struct nr_lexicon *lx[1];
	struct nr_lexicon *empty;
	struct nr_matcher *m;
	long n;
	int rc = NR_ENOMEM, failures = 0;
	const char *text = "印度尼西亚 New York tourists 杭州西湖 不好 #NewYorkTourism";
	const struct nr_token *t;
	size_t nt;

	(void)state;
	fx_load(&f, cities);
	fx_load(&f, "@lexicon t\n@negators zh 不\n@category a\nnew york\ntouris*\n好 | neg=2\n");
	fx_compile(&f);
	memset(&bad, 0, sizeof(bad));
	bad.offset = 5;
	bad.length = 10;
	bad.norm = "x";
	bad.norm_len = 1;
	assert_int_equal(nr_matcher_match(f.m, "abc", 3, &bad, 1, NULL, &h, &nh), NR_EINVAL);
	assert_null(h);
	assert_int_equal(nh, 0);
	assert_int_equal(nr_lexicon_new(&empty), NR_OK);
	lx[0] = empty;
	assert_int_equal(nr_matcher_new(&m, lx, 1), NR_EINVAL);
	assert_int_equal(nr_matcher_new(&m, lx, 0), NR_EINVAL);
	nr_lexicon_free(empty);
	nr_matcher_free(NULL);
	/* compile under allocation failure */
	for (n = 1; n < 100000; n++) {
		nri_alloc_fail_at(n);
		rc = nr_matcher_new(&m, (const struct nr_lexicon *const *)f.lex, 2);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_null(m);
		failures++;
	}
	assert_int_equal(rc, NR_OK);
	assert_true(failures > 5);
	/* match under allocation failure, on a fresh matcher each time so its
	 * buffers must grow */
	assert_int_equal(nr_tokenize(f.tok, text, strlen(text), "und", &t, &nt), NR_OK);
	failures = 0;
	for (n = 1; n < 100000; n++) {
		nri_alloc_fail_at(n);
		rc = nr_matcher_match(m, text, strlen(text), t, nt, NULL, &h, &nh);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_null(h);
		failures++;
		nr_matcher_free(m);
		assert_int_equal(nr_matcher_new(&m, (const struct nr_lexicon *const *)f.lex, 2),
				 NR_OK);
	}
	assert_int_equal(rc, NR_OK);
	assert_true(failures > 3);
	assert_int_equal(nh, 8);
	assert_true(h[5].negated && !h[4].negated);
	assert_int_equal(h[6].length, 7); /* New|York of #NewYorkTourism */
	nr_matcher_free(m);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_wildcards),
		cmocka_unit_test(test_multiword),
		cmocka_unit_test(test_clitics),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_weights_and_rollup),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_cjk),
		cmocka_unit_test(test_hashtags),
		cmocka_unit_test(test_offsets_and_langs),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_long_document),
		cmocka_unit_test(test_errors_and_alloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
