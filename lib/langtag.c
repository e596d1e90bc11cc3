/*
 * langtag.c - the primary subtag of a language tag, shared by the stemmer
 * (choosing a Snowball algorithm) and the stopword loader (choosing a file).
 */
#include "langtag.h"

int nri_lang_primary(const char *lang, char *out, size_t size)
{
	size_t i;

	for (i = 0; lang[i] && lang[i] != '-' && lang[i] != '_'; i++) {
		char c = lang[i];

		if (i + 1 >= size)
			return 0;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z')
			return 0;
		out[i] = c;
	}
	if (!size)
		return 0;
	out[i] = '\0';
	return i > 0;
}
