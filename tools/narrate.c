/*
 * narrate.c - the command dispatcher (git's run_builtin): look the command up
 * in a sorted table, run it, then flush stdout and fail on a write error.
 */
/* readlink and PATH_MAX are POSIX, hidden by -std=c11 without this. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "narrate.h"
#include "cmd.h"

#ifndef NR_DATADIR
#define NR_DATADIR "/usr/local/share/narrate"
#endif

/* Sorted by name. */
static const struct nr_command commands[] = {
	{"analyze", cmd_analyze,
	 "measure how cities are talked about in a corpus, to a report folder"},
	{"homogeneity", cmd_homogeneity,
	 "how alike cities' content is: near-duplicates, cliches, distinctiveness"},
	{"lexicon", cmd_lexicon,
	 "check lexicons, import LIWC/YAML dictionaries, draft one for a city"},
	{"match", cmd_match, "find lexicon entries (cities, topics, frames, tone) in a text"},
	{"report", cmd_report, "draw a report folder as one self-contained report.html"},
	{"score", cmd_score, "rank cities by a composite index, with rank intervals"},
	{"tokenize", cmd_tokenize, "split text into typed, normalised, stemmed tokens"},
};

void nr_tool_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("narrate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Write base/rel to dir; 1 if it fits and is a directory.  A path too long
 * for dir is skipped, not truncated. */
static int join_dir(char *dir, size_t size, const char *base, const char *rel)
{
	if ((size_t)snprintf(dir, size, "%s/%s", base, rel) >= size)
		return 0;
	return is_dir(dir);
}

const char *nr_tool_data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("NARRATE_DATA");
	char exe[PATH_MAX];
	ssize_t n;

	if (dir[0])
		return dir;
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	/* Build tree: the binary is build/narrate, lexicons/ is beside build/. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (join_dir(dir, sizeof(dir), exe, "../lexicons"))
				return dir;
			/* An installed tree moved or installed with another PREFIX
			 * than the one compiled in: PREFIX/bin/../share/narrate. */
			if (join_dir(dir, sizeof(dir), exe, "../share/narrate"))
				return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", NR_DATADIR);
	return dir;
}

char *nr_tool_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	struct stat st;

	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else {
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			nr_tool_error("cannot read '%s': Is a directory", path);
			return NULL;
		}
		f = fopen(path, "rb");
		if (!f) {
			nr_tool_error("cannot open '%s': %s", path, strerror(errno));
			return NULL;
		}
	}
	for (;;) {
		size_t got;

		if (cap - n < 65536) {
			size_t ncap = cap ? cap * 2 : 1 << 20;
			char *p;

			if (ncap > max + 65536)
				ncap = max + 65536;
			if (ncap <= cap) {
				nr_tool_error("'%s' is larger than %zu bytes (see --max-bytes)",
					      path, max);
				goto fail;
			}
			p = realloc(buf, ncap + 1);
			if (!p) {
				nr_tool_error("out of memory reading '%s'", path);
				goto fail;
			}
			buf = p;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			nr_tool_error("'%s' is larger than %zu bytes (see --max-bytes)", path, max);
			goto fail;
		}
		if (got == 0) {
			if (ferror(f)) {
				nr_tool_error("cannot read '%s': %s", path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf) {
			nr_tool_error("out of memory reading '%s'", path);
			goto fail;
		}
	}
	buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: narrate [--version] [--help] COMMAND [ARGS]\n\n"
		     "Measures how cities are talked about in multilingual text.\n\n"
		     "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'narrate COMMAND --help' for a command's options.\n"
		     "Documentation: docs/ (installed as man narrate).\n");
}

static int cmp_command(const void *key, const void *elem)
{
	return strcmp(key, ((const struct nr_command *)elem)->name);
}

int main(int argc, char **argv)
{
	const struct nr_command *c;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return NR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("narrate %s\n", nr_version());
		return 0;
	}
	c = bsearch(argv[1], commands, sizeof(commands) / sizeof(commands[0]), sizeof(commands[0]),
		    cmp_command);
	if (!c) {
		nr_tool_error("'%s' is not a narrate command; see 'narrate --help'", argv[1]);
		return NR_EXIT_USAGE;
	}
	rc = c->run(argc - 1, argv + 1);
	/* errno is only meaningful if this fflush is what failed; an earlier
	 * failed write may have left the stream in error with nothing to flush. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno)
			nr_tool_error("write error on standard output: %s", strerror(errno));
		else
			nr_tool_error("write error on standard output");
		return NR_EXIT_INTERNAL;
	}
	return rc;
}
