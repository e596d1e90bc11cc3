/*
 * normalize.h - the per-token normaliser the tokenizer uses.
 */
#ifndef NR_NORMALIZE_H
#define NR_NORMALIZE_H

#include <stddef.h>

#include "buf.h"

/* Append NFKC_Casefold(s[0..len)) to out.  s must be valid UTF-8.  Pure
 * ASCII and text that is already in the target form pass through a quick
 * check without calling utf8proc.  NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_casefold(struct nri_buf *out, const char *s, size_t len);

#endif
