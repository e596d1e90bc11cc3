/*
 * conf_snowball.c - every word of Snowball's reference vocabularies through
 * nr_stemmer_stem, against the reference stems.
 *
 * The vocabularies come from Debian's snowball-data package (read at test
 * time, never copied): DIR/<algorithm>/voc.txt and output.txt, either of
 * them possibly gzipped.  DIR is $NR_SNOWBALL_DATA or /usr/share/snowball/
 * data.  Each word is stemmed twice, so the second answer comes from the
 * cache and must be the same pointer and bytes.  Exit 0 only if every
 * algorithm libstemmer ships was found and matched in full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "narrate.h"
#include "stemmer.h"

#define LINE_MAX_BYTES 4096

/* gzopen reads plain files too; try the plain name, then ".gz". */
static gzFile open_data(const char *dir, const char *alg, const char *name)
{
	char path[1024];
	gzFile f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, alg, name);
	f = gzopen(path, "rb");
	if (f)
		return f;
	snprintf(path, sizeof(path), "%s/%s/%s.gz", dir, alg, name);
	return gzopen(path, "rb");
}

/* One line without its end of line; 0 at end of file, -1 if too long. */
static int read_line(gzFile f, char *buf, size_t *len)
{
	size_t n;

	if (!gzgets(f, buf, LINE_MAX_BYTES))
		return 0;
	n = strlen(buf);
	if (n && buf[n - 1] != '\n' && !gzeof(f))
		return -1;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*len = n;
	return 1;
}

/* Stem one word, clearing the cache when it is full (arabic alone has
 * nine million words); returns an nr_err. */
static int stem(struct nr_stemmer *st, const char *w, size_t len,
		const char **s, size_t *slen)
{
	int rc = nr_stemmer_stem(st, w, len, s, slen);

	if (rc == NR_ELIMIT) {
		nri_stemmer_clear(st);
		rc = nr_stemmer_stem(st, w, len, s, slen);
	}
	return rc;
}

/* Returns the number of mismatches, or -1 when the data is unreadable. */
static long check_algorithm(const char *dir, const char *alg, long *nwords)
{
	static char word[LINE_MAX_BYTES], want[LINE_MAX_BYTES];
	gzFile voc = open_data(dir, alg, "voc.txt");
	gzFile out = open_data(dir, alg, "output.txt");
	struct nr_stemmer *st = NULL;
	long bad = 0, line = 0;
	int rc;

	*nwords = 0;
	if (!voc || !out) {
		fprintf(stderr, "conf_snowball: no vocabulary for '%s' in %s\n", alg, dir);
		bad = -1;
		goto done;
	}
	rc = nr_stemmer_new(&st, alg);
	if (rc) {
		fprintf(stderr, "conf_snowball: cannot create stemmer '%s': %s\n", alg,
			nr_strerror(rc));
		bad = -1;
		goto done;
	}
	for (;;) {
		size_t wlen, xlen, s1len, s2len;
		const char *s1, *s2;
		int a = read_line(voc, word, &wlen);
		int b = read_line(out, want, &xlen);

		line++;
		if (a < 0 || b < 0) {
			fprintf(stderr, "conf_snowball: %s line %ld too long\n", alg, line);
			bad = -1;
			goto done;
		}
		if (!a || !b) {
			if (a != b) {
				fprintf(stderr, "conf_snowball: %s: voc.txt and output.txt differ "
					"in length at line %ld\n", alg, line);
				bad = -1;
			}
			break;
		}
		(*nwords)++;
		rc = stem(st, word, wlen, &s1, &s1len);
		if (!rc)
			rc = nr_stemmer_stem(st, word, wlen, &s2, &s2len);
		if (rc) {
			fprintf(stderr, "conf_snowball: %s line %ld '%s': %s\n", alg, line, word,
				nr_strerror(rc));
			bad = -1;
			goto done;
		}
		if (s1 != s2 || s1len != s2len) {
			if (bad++ < 5)
				fprintf(stderr, "conf_snowball: %s line %ld '%s': cache returned "
					"another stem\n", alg, line, word);
		} else if (s1len != xlen || memcmp(s1, want, xlen)) {
			if (bad++ < 5)
				fprintf(stderr, "conf_snowball: %s line %ld '%s': got '%.*s', "
					"want '%s'\n", alg, line, word, (int)s1len, s1, want);
		}
	}
done:
	nr_stemmer_free(st);
	if (voc)
		gzclose(voc);
	if (out)
		gzclose(out);
	return bad;
}

int main(void)
{
	const char *dir = getenv("NR_SNOWBALL_DATA");
	const char *const *algs = nr_stemmer_algorithms();
	long total = 0;
	int nalg = 0, failed = 0;

	if (!dir || !*dir)
		dir = "/usr/share/snowball/data";
	for (; *algs; algs++) {
		long n, bad = check_algorithm(dir, *algs, &n);

		nalg++;
		total += n;
		if (bad) {
			failed++;
			if (bad > 0)
				printf("%-12s %8ld words  %ld MISMATCHES\n", *algs, n, bad);
			else
				printf("%-12s FAILED: data missing or unreadable "
				       "(install Debian snowball-data)\n", *algs);
		} else {
			printf("%-12s %8ld words  ok\n", *algs, n);
		}
	}
	if (nalg == 0) {
		printf("conf_snowball: libstemmer lists no algorithm\n");
		return 1;
	}
	printf("%d algorithms, %ld words, %d failed\n", nalg, total, failed);
	return failed ? 1 : 0;
}
