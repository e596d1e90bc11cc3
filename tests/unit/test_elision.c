/*
 * test_elision.c - nr_tokenize splits an elided article, pronoun or
 * preposition off the word it is written onto (l'été, dell'arte, d'una)
 * in French, Italian, Catalan, Occitan and Irish, and in no other language;
 * lexicon entries with one (L'Aquila) still match text tokenized either way,
 * and a cliche shows the article glued to its word.
 *
 * Each case is a text, a language and the word tokens expected in order
 * (surface, norm, stem, stop).  Every case runs through the ASCII fast path
 * and through ICU alone (NR_TOKENIZE_NO_ICU_FAST); the surfaces are found
 * in the input from the end of the previous token on, so offsets and
 * lengths are checked against the original bytes, and an elided form and
 * the rest of its word must touch (the apostrophe belongs to the first).
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
#include "cliche.h"
#include "phrase.h"

/* The stopword lists of the build tree (tests run from the top folder). */
#define DATA_DIR "lexicons"

struct want {
	const char *surface, *norm, *stem; /* stem NULL: not checked */
	int stop;			   /* -1: not checked */
};

struct tcase {
	const char *lang, *text;
	struct want words[24];
};

static const struct tcase cases[] = {
	{"fr",
	 "L'été à Paris, j'adore l'architecture d'Hangzhou. Qu'il vienne! "
	 "L\xe2\x80\x99h\xc3\xb4tel.",
	 {{"L'", "l'", "l'", 1},
	  {"été", "été", "été", -1},
	  {"à", "à", NULL, 1},
	  {"Paris", "paris", NULL, 0},
	  {"j'", "j'", "j'", 1},
	  {"adore", "adore", "ador", 0},
	  {"l'", "l'", "l'", 1},
	  {"architecture", "architecture", "architectur", 0},
	  {"d'", "d'", "d'", 1},
	  {"Hangzhou", "hangzhou", "hangzhou", 0},
	  {"Qu'", "qu'", "qu'", 1},
	  {"il", "il", NULL, 1},
	  {"vienne", "vienne", NULL, 0},
	  /* U+2019: the norm has an ASCII apostrophe */
	  {"L\xe2\x80\x99", "l'", "l'", 1},
	  {"hôtel", "hôtel", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
	/* upper case; U+02BC; the conjunctions */
	{"fr",
	 "L'ÉTÉ D'HANGZHOU l\xca\xbc"
	 "avenue jusqu'ici lorsqu'elle PUISQU'ON",
	 {{"L'", "l'", "l'", 1},
	  {"ÉTÉ", "été", "été", -1},
	  {"D'", "d'", "d'", 1},
	  {"HANGZHOU", "hangzhou", "hangzhou", 0},
	  {"l\xca\xbc", "l'", "l'", 1},
	  {"avenue", "avenue", NULL, 0},
	  {"jusqu'", "jusqu'", "jusqu'", 1},
	  {"ici", "ici", NULL, 1},
	  {"lorsqu'", "lorsqu'", "lorsqu'", 1},
	  {"elle", "elle", NULL, 1},
	  {"PUISQU'", "puisqu'", "puisqu'", 1},
	  {"ON", "on", NULL, 1},
	  {NULL, NULL, NULL, 0}}},
	/* whole words: on the stopword list, or no elided form before the
	 * apostrophe (prud'homme, presqu'île, Xi'an); a lone l' is no word
	 * (UAX #29 breaks before a final apostrophe); lʼ2 is a number, whole */
	{"fr",
	 "Aujourd'hui quelqu'un AUJOURD'HUI prud'homme presqu'île Xi'an l' été lʼ2",
	 {{"Aujourd'hui", "aujourd'hui", NULL, 1},
	  {"quelqu'un", "quelqu'un", NULL, 1},
	  {"AUJOURD'HUI", "aujourd'hui", NULL, 1},
	  {"prud'homme", "prud'homme", NULL, 0},
	  {"presqu'île", "presqu'île", NULL, 0},
	  {"Xi'an", "xi'an", NULL, 0},
	  {"l", "l", NULL, -1},
	  {"été", "été", NULL, -1},
	  {NULL, NULL, NULL, 0}}},
	{"it",
	 "Dell'arte, l'isola, un'altra, quest'anno, c'è, L\xe2\x80\x99"
	 "Aquila, sull'Adige, un po' di",
	 {{"Dell'", "dell'", "dell'", 1},
	  {"arte", "arte", NULL, 0},
	  {"l'", "l'", "l'", 1},
	  {"isola", "isola", "isol", 0},
	  {"un'", "un'", "un'", 1},
	  {"altra", "altra", NULL, -1},
	  {"quest'", "quest'", "quest'", 1},
	  {"anno", "anno", NULL, -1},
	  {"c'", "c'", "c'", 1},
	  {"è", "è", NULL, 1},
	  {"L\xe2\x80\x99", "l'", "l'", 1},
	  {"Aquila", "aquila", "aquil", 0},
	  {"sull'", "sull'", "sull'", 1},
	  {"Adige", "adige", NULL, 0},
	  {"un", "un", NULL, 1},
	  {"po", "po", NULL, -1},
	  {"di", "di", NULL, 1},
	  {NULL, NULL, NULL, 0}}},
	/* Catalan's list has d'una and s'ha as whole words: they stay whole
	 * (written with U+2019 they are not on it, and split) */
	{"ca",
	 "L'Ajuntament d'una ciutat, d\xe2\x80\x99una, s'ha, m'agrada l'ÀREA",
	 {{"L'", "l'", "l'", 1},
	  {"Ajuntament", "ajuntament", "ajunt", 0},
	  {"d'una", "d'una", NULL, 1},
	  {"ciutat", "ciutat", NULL, 0},
	  {"d\xe2\x80\x99", "d'", "d'", 1},
	  {"una", "una", NULL, 1},
	  {"s'ha", "s'ha", NULL, 1},
	  {"m'", "m'", "m'", 1},
	  {"agrada", "agrada", NULL, 0},
	  {"l'", "l'", "l'", 1},
	  {"ÀREA", "àrea", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
	{"ga",
	 "D'fhág b'fhéidir m'athair",
	 {{"D'", "d'", "d'", 1},
	  {"fhág", "fhág", NULL, 0},
	  {"b'", "b'", "b'", 1},
	  {"fhéidir", "fhéidir", NULL, 0},
	  {"m'", "m'", "m'", 1},
	  {"athair", "athair", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
	/* Occitan: no stopword list here, the elided form is still stop */
	{"oc",
	 "l'aiga d'Occitània",
	 {{"l'", "l'", "l'", 1},
	  {"aiga", "aiga", NULL, 0},
	  {"d'", "d'", "d'", 1},
	  {"Occitània", "occitània", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
	/* English and German have no elision: nothing is split */
	{"en",
	 "don't o'clock l'amour L\xe2\x80\x99"
	 "Aquila d'Hangzhou",
	 {{"don't", "don't", NULL, 1},
	  {"o'clock", "o'clock", NULL, 0},
	  {"l'amour", "l'amour", NULL, 0},
	  {"L\xe2\x80\x99"
	   "Aquila",
	   "l\xe2\x80\x99"
	   "aquila",
	   NULL, 0},
	  {"d'Hangzhou", "d'hangzhou", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
	{"de",
	 "l'été d'Hangzhou",
	 {{"l'été", "l'été", NULL, 0},
	  {"d'Hangzhou", "d'hangzhou", NULL, 0},
	  {NULL, NULL, NULL, 0}}},
};

static struct nr_tokenizer *make(unsigned flags)
{
	struct nr_tokenizer_options o = {0};
	struct nr_tokenizer *tok = NULL;

	o.data_dir = DATA_DIR;
	o.flags = flags | NR_TOKENIZE_NO_PUNCT;
	assert_int_equal(nr_tokenizer_new(&tok, &o), NR_OK);
	return tok;
}

static int eq(const char *p, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(p, want, n);
}

/* Tokenize case c with tok and check every word against c->words. */
static void check_case(struct nr_tokenizer *tok, const struct tcase *c, const char *path)
{
	const struct nr_token *t;
	size_t n, i, k = 0, pos = 0, len = strlen(c->text);

	assert_int_equal(nr_tokenize(tok, c->text, len, c->lang, &t, &n), NR_OK);
	for (i = 0; i < n; i++) {
		const struct want *w = &c->words[k];
		const char *at;

		if (t[i].type != NR_TOKEN_WORD)
			continue;
		if (!w->surface)
			fail_msg("%s %s: extra word '%.*s'", path, c->lang, (int)t[i].length,
				 c->text + t[i].offset);
		at = strstr(c->text + pos, w->surface);
		if (!at)
			fail_msg("%s %s: '%s' not in the text", path, c->lang, w->surface);
		if (t[i].offset != (size_t)(at - c->text) || t[i].length != strlen(w->surface))
			fail_msg("%s %s: word %zu is '%.*s' at %zu, want '%s' at %zu", path,
				 c->lang, k, (int)t[i].length, c->text + t[i].offset, t[i].offset,
				 w->surface, (size_t)(at - c->text));
		if (!eq(t[i].norm, t[i].norm_len, w->norm))
			fail_msg("%s %s: '%s' has norm '%.*s', want '%s'", path, c->lang,
				 w->surface, (int)t[i].norm_len, t[i].norm, w->norm);
		if (w->stem && !eq(t[i].stem, t[i].stem_len, w->stem))
			fail_msg("%s %s: '%s' has stem '%.*s', want '%s'", path, c->lang,
				 w->surface, (int)t[i].stem_len, t[i].stem, w->stem);
		if (w->stop >= 0 && t[i].stop != w->stop)
			fail_msg("%s %s: '%s' has stop %d, want %d", path, c->lang, w->surface,
				 t[i].stop, w->stop);
		/* an elided form is followed at once by the rest of its word */
		if (t[i].norm_len && t[i].norm[t[i].norm_len - 1] == '\'') {
			assert_true(i + 1 < n);
			assert_int_equal(t[i + 1].offset, t[i].offset + t[i].length);
		}
		pos = t[i].offset + t[i].length;
		k++;
	}
	if (c->words[k].surface)
		fail_msg("%s %s: word '%s' missing", path, c->lang, c->words[k].surface);
}

static void test_cases(void **state)
{
	struct nr_tokenizer *fast = make(0), *icu = make(NR_TOKENIZE_NO_ICU_FAST);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_case(fast, &cases[i], "fast");
		check_case(icu, &cases[i], "icu");
	}
	nr_tokenizer_free(fast);
	nr_tokenizer_free(icu);
}

/* A pure-ASCII French text goes through the fast path alone; the same text
 * with an accented word after the last one goes partly through ICU: the split is
 * the same both ways, and the word cache does not remember a split word
 * as whole (the second document repeats the words). */
static void test_fast_path_and_cache(void **state)
{
	static const char a[] = "l'architecture d'Hangzhou, l'architecture d'Hangzhou";
	static const char b[] = "l'architecture d'Hangzhou, l'architecture d'Hangzhou,été";
	struct nr_tokenizer *tok = make(0);
	const struct nr_token *t;
	size_t n, r;

	(void)state;
	for (r = 0; r < 3; r++) {
		const char *s = r == 1 ? b : a;

		assert_int_equal(nr_tokenize(tok, s, strlen(s), "fr", &t, &n), NR_OK);
		assert_true(n >= 8);
		assert_int_equal(t[0].offset, 0);
		assert_int_equal(t[0].length, 2);
		assert_true(eq(t[1].stem, t[1].stem_len, "architectur"));
		assert_int_equal(t[1].offset, 2);
		assert_int_equal(t[2].length, 2);
		assert_true(eq(t[3].norm, t[3].norm_len, "hangzhou"));
		assert_true(eq(t[5].norm, t[5].norm_len, "architecture"));
		assert_int_equal(t[6].offset, 42);
		assert_true(t[4].stop && t[6].stop && !t[7].stop);
	}
	nr_tokenizer_free(tok);
}

/* With the repair flag, offsets of both halves still index the original
 * bytes (the bad byte before them takes 1 byte there, 3 in the repair). */
static void test_repaired_offsets(void **state)
{
	static const char s[] = "\xff l'\xc3\xa9t\xc3\xa9";
	struct nr_tokenizer *tok = make(NR_TOKENIZE_REPAIR_UTF8);
	const struct nr_token *t;
	size_t n, i, words = 0;

	(void)state;
	assert_int_equal(nr_tokenize(tok, s, sizeof(s) - 1, "fr", &t, &n), NR_OK);
	for (i = 0; i < n; i++) {
		if (t[i].type != NR_TOKEN_WORD)
			continue;
		if (words++ == 0) {
			assert_int_equal(t[i].offset, 2);
			assert_int_equal(t[i].length, 2);
		} else {
			assert_int_equal(t[i].offset, 4);
			assert_int_equal(t[i].length, 5);
		}
	}
	assert_int_equal(words, 2);
	nr_tokenizer_free(tok);
}

/*
 * Lexicon entries with an elided article match text tokenized either way:
 * a "*" entry (L'Aquila, tokenized as one word) in French text, where the
 * tokenizer splits l' off, and a French entry (tokenized split) in text of
 * another language, where l'isle stays one word.  d'Hangzhou finds the
 * city through its own token in French, through the matcher's clitic rule
 * elsewhere.  Sant'Angelo has no elided form: one word everywhere.
 */
static const char lexicon[] = "@lexicon places\n"
			      "@kind entities\n"
			      "@category city Cities\n"
			      "@entity aq city\n"
			      "L'Aquila\n"
			      "@entity hz city\n"
			      "Hangzhou\n"
			      "@entity sa city\n"
			      "Sant'Angelo\n"
			      "@entity ie city\n"
			      "@lang fr\n"
			      "L\xe2\x80\x99Isle-d\xe2\x80\x99"
			      "Abeau\n"
			      "@entity co city\n"
			      "c\xc3\xa9r\xc3\xa9monie d'ouverture\n";

static const char doc[] = "L'Aquila, l\xe2\x80\x99"
			  "Aquila, l\xca\xbc"
			  "Aquila et d'Hangzhou; la c\xc3\xa9r\xc3\xa9monie d'ouverture "
			  "\xc3\xa0 l'Isle-d'Abeau, Sant'Angelo.";

/* The hits of doc tokenized in lang, as "entity:surface;..." */
static void hits_of(struct nr_matcher *m, struct nr_tokenizer *tok, const char *lang, char *out,
		    size_t cap)
{
	const struct nr_token *t;
	const struct nr_match_hit *h;
	size_t nt, nh, i, o = 0;

	assert_int_equal(nr_tokenize(tok, doc, strlen(doc), lang, &t, &nt), NR_OK);
	assert_int_equal(nr_matcher_match(m, doc, strlen(doc), t, nt, NULL, &h, &nh), NR_OK);
	out[0] = '\0';
	for (i = 0; i < nh; i++) {
		int w = snprintf(out + o, cap - o, "%s:%.*s;", h[i].entity_id, (int)h[i].length,
				 doc + h[i].offset);

		assert_true(w > 0 && (size_t)w < cap - o);
		o += (size_t)w;
	}
}

static void test_matcher(void **state)
{
	struct nr_lexicon *lex;
	struct nr_matcher *m;
	struct nr_tokenizer *tok = make(0), *icu = make(NR_TOKENIZE_NO_ICU_FAST);
	char out[1024];
	static const char *const split =
		"aq:L'Aquila;aq:l\xe2\x80\x99"
		"Aquila;aq:l\xca\xbc"
		"Aquila;hz:Hangzhou;co:c\xc3\xa9r\xc3\xa9monie d'ouverture;"
		"ie:l'Isle-d'Abeau;sa:Sant'Angelo;";
	static const char *const whole =
		"aq:L'Aquila;aq:l\xe2\x80\x99"
		"Aquila;aq:l\xca\xbc"
		"Aquila;hz:d'Hangzhou;co:c\xc3\xa9r\xc3\xa9monie d'ouverture;"
		"ie:l'Isle-d'Abeau;sa:Sant'Angelo;";

	(void)state;
	assert_int_equal(nr_lexicon_new(&lex), NR_OK);
	if (nr_lexicon_load_buffer(lex, lexicon, strlen(lexicon), "t.nlex"))
		fail_msg("%s", nr_lexicon_errmsg(lex));
	assert_int_equal(nr_matcher_new(&m, (const struct nr_lexicon *const *)&lex, 1), NR_OK);
	hits_of(m, tok, "fr", out, sizeof(out));
	assert_string_equal(out, split);
	hits_of(m, icu, "fr", out, sizeof(out));
	assert_string_equal(out, split);
	hits_of(m, tok, "it", out, sizeof(out));
	assert_string_equal(out, split);
	hits_of(m, tok, "en", out, sizeof(out));
	assert_string_equal(out, whole);
	hits_of(m, tok, "de", out, sizeof(out));
	assert_string_equal(out, whole);
	nr_matcher_free(m);
	nr_lexicon_free(lex);
	nr_tokenizer_free(tok);
	nr_tokenizer_free(icu);
}

/* Every allocation of a French and a Catalan document with elisions, and
 * of compiling a matcher whose entries have some, may fail: the call says
 * NR_ENOMEM, leaks nothing (test-san), and a retry gives the reference. */
static void test_alloc_failure(void **state)
{
	static const char s[] =
		"L'architecture d'Hangzhou, qu'il aujourd'hui l\xe2\x80\x99h\xc3\xb4tel, "
		"d'una s'ha m'agrada";
	static const char *const langs[] = {"fr", "ca"};
	const struct nr_token *rt, *t;
	size_t rn, n, l;
	long fail;
	int rc;

	(void)state;
	for (l = 0; l < 2; l++) {
		struct nr_tokenizer *ref = make(0);
		int done = 0;

		assert_int_equal(nr_tokenize(ref, s, strlen(s), langs[l], &rt, &rn), NR_OK);
		for (fail = 1; !done && fail < 5000; fail++) {
			struct nr_tokenizer *tok = NULL;
			struct nr_tokenizer_options o = {0};

			o.data_dir = DATA_DIR;
			o.flags = NR_TOKENIZE_NO_PUNCT; /* as make() */
			nri_alloc_fail_at(fail);
			rc = nr_tokenizer_new(&tok, &o);
			if (rc == NR_OK) {
				rc = nr_tokenize(tok, s, strlen(s), langs[l], &t, &n);
				if (rc == NR_OK)
					done = nri_alloc_count() < fail;
			}
			nri_alloc_fail_at(0);
			if (rc != NR_OK)
				assert_int_equal(rc, NR_ENOMEM);
			if (tok) {
				assert_int_equal(nr_tokenize(tok, s, strlen(s), langs[l], &t, &n),
						 NR_OK);
				assert_int_equal(n, rn);
				assert_int_equal(t[1].offset, rt[1].offset);
			}
			nr_tokenizer_free(tok);
		}
		assert_true(done);
		nr_tokenizer_free(ref);
	}
	{
		struct nr_lexicon *lex;
		struct nr_matcher *m = NULL;
		int done = 0;

		assert_int_equal(nr_lexicon_new(&lex), NR_OK);
		assert_int_equal(nr_lexicon_load_buffer(lex, lexicon, strlen(lexicon), "t.nlex"),
				 NR_OK);
		for (fail = 1; !done && fail < 5000; fail++) {
			nri_alloc_fail_at(fail);
			rc = nr_matcher_new(&m, (const struct nr_lexicon *const *)&lex, 1);
			done = rc == NR_OK && nri_alloc_count() < fail;
			nri_alloc_fail_at(0);
			if (rc != NR_OK)
				assert_int_equal(rc, NR_ENOMEM);
			nr_matcher_free(m);
			m = NULL;
		}
		assert_true(done);
		nr_lexicon_free(lex);
	}
}

/* A cliche is shown as its words spaced, but an elided article stays
 * glued to its word, as it is written: "de l'architecture", not "de l'
 * architecture". */
static void test_phrase(void **state)
{
	static const uint32_t groups[] = {0, 1};
	struct nri_phrase_ngram g = {0};
	struct nri_cliche_item *items = NULL;
	size_t n = 0;

	(void)state;
	g.s = "de\x1fl'\x1f"
	      "architecture\x1f"
	      "moderne";
	g.len = strlen(g.s);
	g.cities = 2;
	g.docs = 2;
	g.groups = groups;
	assert_int_equal(nri_phrase_chain(&g, 1, &items, &n), NR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].text, "de l'architecture moderne");
	nri_cliche_items_free(items, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_fast_path_and_cache),
		cmocka_unit_test(test_repaired_offsets),
		cmocka_unit_test(test_matcher),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_phrase),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
