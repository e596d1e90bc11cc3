/*
 * conf_wordbreak.c - the tokenizer's word break against Unicode's own test
 * cases: /usr/share/unicode/auxiliary/WordBreakTest.txt (Debian
 * unicode-data, Unicode 15.0, the version ICU 72 implements), read at test
 * time.
 *
 * 1. ICU's break iterator, set up as the tokenizer sets it up (through
 *    nri_wordbreak_segments with the fast path off), must give every
 *    boundary the file lists, except on the lines named in known_fail[]:
 *    ICU's root rules take ':' (and its small and fullwidth forms U+FE55,
 *    U+FF1A) out of MidLetter, so "a:b" breaks around the colon where
 *    UAX #29 WB6/WB7 say it should not.  Exactly those lines must fail.
 * 2. On every line made of ASCII only, the tokenizer's fast path must give
 *    the same segments and rule statuses as ICU.
 * Exit 0 when both hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "tokenizer.h"
#include "utf8.h"

#define TEST_FILE "/usr/share/unicode/auxiliary/WordBreakTest.txt"

/* Lines of WordBreakTest.txt (Unicode 15.0.0) where ICU 72 root differs
 * from UAX #29, all because of ICU's colon tailoring. */
static struct {
	int line;
	const char *why;
	int seen;
} known_fail[] = {
	{1253, "a:A: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1254, "a:<U+0308>A: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1267, "a:<alef>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1268, "a:<U+0308><alef>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1283, "a:a<U+2060>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1284, "a:<U+0308>a<U+2060>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1285, "a:a:: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1286, "a:<U+0308>a:: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1287, "a:a': WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1288, "a:<U+0308>a': WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1289, "a:a'<U+2060>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1290, "a:<U+0308>a'<U+2060>: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1291, "a:a,: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1292, "a:<U+0308>a,: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{1712, "A:A: WB6/WB7 keep the colon inside, ICU breaks around it", 0},
	{0, NULL, 0},
};

static int is_known(int line)
{
	size_t i;

	for (i = 0; known_fail[i].why; i++) {
		if (known_fail[i].line == line) {
			known_fail[i].seen = 1;
			return 1;
		}
	}
	return 0;
}

static int has_colon(const unsigned *cps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cps[i] == 0x3A || cps[i] == 0xFE55 || cps[i] == 0xFF1A)
			return 1;
	return 0;
}

int main(void)
{
	FILE *f = fopen(TEST_FILE, "r");
	struct nr_tokenizer *tok;
	char line[4096];
	int lineno = 0, cases = 0, pass = 0, known = 0, unexpected = 0, ascii = 0,
	    ascii_bad = 0;
	size_t i;

	if (!f) {
		fprintf(stderr, "conf_wordbreak: cannot open %s (install unicode-data)\n", TEST_FILE);
		return 1;
	}
	if (nr_tokenizer_new(&tok, NULL)) {
		fprintf(stderr, "conf_wordbreak: nr_tokenizer_new failed\n");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char text[1024], *p, *hash;
		unsigned cps[256];
		size_t want[256], nwant = 0, len = 0, ncp = 0, nsegs, nsegs2;
		const struct nri_segment *segs, *segs2;
		struct nri_segment copy[256];
		int ok, is_ascii = 1;

		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			continue;
		/* "÷ 0041 × 0308 ÷ ..." : U+00F7 is C3 B7, U+00D7 is C3 97 */
		while (*p) {
			if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0xB7) {
				if (len)
					want[nwant++] = len;
				p += 2;
			} else if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) {
				p += 2;
			} else if (*p == ' ' || *p == '\t' || *p == '\n') {
				p++;
			} else {
				unsigned long cp = strtoul(p, &p, 16);

				cps[ncp++] = (unsigned)cp;
				if (cp >= 0x80)
					is_ascii = 0;
				len += nri_utf8_encode((uint32_t)cp, text + len);
			}
		}
		cases++;
		if (nri_wordbreak_segments(tok, text, len, 0, &segs, &nsegs)) {
			fprintf(stderr, "line %d: segmentation failed\n", lineno);
			return 1;
		}
		ok = nsegs == nwant;
		for (i = 0; ok && i < nsegs; i++)
			ok = segs[i].end == want[i];
		if (ok) {
			pass++;
		} else if (is_known(lineno) && has_colon(cps, ncp)) {
			known++;
		} else {
			unexpected++;
			printf("line %d: ICU differs from WordBreakTest.txt\n", lineno);
		}
		if (!is_ascii)
			continue;
		/* the fast path against ICU on the same text */
		ascii++;
		memcpy(copy, segs, nsegs * sizeof(*segs));
		if (nri_wordbreak_segments(tok, text, len, 1, &segs2, &nsegs2)) {
			fprintf(stderr, "line %d: fast segmentation failed\n", lineno);
			return 1;
		}
		ok = nsegs2 == nsegs;
		for (i = 0; ok && i < nsegs; i++)
			ok = segs2[i].start == copy[i].start && segs2[i].end == copy[i].end &&
			     segs2[i].status == copy[i].status;
		if (!ok) {
			ascii_bad++;
			printf("line %d: the ASCII fast path differs from ICU\n", lineno);
		}
	}
	fclose(f);
	for (i = 0; known_fail[i].why; i++) {
		/* every named exception must still be an exception */
		if (!known_fail[i].seen)
			printf("line %d (%s) no longer fails: remove it from known_fail\n",
			       known_fail[i].line, known_fail[i].why);
		else
			printf("known: line %d %s\n", known_fail[i].line, known_fail[i].why);
	}
	nr_tokenizer_free(tok);
	printf("WordBreakTest.txt: %d cases, %d pass, %d known ICU colon differences "
	       "(expected %zu), %d unexpected\n",
	       cases, pass, known, i, unexpected);
	printf("ASCII fast path: %d ASCII cases, %d differ from ICU\n", ascii, ascii_bad);
	return unexpected || ascii_bad || (size_t)known != i || cases < 1000 ? 1 : 0;
}
