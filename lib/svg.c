/*
 * svg.c - chart primitives for report.html (see svg.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg.h"

void nri_svg_begin(struct nri_markup *m, const char *id, double w, double h, const char *title)
{
	nri_mu_printf(m,
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%s\" "
		      "role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 ",
		      id, id, id);
	nri_mu_coord(m, w, 1);
	nri_mu_raw(m, " ");
	nri_mu_coord(m, h, 1);
	nri_mu_raw(m, "\" width=\"");
	nri_mu_coord(m, w, 1);
	nri_mu_raw(m, "\" height=\"");
	nri_mu_coord(m, h, 1);
	nri_mu_printf(m, "\"><title id=\"%s-t\">", id);
	nri_mu_texts(m, title);
	nri_mu_printf(m, "</title><desc id=\"%s-d\">", id);
}

void nri_svg_desc_end(struct nri_markup *m)
{
	nri_mu_raw(m, "</desc>\n");
}

void nri_svg_end(struct nri_markup *m)
{
	nri_mu_raw(m, "</svg>\n");
}

static void attr_num(struct nri_markup *m, const char *name, double v)
{
	nri_mu_printf(m, " %s=\"", name);
	nri_mu_coord(m, v, 1);
	nri_mu_raw(m, "\"");
}

void nri_svg_text(struct nri_markup *m, double x, double y, const char *anchor, const char *cls,
		  const char *lang, double rotate, const char *s)
{
	nri_mu_raw(m, "<text");
	attr_num(m, "x", x);
	attr_num(m, "y", y);
	if (anchor && strcmp(anchor, "start"))
		nri_mu_printf(m, " text-anchor=\"%s\"", anchor);
	if (cls)
		nri_mu_printf(m, " class=\"%s\"", cls);
	if (lang && *lang) {
		nri_mu_raw(m, " lang=\"");
		nri_mu_texts(m, lang);
		nri_mu_raw(m, "\"");
	}
	if (rotate != 0) {
		nri_mu_raw(m, " transform=\"rotate(");
		nri_mu_coord(m, rotate, 1);
		nri_mu_raw(m, " ");
		nri_mu_coord(m, x, 1);
		nri_mu_raw(m, " ");
		nri_mu_coord(m, y, 1);
		nri_mu_raw(m, ")\"");
	}
	nri_mu_raw(m, ">");
	nri_mu_texts(m, s);
	nri_mu_raw(m, "</text>\n");
}

void nri_svg_line(struct nri_markup *m, double x1, double y1, double x2, double y2, const char *cls)
{
	nri_mu_raw(m, "<line");
	attr_num(m, "x1", x1);
	attr_num(m, "y1", y1);
	attr_num(m, "x2", x2);
	attr_num(m, "y2", y2);
	if (cls)
		nri_mu_printf(m, " class=\"%s\"", cls);
	nri_mu_raw(m, "/>\n");
}

static void close_shape(struct nri_markup *m, const char *elem, const char *tip)
{
	if (!tip) {
		nri_mu_raw(m, "/>\n");
		return;
	}
	nri_mu_raw(m, "><title>");
	nri_mu_texts(m, tip);
	nri_mu_printf(m, "</title></%s>\n", elem);
}

void nri_svg_rect(struct nri_markup *m, double x, double y, double w, double h, const char *cls,
		  const char *fill, const char *tip)
{
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	nri_mu_raw(m, "<rect");
	attr_num(m, "x", x);
	attr_num(m, "y", y);
	attr_num(m, "width", w);
	attr_num(m, "height", h);
	if (cls)
		nri_mu_printf(m, " class=\"%s\"", cls);
	if (fill)
		nri_mu_printf(m, " fill=\"%s\"", fill);
	close_shape(m, "rect", tip);
}

void nri_svg_circle(struct nri_markup *m, double cx, double cy, double r, const char *cls,
		    const char *fill, const char *tip)
{
	nri_mu_raw(m, "<circle");
	attr_num(m, "cx", cx);
	attr_num(m, "cy", cy);
	attr_num(m, "r", r);
	if (cls)
		nri_mu_printf(m, " class=\"%s\"", cls);
	if (fill)
		nri_mu_printf(m, " fill=\"%s\"", fill);
	close_shape(m, "circle", tip);
}

/* ColorBrewer YlGnBu (Brewer, colorbrewer2.org, Apache-2.0 licence),
 * five stops, interpolated in RGB. */
static const unsigned char ramp[5][3] = {
	{0xff, 0xff, 0xd9}, {0xc7, 0xe9, 0xb4}, {0x41, 0xb6, 0xc4},
	{0x22, 0x5e, 0xa8}, {0x08, 0x1d, 0x58},
};

void nri_svg_ramp(double t, char out[8])
{
	double x;
	int i, rgb[3];

	if (!isfinite(t) || t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	x = t * 4;
	i = (int)floor(x);
	if (i >= 4)
		i = 3;
	x -= i;
	for (int k = 0; k < 3; k++)
		rgb[k] = (int)floor(ramp[i][k] + (ramp[i + 1][k] - ramp[i][k]) * x + 0.5);
	snprintf(out, 8, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

int nri_svg_ramp_dark(double t)
{
	return isfinite(t) && t > 0.55;
}

size_t nri_svg_ticks(double lo, double hi, size_t max, double *ticks)
{
	double span, raw, mag, step, start;
	size_t n = 0;

	if (!isfinite(lo) || !isfinite(hi) || max == 0)
		return 0;
	if (hi < lo) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	span = hi - lo;
	if (span <= 0) {
		ticks[0] = lo;
		return 1;
	}
	raw = span / (double)(max > 1 ? max - 1 : 1);
	mag = pow(10, floor(log10(raw)));
	step = raw / mag <= 1	? mag
	       : raw / mag <= 2 ? 2 * mag
	       : raw / mag <= 5 ? 5 * mag
				: 10 * mag;
	start = ceil(lo / step - 1e-9) * step;
	for (double v = start; v <= hi + step * 1e-9 && n < max; v += step) {
		double r = floor(v / step + 0.5) * step;

		ticks[n++] = r == 0 ? 0 : r;
	}
	return n;
}

double nri_svg_scale(double v, double d0, double d1, double r0, double r1)
{
	if (!(d1 != d0) || !isfinite(d0) || !isfinite(d1))
		return (r0 + r1) / 2;
	return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
}
