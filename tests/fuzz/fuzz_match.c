/*
 * fuzz_match.c - libFuzzer harness for the matcher on untrusted TEXT (posts
 * and articles), hashtags above all: their words are cut at the case
 * changes of the original bytes and placed back through the normalised
 * form, the part of nr_matcher_match most exposed to odd input.
 *
 * The first byte chooses the mode:
 *  - even: the rest is a document; it is tokenized (invalid UTF-8 is
 *    skipped) and matched against a fixed lexicon;
 *  - odd: the rest is "norm\x01orig" for one hand-built hashtag token
 *    (norm need not be orig's normalised form, as from a caller that built
 *    tokens itself; both must be UTF-8), matched the same way.
 * Either way: the fast matcher and the plain one (nri_matcher_set_slow)
 * give the same hits, field by field; every hit lies in the text and in
 * the tokens it names; a second call gives the same hits.  Any violated
 * property aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static const char lex_src[] =
	"@lexicon t\n@negators en not\n@negation 2\n"
	"@category city\nchengdu\nshanghai\nnew york city\nnew york\nbath\nxian\nxi'an\n"
	"杭州\n西湖\nмосква\nparis\ni\xCC\x87stanbul\n"
	"@category topic\nfood\ntouris*\nexpo\n2024\nnyc\n\\#metoo\nvisit chengdu\n"
	"good | neg=2\nmc*\n";

static struct nr_tokenizer *tok;
static struct nr_lexicon *lex;
static struct nr_matcher *fast, *slow;

static void setup(void)
{
	struct nr_tokenizer_options o;
	const struct nr_lexicon *lx[1];

	memset(&o, 0, sizeof(o));
	o.flags = NR_TOKENIZE_NO_STEM;
	CHECK(nr_tokenizer_new(&tok, &o) == NR_OK);
	CHECK(nr_lexicon_new(&lex) == NR_OK);
	CHECK(nr_lexicon_load_buffer(lex, lex_src, sizeof(lex_src) - 1, "t.nlex") == NR_OK);
	lx[0] = lex;
	CHECK(nr_matcher_new(&fast, lx, 1) == NR_OK);
	CHECK(nr_matcher_new(&slow, lx, 1) == NR_OK);
	nri_matcher_set_slow(slow, 1);
}

static int same_hit(const struct nr_match_hit *a, const struct nr_match_hit *b)
{
	return a->offset == b->offset && a->length == b->length && a->lexicon == b->lexicon &&
	       a->category == b->category && a->entity == b->entity && a->weight == b->weight &&
	       a->entry == b->entry && a->token == b->token && a->ntokens == b->ntokens &&
	       a->negated == b->negated;
}

static void check(const char *text, size_t len, const struct nr_token *t, size_t nt)
{
	const struct nr_match_hit *h, *g;
	struct nr_match_hit *first;
	size_t n, n2, i;

	CHECK(nr_matcher_match(fast, text, len, t, nt, NULL, &h, &n) == NR_OK);
	first = malloc((n ? n : 1) * sizeof(*first));
	CHECK(first);
	for (i = 0; i < n; i++) {
		const struct nr_token *z;

		CHECK(h[i].length > 0 && h[i].offset + h[i].length <= len);
		CHECK(h[i].token < nt && h[i].ntokens >= 1 && h[i].token + h[i].ntokens <= nt);
		z = &t[h[i].token + h[i].ntokens - 1];
		CHECK(h[i].offset >= t[h[i].token].offset &&
		      h[i].offset + h[i].length <= z->offset + z->length);
		CHECK(i == 0 || h[i - 1].offset <= h[i].offset);
		first[i] = h[i];
	}
	CHECK(nr_matcher_match(slow, text, len, t, nt, NULL, &g, &n2) == NR_OK);
	CHECK(n2 == n);
	for (i = 0; i < n; i++)
		CHECK(same_hit(&first[i], &g[i]));
	CHECK(nr_matcher_match(fast, text, len, t, nt, "en", &h, &n2) == NR_OK);
	CHECK(nr_matcher_match(fast, text, len, t, nt, NULL, &h, &n2) == NR_OK);
	CHECK(n2 == n);
	for (i = 0; i < n; i++)
		CHECK(same_hit(&first[i], &h[i]));
	free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;

	if (!tok)
		setup();
	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		const struct nr_token *t;
		size_t nt;

		if (nr_tokenize(tok, s, n, "und", &t, &nt) != NR_OK)
			return 0;
		check(s, n, t, nt);
	} else {
		const char *sep = memchr(s, 1, n);
		struct nr_token t;

		/* no token has empty original bytes, and both forms are
		 * UTF-8 (ill-formed ones can give empty hits) */
		if (!sep || sep + 1 == s + n || nr_utf8_check(s, n, NULL) != NR_OK)
			return 0;
		memset(&t, 0, sizeof(t));
		t.type = NR_TOKEN_HASHTAG;
		t.norm = s;
		t.norm_len = (size_t)(sep - s);
		t.offset = (size_t)(sep + 1 - s);
		t.length = n - t.offset;
		t.hash = 0;
		check(s, n, &t, 1);
	}
	return 0;
}
