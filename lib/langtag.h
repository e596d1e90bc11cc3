/*
 * langtag.h - language tags as narrate's modules need them.
 */
#ifndef NR_LANGTAG_H
#define NR_LANGTAG_H

#include <stddef.h>

/* The primary subtag of a language tag, lower-cased, into out[0..size):
 * "pt-BR" -> "pt", "zh_Hans" -> "zh", "English" -> "english".  Returns 0
 * (and no path-like text) when it is empty, too long or not ASCII letters,
 * so that no language code can name a file elsewhere; else 1. */
int nri_lang_primary(const char *lang, char *out, size_t size);

/* The ISO 639-1 code of a language tag into out[0..size): the primary
 * subtag, lower-cased, with the ISO 639-2 codes and English names of the
 * languages narrate has data for turned into their two-letter code
 * ("eng", "English" -> "en"; "zho", "chi", "Chinese-Hans" -> "zh"); any
 * other subtag as it is ("xx" -> "xx").  0 when nri_lang_primary says no
 * (or out is too small); else 1. */
int nri_lang_code(const char *lang, char *out, size_t size);

/* Row i of that table (for the test that checks it): the number of rows;
 * the four strings are set when i is below it. */
size_t nri_lang_known(size_t i, const char **iso1, const char **iso2b, const char **iso2t,
		      const char **name);

#endif
