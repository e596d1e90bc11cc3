/*
 * corpus.c - reading documents from folders of JSONL, CSV/TSV and TXT/MD
 * files, any of them gzip-compressed.
 *
 * The reader is a pull parser: nr_corpus_next returns one event at a time,
 * a document or a reject, so that a caller can count every document read
 * (read = analysed + rejected) and memory stays bounded by the largest
 * document, never by the corpus.  zlib reads plain and gzip files alike;
 * JSON lines go through lib/jsonscan.c (validation and field spans, no
 * tree), and jansson parses the lines the scanner refuses (for its error
 * message), fields the scanner was not asked for, and sidecars; libcsv
 * parses CSV with quoted fields and embedded newlines.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>
#include <zlib.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "corpus.h"
#include "jsonscan.h"

#define DEFAULT_MAX_DOC ((size_t)64 << 20)
#define READ_CHUNK	65536
#define MAX_FILES	10000000

/* The fields narrate knows, in struct nr_doc order after id and text. */
enum field {
	F_ID,
	F_TEXT,
	F_CITY,
	F_PLATFORM,
	F_LANG,
	F_DATE,
	F_AUTHOR_TYPE,
	F_MEDIA,
	F_URL,
	F_TITLE,
	F_LIKES,
	F_SHARES,
	F_COMMENTS,
	F_VIEWS,
	F_COUNT
};
static const char *const field_names[F_COUNT] = {
	"id",	 "text", "city",  "platform", "lang",	"date",	    "author_type",
	"media", "url",	 "title", "likes",    "shares", "comments", "views"};
#define FIRST_COUNT F_LIKES

struct file_entry {
	char *path;
	size_t root_len; /* length of the folder prefix given by the user, 0 for a file */
	int fmt;	 /* enum nri_corpus_format given by the user, or -1: by name */
	int std_in;	 /* standard input ('-'): path is only its name in messages */
};

/* Buffered line reader over a gzFile that never holds more than a cap. */
struct line_reader {
	gzFile gz;
	char *buf;
	size_t start, end;
	int eof;
	int err; /* a read error or truncated gzip: message in errmsg */
	char errmsg[160];
};

struct nr_corpus {
	char *map_ours[F_COUNT + 64];
	char *map_theirs[F_COUNT + 64];
	size_t nmap;
	char **path_fields;
	size_t npath_fields;
	size_t max_doc;
	unsigned flags;

	struct file_entry *files;
	size_t nfiles, files_cap, next_file;
	int format;   /* nr_corpus_options.format, or -1 */
	int have_std; /* '-' was queued */

	/* the open file */
	struct file_entry *cur;
	enum nri_corpus_format fmt;
	struct line_reader lr;
	unsigned long line; /* lines consumed so far */
	unsigned long docs_in_file;
	int file_done;

	/* CSV state */
	struct csv_parser csv;
	int csv_inited;
	int csv_header_done;
	char **header;
	size_t nheader;
	int col[F_COUNT];   /* header index of each known field, -1 */
	struct nri_buf row; /* the fields of the row being built, NUL-separated */
	size_t *row_off;
	size_t nrow, row_cap;
	int row_ready;
	int row_too_big;
	unsigned long row_line; /* line the row started on */
	int row_started;

	/* the current document */
	struct nr_doc doc;
	json_t *json;		     /* JSONL: the parsed line; TXT: the sidecar */
	const char *theirs[F_COUNT]; /* their names of our fields */
	size_t theirs_len[F_COUNT];
	struct nri_jsonscan_keys keys; /* the same, for the scanner */
	int no_scan;		       /* nri_corpus_set_scan(c, 0): jansson only */
	int scanned;		       /* the JSONL line was read by the scanner */
	int scanned_text;	       /* ... and c->text still holds that line */
	const char *scan_str[F_COUNT]; /* ... and its string members, or NULL */
	char *fixed;		       /* the line after --repair-utf8, or NULL */
	size_t fixed_len;
	char numtext[F_COUNT][32]; /* JSON numbers in text fields, as text */
	struct nri_buf text;	   /* line or file content */
	struct nri_buf scratch;	   /* converted numbers and ids */
	char source[4200];
	size_t source_len;		    /* of the path in source */
	const struct file_entry *source_of; /* the file source names */
	char reject_id[256];
	int have_reject_id;
	char reason[512];
	char errmsg[512];
};

enum nri_corpus_format nri_corpus_format_named(const char *format)
{
	char name[16];

	if (!format || strlen(format) + 2 > sizeof(name) || strchr(format, '.') ||
	    strchr(format, '/'))
		return NRI_FMT_UNKNOWN;
	snprintf(name, sizeof(name), ".%s", format);
	return nri_corpus_format_of(name, NULL);
}

enum nri_corpus_format nri_corpus_format_of(const char *name, int *gz)
{
	size_t n = strlen(name);
	const char *dot;
	char ext[16];
	size_t elen;

	if (gz)
		*gz = 0;
	if (n > 3 && !strcmp(name + n - 3, ".gz")) {
		n -= 3;
		if (gz)
			*gz = 1;
	}
	dot = NULL;
	for (size_t i = n; i > 0; i--) {
		if (name[i - 1] == '/')
			break;
		if (name[i - 1] == '.') {
			dot = name + i - 1;
			break;
		}
	}
	if (!dot)
		return NRI_FMT_UNKNOWN;
	elen = (size_t)(name + n - dot);
	if (elen >= sizeof(ext))
		return NRI_FMT_UNKNOWN;
	for (size_t i = 0; i < elen; i++) {
		char ch = dot[i];

		ext[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
	}
	ext[elen] = '\0';
	if (!strcmp(ext, ".jsonl") || !strcmp(ext, ".ndjson"))
		return NRI_FMT_JSONL;
	if (!strcmp(ext, ".csv"))
		return NRI_FMT_CSV;
	if (!strcmp(ext, ".tsv"))
		return NRI_FMT_TSV;
	if (!strcmp(ext, ".txt") || !strcmp(ext, ".md"))
		return NRI_FMT_TXT;
	return NRI_FMT_UNKNOWN;
}

/* ---- options ------------------------------------------------------------ */

static char *dup_str(const char *s)
{
	return nri_strndup(s, strlen(s));
}

static const char *their_name(const struct nr_corpus *c, const char *ours);

int nr_corpus_new(struct nr_corpus **out, const struct nr_corpus_options *opts)
{
	struct nr_corpus *c;

	*out = NULL;
	c = nri_calloc(1, sizeof(*c));
	if (!c)
		return NR_ENOMEM;
	c->max_doc = opts && opts->max_doc_bytes ? opts->max_doc_bytes : DEFAULT_MAX_DOC;
	c->flags = opts ? opts->flags : 0;
	c->format = -1;
	if (opts && opts->format) {
		c->format = nri_corpus_format_named(opts->format);
		if (c->format == NRI_FMT_UNKNOWN) {
			nr_corpus_free(c);
			return NR_EINVAL;
		}
	}
	nri_buf_init(&c->text, c->max_doc + 16);
	nri_buf_init(&c->scratch, 0);
	nri_buf_init(&c->row, c->max_doc + 4096);
	if (opts && opts->field_map) {
		for (size_t i = 0; opts->field_map[i]; i++) {
			const char *m = opts->field_map[i];
			const char *eq = strchr(m, '=');

			if (!eq || eq == m || !eq[1] || c->nmap >= F_COUNT + 64) {
				snprintf(c->errmsg, sizeof(c->errmsg),
					 "bad field mapping '%s': expected OURS=THEIRS", m);
				nr_corpus_free(c);
				return NR_EINVAL;
			}
			c->map_ours[c->nmap] = nri_strndup(m, (size_t)(eq - m));
			c->map_theirs[c->nmap] = dup_str(eq + 1);
			c->nmap++;
			if (!c->map_ours[c->nmap - 1] || !c->map_theirs[c->nmap - 1]) {
				nr_corpus_free(c);
				return NR_ENOMEM;
			}
		}
	}
	for (int f = 0; f < F_COUNT; f++) {
		c->theirs[f] = their_name(c, field_names[f]);
		c->theirs_len[f] = strlen(c->theirs[f]);
	}
	nri_jsonscan_keys_init(&c->keys, c->theirs, c->theirs_len, F_COUNT);
	if (opts && opts->path_fields && *opts->path_fields) {
		const char *p = opts->path_fields;

		while (*p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			char **nf =
				nri_realloc(c->path_fields, (c->npath_fields + 1) * sizeof(*nf));

			if (!nf) {
				nr_corpus_free(c);
				return NR_ENOMEM;
			}
			c->path_fields = nf;
			nf[c->npath_fields] = nri_strndup(p, len);
			if (!nf[c->npath_fields]) {
				nr_corpus_free(c);
				return NR_ENOMEM;
			}
			c->npath_fields++;
			p += len;
			if (*p == ',')
				p++;
		}
	}
	*out = c;
	return NR_OK;
}

/* The name of our field in the user's data. */
static const char *their_name(const struct nr_corpus *c, const char *ours)
{
	for (size_t i = 0; i < c->nmap; i++)
		if (!strcmp(c->map_ours[i], ours))
			return c->map_theirs[i];
	return ours;
}

static void close_file(struct nr_corpus *c)
{
	if (c->lr.gz)
		gzclose(c->lr.gz);
	nri_free(c->lr.buf);
	memset(&c->lr, 0, sizeof(c->lr));
	if (c->csv_inited)
		csv_free(&c->csv);
	c->csv_inited = 0;
	c->csv_header_done = 0;
	for (size_t i = 0; i < c->nheader; i++)
		nri_free(c->header[i]);
	nri_free(c->header);
	c->header = NULL;
	c->nheader = 0;
	c->cur = NULL;
}

void nr_corpus_free(struct nr_corpus *c)
{
	if (!c)
		return;
	close_file(c);
	if (c->json)
		json_decref(c->json);
	nri_free(c->fixed);
	for (size_t i = 0; i < c->nmap; i++) {
		nri_free(c->map_ours[i]);
		nri_free(c->map_theirs[i]);
	}
	for (size_t i = 0; i < c->npath_fields; i++)
		nri_free(c->path_fields[i]);
	nri_free(c->path_fields);
	for (size_t i = 0; i < c->nfiles; i++)
		nri_free(c->files[i].path);
	nri_free(c->files);
	nri_buf_release(&c->text);
	nri_buf_release(&c->scratch);
	nri_buf_release(&c->row);
	nri_free(c->row_off);
	nri_free(c);
}

const char *nr_corpus_errmsg(const struct nr_corpus *c)
{
	return c ? c->errmsg : "";
}

const char *nr_corpus_reject_source(const struct nr_corpus *c)
{
	return c->source;
}

const char *nr_corpus_reject_id(const struct nr_corpus *c)
{
	return c->have_reject_id ? c->reject_id : NULL;
}

const char *nr_corpus_reject_reason(const struct nr_corpus *c)
{
	return c->reason;
}

/* ---- walking -------------------------------------------------------------- */

static int push_entry(struct nr_corpus *c, const char *path, size_t root_len, int fmt, int std_in)
{
	if (c->nfiles >= MAX_FILES)
		return NR_ELIMIT;
	if (c->nfiles == c->files_cap) {
		size_t ncap = c->files_cap ? c->files_cap * 2 : 64;
		struct file_entry *nf = nri_realloc(c->files, ncap * sizeof(*nf));

		if (!nf)
			return NR_ENOMEM;
		c->files = nf;
		c->files_cap = ncap;
	}
	c->files[c->nfiles].path = dup_str(path);
	if (!c->files[c->nfiles].path)
		return NR_ENOMEM;
	c->files[c->nfiles].root_len = root_len;
	c->files[c->nfiles].fmt = fmt;
	c->files[c->nfiles].std_in = std_in;
	c->nfiles++;
	return NR_OK;
}

static int push_file(struct nr_corpus *c, const char *path, size_t root_len)
{
	return push_entry(c, path, root_len, -1, 0);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth-first, entries in strcmp order (not the locale's), dot-files
 * skipped: the same folder gives the same document order everywhere. */
static int walk(struct nr_corpus *c, const char *dir, size_t root_len, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = NR_OK;

	if (depth > 64) {
		snprintf(c->errmsg, sizeof(c->errmsg), "folder '%s' is nested too deep", dir);
		return NR_ELIMIT;
	}
	d = opendir(dir);
	if (!d) {
		/* An unreadable sub-folder is recorded as a file that fails to
		 * open, so it shows up as a reject rather than vanishing. */
		return push_file(c, dir, root_len);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **nn = nri_realloc(names, ncap * sizeof(*nn));

			if (!nn) {
				rc = NR_ENOMEM;
				goto out;
			}
			names = nn;
			cap = ncap;
		}
		names[n] = dup_str(e->d_name);
		if (!names[n]) {
			rc = NR_ENOMEM;
			goto out;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && rc == NR_OK; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *p = nri_malloc(plen);
		struct stat st;

		if (!p) {
			rc = NR_ENOMEM;
			break;
		}
		snprintf(p, plen, "%s/%s", dir, names[i]);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(c, p, root_len, depth + 1);
		else
			rc = push_file(c, p, root_len);
		nri_free(p);
	}
out:
	for (size_t i = 0; i < n; i++)
		nri_free(names[i]);
	nri_free(names);
	closedir(d);
	return rc;
}

int nr_corpus_add_path(struct nr_corpus *c, const char *path)
{
	struct stat st;
	size_t len = strlen(path);
	char *p;
	int rc;

	if (!strcmp(path, "-")) {
		if (c->format < 0) {
			snprintf(c->errmsg, sizeof(c->errmsg),
				 "standard input ('-') needs a format (jsonl, ndjson, csv, tsv, "
				 "txt or md)");
			return NR_EINVAL;
		}
		if (c->have_std) {
			snprintf(c->errmsg, sizeof(c->errmsg),
				 "standard input ('-') can be read only once");
			return NR_EINVAL;
		}
		c->have_std = 1;
		return push_entry(c, "(standard input)", 0, c->format, 1);
	}
	if (stat(path, &st) != 0) {
		snprintf(c->errmsg, sizeof(c->errmsg), "cannot open corpus '%s': %s", path,
			 strerror(errno));
		return errno == ENOENT ? NR_ENOTFOUND : NR_EIO;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (c->format >= 0)
			return push_entry(c, path, 0, c->format, 0);
		if (nri_corpus_format_of(path, NULL) == NRI_FMT_UNKNOWN) {
			snprintf(c->errmsg, sizeof(c->errmsg),
				 "'%s' is not a corpus file: expected .jsonl, .ndjson, .csv, "
				 ".tsv, .txt or .md, optionally .gz",
				 path);
			return NR_EINVAL;
		}
		return push_file(c, path, 0);
	}
	while (len > 1 && path[len - 1] == '/')
		len--;
	p = nri_strndup(path, len);
	if (!p)
		return NR_ENOMEM;
	rc = walk(c, p, len, 0);
	nri_free(p);
	return rc;
}

/* ---- line reading ------------------------------------------------------ */

static int lr_fill(struct line_reader *lr)
{
	int n;

	if (lr->eof || lr->err)
		return 0;
	if (lr->start > 0 && lr->start == lr->end)
		lr->start = lr->end = 0;
	if (lr->end == READ_CHUNK) {
		/* the caller consumes everything before refilling */
		lr->start = lr->end = 0;
	}
	n = gzread(lr->gz, lr->buf + lr->end, (unsigned)(READ_CHUNK - lr->end));
	if (n < 0) {
		int zerr;
		const char *m = gzerror(lr->gz, &zerr);

		lr->err = 1;
		snprintf(lr->errmsg, sizeof(lr->errmsg), "%s",
			 zerr == Z_BUF_ERROR ? "truncated gzip stream (unexpected end of file)"
			 : zerr == Z_ERRNO   ? strerror(errno)
					     : (m ? m : "read error"));
		return 0;
	}
	if (n == 0) {
		int zerr;

		/* zlib reports a stream cut short as Z_BUF_ERROR at the end of
		 * the input, while gzread itself just returns 0. */
		gzerror(lr->gz, &zerr);
		if (zerr == Z_BUF_ERROR) {
			lr->err = 1;
			snprintf(lr->errmsg, sizeof(lr->errmsg),
				 "truncated gzip stream (unexpected end of file)");
			return 0;
		}
		lr->eof = 1;
		return 0;
	}
	lr->end += (size_t)n;
	return n;
}

/* Read one line (without its '\n', and without a '\r' before it) into out.
 * Returns 1 for a line, 0 at end of input or on a read error (lr->err),
 * NR_ENOMEM.  A line longer than max is consumed to its end and *too_long
 * set: memory never holds more than max bytes of it. */
static int lr_line(struct line_reader *lr, struct nri_buf *out, size_t max, int *too_long)
{
	int any = 0;

	nri_buf_reset(out);
	*too_long = 0;
	for (;;) {
		char *nl;
		size_t avail, n;

		if (lr->start == lr->end) {
			lr->start = lr->end = 0;
			if (!lr_fill(lr))
				break;
		}
		avail = lr->end - lr->start;
		nl = memchr(lr->buf + lr->start, '\n', avail);
		any = 1;
		n = nl ? (size_t)(nl - (lr->buf + lr->start)) : avail;
		if (!*too_long) {
			if (out->len + n > max) {
				*too_long = 1;
			} else {
				int rc = nri_buf_add(out, lr->buf + lr->start, n);

				if (rc == NR_ENOMEM)
					return NR_ENOMEM;
				if (rc)
					*too_long = 1;
			}
		}
		if (nl) {
			lr->start += n + 1;
			if (!*too_long && out->len && out->data[out->len - 1] == '\r')
				out->data[--out->len] = '\0';
			return 1;
		}
		lr->start = lr->end = 0;
	}
	if (lr->err)
		return 0;
	return any ? 1 : 0;
}

/* ---- events ---------------------------------------------------------- */

static int reject(struct nr_corpus *c, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reject(struct nr_corpus *c, const char *id, const char *fmt, ...)
{
	va_list ap;

	c->have_reject_id = id != NULL;
	if (id)
		snprintf(c->reject_id, sizeof(c->reject_id), "%s", id);
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return NR_CORPUS_REJECT;
}

/* "path:line" for every document: the path is formatted once per file
 * (source_of says for which) and only the digits per line, since an
 * snprintf per JSONL line cost a tenth of reading it. */
static void set_source(struct nr_corpus *c, unsigned long line)
{
	char digits[24];
	size_t n = 0;

	if (c->source_of != c->cur) {
		snprintf(c->source, sizeof(c->source), "%s", c->cur->path);
		c->source_len = strlen(c->source);
		c->source_of = c->cur;
	}
	if (!line) {
		c->source[c->source_len] = '\0';
		return;
	}
	if (c->source_len + 2 + sizeof(digits) > sizeof(c->source)) {
		snprintf(c->source, sizeof(c->source), "%s:%lu", c->cur->path, line);
		c->source_of = NULL;
		return;
	}
	do {
		digits[n++] = (char)('0' + line % 10);
		line /= 10;
	} while (line);
	c->source[c->source_len] = ':';
	for (size_t i = 0; i < n; i++)
		c->source[c->source_len + 1 + i] = digits[n - 1 - i];
	c->source[c->source_len + 1 + n] = '\0';
}

static void reset_doc(struct nr_corpus *c)
{
	memset(&c->doc, 0, sizeof(c->doc));
	c->doc.likes = c->doc.shares = c->doc.comments = c->doc.views = -1;
	c->doc.source = c->source;
	if (c->json) {
		json_decref(c->json);
		c->json = NULL;
	}
	nri_free(c->fixed);
	c->fixed = NULL;
	c->scanned = 0;
	nri_buf_reset(&c->scratch);
	c->have_reject_id = 0;
	c->reason[0] = '\0';
}

static const char **doc_str_slot(struct nr_doc *d, int f)
{
	switch (f) {
	case F_CITY: return &d->city;
	case F_PLATFORM: return &d->platform;
	case F_LANG: return &d->lang;
	case F_DATE: return &d->date;
	case F_AUTHOR_TYPE: return &d->author_type;
	case F_MEDIA: return &d->media;
	case F_URL: return &d->url;
	case F_TITLE: return &d->title;
	}
	return NULL;
}

static double *doc_count_slot(struct nr_doc *d, int f)
{
	switch (f) {
	case F_LIKES: return &d->likes;
	case F_SHARES: return &d->shares;
	case F_COMMENTS: return &d->comments;
	case F_VIEWS: return &d->views;
	}
	return NULL;
}

/* A count as written in the data: digits, optionally a fraction or an
 * exponent (strtod), not negative, not NaN.  Thousands separators are not
 * guessed at: "1,234" is an error, because "1,234" means 1.234 in much of
 * the world. */
static int parse_count(const char *s, double *out)
{
	char *end;
	double v;

	while (*s == ' ')
		s++;
	if (!*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end || errno || isnan(v) || isinf(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* The strings converted from JSON numbers live in c->scratch; the pointers
 * are fixed up after all conversions, when the buffer no longer moves. */
struct pending {
	const char **slot;
	size_t off;
};

/* ---- JSONL -------------------------------------------------------------- */

/* One known field's value, taken from jansson's tree or from the scanner's
 * spans, so that both paths go through the same checks and conversions. */
struct jval {
	int type;	 /* enum nri_json_type */
	const char *str; /* STRING: NUL-terminated, len bytes (may hold NULs) */
	size_t len;
	json_int_t i; /* INTEGER */
	double r;     /* REAL */
};

/* The document from its known fields, or the reject that says why not: the
 * rules of docs/corpus.md ("Fields", "Rejects"). */
static int fill_doc(struct nr_corpus *c, const struct jval *v)
{
	const struct jval *x = &v[F_ID];
	const char *idp = NULL;

	if (x->type == NRI_JSON_STRING) {
		c->doc.id = x->str;
		c->doc.id_len = x->len;
		idp = c->doc.id;
	} else if (x->type == NRI_JSON_INTEGER) {
		snprintf(c->numtext[F_ID], sizeof(c->numtext[F_ID]), "%" JSON_INTEGER_FORMAT, x->i);
		idp = c->doc.id = c->numtext[F_ID];
		c->doc.id_len = strlen(idp);
	} else if (x->type != NRI_JSON_ABSENT && x->type != NRI_JSON_NULL) {
		return reject(c, NULL, "field '%s' must be a string or an integer",
			      c->theirs[F_ID]);
	} else {
		return reject(c, NULL, "missing required field '%s'", c->theirs[F_ID]);
	}
	x = &v[F_TEXT];
	if (x->type == NRI_JSON_ABSENT || x->type == NRI_JSON_NULL)
		return reject(c, idp, "missing required field '%s'", c->theirs[F_TEXT]);
	if (x->type != NRI_JSON_STRING)
		return reject(c, idp, "field '%s' must be a string", c->theirs[F_TEXT]);
	c->doc.text = x->str;
	c->doc.text_len = x->len;

	for (int f = F_CITY; f < F_COUNT; f++) {
		const char *name = c->theirs[f];

		x = &v[f];
		if (x->type == NRI_JSON_ABSENT || x->type == NRI_JSON_NULL)
			continue;
		if (f >= FIRST_COUNT) {
			double d;

			if (x->type == NRI_JSON_INTEGER)
				d = (double)x->i;
			else if (x->type == NRI_JSON_REAL)
				d = x->r;
			else if (x->type != NRI_JSON_STRING || parse_count(x->str, &d))
				return reject(c, idp, "field '%s' is not a number", name);
			if (d < 0 || isnan(d))
				return reject(c, idp, "field '%s' is negative", name);
			*doc_count_slot(&c->doc, f) = d;
		} else if (x->type == NRI_JSON_STRING) {
			*doc_str_slot(&c->doc, f) = x->str;
		} else if (x->type == NRI_JSON_INTEGER || x->type == NRI_JSON_REAL) {
			if (x->type == NRI_JSON_INTEGER)
				snprintf(c->numtext[f], sizeof(c->numtext[f]),
					 "%" JSON_INTEGER_FORMAT, x->i);
			else
				snprintf(c->numtext[f], sizeof(c->numtext[f]), "%.17g", x->r);
			*doc_str_slot(&c->doc, f) = c->numtext[f];
		} else {
			return reject(c, idp, "field '%s' must be a string", name);
		}
	}
	return NR_CORPUS_DOC;
}

/* The known fields of the object jansson parsed into c->json. */
static void jansson_vals(const struct nr_corpus *c, struct jval *v)
{
	for (int f = 0; f < F_COUNT; f++) {
		json_t *j = json_object_get(c->json, c->theirs[f]);

		memset(&v[f], 0, sizeof(v[f]));
		switch (j ? json_typeof(j) : JSON_NULL) {
		case JSON_OBJECT: v[f].type = NRI_JSON_OBJECT; break;
		case JSON_ARRAY: v[f].type = NRI_JSON_ARRAY; break;
		case JSON_STRING:
			v[f].type = NRI_JSON_STRING;
			v[f].str = json_string_value(j);
			v[f].len = json_string_length(j);
			break;
		case JSON_INTEGER:
			v[f].type = NRI_JSON_INTEGER;
			v[f].i = json_integer_value(j);
			break;
		case JSON_REAL:
			v[f].type = NRI_JSON_REAL;
			v[f].r = json_real_value(j);
			break;
		case JSON_TRUE: v[f].type = NRI_JSON_TRUE; break;
		case JSON_FALSE: v[f].type = NRI_JSON_FALSE; break;
		case JSON_NULL: v[f].type = j ? NRI_JSON_NULL : NRI_JSON_ABSENT; break;
		}
	}
}

#define SCAN_FALLBACK 100

/*
 * The fast path: the scanner validates the line and gives the known
 * fields' spans; strings are copied (decoded if they hold escapes) into
 * c->scratch, NUL-terminated as jansson's are, and the line itself is left
 * as read so that nr_doc_field can still hand it to jansson.  Returns
 * SCAN_FALLBACK for anything that is not a valid object (jansson then says
 * what is wrong, in its words), else what fill_doc returns, or NR_ENOMEM.
 */
static int scan_doc(struct nr_corpus *c, const char *line, size_t len)
{
	struct nri_json_span sp[F_COUNT];
	struct jval v[F_COUNT];
	size_t off[F_COUNT], need = 0;
	int rc;

	/* anything but a plain valid object (NRI_JSONSCAN_NUL included: then
	 * jansson's "text after the object" reject is what the reader says) */
	if (nri_jsonscan(line, len, &c->keys, sp, NULL) != NRI_JSONSCAN_OBJECT)
		return SCAN_FALLBACK;
	for (int f = 0; f < F_COUNT; f++)
		if (sp[f].type == NRI_JSON_STRING)
			need += sp[f].len + 1;
	rc = need ? nri_buf_grow(&c->scratch, need) : NR_OK;
	if (rc)
		return rc == NR_ENOMEM ? NR_ENOMEM : SCAN_FALLBACK;
	for (int f = 0; f < F_COUNT; f++) {
		char *dst;

		memset(&v[f], 0, sizeof(v[f]));
		v[f].type = sp[f].type;
		switch (sp[f].type) {
		case NRI_JSON_STRING:
			off[f] = c->scratch.len;
			dst = c->scratch.data + c->scratch.len;
			if (sp[f].escaped) {
				v[f].len = nri_json_unescape(sp[f].s, sp[f].len, dst);
			} else {
				memcpy(dst, sp[f].s, sp[f].len);
				v[f].len = sp[f].len;
			}
			dst[v[f].len] = '\0';
			c->scratch.len += v[f].len + 1;
			break;
		case NRI_JSON_INTEGER:
			v[f].i = (json_int_t)nri_json_integer(sp[f].s, sp[f].len);
			break;
		case NRI_JSON_REAL:
			if (nri_json_real(sp[f].s, sp[f].len, &v[f].r))
				return NR_ENOMEM;
			break;
		}
	}
	for (int f = 0; f < F_COUNT; f++) {
		c->scan_str[f] = NULL;
		if (v[f].type == NRI_JSON_STRING)
			c->scan_str[f] = v[f].str = c->scratch.data + off[f];
	}
	c->scanned = 1;
	c->scanned_text = 1;
	return fill_doc(c, v);
}

/* jansson's parse of the line, with the reject texts of docs/corpus.md.
 * Returns 0 with c->json an object, or a reject event. */
static int jansson_line(struct nr_corpus *c, const char *line, size_t line_len)
{
	json_error_t err;

	c->json = json_loadb(line, line_len, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &err);
	if (!c->json)
		return reject(c, NULL, "malformed JSON at column %d: %s", err.column, err.text);
	/* JSON_DISABLE_EOF_CHECK stops at the value's end: whatever follows
	 * must be white space. */
	for (size_t i = (size_t)err.position; i < line_len; i++) {
		char ch = line[i];

		if (ch != ' ' && ch != '\t' && ch != '\r')
			return reject(c, NULL,
				      "malformed JSON: text after the object at column %zu", i + 1);
	}
	if (!json_is_object(c->json))
		return reject(c, NULL, "line is JSON but not an object");
	return 0;
}

static int json_doc(struct nr_corpus *c)
{
	struct jval v[F_COUNT];
	size_t bad;
	const char *line = c->text.data;
	size_t line_len = c->text.len;
	int rc;

	/* The scanner does not look at bytes >= 0x80: UTF-8 is checked here,
	 * for the whole line, as jansson would (the same Table 3-7 rules). */
	if (nr_utf8_check(line, line_len, &bad) != NR_OK) {
		size_t nrep;

		if (!(c->flags & NR_CORPUS_REPAIR_UTF8))
			return reject(c, NULL,
				      "invalid UTF-8 at byte %zu of the line (use --repair-utf8 to "
				      "replace bad bytes with U+FFFD)",
				      bad);
		rc = nr_utf8_repair(line, line_len, &c->fixed, &c->fixed_len, &nrep);
		if (rc)
			return rc == NR_ENOMEM ? NR_ENOMEM
					       : reject(c, NULL, "line cannot be repaired");
		line = c->fixed;
		line_len = c->fixed_len;
		c->doc.repairs = nrep;
	}
	if (!c->no_scan) {
		rc = scan_doc(c, line, line_len);
		if (rc != SCAN_FALLBACK)
			return rc;
		nri_buf_reset(&c->scratch);
	}
	rc = jansson_line(c, line, line_len);
	if (rc)
		return rc;
	jansson_vals(c, v);
	return fill_doc(c, v);
}

void nri_corpus_set_scan(struct nr_corpus *c, int on)
{
	c->no_scan = !on;
}

/* nr_doc_field on a line the scanner read: jansson parses it now, once.
 * After an oversize line or a read error (rejected before the document is
 * reset) c->text holds another line: that is not parsed. */
static int parse_late(struct nr_corpus *c)
{
	if (!c->scanned_text)
		return NR_EINVAL;
	const char *line = c->fixed ? c->fixed : c->text.data;
	size_t len = c->fixed ? c->fixed_len : c->text.len;

	c->json = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, NULL);
	return c->json ? NR_OK : NR_ENOMEM;
}

static int next_jsonl(struct nr_corpus *c)
{
	int too_long;

	for (;;) {
		int got;
		size_t i;

		c->scanned_text = 0; /* c->text is about to change */
		got = lr_line(&c->lr, &c->text, c->max_doc, &too_long);

		if (got < 0)
			return got;
		if (!got) {
			c->file_done = 1;
			if (c->lr.err) {
				set_source(c, c->line + 1);
				return reject(c, NULL, "%s; %lu documents were read before it",
					      c->lr.errmsg, c->docs_in_file);
			}
			return NR_CORPUS_END;
		}
		c->line++;
		set_source(c, c->line);
		if (too_long)
			return reject(c, NULL, "document larger than %zu bytes (--max-doc-bytes)",
				      c->max_doc);
		for (i = 0; i < c->text.len; i++) {
			char ch = c->text.data[i];

			if (ch != ' ' && ch != '\t' && ch != '\r')
				break;
		}
		if (i == c->text.len)
			continue; /* blank lines hold no document */
		reset_doc(c);
		c->docs_in_file++;
		return json_doc(c);
	}
}

/* ---- CSV / TSV ------------------------------------------------------------ */

/* libcsv grows its field buffer without bound; this realloc refuses to go
 * past the document cap of the reader that is parsing (one per thread). */
static _Thread_local size_t csv_cap;
static _Thread_local int csv_nomem;

static void *csv_realloc(void *p, size_t n)
{
	void *q;

	if (n > csv_cap)
		return NULL;
	q = nri_realloc(p, n);
	if (!q)
		csv_nomem = 1;
	return q;
}

static void csv_field_cb(void *s, size_t len, void *data)
{
	struct nr_corpus *c = data;
	int rc;

	if (c->row_too_big)
		return;
	if (c->nrow == c->row_cap) {
		size_t ncap = c->row_cap ? c->row_cap * 2 : 32;
		size_t *no = ncap > 100000 ? NULL : nri_realloc(c->row_off, ncap * sizeof(*no));

		if (!no) {
			c->row_too_big = ncap > 100000 ? NR_ELIMIT : NR_ENOMEM;
			return;
		}
		c->row_off = no;
		c->row_cap = ncap;
	}
	c->row_off[c->nrow++] = c->row.len;
	rc = nri_buf_add(&c->row, s ? s : "", s ? len : 0);
	if (!rc)
		rc = nri_buf_addc(&c->row, '\0');
	if (rc)
		c->row_too_big = rc;
}

static void csv_row_cb(int term, void *data)
{
	struct nr_corpus *c = data;

	(void)term;
	c->row_ready = 1;
}

/* Only '\n' ends a row: a bare '\r' inside a line is data (lr_line has
 * already removed the '\r' of a CRLF). */
static int csv_is_term(unsigned char ch)
{
	return ch == '\n';
}

static const char *row_field(const struct nr_corpus *c, size_t i)
{
	return c->row.data + c->row_off[i];
}

/* Feed lines to libcsv until a row is complete.  Returns 1 with a row, 0 at
 * the end of the file, or a reject event. */
static int csv_read_row(struct nr_corpus *c)
{
	int too_long;

	c->row_ready = 0;
	c->row_too_big = 0;
	c->row_started = 0;
	c->nrow = 0;
	nri_buf_reset(&c->row);
	csv_cap = c->max_doc + 4096;
	csv_nomem = 0;
	while (!c->row_ready) {
		int got = lr_line(&c->lr, &c->text, c->max_doc, &too_long);

		if (got < 0)
			return got;
		if (!got) {
			if (c->lr.err) {
				c->file_done = 1;
				set_source(c, c->row_started ? c->row_line : c->line + 1);
				return reject(c, NULL, "%s; %lu documents were read before it",
					      c->lr.errmsg, c->docs_in_file);
			}
			if (csv_fini(&c->csv, csv_field_cb, csv_row_cb, c) != 0) {
				c->file_done = 1;
				set_source(c, c->row_line);
				return reject(c, NULL,
					      "unterminated quoted field at the end of the file");
			}
			if (c->row_ready)
				break;
			return 0;
		}
		c->line++;
		if (!c->row_started && c->text.len > 0) {
			c->row_started = 1;
			c->row_line = c->line;
		}
		if (too_long) {
			c->file_done = 1;
			set_source(c, c->line);
			return reject(c, NULL,
				      "line longer than %zu bytes (--max-doc-bytes); the rest of "
				      "the file is not read, since a CSV cannot be resynchronised "
				      "safely; %lu documents were read before it",
				      c->max_doc, c->docs_in_file);
		}
		if (nri_buf_addc(&c->text, '\n'))
			return NR_ENOMEM;
		if (csv_parse(&c->csv, c->text.data, c->text.len, csv_field_cb, csv_row_cb, c) !=
			    c->text.len ||
		    c->row_too_big) {
			int e = csv_error(&c->csv);

			if (csv_nomem || c->row_too_big == NR_ENOMEM)
				return NR_ENOMEM;
			c->file_done = 1;
			set_source(c, c->row_line);
			if (e == CSV_ENOMEM || c->row_too_big)
				return reject(
					c, NULL,
					"row larger than %zu bytes (--max-doc-bytes); the rest "
					"of the file is not read; %lu documents were read before "
					"it",
					c->max_doc, c->docs_in_file);
			return reject(c, NULL,
				      "malformed CSV: %s; the rest of the file is not read",
				      csv_strerror(e));
		}
	}
	return 1;
}

static int csv_header(struct nr_corpus *c)
{
	int rc = csv_read_row(c);

	if (rc != 1)
		return rc == 0 ? NR_CORPUS_END : rc;
	c->header = nri_calloc(c->nrow, sizeof(*c->header));
	if (!c->header)
		return NR_ENOMEM;
	c->nheader = c->nrow;
	for (size_t i = 0; i < c->nrow; i++) {
		const char *h = row_field(c, i);

		/* a UTF-8 byte order mark before the first name */
		if (i == 0 && !strncmp(h, "\xEF\xBB\xBF", 3))
			h += 3;
		c->header[i] = dup_str(h);
		if (!c->header[i])
			return NR_ENOMEM;
	}
	for (int f = 0; f < F_COUNT; f++) {
		const char *name = their_name(c, field_names[f]);

		c->col[f] = -1;
		for (size_t i = 0; i < c->nheader; i++)
			if (!strcmp(c->header[i], name)) {
				c->col[f] = (int)i;
				break;
			}
	}
	c->csv_header_done = 1;
	if (c->col[F_ID] < 0 || c->col[F_TEXT] < 0) {
		c->file_done = 1;
		set_source(c, 1);
		return reject(c, NULL, "header has no '%s' column; the file is not read",
			      c->col[F_ID] < 0 ? their_name(c, "id") : their_name(c, "text"));
	}
	return -100; /* header read; go on */
}

static int next_csv(struct nr_corpus *c)
{
	int rc;

	if (!c->csv_header_done) {
		rc = csv_header(c);
		if (rc != -100)
			return rc;
	}
	for (;;) {
		const char *id;

		rc = csv_read_row(c);
		if (rc == 0) {
			c->file_done = 1;
			return NR_CORPUS_END;
		}
		if (rc != 1)
			return rc;
		set_source(c, c->row_line);
		if (c->nrow == 1 && row_field(c, 0)[0] == '\0')
			continue; /* a blank line */
		reset_doc(c);
		c->docs_in_file++;
		id = (size_t)c->col[F_ID] < c->nrow ? row_field(c, (size_t)c->col[F_ID]) : NULL;
		if (c->nrow != c->nheader)
			return reject(c, id, "row has %zu fields, the header has %zu", c->nrow,
				      c->nheader);
		if (!*id)
			return reject(c, NULL, "empty required field '%s'", their_name(c, "id"));
		c->doc.id = id;
		c->doc.id_len = strlen(id);
		c->doc.text = row_field(c, (size_t)c->col[F_TEXT]);
		/* a text field may hold NUL bytes: the next field's offset tells */
		if ((size_t)c->col[F_TEXT] + 1 < c->nrow)
			c->doc.text_len =
				c->row_off[c->col[F_TEXT] + 1] - c->row_off[c->col[F_TEXT]] - 1;
		else
			c->doc.text_len = c->row.len - c->row_off[c->col[F_TEXT]] - 1;
		for (int f = F_CITY; f < F_COUNT; f++) {
			const char *v;

			if (c->col[f] < 0)
				continue;
			v = row_field(c, (size_t)c->col[f]);
			if (!*v)
				continue;
			if (f >= FIRST_COUNT) {
				if (parse_count(v, doc_count_slot(&c->doc, f)))
					return reject(c, id, "field '%s' is not a number: '%.40s'",
						      their_name(c, field_names[f]), v);
			} else {
				*doc_str_slot(&c->doc, f) = v;
			}
		}
		return NR_CORPUS_DOC;
	}
}

/* ---- TXT / MD ------------------------------------------------------------ */

/* The sidecar of "dir/a.txt" or "dir/a.md.gz" is "dir/a.json". */
static char *sidecar_path(const char *path)
{
	size_t n = strlen(path);
	char *p;
	char *dot;

	p = nri_malloc(n + 6);
	if (!p)
		return NULL;
	memcpy(p, path, n + 1);
	if (n > 3 && !strcmp(p + n - 3, ".gz"))
		p[n - 3] = '\0';
	dot = strrchr(p, '.');
	if (dot && !strchr(dot, '/'))
		*dot = '\0';
	strcat(p, ".json");
	return p;
}

static int next_txt(struct nr_corpus *c)
{
	char *side;
	struct stat st;
	const char *rel;

	c->file_done = 1;
	set_source(c, 0);
	reset_doc(c);
	nri_buf_reset(&c->text);
	for (;;) {
		size_t avail;

		if (c->lr.start == c->lr.end) {
			c->lr.start = c->lr.end = 0;
			if (!lr_fill(&c->lr))
				break;
		}
		avail = c->lr.end - c->lr.start;
		if (c->text.len + avail > c->max_doc)
			return reject(c, NULL, "document larger than %zu bytes (--max-doc-bytes)",
				      c->max_doc);
		if (nri_buf_add(&c->text, c->lr.buf + c->lr.start, avail))
			return NR_ENOMEM;
		c->lr.start = c->lr.end = 0;
	}
	rel = c->cur->path + c->cur->root_len;
	while (*rel == '/')
		rel++;
	if (c->lr.err)
		return reject(c, rel, "%s", c->lr.errmsg);
	c->doc.id = rel;
	c->doc.id_len = strlen(rel);
	c->doc.text = c->text.data ? c->text.data : "";
	c->doc.text_len = c->text.len;

	/* fields from the path: dir levels below the folder given */
	if (c->cur->root_len && c->npath_fields) {
		const char *p = rel;
		size_t k = 0;
		struct pending pend[F_COUNT];
		size_t npend = 0;

		while (k < c->npath_fields) {
			const char *slash = strchr(p, '/');

			if (!slash)
				break;
			for (int f = F_CITY; f < FIRST_COUNT; f++)
				if (!strcmp(c->path_fields[k], field_names[f]) && npend < F_COUNT) {
					pend[npend].slot = doc_str_slot(&c->doc, f);
					pend[npend].off = c->scratch.len;
					npend++;
					if (nri_buf_add(&c->scratch, p, (size_t)(slash - p)) ||
					    nri_buf_addc(&c->scratch, '\0'))
						return NR_ENOMEM;
				}
			p = slash + 1;
			k++;
		}
		for (size_t i = 0; i < npend; i++)
			*pend[i].slot = c->scratch.data + pend[i].off;
	}
	side = sidecar_path(c->cur->path);
	if (!side)
		return NR_ENOMEM;
	if (stat(side, &st) == 0 && S_ISREG(st.st_mode)) {
		json_error_t err;

		c->json = json_load_file(side, 0, &err);
		if (!c->json || !json_is_object(c->json)) {
			reject(c, rel, "sidecar '%s' is not a JSON object: %s", side,
			       c->json ? "not an object" : err.text);
			nri_free(side);
			return NR_CORPUS_REJECT;
		}
		for (int f = F_ID; f < F_COUNT; f++) {
			json_t *v = json_object_get(c->json, their_name(c, field_names[f]));

			if (!v || json_is_null(v) || f == F_TEXT)
				continue;
			if (f == F_ID) {
				if (json_is_string(v)) {
					c->doc.id = json_string_value(v);
					c->doc.id_len = json_string_length(v);
				}
			} else if (f >= FIRST_COUNT) {
				double d;

				if (json_is_number(v))
					d = json_number_value(v);
				else if (!json_is_string(v) ||
					 parse_count(json_string_value(v), &d)) {
					reject(c, rel, "sidecar '%s': field '%s' is not a number",
					       side, their_name(c, field_names[f]));
					nri_free(side);
					return NR_CORPUS_REJECT;
				}
				*doc_count_slot(&c->doc, f) = d;
			} else if (json_is_string(v)) {
				*doc_str_slot(&c->doc, f) = json_string_value(v);
			}
		}
	}
	nri_free(side);
	c->docs_in_file++;
	return NR_CORPUS_DOC;
}

/* ---- the event loop ------------------------------------------------------- */

static int open_next(struct nr_corpus *c)
{
	struct file_entry *fe = &c->files[c->next_file++];
	int gz;
	struct stat st;

	c->cur = fe;
	c->source_of = NULL; /* c->files may have moved since */
	c->line = 0;
	c->docs_in_file = 0;
	c->file_done = 0;
	set_source(c, 0);
	if (fe->fmt >= 0)
		c->fmt = (enum nri_corpus_format)fe->fmt;
	else
		c->fmt = nri_corpus_format_of(fe->path, &gz);
	if (c->fmt == NRI_FMT_UNKNOWN) {
		const char *base = strrchr(fe->path, '/');
		size_t n = strlen(fe->path);

		c->file_done = 1;
		c->have_reject_id = 0;
		if (n > 5 && !strcmp(fe->path + n - 5, ".json")) {
			/* a sidecar's metadata were read with its .txt/.md; any
			 * other .json is no corpus format narrate reads */
			static const char *const docs[] = {".txt", ".md", ".txt.gz", ".md.gz"};
			const char *doc = NULL;
			char sib[4200];

			for (size_t k = 0; k < 4 && !doc; k++) {
				snprintf(sib, sizeof(sib), "%.*s%s", (int)(n - 5), fe->path,
					 docs[k]);
				if (stat(sib, &st) == 0 && S_ISREG(st.st_mode))
					doc = docs[k];
			}
			if (doc)
				snprintf(c->reason, sizeof(c->reason),
					 "sidecar of %.*s%s: its metadata were read with it",
					 (int)(n - 5 - (base ? (size_t)(base + 1 - fe->path) : 0)),
					 base ? base + 1 : fe->path, doc);
			else
				snprintf(c->reason, sizeof(c->reason),
					 "not a corpus file: a .json file is read only as the "
					 "sidecar "
					 "of a .txt/.md file of the same name (JSON corpora are "
					 ".jsonl)");
		} else
			snprintf(c->reason, sizeof(c->reason), "not a corpus file: %s",
				 base ? base + 1 : fe->path);
		return NR_CORPUS_SKIP;
	}
	if (!fe->std_in && stat(fe->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		c->file_done = 1;
		return reject(c, NULL, "cannot read folder: %s", strerror(EACCES));
	}
	/* A pipe, socket or device met in a folder would block the open or
	 * never end; one named by the user (a FIFO fed by another program) is
	 * read as they asked. */
	if (fe->root_len && stat(fe->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		c->file_done = 1;
		return reject(c, NULL,
			      "not a regular file (a pipe, socket or device): not read; name it "
			      "on the command line to read it");
	}
	c->lr.buf = nri_malloc(READ_CHUNK);
	if (!c->lr.buf)
		return NR_ENOMEM;
	/* zlib reads plain text through (gzip is told by its magic bytes),
	 * so a named pipe or standard input may be either */
	if (fe->std_in) {
		int fd = dup(STDIN_FILENO);

		c->lr.gz = fd < 0 ? NULL : gzdopen(fd, "rb");
		if (!c->lr.gz && fd >= 0)
			close(fd);
	} else {
		c->lr.gz = gzopen(fe->path, "rb");
	}
	if (!c->lr.gz) {
		c->file_done = 1;
		return reject(c, NULL, "cannot open: %s",
			      errno ? strerror(errno) : "out of memory");
	}
	gzbuffer(c->lr.gz, 1 << 17);
	if (c->fmt == NRI_FMT_CSV || c->fmt == NRI_FMT_TSV) {
		if (csv_init(&c->csv, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
			return NR_ENOMEM;
		c->csv_inited = 1;
		csv_set_realloc_func(&c->csv, csv_realloc);
		csv_set_free_func(&c->csv, nri_free);
		csv_set_term_func(&c->csv, csv_is_term);
		if (c->fmt == NRI_FMT_TSV)
			csv_set_delim(&c->csv, '\t');
	}
	return -100;
}

int nr_corpus_next(struct nr_corpus *c, const struct nr_doc **doc)
{
	*doc = NULL;
	for (;;) {
		int rc;

		if (!c->cur) {
			if (c->next_file >= c->nfiles)
				return NR_CORPUS_END;
			rc = open_next(c);
			if (rc != -100) {
				if (c->file_done)
					close_file(c);
				return rc;
			}
		}
		if (c->file_done) {
			close_file(c);
			continue;
		}
		switch (c->fmt) {
		case NRI_FMT_JSONL: rc = next_jsonl(c); break;
		case NRI_FMT_CSV:
		case NRI_FMT_TSV: rc = next_csv(c); break;
		case NRI_FMT_TXT: rc = next_txt(c); break;
		default:
			rc = NR_CORPUS_END;
			c->file_done = 1;
			break;
		}
		if (rc == NR_CORPUS_END) {
			close_file(c);
			continue;
		}
		if (rc == NR_CORPUS_DOC)
			*doc = &c->doc;
		return rc;
	}
}

const char *nr_doc_field(const struct nr_corpus *c, const char *name)
{
	const char *theirs = their_name(c, name);

	/* A line the scanner read: the known fields' strings were kept; for
	 * any other name jansson parses the line, kept unchanged for this (a
	 * cache on a handle that nr_corpus_new made writable, hence the cast).
	 * Out of memory there reads as absent, as does an unknown field after
	 * an oversize-line reject (jansson's tree of the line before used to
	 * answer then). */
	if (c->scanned && !c->json) {
		for (int f = 0; f < F_COUNT; f++)
			if (!strcmp(c->theirs[f], theirs))
				return c->scan_str[f];
		if (parse_late((struct nr_corpus *)c) != NR_OK)
			return NULL;
	}
	if (c->json) {
		json_t *v = json_object_get(c->json, theirs);

		if (json_is_string(v))
			return json_string_value(v);
		return NULL;
	}
	if (c->csv_header_done) {
		for (size_t i = 0; i < c->nheader && i < c->nrow; i++)
			if (!strcmp(c->header[i], theirs))
				return row_field(c, i);
	}
	return NULL;
}
