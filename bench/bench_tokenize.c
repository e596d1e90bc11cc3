/*
 * bench_tokenize.c - tokenizer throughput on a real text file.
 *
 *   bench_tokenize [--runs N] [--doc-size BYTES] [--no-fast] [--no-stem]
 *                  [--icu-only] [--data DIR] FILE LANG
 *
 * The file is cut at newlines into documents of about --doc-size bytes
 * (default 4096, the size of a long post; 0 means the whole file is one
 * document), and every document goes through nr_tokenize (UTF-8 check, word
 * break, normalisation, stopword flags, stems) with LANG given.  Each run
 * tokenizes the whole file; the median of N runs (default 7) is printed in
 * MB/s (10^6 bytes), beside a baseline measured in the same run: a plain
 * byte scan of the same buffer counting spaces and newlines.  Times are the
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that other processes on a
 * shared machine do not count; the wall-clock median is printed too.
 * --icu-only times ICU's word break iterator alone on the same documents
 * (the tokenizer's setup, UTF-16 conversion included, no fast path, no
 * tokens): the ceiling for text that ICU must segment.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"
#include "tokenizer.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	struct nr_tokenizer_options o = {0};
	struct nr_tokenizer *tok;
	const char *path = NULL, *lang = NULL;
	size_t doc = 4096, len = 0, cap = 0, r, ntok = 0, ndocs = 0;
	int runs = 7, i, k, icu_only = 0;
	double *tt, *tb, *tw, mb;
	char *buf = NULL;
	FILE *f;
	volatile size_t sink = 0;

	o.data_dir = "lexicons";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--doc-size") && i + 1 < argc)
			doc = (size_t)atol(argv[++i]);
		else if (!strcmp(argv[i], "--no-fast"))
			o.flags |= NR_TOKENIZE_NO_ICU_FAST;
		else if (!strcmp(argv[i], "--icu-only"))
			icu_only = 1;
		else if (!strcmp(argv[i], "--no-stem"))
			o.flags |= NR_TOKENIZE_NO_STEM;
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			o.data_dir = argv[++i];
		else if (!path)
			path = argv[i];
		else
			lang = argv[i];
	}
	if (!path || !lang || runs < 1) {
		fprintf(stderr, "usage: bench_tokenize [--runs N] [--doc-size B] [--no-fast] "
				"[--no-stem] [--icu-only] [--data DIR] FILE LANG\n");
		return 2;
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				return 1;
		}
		r = fread(buf + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);
	if (!doc || doc > len)
		doc = len;
	o.max_input = len + 1; /* a document is cut after a newline, so it may
				  be longer than --doc-size */
	if (nr_tokenizer_new(&tok, &o)) {
		fprintf(stderr, "bench_tokenize: nr_tokenizer_new failed\n");
		return 1;
	}
	tt = calloc((size_t)runs, sizeof(double));
	tb = calloc((size_t)runs, sizeof(double));
	tw = calloc((size_t)runs, sizeof(double));
	if (!tt || !tb || !tw)
		return 1;
	for (k = 0; k < runs; k++) {
		size_t pos = 0, spaces = 0, p;
		double w0 = clock_s(CLOCK_MONOTONIC), t0 = now();

		ntok = ndocs = 0;
		while (pos < len) {
			size_t end = pos + doc < len ? pos + doc : len;
			const struct nr_token *t;
			size_t n;
			int rc;

			while (end < len && buf[end - 1] != '\n')
				end++;
			if (icu_only) {
				const struct nri_segment *sg;

				rc = nri_wordbreak_segments(tok, buf + pos, end - pos, 0, &sg, &n);
			} else {
				rc = nr_tokenize(tok, buf + pos, end - pos, lang, &t, &n);
			}
			if (rc) {
				fprintf(stderr, "bench_tokenize: %s at %zu: %s\n", nr_strerror(rc), pos,
					nr_tokenizer_errmsg(tok));
				return 1;
			}
			ntok += n;
			ndocs++;
			pos = end;
		}
		tt[k] = now() - t0;
		tw[k] = clock_s(CLOCK_MONOTONIC) - w0;
		t0 = now();
		for (p = 0; p < len; p++)
			spaces += buf[p] == ' ' || buf[p] == '\n';
		sink += spaces;
		tb[k] = now() - t0;
	}
	mb = (double)len / 1e6;
	printf("%-22s %5.1f MB %5zu docs %8zu %s: %s %6.1f MB/s (wall %6.1f), "
	       "byte scan %6.1f MB/s, median of %d\n",
	       path, mb, ndocs, ntok, icu_only ? "segments" : "tokens",
	       icu_only ? "ICU word break" : "tokenize", mb / median(tt, runs), mb / median(tw, runs),
	       mb / median(tb, runs), runs);
	nr_tokenizer_free(tok);
	free(tt);
	free(tb);
	free(tw);
	free(buf);
	return sink == (size_t)-1;
}
