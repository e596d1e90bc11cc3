/*
 * radix.h - sorting 64-bit entries by their high 32 bits, in linear time.
 */
#ifndef NRI_RADIX_H
#define NRI_RADIX_H

#include <stddef.h>
#include <stdint.h>

/* Sort v[0..n) by v[i] >> 32, stably (entries with equal keys keep their
 * order), with tmp[0..n) as scratch.  Every key must be below
 * 2^key_bits (1..32): fewer key bits, fewer passes. */
void nri_radix_hi32(uint64_t *v, uint64_t *tmp, size_t n, unsigned key_bits);

/* The bits needed to write x (0 for 0). */
unsigned nri_bits_of(uint64_t x);

#endif
