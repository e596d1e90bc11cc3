/*
 * bench_corpus.c - the corpus reader alone on JSONL: nr_corpus_next over a
 * file, every event taken, nothing done with the documents.
 *
 *   bench_corpus [--runs N] [--mode all|scan|jansson|raw] FILE...
 *
 * Modes: scan - the reader as shipped (lib/jsonscan.c first, jansson for
 * what it refuses); jansson - the same reader with the scanner off
 * (nri_corpus_set_scan), i.e. every line through json_loadb as before the
 * scanner; raw - the file read in 64 KiB blocks and its newlines counted
 * (memchr), the floor for any reader.  Prints MB/s (10^6 bytes of the file
 * per second) as the median of N runs (default 5) in thread CPU time, the
 * wall-clock median beside it (CPU time is the figure: the machine is
 * shared), and the documents and rejects seen.  For instruction counts run
 * one mode once under callgrind, collecting only read_file:
 *   valgrind --tool=callgrind --toggle-collect=read_file \
 *       build/bench/bench_corpus --runs 1 --mode scan FILE
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "narrate.h"
#include "corpus.h"

static double now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct counts {
	unsigned long docs, rejects, lines;
	size_t text_bytes;
};

/* One pass over the file in the given mode; kept out of line so that
 * callgrind can collect this function alone. */
__attribute__((noinline)) static int read_file(const char *path, int mode, struct counts *n)
{
	memset(n, 0, sizeof(*n));
	if (mode == 2) {
		static char buf[65536];
		int fd = open(path, O_RDONLY);
		ssize_t got;

		if (fd < 0)
			return -1;
		while ((got = read(fd, buf, sizeof(buf))) > 0) {
			const char *p = buf, *end = buf + got;

			while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
				n->lines++;
				p++;
			}
		}
		close(fd);
		return got < 0 ? -1 : 0;
	}
	struct nr_corpus *c;
	const struct nr_doc *d;
	int ev;

	if (nr_corpus_new(&c, NULL) != NR_OK)
		return -1;
	nri_corpus_set_scan(c, mode == 0);
	if (nr_corpus_add_path(c, path) != NR_OK) {
		fprintf(stderr, "bench_corpus: %s\n", nr_corpus_errmsg(c));
		nr_corpus_free(c);
		return -1;
	}
	while ((ev = nr_corpus_next(c, &d)) > 0) {
		if (ev == NR_CORPUS_DOC) {
			n->docs++;
			n->text_bytes += d->text_len;
		} else {
			n->rejects++;
		}
	}
	nr_corpus_free(c);
	return ev == NR_CORPUS_END ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char *const mode_names[] = { "scan", "jansson", "raw" };
	int runs = 5, first = 0, last = 2, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
			const char *m = argv[++i];

			if (!strcmp(m, "all")) {
				first = 0, last = 2;
			} else {
				first = -1;
				for (int k = 0; k < 3; k++)
					if (!strcmp(m, mode_names[k]))
						first = last = k;
				if (first < 0) {
					fprintf(stderr, "bench_corpus: unknown mode '%s'\n", m);
					return 2;
				}
			}
		} else {
			fprintf(stderr, "usage: bench_corpus [--runs N] [--mode "
					"all|scan|jansson|raw] FILE...\n");
			return 2;
		}
	}
	if (i >= argc || runs < 1 || runs > 100) {
		fprintf(stderr, "usage: bench_corpus [--runs N] [--mode all|scan|jansson|raw] "
				"FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct stat st;
		double mb;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "bench_corpus: cannot open '%s'\n", argv[i]);
			return 1;
		}
		mb = (double)st.st_size / 1e6;
		for (int m = first; m <= last; m++) {
			double cpu[100], wall[100];
			struct counts n;

			for (int r = 0; r < runs; r++) {
				double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);

				if (read_file(argv[i], m, &n) != 0) {
					fprintf(stderr, "bench_corpus: reading '%s' failed\n",
						argv[i]);
					return 1;
				}
				cpu[r] = now(CLOCK_THREAD_CPUTIME_ID) - c0;
				wall[r] = now(CLOCK_MONOTONIC) - w0;
			}
			printf("%-8s %s: %8.1f MB/s (wall %8.1f), %.1f MB, ", mode_names[m],
			       argv[i], mb / median(cpu, runs), mb / median(wall, runs), mb);
			if (m == 2)
				printf("%lu lines", n.lines);
			else
				printf("%lu documents, %lu rejects, %.1f MB of text", n.docs,
				       n.rejects, (double)n.text_bytes / 1e6);
			printf(", median of %d\n", runs);
		}
	}
	return 0;
}
