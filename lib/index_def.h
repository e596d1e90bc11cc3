/*
 * index_def.h - the index definition file of `narrate score`: a YAML tree
 * of dimensions and indicators (docs/scoring.md), parsed with libyaml's
 * event API into a flat array of nodes.  Aliases and anchors are refused,
 * so the tree cannot contain a cycle or an exponential expansion.
 */
#ifndef NR_INDEX_DEF_H
#define NR_INDEX_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "compind.h"

/* A list of "file:line: message" strings (warnings, notes). */
struct nri_msgs {
	char **v;
	size_t n, cap;
};

int nri_msgs_add(struct nri_msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nri_msgs_release(struct nri_msgs *m);

enum nri_src { NRI_SRC_MEASURE = 0, NRI_SRC_EXTERNAL = 1 };
enum nri_missing {
	NRI_MISSING_ERROR = 0,
	NRI_MISSING_DROP = 1,
	NRI_MISSING_ZERO = 2,
	NRI_MISSING_MEAN = 3
};
enum nri_transform { NRI_TR_NONE = 0, NRI_TR_LOG = 1, NRI_TR_WINSORISE = 2 };
enum nri_perturb { NRI_PERTURB_NONE = 0, NRI_PERTURB_UNIFORM = 1, NRI_PERTURB_DIRICHLET = 2 };

#define NRI_NO_PARENT ((size_t)-1)

struct nri_inode {
	char *id;
	char *label;   /* NULL when not given */
	unsigned line; /* where the node starts in the file */
	int leaf;
	size_t parent; /* NRI_NO_PARENT for the root */
	size_t depth;
	double weight; /* as written; valid when has_weight */
	int has_weight;
	unsigned weight_line;
	/* inner nodes */
	size_t *child;
	size_t nchild;
	enum nri_weighting weighting;
	enum nri_aggregation aggregation;
	double shift; /* geometric: the zero shift */
	/* leaves */
	enum nri_src src;
	char *source; /* measure path or CSV column */
	unsigned source_line;
	int benefit;
	enum nri_transform transform;
	double plo, phi; /* winsorise percentiles */
	enum nri_norm norm;
	enum nri_missing missing;
	int under_geometric; /* some ancestor aggregates geometrically */
};

struct nri_index {
	char *file;
	char *name;
	char *title;
	struct nri_inode *node; /* node[0] is the root */
	size_t nnode;
	long runs; /* -1: not given */
	uint64_t seed;
	int seed_set;
	enum nri_perturb perturb;
	double range;	       /* uniform: +- range (fraction) */
	double concentration;  /* dirichlet: alpha = concentration * w */
	unsigned alternatives; /* bit (1 << nri_norm): normalisations swapped in */
	struct nri_msgs warnings;
};

/* Parse s[0..len) (file names it in messages).  On success *out is a
 * caller-owned index (nri_index_free) whose warnings list what was
 * repaired (weights rescaled, weights ignored).  On error returns NR_EPARSE,
 * NR_EINVAL, NR_ELIMIT or NR_ENOMEM and writes "file:line: message" into
 * err[0..errsize). */
int nri_index_parse(const char *s, size_t len, const char *file, struct nri_index **out, char *err,
		    size_t errsize);
void nri_index_free(struct nri_index *idx);

/* Parse s[0..len) as a whole C-locale decimal number ([+-]digits[.digits]
 * [e[+-]digits], or .5 / 5.): 1 and *out on success, 0 when s is anything
 * else or not finite.  Independent of the process's LC_NUMERIC, so a host
 * program that calls setlocale cannot change what an index or CSV says. */
int nri_strtod_c(const char *s, size_t len, double *out);

/* "none", "log", "winsorise"; "drop_city", "zero", "mean", "error"; static. */
const char *nri_transform_name(enum nri_transform t);
const char *nri_missing_name(enum nri_missing m);
const char *nri_weighting_name(enum nri_weighting w);
const char *nri_aggregation_name(enum nri_aggregation a);

#endif
