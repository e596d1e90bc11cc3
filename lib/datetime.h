/*
 * datetime.h - the month of a date as exports write it (docs/analyze.md).
 */
#ifndef NR_DATETIME_H
#define NR_DATETIME_H

#include <stddef.h>

/* The month of date[0..len) as "YYYY-MM" (NUL-terminated) in out: 1 when
 * it is read, 0 when it is not a date in a form listed in docs/analyze.md
 * ("Groups"), or names day and month in an order that cannot be told
 * (03/05/2024). */
int nri_month_of(const char *date, size_t len, char out[8]);

#endif
