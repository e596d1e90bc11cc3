/*
 * utf8.c - UTF-8 validation, repair, decoding and encoding.
 *
 * Well-formedness follows Unicode 15, section 3.9, Table 3-7: a lead byte
 * fixes the sequence length and the range of the second byte (which is what
 * excludes overlongs, surrogates and code points above U+10FFFF); every later
 * byte is 80..BF.  Repair and nri_utf8_next use the "maximal subpart" of an
 * ill-formed sequence (D93b): the longest prefix of a well-formed sequence
 * that is present, or the one byte that cannot start one.
 */
#include <stdint.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "utf8.h"

/* Sequence length by lead byte; 0 where a byte never starts a sequence
 * (continuation bytes 80..BF, the overlong leads C0 C1, and F5..FF). */
static const uint8_t seq_len[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* A0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* B0 */
	0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* C0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* D0 */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* E0 */
	4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* F0 */
};

/* Allowed range of the second byte by lead byte (80..FF), Table 3-7:
 * E0 A0..BF (no overlong 3-byte forms), ED 80..9F (no surrogates), F0
 * 90..BF (no overlong 4-byte forms), F4 80..8F (nothing above U+10FFFF),
 * 80..BF for the other leads, and the empty range FF..00 for bytes that
 * cannot lead. */
static const uint8_t second_lo[128] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 80 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 88 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 90 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* 98 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* A0 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* A8 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* B0 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* B8 */
	0xFF, 0xFF, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* C0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* C8 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* D0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* D8 */
	0xA0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* E0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* E8 */
	0x90, 0x80, 0x80, 0x80, 0x80, 0xFF, 0xFF, 0xFF, /* F0 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* F8 */
};

static const uint8_t second_hi[128] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 80 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 88 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 90 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 98 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* A0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* A8 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* B0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* B8 */
	0x00, 0x00, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, /* C0 */
	0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, /* C8 */
	0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, /* D0 */
	0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, /* D8 */
	0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF, /* E0 */
	0xBF, 0xBF, 0xBF, 0xBF, 0xBF, 0x9F, 0xBF, 0xBF, /* E8 */
	0xBF, 0xBF, 0xBF, 0xBF, 0x8F, 0x00, 0x00, 0x00, /* F0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* F8 */
};

static inline int second_ok(unsigned char lead, unsigned char b)
{
	return b >= second_lo[lead - 0x80] && b <= second_hi[lead - 0x80];
}

static inline int cont_ok(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/*
 * Length of the well-formed sequence starting at p (at most avail bytes),
 * or 0 with *sub set to the length of its maximal subpart (>= 1).
 */
static inline size_t seq_check(const unsigned char *p, size_t avail, size_t *sub)
{
	size_t n = seq_len[p[0]], k;

	if (n == 0) {
		*sub = 1;
		return 0;
	}
	if (n == 1)
		return 1;
	if (avail < 2 || !second_ok(p[0], p[1])) {
		*sub = 1;
		return 0;
	}
	for (k = 2; k < n; k++) {
		if (k >= avail || !cont_ok(p[k])) {
			*sub = k;
			return 0;
		}
	}
	return n;
}

#define HIGH_BITS 0x8080808080808080ull

/*
 * Offset of the first ill-formed sequence in p[from..len), or len.  ASCII
 * runs are skipped 8 bytes at a time (one load and one mask per word: most
 * of what narrate reads is ASCII markup, Latin text and digits); the
 * multibyte sequences are then checked one by one against the table.
 */
static size_t first_bad(const unsigned char *p, size_t len, size_t from)
{
	size_t i = from, n;
	uint64_t w;

	while (i < len) {
		while (len - i >= 8) {
			memcpy(&w, p + i, 8);
			if (w & HIGH_BITS)
				break;
			i += 8;
		}
		while (i < len && p[i] < 0x80)
			i++;
		/* A run of multibyte sequences (CJK, Cyrillic...) stays here:
		 * the second byte against its lead's range, later bytes
		 * against 80..BF, no branch on the lead byte's value. */
		while (i < len && p[i] >= 0x80) {
			unsigned char b0 = p[i];

			n = seq_len[b0];
			if (n == 0 || n > len - i || !second_ok(b0, p[i + 1]))
				return i;
			if (n >= 3 && (p[i + 2] & 0xC0) != 0x80)
				return i;
			if (n == 4 && (p[i + 3] & 0xC0) != 0x80)
				return i;
			i += n;
		}
	}
	return len;
}

int nr_utf8_check(const char *s, size_t len, size_t *bad_offset)
{
	size_t bad;

	if (!s && len)
		return NR_EINVAL;
	if (!len)
		return NR_OK;
	bad = first_bad((const unsigned char *)s, len, 0);
	if (bad == len)
		return NR_OK;
	if (bad_offset)
		*bad_offset = bad;
	return NR_EUTF8;
}

static const char replacement[3] = {'\xEF', '\xBF', '\xBD'};

/*
 * Two passes: the first (the fast check plus one step per ill-formed
 * subpart) sizes the output exactly, so there is one allocation and no
 * worst-case 3x buffer; the second copies.
 */
int nr_utf8_repair(const char *s, size_t len, char **out, size_t *out_len, size_t *repairs)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, bad, sub = 1, size = 0, nrep = 0;
	char *d, *q;

	if (!out || !out_len || (!s && len))
		return NR_EINVAL;
	*out = NULL;
	*out_len = 0;
	if (repairs)
		*repairs = 0;
	for (i = 0; i < len;) {
		bad = first_bad(p, len, i);
		size += bad - i;
		if (bad == len)
			break;
		seq_check(p + bad, len - bad, &sub);
		i = bad + sub;
		nrep++;
		size += 3;
		if (size > SIZE_MAX / 2)
			return NR_ELIMIT;
	}
	if (size > SIZE_MAX / 2)
		return NR_ELIMIT;
	d = nri_malloc(size + 1);
	if (!d)
		return NR_ENOMEM;
	q = d;
	for (i = 0; i < len;) {
		bad = nrep ? first_bad(p, len, i) : len;
		memcpy(q, p + i, bad - i);
		q += bad - i;
		if (bad == len)
			break;
		seq_check(p + bad, len - bad, &sub);
		memcpy(q, replacement, 3);
		q += 3;
		i = bad + sub;
	}
	*q = '\0';
	*out = d;
	*out_len = size;
	if (repairs)
		*repairs = nrep;
	return NR_OK;
}

int32_t nri_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n, sub = 1;
	uint32_t cp;

	if (*i >= len)
		return -1;
	if (p[0] < 0x80) {
		(*i)++;
		return p[0];
	}
	n = seq_check(p, len - *i, &sub);
	if (!n) {
		*i += sub;
		return -1;
	}
	*i += n;
	switch (n) {
	case 2: return (int32_t)(((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F));
	case 3:
		cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		     (p[2] & 0x3F);
		return (int32_t)cp;
	default:
		cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		return (int32_t)cp;
	}
}

size_t nri_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
