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
 * line), NR_ENOMEM. */
int nri_stopwords_load(struct nri_stopwords **out, const char *data_dir,
		       const char *lang);
void nri_stopwords_free(struct nri_stopwords *sw);
/* 1 if the case-folded word w[0..len) is a stopword. */
int nri_stopwords_has(const struct nri_stopwords *sw, const char *w,
		      size_t len);

#endif
