/*
 * analysis_write.c - the report folder of `narrate analyze`.
 *
 * Every file is written into a fresh temporary folder beside the target;
 * only when all of them are complete does the folder take the target's
 * name (the old one, if any, is moved aside first and removed after), so
 * an error or an interrupt never leaves a half-written report under the
 * name the user asked for.  Numbers are formatted in the C locale with
 * fixed formats, so the same input gives the same bytes.
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

#include <jansson.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "buf.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(17))

static void werr(struct nr_analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void werr(struct nr_analysis *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->errmsg, sizeof(a->errmsg), fmt, ap);
	va_end(ap);
}

/* A JSON number, or null for NAN; -0 written as 0. */
static json_t *jnum(double v)
{
	if (isnan(v) || isinf(v))
		return json_null();
	if (v == 0)
		v = 0;
	return json_real(v);
}

/* Counts as integers, other measures as reals (docs/measures-json.md). */
static json_t *jmeasure(int m, double v)
{
	switch (m) {
	case M_DOCUMENTS:
	case M_TOKENS:
	case M_TYPES:
	case M_LANGUAGES:
	case M_PLATFORMS:
	case M_LIKES:
	case M_SHARES:
	case M_COMMENTS:
	case M_VIEWS: return isnan(v) ? json_null() : json_integer((json_int_t)v);
	}
	return jnum(v);
}

static int set_new(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return NR_ENOMEM;
	return json_object_set_new(obj, key, v) ? NR_ENOMEM : NR_OK;
}

/* CSV: quote a field when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_field(FILE *f, const char *s, size_t len)
{
	int quote = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote) {
		fwrite(s, 1, len, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

static void csv_str(FILE *f, const char *s)
{
	csv_field(f, s ? s : "", s ? strlen(s) : 0);
}

static void csv_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		return;
	if (v == 0)
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.10g", v);
}

struct sorted_keys {
	const char **k;
	size_t *len;
	uint64_t *v;
	size_t n;
};

static int cmp_str_ptr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A {key: count} map as a JSON object with keys in byte order. */
static json_t *jcount_map(const struct nri_strmap *m)
{
	json_t *o = json_object();
	const char **keys;
	size_t n = 0;

	if (!o)
		return NULL;
	keys = nri_malloc((m->count ? m->count : 1) * sizeof(*keys));
	if (!keys) {
		json_decref(o);
		return NULL;
	}
	for (size_t i = 0; i < m->nslots; i++)
		if (m->slots[i].hash)
			keys[n++] = m->slots[i].key;
	qsort(keys, n, sizeof(*keys), cmp_str_ptr);
	for (size_t i = 0; i < n; i++) {
		const struct nri_strmap_slot *s = nri_strmap_get(m, keys[i], strlen(keys[i]));

		if (json_object_set_new(o, keys[i], json_integer((json_int_t)s->value))) {
			nri_free(keys);
			json_decref(o);
			return NULL;
		}
	}
	nri_free(keys);
	return o;
}

/* Category paths sorted by byte order, with their ids. */
struct cat_order {
	const char *name;
	int id;
};

static int cmp_cat(const void *x, const void *y)
{
	return strcmp(((const struct cat_order *)x)->name, ((const struct cat_order *)y)->name);
}

static struct cat_order *sorted_cats(const struct nr_lexicon *lx, size_t *n)
{
	size_t nc = nr_lexicon_category_count(lx);
	struct cat_order *c = nri_malloc((nc ? nc : 1) * sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < nc; i++) {
		c[i].name = nr_lexicon_category_name(lx, (int)i);
		c[i].id = (int)i;
	}
	qsort(c, nc, sizeof(*c), cmp_cat);
	*n = nc;
	return c;
}

/* Categories that matter for output: those with a hit somewhere in the
 * corpus (docs/measures-json.md: a category with hits elsewhere is written
 * as 0 for a group without them). */
static int cat_used(const struct nr_analysis *a, int lex, int id)
{
	for (size_t g = 0; g < a->ngroups; g++) {
		const uint64_t *v =
			lex == NRI_LEX_TOPICS ? a->groups[g].topic_docs : a->groups[g].frame_docs;

		if (v && v[id])
			return 1;
	}
	return 0;
}

static json_t *jshare_map(const struct nr_analysis *a, const struct nri_group *g, int lex,
			  int counts)
{
	json_t *o = json_object();
	struct cat_order *c;
	size_t n;
	const uint64_t *v = lex == NRI_LEX_TOPICS ? g->topic_docs : g->frame_docs;

	if (!o || !a->lex[lex])
		return o;
	c = sorted_cats(a->lex[lex], &n);
	if (!c) {
		json_decref(o);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *val;

		if (!cat_used(a, lex, c[i].id))
			continue;
		/* the root categories ("topic", "frame") are every hit: skip */
		if (!strchr(c[i].name, '/'))
			continue;
		val = counts ? json_integer((json_int_t)v[c[i].id])
			     : jnum(g->docs ? (double)v[c[i].id] / (double)g->docs : NAN);
		if (!val || json_object_set_new(o, c[i].name, val)) {
			nri_free(c);
			json_decref(o);
			return NULL;
		}
	}
	nri_free(c);
	return o;
}

static const char *result_id(const struct nr_analysis *a, int i)
{
	return i >= 0 && (size_t)i < a->ngroups ? a->groups[i].id : NULL;
}

static json_t *group_json(const struct nr_analysis *a, size_t gi)
{
	const struct nri_result *r = &a->results[gi];
	const struct nri_group *g = r->g;
	json_t *o = json_object(), *keys, *m, *tags;
	int rc = NR_OK;

	if (!o)
		return NULL;
	rc |= set_new(o, "id", json_string(g->id));
	rc |= set_new(o, "name", json_string(r->name));
	if (r->name_zh)
		rc |= set_new(o, "name_zh", json_string(r->name_zh));
	keys = json_object();
	for (size_t k = 0; keys && k < a->nkeys; k++) {
		static const char *const kn[NRI_KEY_COUNT] = {"city", "platform",    "month",
							      "lang", "author_type", "media"};

		rc |= set_new(keys, kn[a->keys[k]], json_string(g->keys[a->keys[k]]));
	}
	rc |= set_new(o, "keys", keys);
	rc |= set_new(o, "region", r->region ? json_string(r->region) : json_null());
	rc |= set_new(o, "north_south", r->north_south ? json_string(r->north_south) : json_null());
	rc |= set_new(o, "lat", jnum(r->lat));
	rc |= set_new(o, "lon", jnum(r->lon));
	rc |= set_new(o, "nearest_city",
		      r->nearest >= 0 ? json_string(result_id(a, r->nearest)) : json_null());
	tags = json_array();
	for (size_t i = 0; tags && i < r->nkey && i < 10; i++) {
		if (json_array_append_new(tags, json_stringn(r->key_s[i], r->key_len[i])))
			rc = NR_ENOMEM;
	}
	rc |= set_new(o, "tags", tags);
	m = json_object();
	for (int k = 0; m && k < M_COUNT; k++)
		rc |= set_new(m, nri_measure_names[k], jmeasure(k, r->m[k]));
	rc |= set_new(o, "measures", m);
	rc |= set_new(o, "topics", jshare_map(a, g, NRI_LEX_TOPICS, 0));
	rc |= set_new(o, "topic_counts", jshare_map(a, g, NRI_LEX_TOPICS, 1));
	rc |= set_new(o, "frames", jshare_map(a, g, NRI_LEX_FRAMES, 0));
	rc |= set_new(o, "frame_counts", jshare_map(a, g, NRI_LEX_FRAMES, 1));
	rc |= set_new(o, "platforms", jcount_map(&g->platforms));
	rc |= set_new(o, "languages", jcount_map(&g->langs));
	rc |= set_new(o, "media", jcount_map(&g->media));
	rc |= set_new(o, "author_types", jcount_map(&g->author_types));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *conc_json(const double v[3])
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (set_new(o, "gini", jnum(v[0])) || set_new(o, "hhi", jnum(v[1])) ||
	    set_new(o, "top10_share", jnum(v[2]))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Groups and documents per region value, for the corpus summary. */
static json_t *region_json(const struct nr_analysis *a, int ns)
{
	static const char *const nsv[] = {"north", "south"};
	static const char *const rv[] = {"east", "central", "west", "northeast"};
	const char *const *vals = ns ? nsv : rv;
	size_t nv = ns ? 2 : 4;
	json_t *o = json_object();

	for (size_t v = 0; o && v < nv; v++) {
		uint64_t groups = 0, docs = 0;
		json_t *e;

		for (size_t g = 0; g < a->ngroups; g++) {
			const char *x = ns ? a->results[g].north_south : a->results[g].region;

			if (x && !strcmp(x, vals[v])) {
				groups++;
				docs += a->groups[g].docs;
			}
		}
		if (!groups)
			continue;
		e = json_object();
		if (!e || set_new(e, "groups", json_integer((json_int_t)groups)) ||
		    set_new(e, "documents", json_integer((json_int_t)docs)) ||
		    set_new(o, vals[v], e)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *corpus_json(const struct nr_analysis *a)
{
	json_t *o = json_object(), *c = json_object(), *r = json_object();
	int rc = NR_OK;

	if (!o || !c || !r) {
		json_decref(o);
		json_decref(c);
		json_decref(r);
		return NULL;
	}
	rc |= set_new(o, "documents", json_integer((json_int_t)a->counts.analysed));
	rc |= set_new(o, "groups", json_integer((json_int_t)a->ngroups));
	rc |= set_new(c, "documents", conc_json(a->conc_docs));
	rc |= set_new(c, "engagement", conc_json(a->conc_eng));
	rc |= set_new(o, "concentration", c);
	rc |= set_new(r, "north_south", region_json(a, 1));
	rc |= set_new(r, "region", region_json(a, 0));
	rc |= set_new(o, "regions", r);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int dump_json(struct nr_analysis *a, const char *dir, const char *name, json_t *j)
{
	char path[4096];
	FILE *f;
	int bad;

	if (!j)
		return NR_ENOMEM;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		werr(a, "cannot write '%s': %s", path, strerror(errno));
		json_decref(j);
		return NR_EIO;
	}
	bad = json_dumpf(j, f, JSON_FLAGS) != 0;
	bad |= fputc('\n', f) == EOF;
	bad |= fclose(f) != 0;
	json_decref(j);
	if (bad) {
		werr(a, "cannot write '%s': %s", path, strerror(errno));
		return NR_EIO;
	}
	return NR_OK;
}

static FILE *open_out(struct nr_analysis *a, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		werr(a, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

static int close_out(struct nr_analysis *a, FILE *f, const char *dir, const char *name)
{
	int bad = ferror(f);

	bad |= fclose(f) != 0;
	if (bad) {
		werr(a, "cannot write '%s/%s': %s", dir, name, strerror(errno));
		return NR_EIO;
	}
	return NR_OK;
}

static int write_measures(struct nr_analysis *a, const char *dir)
{
	json_t *top = json_object(), *gb = json_array(), *groups = json_array();
	static const char *const kn[NRI_KEY_COUNT] = {"city", "platform",    "month",
						      "lang", "author_type", "media"};
	int rc = NR_OK;

	if (!top || !gb || !groups) {
		json_decref(top);
		json_decref(gb);
		json_decref(groups);
		return NR_ENOMEM;
	}
	rc |= set_new(top, "schema", json_string("narrate.measures"));
	rc |= set_new(top, "version", json_integer(1));
	rc |= set_new(top, "narrate_version", json_string(nr_version()));
	for (size_t k = 0; k < a->nkeys; k++)
		rc |= json_array_append_new(gb, json_string(kn[a->keys[k]])) ? NR_ENOMEM : 0;
	rc |= set_new(top, "group_by", gb);
	for (size_t g = 0; g < a->ngroups; g++) {
		json_t *gj = group_json(a, g);

		if (!gj || json_array_append_new(groups, gj))
			rc = NR_ENOMEM;
	}
	rc |= set_new(top, "groups", groups);
	rc |= set_new(top, "corpus", corpus_json(a));
	if (rc) {
		json_decref(top);
		return NR_ENOMEM;
	}
	return dump_json(a, dir, "measures.json", top);
}

static int write_cities(struct nr_analysis *a, const char *dir)
{
	/* The measures in enum order (analyze.h keeps it the column
	 * order), with nearest_city after cosine_max as the issue lists it. */
	FILE *f = open_out(a, dir, "cities.csv");

	if (!f)
		return NR_EIO;
	fputs("city_id,city_name", f);
	for (int m = 0; m < M_COUNT; m++) {
		fprintf(f, ",%s", nri_measure_names[m]);
		if (m == M_COSINE_MAX)
			fputs(",nearest_city", f);
	}
	fputs(",name_zh,region,north_south,lat,lon,tags\n", f);
	for (size_t g = 0; g < a->ngroups; g++) {
		const struct nri_result *r = &a->results[g];
		struct nri_buf tags;

		csv_str(f, a->groups[g].id);
		fputc(',', f);
		csv_str(f, r->name);
		for (int m = 0; m < M_COUNT; m++) {
			fputc(',', f);
			csv_num(f, r->m[m]);
			if (m == M_COSINE_MAX) {
				fputc(',', f);
				csv_str(f, result_id(a, r->nearest));
			}
		}
		fputc(',', f);
		csv_str(f, r->name_zh);
		fputc(',', f);
		csv_str(f, r->region);
		fputc(',', f);
		csv_str(f, r->north_south);
		fputc(',', f);
		csv_num(f, r->lat);
		fputc(',', f);
		csv_num(f, r->lon);
		fputc(',', f);
		nri_buf_init(&tags, 0);
		for (size_t i = 0; i < r->nkey && i < 10; i++) {
			if ((i && nri_buf_addc(&tags, ';')) ||
			    nri_buf_add(&tags, r->key_s[i], r->key_len[i])) {
				nri_buf_release(&tags);
				fclose(f);
				return NR_ENOMEM;
			}
		}
		csv_field(f, tags.data ? tags.data : "", tags.len);
		nri_buf_release(&tags);
		fputc('\n', f);
	}
	return close_out(a, f, dir, "cities.csv");
}

static int write_categories(struct nr_analysis *a, const char *dir, int lex, const char *name)
{
	FILE *f = open_out(a, dir, name);
	struct cat_order *c = NULL;
	size_t n = 0;

	if (!f)
		return NR_EIO;
	fputs("city_id,category,count,share\n", f);
	if (a->lex[lex]) {
		c = sorted_cats(a->lex[lex], &n);
		if (!c) {
			fclose(f);
			return NR_ENOMEM;
		}
	}
	for (size_t g = 0; g < a->ngroups; g++) {
		const struct nri_group *gr = &a->groups[g];
		const uint64_t *v = lex == NRI_LEX_TOPICS ? gr->topic_docs : gr->frame_docs;

		for (size_t i = 0; i < n; i++) {
			if (!strchr(c[i].name, '/') || !cat_used(a, lex, c[i].id))
				continue;
			csv_str(f, gr->id);
			fputc(',', f);
			csv_str(f, c[i].name);
			fprintf(f, ",%llu,", (unsigned long long)v[c[i].id]);
			csv_num(f, gr->docs ? (double)v[c[i].id] / (double)gr->docs : NAN);
			fputc('\n', f);
		}
	}
	nri_free(c);
	return close_out(a, f, dir, name);
}

static int write_keyterms(struct nr_analysis *a, const char *dir)
{
	FILE *f = open_out(a, dir, "keyterms.csv");

	if (!f)
		return NR_EIO;
	fputs("city_id,term,count,other_count,g2,log_ratio\n", f);
	for (size_t g = 0; g < a->ngroups; g++) {
		const struct nri_result *r = &a->results[g];

		for (size_t i = 0; i < r->nkey && i < 50; i++) {
			csv_str(f, a->groups[g].id);
			fputc(',', f);
			csv_field(f, r->key_s[i], r->key_len[i]);
			fprintf(f, ",%llu,%llu,",
				(unsigned long long)r->g->term_counts[r->key_terms[i]].content,
				(unsigned long long)r->key_other[i]);
			csv_num(f, r->key_g2[i]);
			fputc(',', f);
			csv_num(f, r->key_lr[i]);
			fputc('\n', f);
		}
		for (size_t i = 0; i < r->nunder; i++) {
			csv_str(f, a->groups[g].id);
			fputc(',', f);
			csv_field(f, r->under[i].s, r->under[i].len);
			fprintf(f, ",%llu,%llu,", (unsigned long long)r->under[i].count,
				(unsigned long long)r->under[i].other);
			csv_num(f, r->under[i].g2);
			fputc(',', f);
			csv_num(f, r->under[i].lr);
			fputc('\n', f);
		}
	}
	return close_out(a, f, dir, "keyterms.csv");
}

static int write_similarity(struct nr_analysis *a, const char *dir)
{
	FILE *f = open_out(a, dir, "similarity.csv");

	if (!f)
		return NR_EIO;
	fputs("city_a,city_b,cosine\n", f);
	for (size_t i = 0; i < a->ngroups; i++)
		for (size_t j = 0; j < a->ngroups; j++) {
			if (i == j)
				continue;
			csv_str(f, a->groups[i].id);
			fputc(',', f);
			csv_str(f, a->groups[j].id);
			fputc(',', f);
			csv_num(f, a->cosine[i * a->ngroups + j]);
			fputc('\n', f);
		}
	return close_out(a, f, dir, "similarity.csv");
}

/* One line of rejects.jsonl. */
static int reject_line(void *ctx, const struct nri_reject *r)
{
	FILE *f = ctx;
	json_t *o = json_object();
	char *s;

	/* an id or source that is not UTF-8 makes json_string fail: set_new
	 * reports it as NR_ENOMEM; jansson cannot hold it */
	if (!o || set_new(o, "source", json_string(r->source)) ||
	    set_new(o, "id", r->id ? json_string(r->id) : json_null()) ||
	    set_new(o, "reason", json_string(r->reason))) {
		json_decref(o);
		return NR_ENOMEM;
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return NR_ENOMEM;
	fputs(s, f);
	fputc('\n', f);
	free(s);
	return NR_OK;
}

/* The reader's and the workers' rejects, merged in input order. */
static int write_rejects(struct nr_analysis *a, const char *dir)
{
	FILE *f = open_out(a, dir, "rejects.jsonl");
	struct nri_reject_list *lists[1 + NRI_MAX_THREADS];
	size_t n = 0;
	int rc;

	if (!f)
		return NR_EIO;
	lists[n++] = &a->reader_rejects;
	for (unsigned i = 0; i < a->nthreads && a->workers; i++)
		lists[n++] = &a->workers[i].rejects;
	rc = nri_rejects_each(lists, n, reject_line, f);
	if (rc) {
		fclose(f);
		return rc;
	}
	return close_out(a, f, dir, "rejects.jsonl");
}

static int write_manifest(struct nr_analysis *a, const char *dir, const char *command)
{
	static const char *const roles[NRI_NLEX] = {"cities", "topics", "frames", "tone"};
	json_t *o = json_object(), *c = json_object(), *lx = json_array(), *opt = json_object();
	int rc = NR_OK;

	if (!o || !c || !lx || !opt) {
		json_decref(o);
		json_decref(c);
		json_decref(lx);
		json_decref(opt);
		return NR_ENOMEM;
	}
	rc |= set_new(o, "narrate_version", json_string(nr_version()));
	rc |= set_new(o, "command", command ? json_string(command) : json_null());
	rc |= set_new(c, "read", json_integer((json_int_t)a->counts.read));
	rc |= set_new(c, "analysed", json_integer((json_int_t)a->counts.analysed));
	rc |= set_new(c, "rejected", json_integer((json_int_t)a->counts.rejected));
	rc |= set_new(c, "unattributed", json_integer((json_int_t)a->counts.unattributed));
	rc |= set_new(c, "repaired_utf8", json_integer((json_int_t)a->counts.repaired));
	rc |= set_new(c, "skipped_files", json_integer((json_int_t)a->counts.skipped_files));
	rc |= set_new(c, "text_bytes", json_integer((json_int_t)a->counts.bytes));
	rc |= set_new(c, "groups", json_integer((json_int_t)a->counts.groups));
	rc |= set_new(c, "without_stopword_list", json_integer((json_int_t)a->counts.no_stopwords));
	rc |= set_new(c, "dates_unread", json_integer((json_int_t)a->counts.dates_unread));
	rc |= set_new(o, "documents", c);
	rc |= set_new(o, "languages_without_stopword_list", jcount_map(&a->nostop));
	rc |= set_new(opt, "threads", json_integer((json_int_t)a->nthreads));
	rc |= set_new(opt, "attribution",
		      json_string(a->o.attribution == NR_ATTRIBUTE_MOST ? "most" : "all"));
	rc |= set_new(opt, "lang", a->o.lang ? json_string(a->o.lang) : json_null());
	rc |= set_new(opt, "repair_utf8", json_boolean(a->o.flags & NR_ANALYZE_REPAIR_UTF8));
	rc |= set_new(opt, "lexdiv_tokens", json_integer((json_int_t)a->o.lexdiv_tokens));
	{
		json_t *h = json_object();

		if (h) {
			rc |= set_new(h, "near_duplicates",
				      json_boolean(!(a->o.flags & NR_ANALYZE_NO_NEAR_DUPS)));
			rc |= set_new(h, "cliches",
				      json_boolean(!(a->o.flags & NR_ANALYZE_NO_CLICHES)));
			rc |= set_new(h, "threshold", json_real(a->dup_threshold));
			rc |= set_new(h, "permutations", json_integer((json_int_t)a->mh.nperm));
			rc |= set_new(h, "bands", json_integer((json_int_t)a->mh.bands));
			rc |= set_new(h, "rows", json_integer((json_int_t)a->mh.rows));
			rc |= set_new(h, "shingle_words",
				      json_integer((json_int_t)a->shingle_words));
			rc |= set_new(h, "shingle_chars",
				      json_integer((json_int_t)a->shingle_chars));
			rc |= set_new(h, "ngram_words", json_integer((json_int_t)a->ngram_words));
			rc |= set_new(h, "ngram_chars", json_integer((json_int_t)a->ngram_chars));
			rc |= set_new(h, "cliche_min_cities",
				      json_integer((json_int_t)a->cliche_min_cities));
			rc |= set_new(h, "ngram_sampling_level",
				      json_integer((json_int_t)a->cliche_level));
			rc |= set_new(h, "clusters", json_integer((json_int_t)a->nclusters));
			rc |= set_new(h, "cross_group_clusters",
				      json_integer((json_int_t)a->ncross));
			rc |= set_new(h, "verified_pairs",
				      json_integer((json_int_t)a->dup_verified));
		}
		rc |= set_new(opt, "homogeneity", h);
	}
	rc |= set_new(o, "options", opt);
	for (int i = 0; i < NRI_NLEX; i++) {
		json_t *e;

		if (!a->lex[i])
			continue;
		e = json_object();
		if (!e || set_new(e, "role", json_string(roles[i])) ||
		    set_new(e, "name", json_string(nr_lexicon_name(a->lex[i]))) ||
		    set_new(e, "path", json_string(a->lex_path[i])) ||
		    set_new(e, "sha256", json_string(a->lex_sha256[i])) ||
		    json_array_append_new(lx, e))
			rc = NR_ENOMEM;
	}
	rc |= set_new(o, "lexicons", lx);
	{
		json_t *sk = json_array();

		for (size_t i = 0; sk && i < a->skipped.n; i++) {
			json_t *e = json_object();

			if (!e || set_new(e, "source", json_string(a->skipped.v[i].source)) ||
			    set_new(e, "reason", json_string(a->skipped.v[i].reason)) ||
			    json_array_append_new(sk, e))
				rc = NR_ENOMEM;
		}
		rc |= set_new(o, "skipped_files", sk);
	}
	if (rc) {
		json_decref(o);
		return NR_ENOMEM;
	}
	return dump_json(a, dir, "manifest.json", o);
}

static int write_concentration(struct nr_analysis *a, const char *dir)
{
	return dump_json(a, dir, "concentration.json", corpus_json(a));
}

/* 1 if dir is empty or holds a narrate report (a manifest.json): the only
 * folders nri_analysis_write_files will replace. */
static int replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int entries = 0, manifest = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		entries++;
		manifest |= !strcmp(e->d_name, "manifest.json");
	}
	closedir(d);
	return !entries || manifest;
}

/* Remove a flat folder of files we wrote. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

static int fill_report(struct nr_analysis *a, const char *tmp, const char *command)
{
	int rc;

	if ((rc = write_measures(a, tmp)) || (rc = write_cities(a, tmp)) ||
	    (rc = write_categories(a, tmp, NRI_LEX_TOPICS, "topics.csv")) ||
	    (rc = write_categories(a, tmp, NRI_LEX_FRAMES, "frames.csv")) ||
	    (rc = write_keyterms(a, tmp)) || (rc = write_similarity(a, tmp)) ||
	    (rc = write_concentration(a, tmp)) || (rc = write_rejects(a, tmp)) ||
	    (rc = write_manifest(a, tmp, command)))
		return rc;
	/* report.html (docs/report.md), drawn from the files just written, so
	 * that it is what 'narrate report' would draw from the folder */
	if (!(a->o.flags & NR_ANALYZE_NO_REPORT) &&
	    (rc = nr_report_write(tmp, NULL, a->errmsg, sizeof(a->errmsg))))
		return rc;
	return NR_OK;
}

int nri_analysis_write_files(struct nr_analysis *a, const char *outdir, const char *command)
{
	return nri_analysis_write_folder(a, outdir, command, fill_report);
}

FILE *nri_out_open(struct nr_analysis *a, const char *dir, const char *name)
{
	return open_out(a, dir, name);
}

int nri_out_close(struct nr_analysis *a, FILE *f, const char *dir, const char *name)
{
	return close_out(a, f, dir, name);
}

void nri_csv_field(FILE *f, const char *s, size_t len)
{
	csv_field(f, s, len);
}

void nri_csv_num(FILE *f, double v)
{
	csv_num(f, v);
}

int nri_write_rejects(struct nr_analysis *a, const char *dir)
{
	return write_rejects(a, dir);
}

int nri_write_manifest(struct nr_analysis *a, const char *dir, const char *command)
{
	return write_manifest(a, dir, command);
}

/* Write a report folder atomically: fill() writes the files into a fresh
 * temporary folder, which then takes outdir's name. */
int nri_analysis_write_folder(struct nr_analysis *a, const char *outdir, const char *command,
			      nri_fill_fn fill)
{
	char tmp[4096], old[4096];
	size_t n = strlen(outdir);
	struct stat st;
	int rc;

	while (n > 1 && outdir[n - 1] == '/')
		n--;
	if (n == 0 || n > 4000) {
		werr(a, "bad output folder name");
		return NR_EINVAL;
	}
	snprintf(tmp, sizeof(tmp), "%.*s.tmp-%ld", (int)n, outdir, (long)getpid());
	snprintf(old, sizeof(old), "%.*s.old-%ld", (int)n, outdir, (long)getpid());
	remove_dir(tmp);
	if (mkdir(tmp, 0755) != 0) {
		werr(a, "cannot create '%s': %s", tmp, strerror(errno));
		return NR_EIO;
	}
	if ((rc = fill(a, tmp, command))) {
		if (rc == NR_ENOMEM && !a->errmsg[0])
			werr(a, "out of memory writing the report");
		remove_dir(tmp);
		return rc;
	}
	/* swap in: the old report moves aside first, and is removed only when
	 * the new one has its name */
	if (stat(outdir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			werr(a, "cannot write report: '%.*s' exists and is not a folder", (int)n,
			     outdir);
			remove_dir(tmp);
			return NR_EIO;
		}
		if (!replaceable(outdir)) {
			werr(a,
			     "will not replace '%.*s': it exists and is not a narrate report "
			     "folder (no manifest.json); remove it or choose another -o",
			     (int)n, outdir);
			remove_dir(tmp);
			return NR_EIO;
		}
		if (rename(outdir, old) != 0) {
			werr(a, "cannot replace '%.*s': %s", (int)n, outdir, strerror(errno));
			remove_dir(tmp);
			return NR_EIO;
		}
	}
	if (rename(tmp, outdir) != 0) {
		werr(a, "cannot create '%.*s': %s", (int)n, outdir, strerror(errno));
		rename(old, outdir);
		remove_dir(tmp);
		return NR_EIO;
	}
	remove_dir(old);
	return NR_OK;
}
