/*
 * svg.h - chart primitives for report.html: inline SVG written through a
 * markup writer, with coordinates in the C locale and every chart carrying
 * role="img", a <title> and a <desc>.
 */
#ifndef NR_SVG_H
#define NR_SVG_H

#include <stddef.h>

#include "markup.h"

/* Open <svg> of w x h user units with id, role="img" and a <title>; the
 * caller then writes the description text and calls nri_svg_desc_end. */
void nri_svg_begin(struct nri_markup *m, const char *id, double w, double h, const char *title);
void nri_svg_desc_end(struct nri_markup *m);
void nri_svg_end(struct nri_markup *m);

/* A label.  anchor: "start", "middle", "end" or NULL; cls: CSS class or
 * NULL; lang: language tag or NULL/"" for none; rotate: degrees about
 * (x, y), 0 for none. */
void nri_svg_text(struct nri_markup *m, double x, double y, const char *anchor, const char *cls,
		  const char *lang, double rotate, const char *s);
void nri_svg_line(struct nri_markup *m, double x1, double y1, double x2, double y2,
		  const char *cls);
/* fill: a colour or NULL (then cls decides); tip: a tooltip (<title>) or
 * NULL, written escaped. */
void nri_svg_rect(struct nri_markup *m, double x, double y, double w, double h, const char *cls,
		  const char *fill, const char *tip);
void nri_svg_circle(struct nri_markup *m, double cx, double cy, double r, const char *cls,
		    const char *fill, const char *tip);

/* A colour of a sequential ramp (light yellow to dark blue) for t in
 * [0, 1], as "#rrggbb". */
void nri_svg_ramp(double t, char out[8]);
/* 1 if text on the ramp colour at t should be white. */
int nri_svg_ramp_dark(double t);

/* Up to max "nice" tick values (1, 2, 5 times a power of ten) covering
 * [lo, hi]; returns how many were written to ticks. */
size_t nri_svg_ticks(double lo, double hi, size_t max, double *ticks);

/* Linear map of [d0, d1] onto [r0, r1]; a degenerate domain maps to the
 * middle of the range. */
double nri_svg_scale(double v, double d0, double d1, double r0, double r1);

#endif
