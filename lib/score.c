/*
 * score.c - composite indices from narrate's measures (nr_scorer_* in
 * narrate.h; the method is written out in docs/scoring.md).
 *
 * The order of work follows the OECD/JRC Handbook on Constructing Composite
 * Indicators (2008): select the data (measures.json and an optional CSV of
 * external indicators, joined by city), treat missing values by an explicit
 * per-indicator policy, transform (log, winsorise), normalise, weight and
 * aggregate up the tree, then test the ranking: a seeded Monte Carlo over
 * weights and normalisations (Handbook section 7, uncertainty analysis) and
 * the effect of leaving each indicator out (section 7, sensitivity).
 */
#include <jansson.h>
#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "compind.h"
#include "index_def.h"
#include "prng.h"
#include "score.h"

#define MAX_CSV_COLS 10000
#define MAX_CSV_ROWS 1000000
#define MAX_CELL     65536

struct city {
	char *id, *name, *name_zh, *region, *ns;
	json_t *group; /* borrowed from the measures root */
	char **cell;   /* CSV cells of this city's row (NULL: no row) */
	unsigned row_line;
	int dropped;
};

struct region_row {
	char split[16];
	char group[40];
	int gap;
	size_t cities;
	double score;
	double *dim;
};

struct nr_scorer {
	char err[1024];
	struct nri_index *idx;
	json_t *mroot;
	char *mfile;
	struct city *city;
	size_t ncity;
	char *cfile;
	char **ccol;
	size_t nccol;
	struct nri_msgs load_warn; /* from loading measures and the CSV */
	struct nri_msgs warn;	   /* index + loads + last run */
	/* the last run */
	size_t *leaf; /* node index of each indicator */
	size_t nleaf;
	size_t nkept;
	size_t *kept;  /* city index of each kept city */
	size_t *order; /* kept positions in rank order */
	double *score, *rank, *dims, *rmed, *rp05, *rp95;
	size_t ndim;
	struct nr_score_indicator *ind;
	char **ind_src;
	size_t nind;
	struct region_row *reg;
	size_t nreg;
	long runs;
	uint64_t seed;
	double norm_s1;
	int have_result;
};

static int seterr(struct nr_scorer *sc, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int seterr(struct nr_scorer *sc, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sc->err, sizeof(sc->err), fmt, ap);
	va_end(ap);
	return rc;
}

static char *dupstr(const char *s)
{
	return s ? nri_strndup(s, strlen(s)) : NULL;
}

int nr_scorer_new(struct nr_scorer **out)
{
	*out = nri_calloc(1, sizeof(**out));
	return *out ? NR_OK : NR_ENOMEM;
}

static void free_result(struct nr_scorer *sc)
{
	size_t i;

	nri_free(sc->leaf);
	nri_free(sc->kept);
	nri_free(sc->order);
	nri_free(sc->score);
	nri_free(sc->rank);
	nri_free(sc->dims);
	nri_free(sc->rmed);
	nri_free(sc->rp05);
	nri_free(sc->rp95);
	for (i = 0; i < sc->nind; i++)
		nri_free(sc->ind_src[i]);
	nri_free(sc->ind_src);
	nri_free(sc->ind);
	for (i = 0; i < sc->nreg; i++)
		nri_free(sc->reg[i].dim);
	nri_free(sc->reg);
	sc->leaf = sc->kept = sc->order = NULL;
	sc->score = sc->rank = sc->dims = sc->rmed = sc->rp05 = sc->rp95 = NULL;
	sc->ind = NULL;
	sc->ind_src = NULL;
	sc->reg = NULL;
	sc->nleaf = sc->nkept = sc->ndim = sc->nind = sc->nreg = 0;
	sc->have_result = 0;
}

static void free_csv(struct nr_scorer *sc)
{
	size_t i, j;

	for (i = 0; i < sc->ncity; i++) {
		if (sc->city[i].cell) {
			for (j = 0; j < sc->nccol; j++)
				nri_free(sc->city[i].cell[j]);
			nri_free(sc->city[i].cell);
			sc->city[i].cell = NULL;
		}
		sc->city[i].row_line = 0;
	}
	for (j = 0; j < sc->nccol; j++)
		nri_free(sc->ccol[j]);
	nri_free(sc->ccol);
	nri_free(sc->cfile);
	sc->ccol = NULL;
	sc->cfile = NULL;
	sc->nccol = 0;
}

static void free_measures(struct nr_scorer *sc)
{
	size_t i;

	free_csv(sc);
	for (i = 0; i < sc->ncity; i++) {
		nri_free(sc->city[i].id);
		nri_free(sc->city[i].name);
		nri_free(sc->city[i].name_zh);
		nri_free(sc->city[i].region);
		nri_free(sc->city[i].ns);
	}
	nri_free(sc->city);
	sc->city = NULL;
	sc->ncity = 0;
	if (sc->mroot)
		json_decref(sc->mroot);
	sc->mroot = NULL;
	nri_free(sc->mfile);
	sc->mfile = NULL;
	nri_msgs_release(&sc->load_warn);
}

void nr_scorer_free(struct nr_scorer *sc)
{
	if (!sc)
		return;
	free_result(sc);
	free_measures(sc);
	nri_index_free(sc->idx);
	nri_msgs_release(&sc->warn);
	nri_free(sc);
}

const char *nr_scorer_errmsg(const struct nr_scorer *sc)
{
	return sc ? sc->err : "";
}

/* Warnings are rebuilt at each run from the index's, the loads' and the
 * run's own, so that a caller listing them sees each once. */
static int rebuild_warnings(struct nr_scorer *sc)
{
	size_t i;
	int rc;

	nri_msgs_release(&sc->warn);
	if (sc->idx)
		for (i = 0; i < sc->idx->warnings.n; i++)
			if ((rc = nri_msgs_add(&sc->warn, "%s", sc->idx->warnings.v[i])))
				return rc;
	for (i = 0; i < sc->load_warn.n; i++)
		if ((rc = nri_msgs_add(&sc->warn, "%s", sc->load_warn.v[i])))
			return rc;
	return NR_OK;
}

size_t nr_scorer_warning_count(const struct nr_scorer *sc)
{
	return sc->warn.n;
}

const char *nr_scorer_warning(const struct nr_scorer *sc, size_t i)
{
	return i < sc->warn.n ? sc->warn.v[i] : NULL;
}

int nr_scorer_load_index(struct nr_scorer *sc, const char *s, size_t len, const char *name)
{
	struct nri_index *idx;
	int rc;

	sc->err[0] = '\0';
	rc = nri_index_parse(s, len, name, &idx, sc->err, sizeof(sc->err));
	if (rc)
		return rc;
	nri_index_free(sc->idx);
	sc->idx = idx;
	free_result(sc);
	return rebuild_warnings(sc) ? seterr(sc, NR_ENOMEM, "out of memory") : NR_OK;
}

/* ---- measures.json (docs/measures-json.md) ----------------------------- */

static int opt_string(struct nr_scorer *sc, json_t *g, const char *key, size_t gi, char **out)
{
	json_t *v = json_object_get(g, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return NR_OK;
	if (!json_is_string(v))
		return seterr(sc, NR_EPARSE, "%s: groups[%zu]: '%s' must be a string or null",
			      sc->mfile, gi, key);
	*out = dupstr(json_string_value(v));
	return *out ? NR_OK : seterr(sc, NR_ENOMEM, "out of memory");
}

int nr_scorer_load_measures(struct nr_scorer *sc, const char *s, size_t len, const char *name)
{
	json_error_t jerr;
	json_t *root, *v, *groups;
	size_t i, j;
	int rc;

	sc->err[0] = '\0';
	free_result(sc);
	free_measures(sc);
	name = name ? name : "<measures>";
	sc->mfile = dupstr(name);
	if (!sc->mfile)
		return seterr(sc, NR_ENOMEM, "out of memory");
	root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return seterr(sc, NR_EPARSE, "%s:%d:%d: not valid JSON: %s", name, jerr.line,
			      jerr.column, jerr.text);
	sc->mroot = root;
	if (!json_is_object(root))
		return seterr(sc, NR_EPARSE, "%s: not a measures file (a JSON object is expected)",
			      name);
	v = json_object_get(root, "schema");
	if (!json_is_string(v) || strcmp(json_string_value(v), "narrate.measures"))
		return seterr(sc, NR_EPARSE,
			      "%s: not a narrate measures file (\"schema\" must be "
			      "\"narrate.measures\")",
			      name);
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return seterr(sc, NR_EPARSE, "%s: \"version\" must be a positive integer", name);
	if (json_integer_value(v) > 1)
		return seterr(sc, NR_EPARSE,
			      "%s: measures schema version %lld is newer than this narrate reads "
			      "(1)",
			      name, (long long)json_integer_value(v));
	groups = json_object_get(root, "groups");
	if (!json_is_array(groups))
		return seterr(sc, NR_EPARSE, "%s: \"groups\" must be an array", name);
	if (json_array_size(groups) == 0)
		return seterr(sc, NR_EPARSE, "%s: \"groups\" is empty: nothing to score", name);
	sc->city = nri_calloc(json_array_size(groups), sizeof(*sc->city));
	if (!sc->city)
		return seterr(sc, NR_ENOMEM, "out of memory");
	for (i = 0; i < json_array_size(groups); i++) {
		json_t *g = json_array_get(groups, i), *id, *m;
		struct city *c = &sc->city[sc->ncity];

		if (!json_is_object(g))
			return seterr(sc, NR_EPARSE, "%s: groups[%zu] is not an object", name, i);
		id = json_object_get(g, "id");
		if (!json_is_string(id) || !*json_string_value(id))
			return seterr(sc, NR_EPARSE, "%s: groups[%zu] has no \"id\" string", name,
				      i);
		for (j = 0; j < sc->ncity; j++)
			if (!strcmp(sc->city[j].id, json_string_value(id)))
				return seterr(sc, NR_EPARSE,
					      "%s: groups[%zu]: id '%s' also used by groups[%zu]",
					      name, i, json_string_value(id), j);
		m = json_object_get(g, "measures");
		if (!json_is_object(m))
			return seterr(sc, NR_EPARSE,
				      "%s: groups[%zu] (id '%s') has no \"measures\" object", name,
				      i, json_string_value(id));
		c->group = g;
		sc->ncity++;
		c->id = dupstr(json_string_value(id));
		if (!c->id)
			return seterr(sc, NR_ENOMEM, "out of memory");
		if ((rc = opt_string(sc, g, "name", i, &c->name)) ||
		    (rc = opt_string(sc, g, "name_zh", i, &c->name_zh)) ||
		    (rc = opt_string(sc, g, "region", i, &c->region)) ||
		    (rc = opt_string(sc, g, "north_south", i, &c->ns)))
			return rc;
		if (!c->name && !(c->name = dupstr(c->id)))
			return seterr(sc, NR_ENOMEM, "out of memory");
		if (c->region && strcmp(c->region, "east") && strcmp(c->region, "central") &&
		    strcmp(c->region, "west") && strcmp(c->region, "northeast") &&
		    nri_msgs_add(&sc->load_warn,
				 "%s: groups[%zu] (id '%s'): region '%s' is not east, central, "
				 "west or northeast; summarised under its own name",
				 name, i, c->id, c->region))
			return seterr(sc, NR_ENOMEM, "out of memory");
		if (c->ns && strcmp(c->ns, "north") && strcmp(c->ns, "south") &&
		    nri_msgs_add(&sc->load_warn,
				 "%s: groups[%zu] (id '%s'): north_south '%s' is not north or "
				 "south; summarised under its own name",
				 name, i, c->id, c->ns))
			return seterr(sc, NR_ENOMEM, "out of memory");
	}
	return rebuild_warnings(sc) ? seterr(sc, NR_ENOMEM, "out of memory") : NR_OK;
}

/* Look a measure path up in one group (docs/measures-json.md: "NAME" is in
 * measures, "MAP.KEY" in the map MAP).  *present tells whether the key
 * exists (even as null); the value is NAN when missing. */
static int lookup_measure(struct nr_scorer *sc, const struct city *c, const char *path, double *out,
			  int *present)
{
	const char *dot = strchr(path, '.');
	json_t *v;

	*out = NAN;
	*present = 0;
	if (!dot) {
		v = json_object_get(json_object_get(c->group, "measures"), path);
	} else {
		char map[128];
		json_t *m;
		size_t ml = (size_t)(dot - path);

		if (ml == 0 || ml >= sizeof(map))
			return NR_OK;
		memcpy(map, path, ml);
		map[ml] = '\0';
		m = json_object_get(c->group, map);
		if (!json_is_object(m))
			return NR_OK;
		v = json_object_get(m, dot + 1);
	}
	if (!v)
		return NR_OK;
	*present = 1;
	if (json_is_null(v))
		return NR_OK;
	if (!json_is_number(v))
		return seterr(sc, NR_EPARSE, "%s: group '%s': measure '%s' is not a number",
			      sc->mfile, c->id, path);
	*out = json_number_value(v);
	if (!isfinite(*out))
		*out = NAN;
	return NR_OK;
}

/* ---- the CSV of external indicators ------------------------------------ */

struct csvctx {
	struct nr_scorer *sc;
	unsigned line;	   /* line being fed */
	unsigned row_line; /* line where the current row's first field ended */
	char **row;
	size_t nrow, caprow;
	size_t rows;
	int header_done;
	int key; /* key column */
	int rc;
};

static void csv_field(void *s, size_t len, void *data)
{
	struct csvctx *x = data;
	char *f;

	if (x->rc)
		return;
	if (x->nrow == 0)
		x->row_line = x->line;
	if (len > MAX_CELL || x->nrow >= MAX_CSV_COLS) {
		x->rc = seterr(x->sc, NR_ELIMIT, "%s:%u: field or row too large", x->sc->cfile,
			       x->line);
		return;
	}
	if (x->nrow == x->caprow) {
		size_t ncap = x->caprow ? x->caprow * 2 : 16;
		char **r = nri_realloc(x->row, ncap * sizeof(*r));

		if (!r) {
			x->rc = seterr(x->sc, NR_ENOMEM, "out of memory");
			return;
		}
		x->row = r;
		x->caprow = ncap;
	}
	f = nri_strndup(s ? (const char *)s : "", s ? len : 0);
	if (!f) {
		x->rc = seterr(x->sc, NR_ENOMEM, "out of memory");
		return;
	}
	x->row[x->nrow++] = f;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y || !x)
			return x - y;
	}
}

/* Which group a key cell names: the id first, then name or name_zh (names
 * compared without ASCII case).  SIZE_MAX: none; *ambiguous set when two
 * groups share the name. */
static size_t find_city(struct nr_scorer *sc, const char *key, int *ambiguous)
{
	size_t i, hit = (size_t)-1;

	*ambiguous = 0;
	for (i = 0; i < sc->ncity; i++)
		if (!strcmp(sc->city[i].id, key))
			return i;
	for (i = 0; i < sc->ncity; i++) {
		struct city *c = &sc->city[i];

		if (!ascii_casecmp(c->name, key) || (c->name_zh && !strcmp(c->name_zh, key))) {
			if (hit != (size_t)-1)
				*ambiguous = 1;
			else
				hit = i;
		}
	}
	return hit;
}

static void free_row(struct csvctx *x)
{
	size_t i;

	for (i = 0; i < x->nrow; i++)
		nri_free(x->row[i]);
	x->nrow = 0;
}

static void csv_row(int term, void *data)
{
	struct csvctx *x = data;
	struct nr_scorer *sc = x->sc;
	size_t i;
	int amb;

	(void)term;
	if (x->rc)
		goto out;
	if (x->nrow == 1 && x->row[0][0] == '\0')
		goto out; /* a blank line */
	if (!x->header_done) {
		static const char *const keys[] = {"city_id", "city", "city_name", "id"};
		size_t k;

		sc->ccol = x->row;
		sc->nccol = x->nrow;
		x->row = NULL;
		x->nrow = x->caprow = 0;
		x->header_done = 1;
		x->key = -1;
		for (i = 0; i < sc->nccol; i++) {
			trim(sc->ccol[i]);
			for (k = 0; k < i; k++)
				if (!strcmp(sc->ccol[k], sc->ccol[i])) {
					x->rc = seterr(sc, NR_EPARSE,
						       "%s:%u: column '%s' appears twice",
						       sc->cfile, x->row_line, sc->ccol[i]);
					return;
				}
		}
		for (k = 0; k < 4 && x->key < 0; k++)
			for (i = 0; i < sc->nccol; i++)
				if (!strcmp(sc->ccol[i], keys[k])) {
					x->key = (int)i;
					break;
				}
		if (x->key < 0)
			x->rc = seterr(
				sc, NR_EPARSE,
				"%s:%u: no key column: the header needs one of city_id, city, "
				"city_name, id",
				sc->cfile, x->row_line);
		return;
	}
	if (++x->rows > MAX_CSV_ROWS) {
		x->rc = seterr(sc, NR_ELIMIT, "%s:%u: more than %d rows", sc->cfile, x->row_line,
			       MAX_CSV_ROWS);
		goto out;
	}
	if (x->nrow != sc->nccol) {
		x->rc = seterr(sc, NR_EPARSE, "%s:%u: %zu fields, but the header has %zu",
			       sc->cfile, x->row_line, x->nrow, sc->nccol);
		goto out;
	}
	for (i = 0; i < x->nrow; i++)
		trim(x->row[i]);
	i = find_city(sc, x->row[x->key], &amb);
	if (amb) {
		x->rc = seterr(sc, NR_EPARSE,
			       "%s:%u: city '%s' matches the names of two groups; use the group "
			       "id",
			       sc->cfile, x->row_line, x->row[x->key]);
		goto out;
	}
	if (i == (size_t)-1) {
		if (nri_msgs_add(&sc->load_warn, "%s:%u: city '%s' is not in %s; row not used",
				 sc->cfile, x->row_line, x->row[x->key],
				 sc->mfile ? sc->mfile : "the measures"))
			x->rc = seterr(sc, NR_ENOMEM, "out of memory");
		goto out;
	}
	if (sc->city[i].cell) {
		x->rc = seterr(sc, NR_EPARSE, "%s:%u: city '%s' already has a row (line %u)",
			       sc->cfile, x->row_line, x->row[x->key], sc->city[i].row_line);
		goto out;
	}
	sc->city[i].cell = x->row;
	sc->city[i].row_line = x->row_line;
	x->row = NULL;
	x->nrow = x->caprow = 0;
	return;
out:
	free_row(x);
}

int nr_scorer_load_indicators(struct nr_scorer *sc, const char *s, size_t len, const char *name)
{
	struct csv_parser p;
	struct csvctx x;
	size_t pos = 0;
	int rc;

	sc->err[0] = '\0';
	if (!sc->mroot)
		return seterr(sc, NR_EINVAL, "load the measures before the indicators CSV");
	free_result(sc);
	free_csv(sc);
	name = name ? name : "<indicators>";
	sc->cfile = dupstr(name);
	if (!sc->cfile)
		return seterr(sc, NR_ENOMEM, "out of memory");
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3;
		len -= 3;
	}
	memset(&x, 0, sizeof(x));
	x.sc = sc;
	x.line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return seterr(sc, NR_ENOMEM, "out of memory");
	csv_set_realloc_func(&p, nri_realloc);
	csv_set_free_func(&p, nri_free);
	{
		/* tab-separated when the first line has a tab and no comma */
		const char *nl = memchr(s, '\n', len);
		size_t l1 = nl ? (size_t)(nl - s) : len;

		if (memchr(s, '\t', l1) && !memchr(s, ',', l1))
			csv_set_delim(&p, CSV_TAB);
	}
	/* fed a line at a time so that fields know their line number */
	while (pos < len && !x.rc) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) + 1 : len - pos;

		if (csv_parse(&p, s + pos, n, csv_field, csv_row, &x) != n && !x.rc)
			x.rc = seterr(sc, csv_error(&p) == CSV_ENOMEM ? NR_ENOMEM : NR_EPARSE,
				      "%s:%u: %s", name, x.line, csv_strerror(csv_error(&p)));
		pos += n;
		if (nl)
			x.line++;
	}
	if (!x.rc && csv_fini(&p, csv_field, csv_row, &x) != 0 && !x.rc)
		x.rc = seterr(sc, NR_EPARSE, "%s:%u: %s", name, x.line,
			      csv_strerror(csv_error(&p)));
	csv_free(&p);
	free_row(&x);
	nri_free(x.row);
	if (!x.rc && !x.header_done)
		x.rc = seterr(sc, NR_EPARSE, "%s:1: empty file: a header row is needed", name);
	rc = x.rc;
	if (rc) {
		free_csv(sc);
		return rc;
	}
	return rebuild_warnings(sc) ? seterr(sc, NR_ENOMEM, "out of memory") : NR_OK;
}

/* A CSV cell as a number: empty, NA, N/A, NaN, null, "-" are missing;
 * anything else must be a whole C-locale number. */
static int cell_number(const char *cell, double *out)
{
	static const char *const na[] = {"",	"NA",	"N/A",	"n/a", "na", "NaN",
					 "nan", "null", "NULL", "-",   NULL};
	size_t i;

	for (i = 0; na[i]; i++)
		if (!strcmp(cell, na[i])) {
			*out = NAN;
			return 1;
		}
	return nri_strtod_c(cell, strlen(cell), out);
}

/* ---- the run ------------------------------------------------------------ */

struct run {
	struct nr_scorer *sc;
	struct nri_index *idx;
	size_t n;	     /* kept cities */
	double *raw;	     /* nleaf x n, after missing values and transforms */
	double *norm;	     /* nleaf x NRI_NORM_COUNT x n; NAN where unavailable */
	unsigned *avail;     /* per leaf: bit m when norm m could be computed */
	size_t *leafpos;     /* node -> leaf position, or SIZE_MAX */
	double *val;	     /* nnode x n */
	double *mat;	     /* maxk x n: the node being aggregated */
	double *mat2;	     /* maxk x n: scratch for entropy weights */
	unsigned char *dead; /* nnode: left out in this evaluation */
	double *w;	     /* maxk */
	double *basew;	     /* nnode: weight among siblings in the base run */
	double *curw;	     /* nnode: the same in the latest evaluation */
	int *benefit;	     /* maxk ones for TOPSIS */
	size_t maxk;
	/* per evaluation */
	const enum nri_norm *choice; /* per leaf */
	size_t drop;		     /* leaf position left out, or SIZE_MAX */
	struct nri_prng *rng;
	int base; /* record weights and warnings */
};

static double *normed(struct run *r, size_t l, int m)
{
	return r->norm + (l * NRI_NORM_COUNT + (size_t)m) * r->n;
}

static int warn_node(struct run *r, const struct nri_inode *nd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int warn_node(struct run *r, const struct nri_inode *nd, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (nri_msgs_add(&r->sc->warn, "%s:%u: %s", r->idx->file, nd->line, msg))
		return seterr(r->sc, NR_ENOMEM, "out of memory");
	return NR_OK;
}

/* Perturb the weights of one node for a Monte Carlo run (docs/scoring.md):
 * uniform multiplies each by U(1 - range, 1 + range); dirichlet draws from
 * Dirichlet(concentration * w) (mean w); both then rescale to sum 1. */
static void perturb(struct run *r, double *w, size_t k)
{
	double sum = 0;
	size_t j;

	if (!r->rng || k < 2 || r->idx->perturb == NRI_PERTURB_NONE)
		return;
	for (j = 0; j < k; j++) {
		if (r->idx->perturb == NRI_PERTURB_UNIFORM)
			w[j] *= 1.0 + r->idx->range * (2.0 * nri_prng_uniform(r->rng) - 1.0);
		else if (w[j] > 0)
			w[j] = nri_prng_gamma(r->rng, r->idx->concentration * w[j]);
		sum += w[j];
	}
	if (sum > 0)
		for (j = 0; j < k; j++)
			w[j] /= sum;
}

/* Data-driven weights of one node (entropy, CRITIC) from its children's
 * values m (n x k).  Entropy needs shares of a non-negative total, so a
 * column with negative values (z-scores) is min-max rescaled first, on a
 * copy: the values aggregated stay as they are. */
static int data_weights(struct run *r, struct nri_inode *nd, const double *m, size_t k)
{
	size_t i, j, n = r->n;
	int rc, flag = 0;

	if (n < 2 || k < 2) {
		for (j = 0; j < k; j++)
			r->w[j] = 1.0;
		if (r->base && n < 2)
			return warn_node(r, nd,
					 "'%s' uses %s weights, which need 2 or more cities; "
					 "equal weights used",
					 nd->id, nri_weighting_name(nd->weighting));
		return NR_OK;
	}
	if (nd->weighting == NRI_WEIGHT_ENTROPY) {
		memcpy(r->mat2, m, n * k * sizeof(double));
		for (j = 0; j < k; j++) {
			double mn = HUGE_VAL, mx = -HUGE_VAL;

			for (i = 0; i < n; i++) {
				mn = fmin(mn, r->mat2[i * k + j]);
				mx = fmax(mx, r->mat2[i * k + j]);
			}
			if (mn < 0)
				for (i = 0; i < n; i++)
					r->mat2[i * k + j] =
						mx > mn ? (r->mat2[i * k + j] - mn) / (mx - mn) : 0;
		}
		rc = nri_ci_weights_entropy(r->mat2, n, k, r->w, NULL, &flag);
	} else {
		rc = nri_ci_weights_critic(m, n, k, r->w, &flag);
	}
	if (rc == NR_ENOMEM)
		return seterr(r->sc, rc, "out of memory");
	if (rc)
		return seterr(r->sc, NR_EPARSE, "%s:%u: cannot compute %s weights for '%s'",
			      r->idx->file, nd->line, nri_weighting_name(nd->weighting), nd->id);
	if (flag && r->base)
		return warn_node(r, nd,
				 "%s weights of '%s': no child varies between cities; equal "
				 "weights used",
				 nri_weighting_name(nd->weighting), nd->id);
	return NR_OK;
}

/* Evaluate node ni into r->val[ni]; returns 1 when the node has nothing
 * left (all its indicators left out), 0 when evaluated, < 0 on error. */
static int eval_node(struct run *r, size_t ni)
{
	struct nri_inode *nd = &r->idx->node[ni];
	double *out = r->val + ni * r->n, *m;
	size_t i, j, k = 0, n = r->n;
	int rc, flag = 0;

	if (nd->leaf) {
		size_t l = r->leafpos[ni];

		if (l == r->drop)
			return 1;
		memcpy(out, normed(r, l, r->choice[l]), n * sizeof(*out));
		return 0;
	}
	/* children first (depth-first), each into its own row of r->val */
	for (j = 0; j < nd->nchild; j++) {
		rc = eval_node(r, nd->child[j]);
		if (rc < 0)
			return rc;
		r->dead[nd->child[j]] = (unsigned char)rc;
		if (rc == 0)
			k++;
	}
	if (k == 0)
		return 1;
	/* every child is done with r->mat by now, so one buffer serves all */
	m = r->mat;
	k = 0;
	for (j = 0; j < nd->nchild; j++) {
		size_t c = nd->child[j];

		if (r->dead[c])
			continue;
		r->w[k] = r->idx->node[c].has_weight ? r->idx->node[c].weight : 1.0;
		k++;
	}
	for (i = 0; i < n; i++) {
		size_t q = 0;

		for (j = 0; j < nd->nchild; j++)
			if (!r->dead[nd->child[j]])
				m[i * k + q++] = r->val[nd->child[j] * n + i];
	}
	if (nd->weighting == NRI_WEIGHT_EQUAL)
		for (j = 0; j < k; j++)
			r->w[j] = 1.0;
	else if (nd->weighting == NRI_WEIGHT_ENTROPY || nd->weighting == NRI_WEIGHT_CRITIC)
		if ((rc = data_weights(r, nd, m, k)))
			return rc;
	{
		double sum = 0;

		for (j = 0; j < k; j++)
			sum += r->w[j];
		for (j = 0; j < k; j++)
			r->w[j] = sum > 0 ? r->w[j] / sum : 1.0 / (double)k;
	}
	perturb(r, r->w, k);
	{
		size_t q = 0;

		for (j = 0; j < nd->nchild; j++)
			if (!r->dead[nd->child[j]])
				r->curw[nd->child[j]] = r->w[q++];
	}
	switch (nd->aggregation) {
	case NRI_AGG_ARITHMETIC: nri_ci_aggregate_arithmetic(m, n, k, r->w, out); break;
	case NRI_AGG_GEOMETRIC:
		rc = nri_ci_aggregate_geometric(m, n, k, r->w, nd->shift, out, &flag);
		if (rc)
			return seterr(r->sc, NR_EPARSE,
				      "%s:%u: geometric aggregation in '%s' got a negative value; "
				      "its children must be normalised to values >= 0",
				      r->idx->file, nd->line, nd->id);
		if (flag && r->base &&
		    (rc = warn_node(r, nd,
				    "'%s' aggregates geometrically and some input is 0: every "
				    "input shifted by %g (docs/scoring.md)",
				    nd->id, nd->shift)))
			return rc;
		break;
	case NRI_AGG_TOPSIS:
		for (j = 0; j < k; j++)
			r->benefit[j] = 1;
		rc = nri_ci_topsis(m, n, k, r->w, r->benefit, out);
		if (rc)
			return seterr(r->sc, rc, "out of memory");
		break;
	}
	return 0;
}

struct rank_item {
	double s;
	size_t i;
};

static int cmp_rank_item(const void *a, const void *b)
{
	const struct rank_item *x = a, *y = b;

	if (x->s > y->s)
		return -1;
	if (x->s < y->s)
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int nri_score_rank(const double *score, size_t n, double *rank)
{
	struct rank_item *it;
	size_t i;

	if (n == 0)
		return NR_OK;
	it = nri_malloc(n * sizeof(*it));
	if (!it)
		return NR_ENOMEM;
	for (i = 0; i < n; i++) {
		it[i].s = score[i];
		it[i].i = i;
	}
	qsort(it, n, sizeof(*it), cmp_rank_item);
	for (i = 0; i < n; i++) {
		if (i > 0 && it[i].s == it[i - 1].s)
			rank[it[i].i] = rank[it[i - 1].i];
		else
			rank[it[i].i] = (double)(i + 1);
	}
	nri_free(it);
	return NR_OK;
}

/* Gather every indicator's raw values for all cities: from measures.json or
 * the CSV.  Unknown measures and columns are errors at the indicator's line
 * in the index file. */
static int gather(struct nr_scorer *sc, double *raw)
{
	struct nri_index *idx = sc->idx;
	size_t l, i, col = 0;
	int rc;

	for (l = 0; l < sc->nleaf; l++) {
		struct nri_inode *nd = &idx->node[sc->leaf[l]];
		double *x = raw + l * sc->ncity;

		if (nd->src == NRI_SRC_MEASURE) {
			int any = 0, present;

			for (i = 0; i < sc->ncity; i++) {
				if ((rc = lookup_measure(sc, &sc->city[i], nd->source, &x[i],
							 &present)))
					return rc;
				any |= present;
			}
			if (!any)
				return seterr(
					sc, NR_ENOTFOUND,
					"%s:%u: indicator '%s': unknown measure '%s' (no group "
					"in %s has it; see docs/measures-json.md)",
					idx->file, nd->source_line, nd->id, nd->source, sc->mfile);
			continue;
		}
		if (!sc->cfile)
			return seterr(sc, NR_ENOTFOUND,
				      "%s:%u: indicator '%s' needs the column '%s' of an external "
				      "indicators CSV, and none was given (--indicators)",
				      idx->file, nd->source_line, nd->id, nd->source);
		for (col = 0; col < sc->nccol; col++)
			if (!strcmp(sc->ccol[col], nd->source))
				break;
		if (col == sc->nccol)
			return seterr(sc, NR_ENOTFOUND,
				      "%s:%u: indicator '%s': column '%s' is not in %s", idx->file,
				      nd->source_line, nd->id, nd->source, sc->cfile);
		for (i = 0; i < sc->ncity; i++) {
			struct city *c = &sc->city[i];

			x[i] = NAN;
			if (!c->cell)
				continue;
			if (!cell_number(c->cell[col], &x[i]))
				return seterr(sc, NR_EPARSE,
					      "%s:%u: column '%s', city '%s': '%s' is not a number",
					      sc->cfile, c->row_line, nd->source, c->id,
					      c->cell[col]);
		}
	}
	return NR_OK;
}

static const char *src_kind(const struct nri_inode *nd)
{
	return nd->src == NRI_SRC_MEASURE ? "measure" : "column";
}

/* Missing values, in the order docs/scoring.md gives: drop_city first (over
 * all indicators), then error, then zero and mean on the cities kept. */
static int missing_values(struct nr_scorer *sc, double *raw)
{
	struct nri_index *idx = sc->idx;
	size_t l, i;

	for (i = 0; i < sc->ncity; i++)
		sc->city[i].dropped = 0;
	for (l = 0; l < sc->nleaf; l++) {
		struct nri_inode *nd = &idx->node[sc->leaf[l]];

		if (nd->missing != NRI_MISSING_DROP)
			continue;
		for (i = 0; i < sc->ncity; i++) {
			if (!isnan(raw[l * sc->ncity + i]) || sc->city[i].dropped)
				continue;
			sc->city[i].dropped = 1;
			if (nri_msgs_add(&sc->warn,
					 "%s:%u: city '%s' left out of the ranking: no value for "
					 "indicator '%s' (%s '%s'; missing: drop_city)",
					 idx->file, nd->line, sc->city[i].id, nd->id, src_kind(nd),
					 nd->source))
				return seterr(sc, NR_ENOMEM, "out of memory");
		}
	}
	for (l = 0; l < sc->nleaf; l++) {
		struct nri_inode *nd = &idx->node[sc->leaf[l]];
		double *x = raw + l * sc->ncity, sum = 0;
		size_t cnt = 0;

		for (i = 0; i < sc->ncity; i++)
			if (!sc->city[i].dropped && !isnan(x[i])) {
				sum += x[i];
				cnt++;
			}
		for (i = 0; i < sc->ncity; i++) {
			if (sc->city[i].dropped || !isnan(x[i]))
				continue;
			if (nd->missing == NRI_MISSING_ERROR)
				return seterr(
					sc, NR_EPARSE,
					"%s:%u: indicator '%s' has no value for city '%s' (%s "
					"'%s'); set 'missing:' to drop_city, zero or mean to "
					"go on",
					idx->file, nd->line, nd->id, sc->city[i].id, src_kind(nd),
					nd->source);
			if (nd->missing == NRI_MISSING_MEAN && cnt == 0)
				return seterr(sc, NR_EPARSE,
					      "%s:%u: indicator '%s' has no value for any city: no "
					      "mean to fill in",
					      idx->file, nd->line, nd->id);
			x[i] = nd->missing == NRI_MISSING_ZERO ? 0.0 : sum / (double)cnt;
			if (nri_msgs_add(&sc->warn,
					 "%s:%u: city '%s' has no value for indicator '%s' (%s "
					 "'%s'); %s used (missing: %s)",
					 idx->file, nd->line, sc->city[i].id, nd->id, src_kind(nd),
					 nd->source,
					 nd->missing == NRI_MISSING_ZERO ? "0" : "the mean",
					 nri_missing_name(nd->missing)))
				return seterr(sc, NR_ENOMEM, "out of memory");
		}
	}
	return NR_OK;
}

/* Transforms and every normalisation the run may use, per indicator, on
 * the kept cities. */
static int prepare(struct run *r, const double *raw)
{
	int geo_said = 0;
	struct nr_scorer *sc = r->sc;
	struct nri_index *idx = r->idx;
	size_t l, i, n = r->n;
	int rc, m;

	for (l = 0; l < sc->nleaf; l++) {
		struct nri_inode *nd = &idx->node[sc->leaf[l]];
		double *x = r->raw + l * n;
		int constant = 0;

		for (i = 0; i < n; i++)
			x[i] = raw[l * sc->ncity + sc->kept[i]];
		if (nd->transform == NRI_TR_LOG) {
			for (i = 0; i < n; i++) {
				if (x[i] < 0)
					return seterr(
						sc, NR_EPARSE,
						"%s:%u: indicator '%s': log transform of the "
						"negative value %g (city '%s'); log is ln(1 + x), "
						"for x >= 0",
						idx->file, nd->line, nd->id, x[i],
						sc->city[sc->kept[i]].id);
				x[i] = log1p(x[i]);
			}
		} else if (nd->transform == NRI_TR_WINSORISE) {
			rc = nri_ci_winsorise(x, n, nd->plo, nd->phi, NULL);
			if (rc)
				return seterr(sc, rc, "out of memory");
		}
		r->avail[l] = 0;
		for (m = 0; m < NRI_NORM_COUNT; m++) {
			double *o = normed(r, l, m);
			int want = m == (int)nd->norm || (idx->alternatives & (1u << m));

			for (i = 0; i < n; i++)
				o[i] = NAN;
			if (!want)
				continue;
			if (nd->under_geometric && m != (int)nd->norm &&
			    (m == NRI_NORM_ZSCORE || m == NRI_NORM_NONE)) {
				/* geometric means need values >= 0: said once */
				if (!geo_said++ &&
				    (rc = warn_node(r, nd,
						    "the Monte Carlo swaps no zscore or none "
						    "normalisation in below geometric aggregation "
						    "('%s' and any other such indicator keep their "
						    "own there)",
						    nd->id)))
					return rc;
				continue;
			}
			rc = nri_ci_normalise((enum nri_norm)m, nd->benefit, x, n, o,
					      m == (int)nd->norm ? &constant : NULL);
			if (rc == NR_ENOMEM)
				return seterr(sc, rc, "out of memory");
			if (rc && m == (int)nd->norm)
				return seterr(
					sc, NR_EPARSE,
					"%s:%u: indicator '%s': distance_to_best needs values "
					">= 0, a best value above 0 and, for a cost, no 0; "
					"use minmax or rank",
					idx->file, nd->line, nd->id);
			if (rc) {
				if ((rc = warn_node(
					     r, nd,
					     "indicator '%s': the Monte Carlo does not swap in "
					     "%s normalisation (the values do not allow it)",
					     nd->id, nri_norm_name((enum nri_norm)m))))
					return rc;
				continue;
			}
			r->avail[l] |= 1u << m;
		}
		if (constant && n > 1 &&
		    (rc = warn_node(r, nd,
				    "indicator '%s' has the same value for every city: it does "
				    "not tell them apart",
				    nd->id)))
			return rc;
	}
	return NR_OK;
}

/* One evaluation; score gets the root's values. */
static int evaluate(struct run *r, const enum nri_norm *choice, size_t drop, struct nri_prng *rng,
		    int base, double *score)
{
	int rc;

	r->choice = choice;
	r->drop = drop;
	r->rng = rng;
	r->base = base;
	rc = eval_node(r, 0);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		size_t i;

		for (i = 0; i < r->n; i++)
			score[i] = 0.0; /* everything left out */
		return NR_OK;
	}
	memcpy(score, r->val, r->n * sizeof(*score));
	return NR_OK;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int add_region(struct nr_scorer *sc, const char *split, const char *group, int gap,
		      size_t cities, double score, const double *dim)
{
	struct region_row *rr = nri_realloc(sc->reg, (sc->nreg + 1) * sizeof(*rr));

	if (!rr)
		return NR_ENOMEM;
	sc->reg = rr;
	rr = &sc->reg[sc->nreg];
	memset(rr, 0, sizeof(*rr));
	snprintf(rr->split, sizeof(rr->split), "%s", split);
	snprintf(rr->group, sizeof(rr->group), "%s", group);
	rr->gap = gap;
	rr->cities = cities;
	rr->score = score;
	rr->dim = nri_calloc(sc->ndim ? sc->ndim : 1, sizeof(double));
	if (!rr->dim)
		return NR_ENOMEM;
	if (sc->ndim)
		memcpy(rr->dim, dim, sc->ndim * sizeof(double));
	sc->nreg++;
	return NR_OK;
}

/* Means per group of the north/south and east/central/west/northeast
 * splits, then the gaps docs/scoring.md lists (first minus second). */
static int regions(struct nr_scorer *sc)
{
	static const char *const ns_groups[] = {"north", "south", NULL};
	static const char *const rg_groups[] = {"east", "central", "west", "northeast", NULL};
	static const char *const ns_gaps[][2] = {{"north", "south"}};
	static const char *const rg_gaps[][2] = {
		{"east", "central"}, {"east", "west"}, {"central", "west"}, {"east", "northeast"}};
	size_t s, d, i, g;
	double *acc;
	int rc = NR_OK;

	acc = nri_calloc(sc->ndim + 1, sizeof(double));
	if (!acc)
		return NR_ENOMEM;
	for (s = 0; s < 2 && !rc; s++) {
		const char *split = s == 0 ? "north_south" : "region";
		const char *const *known = s == 0 ? ns_groups : rg_groups;
		size_t first = sc->nreg, ngap = s == 0 ? 1 : 4;
		const char *seen[64];
		size_t nseen = 0;

		/* known groups in their fixed order, then others, then unknown */
		for (g = 0; known[g] && nseen < 64; g++)
			seen[nseen++] = known[g];
		for (i = 0; i < sc->nkept && nseen < 63; i++) {
			struct city *c = &sc->city[sc->kept[i]];
			const char *v = s == 0 ? c->ns : c->region;
			size_t q;

			if (!v)
				continue;
			for (q = 0; q < nseen; q++)
				if (!strcmp(seen[q], v))
					break;
			if (q == nseen)
				seen[nseen++] = v;
		}
		for (g = 0; g <= nseen && !rc; g++) {
			size_t cnt = 0;

			memset(acc, 0, (sc->ndim + 1) * sizeof(double));
			for (i = 0; i < sc->nkept; i++) {
				struct city *c = &sc->city[sc->kept[i]];
				const char *v = s == 0 ? c->ns : c->region;

				if (g < nseen ? !(v && !strcmp(v, seen[g])) : v != NULL)
					continue;
				cnt++;
				acc[0] += sc->score[i];
				for (d = 0; d < sc->ndim; d++)
					acc[1 + d] += sc->dims[i * sc->ndim + d];
			}
			if (cnt == 0)
				continue;
			for (d = 0; d <= sc->ndim; d++)
				acc[d] /= (double)cnt;
			rc = add_region(sc, split, g < nseen ? seen[g] : "unknown", 0, cnt, acc[0],
					acc + 1);
		}
		for (g = 0; g < ngap && !rc; g++) {
			const char *a = s == 0 ? ns_gaps[g][0] : rg_gaps[g][0];
			const char *b = s == 0 ? ns_gaps[g][1] : rg_gaps[g][1];
			struct region_row *ra = NULL, *rb = NULL;
			char name[40];

			for (i = first; i < sc->nreg; i++) {
				if (!sc->reg[i].gap && !strcmp(sc->reg[i].group, a))
					ra = &sc->reg[i];
				if (!sc->reg[i].gap && !strcmp(sc->reg[i].group, b))
					rb = &sc->reg[i];
			}
			if (!ra || !rb)
				continue;
			acc[0] = ra->score - rb->score;
			for (d = 0; d < sc->ndim; d++)
				acc[1 + d] = ra->dim[d] - rb->dim[d];
			snprintf(name, sizeof(name), "%s-%s", a, b);
			rc = add_region(sc, split, name, 1, ra->cities + rb->cities, acc[0],
					acc + 1);
		}
	}
	nri_free(acc);
	return rc;
}

static int cmp_ind(const void *a, const void *b)
{
	const struct nr_score_indicator *x = a, *y = b;

	if (x->mean_shift > y->mean_shift)
		return -1;
	if (x->mean_shift < y->mean_shift)
		return 1;
	return strcmp(x->path, y->path);
}

struct order_item {
	double rank;
	const char *id;
	size_t k;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order_item *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The path "dimension/.../indicator" of node ni, written to buf. */
static void node_path(const struct nri_index *idx, size_t ni, char *buf, size_t size)
{
	const char *part[40];
	size_t np = 0, used = 0;

	for (; ni != NRI_NO_PARENT && ni != 0 && np < 40; ni = idx->node[ni].parent)
		part[np++] = idx->node[ni].id;
	buf[0] = '\0';
	while (np > 0) {
		int w = snprintf(buf + used, size - used, "%s%s", used ? "/" : "", part[--np]);

		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
}

static void free_run(struct run *r)
{
	nri_free(r->raw);
	nri_free(r->norm);
	nri_free(r->avail);
	nri_free(r->leafpos);
	nri_free(r->val);
	nri_free(r->mat);
	nri_free(r->mat2);
	nri_free(r->dead);
	nri_free(r->basew);
	nri_free(r->curw);
	nri_free(r->benefit);
	nri_free(r->w);
}

int nr_scorer_run(struct nr_scorer *sc, const struct nr_score_options *opts)
{
	struct nri_index *idx = sc->idx;
	struct run r;
	double *raw = NULL, *mcrank = NULL, *tmp = NULL, *col = NULL;
	double *ys = NULL, *xs = NULL, *xscheme = NULL;
	enum nri_norm *choice = NULL;
	struct nri_prng rng;
	size_t i, l, d, n, nn;
	long runs;
	int rc;

	sc->err[0] = '\0';
	memset(&r, 0, sizeof(r));
	free_result(sc);
	if (!idx)
		return seterr(sc, NR_EINVAL, "no index definition loaded");
	if (!sc->mroot)
		return seterr(sc, NR_EINVAL, "no measures loaded");
	if ((rc = rebuild_warnings(sc)))
		return seterr(sc, rc, "out of memory");
	nn = idx->nnode;
	runs = opts && opts->runs >= 0 ? opts->runs : idx->runs >= 0 ? idx->runs : 1000;
	sc->seed = opts && opts->seed_set ? opts->seed : idx->seed;
	sc->runs = runs;
	/* the indicators, in file order */
	sc->leaf = nri_malloc(nn * sizeof(size_t));
	r.leafpos = nri_malloc(nn * sizeof(size_t));
	if (!sc->leaf || !r.leafpos) {
		rc = seterr(sc, NR_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nn; i++) {
		r.leafpos[i] = (size_t)-1;
		if (idx->node[i].leaf) {
			r.leafpos[i] = sc->nleaf;
			sc->leaf[sc->nleaf++] = i;
		}
		if (idx->node[i].nchild > r.maxk)
			r.maxk = idx->node[i].nchild;
	}
	raw = nri_malloc((sc->nleaf * sc->ncity + 1) * sizeof(double));
	if (!raw) {
		rc = seterr(sc, NR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = gather(sc, raw)) || (rc = missing_values(sc, raw)))
		goto out;
	sc->kept = nri_malloc((sc->ncity + 1) * sizeof(size_t));
	if (!sc->kept) {
		rc = seterr(sc, NR_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < sc->ncity; i++)
		if (!sc->city[i].dropped)
			sc->kept[sc->nkept++] = i;
	n = sc->nkept;
	if (n == 0) {
		rc = seterr(sc, NR_EPARSE,
			    "%s: every city was left out (missing: drop_city); "
			    "nothing to rank",
			    idx->file);
		goto out;
	}
	if (runs > 0 && (size_t)runs > NRI_SCORE_MAX_CELLS / n) {
		rc = seterr(sc, NR_ELIMIT, "%ld runs x %zu cities is more than %zu ranks to keep",
			    runs, n, NRI_SCORE_MAX_CELLS);
		goto out;
	}
	r.sc = sc;
	r.idx = idx;
	r.n = n;
	r.raw = nri_malloc((sc->nleaf * n + 1) * sizeof(double));
	r.norm = nri_malloc((sc->nleaf * NRI_NORM_COUNT * n + 1) * sizeof(double));
	r.avail = nri_calloc(sc->nleaf + 1, sizeof(unsigned));
	r.val = nri_malloc((nn * n + 1) * sizeof(double));
	r.mat = nri_malloc((r.maxk * n + 1) * sizeof(double));
	r.mat2 = nri_malloc((r.maxk * n + 1) * sizeof(double));
	r.dead = nri_calloc(nn, 1);
	r.basew = nri_calloc(nn, sizeof(double));
	r.curw = nri_calloc(nn, sizeof(double));
	r.benefit = nri_malloc((r.maxk + 1) * sizeof(int));
	r.w = nri_malloc((r.maxk + 1) * sizeof(double));
	choice = nri_malloc((sc->nleaf + 1) * sizeof(*choice));
	sc->score = nri_malloc(n * sizeof(double));
	sc->rank = nri_malloc(n * sizeof(double));
	sc->rmed = nri_malloc(n * sizeof(double));
	sc->rp05 = nri_malloc(n * sizeof(double));
	sc->rp95 = nri_malloc(n * sizeof(double));
	sc->order = nri_malloc(n * sizeof(size_t));
	tmp = nri_malloc(n * sizeof(double));
	col = nri_malloc((runs > 0 ? (size_t)runs : 1) * sizeof(double));
	sc->ndim = idx->node[0].nchild;
	sc->dims = nri_malloc((n * sc->ndim + 1) * sizeof(double));
	if (!r.raw || !r.norm || !r.avail || !r.val || !r.mat || !r.mat2 || !r.dead || !r.basew ||
	    !r.curw || !r.benefit || !r.w || !choice || !sc->score || !sc->rank || !sc->rmed ||
	    !sc->rp05 || !sc->rp95 || !sc->order || !tmp || !col || !sc->dims) {
		rc = seterr(sc, NR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = prepare(&r, raw)))
		goto out;
	for (l = 0; l < sc->nleaf; l++)
		choice[l] = idx->node[sc->leaf[l]].norm;

	/* the base run: the index as written */
	if ((rc = evaluate(&r, choice, (size_t)-1, NULL, 1, sc->score)))
		goto out;
	memcpy(r.basew, r.curw, nn * sizeof(double));
	for (d = 0; d < sc->ndim; d++)
		for (i = 0; i < n; i++)
			sc->dims[i * sc->ndim + d] = r.val[idx->node[0].child[d] * n + i];
	if ((rc = nri_score_rank(sc->score, n, sc->rank)))
		goto mem;

	/* uncertainty: Monte Carlo over normalisations and weights */
	{
		unsigned nalt = 0;
		enum nri_norm alt[NRI_NORM_COUNT];
		int m;
		long run;

		for (m = 0; m < NRI_NORM_COUNT; m++)
			if (idx->alternatives & (1u << m))
				alt[nalt++] = (enum nri_norm)m;
		if (runs > 0) {
			mcrank = nri_malloc((size_t)runs * n * sizeof(double));
			ys = nri_malloc((size_t)runs * sizeof(double));
			xs = nri_malloc(((size_t)runs * sc->nleaf + 1) * sizeof(double));
			xscheme = nri_malloc((size_t)runs * sizeof(double));
			if (!mcrank || !ys || !xs || !xscheme)
				goto mem;
		}
		nri_prng_seed(&rng, sc->seed);
		for (run = 0; run < runs; run++) {
			/* scheme 0 keeps each indicator's own normalisation */
			uint64_t scheme = nri_prng_below(&rng, (uint64_t)nalt + 1);

			for (l = 0; l < sc->nleaf; l++) {
				enum nri_norm own = idx->node[sc->leaf[l]].norm;

				choice[l] = own;
				if (scheme > 0 && (r.avail[l] & (1u << alt[scheme - 1])))
					choice[l] = alt[scheme - 1];
			}
			if ((rc = evaluate(&r, choice, (size_t)-1, &rng, 0, tmp)))
				goto out;
			if ((rc = nri_score_rank(tmp, n, mcrank + (size_t)run * n)))
				goto mem;
			/* inputs and output of this run, for the first-order indices */
			ys[run] = 0;
			for (i = 0; i < n; i++)
				ys[run] +=
					fabs(mcrank[(size_t)run * n + i] - sc->rank[i]) / (double)n;
			xscheme[run] = (double)scheme;
			for (l = 0; l < sc->nleaf; l++) {
				double w = 1.0;
				size_t a;

				for (a = sc->leaf[l]; a != 0 && a != NRI_NO_PARENT;
				     a = idx->node[a].parent)
					w *= r.curw[a];
				xs[(size_t)run * sc->nleaf + l] = w;
			}
		}
		sc->norm_s1 = NAN;
		if (runs >= 2 && nalt > 0 &&
		    nri_ci_first_order(xscheme, ys, (size_t)runs, nalt + 1, &sc->norm_s1))
			goto mem;
		for (i = 0; i < n; i++) {
			if (runs == 0) {
				sc->rmed[i] = sc->rp05[i] = sc->rp95[i] = sc->rank[i];
				continue;
			}
			for (run = 0; run < runs; run++)
				col[run] = mcrank[(size_t)run * n + i];
			qsort(col, (size_t)runs, sizeof(double), cmp_dbl);
			sc->rmed[i] = nri_ci_percentile_sorted(col, (size_t)runs, 50);
			sc->rp05[i] = nri_ci_percentile_sorted(col, (size_t)runs, 5);
			sc->rp95[i] = nri_ci_percentile_sorted(col, (size_t)runs, 95);
		}
	}

	/* sensitivity: leave each indicator out in turn (base settings) */
	sc->ind = nri_calloc(sc->nleaf + 1, sizeof(*sc->ind));
	sc->ind_src = nri_calloc(sc->nleaf + 1, sizeof(char *));
	if (!sc->ind || !sc->ind_src)
		goto mem;
	for (l = 0; l < sc->nleaf; l++)
		choice[l] = idx->node[sc->leaf[l]].norm;
	for (l = 0; l < sc->nleaf; l++) {
		struct nri_inode *nd = &idx->node[sc->leaf[l]];
		struct nr_score_indicator *ind = &sc->ind[sc->nind];
		char path[512];
		double sum = 0, w = 1.0;
		size_t a, mx = 0;

		if ((rc = evaluate(&r, choice, l, NULL, 0, tmp)))
			goto out;
		if ((rc = nri_score_rank(tmp, n, tmp)))
			goto mem;
		for (i = 0; i < n; i++) {
			double dlt = fabs(tmp[i] - sc->rank[i]);

			sum += dlt;
			if ((size_t)dlt > mx)
				mx = (size_t)dlt;
		}
		for (a = sc->leaf[l]; a != 0 && a != NRI_NO_PARENT; a = idx->node[a].parent)
			w *= r.basew[a];
		node_path(idx, sc->leaf[l], path, sizeof(path));
		sc->ind_src[sc->nind] = nri_malloc(strlen(path) + strlen(nd->source) + 16);
		if (!sc->ind_src[sc->nind])
			goto mem;
		sc->nind++; /* owns the buffer from here on, for free_result */
		/* one buffer: "path\0measure:source" */
		strcpy(sc->ind_src[sc->nind - 1], path);
		sprintf(sc->ind_src[sc->nind - 1] + strlen(path) + 1, "%s:%s",
			nd->src == NRI_SRC_MEASURE ? "measure" : "external", nd->source);
		ind->id = nd->id;
		ind->path = sc->ind_src[sc->nind - 1];
		ind->source = sc->ind_src[sc->nind - 1] + strlen(path) + 1;
		ind->weight = w;
		ind->mean_shift = sum / (double)n;
		ind->max_shift = mx;
		ind->first_order = NAN;
		if (runs >= 2) {
			size_t bins = (size_t)sqrt((double)runs), t;

			for (t = 0; t < (size_t)runs; t++)
				col[t] = xs[t * sc->nleaf + l];
			if (nri_ci_first_order(col, ys, (size_t)runs, bins < 2 ? 2 : bins,
					       &ind->first_order))
				goto mem;
		}
	}
	qsort(sc->ind, sc->nind, sizeof(*sc->ind), cmp_ind);

	{
		struct order_item *it = nri_malloc(n * sizeof(*it));

		if (!it)
			goto mem;
		for (i = 0; i < n; i++) {
			it[i].rank = sc->rank[i];
			it[i].id = sc->city[sc->kept[i]].id;
			it[i].k = i;
		}
		qsort(it, n, sizeof(*it), cmp_order);
		for (i = 0; i < n; i++)
			sc->order[i] = it[i].k;
		nri_free(it);
	}
	if ((rc = regions(sc)))
		goto mem;
	sc->have_result = 1;
	rc = NR_OK;
	goto out;
mem:
	rc = seterr(sc, NR_ENOMEM, "out of memory");
out:
	nri_free(raw);
	nri_free(mcrank);
	nri_free(ys);
	nri_free(xs);
	nri_free(xscheme);
	nri_free(tmp);
	nri_free(col);
	nri_free(choice);
	free_run(&r);
	if (rc)
		free_result(sc); /* the warnings stay: they may explain the error */
	return rc;
}

/* ---- results ------------------------------------------------------------ */

size_t nr_scorer_city_count(const struct nr_scorer *sc)
{
	return sc->have_result ? sc->nkept : 0;
}

int nr_scorer_row(const struct nr_scorer *sc, size_t i, struct nr_score_row *row)
{
	size_t k;
	const struct city *c;

	if (!sc->have_result || i >= sc->nkept)
		return NR_EINVAL;
	k = sc->order[i];
	c = &sc->city[sc->kept[k]];
	row->rank = (size_t)sc->rank[k];
	row->city_id = c->id;
	row->city_name = c->name;
	row->name_zh = c->name_zh;
	row->region = c->region;
	row->north_south = c->ns;
	row->score = sc->score[k];
	row->dimension = sc->dims + k * sc->ndim;
	row->rank_median = sc->rmed[k];
	row->rank_p05 = sc->rp05[k];
	row->rank_p95 = sc->rp95[k];
	return NR_OK;
}

size_t nr_scorer_dimension_count(const struct nr_scorer *sc)
{
	return sc->have_result ? sc->ndim : 0;
}

const char *nr_scorer_dimension_id(const struct nr_scorer *sc, size_t j)
{
	if (!sc->have_result || j >= sc->ndim)
		return NULL;
	return sc->idx->node[sc->idx->node[0].child[j]].id;
}

size_t nr_scorer_indicator_count(const struct nr_scorer *sc)
{
	return sc->have_result ? sc->nind : 0;
}

int nr_scorer_indicator(const struct nr_scorer *sc, size_t i, struct nr_score_indicator *ind)
{
	if (!sc->have_result || i >= sc->nind)
		return NR_EINVAL;
	*ind = sc->ind[i];
	return NR_OK;
}

size_t nr_scorer_region_count(const struct nr_scorer *sc)
{
	return sc->have_result ? sc->nreg : 0;
}

int nr_scorer_region(const struct nr_scorer *sc, size_t i, struct nr_score_region *reg)
{
	if (!sc->have_result || i >= sc->nreg)
		return NR_EINVAL;
	reg->split = sc->reg[i].split;
	reg->group = sc->reg[i].group;
	reg->gap = sc->reg[i].gap;
	reg->cities = sc->reg[i].cities;
	reg->score = sc->reg[i].score;
	reg->dimension = sc->reg[i].dim;
	return NR_OK;
}

double nr_scorer_normalisation_first_order(const struct nr_scorer *sc)
{
	return sc->have_result ? sc->norm_s1 : NAN;
}

long nr_scorer_runs(const struct nr_scorer *sc)
{
	return sc->runs;
}

uint64_t nr_scorer_seed(const struct nr_scorer *sc)
{
	return sc->seed;
}

const char *nr_scorer_index_name(const struct nr_scorer *sc)
{
	return sc->idx ? sc->idx->name : NULL;
}
