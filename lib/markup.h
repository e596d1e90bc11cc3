/*
 * markup.h - a writer of HTML/SVG text for report.html: escaped text,
 * numbers in the C locale whatever LC_NUMERIC says, and a sticky error so
 * that a page of output calls need one check at the end (curl's dynbuf
 * with git's strbuf manner).
 */
#ifndef NR_MARKUP_H
#define NR_MARKUP_H

#include <stddef.h>

#include "buf.h"

struct nri_markup {
	struct nri_buf b;
	int rc; /* first error (NR_ENOMEM, NR_ELIMIT); later calls no-op */
};

void nri_mu_init(struct nri_markup *m, size_t limit);
void nri_mu_release(struct nri_markup *m);

/* Trusted markup, written as is. */
void nri_mu_raw(struct nri_markup *m, const char *s);
void nri_mu_rawn(struct nri_markup *m, const char *s, size_t len);
/* printf for markup: integer and string conversions only.  Never pass %f
 * or %g here (they follow LC_NUMERIC): use nri_mu_num. */
void nri_mu_printf(struct nri_markup *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Text content or an attribute value: & < > " ' escaped; invalid UTF-8
 * becomes U+FFFD and control characters other than tab and newline are
 * dropped, so the page stays well-formed XML whatever the input. */
void nri_mu_text(struct nri_markup *m, const char *s, size_t len);
void nri_mu_texts(struct nri_markup *m, const char *s);

/* v with exactly `decimals` decimals (0..9), C locale, formatted by hand;
 * "-0" is written "0"; NAN and infinities write "n/a". */
void nri_mu_num(struct nri_markup *m, double v, int decimals);
/* v with at most `decimals` decimals, trailing zeros removed: SVG
 * coordinates.  NAN writes 0. */
void nri_mu_coord(struct nri_markup *m, double v, int decimals);
/* A share as a percentage: 0.5812 -> "58%" (decimals 0) or "58.1%". */
void nri_mu_pct(struct nri_markup *m, double share, int decimals);
/* An integer count with thin grouping for readers: 12345 -> "12,345". */
void nri_mu_count(struct nri_markup *m, double v);

/* The same formats into a caller's buffer (NUL-terminated, truncated to
 * size): for labels measured before they are written. */
void nri_fmt_num(char *out, size_t size, double v, int decimals);
void nri_fmt_coord(char *out, size_t size, double v, int decimals);

/* Display width of s[0..len) in ems: about 0.55 for Latin letters, 1 for
 * CJK and other wide characters.  For label layout. */
double nri_text_width_em(const char *s, size_t len);

/* The language tag a label in s needs for the right CJK glyphs: "ja" when
 * it holds kana, "ko" for Hangul, "zh" for Han only, "th" for Thai, ""
 * otherwise (static storage). */
const char *nri_script_lang(const char *s, size_t len);

#endif
