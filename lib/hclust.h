/*
 * hclust.h - agglomerative hierarchical clustering with average linkage
 * (UPGMA), for ordering a similarity heatmap and drawing its dendrogram.
 */
#ifndef NR_HCLUST_H
#define NR_HCLUST_H

#include <stddef.h>

/* One merge: clusters a and b (a < n: leaf a; a >= n: the cluster made by
 * merge a - n) joined at height, holding size leaves. */
struct nri_merge {
	size_t a, b;
	double height;
	size_t size;
};

/* Cluster n >= 1 items on the symmetric distance matrix d (n x n, row-major;
 * NAN is taken as the largest distance seen).  merges gets n - 1 merges
 * in order of height; order gets the n leaves in dendrogram order.  Ties
 * are broken by the smaller cluster index, so the result depends only on d.
 * NR_OK or NR_ENOMEM. */
int nri_hclust_average(const double *d, size_t n, struct nri_merge *merges, size_t *order);

#endif
