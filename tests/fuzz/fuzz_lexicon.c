/*
 * fuzz_lexicon.c - libFuzzer harness for the lexicon parser (a lexicon is
 * untrusted input: users import and edit their own) and for the matcher it
 * feeds:
 *
 *  - nr_lexicon_load_buffer either succeeds, or fails with a message of the
 *    form "fuzz.nlex:LINE:COL: ..." (or "fuzz.nlex: ...") and leaves the
 *    handle as it was before (here: the previous good lexicon);
 *  - a lexicon that loads compiles, and matching a fixed multilingual text
 *    gives hits inside the text, in order, with valid categories, and the
 *    same hits when run twice.
 *
 * Any violated property aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static const char text[] = "I love Hangzhou and the West Lake, not very good; new\nyork tourists "
			   "Xi\xE2\x80\x99"
			   "an 杭州西湖景区 印度尼西亚和印度 中山路 #杭州# 不好 "
			   "\xEF\xBC\xA8\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x87 ok. "
			   "#VisitHangzhou #NewYork_City #WestLake2024 #MeToo";
static const char base[] = "@lexicon base\n@category a\nhangzhou\n西湖\n";

static struct nr_tokenizer *tok;
static const struct nr_token *toks;
static size_t ntoks;

static void setup(void)
{
	struct nr_tokenizer_options o;

	memset(&o, 0, sizeof(o));
	o.flags = NR_TOKENIZE_NO_STEM;
	CHECK(nr_tokenizer_new(&tok, &o) == NR_OK);
	CHECK(nr_tokenize(tok, text, sizeof(text) - 1, "und", &toks, &ntoks) == NR_OK);
}

static void match_twice(const struct nr_lexicon *lex)
{
	const struct nr_lexicon *lx[1] = {lex};
	struct nr_matcher *m;
	const struct nr_match_hit *h;
	size_t n, n2, i, ncat = nr_lexicon_category_count(lex);
	size_t *first;
	int rc;

	rc = nr_matcher_new(&m, lx, 1);
	if (rc == NR_ELIMIT)
		return;
	CHECK(rc == NR_OK);
	CHECK(nr_matcher_match(m, text, sizeof(text) - 1, toks, ntoks, NULL, &h, &n) == NR_OK);
	first = malloc((n ? n : 1) * 2 * sizeof(*first));
	CHECK(first);
	for (i = 0; i < n; i++) {
		CHECK(h[i].offset + h[i].length <= sizeof(text) - 1 && h[i].length > 0);
		CHECK(h[i].category >= 0 && (size_t)h[i].category < ncat);
		CHECK(h[i].entry < nr_lexicon_entry_count(lex));
		CHECK(i == 0 || h[i - 1].offset <= h[i].offset);
		CHECK(h[i].token < ntoks && h[i].ntokens >= 1);
		first[2 * i] = h[i].offset;
		first[2 * i + 1] = h[i].entry;
	}
	CHECK(nr_matcher_match(m, text, sizeof(text) - 1, toks, ntoks, "zh", &h, &n2) == NR_OK);
	CHECK(nr_matcher_match(m, text, sizeof(text) - 1, toks, ntoks, NULL, &h, &n2) == NR_OK);
	CHECK(n2 == n);
	for (i = 0; i < n; i++)
		CHECK(first[2 * i] == h[i].offset && first[2 * i + 1] == h[i].entry);
	free(first);
	nr_matcher_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nr_lexicon *lex;
	const char *msg;
	int rc;

	if (!tok)
		setup();
	CHECK(nr_lexicon_new(&lex) == NR_OK);
	CHECK(nr_lexicon_load_buffer(lex, base, sizeof(base) - 1, "base.nlex") == NR_OK);
	rc = nr_lexicon_load_buffer(lex, (const char *)data, size, "fuzz.nlex");
	msg = nr_lexicon_errmsg(lex);
	if (rc) {
		CHECK(rc == NR_EPARSE || rc == NR_EUTF8 || rc == NR_ELIMIT);
		CHECK(!strncmp(msg, "fuzz.nlex:", 10));
		CHECK(nr_lexicon_error_line(lex) == 0 || nr_lexicon_error_col(lex) >= 1);
		/* the handle still holds the base lexicon */
		CHECK(!strcmp(nr_lexicon_name(lex), "base"));
		CHECK(nr_lexicon_entry_count(lex) == 2);
	} else {
		CHECK(msg[0] == '\0');
	}
	match_twice(lex);
	nr_lexicon_free(lex);
	return 0;
}
