/*
 * cmd_score.c - `narrate score`: rank cities by a composite index defined in
 * a YAML file, from the measures of `narrate analyze` and optional external
 * indicators, with Monte Carlo rank intervals, a leave-one-out sensitivity
 * table and regional summaries (docs/scoring.md).  Uses the public API
 * (narrate.h) only.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "narrate.h"
#include "cmd.h"

#define MAX_INPUT ((size_t)256 << 20)

static const char usage_text[] =
	"usage: narrate score MEASURES.json --index FILE [--indicators CSV]\n"
	"                     [--runs N] [--seed S] [-o ranking.csv]\n"
	"\n"
	"Rank the groups (cities) of MEASURES.json, as written by 'narrate analyze'\n"
	"(docs/measures-json.md), by the composite index that FILE defines\n"
	"(YAML, docs/scoring.md); shipped definitions are in lexicons/indices/.\n"
	"\n"
	"Options:\n"
	"  --index FILE        the index definition (required); a bare name such as\n"
	"                      'content_quality' is looked up in the data folder's\n"
	"                      indices/ (NAME.yaml).\n"
	"  --indicators CSV    external indicators (visitors, search volume, media\n"
	"                      mentions, ...): a header row, a key column city_id,\n"
	"                      city, city_name or id, one row per city.\n"
	"  --runs N            Monte Carlo runs (default: the index file's\n"
	"                      uncertainty.runs, else 1000; 0: none).\n"
	"  --seed S            seed of the Monte Carlo (default: the index file's,\n"
	"                      else 1); the same seed gives the same output.\n"
	"  -o, --output FILE   the ranking CSV (default ranking.csv); regions.csv\n"
	"                      and sensitivity.csv are written beside it.\n"
	"  --top N             rows of the table on standard output (default 10;\n"
	"                      0: all).\n"
	"  -q, --quiet         no table on standard output.\n"
	"  -h, --help          show this help and exit.\n"
	"\n"
	"ranking.csv:     rank,city_id,city_name,score,<one column per dimension>,\n"
	"                 rank_median,rank_p05,rank_p95\n"
	"regions.csv:     split,group,kind,cities,score,<dimensions>: means per\n"
	"                 north/south and east/central/west/northeast group, and\n"
	"                 gaps (kind 'gap', first group minus second)\n"
	"sensitivity.csv: indicator,path,source,weight,mean_rank_shift,\n"
	"                 max_rank_shift,first_order: what leaving each indicator\n"
	"                 out does, and how much of the Monte Carlo's rank shifts\n"
	"                 its weight explains\n"
	"\n"
	"Numbers are written in the C locale: scores, weights and means with six\n"
	"decimals, rank statistics with two.  Warnings (weights rescaled, values\n"
	"filled in, rows not used) go to standard error, each as file:line: text.\n"
	"\n"
	"Exit status: 0 ranked, 2 usage error, 3 input error, 4 internal error.\n";

/* Six decimals, and never "-0.000000". */
static void put_num(FILE *f, double x, int decimals)
{
	double tiny = decimals == 6 ? 5e-7 : 5e-3;

	if (fabs(x) < tiny)
		x = 0.0;
	fprintf(f, "%.*f", decimals, x);
}

/* A CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void put_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* path with its last component replaced by name. */
static char *beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	char *p = malloc(dir + strlen(name) + 1);

	if (!p)
		return NULL;
	memcpy(p, path, dir);
	strcpy(p + dir, name);
	return p;
}

/* Create the folders leading to path (mkdir -p of its dirname). */
static int make_parents(const char *path)
{
	char *p = strdup(path), *s;
	int rc = 0;

	if (!p)
		return -1;
	for (s = strchr(p + 1, '/'); s && rc == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			nr_tool_error("cannot create folder '%s': %s", p, strerror(errno));
			rc = -1;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

/* Written to FILE.tmp.PID and renamed, so a reader never sees half a file. */
struct outfile {
	FILE *f;
	char *path, *tmp;
};

static int out_open(struct outfile *o, const char *path)
{
	size_t n = strlen(path) + 32;

	o->f = NULL;
	o->path = strdup(path);
	o->tmp = malloc(n);
	if (!o->path || !o->tmp) {
		nr_tool_error("out of memory");
		return -1;
	}
	snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
	if (make_parents(path))
		return -1;
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		nr_tool_error("cannot write '%s': %s", o->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

static int out_close(struct outfile *o, int commit)
{
	int rc = 0;

	if (o->f) {
		if (ferror(o->f) | (fclose(o->f) != 0)) {
			nr_tool_error("cannot write '%s': %s", o->tmp, strerror(errno));
			rc = -1;
		}
		o->f = NULL;
		if (commit && rc == 0 && rename(o->tmp, o->path) != 0) {
			nr_tool_error("cannot rename '%s' to '%s': %s", o->tmp, o->path,
				      strerror(errno));
			rc = -1;
		}
		if (!commit || rc != 0)
			remove(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return rc;
}

static void write_ranking(FILE *f, struct nr_scorer *sc)
{
	size_t i, d, nd = nr_scorer_dimension_count(sc);
	struct nr_score_row row;

	fputs("rank,city_id,city_name,score", f);
	for (d = 0; d < nd; d++) {
		fputc(',', f);
		put_field(f, nr_scorer_dimension_id(sc, d));
	}
	fputs(",rank_median,rank_p05,rank_p95\n", f);
	for (i = 0; i < nr_scorer_city_count(sc); i++) {
		if (nr_scorer_row(sc, i, &row))
			break;
		fprintf(f, "%zu,", row.rank);
		put_field(f, row.city_id);
		fputc(',', f);
		put_field(f, row.city_name);
		fputc(',', f);
		put_num(f, row.score, 6);
		for (d = 0; d < nd; d++) {
			fputc(',', f);
			put_num(f, row.dimension[d], 6);
		}
		fputc(',', f);
		put_num(f, row.rank_median, 2);
		fputc(',', f);
		put_num(f, row.rank_p05, 2);
		fputc(',', f);
		put_num(f, row.rank_p95, 2);
		fputc('\n', f);
	}
}

static void write_regions(FILE *f, struct nr_scorer *sc)
{
	size_t i, d, nd = nr_scorer_dimension_count(sc);
	struct nr_score_region reg;

	fputs("split,group,kind,cities,score", f);
	for (d = 0; d < nd; d++) {
		fputc(',', f);
		put_field(f, nr_scorer_dimension_id(sc, d));
	}
	fputc('\n', f);
	for (i = 0; i < nr_scorer_region_count(sc); i++) {
		if (nr_scorer_region(sc, i, &reg))
			break;
		fprintf(f, "%s,", reg.split);
		put_field(f, reg.group);
		fprintf(f, ",%s,%zu,", reg.gap ? "gap" : "mean", reg.cities);
		put_num(f, reg.score, 6);
		for (d = 0; d < nd; d++) {
			fputc(',', f);
			put_num(f, reg.dimension[d], 6);
		}
		fputc('\n', f);
	}
}

static void write_sensitivity(FILE *f, struct nr_scorer *sc)
{
	struct nr_score_indicator ind;
	size_t i;

	fputs("indicator,path,source,weight,mean_rank_shift,max_rank_shift,first_order\n", f);
	for (i = 0; i < nr_scorer_indicator_count(sc); i++) {
		if (nr_scorer_indicator(sc, i, &ind))
			break;
		put_field(f, ind.id);
		fputc(',', f);
		put_field(f, ind.path);
		fputc(',', f);
		put_field(f, ind.source);
		fputc(',', f);
		put_num(f, ind.weight, 6);
		fputc(',', f);
		put_num(f, ind.mean_shift, 6);
		fprintf(f, ",%zu,", ind.max_shift);
		if (!isnan(ind.first_order))
			put_num(f, ind.first_order, 6);
		fputc('\n', f);
	}
}

static void print_summary(struct nr_scorer *sc, size_t top)
{
	size_t i, n = nr_scorer_city_count(sc);
	struct nr_score_row row;
	struct nr_score_region reg;
	struct nr_score_indicator ind;

	printf("index %s: %zu cities, %ld Monte Carlo runs, seed %" PRIu64 "\n",
	       nr_scorer_index_name(sc), n, nr_scorer_runs(sc), nr_scorer_seed(sc));
	printf("%4s  %-24s %9s  %7s  %s\n", "rank", "city", "score", "median", "5-95%");
	for (i = 0; i < n && (top == 0 || i < top); i++) {
		if (nr_scorer_row(sc, i, &row))
			break;
		printf("%4zu  %-24.24s %9.4f  %7.1f  %.1f-%.1f\n", row.rank, row.city_name,
		       fabs(row.score) < 5e-5 ? 0.0 : row.score, row.rank_median, row.rank_p05,
		       row.rank_p95);
	}
	if (top && n > top)
		printf("  (%zu more in the CSV)\n", n - top);
	if (nr_scorer_region_count(sc))
		printf("regions (mean score; gap = first - second):\n");
	for (i = 0; i < nr_scorer_region_count(sc); i++) {
		if (nr_scorer_region(sc, i, &reg))
			break;
		printf("  %-12s %-18s %s %9.4f  (%zu cities)\n", reg.split, reg.group,
		       reg.gap ? "gap " : "mean", fabs(reg.score) < 5e-5 ? 0.0 : reg.score,
		       reg.cities);
	}
	if (nr_scorer_indicator_count(sc) && nr_scorer_indicator(sc, 0, &ind) == 0)
		printf("moves the ranking most when left out: %s (%s), mean rank shift %.2f, "
		       "largest %zu\n",
		       ind.path, ind.source, ind.mean_shift, ind.max_shift);
	if (nr_scorer_runs(sc) >= 2) {
		double best = -1, s1 = nr_scorer_normalisation_first_order(sc);
		const char *who = NULL;

		for (i = 0; i < nr_scorer_indicator_count(sc); i++)
			if (nr_scorer_indicator(sc, i, &ind) == 0 && ind.first_order > best) {
				best = ind.first_order;
				who = ind.path;
			}
		printf("first-order share of the rank-shift variance (Monte Carlo): ");
		if (!isnan(s1))
			printf("normalisation %.3f; ", s1);
		if (who)
			printf("largest weight effect %s %.3f", who, best);
		printf("\n");
	}
}

static int parse_count(const char *s, const char *opt, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || !*s)
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	nr_tool_error("%s needs a whole number from 0 to %" PRIu64 ", not '%s'", opt, max, s);
	return -1;
}

static int exit_for(int rc)
{
	return rc == NR_ENOMEM || rc == NR_EINTERNAL ? NR_EXIT_INTERNAL : NR_EXIT_INPUT;
}

/* --index NAME without a slash or extension: the shipped definition. */
static char *index_path(const char *arg)
{
	char *p;
	size_t n;

	if (strchr(arg, '/') || strchr(arg, '.') || access(arg, F_OK) == 0)
		return strdup(arg);
	n = strlen(nr_tool_data_dir()) + strlen(arg) + 32;
	p = malloc(n);
	if (p)
		snprintf(p, n, "%s/indices/%s.yaml", nr_tool_data_dir(), arg);
	return p;
}

int cmd_score(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"index", required_argument, NULL, 'i'},
		{"indicators", required_argument, NULL, 'c'},
		{"runs", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"output", required_argument, NULL, 'o'},
		{"top", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *index_arg = NULL, *csv = NULL, *output = "ranking.csv";
	struct nr_score_options opts = {-1, 0, 0};
	struct nr_scorer *sc = NULL;
	struct outfile of[3];
	char *ipath = NULL, *buf = NULL, *rpath = NULL, *spath = NULL;
	uint64_t v, top = 10;
	size_t len, i;
	int c, rc, quiet = 0, ret = NR_EXIT_INPUT;

	memset(of, 0, sizeof(of));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': index_arg = optarg; break;
		case 'c': csv = optarg; break;
		case 'o': output = optarg; break;
		case 'q': quiet = 1; break;
		case 'r':
			if (parse_count(optarg, "--runs", 1000000, &v))
				return NR_EXIT_USAGE;
			opts.runs = (long)v;
			break;
		case 's':
			if (parse_count(optarg, "--seed", UINT64_MAX, &v))
				return NR_EXIT_USAGE;
			opts.seed = v;
			opts.seed_set = 1;
			break;
		case 't':
			if (parse_count(optarg, "--top", 1000000, &top))
				return NR_EXIT_USAGE;
			break;
		case 'h': fputs(usage_text, stdout); return NR_EXIT_OK;
		default: nr_tool_error("see 'narrate score --help'"); return NR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !index_arg) {
		nr_tool_error("%s; see 'narrate score --help'",
			      !index_arg ? "--index FILE is required"
					 : "give exactly one MEASURES.json");
		return NR_EXIT_USAGE;
	}
	if (nr_scorer_new(&sc)) {
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	ipath = index_path(index_arg);
	if (!ipath) {
		nr_tool_error("out of memory");
		ret = NR_EXIT_INTERNAL;
		goto done;
	}
	if (!(buf = nr_tool_read_file(ipath, MAX_INPUT, &len)))
		goto done;
	rc = nr_scorer_load_index(sc, buf, len, ipath);
	free(buf);
	buf = NULL;
	if (rc) {
		nr_tool_error("%s", nr_scorer_errmsg(sc));
		ret = exit_for(rc);
		goto done;
	}
	if (!(buf = nr_tool_read_file(argv[optind], MAX_INPUT, &len)))
		goto done;
	rc = nr_scorer_load_measures(sc, buf, len, argv[optind]);
	free(buf);
	buf = NULL;
	if (rc) {
		nr_tool_error("%s", nr_scorer_errmsg(sc));
		ret = exit_for(rc);
		goto done;
	}
	if (csv) {
		if (!(buf = nr_tool_read_file(csv, MAX_INPUT, &len)))
			goto done;
		rc = nr_scorer_load_indicators(sc, buf, len, csv);
		free(buf);
		buf = NULL;
		if (rc) {
			nr_tool_error("%s", nr_scorer_errmsg(sc));
			ret = exit_for(rc);
			goto done;
		}
	}
	rc = nr_scorer_run(sc, &opts);
	for (i = 0; i < nr_scorer_warning_count(sc); i++)
		fprintf(stderr, "narrate: warning: %s\n", nr_scorer_warning(sc, i));
	if (rc) {
		nr_tool_error("%s", nr_scorer_errmsg(sc));
		ret = exit_for(rc);
		goto done;
	}
	rpath = beside(output, "regions.csv");
	spath = beside(output, "sensitivity.csv");
	if (!rpath || !spath) {
		nr_tool_error("out of memory");
		ret = NR_EXIT_INTERNAL;
		goto done;
	}
	if (!strcmp(rpath, output) || !strcmp(spath, output)) {
		nr_tool_error("-o '%s' would be overwritten by regions.csv or sensitivity.csv; "
			      "choose another name",
			      output);
		ret = NR_EXIT_USAGE;
		goto done;
	}
	if (out_open(&of[0], output) || out_open(&of[1], rpath) || out_open(&of[2], spath))
		goto done;
	write_ranking(of[0].f, sc);
	write_regions(of[1].f, sc);
	write_sensitivity(of[2].f, sc);
	ret = NR_EXIT_OK;
	for (i = 0; i < 3; i++)
		if (out_close(&of[i], ret == NR_EXIT_OK))
			ret = NR_EXIT_INPUT;
	if (ret == NR_EXIT_OK && !quiet)
		print_summary(sc, (size_t)top);
done:
	for (i = 0; i < 3; i++)
		out_close(&of[i], 0);
	free(rpath);
	free(spath);
	free(ipath);
	nr_scorer_free(sc);
	return ret;
}
