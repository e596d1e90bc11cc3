/*
 * bench_langid.c - accuracy and speed of nr_langid against libexttextcat's
 * own classifier on the same texts.
 *
 *   bench_langid [--runs N] [--no-textcat] [--misses LANG] [FILE]
 *
 * FILE (default bench/data/langid-eval.tsv, made by
 * scripts/langid-eval-data.py) holds "lang<TAB>source<TAB>text" lines.
 * Prints accuracy per language and source and per text length, then the
 * speed of each classifier: the median over N runs (default 3) of the
 * thread's CPU time (so other processes on a shared machine do not count),
 * as MB/s and microseconds per text.  libexttextcat is used as its
 * documentation shows: special_textcat_Init on Debian's fpdb.conf (160
 * languages), textcat_Classify, the first language of its answer
 * ("[en--utf8][de--utf8]" -> en; "UNKNOWN" and "SHORT" count as wrong).
 * --misses LANG lists narrate's misses for texts of LANG.  docs/langid.md
 * reports the numbers.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <textcat.h>

#include "narrate.h"

#define MAX_KEYS 256

struct text {
	char lang[8];
	char source[16];
	char *s;
	size_t len;
};

struct tally {
	char key[32];
	int n, ok[2];
};

static struct tally tallies[MAX_KEYS];
static int ntallies;

static struct tally *tally(const char *key)
{
	int i;

	for (i = 0; i < ntallies; i++)
		if (!strcmp(tallies[i].key, key))
			return &tallies[i];
	if (ntallies == MAX_KEYS)
		return &tallies[MAX_KEYS - 1];
	snprintf(tallies[ntallies].key, sizeof(tallies[0].key), "%s", key);
	return &tallies[ntallies++];
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* "[en--utf8][de--utf8]" -> "en"; anything else -> "und". */
static void textcat_lang(const char *r, char *out, size_t size)
{
	size_t k;

	if (r && r[0] == '[') {
		k = strcspn(r + 1, "-]");
		if (k < size) {
			memcpy(out, r + 1, k);
			out[k] = '\0';
			return;
		}
	}
	snprintf(out, size, "und");
}

static struct text *load(const char *path, size_t *ntexts)
{
	FILE *f = fopen(path, "r");
	struct text *texts = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	char *line = NULL;
	ssize_t len;

	if (!f) {
		perror(path);
		fprintf(stderr, "bench_langid: make it with scripts/langid-eval-data.py\n");
		exit(2);
	}
	while ((len = getline(&line, &lcap, f)) > 0) {
		char *src, *text;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		src = strchr(line, '\t');
		text = src ? strchr(src + 1, '\t') : NULL;
		if (!text)
			continue;
		*src++ = '\0';
		*text++ = '\0';
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			texts = realloc(texts, cap * sizeof(*texts));
			if (!texts)
				exit(3);
		}
		snprintf(texts[n].lang, sizeof(texts[n].lang), "%s", line);
		snprintf(texts[n].source, sizeof(texts[n].source), "%s", src);
		texts[n].len = strlen(text);
		texts[n].s = strdup(text);
		if (!texts[n].s)
			exit(3);
		n++;
	}
	free(line);
	fclose(f);
	*ntexts = n;
	return texts;
}

int main(int argc, char **argv)
{
	const char *path = "bench/data/langid-eval.tsv", *misses = NULL;
	int runs = 3, use_textcat = 1, r, i;
	struct text *texts;
	size_t ntexts, k, bytes = 0;
	void *tc = NULL;
	double times[2][64];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-textcat"))
			use_textcat = 0;
		else if (!strcmp(argv[i], "--misses") && i + 1 < argc)
			misses = argv[++i];
		else
			path = argv[i];
	}
	if (runs < 1 || runs > 64)
		runs = 3;
	texts = load(path, &ntexts);
	if (use_textcat) {
		tc = special_textcat_Init("/usr/share/libexttextcat/fpdb.conf",
					  "/usr/share/libexttextcat/");
		if (!tc)
			fprintf(stderr, "bench_langid: no libexttextcat data, skipping it\n");
	}
	{
		char warm[8];

		nr_langid("warm up", 7, warm, sizeof(warm), NULL); /* loads the tables */
	}
	for (r = 0; r < runs; r++) {
		int m;

		for (m = 0; m < 2; m++) {
			double t0 = cpu_s();

			if (m == 1 && !tc) {
				times[m][r] = 0;
				continue;
			}
			for (k = 0; k < ntexts; k++) {
				char got[16];
				struct tally *t[3];
				char key[32];
				int j;

				if (m == 0)
					nr_langid(texts[k].s, texts[k].len, got, sizeof(got), NULL);
				else
					textcat_lang(textcat_Classify(tc, texts[k].s, texts[k].len),
						     got, sizeof(got));
				if (r > 0)
					continue;
				snprintf(key, sizeof(key), "%s/%s", texts[k].lang, texts[k].source);
				t[0] = tally(key);
				t[1] = tally(texts[k].len < 40	  ? "length <40"
					     : texts[k].len < 100 ? "length 40-99"
					     : texts[k].len < 200 ? "length 100-199"
								  : "length 200+");
				t[2] = tally("all");
				for (j = 0; j < 3; j++) {
					t[j]->n += m == 0;
					t[j]->ok[m] += !strcmp(got, texts[k].lang);
				}
				if (m == 0 && misses && !strcmp(misses, texts[k].lang) &&
				    strcmp(got, texts[k].lang))
					printf("miss %s/%s -> %s: %.100s\n", texts[k].lang,
					       texts[k].source, got, texts[k].s);
			}
			times[m][r] = cpu_s() - t0;
		}
	}
	for (k = 0; k < ntexts; k++)
		bytes += texts[k].len;
	printf("%-16s %6s %8s %8s\n", "texts", "n", "narrate", "textcat");
	for (i = 0; i < ntallies; i++)
		printf("%-16s %6d %7.1f%% %7.1f%%\n", tallies[i].key, tallies[i].n,
		       100.0 * tallies[i].ok[0] / tallies[i].n,
		       tc ? 100.0 * tallies[i].ok[1] / tallies[i].n : 0.0);
	for (r = 0; r < 2; r++) {
		double med;

		if (r == 1 && !tc)
			break;
		qsort(times[r], (size_t)runs, sizeof(double), cmp_double);
		med = times[r][runs / 2];
		printf("speed %-8s %8.2f MB/s %8.1f us/text (CPU time, median of %d)\n",
		       r ? "textcat" : "narrate", (double)bytes / med / 1e6, med / (double)ntexts * 1e6,
		       runs);
	}
	if (tc)
		textcat_Done(tc);
	for (k = 0; k < ntexts; k++)
		free(texts[k].s);
	free(texts);
	return 0;
}
