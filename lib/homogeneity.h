/*
 * homogeneity.h - near-duplicates, cliches and the homogeneity index
 * inside an analysis (docs/homogeneity.md): the per-document step run by
 * the workers and the computation after the merge.
 */
#ifndef NR_HOMOGENEITY_H
#define NR_HOMOGENEITY_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"

/* Options to parameters, MinHash family.  NR_OK, NR_EINVAL (message on
 * the handle), NR_ENOMEM. */
int nri_homogeneity_setup(struct nr_analysis *a);
int nri_homogeneity_worker_init(struct nri_worker *w);
void nri_homogeneity_worker_release(struct nri_worker *w);
/* One analysed document with its ngroups groups in w->doc_groups:
 * shingles, signature and band keys into the worker's store, n-grams
 * into its cliche table.  NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_homogeneity_doc(struct nri_worker *w, uint64_t seq, const struct nr_token *toks,
			size_t ntoks, size_t ngroups, const char *id, size_t idlen,
			const char *text, size_t textlen);
/* Copy the workers' group ids before the merge empties them. */
int nri_homogeneity_before_merge(struct nr_analysis *a);
/* After the merge and the cosines: clusters, cliches, per-group measures
 * and the index.  NR_OK, NR_ENOMEM. */
int nri_homogeneity_compute(struct nr_analysis *a);
void nri_homogeneity_release(struct nr_analysis *a);

#endif
