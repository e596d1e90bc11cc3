/*
 * report.h - the data behind report.html (docs/report.md): a report
 * folder's files read back, checked and joined by city.
 */
#ifndef NR_REPORT_H
#define NR_REPORT_H

#include <stddef.h>

#include <jansson.h>

/* Groups beyond which the similarity matrix is not held (n^2 doubles). */
#define NRI_REPORT_MAX_SIM 4000
/* Grouping keys read (narrate analyze has six). */
#define NRI_REPORT_MAX_KEYS 8

/* A CSV file read whole: header and rows of NUL-terminated cells. */
struct nri_table {
	char *path;  /* NULL when the file was not there */
	char **head; /* ncol names */
	char **cell; /* nrow * ncol, row-major */
	size_t ncol, nrow;
};

/* One group (city) of measures.json.  Strings are borrowed from the JSON. */
struct nri_rcity {
	const char *id, *name, *name_zh, *region, *ns;
	const char *label_lang; /* lang of the chart label */
	const char *name_lang;	/* lang of `name` ("" when Latin) */
	json_t *measures, *topics, *frames, *languages, *tags;
	double docs;
	/* from ranking.csv when present */
	int ranked;
	double rank, score, rank_median, rank_p05, rank_p95;
};

struct nri_report_data {
	const char *dir;
	json_t *measures, *conc, *manifest;
	struct nri_rcity *c;
	size_t n;
	/* the --group-by keys, borrowed from the JSON: measures.json's
	 * group_by, else manifest.json's options; {"city"} when neither says */
	const char *keys[NRI_REPORT_MAX_KEYS];
	size_t nkeys;
	char keybuf[128]; /* the keys of a "city,month" string, split */
	size_t *by_docs;  /* city indexes, most documents first (ties: id) */
	size_t *by_id;	  /* city indexes in id order, for lookups */
	double *cos;	  /* n x n cosine similarity, NAN when unknown; NULL
			     beyond NRI_REPORT_MAX_SIM groups */
	struct nri_table keyterms, similarity, ranking, regions, cliches, cross, homogeneity;
	int names_zh;	   /* chart labels in Chinese where known */
	char *missing[16]; /* optional files not found, for the notes */
	size_t nmissing;
	char err[1024];
};

/* Read dir's files.  measures.json must be there and valid; the others
 * are optional but, when present, must parse.  ranking: ranking.csv's path
 * (NULL: DIR/ranking.csv; regions.csv is read beside it); hdir: the folder
 * of narrate homogeneity (NULL: dir).  NR_OK; NR_ENOTFOUND (measures.json
 * missing); NR_EPARSE (a corrupt file); NR_EIO; NR_ENOMEM.  err names the
 * file. */
int nri_report_load(struct nri_report_data *d, const char *dir, const char *ranking,
		    const char *hdir, int names_zh);
void nri_report_data_release(struct nri_report_data *d);

/* A city's measure by its measures.json name: NAN when null or absent. */
double nri_rmeasure(const struct nri_rcity *c, const char *name);
/* 1 if any city has the measure as a number. */
int nri_rhas_measure(const struct nri_report_data *d, const char *name);
/* 1 if any city has the key at all (even null). */
int nri_rknows_measure(const struct nri_report_data *d, const char *name);
/* Column index by name, or -1. */
int nri_table_col(const struct nri_table *t, const char *name);
const char *nri_table_get(const struct nri_table *t, size_t row, int col);
/* The chart label of a city and its lang. */
const char *nri_rlabel(const struct nri_report_data *d, const struct nri_rcity *c);
/* City index by id, or -1. */
long nri_rfind(const struct nri_report_data *d, const char *id);

#endif
