/*
 * report_data.c - read a report folder back for report.html.
 *
 * measures.json is the one required file; the CSVs of `narrate analyze`,
 * `narrate score` and `narrate homogeneity` are used when they are there.
 * A file that is there but does not parse is an error naming the file:
 * a report drawn from half a file would mislead.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>
#include <jansson.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "index_def.h"
#include "markup.h"
#include "report.h"

#define MAX_FILE ((size_t)256 << 20)

static int rerr(struct nri_report_data *d, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rerr(struct nri_report_data *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return rc;
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = nri_malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int note_missing(struct nri_report_data *d, const char *name)
{
	if (d->nmissing < sizeof(d->missing) / sizeof(d->missing[0])) {
		d->missing[d->nmissing] = nri_strndup(name, strlen(name));
		if (!d->missing[d->nmissing])
			return NR_ENOMEM;
		d->nmissing++;
	}
	return NR_OK;
}

/* Read a JSON file; *out NULL when absent and not required. */
static int load_json(struct nri_report_data *d, const char *name, int required, json_t **out)
{
	char *path = join(d->dir, name);
	json_error_t e;

	*out = NULL;
	if (!path)
		return NR_ENOMEM;
	if (!exists(path)) {
		int rc = required ? rerr(d, NR_ENOTFOUND,
					 "cannot open '%s': %s (is '%s' a report folder "
					 "of narrate analyze?)",
					 path, strerror(errno), d->dir)
				  : note_missing(d, name);

		nri_free(path);
		return rc;
	}
	*out = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!*out) {
		int rc = rerr(d, NR_EPARSE, "cannot read '%s': line %d column %d: %s", path, e.line,
			      e.column, e.text);

		nri_free(path);
		return rc;
	}
	nri_free(path);
	return NR_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

/* A consumer of data rows: the table then keeps its header only, so that
 * similarity.csv (a row per pair of cities) needs no copy of its cells. */
typedef int (*row_fn)(struct nri_report_data *d, const struct nri_table *t, char **f,
		      unsigned line);

struct csvload {
	struct nri_table *t;
	struct nri_report_data *d;
	row_fn fn;
	const char *const *need;
	char **row; /* fields of the current row */
	size_t nf, cap;
	char **cells;
	size_t ncells, ccap;
	unsigned line;
	int rc;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csvload *x = data;
	char *f;

	if (x->rc)
		return;
	if (x->nf == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 16;
		char **p = nri_realloc(x->row, ncap * sizeof(*p));

		if (!p) {
			x->rc = NR_ENOMEM;
			return;
		}
		x->row = p;
		x->cap = ncap;
	}
	f = nri_strndup(s ? s : "", s ? len : 0);
	if (!f) {
		x->rc = NR_ENOMEM;
		return;
	}
	x->row[x->nf++] = f;
}

static void drop_row(struct csvload *x)
{
	for (size_t i = 0; i < x->nf; i++)
		nri_free(x->row[i]);
	x->nf = 0;
}

static void on_row(int term, void *data)
{
	struct csvload *x = data;
	struct nri_table *t = x->t;

	(void)term;
	x->line++;
	if (x->rc) {
		drop_row(x);
		return;
	}
	if (!t->head) {
		t->head = x->row;
		t->ncol = x->nf;
		x->row = NULL;
		x->nf = x->cap = 0;
		if (x->fn) /* a row consumer reads its columns by name */
			for (size_t i = 0; x->need && x->need[i]; i++)
				if (nri_table_col(t, x->need[i]) < 0)
					x->rc = rerr(
						x->d, NR_EPARSE,
						"cannot read '%s': no column '%s' in the header",
						t->path, x->need[i]);
		return;
	}
	if (x->nf == 1 && x->row[0][0] == '\0') { /* a blank line */
		drop_row(x);
		return;
	}
	if (x->nf != t->ncol) {
		x->rc = rerr(x->d, NR_EPARSE,
			     "cannot read '%s': line %u has %zu fields, the header %zu", t->path,
			     x->line, x->nf, t->ncol);
		drop_row(x);
		return;
	}
	if (x->fn) {
		x->rc = x->fn(x->d, t, x->row, x->line);
		drop_row(x);
		return;
	}
	if (x->ncells + x->nf > x->ccap) {
		size_t ncap = x->ccap ? x->ccap * 2 : 256;
		char **p;

		while (ncap < x->ncells + x->nf)
			ncap *= 2;
		p = nri_realloc(x->cells, ncap * sizeof(*p));
		if (!p) {
			x->rc = NR_ENOMEM;
			drop_row(x);
			return;
		}
		x->cells = p;
		x->ccap = ncap;
	}
	memcpy(x->cells + x->ncells, x->row, x->nf * sizeof(*x->row));
	x->ncells += x->nf;
	x->nf = 0;
	t->nrow++;
}

static void table_release(struct nri_table *t)
{
	for (size_t i = 0; t->head && i < t->ncol; i++)
		nri_free(t->head[i]);
	for (size_t i = 0; t->cell && i < t->nrow * t->ncol; i++)
		nri_free(t->cell[i]);
	nri_free(t->head);
	nri_free(t->cell);
	nri_free(t->path);
	memset(t, 0, sizeof(*t));
}

static char *read_all(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "rb");
	struct nri_buf b;
	char tmp[65536];
	size_t n;

	*err = 0;
	if (!f) {
		*err = errno;
		return NULL;
	}
	nri_buf_init(&b, MAX_FILE);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		int rc = nri_buf_add(&b, tmp, n);

		if (rc) {
			*err = rc == NR_ENOMEM ? ENOMEM : EFBIG;
			break;
		}
	}
	if (ferror(f))
		*err = errno ? errno : EIO;
	fclose(f);
	if (*err) {
		nri_buf_release(&b);
		return NULL;
	}
	if (!b.data && nri_buf_addc(&b, 0) == NR_OK)
		b.len = 0;
	*len = b.len;
	return b.data;
}

/* Read name into t if it is there; required columns (NULL-terminated)
 * must be in the header.  With fn, data rows go to fn, not into t. */
static int load_csv_rows(struct nri_report_data *d, const char *dir, const char *name,
			 struct nri_table *t, const char *const *need, row_fn fn)
{
	struct csv_parser p;
	struct csvload x;
	char *s;
	size_t len;
	int e;

	memset(t, 0, sizeof(*t));
	t->path = dir ? join(dir, name) : nri_strndup(name, strlen(name));
	if (!t->path)
		return NR_ENOMEM;
	if (!exists(t->path)) {
		nri_free(t->path);
		t->path = NULL;
		return note_missing(d, name);
	}
	s = read_all(t->path, &len, &e);
	if (!s)
		return rerr(d, e == ENOMEM ? NR_ENOMEM : NR_EIO, "cannot read '%s': %s", t->path,
			    strerror(e));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		nri_free(s);
		return NR_ENOMEM;
	}
	csv_set_realloc_func(&p, nri_realloc);
	csv_set_free_func(&p, nri_free);
	memset(&x, 0, sizeof(x));
	x.t = t;
	x.d = d;
	x.fn = fn;
	x.need = need;
	if (csv_parse(&p, s, len, on_field, on_row, &x) != len && !x.rc)
		x.rc = rerr(d, csv_error(&p) == CSV_ENOMEM ? NR_ENOMEM : NR_EPARSE,
			    "cannot read '%s': line %u: %s", t->path, x.line + 1,
			    csv_strerror(csv_error(&p)));
	if (!x.rc && csv_fini(&p, on_field, on_row, &x) != 0 && !x.rc)
		x.rc = rerr(d, NR_EPARSE, "cannot read '%s': line %u: %s", t->path, x.line + 1,
			    csv_strerror(csv_error(&p)));
	csv_free(&p);
	nri_free(s);
	drop_row(&x);
	nri_free(x.row);
	t->cell = x.cells;
	if (!x.rc && !t->head)
		x.rc = rerr(d, NR_EPARSE, "cannot read '%s': the file is empty (no header row)",
			    t->path);
	for (size_t i = 0; !x.rc && need && need[i]; i++)
		if (nri_table_col(t, need[i]) < 0)
			x.rc = rerr(d, NR_EPARSE, "cannot read '%s': no column '%s' in the header",
				    t->path, need[i]);
	return x.rc;
}

static int load_csv(struct nri_report_data *d, const char *dir, const char *name,
		    struct nri_table *t, const char *const *need)
{
	return load_csv_rows(d, dir, name, t, need, NULL);
}

int nri_table_col(const struct nri_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (!strcmp(t->head[i], name))
			return (int)i;
	return -1;
}

const char *nri_table_get(const struct nri_table *t, size_t row, int col)
{
	if (col < 0 || (size_t)col >= t->ncol || row >= t->nrow)
		return "";
	return t->cell[row * t->ncol + (size_t)col];
}

/* A number cell: NAN when empty; an error naming the file otherwise. */
static int cell_num(struct nri_report_data *d, const struct nri_table *t, size_t row, int col,
		    double *out)
{
	const char *s = nri_table_get(t, row, col);

	if (!*s) {
		*out = NAN;
		return NR_OK;
	}
	if (!nri_strtod_c(s, strlen(s), out))
		return rerr(d, NR_EPARSE,
			    "cannot read '%s': row %zu, column '%s': '%s' is not a number", t->path,
			    row + 2, t->head[col], s);
	return NR_OK;
}

/* ---- cities ------------------------------------------------------------- */

double nri_rmeasure(const struct nri_rcity *c, const char *name)
{
	json_t *v = c->measures ? json_object_get(c->measures, name) : NULL;

	return v && json_is_number(v) ? json_number_value(v) : NAN;
}

int nri_rhas_measure(const struct nri_report_data *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (isfinite(nri_rmeasure(&d->c[i], name)))
			return 1;
	return 0;
}

int nri_rknows_measure(const struct nri_report_data *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].measures && json_object_get(d->c[i].measures, name))
			return 1;
	return 0;
}

const char *nri_rlabel(const struct nri_report_data *d, const struct nri_rcity *c)
{
	if (d->names_zh && c->name_zh)
		return c->name_zh;
	return c->name ? c->name : c->id;
}

struct id_key {
	const char *id;
	const struct nri_report_data *d;
};

static int cmp_id_key(const void *key, const void *elem)
{
	const struct id_key *k = key;

	return strcmp(k->id, k->d->c[*(const size_t *)elem].id);
}

long nri_rfind(const struct nri_report_data *d, const char *id)
{
	struct id_key k = {id, d};
	const size_t *hit;

	if (!d->by_id)
		return -1;
	hit = bsearch(&k, d->by_id, d->n, sizeof(*d->by_id), cmp_id_key);
	return hit ? (long)*hit : -1;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The lang of a name: its script, and for Han-only names without a known
 * Chinese name the group's main document language when that is Japanese
 * or Korean (東京 in a corpus of Japanese posts is ja). */
static const char *name_lang(struct nri_rcity *c, const char *s)
{
	const char *l = nri_script_lang(s, strlen(s));
	const char *best = NULL;
	json_int_t most = 0;
	const char *k;
	json_t *v;

	if (strcmp(l, "zh"))
		return l;
	json_object_foreach(c->languages, k, v)
	{
		if (json_is_integer(v) && json_integer_value(v) > most) {
			most = json_integer_value(v);
			best = k;
		}
	}
	if (best && !strncmp(best, "ja", 2))
		return "ja";
	if (best && !strncmp(best, "ko", 2))
		return "ko";
	if (best && (!strcmp(best, "zh-Hant") || !strcmp(best, "zh-TW") || !strcmp(best, "zh-HK")))
		return "zh-Hant";
	return "zh";
}

struct docs_key {
	double docs;
	const char *id;
	size_t i;
};

static int cmp_by_docs(const void *x, const void *y)
{
	const struct docs_key *a = x, *b = y;

	if (a->docs != b->docs)
		return a->docs > b->docs ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int load_cities(struct nri_report_data *d)
{
	json_t *groups = json_object_get(d->measures, "groups");
	const char *schema = jstr(d->measures, "schema");
	size_t i;

	if (!json_is_object(d->measures) || !schema || strcmp(schema, "narrate.measures") ||
	    !json_is_array(groups))
		return rerr(
			d, NR_EPARSE,
			"cannot read '%s/measures.json': not a measures file of narrate analyze "
			"(schema \"narrate.measures\" with a \"groups\" array)",
			d->dir);
	d->n = json_array_size(groups);
	d->c = nri_calloc(d->n ? d->n : 1, sizeof(*d->c));
	d->by_docs = nri_malloc((d->n ? d->n : 1) * sizeof(*d->by_docs));
	d->by_id = nri_malloc((d->n ? d->n : 1) * sizeof(*d->by_id));
	if (!d->c || !d->by_docs || !d->by_id)
		return NR_ENOMEM;
	for (i = 0; i < d->n; i++) {
		json_t *g = json_array_get(groups, i), *docs;
		struct nri_rcity *c = &d->c[i];

		c->id = jstr(g, "id");
		c->measures = json_object_get(g, "measures");
		if (!c->id || !json_is_object(c->measures))
			return rerr(d, NR_EPARSE,
				    "cannot read '%s/measures.json': group %zu has no \"id\" or no "
				    "\"measures\" object",
				    d->dir, i + 1);
		c->name = jstr(g, "name");
		if (!c->name)
			c->name = c->id;
		c->name_zh = jstr(g, "name_zh");
		c->region = jstr(g, "region");
		c->ns = jstr(g, "north_south");
		c->topics = json_object_get(g, "topics");
		c->frames = json_object_get(g, "frames");
		c->languages = json_object_get(g, "languages");
		c->tags = json_object_get(g, "tags");
		docs = json_object_get(c->measures, "documents");
		c->docs = json_is_number(docs) ? json_number_value(docs) : 0;
		c->name_lang = name_lang(c, c->name);
		c->label_lang = d->names_zh && c->name_zh ? "zh-Hans" : c->name_lang;
		c->rank = c->score = c->rank_median = c->rank_p05 = c->rank_p95 = NAN;
		d->by_docs[i] = i;
	}
	{
		struct docs_key *k = nri_malloc((d->n ? d->n : 1) * sizeof(*k));

		if (!k)
			return NR_ENOMEM;
		for (i = 0; i < d->n; i++) {
			k[i].docs = d->c[i].docs;
			k[i].id = d->c[i].id;
			k[i].i = i;
		}
		qsort(k, d->n, sizeof(*k), cmp_by_docs);
		for (i = 0; i < d->n; i++)
			d->by_docs[i] = k[i].i;
		/* the same keys with no documents sort by id alone */
		for (i = 0; i < d->n; i++)
			k[i].docs = 0;
		qsort(k, d->n, sizeof(*k), cmp_by_docs);
		for (i = 0; i < d->n; i++)
			d->by_id[i] = k[i].i;
		nri_free(k);
	}
	for (i = 0; i + 1 < d->n; i++)
		if (!strcmp(d->c[d->by_id[i]].id, d->c[d->by_id[i + 1]].id))
			return rerr(d, NR_EPARSE,
				    "cannot read '%s/measures.json': two groups have the id '%s'",
				    d->dir, d->c[d->by_id[i]].id);
	return NR_OK;
}

static int sim_row(struct nri_report_data *d, const struct nri_table *t, char **f, unsigned line)
{
	long a = nri_rfind(d, f[nri_table_col(t, "city_a")]);
	long b = nri_rfind(d, f[nri_table_col(t, "city_b")]);
	const char *c = f[nri_table_col(t, "cosine")];
	double v = NAN;

	if (*c && !nri_strtod_c(c, strlen(c), &v))
		return rerr(d, NR_EPARSE,
			    "cannot read '%s': line %u, column 'cosine': '%s' is not a number",
			    t->path, line, c);
	if (a >= 0 && b >= 0 && d->cos) {
		d->cos[(size_t)a * d->n + (size_t)b] = v;
		if (!isfinite(d->cos[(size_t)b * d->n + (size_t)a]))
			d->cos[(size_t)b * d->n + (size_t)a] = v;
	}
	return NR_OK;
}

/* similarity.csv into the n x n matrix, row by row.  Beyond
 * NRI_REPORT_MAX_SIM groups the matrix is not made (the file is still
 * checked): the sections that need it say so. */
static int load_similarity(struct nri_report_data *d)
{
	static const char *const need[] = {"city_a", "city_b", "cosine", NULL};

	if (d->n <= NRI_REPORT_MAX_SIM) {
		d->cos = nri_malloc((d->n ? d->n * d->n : 1) * sizeof(*d->cos));
		if (!d->cos)
			return NR_ENOMEM;
		for (size_t i = 0; i < d->n * d->n; i++)
			d->cos[i] = NAN;
		for (size_t i = 0; i < d->n; i++)
			d->cos[i * d->n + i] = 1;
	}
	return load_csv_rows(d, d->dir, "similarity.csv", &d->similarity, need, sim_row);
}

static int load_ranking(struct nri_report_data *d, const char *path)
{
	static const char *const need[] = {"rank",     "city_id",  "score", "rank_median",
					   "rank_p05", "rank_p95", NULL};
	struct nri_table *t = &d->ranking;
	int rc, cid, crank, cscore, cmed, c05, c95;

	if ((rc = path ? load_csv(d, NULL, path, t, need)
		       : load_csv(d, d->dir, "ranking.csv", t, need)) ||
	    !t->path)
		return rc;
	cid = nri_table_col(t, "city_id");
	crank = nri_table_col(t, "rank");
	cscore = nri_table_col(t, "score");
	cmed = nri_table_col(t, "rank_median");
	c05 = nri_table_col(t, "rank_p05");
	c95 = nri_table_col(t, "rank_p95");
	for (size_t r = 0; r < t->nrow; r++) {
		long i = nri_rfind(d, nri_table_get(t, r, cid));
		struct nri_rcity *c;

		if (i < 0)
			continue;
		c = &d->c[i];
		if ((rc = cell_num(d, t, r, crank, &c->rank)) ||
		    (rc = cell_num(d, t, r, cscore, &c->score)) ||
		    (rc = cell_num(d, t, r, cmed, &c->rank_median)) ||
		    (rc = cell_num(d, t, r, c05, &c->rank_p05)) ||
		    (rc = cell_num(d, t, r, c95, &c->rank_p95)))
			return rc;
		c->ranked = 1;
	}
	return NR_OK;
}

/* Check the numeric columns of a table once, so that drawing code can read
 * them without error paths. */
static int check_numeric(struct nri_report_data *d, const struct nri_table *t,
			 const char *const *cols)
{
	for (size_t k = 0; cols[k]; k++) {
		int c = nri_table_col(t, cols[k]);
		double v;
		int rc;

		if (c < 0)
			continue;
		for (size_t r = 0; r < t->nrow; r++)
			if ((rc = cell_num(d, t, r, c, &v)))
				return rc;
	}
	return NR_OK;
}

/* The --group-by keys, which name what the groups are on the page.
 * measures.json has them (group_by, an array); manifest.json's options
 * may too (an array, or "city,month" as typed).  A folder that says
 * neither is from before groupings: its groups are cities. */
static void load_keys(struct nri_report_data *d)
{
	json_t *k = json_object_get(d->measures, "group_by");

	if (!json_is_array(k) || !json_array_size(k))
		k = json_object_get(json_object_get(d->manifest, "options"), "group_by");
	if (json_is_array(k)) {
		for (size_t i = 0; i < json_array_size(k) && d->nkeys < NRI_REPORT_MAX_KEYS; i++) {
			const char *s = json_string_value(json_array_get(k, i));

			if (s && *s)
				d->keys[d->nkeys++] = s;
		}
	} else if (json_is_string(k)) {
		char *s = d->keybuf, *save = NULL;

		snprintf(d->keybuf, sizeof(d->keybuf), "%s", json_string_value(k));
		for (char *t = strtok_r(s, ", ", &save); t && d->nkeys < NRI_REPORT_MAX_KEYS;
		     t = strtok_r(NULL, ", ", &save))
			d->keys[d->nkeys++] = t;
	}
	if (!d->nkeys)
		d->keys[d->nkeys++] = "city";
}

/* The folder of a file given by path: regions.csv lives beside ranking.csv. */
static char *dir_of(const char *path)
{
	const char *sl = strrchr(path, '/');

	return sl ? nri_strndup(path, (size_t)(sl - path)) : nri_strndup(".", 1);
}

int nri_report_load(struct nri_report_data *d, const char *dir, const char *ranking,
		    const char *hdir, int names_zh)
{
	static const char *const xneed[] = {"cluster_id", "cities", "city_ids", NULL};
	static const char *const xnum[] = {"documents", "cities", NULL};
	static const char *const hnum[] = {"documents",	      "dup_within",  "dup_across",
					   "cliche_rate",     "cosine_mean", "homogeneity",
					   "distinctiveness", NULL};
	char *rdir = NULL;
	static const char *const kneed[] = {"city_id", "term", "g2", "log_ratio", NULL};
	static const char *const knum[] = {"count", "other_count", "g2", "log_ratio", NULL};
	static const char *const cnum[] = {"cities", "docs", "documents", NULL};
	int rc;

	memset(d, 0, sizeof(*d));
	d->dir = dir;
	if (!hdir)
		hdir = dir;
	if (ranking && !(rdir = dir_of(ranking)))
		return NR_ENOMEM;
	d->names_zh = names_zh;
	if ((rc = load_json(d, "measures.json", 1, &d->measures)) || (rc = load_cities(d)) ||
	    (rc = load_json(d, "concentration.json", 0, &d->conc)) ||
	    (rc = load_json(d, "manifest.json", 0, &d->manifest)) || (rc = load_similarity(d)) ||
	    (rc = load_ranking(d, ranking)) ||
	    (rc = load_csv(d, dir, "keyterms.csv", &d->keyterms, kneed)) ||
	    (rc = check_numeric(d, &d->keyterms, knum)) ||
	    (rc = load_csv(d, rdir ? rdir : dir, "regions.csv", &d->regions, NULL)) ||
	    (rc = load_csv(d, hdir, "cliches.csv", &d->cliches, NULL)) ||
	    (rc = check_numeric(d, &d->cliches, cnum)) ||
	    (rc = load_csv(d, hdir, "cross_clusters.csv", &d->cross, xneed)) ||
	    (rc = check_numeric(d, &d->cross, xnum)) ||
	    (rc = load_csv(d, hdir, "homogeneity.csv", &d->homogeneity, NULL)) ||
	    (rc = check_numeric(d, &d->homogeneity, hnum))) {
		nri_free(rdir);
		return rc;
	}
	nri_free(rdir);
	if (d->conc && !json_is_object(d->conc))
		return rerr(d, NR_EPARSE, "cannot read '%s/concentration.json': not a JSON object",
			    dir);
	if (d->manifest && !json_is_object(d->manifest))
		return rerr(d, NR_EPARSE, "cannot read '%s/manifest.json': not a JSON object", dir);
	load_keys(d);
	return NR_OK;
}

void nri_report_data_release(struct nri_report_data *d)
{
	json_decref(d->measures);
	json_decref(d->conc);
	json_decref(d->manifest);
	nri_free(d->c);
	nri_free(d->by_docs);
	nri_free(d->by_id);
	nri_free(d->cos);
	table_release(&d->keyterms);
	table_release(&d->similarity);
	table_release(&d->ranking);
	table_release(&d->regions);
	table_release(&d->cliches);
	table_release(&d->homogeneity);
	table_release(&d->cross);
	for (size_t i = 0; i < d->nmissing; i++)
		nri_free(d->missing[i]);
	memset(d, 0, sizeof(*d));
}
