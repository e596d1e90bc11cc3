/*
 * datetime.c - the month of a date as exports write it.
 *
 * `--group-by month` needs the year and month of a document's `date`, and
 * exports write dates many ways: ISO 8601 and its cousins (2024-05-03,
 * 2024/5/3, 2024.05.03, 20240503), Chinese (2024年5月3日), RFC 2822 and
 * Twitter's v1.1 created_at (Fri, 03 May 2024 ..., Fri May 03 12:30:00
 * +0000 2024), "May 3, 2024", and Unix time in seconds or milliseconds.
 * Only the year and the month are read, as written (no time zone is
 * applied, except that Unix time is UTC).  Numeric dates with the year
 * last (03/05/2024) are not read: day-first and month-first exports look
 * the same, and guessing per document would split one corpus's months
 * by two conventions.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int put(char out[8], long year, long month)
{
	if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12)
		return 0;
	out[0] = (char)('0' + year / 1000);
	out[1] = (char)('0' + year / 100 % 10);
	out[2] = (char)('0' + year / 10 % 10);
	out[3] = (char)('0' + year % 10);
	out[4] = '-';
	out[5] = (char)('0' + month / 10);
	out[6] = (char)('0' + month % 10);
	out[7] = '\0';
	return 1;
}

/* The value of the n digits at s (n <= 18). */
static long long digits(const char *s, size_t n)
{
	long long v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Unix time in seconds (9-10 digits) or milliseconds (12-13), UTC. */
static int from_epoch(long long t, char out[8])
{
	struct tm tm;
	time_t tt;

	if (t < 0 || (long long)(time_t)t != t)
		return 0;
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return 0;
	return put(out, (long)tm.tm_year + 1900, (long)tm.tm_mon + 1);
}

/* YYYYMMDD, YYYYMMDDhhmm or YYYYMMDDhhmmss (n = 8, 12, 14), each field
 * in range. */
static int compact(const char *s, size_t n, char out[8])
{
	long long day = digits(s + 6, 2);

	if (day < 1 || day > 31)
		return 0;
	if (n >= 12 && (digits(s + 8, 2) > 23 || digits(s + 10, 2) > 59))
		return 0;
	if (n == 14 && digits(s + 12, 2) > 60)
		return 0;
	return put(out, (long)digits(s, 4), (long)digits(s + 4, 2));
}

/* A date of digits only, with an optional fraction (1714739400.5). */
static int all_digits(const char *s, size_t n, char out[8])
{
	size_t k = 0;

	while (k < n && is_digit(s[k]))
		k++;
	if (k < n) {
		if (s[k] != '.' || k + 1 >= n)
			return -1;
		for (size_t i = k + 1; i < n; i++)
			if (!is_digit(s[i]))
				return -1;
	}
	switch (k) {
	case 6: /* YYYYMM */ return put(out, (long)digits(s, 4), (long)digits(s + 4, 2));
	case 8: /* YYYYMMDD */
	case 14: /* YYYYMMDDhhmmss (GDELT) */ return compact(s, k, out);
	case 9:
	case 10: return from_epoch(digits(s, k), out);
	case 12: /* YYYYMMDDhhmm, else milliseconds (which are 1973-2001 in 12 digits) */
		if (compact(s, k, out))
			return 1;
		return from_epoch(digits(s, k) / 1000, out);
	case 13: return from_epoch(digits(s, k) / 1000, out);
	default: return 0;
	}
}

/* The year first: YYYY-M..., YYYY/M..., YYYY.M..., YYYY年M月...; -1 when
 * s does not start with four digits and one of those separators. */
static int year_first(const char *s, size_t n, char out[8])
{
	size_t i = 4, m0;
	int cjk;

	if (n < 6 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
		return -1;
	cjk = n >= 7 && !memcmp(s + 4, "\xE5\xB9\xB4", 3); /* 年 */
	if (cjk)
		i = 7;
	else if (s[4] == '-' || s[4] == '/' || s[4] == '.')
		i = 5;
	else
		return -1;
	m0 = i;
	while (i < n && is_digit(s[i]) && i - m0 < 3)
		i++;
	if (i - m0 < 1 || i - m0 > 2 || (i < n && is_digit(s[i])))
		return 0;
	if (cjk && (n - i < 3 || memcmp(s + i, "\xE6\x9C\x88", 3))) /* 月 */
		return 0;
	return put(out, (long)digits(s, 4), (long)digits(s + m0, i - m0));
}

static const char *const months[12][2] = {
	{"jan", "january"},   {"feb", "february"}, {"mar", "march"},	{"apr", "april"},
	{"may", "may"},	      {"jun", "june"},	   {"jul", "july"},	{"aug", "august"},
	{"sep", "september"}, {"oct", "october"},  {"nov", "november"}, {"dec", "december"},
};

/* The month a run of letters names (Jan, January, Sept, any case), or 0. */
static int month_word(const char *s, size_t n)
{
	char w[10];

	if (n < 3 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)(s[i] | 0x20);
	w[n] = '\0';
	if (!strcmp(w, "sept"))
		return 9;
	for (int k = 0; k < 12; k++)
		if (!strcmp(w, months[k][0]) || !strcmp(w, months[k][1]))
			return k + 1;
	return 0;
}

/* An English month name and a year of four digits anywhere: RFC 2822,
 * Twitter's created_at, "May 3, 2024", "03-May-2024".  One month name and
 * one year, else 0. */
static int month_name(const char *s, size_t n, char out[8])
{
	int month = 0;
	long year = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i;

		if (is_alpha(s[i])) {
			int m;

			while (j < n && is_alpha(s[j]))
				j++;
			m = month_word(s + i, j - i);
			if (m) {
				if (month && month != m)
					return 0;
				month = m;
			}
		} else if (is_digit(s[i])) {
			while (j < n && is_digit(s[j]))
				j++;
			if (j - i == 4) {
				long y = (long)digits(s + i, 4);

				if (y >= YEAR_MIN && y <= YEAR_MAX) {
					if (year && year != y)
						return 0;
					year = y;
				}
			}
		} else {
			j = i + 1;
		}
		i = j;
	}
	return month && year ? put(out, year, month) : 0;
}

int nri_month_of(const char *date, size_t len, char out[8])
{
	int rc;

	if (!date)
		return 0;
	while (len && (*date == ' ' || *date == '\t')) {
		date++;
		len--;
	}
	while (len && (date[len - 1] == ' ' || date[len - 1] == '\t'))
		len--;
	if (!len || len > 64)
		return 0;
	if ((rc = all_digits(date, len, out)) >= 0)
		return rc;
	if ((rc = year_first(date, len, out)) >= 0)
		return rc;
	return month_name(date, len, out);
}
