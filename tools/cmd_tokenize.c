/*
 * cmd_tokenize.c - `narrate tokenize`: typed, normalised, stemmed tokens of
 * one file, with byte offsets into that file, as TSV or JSON Lines.
 *
 * The input is never held whole: it is read in pieces of at most
 * --piece-size bytes (1 MiB by default), each cut at a place where a token
 * is unlikely to continue (see cut_piece), and every piece is one
 * nr_tokenize call whose offsets are shifted by where the piece starts in the
 * file.  Memory therefore depends on the piece size, not on the input size.
 * Uses the public API (narrate.h) only, as any other program would.
 */
/* fileno and fstat are POSIX, hidden by -std=c11 without this. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "narrate.h"
#include "cmd.h"

#define PIECE_DEFAULT ((size_t)1 << 20)
#define PIECE_MIN     ((size_t)64)
#define PIECE_MAX     ((size_t)64 << 20)

enum out_format { FORMAT_TSV, FORMAT_JSONL };

struct tokenize_opts {
	const char *lang;	/* --lang, or NULL to identify */
	enum out_format format; /* --format */
	unsigned flags;		/* NR_TOKENIZE_* */
	uint64_t max_bytes;	/* --max-bytes; 0: no limit */
	size_t piece;		/* --piece-size */
};

/* Output goes through this buffer rather than stdio calls per field: with
 * fprintf/fwrite per column, stdio took two thirds of the run time of
 * `narrate tokenize` on English text.  Flushed to stdout after each piece. */
#define OUT_SIZE ((size_t)1 << 16)

struct out {
	size_t len;
	char buf[OUT_SIZE];
};

/* The state of one run: the input, the tokenizer, the counters. */
struct tokenize_run {
	const struct tokenize_opts *opts;
	const char *path;     /* as given, "-" for standard input */
	char name[64 + 4096]; /* for messages: 'path' or standard input */
	FILE *in;
	struct nr_tokenizer *tok;
	char lang[16]; /* the language every piece after the first uses */
	int have_lang;
	int noted; /* the note on a language with no stopword list is out */
	uint64_t repairs;
	struct out out;
};

static const char usage_text[] =
	"usage: narrate tokenize [OPTIONS] [FILE|-]\n"
	"\n"
	"Split FILE (or standard input when FILE is '-' or absent) into typed,\n"
	"normalised and stemmed tokens, one per output line.  FILE must be UTF-8.\n"
	"\n"
	"Options:\n"
	"  --lang L          the language of the text (ISO 639-1 code: en, zh, ja,\n"
	"                    ko, ru, ar, fr, ...); chooses the stemmer and the\n"
	"                    stopword list, and in fr, it, ca, oc and ga splits an\n"
	"                    elided article off its word (l'été: l' + été).\n"
	"                    Without it the language is identified once, from\n"
	"                    the first piece of the input (up to the piece size)\n"
	"                    that is not only numbers, emoji or symbols, and\n"
	"                    used for the rest of the file.\n"
	"  --format F        tsv (default) or jsonl.\n"
	"  --repair          replace ill-formed UTF-8 with U+FFFD instead of\n"
	"                    failing; offsets still index the original bytes, and\n"
	"                    the number of replacements is reported on stderr.\n"
	"  --no-stem         leave the stem column equal to the norm column.\n"
	"  --no-punct        drop punctuation tokens.\n"
	"  --max-bytes N     refuse an input longer than N bytes (suffixes K, M, G\n"
	"                    for KiB, MiB, GiB); default: no limit.\n"
	"  --piece-size N    read and tokenize the input in pieces of at most N\n"
	"                    bytes (64 to 64M, default 1M); memory use follows N.\n"
	"  -h, --help        show this help and exit.\n"
	"\n"
	"Pieces end at the last newline in the piece; in a longer line at the last\n"
	"ASCII space, tab, CR, FF or VT; in a line without any, at the last UTF-8\n"
	"character boundary, which may split a word in two.\n"
	"\n"
	"TSV output, one token per line, tab-separated, no header:\n"
	"  offset  length  type  surface  norm  stem  stop\n"
	"offset and length are in bytes of the original input; type is one of\n"
	"word, number, url, email, mention, hashtag, emoji, punct; surface is the\n"
	"input bytes, norm the NFKC case-folded form, stem its stem; stop is 1 for\n"
	"a stopword, else 0.  In surface, norm and stem a tab, newline, carriage\n"
	"return and backslash are written as \\t, \\n, \\r and \\\\.\n"
	"\n"
	"JSONL output: one object per token with the same fields (\"stop\" is true\n"
	"or false); ill-formed bytes in \"surface\" (with --repair) are U+FFFD.\n"
	"\n"
	"Control characters (U+0000 NUL included) form no token.\n"
	"\n"
	"Exit status: 0 success, 2 usage error, 3 input error (cannot read the\n"
	"file, invalid UTF-8, over --max-bytes), 4 internal or output error.\n";

static void usage_hint(void)
{
	fputs("see 'narrate tokenize --help'\n", stderr);
}

/* Parse "123", "4K", "16M", "1G" (binary multiples).  0 on success. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mul = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k':
	case 'K':
		mul = (uint64_t)1 << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = (uint64_t)1 << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = (uint64_t)1 << 30;
		end++;
		break;
	default: return -1;
	}
	if (*end != '\0' || (v && mul > UINT64_MAX / v))
		return -1;
	*out = v * mul;
	return 0;
}

static void out_flush(struct out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, stdout);
	o->len = 0;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (n > OUT_SIZE - o->len) {
		out_flush(o);
		if (n > OUT_SIZE / 2) {
			fwrite(s, 1, n, stdout);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static void out_char(struct out *o, char c)
{
	if (o->len == OUT_SIZE)
		out_flush(o);
	o->buf[o->len++] = c;
}

static void out_u64(struct out *o, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_bytes(o, d + i, sizeof(d) - i);
}

/* Write s[0..len) with tab, newline, CR and backslash escaped so that one
 * token stays one TSV line whatever its bytes; everything else is written
 * as is. */
static void put_tsv_field(struct out *o, const char *s, size_t len)
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
		out_bytes(o, s + run, i - run);
		out_bytes(o, esc, 2);
		run = i + 1;
	}
	out_bytes(o, s + run, len - run);
}

static void put_tsv(struct out *o, const struct nr_token *t, const char *surface, uint64_t offset)
{
	out_u64(o, offset);
	out_char(o, '\t');
	out_u64(o, t->length);
	out_char(o, '\t');
	out_str(o, nr_token_type_name(t->type));
	out_char(o, '\t');
	put_tsv_field(o, surface, t->length);
	out_char(o, '\t');
	put_tsv_field(o, t->norm, t->norm_len);
	out_char(o, '\t');
	put_tsv_field(o, t->stem, t->stem_len);
	out_bytes(o, t->stop ? "\t1\n" : "\t0\n", 3);
}

/* Write s[0..len) as a JSON string (RFC 8259): quote, backslash and C0
 * controls escaped, everything else as UTF-8, the bytes jansson's compact
 * dump would give.  Written by hand because building a jansson object per
 * token made --format jsonl 3.7 times slower than TSV (27.8 s against 7.4 s
 * on a 52 MB line); the output has no nesting to get wrong. */
static void put_json_string(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;

	out_char(o, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char u[6] = {'\\', 'u', '0', '0', 0, 0};
		const char *esc = u;
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			n = 6;
		}
		out_bytes(o, s + run, i - run);
		out_bytes(o, esc, n);
		run = i + 1;
	}
	out_bytes(o, s + run, len - run);
	out_char(o, '"');
}

/* A JSON string must be Unicode: with --repair the surface may hold the
 * original ill-formed bytes, which become U+FFFD here.  Returns 0, or -1
 * when memory ran out. */
static int put_json_text(struct out *o, const char *s, size_t len)
{
	char *fixed;
	size_t fixed_len;

	if (nr_utf8_check(s, len, NULL) == NR_OK) {
		put_json_string(o, s, len);
		return 0;
	}
	if (nr_utf8_repair(s, len, &fixed, &fixed_len, NULL) != NR_OK)
		return -1;
	put_json_string(o, fixed, fixed_len);
	nr_free(fixed);
	return 0;
}

/* One token as a JSON object on one line.  Returns 0, or -1 when memory
 * ran out. */
static int put_jsonl(struct out *o, const struct nr_token *t, const char *surface, uint64_t offset)
{
	out_str(o, "{\"offset\":");
	out_u64(o, offset);
	out_str(o, ",\"length\":");
	out_u64(o, t->length);
	out_str(o, ",\"type\":\"");
	out_str(o, nr_token_type_name(t->type));
	out_str(o, "\",\"surface\":");
	if (put_json_text(o, surface, t->length) < 0)
		return -1;
	out_str(o, ",\"norm\":");
	if (put_json_text(o, t->norm, t->norm_len) < 0)
		return -1;
	out_str(o, ",\"stem\":");
	if (put_json_text(o, t->stem, t->stem_len) < 0)
		return -1;
	out_str(o, t->stop ? ",\"stop\":true}\n" : ",\"stop\":false}\n");
	return 0;
}

static int is_cut_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Where a piece buf[0..len) that is not the end of the input should end.
 * Tokens do not run over a newline, so cutting after the last one changes
 * nothing; a line longer than a piece is cut after its last ASCII white
 * space, and a piece with no white space at all before the last character
 * that starts in it (so no UTF-8 sequence is split and the repair of an
 * ill-formed one is the same as without the cut).  Returns 1..len. */
static size_t cut_piece(const char *buf, size_t len)
{
	size_t i, j;

	for (i = len; i > 0; i--)
		if (buf[i - 1] == '\n')
			return i;
	for (i = len; i > 0; i--)
		if (is_cut_space((unsigned char)buf[i - 1]))
			return i;
	/* A character is at most 4 bytes: look at most 3 continuation bytes
	 * back for its lead byte.  More than that are stray bytes, each an
	 * ill-formed subpart of its own, so cutting among them is harmless. */
	for (j = len - 1; j > 0 && len - j < 4; j--)
		if (((unsigned char)buf[j] & 0xC0) != 0x80)
			break;
	if (j > 0 && ((unsigned char)buf[j] & 0xC0) != 0x80)
		return j;
	return len;
}

/* Tokenize one piece, which starts at byte base of the input, and write its
 * tokens.  Returns an exit code. */
static int tokenize_piece(struct tokenize_run *r, const char *s, size_t len, uint64_t base)
{
	const struct nr_token *tokens;
	size_t n, i;
	const char *lang = r->opts->lang ? r->opts->lang : (r->have_lang ? r->lang : NULL);
	int err;

	err = nr_tokenize(r->tok, s, len, lang, &tokens, &n);
	if (err == NR_EUTF8) {
		nr_tool_error("%s is not valid UTF-8 at byte %" PRIu64
			      " (use --repair to replace bad bytes with U+FFFD)",
			      r->name, base + nr_tokenizer_error_offset(r->tok));
		return NR_EXIT_INPUT;
	}
	if (err == NR_ENOTFOUND || err == NR_EUNSUPPORTED || err == NR_EINVAL) {
		const char *msg = nr_tokenizer_errmsg(r->tok);

		if (r->opts->lang)
			nr_tool_error("cannot tokenize as language '%s': %s", r->opts->lang,
				      *msg ? msg : nr_strerror(err));
		else
			nr_tool_error("cannot tokenize %s: %s", r->name,
				      *msg ? msg : nr_strerror(err));
		return r->opts->lang ? NR_EXIT_USAGE : NR_EXIT_INTERNAL;
	}
	if (err != NR_OK) {
		const char *msg = nr_tokenizer_errmsg(r->tok);

		nr_tool_error("cannot tokenize %s at byte %" PRIu64 ": %s", r->name, base,
			      *msg ? msg : nr_strerror(err));
		return NR_EXIT_INTERNAL;
	}
	/* Identify once; "und" (no basis for a guess: only numbers, emoji...)
	 * lets the next piece try again. */
	if (!r->opts->lang && !r->have_lang) {
		const char *l = nr_tokenizer_lang(r->tok);

		if (l && *l && strcmp(l, "und") != 0 && strlen(l) < sizeof(r->lang)) {
			memcpy(r->lang, l, strlen(l) + 1);
			r->have_lang = 1;
		}
	}
	/* Said once: a language narrate has no list for (a typo in --lang,
	 * or one the data folder lacks) flags no token as a stopword. */
	if (!r->noted && !nr_tokenizer_has_stopwords(r->tok)) {
		const char *l = nr_tokenizer_lang(r->tok);

		if (l && *l && strcmp(l, "und") != 0) {
			fprintf(stderr,
				"narrate: note: no stopword list for language '%s': the stop "
				"column is 0 for every token (docs/stopwords.md)\n",
				l);
			r->noted = 1;
		}
	}
	r->repairs += nr_tokenizer_repairs(r->tok);
	for (i = 0; i < n; i++) {
		const struct nr_token *t = &tokens[i];

		if (t->offset > len || t->length > len - t->offset) {
			out_flush(&r->out);
			nr_tool_error(
				"tokenizer returned a token outside its input (%zu+%zu > %zu)",
				t->offset, t->length, len);
			return NR_EXIT_INTERNAL;
		}
		if (r->opts->format == FORMAT_TSV) {
			put_tsv(&r->out, t, s + t->offset, base + t->offset);
		} else if (put_jsonl(&r->out, t, s + t->offset, base + t->offset) < 0) {
			out_flush(&r->out);
			nr_tool_error("out of memory");
			return NR_EXIT_INTERNAL;
		}
	}
	out_flush(&r->out);
	return NR_EXIT_OK;
}

/* Read the input piece by piece and tokenize each.  Returns an exit code. */
static int tokenize_stream(struct tokenize_run *r)
{
	size_t cap = r->opts->piece, have = 0;
	uint64_t base = 0;
	int eof = 0, rc = NR_EXIT_OK;
	char *buf = malloc(cap);

	if (!buf) {
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	while (rc == NR_EXIT_OK) {
		size_t cut;

		while (!eof && have < cap) {
			size_t got = fread(buf + have, 1, cap - have, r->in);

			have += got;
			if (got == 0) {
				if (ferror(r->in)) {
					nr_tool_error("cannot read %s: %s", r->name,
						      strerror(errno));
					rc = NR_EXIT_INPUT;
					goto done;
				}
				eof = 1;
			}
		}
		if (r->opts->max_bytes && base + have > r->opts->max_bytes) {
			nr_tool_error("%s is larger than %" PRIu64 " bytes (see --max-bytes)",
				      r->name, r->opts->max_bytes);
			rc = NR_EXIT_INPUT;
			break;
		}
		if (have == 0)
			break;
		cut = eof ? have : cut_piece(buf, have);
		rc = tokenize_piece(r, buf, cut, base);
		memmove(buf, buf + cut, have - cut);
		have -= cut;
		base += cut;
		/* Stop early when the output is gone (a full disk, a closed pipe);
		 * main reports it. */
		if (ferror(stdout))
			rc = NR_EXIT_INTERNAL;
	}
done:
	free(buf);
	return rc;
}

static int open_input(struct tokenize_run *r)
{
	if (!strcmp(r->path, "-")) {
		r->in = stdin;
		snprintf(r->name, sizeof(r->name), "standard input");
		return 0;
	}
	snprintf(r->name, sizeof(r->name), "'%s'", r->path);
	/* A directory opens fine; its first read fails with EISDIR and is
	 * reported as "cannot read 'dir': Is a directory". */
	r->in = fopen(r->path, "rb");
	if (!r->in) {
		nr_tool_error("cannot open %s: %s", r->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* A regular file over --max-bytes is refused before any token is written;
 * other inputs (pipes) are checked as they are read. */
static int check_size(struct tokenize_run *r)
{
	struct stat st;

	if (!r->opts->max_bytes || fstat(fileno(r->in), &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((uint64_t)st.st_size <= r->opts->max_bytes)
		return 0;
	nr_tool_error("%s is larger than %" PRIu64 " bytes (see --max-bytes)", r->name,
		      r->opts->max_bytes);
	return -1;
}

int cmd_tokenize(int argc, char **argv)
{
	enum {
		OPT_LANG = 256,
		OPT_FORMAT,
		OPT_REPAIR,
		OPT_NO_STEM,
		OPT_NO_PUNCT,
		OPT_MAX_BYTES,
		OPT_PIECE_SIZE
	};
	static const struct option longopts[] = {
		{"lang", required_argument, NULL, OPT_LANG},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"repair", no_argument, NULL, OPT_REPAIR},
		{"no-stem", no_argument, NULL, OPT_NO_STEM},
		{"no-punct", no_argument, NULL, OPT_NO_PUNCT},
		{"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
		{"piece-size", required_argument, NULL, OPT_PIECE_SIZE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct tokenize_opts opts = {.format = FORMAT_TSV, .piece = PIECE_DEFAULT};
	struct tokenize_run run = {.opts = &opts};
	struct nr_tokenizer_options topts = {0};
	uint64_t v;
	int c, err, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LANG:
			if (!*optarg) {
				nr_tool_error("--lang needs a language code");
				usage_hint();
				return NR_EXIT_USAGE;
			}
			opts.lang = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "tsv")) {
				opts.format = FORMAT_TSV;
			} else if (!strcmp(optarg, "jsonl")) {
				opts.format = FORMAT_JSONL;
			} else {
				nr_tool_error("unknown format '%s' (expected tsv or jsonl)",
					      optarg);
				usage_hint();
				return NR_EXIT_USAGE;
			}
			break;
		case OPT_REPAIR: opts.flags |= NR_TOKENIZE_REPAIR_UTF8; break;
		case OPT_NO_STEM: opts.flags |= NR_TOKENIZE_NO_STEM; break;
		case OPT_NO_PUNCT: opts.flags |= NR_TOKENIZE_NO_PUNCT; break;
		case OPT_MAX_BYTES:
			if (parse_size(optarg, &opts.max_bytes)) {
				nr_tool_error("invalid --max-bytes value '%s'", optarg);
				usage_hint();
				return NR_EXIT_USAGE;
			}
			break;
		case OPT_PIECE_SIZE:
			if (parse_size(optarg, &v) || v < PIECE_MIN || v > PIECE_MAX) {
				nr_tool_error("invalid --piece-size value '%s' (64 to 64M)",
					      optarg);
				usage_hint();
				return NR_EXIT_USAGE;
			}
			opts.piece = (size_t)v;
			break;
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
	if (argc - optind > 1) {
		nr_tool_error("too many arguments: one FILE at most");
		usage_hint();
		return NR_EXIT_USAGE;
	}
	run.path = optind < argc ? argv[optind] : "-";

	topts.data_dir = nr_tool_data_dir();
	topts.flags = opts.flags;
	err = nr_tokenizer_new(&run.tok, &topts);
	if (err != NR_OK) {
		nr_tool_error("cannot set up the tokenizer (data in '%s'): %s", topts.data_dir,
			      nr_strerror(err));
		return NR_EXIT_INTERNAL;
	}
	if (open_input(&run) < 0) {
		nr_tokenizer_free(run.tok);
		return NR_EXIT_INPUT;
	}
	rc = check_size(&run) < 0 ? NR_EXIT_INPUT : tokenize_stream(&run);
	if (rc == NR_EXIT_OK && (opts.flags & NR_TOKENIZE_REPAIR_UTF8))
		nr_tool_error("replaced %" PRIu64 " ill-formed UTF-8 sequence%s in %s with U+FFFD",
			      run.repairs, run.repairs == 1 ? "" : "s", run.name);
	if (run.in != stdin)
		fclose(run.in);
	nr_tokenizer_free(run.tok);
	return rc;
}
