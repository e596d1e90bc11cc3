/*
 * cmd_homogeneity.c - `narrate homogeneity CORPUS... -o OUT`: how alike
 * cities' content is (near-duplicates, cliches, tf-idf cosine), where,
 * and which city stands out (docs/homogeneity.md).
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
	fputs("usage: narrate homogeneity [options] CORPUS... [-o OUT]\n"
	      "\n"
	      "Measure how alike cities' content is: near-duplicate posts within and across\n"
	      "cities (MinHash + LSH; each candidate verified: Jaccard of the shingle\n"
	      "fingerprints for posts of up to 128 shingles, else estimated from the\n"
	      "signatures), cliches many cities use\n"
	      "(city names masked, so 'Welcome to X' templates are one), tf-idf cosine; and\n"
	      "per city a homogeneity index and its inverse, distinctiveness, with the\n"
	      "city's personal tags.  Writes OUT/homogeneity.csv, clusters.csv,\n"
	      "cross_clusters.csv, cliches.csv, similarity.csv (docs/homogeneity.md).\n"
	      "\n"
	      "Output:\n"
	      "  -o, --output OUT        output folder (default: narrate-homogeneity);\n"
	      "                          replaced atomically, only if empty or a report\n"
	      "  -q, --quiet             no summary on stdout\n"
	      "      --top N             cities and cliches in the summary (default: 5)\n"
	      "      --no-progress       no progress line on stderr\n"
	      "Near-duplicates:\n"
	      "  -t, --threshold T       Jaccard of near-duplicates, (0, 1] (default: 0.5)\n"
	      "      --perm N            MinHash signature bins (default: 128)\n"
	      "      --bands B --rows R  LSH bands and rows (default: chosen from T)\n"
	      "      --shingle-words K   words per shingle, spaced scripts (default: 3)\n"
	      "      --shingle-chars K   characters per shingle, CJK text (default: 4)\n"
	      "Cliches:\n"
	      "      --ngram-words N     words per n-gram (default: 4)\n"
	      "      --ngram-chars N     CJK characters per n-gram (default: 4)\n"
	      "      --cliche-cities N   a cliche is used by at least N cities\n"
	      "      --cliche-share F    ... or this share of the cities (default: 0.2,\n"
	      "                          at least 3 cities, at most all)\n"
	      "Input and grouping:\n"
	      "  -g, --group-by KEYS     as in analyze (default: city)\n"
	      "      --attribution MODE  all (default) or most, as in analyze\n"
	      "      --cities L          city lexicon (default: cities; 'none': no\n"
	      "                          masking, cities from the city field only)\n"
	      "      --field OURS=THEIRS map a field name (repeatable)\n"
	      "      --path-fields LIST  fields from folder levels of .txt/.md files\n"
	      "      --format F          read the files named here, and - (standard\n"
	      "                          input), as F: jsonl, ndjson, csv, tsv, txt or md\n"
	      "      --lang L            treat every document as language L\n"
	      "      --repair-utf8       repair invalid UTF-8 instead of rejecting\n"
	      "  -j, --threads N         worker threads (default: all cores); the output is\n"
	      "                          the same whatever N\n"
	      "  -h, --help              this help\n",
	      out);
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_frac(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

static void tags(const struct nr_analysis *a, size_t i, char *buf, size_t n)
{
	size_t used = 0, len;
	const char *t;

	buf[0] = '\0';
	for (size_t k = 0; k < 5 && (t = nr_analysis_group_tag(a, i, k, &len)); k++) {
		int w = snprintf(buf + used, n - used, "%s%.*s", k ? ", " : "", (int)len, t);

		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

static void row(const struct nr_analysis *a, size_t i, int idw, int with_tags)
{
	char tg[256], v[5][16];
	static const char *const m[5] = {"dup_within", "dup_across", "cliche_rate", "cosine_mean",
					 "homogeneity"};

	for (int k = 0; k < 5; k++) {
		double x = nr_analysis_group_measure(a, i, m[k]);

		if (isnan(x))
			snprintf(v[k], sizeof(v[k]), "-");
		else
			snprintf(v[k], sizeof(v[k]), "%.3f", x);
	}
	tags(a, i, tg, sizeof(tg));
	printf("  %-*.*s %-16.16s %6.0f %6s %6s %6s %6s %6s%s%s\n", idw, idw,
	       nr_analysis_group_id(a, i), nr_analysis_group_name(a, i),
	       nr_analysis_group_measure(a, i, "documents"), v[0], v[1], v[2], v[3], v[4],
	       with_tags && *tg ? "  " : "", with_tags ? tg : "");
}

static int cmp_h(const void *x, const void *y)
{
	const double *p = x, *q = y;

	if (isnan(p[0]) != isnan(q[0]))
		return isnan(p[0]) ? 1 : -1;
	if (p[0] != q[0] && !isnan(p[0]))
		return p[0] > q[0] ? -1 : 1;
	return (p[1] > q[1]) - (p[1] < q[1]);
}

static void summary(const struct nr_analysis *a, const char *out, size_t top)
{
	struct nr_analysis_counts c;
	double *h;
	size_t k, cities, docs;
	const char *ng;
	int idw;

	nr_analysis_get_counts(a, &c);
	printf("read %llu documents: %llu analysed, %llu rejected (%llu without a city); "
	       "%llu cities\n",
	       (unsigned long long)c.read, (unsigned long long)c.analysed,
	       (unsigned long long)c.rejected, (unsigned long long)c.unattributed,
	       (unsigned long long)c.groups);
	if (!c.groups)
		return;
	h = malloc(c.groups * 2 * sizeof(*h));
	if (!h)
		return;
	for (size_t i = 0; i < c.groups; i++) {
		h[2 * i] = nr_analysis_group_measure(a, i, "homogeneity");
		h[2 * i + 1] = (double)i;
	}
	qsort(h, c.groups, 2 * sizeof(*h), cmp_h);
	k = top < c.groups ? top : c.groups;
	idw = nr_tool_id_width(a, c.groups);
	printf("\nmost homogeneous:\n  %-*s %-16s %6s %6s %6s %6s %6s %6s\n", idw, "id", "name",
	       "docs", "within", "across", "cliche", "cosine", "homog");
	for (size_t i = 0; i < k; i++)
		row(a, (size_t)h[2 * i + 1], idw, 0);
	if (c.groups < 2) {
		printf("\n(one city: homogeneity compares cities, so it is 0.5 by definition)\n");
		free(h);
		h = NULL;
		goto cliches;
	}
	printf("\nmost distinctive (personal tags):\n");
	for (size_t i = 0; i < k; i++) {
		size_t j = c.groups - 1 - i;

		if (isnan(h[2 * j]))
			continue;
		row(a, (size_t)h[2 * j + 1], idw, 1);
	}
	free(h);
cliches:
	printf("\ntop cliches (cities, documents):\n");
	for (size_t i = 0; i < top && (ng = nr_analysis_cliche(a, i, &cities, &docs)); i++)
		printf("  %4zu %7zu  %s\n", cities, docs, ng);
	if (!nr_analysis_cliche(a, 0, NULL, NULL))
		printf("  (none)\n");
	printf("\nreport: %s/ (homogeneity.csv, clusters.csv, cross_clusters.csv, cliches.csv, "
	       "similarity.csv)\n",
	       out);
}

int cmd_homogeneity(int argc, char **argv)
{
	static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
						 {"quiet", no_argument, NULL, 'q'},
						 {"top", required_argument, NULL, 'k'},
						 {"no-progress", no_argument, NULL, 'P'},
						 {"threshold", required_argument, NULL, 't'},
						 {"perm", required_argument, NULL, 'n'},
						 {"bands", required_argument, NULL, 'b'},
						 {"rows", required_argument, NULL, 'r'},
						 {"shingle-words", required_argument, NULL, 'W'},
						 {"shingle-chars", required_argument, NULL, 'X'},
						 {"ngram-words", required_argument, NULL, 'w'},
						 {"ngram-chars", required_argument, NULL, 'x'},
						 {"cliche-cities", required_argument, NULL, 'c'},
						 {"cliche-share", required_argument, NULL, 's'},
						 {"group-by", required_argument, NULL, 'g'},
						 {"attribution", required_argument, NULL, 'A'},
						 {"cities", required_argument, NULL, 'C'},
						 {"field", required_argument, NULL, 'f'},
						 {"path-fields", required_argument, NULL, 'p'},
						 {"format", required_argument, NULL, 'I'},
						 {"lang", required_argument, NULL, 'l'},
						 {"repair-utf8", no_argument, NULL, 'R'},
						 {"threads", required_argument, NULL, 'j'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	struct nr_analysis_options ao = {0};
	struct nr_corpus_options co = {0};
	const char *fields[MAX_FIELDS + 1];
	size_t nfields = 0;
	const char *out = "narrate-homogeneity";
	int quiet = 0, progress = 1, opt, status;
	unsigned top = 5, u;
	struct nr_analysis *a = NULL;
	struct nr_tool_run run = {0};

	ao.topics = ao.frames = ao.tone = ""; /* not needed here */
	ao.flags = NR_ANALYZE_DUP_TEXT;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:qt:g:j:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'q': quiet = 1; break;
		case 'P': progress = 0; break;
		case 'k':
			if (parse_uint(optarg, 100000, &top)) {
				nr_tool_error("--top takes a positive number, not '%s'", optarg);
				return NR_EXIT_USAGE;
			}
			break;
		case 't':
			if (parse_frac(optarg, &ao.dup_threshold)) {
				nr_tool_error("--threshold takes a number in (0, 1], not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			break;
		case 's':
			if (parse_frac(optarg, &ao.cliche_share)) {
				nr_tool_error("--cliche-share takes a number in (0, 1], not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			break;
		case 'n':
		case 'b':
		case 'r':
		case 'W':
		case 'X':
		case 'w':
		case 'x':
		case 'c':
			if (parse_uint(optarg,
				       opt == 'n' || opt == 'b' || opt == 'r' ? 1024
				       : opt == 'c'			      ? 1000000
									      : 32,
				       &u)) {
				nr_tool_error("'%s' is not a positive number in range for this "
					      "option; see 'narrate homogeneity --help'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			switch (opt) {
			case 'n': ao.minhash_perm = u; break;
			case 'b': ao.lsh_bands = u; break;
			case 'r': ao.lsh_rows = u; break;
			case 'W': ao.shingle_words = u; break;
			case 'X': ao.shingle_chars = u; break;
			case 'w': ao.ngram_words = u; break;
			case 'x': ao.ngram_chars = u; break;
			case 'c': ao.cliche_min_cities = u; break;
			}
			break;
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
		case 'C': ao.cities = !strcmp(optarg, "none") ? "" : optarg; break;
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
		case 'j':
			if (parse_uint(optarg, 64, &u)) {
				nr_tool_error("--threads takes a number from 1 to 64, not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			ao.threads = u;
			break;
		case 'h': usage(stdout); return NR_EXIT_OK;
		default: usage(stderr); return NR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		nr_tool_error("no corpus given; see 'narrate homogeneity --help'");
		return NR_EXIT_USAGE;
	}
	if (!ao.lsh_bands != !ao.lsh_rows) {
		nr_tool_error("--bands and --rows go together");
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
	run.what = "homogeneity";
	run.progress = progress;
	run.write = nr_analysis_write_homogeneity;
	status = nr_tool_run_analysis(&run, &a);
	if (status == NR_EXIT_OK) {
		if (!quiet)
			summary(a, out, top);
		nr_tool_report_run(a, out, ao.group_by);
	}
	nr_analysis_free(a);
	return status;
}
