/*
 * radix.c - an LSD radix sort of 64-bit entries on their high 32 bits.
 *
 * Why not qsort: the entries sorted here are (key << 32 | payload) with
 * keys from a known small range (term ids, band keys); a comparison sort
 * calls its comparator 20-odd times per entry, a radix sort reads and
 * writes each entry once per 11 bits of key.  11 bits: 2048 counters stay
 * in L1.
 */
#include <string.h>

#include "radix.h"

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

unsigned nri_bits_of(uint64_t x)
{
	unsigned b = 0;

	while (x) {
		b++;
		x >>= 1;
	}
	return b;
}

void nri_radix_hi32(uint64_t *v, uint64_t *tmp, size_t n, unsigned key_bits)
{
	size_t cnt[RADIX_SIZE];
	uint64_t *src = v, *dst = tmp;

	if (key_bits > 32)
		key_bits = 32;
	for (unsigned done = 0; done < key_bits; done += RADIX_BITS) {
		unsigned shift = 32 + done;
		size_t sum = 0;

		memset(cnt, 0, sizeof(cnt));
		for (size_t i = 0; i < n; i++)
			cnt[(src[i] >> shift) & (RADIX_SIZE - 1)]++;
		for (size_t d = 0; d < RADIX_SIZE; d++) {
			size_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & (RADIX_SIZE - 1)]++] = src[i];
		src = dst;
		dst = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}
