/*
 * alloc.c - checked allocation with a fault-injection hook for tests.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Counting starts with the first nri_alloc_fail_at call, which only tests
 * make: a program never writes these, so its threads neither race on the
 * counter nor pass its cache line between cores at every allocation.  A
 * test may allocate from several threads (an analysis with workers):
 * the counter is atomic. */
static int armed;
static long fail_at; /* 0: never fail */
static atomic_long count;

static int should_fail(void)
{
	long c;

	if (!armed)
		return 0;
	c = atomic_fetch_add_explicit(&count, 1, memory_order_relaxed) + 1;
	return fail_at > 0 && c >= fail_at;
}

void nri_alloc_fail_at(long n)
{
	armed = 1;
	fail_at = n;
	atomic_store(&count, 0);
}

long nri_alloc_count(void)
{
	return atomic_load(&count);
}

void *nri_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *nri_calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *nri_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void nri_free(void *p)
{
	free(p);
}

char *nri_strndup(const char *s, size_t len)
{
	char *d = nri_malloc(len + 1);

	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}
