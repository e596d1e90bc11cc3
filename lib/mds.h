/*
 * mds.h - classical multidimensional scaling, for the 2-D map of cities.
 */
#ifndef NR_MDS_H
#define NR_MDS_H

#include <stddef.h>

/* Place n points in the plane so that their Euclidean distances
 * approximate the symmetric distances d (n x n, row-major; NAN taken as
 * the largest distance).  xy gets n (x, y) pairs; *explained (may be NULL)
 * the share of the positive eigenvalues' sum carried by the two axes
 * (NAN when there is none).  Deterministic: Jacobi rotations in a fixed
 * order, each axis' sign fixed so that its largest coordinate is positive.
 * NR_OK, NR_ENOMEM. */
int nri_mds_classical(const double *d, size_t n, double *xy, double *explained);

/* Eigen-decomposition of the symmetric matrix a (n x n, destroyed):
 * w gets the eigenvalues, v (n x n) the eigenvectors as columns.  The
 * cyclic Jacobi method.  Exposed for tests. */
void nri_jacobi_eigen(double *a, size_t n, double *w, double *v);

#endif
