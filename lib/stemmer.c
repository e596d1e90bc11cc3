/*
 * stemmer.c - Snowball stemming (libstemmer) behind a per-word cache.
 *
 * Stemming every occurrence costs ~5 times a hash lookup (DESIGN.md: ~52
 * MB/s against ~256 MB/s cached), and running text repeats a small
 * vocabulary, so each distinct word is stemmed once.  The cache never drops
 * an entry on its own: narrate.h promises that a stem stays valid until
 * nr_stemmer_free, so at the cap (NRI_STEMMER_MAX_WORDS distinct words or
 * NRI_STEMMER_MAX_BYTES bytes) nr_stemmer_stem fails with NR_ELIMIT rather
 * than evict.  A caller whose own stems die sooner (the tokenizer, per
 * document) may nri_stemmer_clear() and go on.
 */
#include <limits.h>
#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include <libstemmer.h>

#include "narrate.h"
#include "alloc.h"
#include "langtag.h"
#include "stemmer.h"
#include "strmap.h"

#define BLOCK_MIN 65536

/* A stem in the stem storage; the cache's value points at it. */
struct stem {
	size_t len;
	char data[];
};

struct block {
	struct block *next;
	alignas(max_align_t) char data[];
};

struct nr_stemmer {
	struct sb_stemmer *sb;
	const char *algorithm;
	struct nri_strmap cache;
	size_t max_words;
	struct block *blocks; /* stem storage, newest first */
	size_t block_used, block_size;
	size_t bytes, max_bytes;
};

/* ISO 639-1 and 639-2 (B and T) codes of the languages libstemmer 2.2 has
 * an algorithm for; Bokmal and Nynorsk use the Norwegian stemmer. */
static const struct {
	const char *code, *algorithm;
} codes[] = {
	{"ar", "arabic"},     {"ara", "arabic"},     {"hy", "armenian"},   {"hye", "armenian"},
	{"arm", "armenian"},  {"eu", "basque"},	     {"eus", "basque"},	   {"baq", "basque"},
	{"ca", "catalan"},    {"cat", "catalan"},    {"da", "danish"},	   {"dan", "danish"},
	{"nl", "dutch"},      {"nld", "dutch"},	     {"dut", "dutch"},	   {"en", "english"},
	{"eng", "english"},   {"fi", "finnish"},     {"fin", "finnish"},   {"fr", "french"},
	{"fra", "french"},    {"fre", "french"},     {"de", "german"},	   {"deu", "german"},
	{"ger", "german"},    {"el", "greek"},	     {"ell", "greek"},	   {"gre", "greek"},
	{"hi", "hindi"},      {"hin", "hindi"},	     {"hu", "hungarian"},  {"hun", "hungarian"},
	{"id", "indonesian"}, {"ind", "indonesian"}, {"ga", "irish"},	   {"gle", "irish"},
	{"it", "italian"},    {"ita", "italian"},    {"lt", "lithuanian"}, {"lit", "lithuanian"},
	{"ne", "nepali"},     {"nep", "nepali"},     {"no", "norwegian"},  {"nor", "norwegian"},
	{"nb", "norwegian"},  {"nob", "norwegian"},  {"nn", "norwegian"},  {"nno", "norwegian"},
	{"pt", "portuguese"}, {"por", "portuguese"}, {"ro", "romanian"},   {"ron", "romanian"},
	{"rum", "romanian"},  {"ru", "russian"},     {"rus", "russian"},   {"sr", "serbian"},
	{"srp", "serbian"},   {"es", "spanish"},     {"spa", "spanish"},   {"sv", "swedish"},
	{"swe", "swedish"},   {"ta", "tamil"},	     {"tam", "tamil"},	   {"tr", "turkish"},
	{"tur", "turkish"},   {"yi", "yiddish"},     {"yid", "yiddish"},
};

const char *const *nr_stemmer_algorithms(void)
{
	return (const char *const *)sb_stemmer_list();
}

/* The name libstemmer lists for alg, so that nri_stemmer_algorithm returns
 * static storage whatever the caller passed; NULL if libstemmer lacks it. */
static const char *shipped(const char *alg)
{
	const char **names;

	for (names = sb_stemmer_list(); *names; names++)
		if (!strcmp(*names, alg))
			return *names;
	return NULL;
}

/* A Snowball name as given first (some contain '_'), then the primary
 * subtag as a code, then the primary subtag as a Snowball name. */
const char *nri_stemmer_algorithm_for(const char *lang)
{
	char key[32];
	const char *alg;
	size_t i;

	if (!lang)
		return NULL;
	alg = shipped(lang);
	if (alg)
		return alg;
	if (!nri_lang_primary(lang, key, sizeof(key)))
		return NULL;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(codes[i].code, key))
			return shipped(codes[i].algorithm);
	return shipped(key);
}

const char *nri_stemmer_algorithm(const struct nr_stemmer *st)
{
	return st->algorithm;
}

int nri_stemmer_new_capped(struct nr_stemmer **out, const char *lang, size_t max_words,
			   size_t max_bytes)
{
	struct nr_stemmer *st;
	const char *alg;

	if (!out)
		return NR_EINVAL;
	*out = NULL;
	if (!lang)
		return NR_EINVAL;
	alg = nri_stemmer_algorithm_for(lang);
	if (!alg)
		return NR_ENOTFOUND;
	st = nri_calloc(1, sizeof(*st));
	if (!st)
		return NR_ENOMEM;
	/* libstemmer knows alg, so NULL can only mean out of memory */
	st->sb = sb_stemmer_new(alg, NULL);
	if (!st->sb) {
		nri_free(st);
		return NR_ENOMEM;
	}
	st->algorithm = alg;
	st->max_words = max_words ? max_words : NRI_STEMMER_MAX_WORDS;
	st->max_bytes = max_bytes ? max_bytes : NRI_STEMMER_MAX_BYTES;
	nri_strmap_init(&st->cache, st->max_words);
	*out = st;
	return NR_OK;
}

int nr_stemmer_new(struct nr_stemmer **out, const char *lang)
{
	return nri_stemmer_new_capped(out, lang, 0, 0);
}

static void free_blocks(struct nr_stemmer *st)
{
	struct block *b = st->blocks;

	while (b) {
		struct block *next = b->next;

		nri_free(b);
		b = next;
	}
	st->blocks = NULL;
	st->block_used = st->block_size = 0;
	st->bytes = 0;
}

void nr_stemmer_free(struct nr_stemmer *st)
{
	if (!st)
		return;
	sb_stemmer_delete(st->sb);
	nri_strmap_release(&st->cache);
	free_blocks(st);
	nri_free(st);
}

void nri_stemmer_clear(struct nr_stemmer *st)
{
	nri_strmap_release(&st->cache);
	nri_strmap_init(&st->cache, st->max_words);
	free_blocks(st);
}

size_t nri_stemmer_cached(const struct nr_stemmer *st)
{
	return st->cache.count;
}

/* Copy a stem into the stem storage: large blocks, so that a vocabulary
 * of a million words costs a few allocations, as in strmap.c. */
static struct stem *store_stem(struct nr_stemmer *st, const char *s, size_t len)
{
	const size_t align = alignof(max_align_t);
	size_t need = (offsetof(struct stem, data) + len + 1 + align - 1) & ~(align - 1);
	struct stem *r;

	if (!st->blocks || st->block_size - st->block_used < need) {
		size_t size = need > BLOCK_MIN ? need : BLOCK_MIN;
		struct block *b = nri_malloc(sizeof(*b) + size);

		if (!b)
			return NULL;
		b->next = st->blocks;
		st->blocks = b;
		st->block_size = size;
		st->block_used = 0;
	}
	r = (struct stem *)(void *)(st->blocks->data + st->block_used);
	r->len = len;
	if (len)
		memcpy(r->data, s, len);
	r->data[len] = '\0';
	st->block_used += need;
	return r;
}

/* The stem is stored before the word goes into the map, so a failed
 * insert leaves at most an unused stem in the storage (freed with the
 * stemmer) and never a cached word without a stem. */
int nr_stemmer_stem(struct nr_stemmer *st, const char *w, size_t len, const char **stem,
		    size_t *stem_len)
{
	struct nri_strmap_slot *slot;
	const sb_symbol *out;
	struct stem *r;
	size_t out_len;
	int rc;

	if (!st || !stem || !stem_len || (!w && len))
		return NR_EINVAL;
	*stem = NULL;
	*stem_len = 0;
	if (!w)
		w = "";
	slot = nri_strmap_get(&st->cache, w, len);
	if (slot) {
		r = (struct stem *)slot->value;
		*stem = r->data;
		*stem_len = r->len;
		return NR_OK;
	}
	if (len > INT_MAX || st->cache.count >= st->max_words || st->bytes >= st->max_bytes ||
	    2 * len > st->max_bytes - st->bytes)
		return NR_ELIMIT;
	out = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)len);
	if (!out)
		return NR_ENOMEM;
	out_len = (size_t)sb_stemmer_length(st->sb);
	r = store_stem(st, (const char *)out, out_len);
	if (!r)
		return NR_ENOMEM;
	rc = nri_strmap_put(&st->cache, w, len, &slot, NULL);
	if (rc)
		return rc;
	slot->value = (uintptr_t)r;
	st->bytes += len + out_len;
	*stem = r->data;
	*stem_len = r->len;
	return NR_OK;
}
