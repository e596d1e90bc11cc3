/*
 * analysis_run.c - what `narrate analyze` and `narrate homogeneity` share:
 * open the corpus, set up the analysis, run it with Ctrl-C and a progress
 * line handled, and write the report folder; every failure is reported
 * here, naming the file, and OUT is left unchanged.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "narrate.h"
#include "cmd.h"

static struct nr_analysis *running;

static void on_sigint(int sig)
{
	(void)sig;
	nr_analysis_cancel(running);
}

struct progress {
	int tty;
	time_t last;
	unsigned long long rejects;
};

static void on_event(void *ctx, const struct nr_analysis_event *e)
{
	struct progress *p = ctx;
	time_t now;

	if (e->kind == NR_EVENT_REJECT)
		p->rejects++;
	if (e->kind != NR_EVENT_PROGRESS || !p->tty)
		return;
	now = time(NULL);
	if (now != p->last) {
		p->last = now;
		fprintf(stderr, "\rnarrate: %llu documents, %.1f MB read, %llu rejected",
			(unsigned long long)e->docs_read, (double)e->bytes_read / 1e6, p->rejects);
		fflush(stderr);
	}
}

void nr_tool_command_line(int argc, char **argv, char *buf, size_t size)
{
	size_t cl = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc && cl + 1 < size; i++) {
		int w = snprintf(buf + cl, size - cl, "%s%s", i ? " " : "narrate ", argv[i]);

		if (w < 0)
			break;
		cl += (size_t)w;
	}
	if (cl >= size)
		buf[size - 1] = '\0';
}

int nr_tool_run_analysis(const struct nr_tool_run *r, struct nr_analysis **out)
{
	struct nr_corpus *corpus = NULL;
	struct nr_analysis *a = NULL;
	struct progress prog = {0};
	char command[4096];
	int rc;

	*out = NULL;
	r->fields[r->nfields] = NULL;
	r->corpus_opts->field_map = r->nfields ? r->fields : NULL;
	r->analysis_opts->data_dir = nr_tool_data_dir();
	nr_tool_command_line(r->argc, r->argv, command, sizeof(command));
	if (r->corpus_opts->format) {
		/* the library knows the formats; asked alone, NR_EINVAL can only
		 * mean this one (nr_corpus_new keeps no handle for a message) */
		struct nr_corpus_options fo = {0};

		fo.format = r->corpus_opts->format;
		if (nr_corpus_new(&corpus, &fo) == NR_EINVAL) {
			nr_tool_error("unknown --format '%s': jsonl, ndjson, csv, tsv, txt or md",
				      r->corpus_opts->format);
			return NR_EXIT_USAGE;
		}
		nr_corpus_free(corpus);
		corpus = NULL;
	}
	for (int i = r->first_path; i < r->argc; i++)
		if (!strcmp(r->argv[i], "-") && !r->corpus_opts->format) {
			nr_tool_error("reading standard input ('-') needs --format (jsonl, ndjson, "
				      "csv, tsv, txt or md)");
			return NR_EXIT_USAGE;
		}
	rc = nr_corpus_new(&corpus, r->corpus_opts);
	if (rc) {
		/* the handle is gone with the message: say what the library can't */
		if (rc == NR_EINVAL)
			nr_tool_error(
				"bad --field mapping: expected OURS=THEIRS, e.g. text=content");
		else
			nr_tool_error("cannot read the corpus: %s", nr_strerror(rc));
		nr_corpus_free(corpus);
		return rc == NR_EINVAL ? NR_EXIT_USAGE : NR_EXIT_INTERNAL;
	}
	for (int i = r->first_path; i < r->argc; i++) {
		rc = nr_corpus_add_path(corpus, r->argv[i]);
		if (rc) {
			nr_tool_error("%s", nr_corpus_errmsg(corpus));
			nr_corpus_free(corpus);
			return NR_EXIT_INPUT;
		}
	}
	rc = nr_analysis_new(&a, r->analysis_opts);
	if (rc) {
		nr_tool_error("%s", a && nr_analysis_errmsg(a)[0] ? nr_analysis_errmsg(a)
								  : nr_strerror(rc));
		nr_analysis_free(a);
		nr_corpus_free(corpus);
		return rc == NR_EINVAL ? NR_EXIT_USAGE : NR_EXIT_INPUT;
	}
	prog.tty = r->progress && isatty(2);
	running = a;
	signal(SIGINT, on_sigint);
	signal(SIGTERM, on_sigint);
	rc = nr_analysis_run(a, corpus, on_event, &prog);
	if (prog.tty)
		fputc('\n', stderr);
	if (rc == NR_OK)
		rc = r->write(a, r->out, command);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	running = NULL;
	nr_corpus_free(corpus);
	if (rc) {
		nr_tool_error("%s failed: %s; '%s' was not changed", r->what,
			      nr_analysis_errmsg(a)[0] ? nr_analysis_errmsg(a) : nr_strerror(rc),
			      r->out);
		nr_analysis_free(a);
		return rc == NR_EIO ? NR_EXIT_INPUT : NR_EXIT_INTERNAL;
	}
	*out = a;
	return NR_EXIT_OK;
}

/* "klingon 1, xx 2": the languages with no stopword list and their
 * documents, cut with "..." when they do not fit. */
static void nostop_list(const struct nr_analysis *a, char *list, size_t size)
{
	size_t len = 0;
	uint64_t docs;
	const char *lang;

	list[0] = '\0';
	for (size_t i = 0; (lang = nr_analysis_nostop_lang(a, i, &docs)) && len < size; i++)
		len += (size_t)snprintf(list + len, size - len, "%s%s %llu", i ? ", " : "", lang,
					(unsigned long long)docs);
	if (len >= size)
		memcpy(list + size - 4, "...", 4);
}

void nr_tool_report_run(const struct nr_analysis *a, const char *out, const char *group_by)
{
	struct nr_analysis_counts counts;

	nr_analysis_get_counts(a, &counts);
	if (counts.no_stopwords) {
		char list[256];

		nostop_list(a, list, sizeof(list));
		nr_tool_error("note: %llu of %llu documents are in a language with no stopword "
			      "list (%s): their function words count as content words "
			      "(docs/stopwords.md)",
			      (unsigned long long)counts.no_stopwords,
			      (unsigned long long)counts.analysed, list);
	}
	if (counts.dates_unread && group_by && strstr(group_by, "month"))
		nr_tool_error("note: %llu of %llu documents have a date whose month narrate "
			      "cannot read: they are in month (none) (the forms it reads: "
			      "docs/analyze.md)",
			      (unsigned long long)counts.dates_unread,
			      (unsigned long long)counts.analysed);
	if (counts.rejected)
		nr_tool_error("%llu of %llu documents rejected; reasons in %s/rejects.jsonl",
			      (unsigned long long)counts.rejected, (unsigned long long)counts.read,
			      out);
	if (counts.read == 0)
		nr_tool_error("no documents found in the input");
}

int nr_tool_id_width(const struct nr_analysis *a, size_t n)
{
	size_t w = 10;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(nr_analysis_group_id(a, i));

		if (len > w)
			w = len;
	}
	return w < 40 ? (int)w : 40;
}
