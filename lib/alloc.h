/*
 * alloc.h - every allocation in libnarrate goes through here, so a test can
 * make the Nth one fail (SQLite's faultsim, curl's torture tests).
 */
#ifndef NR_ALLOC_H
#define NR_ALLOC_H

#include <stddef.h>

void *nri_malloc(size_t n);
void *nri_calloc(size_t count, size_t size);
void *nri_realloc(void *p, size_t n);
void nri_free(void *p);
char *nri_strndup(const char *s, size_t len);

/* Test hooks.  nri_alloc_fail_at(n): the nth allocation from now (1-based)
 * and every later one fail until nri_alloc_fail_at(0).  Call it while no
 * other thread allocates; allocations on several threads are then counted
 * safely (in whatever order they come).  nri_alloc_count() counts the
 * allocations since the last nri_alloc_fail_at call; nothing is counted
 * before the first one. */
void nri_alloc_fail_at(long n);
long nri_alloc_count(void);

#endif
