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

#endif
