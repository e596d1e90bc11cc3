/*
 * alloc.c - checked allocation with a fault-injection hook for tests.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static long fail_at; /* 0: never fail */
static long count;

static int should_fail(void)
{
	count++;
	return fail_at > 0 && count >= fail_at;
}

void nri_alloc_fail_at(long n)
{
	fail_at = n;
	count = 0;
}

long nri_alloc_count(void)
{
	return count;
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
