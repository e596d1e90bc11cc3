/*
 * index_def.c - parse an index definition (YAML, docs/scoring.md).
 *
 * libyaml's event API is used rather than its document loader: the loader
 * resolves aliases into shared nodes (so "&a [*a]" makes a cycle and nested
 * aliases an exponential tree), and an index file has no use for them.  The
 * events are built into a small tree of our own that keeps each node's
 * line, then the tree is checked key by key, so every mistake is reported
 * as "file:line: message".
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "narrate.h"
#include "alloc.h"
#include "index_def.h"

#define MAX_DEPTH	64
#define MAX_NODES	100000
#define MAX_INDEX_NODES 10000

/* ---- messages ----------------------------------------------------------- */

int nri_msgs_add(struct nri_msgs *m, const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NR_EINVAL;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 8;
		char **v;

		if (ncap > 1000000)
			return NR_ELIMIT;
		v = nri_realloc(m->v, ncap * sizeof(*v));
		if (!v)
			return NR_ENOMEM;
		m->v = v;
		m->cap = ncap;
	}
	m->v[m->n] = nri_strndup(tmp, strlen(tmp));
	if (!m->v[m->n])
		return NR_ENOMEM;
	m->n++;
	return NR_OK;
}

void nri_msgs_release(struct nri_msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		nri_free(m->v[i]);
	nri_free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

/* ---- numbers ------------------------------------------------------------ */

/* The syntax is checked by hand, then strtod converts a copy in which the
 * '.' is the locale's decimal point (as jansson does). */
int nri_strtod_c(const char *s, size_t len, double *out)
{
	char buf[512], *end;
	const char *dp = localeconv()->decimal_point;
	size_t i = 0, o = 0, digits = 0, dl = dp && *dp ? strlen(dp) : 1;
	double d;

	if (len == 0 || len > 300)
		return 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			ed++;
		if (ed == 0)
			return 0;
	}
	if (i != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			memcpy(buf + o, dp && *dp ? dp : ".", dl);
			o += dl;
		} else {
			buf[o++] = s[i];
		}
	}
	buf[o] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (*end || errno == ERANGE || !isfinite(d))
		return 0;
	*out = d;
	return 1;
}

/* ---- names -------------------------------------------------------------- */

const char *nri_transform_name(enum nri_transform t)
{
	switch (t) {
	case NRI_TR_NONE: return "none";
	case NRI_TR_LOG: return "log";
	case NRI_TR_WINSORISE: return "winsorise";
	}
	return "?";
}

const char *nri_missing_name(enum nri_missing m)
{
	switch (m) {
	case NRI_MISSING_ERROR: return "error";
	case NRI_MISSING_DROP: return "drop_city";
	case NRI_MISSING_ZERO: return "zero";
	case NRI_MISSING_MEAN: return "mean";
	}
	return "?";
}

const char *nri_weighting_name(enum nri_weighting w)
{
	switch (w) {
	case NRI_WEIGHT_FIXED: return "fixed";
	case NRI_WEIGHT_EQUAL: return "equal";
	case NRI_WEIGHT_ENTROPY: return "entropy";
	case NRI_WEIGHT_CRITIC: return "critic";
	}
	return "?";
}

const char *nri_aggregation_name(enum nri_aggregation a)
{
	switch (a) {
	case NRI_AGG_ARITHMETIC: return "arithmetic";
	case NRI_AGG_GEOMETRIC: return "geometric";
	case NRI_AGG_TOPSIS: return "topsis";
	}
	return "?";
}

/* ---- a YAML tree with lines --------------------------------------------- */

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ytype type;
	unsigned line;
	char *str; /* scalar, NUL-terminated */
	size_t len;
	int plain;	    /* unquoted scalar */
	struct ynode **kid; /* map: key, value, key, value... */
	size_t nkid, capkid;
};

static void ynode_free(struct ynode *y)
{
	size_t i;

	if (!y)
		return;
	for (i = 0; i < y->nkid; i++)
		ynode_free(y->kid[i]);
	nri_free(y->kid);
	nri_free(y->str);
	nri_free(y);
}

static int ynode_add(struct ynode *p, struct ynode *c)
{
	if (p->nkid == p->capkid) {
		size_t ncap = p->capkid ? p->capkid * 2 : 8;
		struct ynode **k = nri_realloc(p->kid, ncap * sizeof(*k));

		if (!k)
			return NR_ENOMEM;
		p->kid = k;
		p->capkid = ncap;
	}
	p->kid[p->nkid++] = c;
	return NR_OK;
}

struct pctx {
	const char *file;
	char *err;
	size_t errsize;
	struct nri_index *idx;
	/* defaults for indicators */
	int d_benefit;
	enum nri_transform d_transform;
	double d_plo, d_phi;
	enum nri_norm d_norm;
	enum nri_missing d_missing;
};

static int fail(struct pctx *c, int rc, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct pctx *c, int rc, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errsize, "%s:%u: ", c->file, line);
	if (n < 0 || (size_t)n >= c->errsize)
		return rc;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

/* Build the tree from libyaml events.  Refuses aliases and anchors (see the
 * file comment), more than one document, deep nesting and huge files. */
static int load_yaml(struct pctx *c, const char *s, size_t len, struct ynode **root)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct ynode *stack[MAX_DEPTH + 1];
	size_t depth = 0, count = 0;
	int docs = 0, rc = NR_OK, done = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		return fail(c, NR_ENOMEM, 1, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)s, len);
	while (!done) {
		struct ynode *y = NULL;
		unsigned line;

		if (!yaml_parser_parse(&parser, &ev)) {
			rc = fail(c, NR_EPARSE, (unsigned)parser.problem_mark.line + 1,
				  "YAML syntax: %s%s%s", parser.problem ? parser.problem : "error",
				  parser.context ? " " : "", parser.context ? parser.context : "");
			break;
		}
		line = (unsigned)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT: done = 1; break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = fail(c, NR_EPARSE, line,
					  "more than one YAML document; an index file holds one");
			break;
		case YAML_ALIAS_EVENT:
			rc = fail(c, NR_EPARSE, line,
				  "YAML alias '*%s' is not allowed in an index file (aliases can "
				  "make "
				  "cycles); write the node out in full",
				  (const char *)ev.data.alias.anchor);
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT
							    ? ev.data.scalar.anchor
						    : ev.type == YAML_SEQUENCE_START_EVENT
							    ? ev.data.sequence_start.anchor
							    : ev.data.mapping_start.anchor;

			if (anchor) {
				rc = fail(
					c, NR_EPARSE, line,
					"YAML anchor '&%s' is not allowed in an index file "
					"(anchors "
					"and aliases can make cycles); write the node out in full",
					(const char *)anchor);
				break;
			}
			if (++count > MAX_NODES) {
				rc = fail(c, NR_ELIMIT, line, "more than %d YAML nodes", MAX_NODES);
				break;
			}
			y = nri_calloc(1, sizeof(*y));
			if (!y) {
				rc = fail(c, NR_ENOMEM, line, "out of memory");
				break;
			}
			y->line = line;
			if (ev.type == YAML_SCALAR_EVENT) {
				y->type = Y_SCALAR;
				y->len = ev.data.scalar.length;
				y->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
				y->str = nri_strndup((const char *)ev.data.scalar.value, y->len);
				if (!y->str) {
					nri_free(y);
					rc = fail(c, NR_ENOMEM, line, "out of memory");
					break;
				}
			} else {
				y->type = ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
			}
			if (depth == 0) {
				if (*root) {
					ynode_free(y);
					rc = fail(c, NR_EPARSE, line,
						  "more than one top-level node");
					break;
				}
				*root = y;
			} else if (ynode_add(stack[depth - 1], y) != NR_OK) {
				ynode_free(y);
				rc = fail(c, NR_ENOMEM, line, "out of memory");
				break;
			}
			if (y->type != Y_SCALAR) {
				if (depth >= MAX_DEPTH) {
					rc = fail(c, NR_ELIMIT, line,
						  "nested deeper than %d levels", MAX_DEPTH);
					break;
				}
				stack[depth++] = y;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default: break;
		}
		yaml_event_delete(&ev);
		if (rc != NR_OK)
			break;
	}
	yaml_parser_delete(&parser);
	if (rc == NR_OK && !*root)
		rc = fail(c, NR_EPARSE, 1, "empty index file");
	if (rc != NR_OK) {
		ynode_free(*root);
		*root = NULL;
	}
	return rc;
}

/* ---- checking values ---------------------------------------------------- */

static const char *ytype_name(enum ytype t)
{
	return t == Y_SCALAR ? "a single value" : t == Y_SEQ ? "a list" : "a mapping";
}

static int want(struct pctx *c, const struct ynode *v, enum ytype t, const char *key)
{
	if (v->type != t)
		return fail(c, NR_EPARSE, v->line, "'%s' must be %s, not %s", key, ytype_name(t),
			    ytype_name(v->type));
	return NR_OK;
}

static int get_number(struct pctx *c, const struct ynode *v, const char *key, double *out)
{
	double d;
	int rc = want(c, v, Y_SCALAR, key);

	if (rc)
		return rc;
	if (!nri_strtod_c(v->str, v->len, &d))
		return fail(c, NR_EPARSE, v->line, "'%s' must be a number, not '%s'", key, v->str);
	*out = d;
	return NR_OK;
}

static int get_string(struct pctx *c, const struct ynode *v, const char *key, char **out)
{
	int rc = want(c, v, Y_SCALAR, key);

	if (rc)
		return rc;
	if (memchr(v->str, '\0', v->len))
		return fail(c, NR_EPARSE, v->line, "'%s' contains a NUL character", key);
	nri_free(*out);
	*out = nri_strndup(v->str, v->len);
	if (!*out)
		return fail(c, NR_ENOMEM, v->line, "out of memory");
	return NR_OK;
}

/* Look a scalar up in a table of names; the error lists the choices. */
static int get_choice(struct pctx *c, const struct ynode *v, const char *key,
		      const char *const *names, const int *values, int *out)
{
	char list[256] = "";
	size_t i, used = 0;
	int rc = want(c, v, Y_SCALAR, key);

	if (rc)
		return rc;
	for (i = 0; names[i]; i++) {
		if (!strcmp(v->str, names[i])) {
			*out = values[i];
			return NR_OK;
		}
	}
	for (i = 0; names[i]; i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	return fail(c, NR_EPARSE, v->line, "unknown %s '%s' (choose one of: %s)", key, v->str,
		    list);
}

static const char *const norm_names[] = {"minmax",	     "min-max", "min_max",
					 "zscore",	     "z-score", "rank",
					 "distance_to_best", "none",	NULL};
static const int norm_values[] = {NRI_NORM_MINMAX, NRI_NORM_MINMAX, NRI_NORM_MINMAX,
				  NRI_NORM_ZSCORE, NRI_NORM_ZSCORE, NRI_NORM_RANK,
				  NRI_NORM_DTB,	   NRI_NORM_NONE};
static const char *const dir_names[] = {"benefit", "cost", NULL};
static const int dir_values[] = {1, 0};
static const char *const tr_names[] = {"none", "log", "winsorise", "winsorize", NULL};
static const int tr_values[] = {NRI_TR_NONE, NRI_TR_LOG, NRI_TR_WINSORISE, NRI_TR_WINSORISE};
static const char *const miss_names[] = {"error", "drop_city", "zero", "mean", NULL};
static const int miss_values[] = {NRI_MISSING_ERROR, NRI_MISSING_DROP, NRI_MISSING_ZERO,
				  NRI_MISSING_MEAN};
static const char *const wt_names[] = {"fixed", "equal", "entropy", "critic", NULL};
static const int wt_values[] = {NRI_WEIGHT_FIXED, NRI_WEIGHT_EQUAL, NRI_WEIGHT_ENTROPY,
				NRI_WEIGHT_CRITIC};
static const char *const agg_names[] = {"arithmetic", "geometric", "topsis", NULL};
static const int agg_values[] = {NRI_AGG_ARITHMETIC, NRI_AGG_GEOMETRIC, NRI_AGG_TOPSIS};
static const char *const pert_names[] = {"none", "uniform", "dirichlet", NULL};
static const int pert_values[] = {NRI_PERTURB_NONE, NRI_PERTURB_UNIFORM, NRI_PERTURB_DIRICHLET};

static int get_percentiles(struct pctx *c, const struct ynode *v, double *lo, double *hi)
{
	int rc = want(c, v, Y_SEQ, "percentiles");

	if (rc)
		return rc;
	if (v->nkid != 2)
		return fail(c, NR_EPARSE, v->line,
			    "'percentiles' must list two numbers, e.g. [5, 95]");
	if ((rc = get_number(c, v->kid[0], "percentiles", lo)) ||
	    (rc = get_number(c, v->kid[1], "percentiles", hi)))
		return rc;
	if (!(*lo >= 0 && *lo < *hi && *hi <= 100))
		return fail(c, NR_EPARSE, v->line,
			    "'percentiles' must satisfy 0 <= low < high <= 100, not [%g, %g]", *lo,
			    *hi);
	return NR_OK;
}

static int valid_id(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 64)
		return 0;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

static int unknown_key(struct pctx *c, const struct ynode *k, const char *where, const char *known)
{
	return fail(c, NR_EPARSE, k->line, "unknown key '%s' in %s (known keys: %s)", k->str, where,
		    known);
}

static int dup_key(struct pctx *c, const struct ynode *m, size_t upto)
{
	size_t i;

	for (i = 0; i < upto; i += 2) {
		if (m->kid[i]->type == Y_SCALAR && !strcmp(m->kid[i]->str, m->kid[upto]->str))
			return fail(c, NR_EPARSE, m->kid[upto]->line,
				    "key '%s' given twice (first on line %u)", m->kid[upto]->str,
				    m->kid[i]->line);
	}
	return NR_OK;
}

static int check_keys(struct pctx *c, const struct ynode *m)
{
	size_t i;
	int rc;

	for (i = 0; i < m->nkid; i += 2) {
		if (m->kid[i]->type != Y_SCALAR)
			return fail(c, NR_EPARSE, m->kid[i]->line, "a key must be a plain name");
		if ((rc = dup_key(c, m, i)))
			return rc;
	}
	return NR_OK;
}

/* ---- the index tree ----------------------------------------------------- */

static int new_node(struct pctx *c, unsigned line, size_t *out)
{
	struct nri_index *idx = c->idx;
	struct nri_inode *nn;

	if (idx->nnode >= MAX_INDEX_NODES)
		return fail(c, NR_ELIMIT, line, "more than %d nodes in the index", MAX_INDEX_NODES);
	nn = nri_realloc(idx->node, (idx->nnode + 1) * sizeof(*nn));
	if (!nn)
		return fail(c, NR_ENOMEM, line, "out of memory");
	idx->node = nn;
	memset(&nn[idx->nnode], 0, sizeof(*nn));
	nn[idx->nnode].line = line;
	nn[idx->nnode].parent = NRI_NO_PARENT;
	nn[idx->nnode].shift = 0.01;
	*out = idx->nnode++;
	return NR_OK;
}

static int parse_node(struct pctx *c, const struct ynode *m, size_t parent, size_t *out);

/* Settings shared by the root and inner nodes. */
static int inner_key(struct pctx *c, size_t ni, const struct ynode *k, const struct ynode *v,
		     int *handled, int *weighting_set)
{
	struct nri_inode *n = &c->idx->node[ni];
	int rc, x;

	*handled = 1;
	if (!strcmp(k->str, "weighting")) {
		if ((rc = get_choice(c, v, "weighting", wt_names, wt_values, &x)))
			return rc;
		c->idx->node[ni].weighting = (enum nri_weighting)x;
		*weighting_set = 1;
		return NR_OK;
	}
	if (!strcmp(k->str, "aggregation")) {
		if ((rc = get_choice(c, v, "aggregation", agg_names, agg_values, &x)))
			return rc;
		n->aggregation = (enum nri_aggregation)x;
		return NR_OK;
	}
	if (!strcmp(k->str, "shift")) {
		double d;

		if ((rc = get_number(c, v, "shift", &d)))
			return rc;
		if (!(d > 0))
			return fail(c, NR_EPARSE, v->line, "'shift' must be greater than 0");
		c->idx->node[ni].shift = d;
		return NR_OK;
	}
	*handled = 0;
	return NR_OK;
}

static int parse_children(struct pctx *c, size_t ni, const struct ynode *v)
{
	size_t i;
	int rc;

	if ((rc = want(c, v, Y_SEQ, "children")))
		return rc;
	if (v->nkid == 0)
		return fail(c, NR_EPARSE, v->line, "'children' is empty");
	for (i = 0; i < v->nkid; i++) {
		size_t ci = 0, *ch;

		if (v->kid[i]->type != Y_MAP)
			return fail(c, NR_EPARSE, v->kid[i]->line,
				    "each child must be a mapping with an 'id'");
		if ((rc = parse_node(c, v->kid[i], ni, &ci)))
			return rc;
		ch = nri_realloc(c->idx->node[ni].child,
				 (c->idx->node[ni].nchild + 1) * sizeof(*ch));
		if (!ch)
			return fail(c, NR_ENOMEM, v->line, "out of memory");
		ch[c->idx->node[ni].nchild++] = ci;
		c->idx->node[ni].child = ch;
	}
	return NR_OK;
}

/* A dimension or an indicator; which one is decided by its keys. */
static int parse_node(struct pctx *c, const struct ynode *m, size_t parent, size_t *out)
{
	const struct ynode *children = NULL, *source = NULL;
	size_t ni, i;
	int rc, x, weighting_set = 0, is_leaf;

	if ((rc = check_keys(c, m)))
		return rc;
	for (i = 0; i < m->nkid; i += 2) {
		const char *k = m->kid[i]->str;

		if (!strcmp(k, "children"))
			children = m->kid[i + 1];
		else if (!strcmp(k, "measure") || !strcmp(k, "external")) {
			if (source)
				return fail(c, NR_EPARSE, m->kid[i]->line,
					    "an indicator has one source: 'measure' or "
					    "'external', not both");
			source = m->kid[i];
		}
	}
	if (children && source)
		return fail(c, NR_EPARSE, source->line,
			    "a node has either 'children' (a dimension) or a source "
			    "('measure'/'external', an indicator), not both");
	if (!children && !source)
		return fail(c, NR_EPARSE, m->line,
			    "a node needs 'children' (a dimension) or 'measure'/'external' (an "
			    "indicator)");
	is_leaf = source != NULL;
	if ((rc = new_node(c, m->line, &ni)))
		return rc;
	*out = ni;
	{
		struct nri_inode *n = &c->idx->node[ni];

		n->parent = parent;
		n->depth = c->idx->node[parent].depth + 1;
		n->leaf = is_leaf;
		n->benefit = c->d_benefit;
		n->transform = c->d_transform;
		n->plo = c->d_plo;
		n->phi = c->d_phi;
		n->norm = c->d_norm;
		n->missing = c->d_missing;
		if (n->depth > 32)
			return fail(c, NR_ELIMIT, m->line, "the index is nested deeper than 32");
	}
	for (i = 0; i < m->nkid; i += 2) {
		const struct ynode *k = m->kid[i], *v = m->kid[i + 1];
		struct nri_inode *n = &c->idx->node[ni];
		int handled;

		if (!strcmp(k->str, "id")) {
			if ((rc = get_string(c, v, "id", &n->id)))
				return rc;
			if (!valid_id(v->str, v->len))
				return fail(c, NR_EPARSE, v->line,
					    "id '%s' must be 1-64 letters, digits, '_' or '-'",
					    v->str);
		} else if (!strcmp(k->str, "label")) {
			if ((rc = get_string(c, v, "label", &n->label)))
				return rc;
		} else if (!strcmp(k->str, "description") || !strcmp(k->str, "note")) {
			if ((rc = want(c, v, Y_SCALAR, k->str)))
				return rc;
		} else if (!strcmp(k->str, "weight")) {
			if ((rc = get_number(c, v, "weight", &n->weight)))
				return rc;
			if (n->weight < 0)
				return fail(c, NR_EPARSE, v->line, "weight %g is negative",
					    n->weight);
			n->has_weight = 1;
			n->weight_line = v->line;
		} else if (!is_leaf) {
			if (!strcmp(k->str, "children")) {
				if ((rc = parse_children(c, ni, v)))
					return rc;
				continue;
			}
			if ((rc = inner_key(c, ni, k, v, &handled, &weighting_set)))
				return rc;
			if (!handled)
				return unknown_key(c, k, "a dimension",
						   "id, label, description, weight, weighting, "
						   "aggregation, shift, children");
		} else if (!strcmp(k->str, "measure") || !strcmp(k->str, "external")) {
			n->src = k->str[0] == 'm' ? NRI_SRC_MEASURE : NRI_SRC_EXTERNAL;
			if ((rc = get_string(c, v, k->str, &n->source)))
				return rc;
			if (v->len == 0)
				return fail(c, NR_EPARSE, v->line, "'%s' is empty", k->str);
			n->source_line = v->line;
		} else if (!strcmp(k->str, "direction")) {
			if ((rc = get_choice(c, v, "direction", dir_names, dir_values, &x)))
				return rc;
			n->benefit = x;
		} else if (!strcmp(k->str, "transform")) {
			if ((rc = get_choice(c, v, "transform", tr_names, tr_values, &x)))
				return rc;
			n->transform = (enum nri_transform)x;
		} else if (!strcmp(k->str, "percentiles")) {
			if ((rc = get_percentiles(c, v, &n->plo, &n->phi)))
				return rc;
		} else if (!strcmp(k->str, "normalisation") || !strcmp(k->str, "normalization")) {
			if ((rc = get_choice(c, v, "normalisation", norm_names, norm_values, &x)))
				return rc;
			n->norm = (enum nri_norm)x;
		} else if (!strcmp(k->str, "missing")) {
			if ((rc = get_choice(c, v, "missing", miss_names, miss_values, &x)))
				return rc;
			n->missing = (enum nri_missing)x;
		} else {
			return unknown_key(
				c, k, "an indicator",
				"id, label, description, measure, external, direction, "
				"transform, percentiles, normalisation, weight, missing");
		}
	}
	if (!c->idx->node[ni].id)
		return fail(c, NR_EPARSE, m->line, "this node has no 'id'");
	if (!is_leaf && !weighting_set) {
		struct nri_inode *n = &c->idx->node[ni];
		size_t j;

		n->weighting = NRI_WEIGHT_EQUAL;
		for (j = 0; j < n->nchild; j++)
			if (c->idx->node[n->child[j]].has_weight)
				n->weighting = NRI_WEIGHT_FIXED;
	}
	return NR_OK;
}

static int parse_defaults(struct pctx *c, const struct ynode *m)
{
	size_t i;
	int rc, x;

	if ((rc = want(c, m, Y_MAP, "defaults")) || (rc = check_keys(c, m)))
		return rc;
	for (i = 0; i < m->nkid; i += 2) {
		const struct ynode *k = m->kid[i], *v = m->kid[i + 1];

		if (!strcmp(k->str, "direction")) {
			if ((rc = get_choice(c, v, "direction", dir_names, dir_values, &x)))
				return rc;
			c->d_benefit = x;
		} else if (!strcmp(k->str, "transform")) {
			if ((rc = get_choice(c, v, "transform", tr_names, tr_values, &x)))
				return rc;
			c->d_transform = (enum nri_transform)x;
		} else if (!strcmp(k->str, "percentiles")) {
			if ((rc = get_percentiles(c, v, &c->d_plo, &c->d_phi)))
				return rc;
		} else if (!strcmp(k->str, "normalisation") || !strcmp(k->str, "normalization")) {
			if ((rc = get_choice(c, v, "normalisation", norm_names, norm_values, &x)))
				return rc;
			c->d_norm = (enum nri_norm)x;
		} else if (!strcmp(k->str, "missing")) {
			if ((rc = get_choice(c, v, "missing", miss_names, miss_values, &x)))
				return rc;
			c->d_missing = (enum nri_missing)x;
		} else {
			return unknown_key(c, k, "'defaults'",
					   "direction, transform, percentiles, normalisation, "
					   "missing");
		}
	}
	return NR_OK;
}

static int parse_uncertainty(struct pctx *c, const struct ynode *m)
{
	struct nri_index *idx = c->idx;
	size_t i, j;
	int rc, x;
	double d;

	if ((rc = want(c, m, Y_MAP, "uncertainty")) || (rc = check_keys(c, m)))
		return rc;
	for (i = 0; i < m->nkid; i += 2) {
		const struct ynode *k = m->kid[i], *v = m->kid[i + 1];

		if (!strcmp(k->str, "runs")) {
			if ((rc = get_number(c, v, "runs", &d)))
				return rc;
			if (!(d >= 0 && d <= 1000000 && d == floor(d)))
				return fail(c, NR_EPARSE, v->line,
					    "'runs' must be a whole number from 0 to 1000000");
			idx->runs = (long)d;
		} else if (!strcmp(k->str, "seed")) {
			if ((rc = get_number(c, v, "seed", &d)))
				return rc;
			if (!(d >= 0 && d <= 9007199254740992.0 && d == floor(d)))
				return fail(c, NR_EPARSE, v->line,
					    "'seed' must be a whole number from 0 to 2^53");
			idx->seed = (uint64_t)d;
			idx->seed_set = 1;
		} else if (!strcmp(k->str, "weights")) {
			if ((rc = get_choice(c, v, "weights", pert_names, pert_values, &x)))
				return rc;
			idx->perturb = (enum nri_perturb)x;
		} else if (!strcmp(k->str, "range")) {
			if ((rc = get_number(c, v, "range", &d)))
				return rc;
			if (!(d >= 0 && d < 1))
				return fail(
					c, NR_EPARSE, v->line,
					"'range' must be at least 0 and below 1 (0.2 = +-20%%)");
			idx->range = d;
		} else if (!strcmp(k->str, "concentration")) {
			if ((rc = get_number(c, v, "concentration", &d)))
				return rc;
			if (!(d > 0))
				return fail(c, NR_EPARSE, v->line,
					    "'concentration' must be greater than 0");
			idx->concentration = d;
		} else if (!strcmp(k->str, "normalisations") || !strcmp(k->str, "normalizations")) {
			if ((rc = want(c, v, Y_SEQ, "normalisations")))
				return rc;
			idx->alternatives = 0;
			for (j = 0; j < v->nkid; j++) {
				if ((rc = get_choice(c, v->kid[j], "normalisation", norm_names,
						     norm_values, &x)))
					return rc;
				idx->alternatives |= 1u << x;
			}
		} else {
			return unknown_key(c, k, "'uncertainty'",
					   "runs, seed, weights, range, concentration, "
					   "normalisations");
		}
	}
	return NR_OK;
}

/* Checks that need the whole tree: unique ids, fixed weights, what lies
 * below a geometric node. */
static int check_tree(struct pctx *c)
{
	struct nri_index *idx = c->idx;
	size_t i, j;
	int rc;

	for (i = 0; i < idx->nnode; i++) {
		struct nri_inode *n = &idx->node[i];

		for (j = 0; j < i; j++)
			if (!strcmp(idx->node[j].id, n->id))
				return fail(c, NR_EPARSE, n->line,
					    "id '%s' is used twice (first on line %u)", n->id,
					    idx->node[j].line);
		for (j = n->parent; j != NRI_NO_PARENT; j = idx->node[j].parent)
			if (idx->node[j].aggregation == NRI_AGG_GEOMETRIC)
				n->under_geometric = 1;
		if (n->leaf && n->under_geometric &&
		    (n->norm == NRI_NORM_ZSCORE || n->norm == NRI_NORM_NONE))
			return fail(c, NR_EPARSE, n->line,
				    "indicator '%s' uses %s normalisation below a geometric "
				    "aggregation, which needs values >= 0; use minmax, rank or "
				    "distance_to_best",
				    n->id, nri_norm_name(n->norm));
		if (n->leaf)
			continue;
		if (n->weighting == NRI_WEIGHT_FIXED) {
			double sum = 0;

			for (j = 0; j < n->nchild; j++) {
				struct nri_inode *ch = &idx->node[n->child[j]];

				if (!ch->has_weight)
					return fail(c, NR_EPARSE, ch->line,
						    "'%s' has no weight, but '%s' weights its "
						    "children as fixed",
						    ch->id, n->id);
				sum += ch->weight;
			}
			if (!(sum > 0))
				return fail(c, NR_EPARSE, n->line,
					    "the weights of the children of '%s' sum to 0", n->id);
			if (fabs(sum - 1.0) > 1e-6) {
				rc = nri_msgs_add(&idx->warnings,
						  "%s:%u: the weights of the children of '%s' sum "
						  "to %.6g, not 1; each is divided by %.6g",
						  c->file, n->line, n->id, sum, sum);
				if (rc)
					return fail(c, rc, n->line, "out of memory");
			}
		} else {
			for (j = 0; j < n->nchild; j++) {
				struct nri_inode *ch = &idx->node[n->child[j]];

				if (!ch->has_weight)
					continue;
				rc = nri_msgs_add(&idx->warnings,
						  "%s:%u: weight of '%s' ignored: '%s' weights its "
						  "children by '%s'",
						  c->file, ch->weight_line, ch->id, n->id,
						  nri_weighting_name(n->weighting));
				if (rc)
					return fail(c, rc, ch->line, "out of memory");
			}
		}
	}
	return NR_OK;
}

static int parse_root(struct pctx *c, const struct ynode *m)
{
	struct nri_index *idx = c->idx;
	const struct ynode *children = NULL, *defaults = NULL;
	size_t i, ni;
	int rc, weighting_set = 0;

	if (m->type != Y_MAP)
		return fail(c, NR_EPARSE, m->line,
			    "an index file is a mapping with 'index', 'children', ...");
	if ((rc = check_keys(c, m)))
		return rc;
	if ((rc = new_node(c, m->line, &ni)))
		return rc;
	/* defaults first: they apply to every indicator wherever it is written */
	for (i = 0; i < m->nkid; i += 2) {
		if (!strcmp(m->kid[i]->str, "defaults"))
			defaults = m->kid[i + 1];
		if (!strcmp(m->kid[i]->str, "children"))
			children = m->kid[i + 1];
	}
	if (defaults && (rc = parse_defaults(c, defaults)))
		return rc;
	for (i = 0; i < m->nkid; i += 2) {
		const struct ynode *k = m->kid[i], *v = m->kid[i + 1];
		int handled;

		if (!strcmp(k->str, "index")) {
			if ((rc = get_string(c, v, "index", &idx->name)))
				return rc;
			if (!valid_id(v->str, v->len))
				return fail(c, NR_EPARSE, v->line,
					    "index name '%s' must be 1-64 letters, digits, '_' or "
					    "'-'",
					    v->str);
		} else if (!strcmp(k->str, "title")) {
			if ((rc = get_string(c, v, "title", &idx->title)))
				return rc;
		} else if (!strcmp(k->str, "description") || !strcmp(k->str, "version") ||
			   !strcmp(k->str, "source") || !strcmp(k->str, "licence") ||
			   !strcmp(k->str, "license")) {
			if ((rc = want(c, v, Y_SCALAR, k->str)))
				return rc;
		} else if (!strcmp(k->str, "uncertainty")) {
			if ((rc = parse_uncertainty(c, v)))
				return rc;
		} else if (!strcmp(k->str, "defaults") || !strcmp(k->str, "children")) {
			continue;
		} else {
			if ((rc = inner_key(c, ni, k, v, &handled, &weighting_set)))
				return rc;
			if (!handled)
				return unknown_key(c, k, "the index",
						   "index, title, description, version, source, "
						   "licence, uncertainty, defaults, weighting, "
						   "aggregation, shift, children");
		}
	}
	if (!idx->name)
		return fail(c, NR_EPARSE, m->line, "the index has no name ('index: NAME')");
	idx->node[0].id = nri_strndup(idx->name, strlen(idx->name));
	if (!idx->node[0].id)
		return fail(c, NR_ENOMEM, m->line, "out of memory");
	if (!children)
		return fail(c, NR_EPARSE, m->line, "the index has no 'children' (its dimensions)");
	if ((rc = parse_children(c, 0, children)))
		return rc;
	if (!weighting_set) {
		idx->node[0].weighting = NRI_WEIGHT_EQUAL;
		for (i = 0; i < idx->node[0].nchild; i++)
			if (idx->node[idx->node[0].child[i]].has_weight)
				idx->node[0].weighting = NRI_WEIGHT_FIXED;
	}
	return check_tree(c);
}

void nri_index_free(struct nri_index *idx)
{
	size_t i;

	if (!idx)
		return;
	for (i = 0; i < idx->nnode; i++) {
		nri_free(idx->node[i].id);
		nri_free(idx->node[i].label);
		nri_free(idx->node[i].source);
		nri_free(idx->node[i].child);
	}
	nri_free(idx->node);
	nri_free(idx->file);
	nri_free(idx->name);
	nri_free(idx->title);
	nri_msgs_release(&idx->warnings);
	nri_free(idx);
}

int nri_index_parse(const char *s, size_t len, const char *file, struct nri_index **out, char *err,
		    size_t errsize)
{
	struct pctx c;
	struct ynode *root = NULL;
	int rc;

	*out = NULL;
	if (errsize)
		err[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.file = file ? file : "<index>";
	c.err = err;
	c.errsize = errsize;
	c.d_benefit = 1;
	c.d_transform = NRI_TR_NONE;
	c.d_plo = 5;
	c.d_phi = 95;
	c.d_norm = NRI_NORM_MINMAX;
	c.d_missing = NRI_MISSING_ERROR;
	c.idx = nri_calloc(1, sizeof(*c.idx));
	if (!c.idx)
		return fail(&c, NR_ENOMEM, 1, "out of memory");
	c.idx->runs = -1;
	c.idx->seed = 1;
	c.idx->perturb = NRI_PERTURB_UNIFORM;
	c.idx->range = 0.2;
	c.idx->concentration = 50;
	c.idx->alternatives = (1u << NRI_NORM_MINMAX) | (1u << NRI_NORM_RANK);
	c.idx->file = nri_strndup(c.file, strlen(c.file));
	if (!c.idx->file) {
		rc = fail(&c, NR_ENOMEM, 1, "out of memory");
		goto out;
	}
	if ((rc = load_yaml(&c, s, len, &root)))
		goto out;
	rc = parse_root(&c, root);
out:
	ynode_free(root);
	if (rc) {
		nri_index_free(c.idx);
		return rc;
	}
	*out = c.idx;
	return NR_OK;
}
