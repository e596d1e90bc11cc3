/*
 * fuzz_tokenizer.c - libFuzzer harness for nr_tokenize, the entry point
 * that sees every document.
 *
 * The first byte chooses the options: bit 0 the repair flag, bit 1
 * NR_TOKENIZE_NO_PUNCT, bits 2-5 the language (en, zh, ja, th, ru, ar,
 * identify, und, then fr, it, ca, oc, ga, fr, it, fr: the languages whose
 * elided articles are split off).  The rest is the document.  Properties
 * checked, any violation aborts:
 *  - nr_tokenize returns NR_OK, or NR_EUTF8 only without the repair flag
 *    (at the offset nr_utf8_check reports);
 *  - tokens are in order, do not overlap, lie inside the input, are not
 *    empty, have a norm, and a stem when they have a norm;
 *  - the ASCII fast path and ICU alone (NR_TOKENIZE_NO_ICU_FAST) give the
 *    same tokens: the differential test, on fuzzed input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

/* [flags & 3][0 fast, 1 ICU only]; made once, kept for the process. */
static struct nr_tokenizer *toks[4][2];

static struct nr_tokenizer *get(unsigned f, int slow)
{
	if (!toks[f][slow]) {
		struct nr_tokenizer_options o = {0};

		o.data_dir = "lexicons";
		o.flags = (f & 1 ? NR_TOKENIZE_REPAIR_UTF8 : 0) | (f & 2 ? NR_TOKENIZE_NO_PUNCT : 0) |
			  (slow ? NR_TOKENIZE_NO_ICU_FAST : 0);
		o.max_input = 1 << 20;
		CHECK(nr_tokenizer_new(&toks[f][slow], &o) == NR_OK);
	}
	return toks[f][slow];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[16] = {"en", "zh", "ja", "th", "ru", "ar", NULL, "und",
					      "fr", "it", "ca", "oc", "ga", "fr", "it", "fr"};
	const struct nr_token *a, *b;
	const char *s, *lang;
	size_t na, nb, len, i, end = 0, bad = 0;
	unsigned f;
	int ra, rb;

	if (size < 1)
		return 0;
	f = data[0] & 3;
	lang = langs[(data[0] >> 2) & 15];
	s = (const char *)data + 1;
	len = size - 1;
	ra = nr_tokenize(get(f, 0), s, len, lang, &a, &na);
	if (ra == NR_EUTF8) {
		CHECK(!(f & 1));
		CHECK(nr_utf8_check(s, len, &bad) == NR_EUTF8);
		CHECK(nr_tokenizer_error_offset(get(f, 0)) == bad);
		CHECK(a == NULL && na == 0);
		return 0;
	}
	CHECK(ra == NR_OK);
	for (i = 0; i < na; i++) {
		CHECK(a[i].offset >= end);
		CHECK(a[i].length > 0);
		end = a[i].offset + a[i].length;
		CHECK(end <= len);
		CHECK(a[i].norm != NULL && a[i].stem != NULL);
		CHECK(a[i].type <= NR_TOKEN_PUNCT);
		CHECK(strcmp(nr_token_type_name(a[i].type), "?") != 0);
		if ((f & 2))
			CHECK(a[i].type != NR_TOKEN_PUNCT);
	}
	/* the language identified for the first run is given to the second,
	 * so that both use the same stopwords and stemmer */
	rb = nr_tokenize(get(f, 1), s, len, nr_tokenizer_lang(get(f, 0)), &b, &nb);
	CHECK(rb == NR_OK);
	CHECK(na == nb);
	for (i = 0; i < na; i++) {
		CHECK(a[i].offset == b[i].offset && a[i].length == b[i].length);
		CHECK(a[i].type == b[i].type && a[i].stop == b[i].stop && a[i].cjk == b[i].cjk);
		CHECK(a[i].norm_len == b[i].norm_len && !memcmp(a[i].norm, b[i].norm, a[i].norm_len));
		CHECK(a[i].stem_len == b[i].stem_len && !memcmp(a[i].stem, b[i].stem, a[i].stem_len));
	}
	CHECK(nr_tokenizer_repairs(get(f, 0)) == nr_tokenizer_repairs(get(f, 1)));
	return 0;
}
