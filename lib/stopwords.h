/*
 * stopwords.h - per-language stopword sets read from
 * DATA_DIR/stopwords/<lang>.txt (one word per line, '#' comments).
 */
#ifndef NR_STOPWORDS_H
#define NR_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

struct nri_stopwords;

/* Load the list for lang (ISO 639-1, e.g. "en", "zh").  Words are stored
 * case-folded.  NR_OK; NR_ENOTFOUND when there is no list for lang (callers
 * treat that as "no stopwords"); NR_EIO, NR_EPARSE (bad UTF-8, with the
 * line), NR_ELIMIT (over 16 MiB or 2^20 words), NR_ENOMEM. */
int nri_stopwords_load(struct nri_stopwords **out, const char *data_dir, const char *lang);
/* As nri_stopwords_load, and on failure a message naming the file and line
 * ("invalid UTF-8 or NUL byte in stopword list 'x/stopwords/en.txt' line
 * 12") written to err[0..errsize) if err is not NULL ("" on success). */
int nri_stopwords_load_ex(struct nri_stopwords **out, const char *data_dir, const char *lang,
			  char *err, size_t errsize);
void nri_stopwords_free(struct nri_stopwords *sw);
/* 1 if the case-folded word w[0..len) is a stopword. */
int nri_stopwords_has(const struct nri_stopwords *sw, const char *w, size_t len);
/* As nri_stopwords_has for a non-NULL sw and a word followed by at least 7
 * readable bytes (they are loaded, then masked off): the tokenizer's norms
 * in its arena. */
int nri_stopwords_has_padded(const struct nri_stopwords *sw, const char *w, size_t len);

/*
 * The lookup table behind nri_stopwords_has, for a probe inlined in the
 * tokenizer's loop: slot j of tab holds a word's first 8 bytes (pre,
 * zero-padded) and length (0: empty slot); a word is looked for by linear
 * probing from ((pre + len) * 0x9E3779B97F4A7C15) >> shift; lens has bit
 * n set when some word has n < 64 bytes.  Borrowed from the set.
 */
struct nri_sw_slot {
	uint64_t pre;
	uint32_t len;
	uint32_t off; /* where bytes 8.. of a longer word are kept */
};
struct nri_sw_view {
	const struct nri_sw_slot *tab;
	size_t mask;
	unsigned shift;
	uint64_t lens;
};
void nri_stopwords_view(const struct nri_stopwords *sw, struct nri_sw_view *v);

/* 1 if the word of len (1..8) bytes whose zero-padded bytes are pre is a
 * stopword of the view's set. */
static inline int nri_stopwords_short(const struct nri_sw_view *v, uint64_t pre, size_t len)
{
	size_t j;

	if (!(v->lens >> len & 1))
		return 0;
	/* the answer as data, and one branch that leaves at the first slot
	 * unless it holds another word: a stopword or not is a coin toss in
	 * running text, a branch on it would be mispredicted half the time */
	for (j = (size_t)(((pre + len) * UINT64_C(0x9E3779B97F4A7C15)) >> v->shift);;
	     j = (j + 1) & v->mask) {
		int hit = (v->tab[j].pre == pre) & (v->tab[j].len == len);

		if (hit | !v->tab[j].len)
			return hit;
	}
}

/* Number of distinct words loaded; 0 for NULL. */
size_t nri_stopwords_count(const struct nri_stopwords *sw);

#endif
