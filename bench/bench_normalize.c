/*
 * bench_normalize.c - throughput of the UTF-8 check and the normaliser on a
 * real text file (not run by `make test`; see docs/normalization.md).
 *
 *   bench_normalize [--runs N] [--doc-size BYTES] [--mode NAME] FILE
 *
 * The file is cut at newlines into documents of about --doc-size bytes
 * (default 4096).  Each run processes every document; the median of N runs
 * (default 5) is printed in MB/s (10^6 input bytes) for:
 *
 *   scan          a plain byte loop counting spaces (the ceiling)
 *   utf8_check    nr_utf8_check
 *   nfc, nfkc_cf  nr_normalize per document, without offsets
 *   nfkc_cf+offs  nr_normalize per document, with the offsets map
 *   casefold/tok  nri_casefold on each space-separated token (the
 *                 tokenizer's use), into one reused buffer
 *   utf8proc_map  utf8proc_map(NFKC_Casefold options) per document: the
 *                 whole-document baseline normalize.c avoids
 *
 * --mode NAME runs only that line (for profiling one of them).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "narrate.h"
#include "buf.h"
#include "normalize.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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

enum mode { SCAN, CHECK, NFC, CF, CF_OFFS, TOKENS, UTF8PROC, NMODES };

static const char *const mode_name[NMODES] = {"scan",         "utf8_check",   "nfc",
					      "nfkc_cf",      "nfkc_cf+offs", "casefold/tok",
					      "utf8proc_map"};

static char *text;
static size_t text_len, *doc_start, ndocs;
static volatile size_t sink;

static int run_doc(enum mode m, const char *s, size_t len, struct nri_buf *b)
{
	char *out;
	size_t out_len, *offs, i, j;
	utf8proc_uint8_t *u;
	utf8proc_ssize_t r;

	switch (m) {
	case SCAN:
		for (i = 0, j = 0; i < len; i++)
			j += s[i] == ' ';
		sink += j;
		return 0;
	case CHECK:
		return nr_utf8_check(s, len, NULL);
	case NFC:
	case CF:
		if (nr_normalize(s, len, m == NFC ? NR_NFC : NR_NFKC_CASEFOLD, &out, &out_len, NULL))
			return -1;
		sink += out_len;
		nr_free(out);
		return 0;
	case CF_OFFS:
		if (nr_normalize(s, len, NR_NFKC_CASEFOLD, &out, &out_len, &offs))
			return -1;
		sink += out_len + offs[0];
		nr_free(out);
		nr_free(offs);
		return 0;
	case TOKENS:
		for (i = 0; i < len; i = j + 1) {
			for (j = i; j < len && s[j] != ' ' && s[j] != '\n'; j++)
				;
			nri_buf_reset(b);
			if (j > i && nri_casefold(b, s + i, j - i))
				return -1;
			sink += b->len;
		}
		return 0;
	case UTF8PROC:
		r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &u,
				 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
					 UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
		if (r < 0)
			return -1;
		sink += (size_t)r;
		free(u);
		return 0;
	default:
		return -1;
	}
}

static int load(const char *path, size_t doc)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n, i, last;

	if (!f) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (text_len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			text = realloc(text, cap);
			if (!text)
				return -1;
		}
		n = fread(text + text_len, 1, cap - text_len, f);
		if (!n)
			break;
		text_len += n;
	}
	fclose(f);
	doc_start = malloc((text_len / (doc ? doc : text_len + 1) + 2) * sizeof(size_t));
	if (!doc_start)
		return -1;
	doc_start[ndocs++] = 0;
	for (i = 0, last = 0; i < text_len; i++) {
		if (text[i] == '\n' && doc && i + 1 - last >= doc) {
			doc_start[ndocs++] = i + 1;
			last = i + 1;
		}
	}
	if (doc_start[ndocs - 1] == text_len)
		ndocs--;
	doc_start[ndocs] = text_len;
	return 0;
}

int main(int argc, char **argv)
{
	size_t doc = 4096, d;
	int runs = 5, i, r;
	const char *path = NULL, *only = NULL;
	double *t;
	struct nri_buf b;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--doc-size") && i + 1 < argc)
			doc = (size_t)strtoull(argv[++i], NULL, 10);
		else
			path = argv[i];
	}
	if (!path || runs < 1) {
		fprintf(stderr, "usage: bench_normalize [--runs N] [--doc-size BYTES] [--mode NAME] "
				"FILE\n");
		return 2;
	}
	if (load(path, doc))
		return 1;
	if (nr_utf8_check(text, text_len, NULL)) {
		fprintf(stderr, "bench_normalize: '%s' is not valid UTF-8\n", path);
		return 1;
	}
	t = malloc((size_t)runs * sizeof(*t));
	if (!t)
		return 1;
	nri_buf_init(&b, 0);
	printf("%s: %.1f MB, %zu documents of ~%zu bytes, median of %d runs\n", path,
	       (double)text_len / 1e6, ndocs, doc, runs);
	for (int m = 0; m < NMODES; m++) {
		if (only && strcmp(only, mode_name[m]))
			continue;
		for (r = 0; r < runs; r++) {
			double t0 = now();

			for (d = 0; d < ndocs; d++) {
				if (run_doc((enum mode)m, text + doc_start[d],
					    doc_start[d + 1] - doc_start[d], &b)) {
					fprintf(stderr, "bench_normalize: %s failed\n",
						mode_name[m]);
					return 1;
				}
			}
			t[r] = now() - t0;
		}
		printf("  %-13s %9.1f MB/s\n", mode_name[m], (double)text_len / 1e6 / median(t, runs));
		fflush(stdout);
	}
	nri_buf_release(&b);
	free(t);
	free(doc_start);
	free(text);
	return 0;
}
