/*
 * stopwords.h - per-language stopword sets read from
 * DATA_DIR/stopwords/<lang>.txt (one word per line, '#' comments).
 */
#ifndef NR_STOPWORDS_H
#define NR_STOPWORDS_H

#include <stddef.h>

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

/* Number of distinct words loaded; 0 for NULL. */
size_t nri_stopwords_count(const struct nri_stopwords *sw);

#endif
