/*
 * cmd_analyze.c - `narrate analyze CORPUS... -o OUT`: the whole pipeline on
 * a folder of posts, to a report folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "narrate.h"
#include "cmd.h"

#define MAX_FIELDS 64

static void usage(FILE *out)
{
	fputs("usage: narrate analyze [options] CORPUS... [-o OUT]\n"
	      "\n"
	      "Analyse folders or files of posts and articles about cities (.jsonl, .ndjson,\n"
	      ".csv, .tsv, .txt, .md, optionally .gz) and write per-city measures to OUT.\n"
	      "\n"
	      "Output:\n"
	      "  -o, --output OUT        report folder (default: narrate-out); replaced\n"
	      "                          atomically, and only if it is empty or a report\n"
	      "  -q, --quiet             no summary table on stdout\n"
	      "      --no-progress       no progress line on stderr\n"
	      "      --no-report         no OUT/report.html (docs/report.md; draw it\n"
	      "                          later with 'narrate report OUT')\n"
	      "Grouping:\n"
	      "  -g, --group-by KEYS     comma-separated: city, platform, month, lang,\n"
	      "                          author_type, media (default: city)\n"
	      "      --attribution MODE  documents without a city field go to every city\n"
	      "                          they mention (all, default) or the most mentioned\n"
	      "                          (most)\n"
	      "Lexicons (a name in the data folder, a .nlex path, or 'none'):\n"
	      "      --cities L          default: cities\n"
	      "      --topics L          default: topics\n"
	      "      --frames L          default: frames\n"
	      "      --tone L            default: tone\n"
	      "Input:\n"
	      "      --field OURS=THEIRS map a field name of your export to narrate's\n"
	      "                          (repeatable), e.g. --field text=content\n"
	      "      --path-fields LIST  fill fields from the folder levels of .txt/.md\n"
	      "                          files, e.g. city,platform\n"
	      "      --format F          read the files named here, and - (standard\n"
	      "                          input), as F: jsonl, ndjson, csv, tsv, txt or md\n"
	      "      --lang L            treat every document as language L\n"
	      "      --repair-utf8       replace invalid UTF-8 with U+FFFD (counted in the\n"
	      "                          manifest) instead of rejecting the document\n"
	      "      --max-doc-bytes N   reject larger documents (default: 64 MiB)\n"
	      "Performance:\n"
	      "  -j, --threads N         worker threads (default: all cores); the output is\n"
	      "                          the same whatever N\n"
	      "      --lexdiv-tokens N   tokens per group kept for MATTR and MTLD\n"
	      "                          (default: 100000)\n"
	      "      --no-near-dups      skip near-duplicate detection (dup_within,\n"
	      "                          dup_across empty): no memory per document\n"
	      "      --no-cliches        skip cliche mining (cliche_rate empty; the\n"
	      "                          homogeneity index is the mean of the rest)\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "Every document read is either analysed or listed in OUT/rejects.jsonl with\n"
	      "the reason; OUT/manifest.json has the counts. See docs/analyze.md.\n",
	      out);
}

static const char *lex_opt(const char *v)
{
	return !strcmp(v, "none") ? "" : v;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

static void fmt(char *buf, size_t n, double v, int decimals, int plus)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (plus)
		snprintf(buf, n, "%+.*f", decimals, v);
	else
		snprintf(buf, n, "%.*f", decimals, v);
}

static void summary(const struct nr_analysis *a, const char *out)
{
	struct nr_analysis_counts c;
	size_t show;
	int idw;

	nr_analysis_get_counts(a, &c);
	printf("read %llu documents: %llu analysed, %llu rejected (%llu without a city); "
	       "%llu groups\n",
	       (unsigned long long)c.read, (unsigned long long)c.analysed,
	       (unsigned long long)c.rejected, (unsigned long long)c.unattributed,
	       (unsigned long long)c.groups);
	if (!c.groups)
		return;
	show = c.groups < 40 ? c.groups : 40;
	idw = nr_tool_id_width(a, show);
	printf("\n%-*s %-18s %7s %8s %6s %7s %6s %7s %6s\n", idw, "id", "name", "docs", "tokens",
	       "mattr", "mtld", "frames", "tone", "cosine");
	for (size_t i = 0; i < show; i++) {
		char m1[16], m2[16], m3[16], m4[16], m5[16];

		fmt(m1, sizeof(m1), nr_analysis_group_measure(a, i, "mattr"), 3, 0);
		fmt(m2, sizeof(m2), nr_analysis_group_measure(a, i, "mtld"), 1, 0);
		fmt(m3, sizeof(m3), nr_analysis_group_measure(a, i, "frame_hill1"), 2, 0);
		fmt(m4, sizeof(m4), nr_analysis_group_measure(a, i, "tone_net"), 3, 1);
		fmt(m5, sizeof(m5), nr_analysis_group_measure(a, i, "cosine_mean"), 3, 0);
		printf("%-*.*s %-18.18s %7.0f %8.0f %6s %7s %6s %7s %6s\n", idw, idw,
		       nr_analysis_group_id(a, i), nr_analysis_group_name(a, i),
		       nr_analysis_group_measure(a, i, "documents"),
		       nr_analysis_group_measure(a, i, "tokens"), m1, m2, m3, m4, m5);
	}
	if (show < c.groups)
		printf("... %llu more in %s/cities.csv\n", (unsigned long long)(c.groups - show),
		       out);
	printf("\nmattr, mtld: lexical diversity; frames: effective number of narrative frames\n"
	       "(Hill q=1); tone: positive minus negative tone hits per word token; cosine:\n"
	       "mean tf-idf cosine to the other groups (formulas: docs/measures.md)\n");
	printf("\nreport: %s/report.html; data: %s/ (measures.json, cities.csv, ...)\n", out, out);
}

int cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
						 {"quiet", no_argument, NULL, 'q'},
						 {"no-progress", no_argument, NULL, 'P'},
						 {"no-report", no_argument, NULL, 'X'},
						 {"group-by", required_argument, NULL, 'g'},
						 {"attribution", required_argument, NULL, 'A'},
						 {"cities", required_argument, NULL, 'C'},
						 {"topics", required_argument, NULL, 'T'},
						 {"frames", required_argument, NULL, 'F'},
						 {"tone", required_argument, NULL, 'N'},
						 {"field", required_argument, NULL, 'f'},
						 {"path-fields", required_argument, NULL, 'p'},
						 {"format", required_argument, NULL, 'I'},
						 {"lang", required_argument, NULL, 'l'},
						 {"repair-utf8", no_argument, NULL, 'R'},
						 {"max-doc-bytes", required_argument, NULL, 'M'},
						 {"threads", required_argument, NULL, 'j'},
						 {"lexdiv-tokens", required_argument, NULL, 'L'},
						 {"no-near-dups", no_argument, NULL, 'D'},
						 {"no-cliches", no_argument, NULL, 'K'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	struct nr_analysis_options ao = {0};
	struct nr_corpus_options co = {0};
	const char *fields[MAX_FIELDS + 1];
	size_t nfields = 0;
	const char *out = "narrate-out";
	int quiet = 0, progress = 1, opt, status;
	struct nr_analysis *a = NULL;
	struct nr_tool_run run = {0};

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qg:j:h", longopts, NULL)) != -1) {
		size_t n;

		switch (opt) {
		case 'o': out = optarg; break;
		case 'q': quiet = 1; break;
		case 'P': progress = 0; break;
		case 'X': ao.flags |= NR_ANALYZE_NO_REPORT; break;
		case 'g': ao.group_by = optarg; break;
		case 'A':
			if (!strcmp(optarg, "all"))
				ao.attribution = NR_ATTRIBUTE_ALL;
			else if (!strcmp(optarg, "most"))
				ao.attribution = NR_ATTRIBUTE_MOST;
			else {
				nr_tool_error("--attribution takes 'all' or 'most', not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			break;
		case 'C': ao.cities = lex_opt(optarg); break;
		case 'T': ao.topics = lex_opt(optarg); break;
		case 'F': ao.frames = lex_opt(optarg); break;
		case 'N': ao.tone = lex_opt(optarg); break;
		case 'f':
			if (nfields == MAX_FIELDS) {
				nr_tool_error("too many --field options (at most %d)", MAX_FIELDS);
				return NR_EXIT_USAGE;
			}
			fields[nfields++] = optarg;
			break;
		case 'p': co.path_fields = optarg; break;
		case 'I': co.format = optarg; break;
		case 'l': ao.lang = optarg; break;
		case 'R':
			ao.flags |= NR_ANALYZE_REPAIR_UTF8;
			co.flags |= NR_CORPUS_REPAIR_UTF8;
			break;
		case 'M':
			if (parse_size(optarg, &n)) {
				nr_tool_error("--max-doc-bytes takes a positive number, not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			co.max_doc_bytes = ao.max_doc_bytes = n;
			break;
		case 'j':
			if (parse_size(optarg, &n) || n > 64) {
				nr_tool_error("--threads takes a number from 1 to 64, not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			ao.threads = (unsigned)n;
			break;
		case 'L':
			if (parse_size(optarg, &n)) {
				nr_tool_error("--lexdiv-tokens takes a positive number, not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			ao.lexdiv_tokens = n;
			break;
		case 'D': ao.flags |= NR_ANALYZE_NO_NEAR_DUPS; break;
		case 'K': ao.flags |= NR_ANALYZE_NO_CLICHES; break;
		case 'h': usage(stdout); return NR_EXIT_OK;
		default: usage(stderr); return NR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		nr_tool_error("no corpus given; see 'narrate analyze --help'");
		return NR_EXIT_USAGE;
	}
	run.corpus_opts = &co;
	run.analysis_opts = &ao;
	run.fields = fields;
	run.nfields = nfields;
	run.argc = argc;
	run.argv = argv;
	run.first_path = optind;
	run.out = out;
	run.what = "analysis";
	run.progress = progress;
	run.write = nr_analysis_write;
	status = nr_tool_run_analysis(&run, &a);
	if (status == NR_EXIT_OK) {
		if (!quiet)
			summary(a, out);
		nr_tool_report_run(a, out, ao.group_by);
	}
	nr_analysis_free(a);
	return status;
}
