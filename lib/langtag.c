/*
 * langtag.c - language tags as narrate's modules need them: the primary
 * subtag (the stemmer chooses a Snowball algorithm by it) and the ISO 639-1
 * code (the stopword loader chooses a file by it).
 */
#include <string.h>

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

/* The languages narrate has a stopword list or a Snowball stemmer for, by
 * ISO 639-1 code, ISO 639-2 bibliographic and terminology codes, and
 * English name (lower-cased, as Snowball names its algorithms).  Written
 * for the project from ISO 639-2; conf_langcodes checks every row against
 * Debian's iso-codes data. */
static const struct {
	const char *iso1, *iso2b, *iso2t, *name;
} langs[] = {
	{"af", "afr", "afr", "afrikaans"}, {"ar", "ara", "ara", "arabic"},
	{"bg", "bul", "bul", "bulgarian"}, {"bn", "ben", "ben", "bengali"},
	{"br", "bre", "bre", "breton"},	   {"ca", "cat", "cat", "catalan"},
	{"cs", "cze", "ces", "czech"},	   {"da", "dan", "dan", "danish"},
	{"de", "ger", "deu", "german"},	   {"el", "gre", "ell", "greek"},
	{"en", "eng", "eng", "english"},   {"eo", "epo", "epo", "esperanto"},
	{"es", "spa", "spa", "spanish"},   {"et", "est", "est", "estonian"},
	{"eu", "baq", "eus", "basque"},	   {"fa", "per", "fas", "persian"},
	{"fi", "fin", "fin", "finnish"},   {"fr", "fre", "fra", "french"},
	{"ga", "gle", "gle", "irish"},	   {"gl", "glg", "glg", "galician"},
	{"gu", "guj", "guj", "gujarati"},  {"ha", "hau", "hau", "hausa"},
	{"he", "heb", "heb", "hebrew"},	   {"hi", "hin", "hin", "hindi"},
	{"hr", "hrv", "hrv", "croatian"},  {"hu", "hun", "hun", "hungarian"},
	{"hy", "arm", "hye", "armenian"},  {"id", "ind", "ind", "indonesian"},
	{"it", "ita", "ita", "italian"},   {"ja", "jpn", "jpn", "japanese"},
	{"ko", "kor", "kor", "korean"},	   {"ku", "kur", "kur", "kurdish"},
	{"la", "lat", "lat", "latin"},	   {"lt", "lit", "lit", "lithuanian"},
	{"lv", "lav", "lav", "latvian"},   {"mr", "mar", "mar", "marathi"},
	{"ms", "may", "msa", "malay"},	   {"ne", "nep", "nep", "nepali"},
	{"nl", "dut", "nld", "dutch"},	   {"no", "nor", "nor", "norwegian"},
	{"pl", "pol", "pol", "polish"},	   {"pt", "por", "por", "portuguese"},
	{"ro", "rum", "ron", "romanian"},  {"ru", "rus", "rus", "russian"},
	{"sk", "slo", "slk", "slovak"},	   {"sl", "slv", "slv", "slovenian"},
	{"so", "som", "som", "somali"},	   {"sr", "srp", "srp", "serbian"},
	{"st", "sot", "sot", "sotho"},	   {"sv", "swe", "swe", "swedish"},
	{"sw", "swa", "swa", "swahili"},   {"ta", "tam", "tam", "tamil"},
	{"th", "tha", "tha", "thai"},	   {"tl", "tgl", "tgl", "tagalog"},
	{"tr", "tur", "tur", "turkish"},   {"uk", "ukr", "ukr", "ukrainian"},
	{"ur", "urd", "urd", "urdu"},	   {"vi", "vie", "vie", "vietnamese"},
	{"yi", "yid", "yid", "yiddish"},   {"yo", "yor", "yor", "yoruba"},
	{"zh", "chi", "zho", "chinese"},   {"zu", "zul", "zul", "zulu"},
};

int nri_lang_code(const char *lang, char *out, size_t size)
{
	char key[32];

	if (!nri_lang_primary(lang, key, sizeof(key)))
		return 0;
	if (strlen(key) > 2)
		for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
			if (!strcmp(key, langs[i].iso2b) || !strcmp(key, langs[i].iso2t) ||
			    !strcmp(key, langs[i].name)) {
				strcpy(key, langs[i].iso1);
				break;
			}
	if (strlen(key) + 1 > size)
		return 0;
	memcpy(out, key, strlen(key) + 1);
	return 1;
}

size_t nri_lang_known(size_t i, const char **iso1, const char **iso2b, const char **iso2t,
		      const char **name)
{
	size_t n = sizeof(langs) / sizeof(langs[0]);

	if (i < n) {
		*iso1 = langs[i].iso1;
		*iso2b = langs[i].iso2b;
		*iso2t = langs[i].iso2t;
		*name = langs[i].name;
	}
	return n;
}
