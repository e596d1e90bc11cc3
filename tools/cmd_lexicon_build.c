/*
 * cmd_lexicon_build.c - `narrate lexicon build`: draft a lexicon for a city
 * from a corpus (docs/lexicon-build.md).  The work is nr_lexbuild_* in the
 * library; this file parses options, writes the draft atomically (a
 * temporary file renamed into place, so a failed run leaves no broken or
 * empty draft) and reports.  Uses the public API only.
 */
#define _POSIX_C_SOURCE 200809L /* getopt_long, mkstemp, fdopen */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"
#include "cmd.h"

#define MAX_NAMES 64

static const char usage_text[] =
	"usage: narrate lexicon build --city NAME [OPTIONS] CORPUS... -o DRAFT.nlex\n"
	"\n"
	"Draft a lexicon for a city that has none: read the documents of CORPUS\n"
	"about the city (its `city` field, else a mention of its name found with\n"
	"the city lexicon or the names given) and propose the words, multiword\n"
	"expressions and, for Chinese and Japanese, cohesive character sequences\n"
	"that are key in them against a reference: the corpus's other documents,\n"
	"or --reference.  The draft is a valid lexicon with one category per\n"
	"suggested topic, entries grouped by language, each with a comment giving\n"
	"its rank, score, keyness (G2, log-ratio), frequency, documents and two\n"
	"contexts.  Review it: keep or delete lines, then 'narrate lexicon check'.\n"
	"Names of other cities are listed as comments, never proposed; the city's\n"
	"own names are left out (they are in the city lexicon).\n"
	"\n"
	"Options:\n"
	"  --city NAME        the city: an id or a name in the city lexicon, or a\n"
	"                     name it does not know (required).\n"
	"  --alias NAME       another name of the city (repeatable), e.g. its\n"
	"                     Chinese name when NAME is English.\n"
	"  --reference PATH   a reference corpus (repeatable); without it the\n"
	"                     reference is the corpus's documents not about the\n"
	"                     city.  Reference documents about the city are skipped.\n"
	"  --all              every document of CORPUS is about the city (needs\n"
	"                     --reference).\n"
	"  --min-docs N       a candidate is in at least N documents (default 2).\n"
	"  --min-freq N       ... and occurs at least N times (default 3).\n"
	"  --top N            candidates kept per language (default 100).\n"
	"  --max-words N      longest word n-gram (default 4, at most 8).\n"
	"  --max-chars N      longest CJK character n-gram (default 8, 2-16).\n"
	"  --lang L           the language of every document (default: the `lang`\n"
	"                     field, else identified).\n"
	"  --name NAME        the @lexicon name (default: <city>-draft).\n"
	"  --date TEXT        write TEXT as @version (the draft is otherwise the\n"
	"                     same bytes on every run).\n"
	"  --cities LEX       city lexicon, name or path (default: cities).\n"
	"  --topics LEX       topic lexicon for the categories (default: topics;\n"
	"                     '' for none).\n"
	"  --tsv FILE         also write the candidates as a table (rank, lang,\n"
	"                     term, score, g2, log_ratio, freq, docs, ref_freq, near,\n"
	"                     category).\n"
	"  -o, --output FILE  where the draft goes ('-' for standard output).\n"
	"  -h, --help         show this help and exit.\n"
	"\n"
	"Exit status: 0 draft written, 2 usage error, 3 input error (the city is\n"
	"never mentioned, an empty corpus, no reference, a reference in another\n"
	"language, no candidate), 4 internal or output error.\n";

static int parse_size(const char *opt, const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > 1000000000ULL) {
		nr_tool_error("bad value '%s' for %s: a whole number from 1", s, opt);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

static void put_tsv_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static int write_tsv(struct nr_lexbuild *b, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t n = nr_lexbuild_candidate_count(b);

	if (!f) {
		nr_tool_error("cannot write '%s': %s", path, strerror(errno));
		return NR_EXIT_INTERNAL;
	}
	fputs("rank\tlang\tterm\tscore\tg2\tlog_ratio\tfreq\tdocs\tref_freq\tnear\tcategory\n", f);
	for (size_t i = 0; i < n; i++) {
		struct nr_lexbuild_candidate c;

		if (nr_lexbuild_candidate(b, i, &c))
			continue;
		fprintf(f, "%zu\t%s\t", c.rank, c.lang);
		put_tsv_field(f, c.term);
		fprintf(f, "\t%.3f\t%.3f\t%.3f\t%llu\t%llu\t%llu\t%.3f\t%s\n", c.score, c.g2,
			c.log_ratio, (unsigned long long)c.freq, (unsigned long long)c.docs,
			(unsigned long long)c.ref_freq, c.near, c.category ? c.category : "");
	}
	if (fclose(f)) {
		nr_tool_error("cannot write '%s': %s", path, strerror(errno));
		return NR_EXIT_INTERNAL;
	}
	return NR_EXIT_OK;
}

/* Write text to path through a temporary file in the same folder. */
static int write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	FILE *f;
	int fd;

	if (!strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
			nr_tool_error("cannot write the draft to standard output: %s",
				      strerror(errno));
			return NR_EXIT_INTERNAL;
		}
		return NR_EXIT_OK;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp)) {
		nr_tool_error("output path too long: '%s'", path);
		return NR_EXIT_USAGE;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		nr_tool_error("cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return NR_EXIT_INTERNAL;
	}
	if (fwrite(text, 1, len, f) != len || fclose(f) || rename(tmp, path)) {
		nr_tool_error("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		return NR_EXIT_INTERNAL;
	}
	return NR_EXIT_OK;
}

static int input_error(int rc)
{
	return rc == NR_ENOMEM || rc == NR_EINTERNAL || rc == NR_EIO ? NR_EXIT_INTERNAL
								     : NR_EXIT_INPUT;
}

int cmd_lexicon_build(int argc, char **argv)
{
	enum {
		OPT_CITY = 256,
		OPT_ALIAS,
		OPT_REF,
		OPT_ALL,
		OPT_MIN_DOCS,
		OPT_MIN_FREQ,
		OPT_TOP,
		OPT_MAX_WORDS,
		OPT_MAX_CHARS,
		OPT_LANG,
		OPT_NAME,
		OPT_DATE,
		OPT_CITIES,
		OPT_TOPICS,
		OPT_TSV
	};
	static const struct option longopts[] = {
		{"city", required_argument, NULL, OPT_CITY},
		{"alias", required_argument, NULL, OPT_ALIAS},
		{"reference", required_argument, NULL, OPT_REF},
		{"all", no_argument, NULL, OPT_ALL},
		{"min-docs", required_argument, NULL, OPT_MIN_DOCS},
		{"min-freq", required_argument, NULL, OPT_MIN_FREQ},
		{"top", required_argument, NULL, OPT_TOP},
		{"max-words", required_argument, NULL, OPT_MAX_WORDS},
		{"max-chars", required_argument, NULL, OPT_MAX_CHARS},
		{"lang", required_argument, NULL, OPT_LANG},
		{"name", required_argument, NULL, OPT_NAME},
		{"date", required_argument, NULL, OPT_DATE},
		{"cities", required_argument, NULL, OPT_CITIES},
		{"topics", required_argument, NULL, OPT_TOPICS},
		{"tsv", required_argument, NULL, OPT_TSV},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct nr_lexbuild_options o = {0};
	struct nr_lexbuild *b = NULL;
	struct nr_lexbuild_counts counts;
	const char *aliases[MAX_NAMES + 1], *refs[MAX_NAMES];
	const char *outp = NULL, *tsv = NULL;
	size_t naliases = 0, nrefs = 0, len = 0, n;
	char *text = NULL, source[2048];
	int c, rc, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CITY: o.city = optarg; break;
		case OPT_ALIAS:
		case OPT_REF:
			if ((c == OPT_ALIAS ? naliases : nrefs) >= MAX_NAMES) {
				nr_tool_error("at most %d %s", MAX_NAMES,
					      c == OPT_ALIAS ? "aliases" : "reference paths");
				return NR_EXIT_USAGE;
			}
			if (c == OPT_ALIAS)
				aliases[naliases++] = optarg;
			else
				refs[nrefs++] = optarg;
			break;
		case OPT_ALL: o.flags |= NR_LEXBUILD_ALL; break;
		case OPT_MIN_DOCS:
		case OPT_MIN_FREQ:
		case OPT_TOP:
		case OPT_MAX_WORDS:
		case OPT_MAX_CHARS:
			if (parse_size(argv[optind - 1], optarg,
				       c == OPT_MIN_DOCS    ? &o.min_docs
				       : c == OPT_MIN_FREQ  ? &o.min_freq
				       : c == OPT_TOP	    ? &o.top
				       : c == OPT_MAX_WORDS ? &o.max_words
							    : &o.max_chars))
				return NR_EXIT_USAGE;
			break;
		case OPT_LANG: o.lang = optarg; break;
		case OPT_NAME: o.name = optarg; break;
		case OPT_DATE: o.date = optarg; break;
		case OPT_CITIES: o.cities = optarg; break;
		case OPT_TOPICS: o.topics = optarg; break;
		case OPT_TSV: tsv = optarg; break;
		case 'o': outp = optarg; break;
		case 'h': fputs(usage_text, stdout); return NR_EXIT_OK;
		case ':':
			nr_tool_error("option '%s' needs a value", argv[optind - 1]);
			fputs("see 'narrate lexicon build --help'\n", stderr);
			return NR_EXIT_USAGE;
		default:
			nr_tool_error("unknown option '%s'", argv[optind - 1]);
			fputs("see 'narrate lexicon build --help'\n", stderr);
			return NR_EXIT_USAGE;
		}
	}
	if (!o.city || !*o.city) {
		nr_tool_error("--city is required");
		fputs("see 'narrate lexicon build --help'\n", stderr);
		return NR_EXIT_USAGE;
	}
	if (!outp) {
		nr_tool_error("-o is required (where the draft goes; '-' for standard output)");
		return NR_EXIT_USAGE;
	}
	if (optind >= argc) {
		nr_tool_error("no corpus given");
		fputs("see 'narrate lexicon build --help'\n", stderr);
		return NR_EXIT_USAGE;
	}
	aliases[naliases] = NULL;
	o.aliases = aliases;
	o.data_dir = nr_tool_data_dir();
	/* @source: the corpus paths as given, then the reference */
	n = 0;
	source[0] = '\0';
	for (int i = optind; i < argc && n < sizeof(source) - 64; i++)
		n += (size_t)snprintf(source + n, sizeof(source) - n, "%s%s",
				      i > optind ? ", " : "", argv[i]);
	if (nrefs && n < sizeof(source) - 64)
		n += (size_t)snprintf(source + n, sizeof(source) - n, " against %s%s", refs[0],
				      nrefs > 1 ? " (and more)" : "");
	o.source = source;

	rc = nr_lexbuild_new(&b, &o);
	if (rc) {
		nr_tool_error("%s", b && *nr_lexbuild_errmsg(b) ? nr_lexbuild_errmsg(b)
								: nr_strerror(rc));
		nr_lexbuild_free(b);
		return rc == NR_EINVAL ? NR_EXIT_USAGE : input_error(rc);
	}
	rc = nr_lexbuild_run(b, (const char *const *)(argv + optind), (size_t)(argc - optind), refs,
			     nrefs);
	for (size_t i = 0; i < nr_lexbuild_warning_count(b); i++)
		fprintf(stderr, "narrate: warning: %s\n", nr_lexbuild_warning(b, i));
	if (!rc)
		rc = nr_lexbuild_draft(b, &text, &len);
	if (rc) {
		nr_tool_error("%s",
			      *nr_lexbuild_errmsg(b) ? nr_lexbuild_errmsg(b) : nr_strerror(rc));
		fputs("narrate: no draft written\n", stderr);
		nr_lexbuild_free(b);
		return input_error(rc);
	}
	ret = write_atomic(outp, text, len);
	if (!ret && tsv)
		ret = write_tsv(b, tsv);
	nr_lexbuild_get_counts(b, &counts);
	if (!ret)
		fprintf(stderr,
			"narrate: wrote '%s': %zu candidate entries from %llu documents about "
			"the city against %llu reference documents (%llu ignored, %llu "
			"unreadable); %llu other cities flagged\n",
			outp, nr_lexbuild_candidate_count(b),
			(unsigned long long)counts.target_docs,
			(unsigned long long)counts.reference_docs,
			(unsigned long long)counts.ignored_docs,
			(unsigned long long)counts.rejected,
			(unsigned long long)counts.flagged_cities);
	nr_free(text);
	nr_lexbuild_free(b);
	return ret;
}
