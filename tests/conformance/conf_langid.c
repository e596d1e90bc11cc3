/*
 * conf_langid.c - nr_langid on real text found on this machine, per
 * language, against accuracy floors set a few points under what
 * docs/langid.md reports (so that a regression fails, noise does not).
 *
 * Sources, read at test time and never copied (they are GPL and other
 * licences):
 *  - /usr/share/common-licenses/: English paragraphs (base-files, always
 *    there on Debian);
 *  - /usr/share/debian-reference/debian-reference.<lang>.txt.gz
 *    (debian-reference-* packages): paragraphs; in translations, a
 *    paragraph found verbatim in the English original is skipped (left
 *    untranslated);
 *  - /usr/share/locale/<lang>/LC_MESSAGES/ (.mo files): translated program
 *    messages, short like posts; those with format directives, markup or
 *    fewer than four words are skipped.
 * A language without data is skipped; no data at all fails.
 * Set NR_LANGID_VERBOSE=1 to see every miss.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "narrate.h"

#define PER_LANG 200
#define FLOOR_PARA 0.85 /* paragraphs */
#define FLOOR_MSG 0.60  /* one language's messages */
#define FLOOR_MSG_ALL 0.85

static int verbose;
static int failed;
static long total_n, total_ok;

struct tally {
	int n, ok;
};

static int check(const char *want, const char *text, size_t len, struct tally *t)
{
	char got[16];

	if (nr_langid(text, len, got, sizeof(got), NULL) != NR_OK)
		strcpy(got, "(error)");
	t->n++;
	if (!strcmp(got, want)) {
		t->ok++;
		return 1;
	}
	if (verbose)
		printf("  miss %s -> %s: %.*s\n", want, got, (int)(len > 100 ? 100 : len), text);
	return 0;
}

static void report(const char *source, const char *lang, const struct tally *t, double floor)
{
	double acc = t->n ? (double)t->ok / t->n : 0;
	int bad = t->n && acc < floor;

	printf("%-10s %-6s %4d texts  %5.1f%%%s\n", source, lang, t->n, 100 * acc,
	       bad ? "  BELOW FLOOR" : "");
	failed |= bad;
	total_n += t->n;
	total_ok += t->ok;
}

/* Read a whole (possibly gzipped) file; NULL if absent. */
static char *slurp(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			char *nb = realloc(buf, cap + 262144);

			if (!nb) {
				free(buf);
				gzclose(f);
				return NULL;
			}
			buf = nb;
			cap += 262144;
		}
		r = gzread(f, buf + n, 65536);
		if (r > 0)
			n += (size_t)r;
	} while (r > 0);
	gzclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Collapse white space in place; returns the new length. */
static size_t squeeze(char *s, size_t len)
{
	size_t i, o = 0;
	int sp = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			sp = o > 0;
		} else {
			if (sp)
				s[o++] = ' ';
			sp = 0;
			s[o++] = c;
		}
	}
	return o;
}

static int letter_share_ok(const char *s, size_t len)
{
	size_t i, other = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != ' ' && c != ',' &&
		    c != '.')
			other++;
	}
	return other * 10 < len; /* under 10% digits, symbols, markup */
}

/* Paragraphs (blank-line separated) of text, each through check(). */
static void paragraphs(const char *want, char *text, size_t len, const char *english,
		       struct tally *t)
{
	size_t pos = 0;

	while (pos < len && t->n < PER_LANG) {
		char *end = strstr(text + pos, "\n\n");
		size_t plen = end ? (size_t)(end - (text + pos)) : len - pos;
		char *p = text + pos;
		char saved;

		pos += plen + (end ? 2 : 0);
		plen = squeeze(p, plen);
		if (plen < 120 || plen > 800 || !letter_share_ok(p, plen))
			continue;
		saved = p[plen];
		p[plen] = '\0';
		if (!english || !strstr(english, p))
			check(want, p, plen, t);
		p[plen] = saved;
	}
}

static void common_licenses(void)
{
	static const char *const files[] = {"GPL-3", "Apache-2.0", "MPL-2.0", "LGPL-3",
					    "GFDL-1.3", "Artistic"};
	struct tally t = {0, 0};
	size_t i, len;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[128], *text;

		snprintf(path, sizeof(path), "/usr/share/common-licenses/%s", files[i]);
		text = slurp(path, &len);
		if (text) {
			paragraphs("en", text, len, NULL, &t);
			free(text);
		}
	}
	if (t.n)
		report("licenses", "en", &t, FLOOR_PARA);
}

static void debian_reference(void)
{
	static const char *const langs[][2] = {
		{"en", "en"}, {"de", "de"}, {"es", "es"}, {"fr", "fr"}, {"id", "id"},
		{"it", "it"}, {"ja", "ja"}, {"pt", "pt"}, {"zh-cn", "zh"}, {"zh-tw", "zh"},
	};
	const char *dir = "/usr/share/debian-reference";
	char path[256], *english;
	size_t i, elen = 0;

	snprintf(path, sizeof(path), "%s/debian-reference.en.txt.gz", dir);
	english = slurp(path, &elen);
	if (english)
		elen = squeeze(english, elen), english[elen] = '\0';
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		struct tally t = {0, 0};
		size_t len;
		char *text;

		snprintf(path, sizeof(path), "%s/debian-reference.%s.txt.gz", dir, langs[i][0]);
		text = slurp(path, &len);
		if (!text)
			continue;
		paragraphs(langs[i][1], text, len, i ? english : NULL, &t);
		free(text);
		report("debref", langs[i][1], &t, FLOOR_PARA);
	}
	free(english);
}

static uint32_t get32(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* A message worth testing: four words or more, no format directive,
 * markup, option or line break. */
static int message_ok(const char *s, size_t len)
{
	size_t i, spaces = 0;

	if (len < 20 || len > 300 || memchr(s, '\0', len))
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%' || c == '<' || c == '{' || c == '\n' || c == '\\' || c == '_' ||
		    c == '$' || (c == '-' && i + 1 < len && s[i + 1] == '-'))
			return 0;
		spaces += c == ' ';
	}
	return spaces >= 3 && letter_share_ok(s, len);
}

/* The translations in one .mo file (GNU gettext format: magic, count,
 * offsets of the original and translation tables). */
static void mo_file(const char *want, const char *path, struct tally *t)
{
	size_t len, i, n, orig, trans;
	unsigned char *mo = (unsigned char *)slurp(path, &len);
	int swap;

	if (!mo)
		return;
	if (len < 28 || (get32(mo, 0) != 0x950412de && get32(mo, 1) != 0x950412de))
		goto done;
	swap = get32(mo, 0) != 0x950412de;
	n = get32(mo + 8, swap);
	orig = get32(mo + 12, swap);
	trans = get32(mo + 16, swap);
	if (orig > len || trans > len || n > (len - trans) / 8 || n > (len - orig) / 8)
		goto done;
	for (i = 0; i < n && t->n < PER_LANG; i++) {
		size_t slen = get32(mo + trans + 8 * i, swap), soff = get32(mo + trans + 8 * i + 4, swap);
		size_t olen = get32(mo + orig + 8 * i, swap), ooff = get32(mo + orig + 8 * i + 4, swap);

		if (soff > len || slen > len - soff || ooff > len || olen > len - ooff)
			break;
		if (!slen || (slen == olen && !memcmp(mo + soff, mo + ooff, slen)))
			continue; /* untranslated */
		if (message_ok((const char *)mo + soff, slen))
			check(want, (const char *)mo + soff, slen, t);
	}
done:
	free(mo);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void catalogs(void)
{
	static const char *const langs[] = {
		"ar", "bg", "ca", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he",
		"hi", "hu", "id", "it", "ja", "ko", "nl", "pl", "pt", "ro", "ru", "sk",
		"sv", "th", "tr", "uk", "vi", "zh_CN",
	};
	struct tally all = {0, 0};
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		char dirpath[256], want[8], *names[512];
		struct tally t = {0, 0};
		size_t n = 0, k;
		struct dirent *e;
		DIR *d;

		snprintf(dirpath, sizeof(dirpath), "/usr/share/locale/%s/LC_MESSAGES", langs[i]);
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(langs[i], "_"), langs[i]);
		d = opendir(dirpath);
		if (!d)
			continue;
		while ((e = readdir(d)) && n < 512) {
			size_t l = strlen(e->d_name);

			/* iso_* and geonames hold names, not sentences */
			if (l > 3 && !strcmp(e->d_name + l - 3, ".mo") &&
			    strncmp(e->d_name, "iso_", 4) && strncmp(e->d_name, "geonames", 8))
				names[n++] = strdup(e->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof(names[0]), cmp_str);
		for (k = 0; k < n; k++) {
			char path[512];

			if (names[k]) {
				snprintf(path, sizeof(path), "%s/%s", dirpath, names[k]);
				mo_file(want, path, &t);
			}
			free(names[k]);
		}
		if (t.n >= 20) {
			report("messages", want, &t, FLOOR_MSG);
			all.n += t.n;
			all.ok += t.ok;
		}
	}
	if (all.n) {
		double acc = (double)all.ok / all.n;

		printf("messages   all    %4d texts  %5.1f%%%s\n", all.n, 100 * acc,
		       acc < FLOOR_MSG_ALL ? "  BELOW FLOOR" : "");
		failed |= acc < FLOOR_MSG_ALL;
	}
}

int main(void)
{
	verbose = getenv("NR_LANGID_VERBOSE") != NULL;
	common_licenses();
	debian_reference();
	catalogs();
	if (!total_n) {
		printf("conf_langid: FAILED: no text found on this system\n");
		return 1;
	}
	printf("conf_langid: %ld texts, %.1f%% right, %s\n", total_n,
	       100.0 * total_ok / total_n, failed ? "FAILED" : "ok");
	return failed;
}
