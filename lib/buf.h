/*
 * buf.h - a growable byte buffer with a size cap (git's strbuf, curl's
 * dynbuf).  Caller-held: nri_buf_init / nri_buf_release.
 */
#ifndef NR_BUF_H
#define NR_BUF_H

#include <stddef.h>

struct nri_buf {
	char *data; /* always NUL-terminated after a successful append */
	size_t len;
	size_t cap;   /* allocated bytes */
	size_t limit; /* most bytes len may reach; 0 means 1 GiB */
};

void nri_buf_init(struct nri_buf *b, size_t limit);
void nri_buf_release(struct nri_buf *b);
/* Keep the memory, forget the content. */
void nri_buf_reset(struct nri_buf *b);
/* Make room for n more bytes.  NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_buf_grow(struct nri_buf *b, size_t n);
int nri_buf_add(struct nri_buf *b, const void *p, size_t n);
int nri_buf_addc(struct nri_buf *b, int c);
int nri_buf_adds(struct nri_buf *b, const char *s);
int nri_buf_printf(struct nri_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the data to the caller (nri_free / nr_free); the buffer is reset. */
char *nri_buf_detach(struct nri_buf *b, size_t *len);

#endif
