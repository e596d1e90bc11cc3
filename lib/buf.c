/*
 * buf.c - growable byte buffer with a cap, so that hostile input fails with
 * NR_ELIMIT instead of eating the machine.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"

#define DEFAULT_LIMIT ((size_t)1 << 30)

void nri_buf_init(struct nri_buf *b, size_t limit)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->limit = limit ? limit : DEFAULT_LIMIT;
}

void nri_buf_release(struct nri_buf *b)
{
	nri_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void nri_buf_reset(struct nri_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int nri_buf_grow(struct nri_buf *b, size_t n)
{
	size_t need, ncap;
	char *p;

	if (n > b->limit || b->len > b->limit - n)
		return NR_ELIMIT;
	need = b->len + n + 1;
	if (need <= b->cap)
		return NR_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
	p = nri_realloc(b->data, ncap);
	if (!p)
		return NR_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return NR_OK;
}

int nri_buf_add(struct nri_buf *b, const void *p, size_t n)
{
	int rc = nri_buf_grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return NR_OK;
}

int nri_buf_addc(struct nri_buf *b, int c)
{
	char ch = (char)c;

	return nri_buf_add(b, &ch, 1);
}

int nri_buf_adds(struct nri_buf *b, const char *s)
{
	return nri_buf_add(b, s, strlen(s));
}

int nri_buf_printf(struct nri_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NR_EINVAL;
	rc = nri_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return NR_OK;
}

char *nri_buf_detach(struct nri_buf *b, size_t *len)
{
	char *d = b->data;

	if (!d) {
		d = nri_malloc(1);
		if (!d)
			return NULL;
		d[0] = '\0';
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
