/*
 * cmd_report.c - `narrate report OUT/`: draw a report folder as one
 * self-contained report.html (docs/report.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"
#include "cmd.h"

static void usage(FILE *out)
{
	fputs("usage: narrate report [options] FOLDER\n"
	      "\n"
	      "Draw the report folder of 'narrate analyze' (measures.json and the files beside\n"
	      "it) as FOLDER/report.html: one self-contained page with inline SVG charts that\n"
	      "loads nothing from the network, reads without JavaScript and prints to PDF.\n"
	      "ranking.csv of 'narrate score' and the files of 'narrate homogeneity' are used\n"
	      "when they are in FOLDER (or named with the options below).\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output FILE      write the page to FILE (default FOLDER/report.html)\n"
	      "      --ranking FILE     ranking.csv of 'narrate score' (default\n"
	      "                         FOLDER/ranking.csv; regions.csv is read beside it)\n"
	      "      --homogeneity DIR  the folder of 'narrate homogeneity' (default FOLDER)\n"
	      "      --names LANG       chart labels: en (default) or zh (Chinese names where\n"
	      "                         the city lexicon has them)\n"
	      "      --top N            cities in heatmaps, panels and long tables (default\n"
	      "                         40); the CSV files hold all\n"
	      "      --timestamp[=TEXT] write TEXT (default: the current UTC time) in the\n"
	      "                         footer; without it the same folder gives the same bytes\n"
	      "  -q, --quiet            no notes about optional files that are missing\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 written, 2 usage error, 3 input error (a missing or corrupt\n"
	      "file, named in the message), 4 internal error.\n",
	      out);
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "narrate: %s\n", msg);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"ranking", required_argument, NULL, 'r'},
		{"homogeneity", required_argument, NULL, 'H'},
		{"names", required_argument, NULL, 'n'},
		{"top", required_argument, NULL, 't'},
		{"timestamp", optional_argument, NULL, 'T'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct nr_report_options o;
	char err[1024], now[64];
	int c, quiet = 0, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case 'r': o.ranking = optarg; break;
		case 'H': o.homogeneity = optarg; break;
		case 'n':
			if (!strcmp(optarg, "zh")) {
				o.names_zh = 1;
			} else if (strcmp(optarg, "en")) {
				nr_tool_error("--names takes en or zh, not '%s'", optarg);
				return NR_EXIT_USAGE;
			}
			break;
		case 't': {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || v == 0 || v > 100000) {
				nr_tool_error("--top takes a number from 1 to 100000, not '%s'",
					      optarg);
				return NR_EXIT_USAGE;
			}
			o.top = v;
			break;
		}
		case 'T':
			if (optarg) {
				o.timestamp = optarg;
			} else {
				time_t t = time(NULL);
				struct tm tm;

				if (!gmtime_r(&t, &tm) ||
				    !strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
					nr_tool_error("cannot read the clock");
					return NR_EXIT_INTERNAL;
				}
				o.timestamp = now;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return NR_EXIT_OK;
		default: usage(stderr); return NR_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		nr_tool_error(argc - optind ? "give one report folder" : "no report folder given");
		usage(stderr);
		return NR_EXIT_USAGE;
	}
	if (!quiet)
		o.warn = warn;
	rc = nr_report_write(argv[optind], &o, err, sizeof(err));
	if (rc == NR_ENOMEM || rc == NR_EINTERNAL) {
		nr_tool_error("%s", err[0] ? err : nr_strerror(rc));
		return NR_EXIT_INTERNAL;
	}
	if (rc) {
		nr_tool_error("%s", err[0] ? err : nr_strerror(rc));
		return NR_EXIT_INPUT;
	}
	if (!quiet) {
		if (o.output)
			fprintf(stderr, "narrate: wrote %s\n", o.output);
		else
			fprintf(stderr, "narrate: wrote %s/report.html\n", argv[optind]);
	}
	return NR_EXIT_OK;
}
