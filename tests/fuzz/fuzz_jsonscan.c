/*
 * fuzz_jsonscan.c - libFuzzer harness that proves lib/jsonscan.c and
 * jansson agree, and that the corpus reader's fast path reads JSONL exactly
 * as the jansson-only reader did.
 *
 * Input: the first byte picks options (bit 0: --repair-utf8; bits 1-2: one
 * of four field maps, two of them mapping several of our fields to one of
 * theirs); the rest is a JSONL file.  Two checks:
 *
 *  1. Every line that is valid UTF-8 goes through nri_jsonscan and through
 *     json_loadb(JSON_ALLOW_NUL | JSON_DECODE_ANY): both accept or both
 *     reject; both see an object or neither; for 22 key names (narrate's
 *     fields and awkward ones: "", quotes, backslashes, non-ASCII) the
 *     member's type is the same, a string decodes to jansson's bytes, an
 *     integer to jansson's json_int_t, a real to the same double, bit for
 *     bit.
 *  2. The file goes through nr_corpus (scanner first) and through ref_line
 *     below, a copy of the jansson-only json_doc that corpus.c had before
 *     the scanner: every event (document or reject), reason, reject id,
 *     source, every nr_doc field byte for byte and nr_doc_field for known
 *     and unknown names must be identical.
 *
 * Any disagreement aborts, which libFuzzer reports as a crash.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "narrate.h"
#include "jsonscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                  \
	do {                                                                      \
		if (!(x)) {                                                       \
			fprintf(stderr, "fuzz_jsonscan: %s:%d: %s\n", __FILE__, __LINE__, \
				#x);                                              \
			abort();                                                  \
		}                                                                 \
	} while (0)

/* ---- 1. the scanner against jansson ---------------------------------------- */

static const char *const names[] = {
	"id", "text", "city", "platform", "lang", "date", "author_type", "media",
	"url", "title", "likes", "shares", "comments", "views",
	"", "a", "\"", "\\", "\xc3\xa9", "a\"b", "\x7f", "\xf0\x9f\x98\x80",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static int type_of(const json_t *j)
{
	if (!j)
		return NRI_JSON_ABSENT;
	switch (json_typeof(j)) {
	case JSON_OBJECT: return NRI_JSON_OBJECT;
	case JSON_ARRAY: return NRI_JSON_ARRAY;
	case JSON_STRING: return NRI_JSON_STRING;
	case JSON_INTEGER: return NRI_JSON_INTEGER;
	case JSON_REAL: return NRI_JSON_REAL;
	case JSON_TRUE: return NRI_JSON_TRUE;
	case JSON_FALSE: return NRI_JSON_FALSE;
	case JSON_NULL: return NRI_JSON_NULL;
	}
	return -1;
}

static void check_scan(const char *line, size_t len)
{
	struct nri_jsonscan_keys keys;
	size_t lens[NNAMES];
	struct nri_json_span sp[NNAMES];
	json_error_t err;
	json_t *j;
	size_t off;
	int rc;

	for (size_t i = 0; i < NNAMES; i++)
		lens[i] = strlen(names[i]);
	nri_jsonscan_keys_init(&keys, names, lens, NNAMES);
	rc = nri_jsonscan(line, len, &keys, sp, &off);
	if (rc >= 0 && (rc & NRI_JSONSCAN_NUL)) {
		CHECK(memchr(line, '\0', len) != NULL);
		rc &= ~NRI_JSONSCAN_NUL;
	}
	j = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	if ((rc == NRI_JSONSCAN_INVALID) != (j == NULL))
		fprintf(stderr, "scanner %d (stopped at byte %zu), jansson %s\n", rc,
			rc == NRI_JSONSCAN_INVALID ? off : 0, j ? "accepts" : err.text);
	CHECK((rc == NRI_JSONSCAN_INVALID) == (j == NULL));
	CHECK((rc == NRI_JSONSCAN_OBJECT) == (j && json_is_object(j)));
	for (size_t i = 0; i < NNAMES; i++) {
		json_t *v = rc == NRI_JSONSCAN_OBJECT ? json_object_get(j, names[i]) : NULL;

		CHECK(sp[i].type == type_of(v));
		if (!v)
			continue;
		CHECK(sp[i].s >= line && sp[i].s + sp[i].len <= line + len);
		if (sp[i].type == NRI_JSON_STRING) {
			char *u = malloc(sp[i].len ? sp[i].len : 1);
			size_t n;

			CHECK(u);
			n = nri_json_unescape(sp[i].s, sp[i].len, u);
			CHECK(n == json_string_length(v));
			CHECK(!memcmp(u, json_string_value(v), n));
			CHECK(sp[i].escaped == (memchr(sp[i].s, '\\', sp[i].len) != NULL));
			free(u);
		} else if (sp[i].type == NRI_JSON_INTEGER) {
			CHECK(nri_json_integer(sp[i].s, sp[i].len) == json_integer_value(v));
		} else if (sp[i].type == NRI_JSON_REAL) {
			double d = 0, e = json_real_value(v);

			CHECK(nri_json_real(sp[i].s, sp[i].len, &d) == NR_OK);
			CHECK(!memcmp(&d, &e, sizeof(d)));
		}
	}
	json_decref(j);
}

/* ---- 2. the reader against the jansson-only reader ---------------------- */

#define F_COUNT 14
#define FIRST_COUNT 10

struct ref {
	int event; /* NR_CORPUS_DOC or NR_CORPUS_REJECT */
	char reason[512];
	char id_rej[256];
	int have_id_rej;
	struct nr_doc doc;
	const char *str[F_COUNT];
	char numtext[F_COUNT][64];
	json_t *json;
	char *fixed;
};

static const char *theirs[F_COUNT];

static int ref_reject(struct ref *r, const char *id, const char *reason)
{
	r->event = NR_CORPUS_REJECT;
	r->have_id_rej = id != NULL;
	if (id)
		snprintf(r->id_rej, sizeof(r->id_rej), "%s", id);
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	return r->event;
}

/* corpus.c's parse_count, unchanged. */
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

/* corpus.c's json_doc as it was before the scanner (jansson only). */
static int ref_line(struct ref *r, const char *line, size_t line_len, int repair)
{
	json_error_t err;
	json_t *v;
	char msg[512];
	const char *idp = NULL;
	size_t bad;

	memset(r, 0, sizeof(*r));
	r->doc.likes = r->doc.shares = r->doc.comments = r->doc.views = -1;
	if (nr_utf8_check(line, line_len, &bad) != NR_OK) {
		size_t nrep;

		if (!repair) {
			snprintf(msg, sizeof(msg),
				 "invalid UTF-8 at byte %zu of the line (use --repair-utf8 to "
				 "replace bad bytes with U+FFFD)",
				 bad);
			return ref_reject(r, NULL, msg);
		}
		CHECK(nr_utf8_repair(line, line_len, &r->fixed, &line_len, &nrep) == NR_OK);
		line = r->fixed;
		r->doc.repairs = nrep;
	}
	r->json = json_loadb(line, line_len, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &err);
	if (!r->json) {
		snprintf(msg, sizeof(msg), "malformed JSON at column %d: %s", err.column, err.text);
		return ref_reject(r, NULL, msg);
	}
	for (size_t i = (size_t)err.position; i < line_len; i++) {
		char ch = line[i];

		if (ch != ' ' && ch != '\t' && ch != '\r') {
			snprintf(msg, sizeof(msg),
				 "malformed JSON: text after the object at column %zu", i + 1);
			return ref_reject(r, NULL, msg); /* r->json kept, as it was */
		}
	}
	if (!json_is_object(r->json))
		return ref_reject(r, NULL, "line is JSON but not an object");
	v = json_object_get(r->json, theirs[0]);
	if (json_is_string(v)) {
		r->doc.id = json_string_value(v);
		r->doc.id_len = json_string_length(v);
		idp = r->doc.id;
	} else if (json_is_integer(v)) {
		snprintf(r->numtext[0], 64, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		idp = r->doc.id = r->numtext[0];
		r->doc.id_len = strlen(idp);
	} else if (v && !json_is_null(v)) {
		snprintf(msg, sizeof(msg), "field '%s' must be a string or an integer", theirs[0]);
		return ref_reject(r, NULL, msg);
	} else {
		snprintf(msg, sizeof(msg), "missing required field '%s'", theirs[0]);
		return ref_reject(r, NULL, msg);
	}
	v = json_object_get(r->json, theirs[1]);
	if (!v || json_is_null(v)) {
		snprintf(msg, sizeof(msg), "missing required field '%s'", theirs[1]);
		return ref_reject(r, idp, msg);
	}
	if (!json_is_string(v)) {
		snprintf(msg, sizeof(msg), "field '%s' must be a string", theirs[1]);
		return ref_reject(r, idp, msg);
	}
	r->doc.text = json_string_value(v);
	r->doc.text_len = json_string_length(v);
	for (int f = 2; f < F_COUNT; f++) {
		double *counts[4] = { &r->doc.likes, &r->doc.shares, &r->doc.comments,
				      &r->doc.views };

		v = json_object_get(r->json, theirs[f]);
		if (!v || json_is_null(v))
			continue;
		if (f >= FIRST_COUNT) {
			double d;

			if (json_is_number(v))
				d = json_number_value(v);
			else if (!json_is_string(v) || parse_count(json_string_value(v), &d)) {
				snprintf(msg, sizeof(msg), "field '%s' is not a number", theirs[f]);
				return ref_reject(r, idp, msg);
			}
			if (d < 0 || isnan(d)) {
				snprintf(msg, sizeof(msg), "field '%s' is negative", theirs[f]);
				return ref_reject(r, idp, msg);
			}
			*counts[f - FIRST_COUNT] = d;
		} else if (json_is_string(v)) {
			r->str[f] = json_string_value(v);
		} else if (json_is_number(v)) {
			if (json_is_integer(v))
				snprintf(r->numtext[f], 64, "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
			else
				snprintf(r->numtext[f], 64, "%.17g", json_real_value(v));
			r->str[f] = r->numtext[f];
		} else {
			snprintf(msg, sizeof(msg), "field '%s' must be a string", theirs[f]);
			return ref_reject(r, idp, msg);
		}
	}
	r->event = NR_CORPUS_DOC;
	return r->event;
}

static void ref_free(struct ref *r)
{
	json_decref(r->json);
	nr_free(r->fixed);
}

static void same_str(const char *a, const char *b)
{
	CHECK((a == NULL) == (b == NULL));
	CHECK(!a || !strcmp(a, b));
}

static void check_event(struct nr_corpus *c, int ev, const struct nr_doc *d, struct ref *r,
			const char *path, unsigned long lineno, const char *const *ours)
{
	char src[300];
	static const char *const other[] = { "extra", "a", "", "nothing", "\xc3\xa9" };

	snprintf(src, sizeof(src), "%s:%lu", path, lineno);
	if (ev != r->event)
		fprintf(stderr, "line %lu: reader %d '%s', reference %d '%s'\n", lineno, ev,
			ev == NR_CORPUS_REJECT ? nr_corpus_reject_reason(c) : "", r->event,
			r->reason);
	CHECK(ev == r->event);
	if (ev == NR_CORPUS_REJECT) {
		CHECK(!strcmp(nr_corpus_reject_reason(c), r->reason));
		CHECK(!strcmp(nr_corpus_reject_source(c), src));
		CHECK((nr_corpus_reject_id(c) != NULL) == r->have_id_rej);
		CHECK(!r->have_id_rej || !strcmp(nr_corpus_reject_id(c), r->id_rej));
	} else {
		const char *got[F_COUNT] = { NULL, NULL, d->city, d->platform, d->lang, d->date,
					     d->author_type, d->media, d->url, d->title };
		double dc[4] = { d->likes, d->shares, d->comments, d->views };
		double rc[4] = { r->doc.likes, r->doc.shares, r->doc.comments, r->doc.views };

		CHECK(!strcmp(d->source, src));
		CHECK(d->id_len == r->doc.id_len && !memcmp(d->id, r->doc.id, d->id_len));
		CHECK(d->id[d->id_len] == '\0');
		CHECK(d->text_len == r->doc.text_len && !memcmp(d->text, r->doc.text, d->text_len));
		CHECK(d->text[d->text_len] == '\0');
		CHECK(d->repairs == r->doc.repairs);
		for (int f = 2; f < FIRST_COUNT; f++)
			same_str(got[f], r->str[f]);
		CHECK(!memcmp(dc, rc, sizeof(dc)));
	}
	/* nr_doc_field takes our names (mapped) and any other name */
	for (int f = 0; f < F_COUNT; f++) {
		json_t *v = r->json ? json_object_get(r->json, theirs[f]) : NULL;

		same_str(nr_doc_field(c, ours[f]), json_is_string(v) ? json_string_value(v) : NULL);
	}
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		json_t *v = r->json ? json_object_get(r->json, other[i]) : NULL;
		int mapped = 0;

		for (int f = 0; f < F_COUNT; f++)
			mapped |= !strcmp(ours[f], other[i]);
		if (!mapped)
			same_str(nr_doc_field(c, other[i]),
				 json_is_string(v) ? json_string_value(v) : NULL);
	}
}

static const char *const fields[F_COUNT] = {
	"id", "text", "city", "platform", "lang", "date", "author_type", "media",
	"url", "title", "likes", "shares", "comments", "views"
};

static void check_reader(const uint8_t *data, size_t size, int repair, int mapno)
{
	static const char *const maps[4][5] = {
		{ NULL },
		{ "text=content", "id=post_id", "city=place", NULL },
		{ "title=text", "city=text", "likes=views", NULL },
		{ "text=t", "id=i", "url=\"", "lang=\xc3\xa9", NULL },
	};
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	const struct nr_doc *d;
	char path[64];
	FILE *f;
	size_t pos = 0;
	unsigned long lineno = 0;
	int ev;

	for (int i = 0; i < F_COUNT; i++) {
		theirs[i] = fields[i];
		for (int k = 0; maps[mapno][k]; k++) {
			const char *eq = strchr(maps[mapno][k], '=');

			if ((size_t)(eq - maps[mapno][k]) == strlen(fields[i]) &&
			    !strncmp(maps[mapno][k], fields[i], strlen(fields[i])))
				theirs[i] = eq + 1;
		}
	}
	snprintf(path, sizeof(path), "/tmp/nr-fuzz-jsonscan-%ld.jsonl", (long)getpid());
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	o.field_map = maps[mapno][0] ? maps[mapno] : NULL;
	o.flags = repair ? NR_CORPUS_REPAIR_UTF8 : 0;
	CHECK(nr_corpus_new(&c, &o) == NR_OK);
	CHECK(nr_corpus_add_path(c, path) == NR_OK);
	/* lines as lr_line cuts them: at '\n', a '\r' before it dropped */
	while (pos < size) {
		const char *line = (const char *)data + pos;
		const char *nl = memchr(line, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - line) : size - pos;
		size_t i;
		struct ref r;

		pos += len + (nl != NULL);
		lineno++;
		if (nl && len && line[len - 1] == '\r')
			len--;
		for (i = 0; i < len; i++)
			if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				break;
		if (i == len)
			continue;
		ref_line(&r, line, len, repair);
		ev = nr_corpus_next(c, &d);
		check_event(c, ev, d, &r, path, lineno, fields);
		ref_free(&r);
	}
	CHECK(nr_corpus_next(c, &d) == NR_CORPUS_END);
	nr_corpus_free(c);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 1;

	if (size < 1)
		return 0;
	while (pos < size) {
		const char *line = (const char *)data + pos;
		const char *nl = memchr(line, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - line) : size - pos;
		char *copy = malloc(len ? len : 1);

		/* an exact-size copy, so a sanitizer sees any read past the line */
		CHECK(copy);
		memcpy(copy, line, len);
		pos += len + 1;
		if (nl && len && copy[len - 1] == '\r')
			len--;
		if (nr_utf8_check(copy, len, NULL) == NR_OK)
			check_scan(copy, len);
		free(copy);
	}
	check_reader(data + 1, size - 1, data[0] & 1, (data[0] >> 1) & 3);
	return 0;
}
