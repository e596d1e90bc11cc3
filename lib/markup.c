/*
 * markup.c - HTML/SVG text writer (see markup.h).
 *
 * Numbers are formatted by hand from integers: printf's %f follows
 * LC_NUMERIC, and narrate may run under any locale (a decimal comma in an
 * SVG coordinate breaks the chart), while integer conversions without the
 * ' flag do not depend on the locale.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "narrate.h"
#include "markup.h"
#include "utf8.h"

void nri_mu_init(struct nri_markup *m, size_t limit)
{
	nri_buf_init(&m->b, limit);
	m->rc = NR_OK;
}

void nri_mu_release(struct nri_markup *m)
{
	nri_buf_release(&m->b);
}

void nri_mu_rawn(struct nri_markup *m, const char *s, size_t len)
{
	if (!m->rc && len)
		m->rc = nri_buf_add(&m->b, s, len);
}

void nri_mu_raw(struct nri_markup *m, const char *s)
{
	nri_mu_rawn(m, s, strlen(s));
}

void nri_mu_printf(struct nri_markup *m, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	if (m->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		m->rc = NR_EINTERNAL;
		return;
	}
	if ((size_t)n < sizeof(tmp)) {
		nri_mu_rawn(m, tmp, (size_t)n);
		return;
	}
	/* longer than the stack buffer: format into the page directly */
	if ((m->rc = nri_buf_grow(&m->b, (size_t)n + 1)))
		return;
	va_start(ap, fmt);
	vsnprintf(m->b.data + m->b.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m->b.len += (size_t)n;
}

void nri_mu_text(struct nri_markup *m, const char *s, size_t len)
{
	size_t i = 0, run = 0;

	while (i < len && !m->rc) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t start = i;

		if (c < 0x80) {
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			case '\t':
			case '\n': break;
			default:
				if (c < 0x20 || c == 0x7f)
					rep = "";
			}
			i++;
		} else {
			int32_t cp = nri_utf8_next(s, len, &i);

			/* U+FFFE/FFFF and surrogates are no XML characters */
			if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
			    cp == 0xFFFF || (cp >= 0x80 && cp < 0xA0))
				rep = cp < 0 ? "\xEF\xBF\xBD" : "";
			if (i == start)
				i++;
		}
		if (rep) {
			nri_mu_rawn(m, s + start - run, run);
			nri_mu_raw(m, rep);
			run = 0;
		} else {
			run += i - start;
		}
	}
	nri_mu_rawn(m, s + len - run, run);
}

void nri_mu_texts(struct nri_markup *m, const char *s)
{
	if (s)
		nri_mu_text(m, s, strlen(s));
}

static const long long pow10_tab[] = {1,      10,      100,	 1000,	    10000,
				      100000, 1000000, 10000000, 100000000, 1000000000};

void nri_fmt_num(char *out, size_t size, double v, int decimals)
{
	long long r, ip, fp;
	double scaled;
	int neg;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	if (!isfinite(v)) {
		snprintf(out, size, "n/a");
		return;
	}
	scaled = v * (double)pow10_tab[decimals];
	if (fabs(scaled) >= 9e18) {
		snprintf(out, size, "%s", v < 0 ? "-1e18+" : "1e18+");
		return;
	}
	r = (long long)floor(fabs(scaled) + 0.5);
	neg = scaled < 0 && r != 0;
	ip = r / pow10_tab[decimals];
	fp = r % pow10_tab[decimals];
	if (decimals)
		snprintf(out, size, "%s%lld.%0*lld", neg ? "-" : "", ip, decimals, fp);
	else
		snprintf(out, size, "%s%lld", neg ? "-" : "", ip);
}

void nri_fmt_coord(char *out, size_t size, double v, int decimals)
{
	char *dot;
	size_t n;

	if (!isfinite(v))
		v = 0;
	nri_fmt_num(out, size, v, decimals);
	dot = strchr(out, '.');
	if (!dot)
		return;
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}

void nri_mu_num(struct nri_markup *m, double v, int decimals)
{
	char tmp[48];

	nri_fmt_num(tmp, sizeof(tmp), v, decimals);
	nri_mu_raw(m, tmp);
}

void nri_mu_coord(struct nri_markup *m, double v, int decimals)
{
	char tmp[48];

	nri_fmt_coord(tmp, sizeof(tmp), v, decimals);
	nri_mu_raw(m, tmp);
}

void nri_mu_pct(struct nri_markup *m, double share, int decimals)
{
	if (!isfinite(share)) {
		nri_mu_raw(m, "n/a");
		return;
	}
	nri_mu_num(m, share * 100, decimals);
	nri_mu_raw(m, "%");
}

void nri_mu_count(struct nri_markup *m, double v)
{
	char tmp[48], out[64];
	size_t n, k = 0, lead;

	if (!isfinite(v)) {
		nri_mu_raw(m, "n/a");
		return;
	}
	nri_fmt_num(tmp, sizeof(tmp), v, 0);
	n = strlen(tmp);
	lead = tmp[0] == '-';
	for (size_t i = 0; i < n && k + 2 < sizeof(out); i++) {
		if (i > lead && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = tmp[i];
	}
	out[k] = '\0';
	nri_mu_raw(m, out);
}

double nri_text_width_em(const char *s, size_t len)
{
	double w = 0;
	size_t i = 0;

	while (i < len) {
		size_t before = i;
		int32_t cp = nri_utf8_next(s, len, &i);

		if (i == before)
			i++;
		if (cp < 0)
			w += 0.6;
		else if (cp >= 0x1100 &&
			 ((cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
			  (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) ||
			  cp >= 0x20000 || cp <= 0x115F))
			w += 1.0;
		else if (cp == 'i' || cp == 'l' || cp == 'j' || cp == '\'' || cp == '.' ||
			 cp == ',' || cp == ' ' || cp == 'I' || cp == 't' || cp == 'f')
			w += 0.3;
		else if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W')
			w += 0.85;
		else if (cp >= 'A' && cp <= 'Z')
			w += 0.66;
		else
			w += 0.56;
	}
	return w;
}

const char *nri_script_lang(const char *s, size_t len)
{
	int han = 0, kana = 0, hangul = 0, thai = 0;
	size_t i = 0;

	while (i < len) {
		size_t before = i;
		int32_t cp = nri_utf8_next(s, len, &i);

		if (i == before)
			i++;
		if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
		    (cp >= 0xFF66 && cp <= 0xFF9F))
			kana = 1;
		else if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
			 (cp >= 0x3130 && cp <= 0x318F))
			hangul = 1;
		else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
			 (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF))
			han = 1;
		else if (cp >= 0x0E00 && cp <= 0x0E7F)
			thai = 1;
	}
	if (kana)
		return "ja";
	if (hangul)
		return "ko";
	if (han)
		return "zh";
	if (thai)
		return "th";
	return "";
}
