/*
 * utf8.h - UTF-8 decoding helpers shared inside the library.
 */
#ifndef NR_UTF8_H
#define NR_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the code point at s[*i] (i < len) and advance *i past it.  On an
 * ill-formed sequence return -1 and advance *i past its maximal subpart
 * (at least one byte), as Unicode 15 section 3.9 defines it. */
int32_t nri_utf8_next(const char *s, size_t len, size_t *i);

/* Encode cp (<= 0x10FFFF, not a surrogate) into out; returns 1..4. */
size_t nri_utf8_encode(uint32_t cp, char out[4]);

#endif
