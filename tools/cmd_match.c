/*
 * cmd_match.c - `narrate match`: find the entries of one or more lexicons
 * in a text and print one hit per line (TSV) or keyword-in-context lines.
 * Uses the public API only: nr_tokenize, then nr_matcher_match.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "narrate.h"
#include "cmd.h"

#define MAX_LEXICONS 64
#define MAX_INPUT    ((size_t)256 << 20)

static const char usage_text[] =
	"usage: narrate match --lexicon NAME|FILE [--lexicon ...] [OPTIONS] [FILE|-]\n"
	"\n"
	"Find the entries of the given lexicons in FILE (or standard input when\n"
	"FILE is '-' or absent; UTF-8) and print one hit per line, in text order:\n"
	"  offset  length  lexicon  category  entry_id  surface\n"
	"offset and length are bytes of the original input, from the first byte\n"
	"of the first matched word or character to the last byte of the last;\n"
	"lexicon is the @lexicon name; category the full category path (the\n"
	"leaf); entry_id the entity id in an entity lexicon (a city's code), else\n"
	"the matched entry's term as written in the lexicon; surface the input\n"
	"bytes, with tab, newline, CR and backslash written \\t \\n \\r \\\\.\n"
	"Matching rules: docs/matching.md.\n"
	"\n"
	"Options:\n"
	"  --lexicon NAME|FILE  a lexicon: a path to a .nlex file, or NAME for\n"
	"                       DATA_DIR/NAME.nlex (the shipped lexicons: cities,\n"
	"                       topics, frames, tone; DATA_DIR is $NARRATE_DATA or\n"
	"                       the installed data folder).  Repeat for several;\n"
	"                       each lexicon resolves its own overlaps.\n"
	"  --lang L             the language of the text: only entries tagged L\n"
	"                       (any region or script: zh admits zh-Hant) or '*'\n"
	"                       apply, and only L's negators.  Default: all entries.\n"
	"  --kwic N             print keyword-in-context lines instead:\n"
	"                         offset lexicon category entry_id left keyword right\n"
	"                       with N characters (code points) of context on each\n"
	"                       side; line breaks and tabs in the context become\n"
	"                       spaces.\n"
	"  --details            add two columns to the hit lines: weight (the entry's\n"
	"                       w=) and negated (1 when a negator is within the\n"
	"                       entry's window, else 0).\n"
	"  -h, --help           show this help and exit.\n"
	"\n"
	"Exit status: 0 success (with or without hits), 2 usage error, 3 input\n"
	"error (a lexicon is invalid or missing, the input cannot be read or is not\n"
	"UTF-8), 4 internal or output error.\n";

static void usage_hint(void)
{
	fputs("see 'narrate match --help'\n", stderr);
}

static void put_field(const char *s, size_t len, FILE *out)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		const char *esc;

		switch (s[i]) {
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\\': esc = "\\\\"; break;
		default: continue;
		}
		fwrite(s + run, 1, i - run, out);
		fputs(esc, out);
		run = i + 1;
	}
	fwrite(s + run, 1, len - run, out);
}

/* Context for --kwic: white space control characters become spaces. */
static void put_context(const char *s, size_t len, FILE *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
			c = ' ';
		if (c == '\\')
			fputs("\\\\", out);
		else
			fputc(c, out);
	}
}

/* Byte offset n code points before / after pos in valid UTF-8. */
static size_t back_cps(const char *s, size_t pos, size_t n)
{
	while (pos > 0 && n > 0) {
		pos--;
		while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
			pos--;
		n--;
	}
	return pos;
}

static size_t fwd_cps(const char *s, size_t len, size_t pos, size_t n)
{
	while (pos < len && n > 0) {
		pos++;
		while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
			pos++;
		n--;
	}
	return pos;
}

static int is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* NAME -> DATA_DIR/NAME.nlex unless it looks like or is a path. */
static int load_lexicon(struct nr_lexicon *lex, const char *arg)
{
	char path[4096];
	int rc;

	if (strchr(arg, '/') || is_file(arg) ||
	    (strlen(arg) > 5 && !strcmp(arg + strlen(arg) - 5, ".nlex"))) {
		snprintf(path, sizeof(path), "%s", arg);
	} else {
		snprintf(path, sizeof(path), "%s/%s.nlex", nr_tool_data_dir(), arg);
		if (!is_file(path)) {
			nr_tool_error("no lexicon named '%s' (looked for '%s')", arg, path);
			return NR_EXIT_INPUT;
		}
	}
	rc = nr_lexicon_load_file(lex, path);
	if (rc) {
		fflush(stdout);
		/* FILE:LINE:COL: ... as compilers print it; other failures
		 * (cannot open, out of memory) the usual narrate: way */
		fprintf(stderr, "%s%s\n",
			nr_lexicon_error_line(lex) ? "" : "narrate: ", nr_lexicon_errmsg(lex));
		return rc == NR_ENOMEM ? NR_EXIT_INTERNAL : NR_EXIT_INPUT;
	}
	return NR_EXIT_OK;
}

int cmd_match(int argc, char **argv)
{
	enum { OPT_LEXICON = 256, OPT_LANG, OPT_KWIC, OPT_DETAILS };
	static const struct option longopts[] = {
		{"lexicon", required_argument, NULL, OPT_LEXICON},
		{"lang", required_argument, NULL, OPT_LANG},
		{"kwic", required_argument, NULL, OPT_KWIC},
		{"details", no_argument, NULL, OPT_DETAILS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *names[MAX_LEXICONS];
	struct nr_lexicon *lex[MAX_LEXICONS];
	size_t nlex = 0, i, len = 0, ntoks, nhits;
	const char *lang = NULL, *in = "-";
	long kwic = -1;
	int details = 0, c, rc = NR_EXIT_OK;
	struct nr_matcher *m = NULL;
	struct nr_tokenizer *tok = NULL;
	struct nr_tokenizer_options topts;
	const struct nr_token *toks;
	const struct nr_match_hit *hits;
	char *text = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LEXICON:
			if (nlex == MAX_LEXICONS) {
				nr_tool_error("at most %d lexicons", MAX_LEXICONS);
				return NR_EXIT_USAGE;
			}
			names[nlex++] = optarg;
			break;
		case OPT_LANG:
			if (!*optarg) {
				nr_tool_error("--lang needs a language code");
				usage_hint();
				return NR_EXIT_USAGE;
			}
			lang = optarg;
			break;
		case OPT_KWIC: {
			char *end;

			errno = 0;
			kwic = strtol(optarg, &end, 10);
			if (*end || end == optarg || errno || kwic < 0 || kwic > 100000) {
				nr_tool_error("--kwic needs a number of characters (0 to 100000), "
					      "not '%s'",
					      optarg);
				usage_hint();
				return NR_EXIT_USAGE;
			}
			break;
		}
		case OPT_DETAILS: details = 1; break;
		case 'h': fputs(usage_text, stdout); return NR_EXIT_OK;
		case ':':
			nr_tool_error("option '%s' needs a value", argv[optind - 1]);
			usage_hint();
			return NR_EXIT_USAGE;
		default:
			nr_tool_error("unknown option '%s'", argv[optind - 1]);
			usage_hint();
			return NR_EXIT_USAGE;
		}
	}
	if (!nlex) {
		nr_tool_error("match needs at least one --lexicon");
		usage_hint();
		return NR_EXIT_USAGE;
	}
	if (optind < argc)
		in = argv[optind++];
	if (optind < argc) {
		nr_tool_error("match reads one input; '%s' is one too many", argv[optind]);
		usage_hint();
		return NR_EXIT_USAGE;
	}
	memset(lex, 0, sizeof(lex));
	for (i = 0; i < nlex; i++) {
		if (nr_lexicon_new(&lex[i]) != NR_OK) {
			nr_tool_error("out of memory");
			rc = NR_EXIT_INTERNAL;
			goto out;
		}
		rc = load_lexicon(lex[i], names[i]);
		if (rc)
			goto out;
	}
	if (nr_matcher_new(&m, (const struct nr_lexicon *const *)lex, nlex) != NR_OK) {
		nr_tool_error("cannot compile the lexicons: out of memory");
		rc = NR_EXIT_INTERNAL;
		goto out;
	}
	text = nr_tool_read_file(in, MAX_INPUT, &len);
	if (!text) {
		rc = NR_EXIT_INPUT;
		goto out;
	}
	memset(&topts, 0, sizeof(topts));
	topts.flags = NR_TOKENIZE_NO_STEM;
	if (nr_tokenizer_new(&tok, &topts) != NR_OK) {
		nr_tool_error("cannot create a tokenizer");
		rc = NR_EXIT_INTERNAL;
		goto out;
	}
	/* the language only filters entries; tokenizing needs none */
	c = nr_tokenize(tok, text, len, lang ? lang : "und", &toks, &ntoks);
	if (c == NR_EUTF8) {
		nr_tool_error("'%s' is not valid UTF-8 (first bad byte at offset %zu)",
			      strcmp(in, "-") ? in : "standard input",
			      nr_tokenizer_error_offset(tok));
		rc = NR_EXIT_INPUT;
		goto out;
	} else if (c) {
		nr_tool_error("cannot tokenize '%s': %s", in, nr_strerror(c));
		rc = c == NR_ELIMIT ? NR_EXIT_INPUT : NR_EXIT_INTERNAL;
		goto out;
	}
	c = nr_matcher_match(m, text, len, toks, ntoks, lang, &hits, &nhits);
	if (c) {
		nr_tool_error("matching failed: %s", nr_strerror(c));
		rc = NR_EXIT_INTERNAL;
		goto out;
	}
	for (i = 0; i < nhits; i++) {
		const struct nr_match_hit *h = &hits[i];
		const struct nr_lexicon *lx = lex[h->lexicon];
		const char *id = h->entity_id ? h->entity_id : nr_lexicon_entry_term(lx, h->entry);

		if (kwic >= 0) {
			size_t l = back_cps(text, h->offset, (size_t)kwic);
			size_t r = fwd_cps(text, len, h->offset + h->length, (size_t)kwic);

			printf("%zu\t%s\t%s\t", h->offset, nr_lexicon_name(lx),
			       nr_lexicon_category_name(lx, h->category));
			put_field(id, strlen(id), stdout);
			fputc('\t', stdout);
			put_context(text + l, h->offset - l, stdout);
			fputc('\t', stdout);
			put_context(text + h->offset, h->length, stdout);
			fputc('\t', stdout);
			put_context(text + h->offset + h->length, r - h->offset - h->length,
				    stdout);
			fputc('\n', stdout);
			continue;
		}
		printf("%zu\t%zu\t%s\t%s\t", h->offset, h->length, nr_lexicon_name(lx),
		       nr_lexicon_category_name(lx, h->category));
		put_field(id, strlen(id), stdout);
		fputc('\t', stdout);
		put_field(text + h->offset, h->length, stdout);
		if (details)
			printf("\t%g\t%d", h->weight, h->negated);
		fputc('\n', stdout);
	}
out:
	nr_matcher_free(m);
	nr_tokenizer_free(tok);
	for (i = 0; i < nlex; i++)
		nr_lexicon_free(lex[i]);
	free(text);
	return rc;
}
