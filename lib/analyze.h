/*
 * analyze.h - the state of an analysis, shared by analyze.c (reading and
 * accumulating), analysis_merge.c (merging the workers), analysis_measures.c
 * (computing) and analysis_write.c (the report folder).
 */
#ifndef NR_ANALYZE_H
#define NR_ANALYZE_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "narrate.h"
#include "buf.h"
#include "cliche.h"
#include "lsh.h"
#include "minhash.h"
#include "rejects.h"
#include "strmap.h"
#include "vocab.h"

/* Worker threads at most (--threads). */
#define NRI_MAX_THREADS 64

#define NRI_MAX_KEYS   4
#define NRI_LEX_CITIES 0
#define NRI_LEX_TOPICS 1
#define NRI_LEX_FRAMES 2
#define NRI_LEX_TONE   3
#define NRI_NLEX       4

enum nri_key {
	NRI_KEY_CITY,
	NRI_KEY_PLATFORM,
	NRI_KEY_MONTH,
	NRI_KEY_LANG,
	NRI_KEY_AUTHOR_TYPE,
	NRI_KEY_MEDIA,
	NRI_KEY_COUNT
};

/* Per-term counts in a group: all occurrences (lexical diversity) and
 * content occurrences (no stopword, not part of a city name: keyness and
 * tf-idf). */
/* The tokens of one document kept for MATTR/MTLD: doc sequence number and
 * a run of 32-bit word hashes in the group's capture buffer. */
struct nri_capture_seg {
	uint64_t seq;
	size_t start, len;
};

/* One group's accumulator (one per worker per group; merged at the end). */
struct nri_group {
	char *id;		   /* keys joined with '|' */
	char *keys[NRI_KEY_COUNT]; /* NULL where not a grouping key */
	int city_entity;	   /* entity index, or -1 */
	uint64_t docs, tokens, content_tokens;
	uint32_t *term_ids; /* merged: term ids (see nr_analysis.terms), ascending */
	struct nri_term_count *term_counts; /* parallel to term_ids */
	size_t nterms;
	struct nri_termcount tcount; /* in a worker: counts by worker vocabulary id,
					made into term_ids at the merge */
	uint64_t *topic_docs;	     /* per topic category id */
	uint64_t *frame_docs;
	uint64_t tone_pos, tone_neg; /* hits, after negation */
	uint64_t interaction_docs;
	uint64_t likes, shares, comments, views;
	struct nri_strmap langs, platforms, media, author_types; /* value: docs */
	uint32_t *capture;
	size_t ncapture, capture_cap;
	struct nri_capture_seg *segs;
	size_t nsegs, segs_cap;
};

/* A worker's own state: tokenizer, matcher, groups, rejects. */
struct nri_worker {
	struct nr_analysis *a;
	struct nr_tokenizer *tok;
	struct nr_matcher *matcher;
	struct nri_strmap group_index; /* group id -> index + 1 */
	struct nri_group *groups;
	size_t ngroups, groups_cap;
	struct nri_reject_list rejects;
	uint64_t analysed, unattributed, repaired, bytes;
	uint64_t dates_unread;	  /* a date nri_month_of cannot read */
	struct nri_strmap nostop; /* language code -> documents, no stopword list */
	/* per-document scratch */
	uint32_t *stamp; /* category marks: topics then frames */
	size_t nstamp;
	uint32_t epoch;
	int *city_hits; /* per entity: hits in this document */
	size_t ncity;
	int *doc_cities;
	unsigned char *in_city; /* per token: part of a city hit */
	size_t in_city_cap;
	struct nri_buf scratch;
	struct nri_vocab vocab;	 /* the words this worker saw */
	uint32_t *term_map;	 /* at the merge: worker vocabulary id -> term id */
	uint32_t *ids, *wids;	 /* per word token: hash, vocabulary id */
	unsigned char *wcontent; /* per word token: counts as content */
	uint64_t *hashes;	 /* per word token: nri_hash of its norm */
	size_t dense_budget;	 /* bytes left for the groups' dense rows */
	size_t words_cap;
	/* near-duplicates and cliches (docs/homogeneity.md) */
	struct nri_units units;
	uint32_t *doc_groups; /* this document's groups (local indexes) */
	struct nri_dupstore dup;
	struct nri_cliche cliche;
	char **gid; /* group ids, copied before the merge */
	size_t ngid;
	uint32_t *gmap; /* local group index -> final index */
	pthread_t thread;
	int rc;
};

/* Final per-group results, computed from the merged accumulators. */
struct nri_result {
	struct nri_group *g; /* merged accumulator */
	double m[64];	     /* scalar measures, by nri_measure */
	char *name, *name_zh;
	const char *region, *north_south;
	double lat, lon;
	int nearest;	   /* result index, or -1 */
	size_t *key_terms; /* term indexes into g, by G2 desc */
	double *key_g2, *key_lr;
	uint64_t *key_other;
	const char **key_s; /* the key terms, borrowed from g->terms */
	size_t *key_len;
	size_t nkey;
	/* under-used terms (negative G2), most under-used first */
	struct nri_underuse {
		const char *s; /* borrowed from the corpus vocabulary (terms) */
		size_t len;
		uint64_t count, other;
		double g2, lr;
	} under[10];
	size_t nunder;
};

/* Scalar measures, in cities.csv column order after city_id, city_name. */
enum nri_measure {
	M_DOCUMENTS,
	M_TOKENS,
	M_TYPES,
	M_TTR,
	M_MATTR,
	M_MTLD,
	M_HDD,
	M_YULES_K,
	M_TOPIC_ENTROPY,
	M_FRAME_SHANNON,
	M_FRAME_SIMPSON,
	M_FRAME_HILL0,
	M_FRAME_HILL1,
	M_FRAME_HILL2,
	M_TONE_POS,
	M_TONE_NEG,
	M_TONE_NET,
	M_DISTINCT_SHARE,
	M_COSINE_MEAN,
	M_COSINE_MAX,
	M_JSD_TOPICS,
	M_INTERACTION_RATE,
	M_ENGAGEMENT_PER_DOC,
	M_DUP_WITHIN,
	M_DUP_ACROSS,
	M_CLICHE_RATE,
	M_HOMOGENEITY,
	M_DISTINCTIVENESS,
	M_LANGUAGES,
	M_PLATFORMS,
	M_LIKES,
	M_SHARES,
	M_COMMENTS,
	M_VIEWS,
	M_COUNT
};
extern const char *const nri_measure_names[M_COUNT];

struct nr_analysis {
	struct nr_analysis_options o;
	char *opt_strings[16];
	char errmsg[1024];
	struct nr_lexicon *lex[NRI_NLEX];
	char *lex_path[NRI_NLEX];
	char lex_sha256[NRI_NLEX][65];
	const struct nr_lexicon *active[NRI_NLEX];
	size_t lex_slot[NRI_NLEX]; /* index in the matcher's array */
	size_t nactive;
	int keys[NRI_KEY_COUNT];
	size_t nkeys;
	struct nri_strmap city_names; /* casefolded name or id -> entity + 1 */
	int interaction_cat;	      /* frame category for invitations, or -1 */
	struct nri_strmap nostop;     /* the workers' nostop, merged */
	const char **nostop_keys;     /* its codes in byte order */
	signed char *tone_pol;	      /* per tone category: 1 positive, 0 negative, -1 by weight */
	size_t ntone_pol;
	unsigned nthreads;
	struct nri_worker *workers;
	struct nri_reject_list reader_rejects;
	struct nri_reject_list skipped; /* files that are not corpus files */
	uint64_t read, skipped_files, seq;
	void *queue; /* the run's batch queue */
	volatile int cancelled;
	int ran;
	/* merged results */
	struct nri_vocab terms;	  /* every word of the corpus (vocabulary ids) */
	uint32_t *term_order;	  /* term id -> vocabulary id: term ids follow the
				     words' byte order, whatever the threads did */
	struct nri_group *groups; /* sorted by id */
	size_t ngroups;
	struct nri_result *results;
	double *cosine;	     /* ngroups x ngroups */
	size_t rejects_kept; /* per producer before its rejects go to a file */
	struct nr_analysis_counts counts;
	double conc_docs[3], conc_eng[3]; /* gini, hhi, top10 share */
	/* near-duplicates and cliches (docs/homogeneity.md) */
	struct nri_minhash mh;
	double dup_threshold, cliche_share;
	unsigned shingle_words, shingle_chars, ngram_words, ngram_chars;
	unsigned cliche_min_cities; /* as used */
	struct nri_dupdocs dd;	    /* documents with shingles, input order */
	uint32_t *dup_root;	    /* first document of its cluster */
	uint32_t *dup_cluster;	    /* cluster number from 1; 0: alone */
	size_t nclusters, ncross;
	uint64_t dup_verified;
	uint32_t *shared; /* ngroups x ngroups: clusters shared */
	struct nri_cliche_item *cliches;
	size_t ncliches;
	unsigned cliche_level; /* n-gram sampling level reached */
};

/* Categories of the lexicon in role lex (NRI_LEX_*), 0 when not loaded. */
size_t nri_analysis_ncat(const struct nr_analysis *a, int lex);

/* analyze.c, shared with analysis_merge.c: a worker's accumulator for group
 * id, found or made (keys: the key values, NULL where not a grouping key);
 * freeing one; appending a document's word ids to its MATTR/MTLD capture
 * (at most cap ids kept, in document order). */
int nri_group_get(struct nri_worker *w, const char *id, size_t idlen,
		  char *const keys[NRI_KEY_COUNT], int city_entity, struct nri_group **out);
void nri_group_release(struct nri_group *g);
int nri_capture_add(struct nri_group *g, uint64_t seq, const uint32_t *ids, size_t n, size_t cap);

/* analysis_merge.c: the workers' accumulators into a->terms, a->groups
 * (sorted by id), the counts and rejects, then nri_analysis_compute.
 * NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_analysis_merge(struct nr_analysis *a);

/* analysis_measures.c: every measure, from the merged groups (a->groups,
 * sorted by id) into a->results, a->cosine and the corpus figures.
 * NR_OK or NR_ENOMEM. */
int nri_analysis_compute(struct nr_analysis *a);

int nri_analysis_write_files(struct nr_analysis *a, const char *dir, const char *command);

/* analysis_write.c helpers shared with homogeneity_write.c */
typedef int (*nri_fill_fn)(struct nr_analysis *a, const char *dir, const char *command);
int nri_analysis_write_folder(struct nr_analysis *a, const char *outdir, const char *command,
			      nri_fill_fn fill);
FILE *nri_out_open(struct nr_analysis *a, const char *dir, const char *name);
int nri_out_close(struct nr_analysis *a, FILE *f, const char *dir, const char *name);
void nri_csv_field(FILE *f, const char *s, size_t len);
void nri_csv_num(FILE *f, double v);
int nri_write_rejects(struct nr_analysis *a, const char *dir);
/* Tests: how many rejects a producer holds before it writes them to its
 * temporary file (0: all; default REJECTS_KEPT in analyze.c).  Before
 * nr_analysis_run. */
void nri_analysis_set_rejects_kept(struct nr_analysis *a, size_t n);
int nri_write_manifest(struct nr_analysis *a, const char *dir, const char *command);
/* homogeneity_write.c: the folder of `narrate homogeneity` */
int nri_homogeneity_fill(struct nr_analysis *a, const char *dir, const char *command);

/* The bytes of term id t. */
static inline const char *nri_analysis_term(const struct nr_analysis *a, uint32_t t, size_t *len)
{
	return nri_vocab_str(&a->terms, a->term_order[t], len);
}

#endif
