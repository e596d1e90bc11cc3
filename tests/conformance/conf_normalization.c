/*
 * conf_normalization.c - nr_normalize against the Unicode Character
 * Database's own tests, read from the system at test time (Debian package
 * unicode-data, Unicode 15.0; never copied into the repository):
 *
 *  1. NormalizationTest.txt (or .txt.bz2, through "bzip2 -dc"): the five
 *     column invariants of its header for NFC, NFD, NFKC and NFKD, and
 *     Part 1's rule that every code point not listed there is unchanged by
 *     all four forms (checked for every code point, not a sample);
 *  2. DerivedNormalizationProps.txt: NFKC_CASEFOLD of every code point
 *     against the NFKC_CF property, and of every NormalizationTest string
 *     against toNFKC_Casefold (Unicode 15, section 3.13: map each
 *     character by NFKC_CF, then NFC);
 *  3. the same file's NFC_QC=Maybe list against normalize.c's assumption
 *     that a class-0 composition "second" is a mark or a Hangul V/T jamo
 *     (general category from UnicodeData.txt);
 *  4. for every call, the offsets map: out_len + 1 entries, non-decreasing,
 *     each at the start of an input character, the last equal to len.
 *
 * $NR_UNICODE_DIR overrides /usr/share/unicode.  Prints counts; exits 1 on
 * any failure, including a missing file (a skipped test is a failure here).
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"

#define MAXCP 64
#define LINE_MAX_BYTES 4096
#define NCP 0x110000

static const char *const form_name[] = {"NFC", "NFD", "NFKC", "NFKD", "NFKC_CF"};

static long checks, failures, max_report = 40;
static const char *udir = "/usr/share/unicode";

struct str {
	char s[MAXCP * 4 * 18 + 1];
	size_t len;
};

static size_t enc(unsigned long cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Parse space-separated hex code points from p up to ';' or end; returns
 * the position after the field or NULL. */
static const char *parse_field(const char *p, struct str *out)
{
	char *end;

	out->len = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == ';' || *p == '#' || *p == '\0' || *p == '\n')
			break;
		unsigned long cp = strtoul(p, &end, 16);
		if (end == p || cp >= NCP || out->len + 4 >= sizeof(out->s))
			return NULL;
		out->len += enc(cp, out->s + out->len);
		p = end;
	}
	out->s[out->len] = '\0';
	return *p == ';' ? p + 1 : p;
}

static void hexdump(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02X", (unsigned char)s[i]);
}

/* Offsets-map invariants for one call. */
static int offsets_ok(const char *in, size_t len, size_t out_len, const size_t *off)
{
	size_t i;

	if (off[out_len] != len)
		return 0;
	for (i = 0; i < out_len; i++) {
		if (off[i] >= len || (i && off[i] < off[i - 1]))
			return 0;
		if (((unsigned char)in[off[i]] & 0xC0) == 0x80)
			return 0;
	}
	return 1;
}

/* nr_normalize(in) must equal want; report and count otherwise. */
static void expect(const char *what, long line, int form, const struct str *in,
		   const char *want, size_t want_len)
{
	char *out = NULL;
	size_t out_len = 0, *off = NULL;
	int rc;

	checks++;
	rc = nr_normalize(in->s, in->len, (enum nr_norm_form)form, &out, &out_len, &off);
	if (rc != NR_OK || out_len != want_len || memcmp(out, want, want_len) ||
	    !offsets_ok(in->s, in->len, out_len, off)) {
		if (++failures <= max_report) {
			printf("FAIL %s line %ld %s(", what, line, form_name[form]);
			hexdump(in->s, in->len);
			printf(") rc=%d got ", rc);
			if (out)
				hexdump(out, out_len);
			printf(" want ");
			hexdump(want, want_len);
			printf("%s\n", rc == NR_OK && out && !offsets_ok(in->s, in->len, out_len, off)
					       ? " (bad offsets)"
					       : "");
		}
	}
	nr_free(out);
	nr_free(off);
}

static FILE *open_unicode(const char *name, int *piped)
{
	char path[1024], cmd[1100];
	FILE *f;

	*piped = 0;
	snprintf(path, sizeof(path), "%s/%s", udir, name);
	f = fopen(path, "r");
	if (f)
		return f;
	snprintf(path, sizeof(path), "%s/%s.bz2", udir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fclose(f);
	snprintf(cmd, sizeof(cmd), "bzip2 -dc '%s'", path);
	*piped = 1;
	return popen(cmd, "r");
}

static int close_unicode(FILE *f, int piped)
{
	return piped ? pclose(f) : fclose(f);
}

/* NFKC_CF of every code point: mapping[cp] (an offset into pool) or -1 for
 * "the code point itself".  */
static long *cf_off;
static char *cf_pool;
static size_t cf_pool_len;

static int load_nfkc_cf(void)
{
	char line[LINE_MAX_BYTES];
	struct str val;
	FILE *f;
	int piped;
	long n = 0;

	f = open_unicode("DerivedNormalizationProps.txt", &piped);
	if (!f)
		return -1;
	cf_off = malloc(NCP * sizeof(*cf_off));
	cf_pool = malloc(1 << 20);
	if (!cf_off || !cf_pool)
		return -1;
	for (long c = 0; c < NCP; c++)
		cf_off[c] = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char *p = line, *end;

		if (*p == '#' || *p == '\n')
			continue;
		a = strtoul(p, &end, 16);
		if (end == p)
			continue;
		b = a;
		if (end[0] == '.' && end[1] == '.')
			b = strtoul(end + 2, &end, 16);
		while (*end == ' ')
			end++;
		if (*end != ';' || strncmp(end + 1, " NFKC_CF;", 9) != 0)
			continue;
		if (!parse_field(end + 10, &val) || b >= NCP ||
		    cf_pool_len + val.len + 1 > (1 << 20))
			return -1;
		memcpy(cf_pool + cf_pool_len, val.s, val.len + 1);
		for (unsigned long c = a; c <= b; c++)
			cf_off[c] = (long)cf_pool_len;
		cf_pool_len += val.len + 1;
		n++;
	}
	close_unicode(f, piped);
	printf("DerivedNormalizationProps.txt: %ld NFKC_CF entries\n", n);
	return n > 0 ? 0 : -1;
}

/* The NFKC_CF mapping of the code point encoded at s[*i]. */
static size_t cf_map(const char *s, size_t *i, char *o)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	unsigned long cp;
	size_t n;

	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if (p[0] < 0xE0) {
		cp = ((p[0] & 0x1Ful) << 6) | (p[1] & 0x3F);
		n = 2;
	} else if (p[0] < 0xF0) {
		cp = ((p[0] & 0x0Ful) << 12) | ((p[1] & 0x3Ful) << 6) | (p[2] & 0x3F);
		n = 3;
	} else {
		cp = ((p[0] & 0x07ul) << 18) | ((p[1] & 0x3Ful) << 12) | ((p[2] & 0x3Ful) << 6) |
		     (p[3] & 0x3F);
		n = 4;
	}
	*i += n;
	if (cf_off[cp] < 0) {
		memcpy(o, p, n);
		return n;
	}
	n = strlen(cf_pool + cf_off[cp]);
	memcpy(o, cf_pool + cf_off[cp], n);
	return n;
}

/* toNFKC_Casefold(X) by the standard's definition, with nr_normalize's
 * NFC (itself checked above) as the final step. */
static int reference_cf(const struct str *x, struct str *want)
{
	struct str mapped;
	char *out;
	size_t i = 0, out_len;

	mapped.len = 0;
	while (i < x->len)
		mapped.len += cf_map(x->s, &i, mapped.s + mapped.len);
	if (nr_normalize(mapped.s, mapped.len, NR_NFC, &out, &out_len, NULL) != NR_OK)
		return -1;
	if (out_len >= sizeof(want->s)) {
		nr_free(out);
		return -1;
	}
	memcpy(want->s, out, out_len);
	want->len = out_len;
	nr_free(out);
	return 0;
}

static unsigned char *listed;

static int run_normalization_test(void)
{
	char line[LINE_MAX_BYTES];
	struct str c[5], want;
	FILE *f;
	int piped, part = -1;
	long lineno = 0, cases = 0;

	f = open_unicode("NormalizationTest.txt", &piped);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;
		int k;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] == '@') {
			if (strncmp(line, "@Part", 5) == 0)
				part = atoi(line + 5);
			continue;
		}
		for (k = 0; k < 5; k++) {
			p = parse_field(p, &c[k]);
			if (!p) {
				printf("FAIL cannot parse NormalizationTest.txt line %ld\n", lineno);
				failures++;
				break;
			}
		}
		if (k < 5)
			continue;
		cases++;
		if (part == 1) {
			unsigned long cp = strtoul(line, NULL, 16);

			if (cp < NCP)
				listed[cp] = 1;
		}
		/* NFC: c2 == toNFC(c1) == toNFC(c2) == toNFC(c3); c4 == toNFC(c4) == toNFC(c5) */
		for (k = 0; k < 3; k++)
			expect("NormalizationTest", lineno, NR_NFC, &c[k], c[1].s, c[1].len);
		for (k = 3; k < 5; k++)
			expect("NormalizationTest", lineno, NR_NFC, &c[k], c[3].s, c[3].len);
		/* NFD: c3 == toNFD(c1..c3); c5 == toNFD(c4) == toNFD(c5) */
		for (k = 0; k < 3; k++)
			expect("NormalizationTest", lineno, NR_NFD, &c[k], c[2].s, c[2].len);
		for (k = 3; k < 5; k++)
			expect("NormalizationTest", lineno, NR_NFD, &c[k], c[4].s, c[4].len);
		/* NFKC: c4 == toNFKC(c1..c5); NFKD: c5 == toNFKD(c1..c5) */
		for (k = 0; k < 5; k++) {
			expect("NormalizationTest", lineno, NR_NFKC, &c[k], c[3].s, c[3].len);
			expect("NormalizationTest", lineno, NR_NFKD, &c[k], c[4].s, c[4].len);
		}
		/* NFKC_Casefold of every column, by the definition. */
		if (cf_off) {
			for (k = 0; k < 5; k++) {
				if (reference_cf(&c[k], &want)) {
					failures++;
					continue;
				}
				expect("NormalizationTest/toNFKC_Casefold", lineno,
				       NR_NFKC_CASEFOLD, &c[k], want.s, want.len);
			}
		}
	}
	if (close_unicode(f, piped) != 0 || cases == 0) {
		printf("FAIL reading NormalizationTest.txt (%ld cases)\n", cases);
		failures++;
	}
	printf("NormalizationTest.txt: %ld test lines\n", cases);
	return 0;
}

/* Part 1's rule: X == toNFC(X) == toNFD(X) == toNFKC(X) == toNFKD(X) for
 * every code point not listed (all of them, assigned or not). */
static void run_unlisted(void)
{
	struct str x;
	long cp, n = 0;
	int form;

	for (cp = 0; cp < NCP; cp++) {
		if ((cp >= 0xD800 && cp <= 0xDFFF) || listed[cp])
			continue;
		x.len = enc((unsigned long)cp, x.s);
		for (form = NR_NFC; form <= NR_NFKD; form++)
			expect("unlisted", cp, form, &x, x.s, x.len);
		n++;
	}
	printf("unlisted code points unchanged: %ld checked\n", n);
}

/* NFKC_CASEFOLD of each code point against its NFKC_CF value. */
static void run_nfkc_cf(void)
{
	struct str x;
	long cp, n = 0;

	for (cp = 0; cp < NCP; cp++) {
		const char *want;
		size_t want_len;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		x.len = enc((unsigned long)cp, x.s);
		if (cf_off[cp] < 0) {
			want = x.s;
			want_len = x.len;
		} else {
			want = cf_pool + cf_off[cp];
			want_len = strlen(want);
		}
		expect("NFKC_CF", cp, NR_NFKC_CASEFOLD, &x, want, want_len);
		n++;
	}
	printf("NFKC_CF property: %ld code points checked\n", n);
}

/* normalize.c treats a class-0 code point as a possible composition second
 * only if it is a mark or a Hangul V/T jamo: every NFC_QC=Maybe code point
 * with class 0 must be one of those. */
static void run_maybe_list(void)
{
	char line[LINE_MAX_BYTES];
	static char cat[NCP][3];
	FILE *f;
	int piped;
	long n = 0;

	f = open_unicode("UnicodeData.txt", &piped);
	if (!f) {
		printf("FAIL cannot open %s/UnicodeData.txt\n", udir);
		failures++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p1 = strchr(line, ';'), *p2;
		unsigned long cp = strtoul(line, NULL, 16);

		if (!p1 || cp >= NCP)
			continue;
		p2 = strchr(p1 + 1, ';');
		if (p2 && p2[1] && p2[2])
			memcpy(cat[cp], p2 + 1, 2);
	}
	close_unicode(f, piped);
	f = open_unicode("DerivedNormalizationProps.txt", &piped);
	if (!f) {
		failures++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b, cp;
		char *end;

		a = strtoul(line, &end, 16);
		if (end == line || line[0] == '#')
			continue;
		b = a;
		if (end[0] == '.' && end[1] == '.')
			b = strtoul(end + 2, &end, 16);
		if (!strstr(end, "; NFC_QC; M") && !strstr(end, "; NFKC_QC; M"))
			continue;
		for (cp = a; cp <= b && cp < NCP; cp++) {
			n++;
			checks++;
			if (cat[cp][0] == 'M' || (cp >= 0x1161 && cp <= 0x1175) ||
			    (cp >= 0x11A8 && cp <= 0x11C2))
				continue;
			printf("FAIL U+%04lX is NFC_QC=Maybe but no mark or Hangul V/T jamo\n", cp);
			failures++;
		}
	}
	close_unicode(f, piped);
	printf("NFC_QC/NFKC_QC=Maybe code points checked: %ld\n", n);
}

int main(void)
{
	const char *env = getenv("NR_UNICODE_DIR");

	if (env && *env)
		udir = env;
	if (getenv("NR_CONF_ALL"))
		max_report = LONG_MAX;
	listed = calloc(NCP, 1);
	if (!listed)
		return 1;
	if (load_nfkc_cf()) {
		printf("FAIL (skip counts as failure): cannot read %s/DerivedNormalizationProps.txt;"
		       " install Debian package unicode-data\n",
		       udir);
		failures++;
		free(cf_off);
		cf_off = NULL;
	}
	if (run_normalization_test()) {
		printf("FAIL (skip counts as failure): neither %s/NormalizationTest.txt nor "
		       "NormalizationTest.txt.bz2 found; install Debian package unicode-data\n",
		       udir);
		return 1;
	}
	run_unlisted();
	if (cf_off)
		run_nfkc_cf();
	run_maybe_list();
	printf("conf_normalization: %ld checks, %ld failures\n", checks, failures);
	free(listed);
	free(cf_off);
	free(cf_pool);
	return failures ? 1 : 0;
}
