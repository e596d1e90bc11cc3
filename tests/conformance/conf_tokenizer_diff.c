/*
 * conf_tokenizer_diff.c - the ASCII fast path gives exactly what ICU gives.
 *
 * Every input is tokenized twice, by a default tokenizer and by one with
 * NR_TOKENIZE_NO_ICU_FAST, and the two token lists must agree token by
 * token (offset, length, type, norm, stem, stop, cjk); the raw word-break
 * segments (whitespace and rule statuses included) must agree too.  Inputs:
 *  - every line of WordBreakTest.txt as text, alone and inside ASCII text;
 *  - every string of up to 5 characters over a small alphabet that holds
 *    each ASCII word-break class and a few non-ASCII neighbours (a
 *    combining mark, ZWJ, an ideographic space, a letter, a Han character);
 *  - seeded random mixtures of ASCII letters, digits, punctuation and
 *    spaces, with non-ASCII characters sprinkled in;
 *  - real text on the machine: every file in /usr/share/common-licenses, the Debian
 *    reference HTML in /usr/share/debian-reference/ (when installed), and
 *    the benchmark inputs in bench/data/ (when built);
 *  - in French, Italian and Catalan, whose elided articles are split off
 *    (l'été): the French and Italian Debian reference, and every string of
 *    up to 5 symbols over elided forms, apostrophes and their neighbours.
 * Documents are English unless said.
 * Prints what it compared; exit 0 when nothing differs.
 */
#define _POSIX_C_SOURCE 200809L /* opendir */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "tokenizer.h"
#include "utf8.h"

static struct nr_tokenizer *fast, *slow;
static const char *lang = "en"; /* the language of the documents compared */
static long docs, tokens, segments, diffs;
static size_t bytes;

static void show(const char *what, const char *s, size_t len, size_t at)
{
	size_t a = at > 40 ? at - 40 : 0, b = at + 40 < len ? at + 40 : len;

	printf("DIFF %s at byte %zu: \"%.*s\"\n", what, at, (int)(b - a), s + a);
}

static void compare(const char *s, size_t len)
{
	const struct nr_token *ta, *tb;
	const struct nri_segment *sa, *sb;
	struct nri_segment *copy;
	size_t na, nb, i;
	int ra, rb;

	docs++;
	bytes += len;
	ra = nr_tokenize(fast, s, len, lang, &ta, &na);
	rb = nr_tokenize(slow, s, len, lang, &tb, &nb);
	if (ra || rb) {
		printf("DIFF nr_tokenize failed: %d %d\n", ra, rb);
		diffs++;
		return;
	}
	for (i = 0; i < na && i < nb; i++) {
		const struct nr_token *x = &ta[i], *y = &tb[i];

		if (x->offset != y->offset || x->length != y->length || x->type != y->type ||
		    x->norm_len != y->norm_len || memcmp(x->norm, y->norm, x->norm_len) ||
		    x->stem_len != y->stem_len || memcmp(x->stem, y->stem, x->stem_len) ||
		    x->stop != y->stop || x->cjk != y->cjk) {
			show("token", s, len, x->offset < y->offset ? x->offset : y->offset);
			printf("  fast: %zu+%zu %s  icu: %zu+%zu %s\n", x->offset, x->length,
			       nr_token_type_name(x->type), y->offset, y->length,
			       nr_token_type_name(y->type));
			diffs++;
			return;
		}
	}
	if (na != nb) {
		show("token count", s, len, i < na ? ta[i].offset : i < nb ? tb[i].offset : 0);
		diffs++;
		return;
	}
	tokens += (long)na;

	if (nri_wordbreak_segments(slow, s, len, 0, &sb, &nb)) {
		diffs++;
		return;
	}
	copy = malloc(nb * sizeof(*copy) + 1);
	if (!copy)
		abort();
	memcpy(copy, sb, nb * sizeof(*copy));
	if (nri_wordbreak_segments(fast, s, len, 1, &sa, &na)) {
		diffs++;
		free(copy);
		return;
	}
	for (i = 0; i < na && i < nb; i++) {
		if (sa[i].start != copy[i].start || sa[i].end != copy[i].end ||
		    sa[i].status != copy[i].status) {
			show("segment", s, len, sa[i].start);
			printf("  fast: %zu..%zu/%d  icu: %zu..%zu/%d\n", sa[i].start, sa[i].end,
			       sa[i].status, copy[i].start, copy[i].end, copy[i].status);
			diffs++;
			free(copy);
			return;
		}
	}
	if (na != nb) {
		show("segment count", s, len, 0);
		diffs++;
	}
	segments += (long)na;
	free(copy);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb)
				abort();
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* WordBreakTest.txt lines as text, alone and between ASCII words. */
static void wordbreak_lines(void)
{
	FILE *f = fopen("/usr/share/unicode/auxiliary/WordBreakTest.txt", "r");
	static const char *const around[] = {"", "ab ", "x.", "12,", " ", "a\n", "it's "};
	char line[4096], text[1200];
	long before = docs;

	if (!f) {
		printf("WordBreakTest.txt not found (install unicode-data)\n");
		diffs++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *hash = strchr(line, '#');
		size_t len = 0, k;

		if (hash)
			*hash = '\0';
		while (*p) {
			if ((unsigned char)*p >= 0x80 || *p == ' ' || *p == '\t' || *p == '\n')
				p++;
			else
				len += nri_utf8_encode((uint32_t)strtoul(p, &p, 16), text + 600 + len);
		}
		if (!len)
			continue;
		for (k = 0; k < sizeof(around) / sizeof(*around); k++) {
			size_t pl = strlen(around[k]);

			memcpy(text + 600 - pl, around[k], pl);
			memcpy(text + 600 + len, " de.f", 5);
			compare(text + 600 - pl, pl + len + (k ? 5 : 0));
		}
	}
	fclose(f);
	printf("WordBreakTest.txt lines: %ld documents\n", docs - before);
}

static const char *const alphabet[] = {
	"a", "Z", "1", "_", ".", ",", ";", "'", ":", " ", "\n", "\r", "\t", "\"", "-",
	"\xcc\x88" /* U+0308 */, "\xe2\x80\x8d" /* ZWJ */, "\xe3\x80\x80" /* U+3000 */,
	"\xc3\xa9" /* e acute */, "\xe4\xb8\xad" /* Han */, "\xe2\x80\x99" /* U+2019 */,
	"@", "#", "\xe3\x81\x82" /* Hiragana */, "\xe3\x82\xa2" /* Katakana */,
	"\xe3\x80\x82" /* U+3002 */, "\xef\xbc\x8c" /* U+FF0C */, "\xef\xbc\xa1" /* U+FF21 */,
	"\xe0\xb8\x81" /* Thai */,
};
#define NALPHA (sizeof(alphabet) / sizeof(*alphabet))

/* Every string of up to 4 symbols from alphabet, and of 5 from its first 15
 * (the ASCII classes). */
static void exhaustive(void)
{
	char text[64];
	long before = docs;
	size_t n, k, idx[5];

	for (n = 1; n <= 5; n++) {
		size_t base = n <= 4 ? NALPHA : 15, total = 1;

		for (k = 0; k < n; k++)
			total *= base;
		while (total--) {
			size_t v = total, len = 0;

			for (k = 0; k < n; k++) {
				idx[k] = v % base;
				v /= base;
				memcpy(text + len, alphabet[idx[k]], strlen(alphabet[idx[k]]));
				len += strlen(alphabet[idx[k]]);
			}
			compare(text, len);
		}
	}
	printf("exhaustive short strings: %ld documents\n", docs - before);
}

/* xorshift64: a fixed seed, so a failure can be reproduced. */
static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void random_mixtures(void)
{
	static const char ascii[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789"
				    "        ..,,;;'':__\n\r\t\"-!?()/#@%$&*+=<>[]{}|~`^\\";
	static const char *const other[] = {
		"\xcc\x88", "\xe2\x80\x8d", "\xe3\x80\x80", "\xc3\xa9", "\xe4\xb8\xad\xe6\x96\x87",
		"\xe2\x80\x99", "\xc2\xa0", "\xf0\x9f\x98\x80", "\xef\xb8\x8f", "\xe0\xb8\x81\xe0\xb8\xb2",
		"\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3", "\xe2\x81\xa0", "\xef\xbc\x9a", "\xd7\x90",
		"\xe3\x82\xa2", "\xe2\x80\x82", "\xe1\x9a\x80", "\xe3\x81\x82", "\xef\xbd\xb1",
		"\xed\x95\x9c", "\xef\xbc\xa1", "\xef\xbc\x91", "\xe3\x80\x82", "\xef\xbc\x8c",
		"\xe3\x83\xbc", "\xc2\xa9", "\xc2\xad", "\xe2\x80\x8b", "\xe4\xb8\xad",
		"\xe6\x96\x87\xe5\xad\x97", "\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2",
	};
	char text[512];
	long before = docs;
	int d;

	for (d = 0; d < 200000; d++) {
		size_t len = 0, want = 1 + rnd(120);
		unsigned pother = rnd(4) == 0 ? 0 : 1 + rnd(30);

		while (len < want) {
			if (pother && rnd(100) < pother) {
				const char *o = other[rnd(sizeof(other) / sizeof(*other))];

				memcpy(text + len, o, strlen(o));
				len += strlen(o);
			} else {
				text[len++] = ascii[rnd(sizeof(ascii) - 1)];
			}
		}
		compare(text, len);
	}
	printf("random mixtures: %ld documents\n", docs - before);
}

/* French, Italian and Catalan split an elided form off a word (l'été ->
 * l' + été), the fast path and ICU each in their own place: every string
 * of up to 5 symbols over an alphabet of elided forms, apostrophes,
 * letters and their neighbours, in each of the three languages. */
static void elisions(void)
{
	static const char *const sym[] = {
		"l", "L", "qu", "dell", "d", "a", "'", "\xe2\x80\x99" /* U+2019 */,
		"\xca\xbc" /* U+02BC */, "\xc3\xa9", "1", "_", "@", ".", " ",
	};
	static const char *const langs[] = {"fr", "it", "ca"};
	char text[64];
	long before = docs;
	size_t n, k, idx[5], l, nsym = sizeof(sym) / sizeof(*sym);

	for (l = 0; l < sizeof(langs) / sizeof(*langs); l++) {
		lang = langs[l];
		for (n = 1; n <= 5; n++) {
			size_t total = 1;

			for (k = 0; k < n; k++)
				total *= nsym;
			while (total--) {
				size_t v = total, len = 0;

				for (k = 0; k < n; k++) {
					idx[k] = v % nsym;
					v /= nsym;
					memcpy(text + len, sym[idx[k]], strlen(sym[idx[k]]));
					len += strlen(sym[idx[k]]);
				}
				compare(text, len);
			}
		}
	}
	lang = "en";
	printf("elisions (fr, it, ca): %ld documents\n", docs - before);
}

static void file(const char *path)
{
	size_t len;
	char *s = read_all(path, &len);

	if (!s)
		return;
	if (nr_utf8_check(s, len, NULL) == NR_OK)
		compare(s, len);
	free(s);
}

static void folder(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	long before = docs;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), sl = strlen(suffix);

		if (e->d_name[0] == '.' || n < sl || strcmp(e->d_name + n - sl, suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		file(path);
	}
	closedir(d);
	printf("%s: %ld files\n", dir, docs - before);
}

int main(void)
{
	struct nr_tokenizer_options o = {0};

	o.data_dir = getenv("NARRATE_DATA") ? getenv("NARRATE_DATA") : "lexicons";
	if (nr_tokenizer_new(&fast, &o))
		return 1;
	o.flags = NR_TOKENIZE_NO_ICU_FAST;
	if (nr_tokenizer_new(&slow, &o))
		return 1;
	wordbreak_lines();
	exhaustive();
	random_mixtures();
	folder("/usr/share/common-licenses", "");
	folder("/usr/share/debian-reference", ".html");
	lang = "fr";
	folder("/usr/share/debian-reference", ".fr.html");
	lang = "it";
	folder("/usr/share/debian-reference", ".it.html");
	lang = "en";
	elisions();
	folder("bench/data", ".txt");
	nr_tokenizer_free(fast);
	nr_tokenizer_free(slow);
	printf("compared %ld documents, %zu bytes, %ld tokens, %ld segments: %ld differences\n",
	       docs, bytes, tokens, segments, diffs);
	return diffs || docs < 1000 ? 1 : 0;
}
