/*
 * test_datetime.c - the month of a date as exports write it (lib/datetime.c):
 * each form docs/analyze.md lists, the forms it refuses (day and month in
 * an order that cannot be told, no year, impossible months), and Unix time
 * checked against gmtime.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

static const char *month(const char *s, char out[8])
{
	memset(out, 'x', 8);
	return nri_month_of(s, strlen(s), out) ? out : NULL;
}

static void test_forms(void **state)
{
	static const char *const cases[][2] = {
		/* ISO 8601 and its cousins */
		{"2024-05-03", "2024-05"},
		{"2024-05", "2024-05"},
		{"2024-05-03T23:30:00-05:00", "2024-05"},
		{"2024-5-3 8:00", "2024-05"},
		{"2024/05/03", "2024-05"},
		{"2024.12.31", "2024-12"},
		{"  2024-01-01  ", "2024-01"},
		{"20240503", "2024-05"},
		{"20240503123000", "2024-05"}, /* GDELT */
		{"202405031230", "2024-05"},
		{"978307200000", "2001-01"}, /* 12-digit milliseconds */
		{"202405", "2024-05"},
		/* Chinese */
		{"2024年5月3日", "2024-05"},
		{"2024年11月", "2024-11"},
		/* month names: RFC 2822, Twitter's created_at, prose */
		{"Fri, 03 May 2024 12:30:00 +0000", "2024-05"},
		{"Fri May 03 12:30:00 +0000 2024", "2024-05"},
		{"May 3, 2024", "2024-05"},
		{"3 September 2023", "2023-09"},
		{"03-Sept-2023", "2023-09"},
		{"DEC 2019", "2019-12"},
		/* Unix time, seconds and milliseconds (UTC) */
		{"1714739400", "2024-05"},
		{"1714739400123", "2024-05"},
		{"1714739400.5", "2024-05"},
	};
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = month(cases[i][0], out);

		if (!got || strcmp(got, cases[i][1]))
			fail_msg("'%s': got %s, want %s", cases[i][0], got ? got : "nothing",
				 cases[i][1]);
	}
}

static void test_refused(void **state)
{
	static const char *const cases[] = {
		"03/05/2024",		/* day-first or month-first: cannot be told */
		"05/25/2024",		/* not guessed either, so a corpus is not split */
		"2024",			/* no month */
		"2024-13-01",		/* no 13th month */
		"2024-00",		/* nor a month 0 */
		"2024-123",		/* three digits */
		"2024年",		/* no month */
		"2024年5日",		/* no 月 */
		"1850-05-03",		/* outside 1900-2100 */
		"20241301",		/* YYYYMMDD, month 13 */
		"20240532",		/* day 32 */
		"20240503253000",	/* hour 25 */
		"May",			/* no year */
		"May or June 2024",	/* two months */
		"May 2023 to May 2024", /* two years */
		"yesterday",
		"",
		"   ",
		"-1714739400",
		"12345",
		"1714739400x",
	};
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = month(cases[i], out);

		if (got)
			fail_msg("'%s' read as %s, want nothing", cases[i], got);
	}
	assert_int_equal(nri_month_of(NULL, 0, out), 0);
	/* the length is the caller's: a date inside a longer buffer */
	assert_int_equal(nri_month_of("2024-05garbage", 7, out), 1);
	assert_string_equal(out, "2024-05");
}

/* Unix time against gmtime, every 17 days and an hour from 1973 to 2036
 * (so every hour of the day and most month ends come up), in seconds and
 * in milliseconds (13 digits). */
static void test_epoch(void **state)
{
	char in[32], out[8], want[32];

	(void)state;
	for (long long t = 100000000; t < 2100000000LL; t += 86400LL * 17 + 3607) {
		time_t tt = (time_t)t;
		struct tm tm;

		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
		snprintf(in, sizeof(in), "%lld", t);
		assert_int_equal(nri_month_of(in, strlen(in), out), 1);
		assert_string_equal(out, want);
		snprintf(in, sizeof(in), "%lld%03d", t, (int)(t % 1000));
		if (strlen(in) == 13) { /* 12 digits read as a calendar first */
			assert_int_equal(nri_month_of(in, strlen(in), out), 1);
			assert_string_equal(out, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_epoch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
