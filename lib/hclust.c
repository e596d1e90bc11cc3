/*
 * hclust.c - average-linkage clustering (UPGMA: Sokal and Michener 1958,
 * "A statistical method for evaluating systematic relationships").
 *
 * The naive O(n^3) algorithm: report pages hold at most a few hundred
 * cities, and a plain search over the active pairs makes the tie-breaking
 * (smallest cluster indexes first) easy to state and to test.  The
 * distance of a merged cluster to another is the size-weighted mean of its
 * parts' distances (Lance-Williams update for average linkage).
 */
#include <math.h>

#include "narrate.h"
#include "alloc.h"
#include "hclust.h"

int nri_hclust_average(const double *d, size_t n, struct nri_merge *merges, size_t *order)
{
	double *m, big = 0;
	size_t *id, *size, *stack;
	unsigned char *active;
	size_t top = 0, k = 0;

	if (n == 0)
		return NR_OK;
	m = nri_malloc(n * n * sizeof(*m));
	id = nri_malloc(n * sizeof(*id));
	size = nri_malloc(n * sizeof(*size));
	active = nri_malloc(n);
	stack = nri_malloc(2 * n * sizeof(*stack));
	if (!m || !id || !size || !active || !stack) {
		nri_free(m);
		nri_free(id);
		nri_free(size);
		nri_free(active);
		nri_free(stack);
		return NR_ENOMEM;
	}
	for (size_t i = 0; i < n * n; i++)
		if (isfinite(d[i]) && d[i] > big)
			big = d[i];
	for (size_t i = 0; i < n * n; i++)
		m[i] = isfinite(d[i]) ? d[i] : big;
	for (size_t i = 0; i < n; i++) {
		id[i] = i;
		size[i] = 1;
		active[i] = 1;
	}
	/* slot i holds cluster id[i]; a merge keeps the lower slot */
	for (size_t step = 0; step + 1 < n; step++) {
		size_t bi = 0, bj = 0;
		double best = INFINITY;

		for (size_t i = 0; i < n; i++) {
			if (!active[i])
				continue;
			for (size_t j = i + 1; j < n; j++) {
				if (active[j] && m[i * n + j] < best) {
					best = m[i * n + j];
					bi = i;
					bj = j;
				}
			}
		}
		if (!isfinite(best))
			best = big;
		merges[step].a = id[bi] < id[bj] ? id[bi] : id[bj];
		merges[step].b = id[bi] < id[bj] ? id[bj] : id[bi];
		merges[step].height = best;
		merges[step].size = size[bi] + size[bj];
		for (size_t k2 = 0; k2 < n; k2++) {
			double v;

			if (!active[k2] || k2 == bi || k2 == bj)
				continue;
			v = (m[bi * n + k2] * (double)size[bi] +
			     m[bj * n + k2] * (double)size[bj]) /
			    (double)(size[bi] + size[bj]);
			m[bi * n + k2] = m[k2 * n + bi] = v;
		}
		size[bi] += size[bj];
		id[bi] = n + step;
		active[bj] = 0;
	}
	/* leaves in dendrogram order: depth first from the last merge, the
	 * first-made side (smaller id) on the left */
	stack[top++] = n == 1 ? 0 : n + (n - 2);
	while (top) {
		size_t c = stack[--top];

		if (c < n) {
			order[k++] = c;
			continue;
		}
		stack[top++] = merges[c - n].b;
		stack[top++] = merges[c - n].a;
	}
	nri_free(m);
	nri_free(id);
	nri_free(size);
	nri_free(active);
	nri_free(stack);
	return NR_OK;
}
