/*
 * report_html.c - report.html: one self-contained page drawn from a report
 * folder (docs/report.md).
 *
 * Everything is static HTML and inline SVG computed here, so the page reads
 * with JavaScript off, prints to PDF as vectors and makes no request (its
 * Content-Security-Policy forbids any); a few lines of inline script only
 * sort tables and switch the city panels.  The page is well-formed XML
 * (polyglot HTML), which lets the tests check it with xmllint.  Layout is
 * computed from the data alone: the same folder gives the same bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "narrate.h"
#include "alloc.h"
#include "hclust.h"
#include "index_def.h"
#include "markup.h"
#include "mds.h"
#include "report.h"
#include "svg.h"

#define PAGE_LIMIT ((size_t)64 << 20)
#define W	   880.0 /* chart width in user units */
#define SMALL_DOCS 10	 /* fewer documents: measures flagged as noisy */

/* What the page calls its groups (docs/report.md, "Any grouping").  With
 * the default --group-by city they are cities, and the page reads as it
 * always has; otherwise the noun is made of the keys ("platform",
 * "city-month"), else it is "group".  Chosen once per page (group_noun),
 * so each sentence names the unit it counts. */
struct gnoun {
	char one[64], many[64]; /* "city", "cities" */
	char One[64], Many[64]; /* the same, capitalised */
	char by[160];		/* the title's ", by city and month"; "" for cities */
	int city;		/* the groups are cities */
	int has_city;		/* city is one of the keys: groups have a region */
};

struct page {
	struct nri_markup m;
	struct nri_report_data *d;
	size_t top;
	struct gnoun g;
	char line[2048]; /* say()'s scratch */
};

/* ---- the groups' noun ------------------------------------------------------ */

/* The --group-by keys of narrate analyze (docs/analyze.md) as words. */
static const char *const key_words[][3] = {
	{"city", "city", "cities"},
	{"platform", "platform", "platforms"},
	{"month", "month", "months"},
	{"lang", "language", "languages"},
	{"author_type", "author type", "author types"},
	{"media", "media form", "media forms"},
};

static long key_word(const char *key)
{
	for (size_t i = 0; i < sizeof(key_words) / sizeof(key_words[0]); i++)
		if (!strcmp(key_words[i][0], key))
			return (long)i;
	return -1;
}

static void capitalise(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
	if (*dst >= 'a' && *dst <= 'z')
		*dst = (char)(*dst - 'a' + 'A');
}

/* One key: its word ("platform").  Two one-word keys: a compound whose
 * last part takes the plural ("city-month", "city-months"), as a group id
 * joins its values ("110000|2024-05").  Anything else: "group". */
static void group_noun(struct gnoun *g, const struct nri_report_data *d)
{
	long w[NRI_REPORT_MAX_KEYS];
	int known = 1;
	size_t len = 0;

	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < d->nkeys; i++) {
		w[i] = key_word(d->keys[i]);
		known &= w[i] >= 0;
		g->has_city |= !strcmp(d->keys[i], "city");
	}
	g->city = d->nkeys == 1 && g->has_city;
	if (known && d->nkeys == 1) {
		snprintf(g->one, sizeof(g->one), "%s", key_words[w[0]][1]);
		snprintf(g->many, sizeof(g->many), "%s", key_words[w[0]][2]);
	} else if (known && d->nkeys == 2 && !strchr(key_words[w[0]][1], ' ') &&
		   !strchr(key_words[w[1]][1], ' ')) {
		snprintf(g->one, sizeof(g->one), "%s-%s", key_words[w[0]][1], key_words[w[1]][1]);
		snprintf(g->many, sizeof(g->many), "%s-%s", key_words[w[0]][1], key_words[w[1]][2]);
	} else {
		snprintf(g->one, sizeof(g->one), "group");
		snprintf(g->many, sizeof(g->many), "groups");
	}
	capitalise(g->One, sizeof(g->One), g->one);
	capitalise(g->Many, sizeof(g->Many), g->many);
	/* ", by city, platform and month" */
	for (size_t i = 0; !g->city && i < d->nkeys && len + 1 < sizeof(g->by); i++)
		len += (size_t)snprintf(g->by + len, sizeof(g->by) - len, "%s%s",
					!i		    ? ", by "
					: i + 1 == d->nkeys ? " and "
							    : ", ",
					w[i] >= 0 ? key_words[w[i]][1] : d->keys[i]);
}

/* Text with the page's nouns in it, for the writers that escape it
 * (para, absent, fig_caption, chart labels): formatted into p->line,
 * which the next call reuses. */
static const char *say(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *say(struct page *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->line, sizeof(p->line), fmt, ap);
	va_end(ap);
	return p->line;
}

/* ---- small helpers ------------------------------------------------------ */

static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

static size_t shown(const struct page *p)
{
	return p->d->n < p->top ? p->d->n : p->top;
}

/* A city's name as HTML: the label language's name, and the Chinese name
 * after it when the label is not already Chinese. */
static void h_city(struct page *p, const struct nri_rcity *c)
{
	struct nri_markup *m = &p->m;
	const char *lab = nri_rlabel(p->d, c);

	if (c->label_lang && *c->label_lang)
		nri_mu_printf(m, "<span lang=\"%s\">", c->label_lang);
	else
		nri_mu_raw(m, "<span>");
	nri_mu_texts(m, lab);
	nri_mu_raw(m, "</span>");
	if (c->name_zh && lab != c->name_zh) {
		nri_mu_raw(m, " <span lang=\"zh-Hans\" class=\"zh\">");
		nri_mu_texts(m, c->name_zh);
		nri_mu_raw(m, "</span>");
	} else if (lab == c->name_zh && c->name && strcmp(c->name, c->name_zh)) {
		nri_mu_raw(m, " <span class=\"zh\"");
		if (c->name_lang && *c->name_lang)
			nri_mu_printf(m, " lang=\"%s\"", c->name_lang);
		nri_mu_raw(m, ">");
		nri_mu_texts(m, c->name);
		nri_mu_raw(m, "</span>");
	}
}

/* A label in a chart for city c. */
static void svg_city(struct page *p, const struct nri_rcity *c, double x, double y,
		     const char *anchor, const char *cls)
{
	nri_svg_text(&p->m, x, y, anchor, cls, c->label_lang, 0, nri_rlabel(p->d, c));
}

static double label_w(const struct page *p, const struct nri_rcity *c, double px)
{
	const char *s = nri_rlabel(p->d, c);

	return nri_text_width_em(s, strlen(s)) * px;
}

/* The widest city label among idx[0..n), in user units at 11px. */
static double labels_w(const struct page *p, const size_t *idx, size_t n)
{
	double w = 0;

	for (size_t i = 0; i < n; i++)
		w = dmax(w, label_w(p, &p->d->c[idx[i]], 11));
	return w;
}

static void sec_begin(struct page *p, const char *id, const char *title)
{
	nri_mu_printf(&p->m, "<section id=\"%s\">\n<h2>", id);
	nri_mu_texts(&p->m, title);
	nri_mu_raw(&p->m, "</h2>\n");
}

static void sec_end(struct page *p)
{
	nri_mu_raw(&p->m, "</section>\n");
}

/* A paragraph of trusted text (no markup characters in it). */
static void para(struct page *p, const char *cls, const char *text)
{
	if (cls)
		nri_mu_printf(&p->m, "<p class=\"%s\">", cls);
	else
		nri_mu_raw(&p->m, "<p>");
	nri_mu_texts(&p->m, text);
	nri_mu_raw(&p->m, "</p>\n");
}

/* An empty section's explanation: why there is no chart and what to do. */
static void absent(struct page *p, const char *why)
{
	para(p, "absent", why);
}

static void fig_begin(struct page *p)
{
	nri_mu_raw(&p->m, "<figure>\n");
}

static void fig_caption(struct page *p, const char *text)
{
	nri_mu_raw(&p->m, "<p class=\"figcap\">");
	nri_mu_texts(&p->m, text);
	nri_mu_raw(&p->m, "</p>\n");
}

static void fig_end(struct page *p)
{
	nri_mu_raw(&p->m, "</figure>\n");
}

/* <details> with a sortable table; cols is a '|'-separated header. */
static void tbl_begin(struct page *p, const char *summary, const char *cols)
{
	struct nri_markup *m = &p->m;
	const char *s = cols;

	nri_mu_raw(m, "<details class=\"data\"><summary>");
	nri_mu_texts(m, summary);
	nri_mu_raw(m, "</summary>\n<table class=\"sortable\"><thead><tr>");
	while (*s) {
		const char *e = strchr(s, '|');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		nri_mu_raw(m, "<th scope=\"col\" tabindex=\"0\">");
		nri_mu_text(m, s, len);
		nri_mu_raw(m, "</th>");
		s += len;
		if (*s == '|')
			s++;
	}
	nri_mu_raw(m, "</tr></thead>\n<tbody>\n");
}

static void tbl_end(struct page *p, const char *note)
{
	nri_mu_raw(&p->m, "</tbody></table>\n");
	if (note)
		para(p, "note", note);
	nri_mu_raw(&p->m, "</details>\n");
}

static void td_num(struct page *p, double v, int dec)
{
	struct nri_markup *m = &p->m;

	if (!isfinite(v)) {
		nri_mu_raw(m, "<td class=\"n\" data-v=\"\">-</td>");
		return;
	}
	nri_mu_raw(m, "<td class=\"n\" data-v=\"");
	nri_mu_coord(m, v, 6);
	nri_mu_raw(m, "\">");
	nri_mu_num(m, v, dec);
	nri_mu_raw(m, "</td>");
}

static void td_city(struct page *p, const struct nri_rcity *c)
{
	nri_mu_raw(&p->m, "<td>");
	h_city(p, c);
	nri_mu_raw(&p->m, "</td>");
}

static void td_text(struct page *p, const char *s, const char *lang)
{
	if (lang && *lang)
		nri_mu_printf(&p->m, "<td lang=\"%s\">", lang);
	else
		nri_mu_raw(&p->m, "<td>");
	nri_mu_texts(&p->m, s ? s : "");
	nri_mu_raw(&p->m, "</td>");
}

/* Format a number into a static-free caller buffer: for tooltips. */
static void tipf(char *out, size_t size, const char *label, double v, int dec, const char *unit)
{
	char num[48];

	nri_fmt_num(num, sizeof(num), v, dec);
	snprintf(out, size, "%s: %s%s", label, num, unit ? unit : "");
}

/* Region colours (Okabe-Ito palette, colour-blind safe). */
static const char *region_colour(const char *r)
{
	if (!r)
		return "#999999";
	if (!strcmp(r, "east"))
		return "#0072b2";
	if (!strcmp(r, "central"))
		return "#e69f00";
	if (!strcmp(r, "west"))
		return "#009e73";
	if (!strcmp(r, "northeast"))
		return "#cc79a7";
	if (!strcmp(r, "north"))
		return "#0072b2";
	if (!strcmp(r, "south"))
		return "#d55e00";
	return "#999999";
}

static void legend_regions(struct page *p, double x, double y)
{
	static const char *const r[] = {"east", "central", "west", "northeast", NULL};

	for (size_t i = 0; r[i] || i == 4; i++) {
		const char *name = r[i] ? r[i] : "other / unknown";

		nri_svg_circle(&p->m, x + 6, y - 4, 5, "pt", region_colour(r[i]), NULL);
		nri_svg_text(&p->m, x + 15, y, NULL, "lbl", NULL, 0, name);
		x += 22 + nri_text_width_em(name, strlen(name)) * 11;
		if (!r[i])
			break;
	}
}

/* Greedy label placement: a label is drawn right of its point, else left,
 * else not at all, never over one already placed.  Boxes: x0,y0,x1,y1. */
struct boxes {
	double *b;
	size_t n, cap;
};

static int box_free(const struct boxes *bx, double x0, double y0, double x1, double y1)
{
	for (size_t i = 0; i < bx->n; i++) {
		const double *q = bx->b + 4 * i;

		if (x0 < q[2] && q[0] < x1 && y0 < q[3] && q[1] < y1)
			return 0;
	}
	return 1;
}

static int box_add(struct boxes *bx, double x0, double y0, double x1, double y1)
{
	if (bx->n == bx->cap) {
		size_t ncap = bx->cap ? bx->cap * 2 : 64;
		double *q = nri_realloc(bx->b, ncap * 4 * sizeof(*q));

		if (!q)
			return NR_ENOMEM;
		bx->b = q;
		bx->cap = ncap;
	}
	bx->b[4 * bx->n] = x0;
	bx->b[4 * bx->n + 1] = y0;
	bx->b[4 * bx->n + 2] = x1;
	bx->b[4 * bx->n + 3] = y1;
	bx->n++;
	return NR_OK;
}

/* Place city labels next to points (px, py) of cities idx[0..n), in order
 * of priority; at most max labels.  Points are obstacles too. */
static void place_labels(struct page *p, const size_t *idx, const double *px, const double *py,
			 size_t n, size_t max, double xmin, double xmax)
{
	struct boxes bx = {NULL, 0, 0};
	size_t placed = 0;

	for (size_t i = 0; i < n; i++)
		if (box_add(&bx, px[i] - 3, py[i] - 3, px[i] + 3, py[i] + 3)) {
			p->m.rc = NR_ENOMEM;
			goto out;
		}
	for (size_t i = 0; i < n && placed < max; i++) {
		const struct nri_rcity *c = &p->d->c[idx[i]];
		double w = label_w(p, c, 11), h = 12;
		double rx0 = px[i] + 6, ry0 = py[i] - h / 2 - 1;
		double lx0 = px[i] - 6 - w;

		/* our own point is in bx: skip it by starting past it */
		if (rx0 + w <= xmax && box_free(&bx, rx0, ry0, rx0 + w, ry0 + h)) {
			svg_city(p, c, rx0, py[i] + 4, NULL, "lbl");
			if (box_add(&bx, rx0, ry0, rx0 + w, ry0 + h))
				p->m.rc = NR_ENOMEM;
			placed++;
		} else if (lx0 >= xmin && box_free(&bx, lx0, ry0, lx0 + w, ry0 + h)) {
			svg_city(p, c, px[i] - 6, py[i] + 4, "end", "lbl");
			if (box_add(&bx, lx0, ry0, lx0 + w, ry0 + h))
				p->m.rc = NR_ENOMEM;
			placed++;
		}
	}
out:
	nri_free(bx.b);
}

/* A horizontal axis with nice ticks at y, from x0 to x1 for [lo, hi]. */
static void x_axis(struct page *p, double lo, double hi, double x0, double x1, double y, double gy0,
		   int dec, const char *unit_pct)
{
	double t[12];
	size_t nt = nri_svg_ticks(lo, hi, 7, t);

	nri_svg_line(&p->m, x0, y, x1, y, "axis");
	for (size_t i = 0; i < nt; i++) {
		double x = nri_svg_scale(t[i], lo, hi, x0, x1);
		char lab[48];

		if (gy0 < y)
			nri_svg_line(&p->m, x, gy0, x, y, "grid");
		nri_svg_line(&p->m, x, y, x, y + 4, "axis");
		if (unit_pct) {
			nri_fmt_num(lab, sizeof(lab) - 1, t[i] * 100, dec);
			strcat(lab, "%");
		} else {
			nri_fmt_coord(lab, sizeof(lab), t[i], dec);
		}
		nri_svg_text(&p->m, x, y + 16, "middle", "tick", NULL, 0, lab);
	}
}

static void y_axis(struct page *p, double lo, double hi, double y0, double y1, double x, double gx1,
		   int dec, int pct)
{
	double t[12];
	size_t nt = nri_svg_ticks(lo, hi, 6, t);

	nri_svg_line(&p->m, x, y0, x, y1, "axis");
	for (size_t i = 0; i < nt; i++) {
		double y = nri_svg_scale(t[i], lo, hi, y0, y1);
		char lab[48];

		if (gx1 > x)
			nri_svg_line(&p->m, x, y, gx1, y, "grid");
		nri_svg_line(&p->m, x - 4, y, x, y, "axis");
		if (pct) {
			nri_fmt_num(lab, sizeof(lab) - 1, t[i] * 100, dec);
			strcat(lab, "%");
		} else {
			nri_fmt_coord(lab, sizeof(lab), t[i], dec);
		}
		nri_svg_text(&p->m, x - 6, y + 4, "end", "tick", NULL, 0, lab);
	}
}

/* ---- page frame ------------------------------------------------------------ */

static const char css[] =
	"body{margin:0;background:#fff;color:#1b1b1b;font:15px/1.5 \"Noto Sans\",\"DejaVu Sans\","
	"\"Noto Sans CJK SC\",sans-serif}\n"
	":lang(zh),:lang(zh-Hans){font-family:\"Noto Sans CJK SC\",\"Noto Sans\",sans-serif}\n"
	":lang(zh-Hant){font-family:\"Noto Sans CJK TC\",\"Noto Sans\",sans-serif}\n"
	":lang(ja){font-family:\"Noto Sans CJK JP\",\"Noto Sans\",sans-serif}\n"
	":lang(ko){font-family:\"Noto Sans CJK KR\",\"Noto Sans\",sans-serif}\n"
	"main{max-width:920px;margin:0 auto;padding:0 16px 48px}\n"
	"header{background:#0b2540;color:#fff;padding:20px 16px}\n"
	"header div{max-width:920px;margin:0 auto}\n"
	"header h1{margin:0;font-size:26px}header p{margin:4px 0 0;color:#cfe0f2}\n"
	"nav{max-width:920px;margin:8px auto 0;padding:0 16px;font-size:14px}\n"
	"nav a{margin-right:12px;color:#225ea8;text-decoration:none}\n"
	"h2{margin:36px 0 8px;padding-top:8px;border-top:2px solid #0b2540;font-size:21px}\n"
	"h3{font-size:16px;margin:20px 0 6px}\n"
	".tiles{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}\n"
	".tile{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:120px}\n"
	".tile b{display:block;font-size:22px}.tile span{color:#555;font-size:13px}\n"
	"ul.findings li{margin:4px 0}\n"
	"figure{margin:12px 0 20px}.figcap{font-size:13px;color:#444;margin-top:4px}\n"
	"svg.chart{max-width:100%;height:auto;display:block}\n"
	"svg.chart text{font-size:11px;fill:#1b1b1b}\n"
	"svg.chart text.tick{font-size:10px;fill:#555}\n"
	"svg.chart text.ttl{font-size:12px;font-weight:bold}\n"
	"svg.chart text.val{font-size:10px}svg.chart text.inv{font-size:10px;fill:#fff}\n"
	"svg.chart text.q{font-size:11px;fill:#777;font-style:italic}\n"
	".axis{stroke:#333;stroke-width:1}.grid{stroke:#e3e3e3;stroke-width:1}\n"
	".ref{stroke:#888;stroke-width:1;stroke-dasharray:4 3}\n"
	".whisk{stroke:#225ea8;stroke-width:2}.conn{stroke:#999;stroke-width:2}\n"
	".dend{stroke:#555;stroke-width:1;fill:none}\n"
	".bar{fill:#225ea8}.bar2{fill:#d55e00}.cell{stroke:#fff;stroke-width:0.5}\n"
	".pt{stroke:#fff;stroke-width:0.8}.hollow{fill:#fff;stroke:#225ea8;stroke-width:1.5}\n"
	".dot{fill:#225ea8}.area{fill:#c7e9b4;fill-opacity:0.6}\n"
	".curve{fill:none;stroke:#225ea8;stroke-width:2}\n"
	"details.data{margin:6px 0 14px;font-size:13px}\n"
	"details.data summary{cursor:pointer;color:#225ea8}\n"
	"table{border-collapse:collapse;margin:6px 0}th,td{padding:2px 8px;text-align:left;"
	"border-bottom:1px solid #e3e3e3}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"th{cursor:pointer;background:#f4f6f8}\n"
	".zh{color:#555}.note{color:#555;font-size:13px}\n"
	"i:lang(zh),i:lang(ja),i:lang(ko){font-style:normal}\n"
	".absent{background:#fff8e1;border-left:4px solid #e69f00;padding:8px 12px}\n"
	".panels select{font-size:14px;margin:6px 0}\n"
	"footer{max-width:920px;margin:0 auto;padding:16px;color:#666;font-size:12px;"
	"border-top:1px solid #ddd}\n"
	"@media print{header{background:none;color:#000}header p{color:#333}nav,"
	".panels label{display:none}"
	".kpanel[hidden]{display:block}section{break-inside:auto}figure{break-inside:avoid}"
	"h2{break-after:avoid}body{font-size:11pt}}\n";

/* Inline script: sort a table by a clicked header; show one keyness panel
 * at a time.  Without it every panel shows, one after the other. */
static const char js[] =
	"(function(){\n"
	"function key(td){var v=td.getAttribute('data-v');"
	"if(v!==null&&v!==''&&!isNaN(+v))return +v;return null}\n"
	"var ts=document.querySelectorAll('table.sortable');\n"
	"for(var i=0;i<ts.length;i++)(function(t){var hs=t.tHead.rows[0].cells;\n"
	"for(var j=0;j<hs.length;j++)(function(h,col){h.addEventListener('click',function(){\n"
	"var asc=h.getAttribute('data-dir')!=='asc';h.setAttribute('data-dir',asc?'asc':'desc');\n"
	"for(var q=0;q<hs.length;q++)hs[q].removeAttribute('aria-sort');\n"
	"h.setAttribute('aria-sort',asc?'ascending':'descending');\n"
	"var b=t.tBodies[0],rs=Array.prototype.slice.call(b.rows);\n"
	"rs.sort(function(r1,r2){var a=r1.cells[col],c=r2.cells[col],x=key(a),y=key(c),d;\n"
	"if(x!==null&&y!==null)d=x-y;else if(x!==null)d=-1;else if(y!==null)d=1;\n"
	"else d=a.textContent.localeCompare(c.textContent);return asc?d:-d});\n"
	"for(var k=0;k<rs.length;k++)b.appendChild(rs[k])});\n"
	"h.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){\n"
	"e.preventDefault();h.click()}})})(hs[j],j)})(ts[i]);\n"
	"var sel=document.getElementById('kp-select');\n"
	"if(sel){var ps=document.querySelectorAll('.kpanel');\n"
	"var show=function(){for(var "
	"k=0;k<ps.length;k++)ps[k].hidden=ps[k].id!=='kp-'+sel.value};\n"
	"sel.addEventListener('change',show);sel.parentNode.parentNode.hidden=false;show()}\n"
	"})();\n";

static void page_head(struct page *p, const char *title)
{
	struct nri_markup *m = &p->m;

	nri_mu_raw(m, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
		      "<head>\n<meta charset=\"utf-8\"/>\n"
		      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\"/>\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		      "<meta name=\"generator\" content=\"narrate ");
	nri_mu_texts(m, nr_version());
	nri_mu_raw(m, "\"/>\n<title>");
	nri_mu_texts(m, title);
	nri_mu_raw(m, "</title>\n<style>\n");
	nri_mu_raw(m, css);
	nri_mu_raw(m, "</style>\n</head>\n<body>\n");
}

static void page_foot(struct page *p, const char *timestamp)
{
	struct nri_markup *m = &p->m;

	nri_mu_raw(m, "</main>\n<footer>Drawn by narrate ");
	nri_mu_texts(m, nr_version());
	nri_mu_raw(m, " from the files of this folder; regenerate with <code>narrate report "
		      "FOLDER</code>. Charts are inline SVG; the page loads nothing from the "
		      "network. See docs/report.md and docs/measures.md for how every number "
		      "is defined.");
	if (timestamp) {
		nri_mu_raw(m, " Generated ");
		nri_mu_texts(m, timestamp);
		nri_mu_raw(m, ".");
	}
	nri_mu_raw(m, "</footer>\n<script>//<![CDATA[\n");
	nri_mu_raw(m, js);
	nri_mu_raw(m, "//]]></script>\n</body>\n</html>\n");
}

/* ---- overview ------------------------------------------------------------- */

static json_int_t jint(json_t *o, const char *a, const char *b)
{
	json_t *v = o ? json_object_get(o, a) : NULL;

	if (v && b)
		v = json_object_get(v, b);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static void tile(struct page *p, double v, const char *what)
{
	nri_mu_raw(&p->m, "<div class=\"tile\"><b>");
	nri_mu_count(&p->m, v);
	nri_mu_raw(&p->m, "</b><span>");
	nri_mu_texts(&p->m, what);
	nri_mu_raw(&p->m, "</span></div>\n");
}

/* Counts of a per-group map (languages, platforms) summed over groups,
 * most first: writes "en 52%, zh 31%, ..." (top 6). */
static void map_shares(struct page *p, const char *field)
{
	struct {
		const char *k;
		double v;
	} e[64];
	size_t n = 0;
	double total = 0;

	for (size_t i = 0; i < p->d->n; i++) {
		json_t *g = json_array_get(json_object_get(p->d->measures, "groups"), i);
		json_t *mp = json_object_get(g, field), *v;
		const char *k;

		json_object_foreach(mp, k, v)
		{
			size_t j;

			if (!json_is_number(v))
				continue;
			for (j = 0; j < n && strcmp(e[j].k, k); j++)
				;
			if (j == n) {
				if (n == sizeof(e) / sizeof(e[0]))
					continue;
				e[n].k = k;
				e[n++].v = 0;
			}
			e[j].v += json_number_value(v);
			total += json_number_value(v);
		}
	}
	/* insertion sort: most first, then by key */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 && (e[j].v > e[j - 1].v ||
			       (e[j].v == e[j - 1].v && strcmp(e[j].k, e[j - 1].k) < 0));
		     j--) {
			const char *tk = e[j].k;
			double tv = e[j].v;

			e[j].k = e[j - 1].k;
			e[j].v = e[j - 1].v;
			e[j - 1].k = tk;
			e[j - 1].v = tv;
		}
	if (!n || total <= 0) {
		nri_mu_raw(&p->m, "none recorded");
		return;
	}
	for (size_t i = 0; i < n && i < 6; i++) {
		if (i)
			nri_mu_raw(&p->m, ", ");
		nri_mu_texts(&p->m, e[i].k);
		nri_mu_raw(&p->m, " ");
		nri_mu_pct(&p->m, e[i].v / total, 0);
	}
	if (n > 6)
		nri_mu_printf(&p->m, " and %zu more", n - 6);
}

/* The city with the largest (dir 1) or smallest (dir -1) value of a
 * measure among cities with at least SMALL_DOCS documents (all cities when
 * none has); -1 when no city has it. */
static long extreme(const struct page *p, const char *measure, int dir)
{
	long best = -1;
	int big = 0;

	for (size_t i = 0; i < p->d->n; i++)
		big |= p->d->c[i].docs >= SMALL_DOCS;
	for (size_t k = 0; k < p->d->n; k++) {
		size_t i = p->d->by_docs[k];
		double v = nri_rmeasure(&p->d->c[i], measure);

		if (!isfinite(v) || (big && p->d->c[i].docs < SMALL_DOCS))
			continue;
		if (best < 0 || (dir > 0 ? v > nri_rmeasure(&p->d->c[best], measure)
					 : v < nri_rmeasure(&p->d->c[best], measure)))
			best = (long)i;
	}
	return best;
}

static void tags_inline(struct page *p, const struct nri_rcity *c, size_t max)
{
	size_t n = json_array_size(c->tags);

	for (size_t i = 0; i < n && i < max; i++) {
		const char *t = json_string_value(json_array_get(c->tags, i));
		const char *l;

		if (!t)
			continue;
		l = nri_script_lang(t, strlen(t));
		nri_mu_raw(&p->m, i ? ", " : "");
		if (*l)
			nri_mu_printf(&p->m, "<i lang=\"%s\">", l);
		else
			nri_mu_raw(&p->m, "<i>");
		nri_mu_texts(&p->m, t);
		nri_mu_raw(&p->m, "</i>");
	}
}

static double doc_total(const struct page *p)
{
	double s = 0;

	for (size_t i = 0; i < p->d->n; i++)
		s += p->d->c[i].docs;
	return s;
}

static double conc_gini(const struct page *p)
{
	json_t *g = json_object_get(
		json_object_get(json_object_get(p->d->conc, "concentration"), "documents"), "gini");

	if (!g) /* concentration.json missing: measures.json's copy */
		g = json_object_get(
			json_object_get(json_object_get(json_object_get(p->d->measures, "corpus"),
							"concentration"),
					"documents"),
			"gini");
	return json_is_number(g) ? json_number_value(g) : NAN;
}

static void overview(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	json_int_t read = jint(d->manifest, "documents", "read");
	json_int_t rejected = jint(d->manifest, "documents", "rejected");
	json_int_t analysed = jint(json_object_get(d->measures, "corpus"), "documents", NULL);
	double total = doc_total(p), tokens = 0;
	long i1, i2;
	size_t small = 0;

	for (size_t i = 0; i < d->n; i++) {
		double t = nri_rmeasure(&d->c[i], "tokens");

		if (isfinite(t))
			tokens += t;
		small += d->c[i].docs < SMALL_DOCS;
	}
	sec_begin(p, "overview", "Overview");
	nri_mu_raw(m, "<div class=\"tiles\">\n");
	if (analysed >= 0)
		tile(p, (double)analysed, "documents analysed");
	if (read >= 0)
		tile(p, (double)read, "documents read");
	if (rejected >= 0)
		tile(p, (double)rejected, "rejected (rejects.jsonl)");
	if (p->g.city)
		tile(p, (double)d->n, d->n == 1 ? "city (group)" : "cities (groups)");
	else
		tile(p, (double)d->n, d->n == 1 ? p->g.one : p->g.many);
	tile(p, tokens, "word tokens");
	nri_mu_raw(m, "</div>\n<p><b>Languages:</b> ");
	map_shares(p, "languages");
	nri_mu_raw(m, ". <b>Platforms:</b> ");
	map_shares(p, "platforms");
	nri_mu_printf(m, ". Shares count a document once per %s it is attributed to.</p>\n",
		      p->g.one);
	if (d->n == 0) {
		absent(p,
		       p->g.has_city
			       ? "No document was attributed to a city, so there is nothing to "
				 "compare: check the city field of the corpus or the city lexicon "
				 "(docs/analyze.md)."
			       : "No document was analysed, so there is nothing to compare.");
		sec_end(p);
		return;
	}
	nri_mu_raw(m, "<h3>What stands out</h3>\n<ul class=\"findings\">\n");
	/* attention */
	if (d->n >= 2 && total > 0) {
		double top = 0, g = conc_gini(p);
		size_t k = d->n < 3 ? d->n - 1 : 3;

		for (size_t i = 0; i < k; i++)
			top += d->c[d->by_docs[i]].docs;
		nri_mu_raw(m, "<li>Attention is ");
		nri_mu_raw(m, !isfinite(g) ? ""
			      : g >= 0.6   ? "highly concentrated: "
			      : g >= 0.35  ? "concentrated: "
					   : "fairly evenly spread: ");
		nri_mu_printf(m, "the top %zu %s %s (", k, k == 1 ? p->g.one : p->g.many,
			      k == 1 ? "has" : "have");
		for (size_t i = 0; i < k; i++) {
			nri_mu_raw(m, i ? (i + 1 == k ? " and " : ", ") : "");
			h_city(p, &d->c[d->by_docs[i]]);
		}
		nri_mu_raw(m, ") ");
		nri_mu_pct(m, top / total, 0);
		nri_mu_printf(m, " of the documents of %zu %s", d->n, p->g.many);
		if (isfinite(g)) {
			nri_mu_raw(m, "; Gini ");
			nri_mu_num(m, g, 2);
		}
		nri_mu_raw(m, ".</li>\n");
	} else if (d->n == 1) {
		nri_mu_printf(m, "<li>One %s only: ", p->g.one);
		h_city(p, &d->c[0]);
		nri_mu_printf(m,
			      ". Comparisons between %s (similarity, gaps, concentration) "
			      "need at least two.</li>\n",
			      p->g.many);
	}
	/* ranking */
	{
		long best = -1;
		size_t overlap = 0;

		for (size_t i = 0; i < d->n; i++)
			if (d->c[i].ranked && isfinite(d->c[i].rank_median) &&
			    (best < 0 || d->c[i].rank_median < d->c[best].rank_median ||
			     (d->c[i].rank_median == d->c[best].rank_median &&
			      d->c[i].rank < d->c[best].rank)))
				best = (long)i;
		if (best >= 0) {
			const struct nri_rcity *b = &d->c[best];

			for (size_t i = 0; i < d->n; i++)
				if ((long)i != best && d->c[i].ranked &&
				    d->c[i].rank_p05 <= b->rank_p95)
					overlap++;
			nri_mu_raw(m, "<li>");
			h_city(p, b);
			nri_mu_raw(m, " leads the index: median rank ");
			nri_mu_num(m, b->rank_median, 1);
			nri_mu_raw(m, ", 90% of the Monte Carlo runs between ");
			nri_mu_num(m, b->rank_p05, 0);
			nri_mu_raw(m, " and ");
			nri_mu_num(m, b->rank_p95, 0);
			if (overlap)
				nri_mu_printf(m, "; %zu other %s could also be placed that high.",
					      overlap, overlap == 1 ? p->g.one : p->g.many);
			else
				nri_mu_printf(m, "; no other %s reaches its interval.", p->g.one);
			nri_mu_raw(m, "</li>\n");
		}
	}
	/* distinctiveness */
	{
		const char *meas = nri_rhas_measure(d, "distinctiveness") ? "distinctiveness"
									  : "distinct_share";
		long b = extreme(p, meas, 1);

		if (b >= 0) {
			nri_mu_raw(m, "<li>The most distinctive vocabulary: ");
			h_city(p, &d->c[b]);
			if (!strcmp(meas, "distinct_share")) {
				nri_mu_raw(m, " (");
				nri_mu_pct(m, nri_rmeasure(&d->c[b], meas), 0);
				nri_mu_raw(m, " of its content words are key terms");
			} else {
				nri_mu_raw(m, " (distinctiveness index ");
				nri_mu_num(m, nri_rmeasure(&d->c[b], meas), 2);
			}
			if (json_array_size(d->c[b].tags)) {
				nri_mu_raw(m, ": ");
				tags_inline(p, &d->c[b], 5);
			}
			nri_mu_raw(m, ").</li>\n");
		}
	}
	/* the most alike pair */
	if (d->n >= 2 && d->cos) {
		long a = -1, b = -1;
		double best = -1;
		int big = 0;

		for (size_t i = 0; i < d->n; i++)
			big |= d->c[i].docs >= SMALL_DOCS;
		for (size_t i = 0; i < d->n; i++)
			for (size_t j = i + 1; j < d->n; j++) {
				double v = d->cos[i * d->n + j];

				if (big && (d->c[i].docs < SMALL_DOCS || d->c[j].docs < SMALL_DOCS))
					continue;
				if (isfinite(v) && v > best) {
					best = v;
					a = (long)i;
					b = (long)j;
				}
			}
		if (a >= 0) {
			nri_mu_printf(m, "<li>The two most alike %s: ", p->g.many);
			h_city(p, &d->c[a]);
			nri_mu_raw(m, " and ");
			h_city(p, &d->c[b]);
			nri_mu_raw(m, " (tf-idf cosine ");
			nri_mu_num(m, best, 2);
			nri_mu_raw(m, ").</li>\n");
		}
	}
	/* narrative range */
	i1 = extreme(p, "frame_hill1", 1);
	i2 = extreme(p, "frame_hill1", -1);
	if (i1 >= 0 && i2 >= 0 && i1 != i2) {
		nri_mu_raw(m, "<li>Narrative range: ");
		h_city(p, &d->c[i1]);
		nri_mu_raw(m, " uses the widest range of frames (");
		nri_mu_num(m, nri_rmeasure(&d->c[i1], "frame_hill1"), 1);
		nri_mu_raw(m, " effective frames), ");
		h_city(p, &d->c[i2]);
		nri_mu_raw(m, " the narrowest (");
		nri_mu_num(m, nri_rmeasure(&d->c[i2], "frame_hill1"), 1);
		nri_mu_raw(m, ").</li>\n");
	}
	/* tone */
	i1 = extreme(p, "tone_net", 1);
	i2 = extreme(p, "tone_net", -1);
	if (i1 >= 0 && i2 >= 0 && i1 != i2) {
		nri_mu_raw(m, "<li>Tone: the most positive is ");
		h_city(p, &d->c[i1]);
		nri_mu_raw(m, " (net ");
		nri_mu_num(m, nri_rmeasure(&d->c[i1], "tone_net"), 3);
		nri_mu_raw(m, "), the least ");
		h_city(p, &d->c[i2]);
		nri_mu_raw(m, " (");
		nri_mu_num(m, nri_rmeasure(&d->c[i2], "tone_net"), 3);
		nri_mu_raw(m, ").</li>\n");
	}
	/* north and south */
	{
		double sn = 0, ss = 0;
		size_t nn = 0, ns = 0;

		for (size_t i = 0; i < d->n; i++) {
			if (d->c[i].ns && !strcmp(d->c[i].ns, "north")) {
				sn += d->c[i].docs;
				nn++;
			} else if (d->c[i].ns && !strcmp(d->c[i].ns, "south")) {
				ss += d->c[i].docs;
				ns++;
			}
		}
		if (nn && ns) {
			nri_mu_printf(m, "<li>North and south: %zu southern %s have ", ns,
				      p->g.many);
			nri_mu_num(m, ss / (double)ns, 1);
			nri_mu_printf(m, " documents per %s, %zu northern %s ", p->g.one, nn,
				      p->g.many);
			nri_mu_num(m, sn / (double)nn, 1);
			nri_mu_raw(m, ".</li>\n");
		}
	}
	/* interaction: one-way output is a finding of the studies */
	i1 = extreme(p, "interaction_rate", 1);
	if (i1 >= 0) {
		double sum = 0;
		size_t cnt = 0;

		for (size_t i = 0; i < d->n; i++) {
			double v = nri_rmeasure(&d->c[i], "interaction_rate");

			if (isfinite(v)) {
				sum += v;
				cnt++;
			}
		}
		nri_mu_raw(m, "<li>Interaction: on average ");
		nri_mu_pct(m, sum / (double)cnt, 0);
		nri_mu_printf(m, " of a %s's posts ask, invite or reply; most in ", p->g.one);
		h_city(p, &d->c[i1]);
		nri_mu_raw(m, " (");
		nri_mu_pct(m, nri_rmeasure(&d->c[i1], "interaction_rate"), 0);
		nri_mu_raw(m, ").</li>\n");
	}
	/* homogeneity */
	i1 = extreme(p, "homogeneity", 1);
	if (i1 >= 0) {
		nri_mu_raw(m, "<li>The most homogeneous content: ");
		h_city(p, &d->c[i1]);
		nri_mu_raw(m, " (homogeneity index ");
		nri_mu_num(m, nri_rmeasure(&d->c[i1], "homogeneity"), 2);
		nri_mu_raw(m, ").</li>\n");
	}
	if (small) {
		size_t k = 0;

		nri_mu_printf(m,
			      "<li>%zu %s %s fewer than %d documents; %s measures are noisy and "
			      "drawn hollow in the dot plots: ",
			      small, small == 1 ? p->g.one : p->g.many, small == 1 ? "has" : "have",
			      SMALL_DOCS, small == 1 ? "its" : "their");
		for (size_t j = d->n; j-- > 0 && k < 8;) {
			const struct nri_rcity *c = &d->c[d->by_docs[j]];

			if (c->docs >= SMALL_DOCS)
				continue;
			nri_mu_raw(m, k ? ", " : "");
			h_city(p, c);
			k++;
		}
		nri_mu_raw(m, small > k ? ", ...</li>\n" : ".</li>\n");
	}
	nri_mu_raw(m, "</ul>\n");
	sec_end(p);
}

/* ---- attention --------------------------------------------------------------- */

/* Lorenz curve of documents over cities (Lorenz 1905), with the Gini
 * coefficient of concentration.json (docs/measures.md) as twice the area
 * between the curve and the line of equality. */
static void attention(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	double total = doc_total(p), g = conc_gini(p);
	size_t n = d->n, top = shown(p);

	sec_begin(p, "attention", say(p, "Attention: documents per %s", p->g.one));
	para(p, NULL,
	     say(p,
		 "How many documents each %s gets, and how unequally attention is shared "
		 "(the head effect). The Lorenz curve puts %s from the least to the most "
		 "covered: the further it sags below the diagonal, the more a few %s take.",
		 p->g.one, p->g.many, p->g.many));
	if (n < 2 || total <= 0) {
		absent(p, n < 2 ? say(p, "One %s only: concentration over %s needs at least two.",
				      p->g.one, p->g.many)
				: say(p, "No documents were attributed to %s.", p->g.many));
		sec_end(p);
		return;
	}
	fig_begin(p);
	{
		double x0 = 60, y0 = 20, side = 300, cum = 0;

		nri_svg_begin(m, "lorenz", 420, 370,
			      say(p, "Lorenz curve of documents over %s", p->g.many));
		nri_mu_printf(m, "Lorenz curve of %zu %s; Gini ", n, p->g.many);
		nri_mu_num(m, g, 3);
		nri_mu_raw(m, ". The diagonal is perfect equality.");
		nri_svg_desc_end(m);
		nri_mu_raw(m, "<path class=\"area\" d=\"M");
		nri_mu_coord(m, x0, 1);
		nri_mu_raw(m, " ");
		nri_mu_coord(m, y0 + side, 1);
		for (size_t k = n; k-- > 0;) {
			cum += d->c[d->by_docs[k]].docs;
			nri_mu_raw(m, " L");
			nri_mu_coord(m, x0 + side * (double)(n - k) / (double)n, 1);
			nri_mu_raw(m, " ");
			nri_mu_coord(m, y0 + side - side * cum / total, 1);
		}
		nri_mu_raw(m, " Z\"/>\n");
		x_axis(p, 0, 1, x0, x0 + side, y0 + side, y0, 0, "%");
		y_axis(p, 0, 1, y0 + side, y0, x0, x0 + side, 0, 1);
		nri_svg_line(m, x0, y0 + side, x0 + side, y0, "ref");
		cum = 0;
		nri_mu_raw(m, "<polyline class=\"curve\" points=\"");
		nri_mu_coord(m, x0, 1);
		nri_mu_raw(m, ",");
		nri_mu_coord(m, y0 + side, 1);
		for (size_t k = n; k-- > 0;) {
			cum += d->c[d->by_docs[k]].docs;
			nri_mu_raw(m, " ");
			nri_mu_coord(m, x0 + side * (double)(n - k) / (double)n, 1);
			nri_mu_raw(m, ",");
			nri_mu_coord(m, y0 + side - side * cum / total, 1);
		}
		nri_mu_raw(m, "\"/>\n");
		nri_svg_text(m, x0 + side / 2, y0 + side + 34, "middle", NULL, NULL, 0,
			     say(p, "share of %s (least covered first)", p->g.many));
		nri_svg_text(m, 16, y0 + side / 2, "middle", NULL, NULL, -90, "share of documents");
		{
			char lab[64];

			tipf(lab, sizeof(lab), "Gini", g, 3, NULL);
			nri_svg_text(m, x0 + 12, y0 + 14, NULL, "ttl", NULL, 0, lab);
		}
		nri_svg_end(m);
	}
	fig_caption(p, say(p,
			   "Lorenz curve of documents over %s; Gini from concentration.json "
			   "(0: every %s equal, towards 1: one %s has everything). %s",
			   p->g.many, p->g.one, p->g.one,
			   p->g.has_city ? "A document attributed to several cities counts once "
					   "for each."
					 : "Each document counts once, in its own group."));
	fig_end(p);
	/* bars */
	fig_begin(p);
	{
		double lw = labels_w(p, d->by_docs, top) + 12, x0 = lw, x1 = W - 60, rh = 16;
		double h = 30 + rh * (double)top + 30, maxv = d->c[d->by_docs[0]].docs;

		nri_svg_begin(m, "docbars", W, h, say(p, "Documents per %s", p->g.one));
		nri_mu_printf(m,
			      "Bar chart of documents for the %zu %s with most documents, "
			      "largest first.",
			      top, p->g.many);
		nri_svg_desc_end(m);
		x_axis(p, 0, maxv, x0, x1, 20 + rh * (double)top + 4, 20, 0, NULL);
		for (size_t k = 0; k < top; k++) {
			const struct nri_rcity *c = &d->c[d->by_docs[k]];
			double y = 20 + rh * (double)k,
			       bw = nri_svg_scale(c->docs, 0, maxv, 0, x1 - x0);
			char tip[96], num[32];

			svg_city(p, c, x0 - 6, y + 11, "end", NULL);
			tipf(tip, sizeof(tip), nri_rlabel(d, c), c->docs, 0, " documents");
			nri_svg_rect(m, x0, y + 2, bw, rh - 4, "bar", NULL, tip);
			nri_fmt_num(num, sizeof(num), c->docs, 0);
			nri_svg_text(m, x0 + bw + 4, y + 11, NULL, "val", NULL, 0, num);
		}
		nri_svg_end(m);
	}
	if (top < n)
		nri_mu_printf(
			m,
			"<p class=\"figcap\">The %zu %s with most documents of %zu; all are in "
			"cities.csv.</p>\n",
			top, p->g.many, n);
	{
		char hdr[128];

		snprintf(hdr, sizeof(hdr), "%s|documents|share|cumulative share", p->g.one);
		tbl_begin(p, say(p, "Data: documents per %s", p->g.one), hdr);
	}
	{
		double cum = 0;

		for (size_t k = 0; k < n && k < 2 * p->top; k++) {
			const struct nri_rcity *c = &d->c[d->by_docs[k]];

			cum += c->docs;
			nri_mu_raw(m, "<tr>");
			td_city(p, c);
			td_num(p, c->docs, 0);
			td_num(p, c->docs / total, 3);
			td_num(p, cum / total, 3);
			nri_mu_raw(m, "</tr>\n");
		}
	}
	tbl_end(p, n > 2 * p->top ? say(p,
					"The table lists the %s with most documents; "
					"cities.csv has all.",
					p->g.many)
				  : NULL);
	fig_end(p);
	sec_end(p);
}

/* ---- ranking ------------------------------------------------------------------ */

static int cmp_rank(const void *x, const void *y, const struct nri_report_data *d)
{
	const struct nri_rcity *a = &d->c[*(const size_t *)x], *b = &d->c[*(const size_t *)y];

	if (a->rank_median != b->rank_median)
		return a->rank_median < b->rank_median ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Sort idx[0..n) with a comparator that needs the data: an insertion
 * sort, stable and free of globals (n is a few hundred). */
static void sort_idx(size_t *idx, size_t n, const struct nri_report_data *d,
		     int (*cmp)(const void *, const void *, const struct nri_report_data *))
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(&idx[j], &idx[j - 1], d) < 0; j--) {
			size_t t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

static void ranking(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	size_t *idx, n = 0, top;
	double maxr = 1;

	sec_begin(p, "ranking", "Ranking with uncertainty");
	para(p, NULL,
	     say(p,
		 "Where each %s lands on the composite index of narrate score, and how "
		 "firmly: the dot is the median rank over the Monte Carlo runs (weights and "
		 "normalisations perturbed), the line spans 90%% of the runs (5th to 95th "
		 "percentile). Overlapping lines mean the order between those %s is not "
		 "settled.",
		 p->g.one, p->g.many));
	if (!d->ranking.path) {
		absent(p, "No ranking.csv in this folder: no composite index was computed. Run "
			  "'narrate score FOLDER/measures.json --index content_quality -o "
			  "FOLDER/ranking.csv', then 'narrate report FOLDER' (docs/scoring.md).");
		sec_end(p);
		return;
	}
	idx = nri_malloc((d->n ? d->n : 1) * sizeof(*idx));
	if (!idx) {
		m->rc = NR_ENOMEM;
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].ranked && isfinite(d->c[i].rank_median)) {
			idx[n++] = i;
			maxr = dmax(maxr, dmax(d->c[i].rank_p95, d->c[i].rank));
		}
	if (!n) {
		absent(p, say(p,
			      "ranking.csv names none of the %s of measures.json: was it made "
			      "from another analysis?",
			      p->g.many));
		nri_free(idx);
		sec_end(p);
		return;
	}
	sort_idx(idx, n, d, cmp_rank);
	top = n < p->top ? n : p->top;
	fig_begin(p);
	{
		double lw = labels_w(p, idx, top) + 12, x0 = lw, x1 = W - 20, rh = 17;
		double h = 30 + rh * (double)top + 36;

		nri_svg_begin(m, "rankchart", W, h, "Ranking with Monte Carlo rank intervals");
		nri_mu_printf(m,
			      "Dot plot of median rank with 5-95%% whiskers for %zu %s, best "
			      "first.",
			      top, p->g.many);
		nri_svg_desc_end(m);
		x_axis(p, 1, maxr, x0, x1, 20 + rh * (double)top + 4, 20, 0, NULL);
		if (maxr > 7) { /* nice ticks start at 5 or 10: mark the best rank */
			nri_svg_line(m, x0, 20 + rh * (double)top + 4, x0,
				     20 + rh * (double)top + 8, "axis");
			nri_svg_text(m, x0, 20 + rh * (double)top + 20, "middle", "tick", NULL, 0,
				     "1");
		}
		nri_svg_text(m, (x0 + x1) / 2, h - 4, "middle", NULL, NULL, 0,
			     "rank (1 = best); dot: median, line: 5th-95th percentile");
		for (size_t k = 0; k < top; k++) {
			const struct nri_rcity *c = &d->c[idx[k]];
			double y = 20 + rh * (double)k + rh / 2;
			char tip[160], a[24], b[24], md[24];

			svg_city(p, c, x0 - 6, y + 4, "end", NULL);
			nri_svg_line(m, nri_svg_scale(c->rank_p05, 1, maxr, x0, x1), y,
				     nri_svg_scale(c->rank_p95, 1, maxr, x0, x1), y, "whisk");
			nri_fmt_num(md, sizeof(md), c->rank_median, 1);
			nri_fmt_num(a, sizeof(a), c->rank_p05, 1);
			nri_fmt_num(b, sizeof(b), c->rank_p95, 1);
			snprintf(tip, sizeof(tip), "%s: median rank %s (5%%: %s, 95%%: %s)",
				 nri_rlabel(d, c), md, a, b);
			nri_svg_circle(m, nri_svg_scale(c->rank_median, 1, maxr, x0, x1), y, 4.5,
				       "dot", NULL, tip);
		}
		nri_svg_end(m);
	}
	if (top < n)
		nri_mu_printf(m,
			      "<p class=\"figcap\">The best %zu of %zu ranked %s; ranking.csv has "
			      "all.</p>\n",
			      top, n, p->g.many);
	tbl_begin(p, "Data: ranking",
		  say(p, "rank|%s|score|median rank|5%% rank|95%% rank", p->g.one));
	for (size_t k = 0; k < n; k++) {
		const struct nri_rcity *c = &d->c[idx[k]];

		nri_mu_raw(m, "<tr>");
		td_num(p, c->rank, 0);
		td_city(p, c);
		td_num(p, c->score, 3);
		td_num(p, c->rank_median, 1);
		td_num(p, c->rank_p05, 1);
		td_num(p, c->rank_p95, 1);
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, NULL);
	fig_end(p);
	nri_free(idx);
	sec_end(p);
}

/* ---- cities x categories heatmap ------------------------------------------------ */

struct catcol {
	const char *key;
	double total;
};

static int cmp_catcol(const void *x, const void *y)
{
	const struct catcol *a = x, *b = y;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return strcmp(a->key, b->key);
}

static json_t *cat_map(const struct nri_rcity *c, const char *field)
{
	return !strcmp(field, "topics") ? c->topics : c->frames;
}

static double cat_share(const struct nri_rcity *c, const char *field, const char *key)
{
	json_t *v = json_object_get(cat_map(c, field), key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A readable name for a category path: "topic/events_sports" ->
 * "events sports". */
static void cat_label(const char *key, char *out, size_t size)
{
	const char *s = strchr(key, '/');
	size_t k = 0;

	s = s ? s + 1 : key;
	for (; *s && k + 1 < size; s++)
		out[k++] = *s == '_' || *s == '/' ? ' ' : *s;
	out[k] = '\0';
}

/* Cities (the top by documents) as rows, sorted by their dominant category
 * (the column where their share is largest), then by that share; columns
 * by their share over all documents.  The seriation puts cities that lead
 * with the same category together. */
static void heatmap(struct page *p, const char *field, const char *id, const char *title,
		    const char *file)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	struct catcol *col = NULL;
	size_t ncol = 0, cap = 0, top = shown(p), *rows = NULL, *dom = NULL;
	double maxv = 0, total = doc_total(p);

	for (size_t i = 0; i < d->n; i++) {
		const char *k;
		json_t *v;

		json_object_foreach(cat_map(&d->c[i], field), k, v)
		{
			const char *sl = strchr(k, '/');
			size_t j;

			if (!sl || strchr(sl + 1, '/') || !json_is_number(v))
				continue;
			for (j = 0; j < ncol && strcmp(col[j].key, k); j++)
				;
			if (j == ncol) {
				if (ncol == cap) {
					size_t nc = cap ? cap * 2 : 32;
					struct catcol *q = nri_realloc(col, nc * sizeof(*q));

					if (!q) {
						m->rc = NR_ENOMEM;
						nri_free(col);
						return;
					}
					col = q;
					cap = nc;
				}
				col[ncol].key = k;
				col[ncol++].total = 0;
			}
			col[j].total += json_number_value(v) * d->c[i].docs;
		}
	}
	if (!ncol) {
		absent(p, !strcmp(field, "topics")
				  ? "No topic was found in any document (or the analysis ran with "
				    "--topics none), so there is no topic profile to draw."
				  : "No narrative frame was found in any document (or the analysis "
				    "ran "
				    "with --frames none).");
		nri_free(col);
		return;
	}
	qsort(col, ncol, sizeof(*col), cmp_catcol);
	rows = nri_malloc(top * sizeof(*rows) + 1);
	dom = nri_malloc(top * sizeof(*dom) + 1);
	if (!rows || !dom) {
		m->rc = NR_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < top; k++) {
		const struct nri_rcity *c = &d->c[d->by_docs[k]];
		double best = -1;

		rows[k] = d->by_docs[k];
		dom[k] = ncol;
		for (size_t j = 0; j < ncol; j++) {
			double v = cat_share(c, field, col[j].key);

			if (isfinite(v) && v > best) {
				best = v;
				dom[k] = j;
			}
			if (isfinite(v))
				maxv = dmax(maxv, v);
		}
	}
	/* insertion sort by (dominant column, its share desc, id) */
	for (size_t i = 1; i < top; i++)
		for (size_t j = i; j > 0; j--) {
			const struct nri_rcity *a = &d->c[rows[j]], *b = &d->c[rows[j - 1]];
			double va = dom[j] < ncol ? cat_share(a, field, col[dom[j]].key) : -1;
			double vb =
				dom[j - 1] < ncol ? cat_share(b, field, col[dom[j - 1]].key) : -1;
			int before = dom[j] != dom[j - 1] ? dom[j] < dom[j - 1]
				     : va != vb		  ? va > vb
							  : strcmp(a->id, b->id) < 0;
			size_t t;

			if (!before)
				break;
			t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
			t = dom[j];
			dom[j] = dom[j - 1];
			dom[j - 1] = t;
		}
	fig_begin(p);
	{
		double lw = labels_w(p, rows, top) + 12, head = 110, rh = 18;
		double cw = dmin(64, (W - lw - 10) / (double)ncol),
		       h = head + rh * (double)top + 40;
		char hid[32];

		snprintf(hid, sizeof(hid), "%s-map", id);
		nri_svg_begin(m, hid, W, h, title);
		nri_mu_printf(m,
			      "Heatmap of %zu %s by %zu categories; darker cells are larger "
			      "shares of the %s's documents.",
			      top, p->g.many, ncol, p->g.one);
		nri_svg_desc_end(m);
		for (size_t j = 0; j < ncol; j++) {
			char lab[96];

			cat_label(col[j].key, lab, sizeof(lab));
			nri_svg_text(m, lw + cw * (double)j + cw / 2 + 3, head - 6, NULL, NULL,
				     NULL, -45, lab);
		}
		for (size_t k = 0; k < top; k++) {
			const struct nri_rcity *c = &d->c[rows[k]];
			double y = head + rh * (double)k;

			svg_city(p, c, lw - 6, y + 13, "end", NULL);
			for (size_t j = 0; j < ncol; j++) {
				double v = cat_share(c, field, col[j].key),
				       t = maxv > 0 ? v / maxv : 0;
				char fill[8], tip[160], lab[96], pct[24];

				cat_label(col[j].key, lab, sizeof(lab));
				nri_svg_ramp(t, fill);
				nri_fmt_num(pct, sizeof(pct), v * 100, 1);
				snprintf(tip, sizeof(tip), "%s, %s: %s%% of documents",
					 nri_rlabel(d, c), lab, isfinite(v) ? pct : "n/a");
				nri_svg_rect(m, lw + cw * (double)j, y, cw, rh, "cell",
					     isfinite(v) ? fill : "#eeeeee", tip);
				if (cw >= 30 && isfinite(v) && v > 0) {
					nri_fmt_num(pct, sizeof(pct), v * 100, 0);
					nri_svg_text(m, lw + cw * (double)j + cw / 2, y + 13,
						     "middle", nri_svg_ramp_dark(t) ? "inv" : "val",
						     NULL, 0, pct);
				}
			}
		}
		{
			/* legend: the ramp from 0 to the largest share */
			double lx = lw, ly = head + rh * (double)top + 14;
			char lab[32];

			for (int s = 0; s < 10; s++) {
				char fill[8];

				nri_svg_ramp((s + 0.5) / 10, fill);
				nri_svg_rect(m, lx + 16 * s, ly, 16, 10, NULL, fill, NULL);
			}
			nri_svg_text(m, lx, ly + 22, NULL, "tick", NULL, 0, "0%");
			nri_fmt_num(lab, sizeof(lab) - 1, maxv * 100, 0);
			strcat(lab, "%");
			nri_svg_text(m, lx + 160, ly + 22, "end", "tick", NULL, 0, lab);
			nri_svg_text(m, lx + 170, ly + 9, NULL, "tick", NULL, 0,
				     say(p, "share of the %s's documents (numbers: %%)", p->g.one));
		}
		nri_svg_end(m);
	}
	{
		fig_caption(p, say(p,
				   "Rows: %s %s%s; sorted by each %s's leading category, then its "
				   "share. Columns: by share over all documents. A document can "
				   "fall under several categories. %s has every category and %s.",
				   top < d->n ? "the" : "every", top < d->n ? p->g.many : p->g.one,
				   top < d->n ? " with most documents" : "", p->g.one, file,
				   p->g.one));
	}
	{
		char hdr[4096];
		size_t hl;

		snprintf(hdr, sizeof(hdr), "%s|documents", p->g.one);
		hl = strlen(hdr);
		for (size_t j = 0; j < ncol && hl + 100 < sizeof(hdr); j++) {
			char lab[96];

			cat_label(col[j].key, lab, sizeof(lab));
			hl += (size_t)snprintf(hdr + hl, sizeof(hdr) - hl, "|%s", lab);
		}
		tbl_begin(p, "Data: shares of documents (%)", hdr);
		for (size_t k = 0; k < top; k++) {
			const struct nri_rcity *c = &d->c[rows[k]];

			nri_mu_raw(m, "<tr>");
			td_city(p, c);
			td_num(p, c->docs, 0);
			for (size_t j = 0; j < ncol; j++)
				td_num(p, cat_share(c, field, col[j].key) * 100, 1);
			nri_mu_raw(m, "</tr>\n");
		}
		(void)total;
		tbl_end(p, NULL);
	}
	fig_end(p);
out:
	nri_free(col);
	nri_free(rows);
	nri_free(dom);
}

static void topics(struct page *p)
{
	sec_begin(p, "topics", say(p, "Topics by %s", p->g.one));
	para(p, NULL,
	     say(p,
		 "What %s%s %s about: the share of its documents that touch "
		 "each topic of the topic lexicon (top level). %s that lead with the same "
		 "topic are next to each other.",
		 p->g.city ? "each " : "the documents of each ", p->g.one,
		 p->g.city ? "is talked" : "are", p->g.Many));
	if (p->d->n == 0) {
		absent(p, say(p, "No %s to draw.", p->g.one));
	} else {
		char title[96];

		snprintf(title, sizeof(title), "%s by topics", p->g.Many);
		heatmap(p, "topics", "topics", title, "topics.csv");
	}
	sec_end(p);
}

/* ---- dot plots -------------------------------------------------------------------- */

struct dotrow {
	size_t i;
	double v;
};

static int cmp_dotrow(const void *x, const void *y)
{
	const struct dotrow *a = x, *b = y;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Cleveland dot plot of one measure, largest first; cities with fewer than
 * SMALL_DOCS documents hollow.  Only cities with the measure defined. */
static void dotplot(struct page *p, const char *id, const char *measure, const char *title,
		    const char *axis, int dec)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	struct dotrow *r = nri_malloc((d->n ? d->n : 1) * sizeof(*r));
	size_t n = 0, top, *idx = NULL;
	double lo = INFINITY, hi = -INFINITY;

	if (!r) {
		m->rc = NR_ENOMEM;
		return;
	}
	for (size_t k = 0; k < d->n; k++) {
		size_t i = d->by_docs[k];
		double v = nri_rmeasure(&d->c[i], measure);

		if (!isfinite(v) || k >= 2 * p->top)
			continue;
		r[n].i = i;
		r[n++].v = v;
	}
	if (!n) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "%s is not defined for any %s here (too few tokens or no lexicon "
			 "hits; docs/measures.md).",
			 measure, p->g.one);
		absent(p, msg);
		nri_free(r);
		return;
	}
	qsort(r, n, sizeof(*r), cmp_dotrow);
	top = n < p->top ? n : p->top;
	idx = nri_malloc(top * sizeof(*idx));
	if (!idx) {
		m->rc = NR_ENOMEM;
		nri_free(r);
		return;
	}
	for (size_t k = 0; k < top; k++) {
		idx[k] = r[k].i;
		lo = dmin(lo, r[k].v);
		hi = dmax(hi, r[k].v);
	}
	if (lo > 0 && lo < hi * 0.5)
		lo = 0;
	{
		double pad = (hi - lo) * 0.05 + (hi == lo ? fabs(hi) * 0.1 + 0.01 : 0);

		lo -= pad;
		hi += pad;
	}
	fig_begin(p);
	{
		double lw = labels_w(p, idx, top) + 12, x0 = lw, x1 = W - 20, rh = 16;
		double h = 20 + rh * (double)top + 40;

		nri_svg_begin(m, id, W, h, title);
		nri_mu_printf(m,
			      "Dot plot of %s for %zu %s, largest first; hollow dots: fewer "
			      "than %d documents.",
			      measure, top, p->g.many, SMALL_DOCS);
		nri_svg_desc_end(m);
		x_axis(p, lo, hi, x0, x1, 20 + rh * (double)top + 4, 20, dec, NULL);
		nri_svg_text(m, (x0 + x1) / 2, h - 4, "middle", NULL, NULL, 0, axis);
		for (size_t k = 0; k < top; k++) {
			const struct nri_rcity *c = &d->c[idx[k]];
			double y = 20 + rh * (double)k + rh / 2;
			char tip[128];

			svg_city(p, c, x0 - 6, y + 4, "end", NULL);
			nri_svg_line(m, x0, y, nri_svg_scale(r[k].v, lo, hi, x0, x1), y, "grid");
			tipf(tip, sizeof(tip), nri_rlabel(d, c), r[k].v, dec + 1, NULL);
			nri_svg_circle(m, nri_svg_scale(r[k].v, lo, hi, x0, x1), y, 4.5,
				       c->docs < SMALL_DOCS ? "hollow" : "dot", NULL, tip);
		}
		nri_svg_end(m);
	}
	if (top < n || n < d->n) {
		char cap[200];

		snprintf(cap, sizeof(cap), "%zu of %zu %s shown (%s); cities.csv has all.", top,
			 d->n, p->g.many,
			 n < d->n ? "the measure is undefined for some" : "largest values");
		fig_caption(p, cap);
	}
	fig_end(p);
	nri_free(idx);
	nri_free(r);
}

static void diversity(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	static const char *const cols[] = {
		"frame_hill1", "frame_shannon", "topic_entropy", "mattr", "mtld", "ttr", NULL};

	sec_begin(p, "diversity", "Narratives and diversity");
	para(p, NULL,
	     say(p,
		 "How wide a range of stories each %s's coverage tells. Frame diversity is "
		 "the effective number of narrative frames (Hill number of order 1: the "
		 "exponential of Shannon entropy); lexical diversity is MATTR, the mean "
		 "type-token ratio over moving windows of 50 tokens, which does not fall with "
		 "text length as the plain type-token ratio does.",
		 p->g.one));
	if (d->n == 0) {
		absent(p, say(p, "No %s to draw.", p->g.one));
		sec_end(p);
		return;
	}
	nri_mu_printf(m, "<h3>Narrative frames by %s</h3>\n", p->g.one);
	{
		char title[96];

		snprintf(title, sizeof(title), "%s by narrative frames", p->g.Many);
		heatmap(p, "frames", "frames", title, "frames.csv");
	}
	nri_mu_raw(m, "<h3>Frame diversity</h3>\n");
	dotplot(p, "framediv", "frame_hill1", "Frame diversity (effective number of frames)",
		"effective number of frames (Hill q = 1)", 1);
	nri_mu_raw(m, "<h3>Lexical diversity</h3>\n");
	dotplot(p, "lexdiv", "mattr", "Lexical diversity (MATTR)",
		"moving-average type-token ratio (window 50)", 2);
	tbl_begin(p, "Data: diversity measures",
		  say(p, "%s|documents|frames (Hill 1)|frame Shannon|topic entropy|MATTR|MTLD|TTR",
		      p->g.one));
	for (size_t k = 0; k < d->n && k < 2 * p->top; k++) {
		const struct nri_rcity *c = &d->c[d->by_docs[k]];

		nri_mu_raw(m, "<tr>");
		td_city(p, c);
		td_num(p, c->docs, 0);
		for (size_t j = 0; cols[j]; j++)
			td_num(p, nri_rmeasure(c, cols[j]), j == 4 ? 1 : 3);
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, d->n > 2 * p->top
			   ? say(p, "%s with most documents; cities.csv has all.", p->g.Many)
			   : NULL);
	sec_end(p);
}

/* ---- personal tags: two-sided keyness ------------------------------------------ */

/* Rows of keyterms.csv for city id, in file order (by G2, largest first),
 * into rows (at most max); returns how many. */
static size_t city_terms(const struct nri_table *t, const char *id, size_t *rows, size_t max)
{
	int cid = nri_table_col(t, "city_id");
	size_t n = 0;

	for (size_t r = 0; r < t->nrow && n < max; r++)
		if (!strcmp(nri_table_get(t, r, cid), id))
			rows[n++] = r;
	return n;
}

static double tnum(const struct nri_table *t, size_t r, const char *col)
{
	const char *s = nri_table_get(t, r, nri_table_col(t, col));
	double v;

	return *s && nri_strtod_c(s, strlen(s), &v) ? v : NAN;
}

static void keyness(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	const struct nri_table *t = &d->keyterms;
	size_t top = shown(p), under = 0;
	int cterm = nri_table_col(t, "term");

	sec_begin(p, "tags", say(p, "Personal tags: key terms by %s", p->g.one));
	para(p, NULL,
	     say(p,
		 "The words that set each %s's coverage apart from the other %s' "
		 "(its \"personal tags\"). Bars to the right are terms the %s uses more than "
		 "the rest of the corpus, to the left terms it uses less; bar length is the "
		 "log-likelihood G2 (Dunning 1993; 3.84 is p < 0.05, 10.83 is p < 0.001), the "
		 "number beside it the log ratio (Hardie 2014: each unit doubles the relative "
		 "frequency).",
		 p->g.one, p->g.many, p->g.one));
	if (!t->path) {
		absent(p, "No keyterms.csv in this folder, so there are no key terms to draw "
			  "(narrate analyze writes it).");
		sec_end(p);
		return;
	}
	if (d->n < 2) {
		absent(p, say(p,
			      "Key terms compare a %s with the others: one %s has nothing to be "
			      "compared with.",
			      p->g.one, p->g.one));
		sec_end(p);
		return;
	}
	for (size_t r = 0; r < t->nrow; r++)
		under += tnum(t, r, "log_ratio") < 0;
	if (!under)
		para(p, "note",
		     "keyterms.csv lists over-used terms only (this version of narrate "
		     "analyze writes no under-used ones), so the bars show that side "
		     "alone.");
	nri_mu_printf(m,
		      "<div class=\"panels\">\n<p hidden=\"hidden\"><label>%s: <select "
		      "id=\"kp-select\">",
		      p->g.One);
	for (size_t k = 0; k < top; k++) {
		nri_mu_printf(m, "<option value=\"%zu\">", k);
		nri_mu_texts(m, nri_rlabel(d, &d->c[d->by_docs[k]]));
		nri_mu_raw(m, "</option>");
	}
	nri_mu_raw(m, "</select></label></p>\n");
	for (size_t k = 0; k < top; k++) {
		const struct nri_rcity *c = &d->c[d->by_docs[k]];
		size_t rows[128], over[12], und[12], no = 0, nu = 0, nr;
		double maxg = 0, rh = 16, mid = under ? W / 2 : 30;
		double half = under ? W / 2 - 150 : W - 250, h;
		char sid[32];

		nr = city_terms(t, c->id, rows, 128);
		for (size_t i = 0; i < nr; i++) {
			double lr = tnum(t, rows[i], "log_ratio"), g = tnum(t, rows[i], "g2");

			if (lr < 0 && nu < 10)
				und[nu++] = rows[i];
			else if (lr >= 0 && no < 10)
				over[no++] = rows[i];
			if (isfinite(g))
				maxg = dmax(maxg, g);
		}
		nri_mu_printf(m, "<div class=\"kpanel\" id=\"kp-%zu\">\n<h3>", k);
		h_city(p, c);
		nri_mu_raw(m, "</h3>\n");
		if (!nr) {
			para(p, "absent",
			     say(p,
				 "No key terms for this %s: too few documents, or no term "
				 "stands out from the other %s.",
				 p->g.one, p->g.many));
			nri_mu_raw(m, "</div>\n");
			continue;
		}
		fig_begin(p);
		snprintf(sid, sizeof(sid), "key-%zu", k);
		h = 28 + rh * (double)(no > nu ? no : nu) + 10;
		nri_svg_begin(m, sid, W, h, "Key terms");
		nri_mu_raw(m, "Two-sided keyness bars for ");
		nri_mu_texts(m, nri_rlabel(d, c));
		nri_mu_printf(m,
			      ": %zu over-used terms to the right, %zu under-used to the left, "
			      "bar length G2.",
			      no, nu);
		nri_svg_desc_end(m);
		nri_svg_text(m, mid + 6, 14, NULL, "ttl", NULL, 0, "used more than elsewhere");
		if (under)
			nri_svg_text(m, mid - 6, 14, "end", "ttl", NULL, 0, "used less");
		nri_svg_line(m, mid, 20, mid, h - 6, "axis");
		for (int side = 0; side < 2; side++) {
			size_t cnt = side ? nu : no;
			const size_t *rr = side ? und : over;

			for (size_t i = 0; i < cnt; i++) {
				const char *term = nri_table_get(t, rr[i], cterm);
				double g = tnum(t, rr[i], "g2"), lr = tnum(t, rr[i], "log_ratio");
				double y = 24 + rh * (double)i, bw = maxg > 0 ? half * g / maxg : 0;
				double dir = side ? -1 : 1;
				char tip[256], lrs[32], gs[32];

				nri_fmt_num(gs, sizeof(gs), g, 1);
				nri_fmt_num(lrs, sizeof(lrs), lr, 2);
				snprintf(tip, sizeof(tip), "%s: G2 %s, log ratio %s", term, gs,
					 lrs);
				nri_svg_rect(m, mid, y + 2, dir * bw, rh - 4, side ? "bar2" : "bar",
					     NULL, tip);
				nri_svg_text(m, mid + dir * (bw + 4), y + 12, side ? "end" : NULL,
					     NULL, nri_script_lang(term, strlen(term)), 0, term);
				nri_svg_text(
					m,
					mid + dir * (bw + 12 +
						     nri_text_width_em(term, strlen(term)) * 11),
					y + 12, side ? "end" : NULL, "val", NULL, 0, lrs);
			}
		}
		nri_svg_end(m);
		tbl_begin(p, "Data: key terms", "term|count|count elsewhere|G2|log ratio");
		for (size_t i = 0; i < nr; i++) {
			const char *term = nri_table_get(t, rows[i], cterm);

			nri_mu_raw(m, "<tr>");
			td_text(p, term, nri_script_lang(term, strlen(term)));
			td_num(p, tnum(t, rows[i], "count"), 0);
			td_num(p, tnum(t, rows[i], "other_count"), 0);
			td_num(p, tnum(t, rows[i], "g2"), 2);
			td_num(p, tnum(t, rows[i], "log_ratio"), 2);
			nri_mu_raw(m, "</tr>\n");
		}
		tbl_end(p, NULL);
		fig_end(p);
		nri_mu_raw(m, "</div>\n");
	}
	nri_mu_raw(m, "</div>\n");
	if (top < d->n)
		nri_mu_printf(m,
			      "<p class=\"note\">Panels for the %zu %s with most documents; "
			      "keyterms.csv has the key terms of all %zu.</p>\n",
			      top, p->g.many, d->n);
	sec_end(p);
}

/* ---- similarity: clustered heatmap and MDS map ------------------------------------- */

static void similarity(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	size_t n = shown(p), known = 0, *sel = NULL, *order = NULL;
	double *dist = NULL, *xy = NULL, maxc = 0, explained = NAN;
	struct nri_merge *mg = NULL;

	sec_begin(p, "similarity", say(p, "How alike %s are", p->g.many));
	para(p, NULL,
	     say(p,
		 "Cosine similarity of the %s' tf-idf word profiles (docs/measures.md): "
		 "1 means the same vocabulary in the same proportions, 0 nothing in common. "
		 "Rows and columns are ordered by average-linkage clustering on 1 - cosine, so "
		 "blocks of dark cells are %s of %s that are written about alike; the "
		 "map places %s so that distances approximate 1 - cosine (classical "
		 "multidimensional scaling).",
		 p->g.many, p->g.city ? "groups" : "clusters", p->g.many, p->g.many));
	if (d->n < 2) {
		absent(p, say(p, "Similarity compares %s: at least two are needed.", p->g.many));
		sec_end(p);
		return;
	}
	if (!d->similarity.path) {
		absent(p,
		       say(p, "No similarity.csv in this folder, so %s similarity cannot be drawn.",
			   p->g.one));
		sec_end(p);
		return;
	}
	if (!d->cos) {
		absent(p, "Too many groups to hold every pair's similarity for this page; "
			  "similarity.csv has them all.");
		sec_end(p);
		return;
	}
	sel = nri_malloc(n * sizeof(*sel));
	order = nri_malloc(n * sizeof(*order));
	dist = nri_malloc(n * n * sizeof(*dist));
	xy = nri_malloc(2 * n * sizeof(*xy));
	mg = nri_malloc(n * sizeof(*mg));
	if (!sel || !order || !dist || !xy || !mg) {
		m->rc = NR_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		sel[k] = d->by_docs[k];
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			double c = d->cos[sel[a] * d->n + sel[b]];

			dist[a * n + b] = a == b ? 0 : isfinite(c) ? 1 - c : NAN;
			if (a != b && isfinite(c)) {
				known++;
				maxc = dmax(maxc, c);
			}
		}
	if (!known) {
		absent(p, say(p, "similarity.csv has no pair of these %s.", p->g.many));
		goto out;
	}
	if ((m->rc = m->rc ? m->rc : nri_hclust_average(dist, n, mg, order)))
		goto out;
	fig_begin(p);
	{
		double lw = 0, dw = 90, head = 110, cs, h, x0;
		double maxh = n > 1 ? mg[n - 2].height : 1;
		double *ly = nri_malloc((2 * n) * sizeof(*ly)),
		       *lx = nri_malloc(2 * n * sizeof(*lx));

		if (!ly || !lx) {
			nri_free(ly);
			nri_free(lx);
			m->rc = NR_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < n; k++)
			lw = dmax(lw, label_w(p, &d->c[sel[k]], 11));
		lw += 10;
		cs = dmin(22, (W - dw - lw - 10) / (double)n);
		x0 = dw + lw;
		h = head + cs * (double)n + 40;
		nri_svg_begin(m, "simmap", W, h, say(p, "%s similarity, clustered", p->g.One));
		nri_mu_printf(m,
			      "Heatmap of tf-idf cosine similarity between %zu %s, ordered "
			      "by average-linkage clustering, with its dendrogram on the left.",
			      n, p->g.many);
		nri_svg_desc_end(m);
		for (size_t r = 0; r < n; r++) {
			const struct nri_rcity *c = &d->c[sel[order[r]]];
			double y = head + cs * (double)r;

			svg_city(p, c, x0 - 4, y + cs / 2 + 4, "end", NULL);
			nri_svg_text(m, x0 + cs * (double)r + cs / 2 + 3, head - 6, NULL, NULL,
				     c->label_lang, -45, nri_rlabel(d, c));
			for (size_t q = 0; q < n; q++) {
				size_t a = order[r], b = order[q];
				double v = d->cos[sel[a] * d->n + sel[b]];
				char fill[8], tip[200], num[24];

				nri_svg_ramp(maxc > 0 ? v / maxc : 0, fill);
				nri_fmt_num(num, sizeof(num), v, 3);
				snprintf(tip, sizeof(tip), "%s - %s: cosine %s", nri_rlabel(d, c),
					 nri_rlabel(d, &d->c[sel[b]]), num);
				nri_svg_rect(m, x0 + cs * (double)q, y, cs, cs, "cell",
					     a == b	   ? "#dddddd"
					     : isfinite(v) ? fill
							   : "#f4f4f4",
					     a == b ? NULL : tip);
			}
		}
		/* dendrogram: leaves at x = dw - 4, root at the left edge */
		for (size_t r = 0; r < n; r++) {
			ly[order[r]] = head + cs * (double)r + cs / 2;
			lx[order[r]] = dw - 4;
		}
		for (size_t s = 0; s + 1 < n; s++) {
			size_t a = mg[s].a, b = mg[s].b;
			double hx = 4 + (dw - 8) * (1 - (maxh > 0 ? mg[s].height / maxh : 0));

			nri_mu_raw(m, "<path class=\"dend\" d=\"M");
			nri_mu_coord(m, lx[a], 1);
			nri_mu_raw(m, " ");
			nri_mu_coord(m, ly[a], 1);
			nri_mu_raw(m, " H");
			nri_mu_coord(m, hx, 1);
			nri_mu_raw(m, " V");
			nri_mu_coord(m, ly[b], 1);
			nri_mu_raw(m, " H");
			nri_mu_coord(m, lx[b], 1);
			nri_mu_raw(m, "\"/>\n");
			lx[n + s] = hx;
			ly[n + s] = (ly[a] + ly[b]) / 2;
		}
		{
			double ly0 = head + cs * (double)n + 14;
			char lab[32];

			for (int s = 0; s < 10; s++) {
				char fill[8];

				nri_svg_ramp((s + 0.5) / 10, fill);
				nri_svg_rect(m, x0 + 16 * s, ly0, 16, 10, NULL, fill, NULL);
			}
			nri_svg_text(m, x0, ly0 + 22, NULL, "tick", NULL, 0, "0");
			nri_fmt_num(lab, sizeof(lab), maxc, 2);
			nri_svg_text(m, x0 + 160, ly0 + 22, "end", "tick", NULL, 0, lab);
			nri_svg_text(m, x0 + 170, ly0 + 9, NULL, "tick", NULL, 0, "tf-idf cosine");
		}
		nri_free(ly);
		nri_free(lx);
		nri_svg_end(m);
	}
	{
		fig_caption(p, say(p,
				   "%s %s%s; similarity.csv has every pair. Average linkage "
				   "(UPGMA) on 1 - cosine.",
				   n < d->n ? "The" : "All", p->g.many,
				   n < d->n ? " with most documents" : ""));
	}
	fig_end(p);
	/* MDS map */
	if ((m->rc = m->rc ? m->rc : nri_mds_classical(dist, n, xy, &explained)))
		goto out;
	fig_begin(p);
	{
		double x0 = 40, x1 = W - 40, y0 = 30, y1 = 470, lox = INFINITY, hix = -INFINITY;
		double loy = INFINITY, hiy = -INFINITY, *px = nri_malloc(n * sizeof(*px) + 1);
		double *py = nri_malloc(n * sizeof(*py) + 1), span;

		if (!px || !py) {
			nri_free(px);
			nri_free(py);
			m->rc = NR_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < n; k++) {
			lox = dmin(lox, xy[2 * k]);
			hix = dmax(hix, xy[2 * k]);
			loy = dmin(loy, xy[2 * k + 1]);
			hiy = dmax(hiy, xy[2 * k + 1]);
		}
		/* one scale for both axes: distances must keep their meaning */
		span = dmax(hix - lox, hiy - loy);
		if (span <= 0)
			span = 1;
		nri_svg_begin(m, "mdsmap", W, 520, say(p, "Map of %s by similarity", p->g.many));
		nri_mu_printf(m,
			      "Scatter plot of %zu %s placed by classical multidimensional "
			      "scaling of 1 - cosine; the two axes carry ",
			      n, p->g.many);
		nri_mu_pct(m, explained, 0);
		nri_mu_raw(m, " of the positive eigenvalues. Colours are regions.");
		nri_svg_desc_end(m);
		nri_svg_rect(m, x0, y0, x1 - x0, y1 - y0, NULL, "#fafafa", NULL);
		for (size_t k = 0; k < n; k++) {
			const struct nri_rcity *c = &d->c[sel[k]];
			char tip[128];

			px[k] = (x0 + x1) / 2 +
				(xy[2 * k] - (lox + hix) / 2) / span * (y1 - y0 - 40);
			py[k] = (y0 + y1) / 2 -
				(xy[2 * k + 1] - (loy + hiy) / 2) / span * (y1 - y0 - 40);
			snprintf(tip, sizeof(tip), "%s", nri_rlabel(d, c));
			nri_svg_circle(m, px[k], py[k], 5, "pt", region_colour(c->region), tip);
		}
		place_labels(p, sel, px, py, n, 40, x0, x1);
		legend_regions(p, x0, y1 + 26);
		nri_free(px);
		nri_free(py);
		nri_svg_end(m);
	}
	{
		char cap[256], pct[24];

		nri_fmt_num(pct, sizeof(pct), explained * 100, 0);
		snprintf(cap, sizeof(cap),
			 "Classical MDS (Torgerson 1952) of 1 - cosine; the two axes carry %s%% of "
			 "the positive eigenvalues%s. Axes have no units; only distances matter. "
			 "Labels that would overlap are left out.",
			 isfinite(explained) ? pct : "n/a",
			 isfinite(explained) && explained < 0.5 ? " (less than half: read the "
								  "heatmap too)"
								: "");
		fig_caption(p, cap);
	}
	{
		char hdr[256];

		snprintf(hdr, sizeof(hdr), "%s|x|y|mean cosine|most similar %s|its cosine",
			 p->g.one, p->g.one);
		tbl_begin(p, say(p, "Data: map coordinates and nearest %s", p->g.one), hdr);
	}
	for (size_t k = 0; k < n; k++) {
		const struct nri_rcity *c = &d->c[sel[k]];
		long best = -1;

		for (size_t j = 0; j < d->n; j++)
			if (j != sel[k] && isfinite(d->cos[sel[k] * d->n + j]) &&
			    (best < 0 || d->cos[sel[k] * d->n + j] > d->cos[sel[k] * d->n + best]))
				best = (long)j;
		nri_mu_raw(m, "<tr>");
		td_city(p, c);
		td_num(p, xy[2 * k], 3);
		td_num(p, xy[2 * k + 1], 3);
		td_num(p, nri_rmeasure(c, "cosine_mean"), 3);
		if (best >= 0) {
			td_city(p, &d->c[best]);
			td_num(p, d->cos[sel[k] * d->n + (size_t)best], 3);
		} else {
			nri_mu_raw(m, "<td>-</td><td>-</td>");
		}
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, NULL);
	fig_end(p);
out:
	nri_free(sel);
	nri_free(order);
	nri_free(dist);
	nri_free(xy);
	nri_free(mg);
	sec_end(p);
}

/* ---- homogeneity: cliches and near-duplicates -------------------------------------- */

/* A homogeneity measure: measures.json's, else homogeneity.csv's. */
static double hmeasure(const struct page *p, const struct nri_rcity *c, const char *name)
{
	const struct nri_table *t = &p->d->homogeneity;
	double v = nri_rmeasure(c, name), x;
	int cid, col;

	if (isfinite(v) || !t->path)
		return v;
	cid = nri_table_col(t, "city_id");
	col = nri_table_col(t, name);
	if (cid < 0 || col < 0)
		return NAN;
	for (size_t r = 0; r < t->nrow; r++) {
		const char *s;

		if (strcmp(nri_table_get(t, r, cid), c->id))
			continue;
		s = nri_table_get(t, r, col);
		return *s && nri_strtod_c(s, strlen(s), &x) ? x : NAN;
	}
	return NAN;
}

/* The longest prefix of s no wider than max_em ems, "..." appended when
 * cut; UTF-8 safe. */
static void trunc_em(const char *s, double max_em, char *out, size_t size)
{
	size_t i = 0;
	double w = 0;

	while (s[i]) {
		size_t j = i + 1;

		while (s[j] && ((unsigned char)s[j] & 0xC0) == 0x80)
			j++;
		w += nri_text_width_em(s + i, j - i);
		if (w > max_em || j + 4 >= size)
			break;
		i = j;
	}
	memcpy(out, s, i);
	out[i] = '\0';
	if (s[i])
		strcat(out, "...");
}

/* Does the ';'-separated list hold id? */
static int in_list(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *s = list; *s;) {
		const char *e = strchr(s, ';');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == n && !memcmp(s, id, n))
			return 1;
		s += len;
		if (*s == ';')
			s++;
	}
	return 0;
}

/* Rows x cities dot matrix: row r is used by the cities in lists[r]
 * (';'-separated ids).  Columns: the cities that use any row, most
 * documents first, at most top. */
static void dot_matrix(struct page *p, const char *id, const char *title, const char *what,
		       const char *const *labels, const char *const *lists, const double *count,
		       size_t nrows)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	size_t *cols = nri_malloc((d->n ? d->n : 1) * sizeof(*cols)), ncol = 0;
	double lw = 0, cw, head = 100, rh = 18, h, x0;

	if (!cols) {
		m->rc = NR_ENOMEM;
		return;
	}
	for (size_t k = 0; k < d->n && ncol < p->top; k++)
		for (size_t r = 0; r < nrows; r++)
			if (in_list(lists[r], d->c[d->by_docs[k]].id)) {
				cols[ncol++] = d->by_docs[k];
				break;
			}
	for (size_t r = 0; r < nrows; r++)
		lw = dmax(lw, nri_text_width_em(labels[r], strlen(labels[r])) * 11);
	lw = dmin(lw, 330) + 50;
	cw = ncol ? dmin(24, (W - lw - 10) / (double)ncol) : 24;
	x0 = lw;
	h = head + rh * (double)nrows + 10;
	nri_svg_begin(m, id, W, h, title);
	nri_mu_printf(m, "Dot matrix of %zu %s by %zu %s; a dot where the %s uses it.", nrows, what,
		      ncol, p->g.many, p->g.one);
	nri_svg_desc_end(m);
	for (size_t q = 0; q < ncol; q++) {
		const struct nri_rcity *c = &d->c[cols[q]];

		nri_svg_text(m, x0 + cw * (double)q + cw / 2 + 3, head - 6, NULL, NULL,
			     c->label_lang, -60, nri_rlabel(d, c));
	}
	for (size_t r = 0; r < nrows; r++) {
		double y = head + rh * (double)r;
		char num[24];

		if (r % 2 == 0)
			nri_svg_rect(m, 0, y, x0 + cw * (double)ncol, rh, NULL, "#f4f6f8", NULL);
		nri_svg_text(m, lw - 50, y + 13, "end", NULL,
			     nri_script_lang(labels[r], strlen(labels[r])), 0, labels[r]);
		nri_fmt_num(num, sizeof(num), count[r], 0);
		nri_svg_text(m, lw - 8, y + 13, "end", "val", NULL, 0, num);
		for (size_t q = 0; q < ncol; q++)
			if (in_list(lists[r], d->c[cols[q]].id)) {
				char tip[256];

				snprintf(tip, sizeof(tip), "%s: %s", nri_rlabel(d, &d->c[cols[q]]),
					 labels[r]);
				nri_svg_circle(m, x0 + cw * (double)q + cw / 2, y + rh / 2,
					       dmin(6, cw / 3), "dot", NULL, tip);
			}
	}
	nri_svg_end(m);
	nri_free(cols);
}

static void cliche_section(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	const struct nri_table *t = &d->cliches;
	int ctext = nri_table_col(t, "ngram"), ccities = nri_table_col(t, "cities");
	int cids = nri_table_col(t, "city_ids"), cex = nri_table_col(t, "example_city");
	size_t n;

	nri_mu_printf(m, "<h3>Cliches shared across %s</h3>\n", p->g.many);
	if (!t->path) {
		absent(p, say(p,
			      "No cliches.csv here: cliches (phrases many %s use) come from "
			      "'narrate homogeneity CORPUS -o HDIR'; draw them with 'narrate "
			      "report FOLDER --homogeneity HDIR' (docs/homogeneity.md).",
			      p->g.many));
		return;
	}
	if (ctext < 0)
		ctext = nri_table_col(t, "text");
	if (ctext < 0 || ccities < 0) {
		absent(p, "cliches.csv has no 'ngram' and 'cities' columns: it was written by "
			  "another version of narrate.");
		return;
	}
	n = t->nrow < 25 ? t->nrow : 25;
	if (!n) {
		absent(p, say(p,
			      "No cliche: no phrase is used by enough %s (docs/homogeneity.md, "
			      "--cliche-cities).",
			      p->g.many));
		return;
	}
	fig_begin(p);
	if (cids >= 0) {
		const char *lab[25], *lists[25];
		char buf[25][160];
		double cnt[25];

		for (size_t r = 0; r < n; r++) {
			trunc_em(nri_table_get(t, r, ctext), 26, buf[r], sizeof(buf[r]));
			lab[r] = buf[r];
			lists[r] = nri_table_get(t, r, cids);
			cnt[r] = tnum(t, r, "cities");
		}
		char title[96];

		snprintf(title, sizeof(title), "Cliches by %s", p->g.one);
		dot_matrix(p, "clichemat", title, "cliches", lab, lists, cnt, n);
		fig_caption(p, say(p,
				   "The most widely shared phrases (number: %s using it) and the "
				   "%s that use them; cliches.csv has all.",
				   p->g.many, p->g.many));
	} else {
		double lw = 0, rh = 17, h = 20 + rh * (double)n + 30, maxc = 0, x0, x1 = W - 180;

		for (size_t r = 0; r < n; r++) {
			char s[160];

			trunc_em(nri_table_get(t, r, ctext), 26, s, sizeof(s));
			lw = dmax(lw, nri_text_width_em(s, strlen(s)) * 11);
			maxc = dmax(maxc, tnum(t, r, "cities"));
		}
		x0 = dmin(lw, 330) + 12;
		nri_svg_begin(m, "clichebars", W, h, say(p, "Cliches by number of %s", p->g.many));
		nri_mu_printf(m,
			      "Bar chart of the %zu most shared cliches by the number of %s "
			      "using them.",
			      n, p->g.many);
		nri_svg_desc_end(m);
		x_axis(p, 0, maxc, x0, x1, 20 + rh * (double)n + 4, 20, 0, NULL);
		for (size_t r = 0; r < n; r++) {
			const char *full = nri_table_get(t, r, ctext);
			char s[160];
			double y = 20 + rh * (double)r, v = tnum(t, r, "cities");
			double bw = nri_svg_scale(v, 0, maxc, 0, x1 - x0);
			long ex = cex >= 0 ? nri_rfind(d, nri_table_get(t, r, cex)) : -1;
			char num[24];

			trunc_em(full, 26, s, sizeof(s));
			nri_svg_text(m, x0 - 6, y + 12, "end", NULL, nri_script_lang(s, strlen(s)),
				     0, s);
			nri_svg_rect(m, x0, y + 2, bw, rh - 4, "bar", NULL, full);
			nri_fmt_num(num, sizeof(num), v, 0);
			nri_svg_text(m, x0 + bw + 4, y + 12, NULL, "val", NULL, 0, num);
			if (ex >= 0)
				svg_city(p, &d->c[ex], x0 + bw + 24, y + 12, NULL, "q");
		}
		nri_svg_end(m);
		fig_caption(p, say(p,
				   "Phrases used by the most %s (grey: the %s using it most). "
				   "cliches.csv gives no per-%s list, so the phrase x %s matrix "
				   "cannot be drawn; cliches.csv has all cliches.",
				   p->g.many, p->g.one, p->g.one, p->g.one));
	}
	tbl_begin(p, "Data: cliches",
		  say(p, "phrase|%s|documents|example %s", p->g.many, p->g.one));
	for (size_t r = 0; r < t->nrow && r < 100; r++) {
		const char *s = nri_table_get(t, r, ctext);
		long ex = cex >= 0 ? nri_rfind(d, nri_table_get(t, r, cex)) : -1;

		nri_mu_raw(m, "<tr>");
		td_text(p, s, nri_script_lang(s, strlen(s)));
		td_num(p, tnum(t, r, "cities"), 0);
		td_num(p, tnum(t, r, "documents"), 0);
		if (ex >= 0)
			td_city(p, &d->c[ex]);
		else
			td_text(p, cex >= 0 ? nri_table_get(t, r, cex) : "", NULL);
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, t->nrow > 100 ? "The first 100 rows; cliches.csv has all." : NULL);
	fig_end(p);
}

static void cross_section(struct page *p)
{
	const struct nri_table *t = &p->d->cross;
	struct nri_markup *m = &p->m;
	char lab[20][160];
	const char *labs[20], *lists[20];
	double cnt[20];
	int ctext = nri_table_col(t, "text"), cids = nri_table_col(t, "city_ids");
	size_t n;

	if (!t->path)
		return;
	nri_mu_printf(m, "<h3>Near-duplicate posts across %s</h3>\n", p->g.many);
	n = t->nrow < 20 ? t->nrow : 20;
	if (!n) {
		para(p, "note",
		     say(p,
			 "No near-duplicate cluster spans two %s (cross_clusters.csv is "
			 "empty).",
			 p->g.many));
		return;
	}
	for (size_t r = 0; r < n; r++) {
		const char *s = ctext >= 0 ? nri_table_get(t, r, ctext) : "";

		if (!*s)
			snprintf(lab[r], sizeof(lab[r]), "cluster %s",
				 nri_table_get(t, r, nri_table_col(t, "cluster_id")));
		else
			trunc_em(s, 26, lab[r], sizeof(lab[r]));
		labs[r] = lab[r];
		lists[r] = nri_table_get(t, r, cids);
		cnt[r] = tnum(t, r, "documents");
	}
	fig_begin(p);
	dot_matrix(p, "crossmat", say(p, "Near-duplicate clusters by %s", p->g.one),
		   "near-duplicate clusters", labs, lists, cnt, n);
	fig_caption(p, say(p,
			   "Clusters of near-identical posts (MinHash, docs/homogeneity.md) that "
			   "appear under several %s: the text starts the cluster's first post, "
			   "the number is its documents. cross_clusters.csv has all.",
			   p->g.many));
	fig_end(p);
}

static void homogeneity(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	static const char *const hm[] = {"homogeneity", "distinctiveness", "dup_within",
					 "dup_across",	"cliche_rate",	   NULL};
	int any = 0;

	sec_begin(p, "homogeneity", "Homogeneity: cliches and copies");
	para(p, NULL,
	     say(p,
		 "How far %s' coverage repeats the same phrases and the same posts. "
		 "The homogeneity index combines similarity to other %s, cross-%s "
		 "near-duplicates and the cliche rate (docs/homogeneity.md); a high value "
		 "means content that could %s any %s.",
		 p->g.many, p->g.many, p->g.one, p->g.city ? "be about" : "belong to", p->g.one));
	for (size_t k = 0; hm[k]; k++)
		for (size_t i = 0; i < d->n && !any; i++)
			any |= isfinite(hmeasure(p, &d->c[i], hm[k]));
	if (!any && !d->cliches.path && !d->cross.path) {
		absent(p, "This folder has no homogeneity measures (dup_within, dup_across, "
			  "cliche_rate, homogeneity, distinctiveness) and no output of narrate "
			  "homogeneity. Run 'narrate homogeneity CORPUS -o HDIR' and then 'narrate "
			  "report FOLDER --homogeneity HDIR' (docs/homogeneity.md).");
		sec_end(p);
		return;
	}
	if (any) {
		int has_h = 0;

		for (size_t i = 0; i < d->n; i++)
			has_h |= isfinite(hmeasure(p, &d->c[i], "homogeneity"));
		if (has_h && nri_rhas_measure(d, "homogeneity")) {
			nri_mu_raw(m, "<h3>Homogeneity index</h3>\n");
			char title[96];

			snprintf(title, sizeof(title), "Homogeneity index by %s", p->g.one);
			dotplot(p, "homogdots", "homogeneity", title,
				"homogeneity index (higher: more interchangeable content)", 2);
		}
		tbl_begin(p, "Data: homogeneity measures",
			  say(p,
			      "%s|documents|homogeneity|distinctiveness|near-duplicates within|"
			      "near-duplicates across|cliche rate",
			      p->g.one));
		for (size_t k = 0; k < d->n && k < 2 * p->top; k++) {
			const struct nri_rcity *c = &d->c[d->by_docs[k]];

			nri_mu_raw(m, "<tr>");
			td_city(p, c);
			td_num(p, c->docs, 0);
			for (size_t j = 0; hm[j]; j++)
				td_num(p, hmeasure(p, c, hm[j]), 3);
			nri_mu_raw(m, "</tr>\n");
		}
		tbl_end(p, NULL);
	}
	cliche_section(p);
	cross_section(p);
	sec_end(p);
}

/* ---- regional gaps: dumbbells ---------------------------------------------------- */

/* label, then the page's noun when noun is 1 (singular) or 2 (plural) */
struct gapmeasure {
	const char *name, *label;
	int dec, noun;
};

static const struct gapmeasure gapm[] = {
	{"documents", "documents per ", 1, 1},
	{"score", "index score", 3, 0},
	{"tone_net", "net tone", 3, 0},
	{"frame_hill1", "frame diversity (Hill 1)", 2, 0},
	{"mattr", "lexical diversity (MATTR)", 3, 0},
	{"distinct_share", "share of key terms", 3, 0},
	{"cosine_mean", "mean cosine to other ", 3, 2},
	{"interaction_rate", "interaction rate", 3, 0},
	{"engagement_per_doc", "engagement per document", 1, 0},
	{"homogeneity", "homogeneity index", 3, 0},
	{NULL, NULL, 0, 0},
};

static const char *gap_label(struct page *p, const struct gapmeasure *gm)
{
	return say(p, "%s%s", gm->label, gm->noun == 1 ? p->g.one : gm->noun == 2 ? p->g.many : "");
}

static double gap_value(const struct page *p, const struct nri_rcity *c, const char *name)
{
	if (!strcmp(name, "score"))
		return c->ranked ? c->score : NAN;
	if (!strcmp(name, "documents"))
		return c->docs;
	return hmeasure(p, c, name);
}

/* Mean of a measure over the cities whose split field is value; *n gets
 * how many had it. */
static double group_mean(const struct page *p, int ns, const char *value, const char *name,
			 size_t *n)
{
	double s = 0;

	*n = 0;
	for (size_t i = 0; i < p->d->n; i++) {
		const struct nri_rcity *c = &p->d->c[i];
		const char *g = ns ? c->ns : c->region;
		double v;

		if (!g || strcmp(g, value))
			continue;
		v = gap_value(p, c, name);
		if (isfinite(v)) {
			s += v;
			(*n)++;
		}
	}
	return *n ? s / (double)*n : NAN;
}

static void dumbbell(struct page *p, const char *id, int ns, const char *const *groups, size_t ng,
		     const char *title)
{
	struct nri_markup *m = &p->m;
	size_t rows[16], nr = 0, cities[4] = {0, 0, 0, 0};
	double mean[16][4];

	for (size_t g = 0; g < ng; g++)
		for (size_t i = 0; i < p->d->n; i++) {
			const char *v = ns ? p->d->c[i].ns : p->d->c[i].region;

			cities[g] += v && !strcmp(v, groups[g]);
		}
	for (size_t k = 0; gapm[k].name; k++) {
		size_t have = 0, cnt;

		for (size_t g = 0; g < ng; g++) {
			mean[nr][g] = group_mean(p, ns, groups[g], gapm[k].name, &cnt);
			have += isfinite(mean[nr][g]);
		}
		if (have >= 2)
			rows[nr++] = k;
	}
	if (!nr) {
		char msg[300];

		snprintf(msg, sizeof(msg),
			 "Fewer than two of the %s (%s%s%s%s%s) have %s here, so there is "
			 "no gap to draw. Regions come from the city lexicon; %s%s it does "
			 "not know have none.",
			 p->g.city ? "groups" : "regions", groups[0], ng > 1 ? ", " : "",
			 ng > 1 ? groups[1] : "", ng > 2 ? ", " : "", ng > 2 ? groups[2] : "",
			 p->g.many, p->g.many, p->g.city ? "" : " whose city");
		absent(p, msg);
		return;
	}
	fig_begin(p);
	{
		double lw = 200, x0 = lw, x1 = W - 70, rh = 40, h = 40 + rh * (double)nr + 10;

		nri_svg_begin(m, id, W, h, title);
		nri_mu_printf(m,
			      "Dumbbell plot of %s means for %zu measures; each row has its "
			      "own scale, from its smallest to its largest %s mean.",
			      p->g.city ? "group" : "regional", nr,
			      p->g.city ? "group" : "regional");
		nri_svg_desc_end(m);
		{
			double lx = x0;

			for (size_t g = 0; g < ng; g++) {
				char lab[160];

				snprintf(lab, sizeof(lab), "%s (%zu %s)", groups[g], cities[g],
					 p->g.many);
				nri_svg_circle(m, lx + 6, 14, 5, "pt", region_colour(groups[g]),
					       NULL);
				nri_svg_text(m, lx + 15, 18, NULL, NULL, NULL, 0, lab);
				lx += 30 + nri_text_width_em(lab, strlen(lab)) * 11;
			}
		}
		for (size_t r = 0; r < nr; r++) {
			const struct gapmeasure *gm = &gapm[rows[r]];
			double y = 40 + rh * (double)r + rh / 2, lo = INFINITY, hi = -INFINITY;

			for (size_t g = 0; g < ng; g++)
				if (isfinite(mean[r][g])) {
					lo = dmin(lo, mean[r][g]);
					hi = dmax(hi, mean[r][g]);
				}
			{
				double pad = (hi - lo) * 0.15 + (hi == lo ? 1 : 0);

				lo -= pad;
				hi += pad;
			}
			nri_svg_text(m, x0 - 10, y + 4, "end", NULL, NULL, 0, gap_label(p, gm));
			nri_svg_line(m, x0, y, x1, y, "grid");
			{
				double a = INFINITY, b = -INFINITY;

				for (size_t g = 0; g < ng; g++)
					if (isfinite(mean[r][g])) {
						a = dmin(a,
							 nri_svg_scale(mean[r][g], lo, hi, x0, x1));
						b = dmax(b,
							 nri_svg_scale(mean[r][g], lo, hi, x0, x1));
					}
				nri_svg_line(m, a, y, b, y, "conn");
			}
			for (size_t g = 0; g < ng; g++) {
				char tip[128], num[32];
				double x;

				if (!isfinite(mean[r][g]))
					continue;
				x = nri_svg_scale(mean[r][g], lo, hi, x0, x1);
				snprintf(tip, sizeof(tip), "%s, %s", groups[g], gap_label(p, gm));
				tipf(tip + strlen(tip), sizeof(tip) - strlen(tip), "", mean[r][g],
				     gm->dec, NULL);
				nri_svg_circle(m, x, y, 6, "pt", region_colour(groups[g]), tip);
				nri_fmt_num(num, sizeof(num), mean[r][g], gm->dec);
				nri_svg_text(m, x, y + (g % 2 ? 17 : -9), "middle", "val", NULL, 0,
					     num);
			}
		}
		nri_svg_end(m);
	}
	{
		char hdr[256];
		size_t hl = (size_t)snprintf(hdr, sizeof(hdr), "measure");

		for (size_t g = 0; g < ng; g++)
			hl += (size_t)snprintf(hdr + hl, sizeof(hdr) - hl, "|%s mean", groups[g]);
		if (ng == 2)
			snprintf(hdr + hl, sizeof(hdr) - hl, "|gap (%s - %s)", groups[0],
				 groups[1]);
		tbl_begin(p, p->g.city ? "Data: group means" : "Data: regional means", hdr);
	}
	for (size_t r = 0; r < nr; r++) {
		nri_mu_raw(m, "<tr>");
		td_text(p, gap_label(p, &gapm[rows[r]]), NULL);
		for (size_t g = 0; g < ng; g++)
			td_num(p, mean[r][g], gapm[rows[r]].dec);
		if (ng == 2)
			td_num(p, mean[r][0] - mean[r][1], gapm[rows[r]].dec);
		nri_mu_raw(m, "</tr>\n");
	}
	if (p->g.city)
		tbl_end(p, "Means of the cities in each group (a city counts once, whatever its "
			   "size). Groups with one or two cities make fragile means.");
	else
		tbl_end(p, say(p,
			       "Means of the %s in each region (a %s counts once, whatever its "
			       "size, so a city counts once for each %s it has). Regions with one "
			       "or two %s make fragile means.",
			       p->g.many, p->g.one, p->g.one, p->g.many));
	fig_end(p);
}

/* regions.csv of narrate score as it is: index and dimension means per
 * group and the gaps between them. */
static void regions_table(struct page *p)
{
	const struct nri_table *t = &p->d->regions;
	struct nri_markup *m = &p->m;
	char hdr[2048];
	size_t hl = 0;

	if (!t->path || !t->nrow)
		return;
	nri_mu_raw(m, "<h3>The index by region</h3>\n");
	/* score's column "cities" counts the groups of each region */
	for (size_t c = 0; c < t->ncol && hl + 200 < sizeof(hdr); c++)
		hl += (size_t)snprintf(hdr + hl, sizeof(hdr) - hl, "%s%s", c ? "|" : "",
				       strcmp(t->head[c], "cities") ? t->head[c] : p->g.many);
	tbl_begin(p,
		  p->g.city ? "Data: regions.csv of narrate score (means per group, and gaps)"
			    : "Data: regions.csv of narrate score (means per region, and gaps)",
		  hdr);
	for (size_t r = 0; r < t->nrow; r++) {
		nri_mu_raw(m, "<tr>");
		for (size_t c = 0; c < t->ncol; c++) {
			const char *v = nri_table_get(t, r, (int)c);
			double x;

			if (*v && nri_strtod_c(v, strlen(v), &x))
				td_num(p, x, x == floor(x) && fabs(x) < 1e9 ? 0 : 3);
			else
				td_text(p, v, NULL);
		}
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, p->g.city ? "Written by narrate score (docs/scoring.md): a gap row is the "
			       "first group's mean minus the second's."
			     : "Written by narrate score (docs/scoring.md): a gap row is the "
			       "first region's mean minus the second's.");
}

static void gaps(struct page *p)
{
	static const char *const nsg[] = {"north", "south"};
	static const char *const rg[] = {"east", "central", "west", "northeast"};
	char whose[96] = "";

	if (!p->g.has_city) { /* month, platform...: no city, so no region */
		sec_begin(p, "gaps", "Regional gaps");
		absent(p, say(p,
			      "Regional gaps compare groups north and south of the Qinling-Huaihe "
			      "line and in the east, centre, west and northeast; a group's region "
			      "comes from its city (city lexicon), and these %s have no city. "
			      "Add city to --group-by to see them.",
			      p->g.many));
		regions_table(p);
		sec_end(p);
		return;
	}
	if (!p->g.city)
		snprintf(whose, sizeof(whose), ", a %s's from its city", p->g.one);

	sec_begin(p, "gaps", "Regional gaps");
	para(p, NULL,
	     say(p,
		 "Mean of each measure over northern and southern %s (Qinling-Huaihe "
		 "line), and over eastern, central, western and north-eastern %s (the "
		 "usual statistical regions); regions come from the city lexicon%s. Each row "
		 "has its own scale: read the numbers, not the distances between rows.",
		 p->g.many, p->g.many, whose));
	nri_mu_raw(&p->m, "<h3>North and south</h3>\n");
	dumbbell(p, "gapns", 1, nsg, 2, "North-south gap");
	nri_mu_raw(&p->m, "<h3>East, central, west and northeast</h3>\n");
	dumbbell(p, "gapreg", 0, rg, 4, "Regional gaps");
	regions_table(p);
	sec_end(p);
}

/* ---- tone x attention quadrant -------------------------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void quadrant(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	size_t n = 0, *idx = NULL;
	double *vx = NULL, *vy = NULL, *px = NULL, *py = NULL, mx, my;
	double lox = INFINITY, hix = -INFINITY, loy = INFINITY, hiy = -INFINITY;

	sec_begin(p, "quadrant", "Tone and attention");
	if (p->g.city)
		para(p, NULL,
		     "Each city by how much it is talked about (documents, log scale) and how "
		     "(net tone: positive minus negative tone words per word). The dashed lines "
		     "are the medians: top right are much-discussed cities with a warm tone, "
		     "bottom right much-discussed cities with a cool one.");
	else
		para(p, NULL,
		     say(p,
			 "Each %s by how many documents it has (log scale) and their tone (net "
			 "tone: positive minus negative tone words per word). The dashed lines "
			 "are the medians: top right are %s with many documents and a warm "
			 "tone, bottom right %s with many documents and a cool one.",
			 p->g.one, p->g.many, p->g.many));
	idx = nri_malloc((d->n ? d->n : 1) * sizeof(*idx));
	vx = nri_malloc((d->n ? d->n : 1) * sizeof(*vx));
	vy = nri_malloc((d->n ? d->n : 1) * sizeof(*vy));
	px = nri_malloc((d->n ? d->n : 1) * sizeof(*px));
	py = nri_malloc((d->n ? d->n : 1) * sizeof(*py));
	if (!idx || !vx || !vy || !px || !py) {
		m->rc = NR_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < d->n; k++) {
		size_t i = d->by_docs[k];
		double t = nri_rmeasure(&d->c[i], "tone_net");

		if (!isfinite(t) || d->c[i].docs <= 0)
			continue;
		idx[n] = i;
		vx[n] = log10(d->c[i].docs);
		vy[n++] = t;
	}
	if (n < 2) {
		absent(p,
		       n == 0 ? say(p,
				    "No tone data: net tone is undefined for every %s (the "
				    "analysis ran with --tone none, or no tone word was found).",
				    p->g.one)
			      : say(p, "Only one %s has tone data: a quadrant needs at least two.",
				    p->g.one));
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		lox = dmin(lox, vx[k]);
		hix = dmax(hix, vx[k]);
		loy = dmin(loy, vy[k]);
		hiy = dmax(hiy, vy[k]);
		px[k] = vx[k];
		py[k] = vy[k];
	}
	mx = median(px, n);
	my = median(py, n);
	lox = floor(lox);
	hix = dmax(ceil(hix), lox + 1);
	{
		double pad = (hiy - loy) * 0.08 + (hiy == loy ? 0.01 : 0);

		loy -= pad;
		hiy += pad;
	}
	fig_begin(p);
	{
		double x0 = 70, x1 = W - 30, y0 = 20, y1 = 440;
		char lab[32];

		nri_svg_begin(m, "quadchart", W, 500, "Tone and attention quadrant");
		nri_mu_printf(m,
			      "Scatter plot of %zu %s: documents (log scale) across, net tone "
			      "up; dashed lines at the medians.",
			      n, p->g.many);
		nri_svg_desc_end(m);
		y_axis(p, loy, hiy, y1, y0, x0, x1, 3, 0);
		nri_svg_line(m, x0, y1, x1, y1, "axis");
		for (double e = lox; e <= hix + 1e-9; e += 1) {
			double x = nri_svg_scale(e, lox, hix, x0, x1);

			nri_svg_line(m, x, y0, x, y1, "grid");
			nri_fmt_num(lab, sizeof(lab), pow(10, e), 0);
			nri_svg_text(m, x, y1 + 16, "middle", "tick", NULL, 0, lab);
		}
		nri_svg_line(m, nri_svg_scale(mx, lox, hix, x0, x1), y0,
			     nri_svg_scale(mx, lox, hix, x0, x1), y1, "ref");
		nri_svg_line(m, x0, nri_svg_scale(my, loy, hiy, y1, y0), x1,
			     nri_svg_scale(my, loy, hiy, y1, y0), "ref");
		nri_svg_text(m, x1 - 4, y0 + 14, "end", "q", NULL, 0,
			     "much attention, warmer tone");
		nri_svg_text(m, x0 + 6, y0 + 14, NULL, "q", NULL, 0,
			     "little attention, warmer tone");
		nri_svg_text(m, x1 - 4, y1 - 8, "end", "q", NULL, 0, "much attention, cooler tone");
		nri_svg_text(m, x0 + 6, y1 - 8, NULL, "q", NULL, 0,
			     "little attention, cooler tone");
		for (size_t k = 0; k < n; k++) {
			const struct nri_rcity *c = &d->c[idx[k]];
			char tip[160], a[24], b[24];

			px[k] = nri_svg_scale(vx[k], lox, hix, x0, x1);
			py[k] = nri_svg_scale(vy[k], loy, hiy, y1, y0);
			nri_fmt_num(a, sizeof(a), c->docs, 0);
			nri_fmt_num(b, sizeof(b), vy[k], 3);
			snprintf(tip, sizeof(tip), "%s: %s documents, net tone %s",
				 nri_rlabel(d, c), a, b);
			nri_svg_circle(m, px[k], py[k], 5, "pt", region_colour(c->region), tip);
		}
		place_labels(p, idx, px, py, n, 30, x0, x1);
		nri_svg_text(m, (x0 + x1) / 2, y1 + 34, "middle", NULL, NULL, 0,
			     "documents (log scale)");
		nri_svg_text(m, 16, (y0 + y1) / 2, "middle", NULL, NULL, -90, "net tone");
		legend_regions(p, x0, 494);
		nri_svg_end(m);
	}
	fig_caption(p, say(p,
			   "Net tone is the rate of positive minus negative tone-lexicon words "
			   "(docs/measures.md); small %s scatter widely. Labels that would "
			   "overlap are left out; hover a dot for its %s.",
			   p->g.many, p->g.one));
	tbl_begin(p, "Data: tone and attention",
		  say(p, "%s|documents|positive rate|negative rate|net tone", p->g.one));
	for (size_t k = 0; k < n && k < 2 * p->top; k++) {
		const struct nri_rcity *c = &d->c[idx[k]];

		nri_mu_raw(m, "<tr>");
		td_city(p, c);
		td_num(p, c->docs, 0);
		td_num(p, nri_rmeasure(c, "tone_pos"), 4);
		td_num(p, nri_rmeasure(c, "tone_neg"), 4);
		td_num(p, nri_rmeasure(c, "tone_net"), 4);
		nri_mu_raw(m, "</tr>\n");
	}
	tbl_end(p, NULL);
	fig_end(p);
out:
	nri_free(idx);
	nri_free(vx);
	nri_free(vy);
	nri_free(px);
	nri_free(py);
	sec_end(p);
}

/* ---- data and method ------------------------------------------------------------------ */

static void method(struct page *p)
{
	struct nri_report_data *d = p->d;
	struct nri_markup *m = &p->m;
	json_t *lx = json_object_get(d->manifest, "lexicons");
	static const char *const files[] = {"measures.json",	  "cities.csv",
					    "topics.csv",	  "frames.csv",
					    "keyterms.csv",	  "similarity.csv",
					    "concentration.json", "rejects.jsonl",
					    "manifest.json",	  NULL};

	sec_begin(p, "method", "Data and method");
	nri_mu_printf(m,
		      "<p>Every number on this page comes from the files of this folder; the CSV "
		      "and JSON files hold all %s where the charts show the largest. ",
		      p->g.many);
	/* the command line is in manifest.json, not here: it holds the thread
	 * count and paths, and the page must be the same bytes whatever they */
	nri_mu_raw(m, "manifest.json records the command, the options and the lexicons' "
		      "checksums. Formulas and sources: docs/measures.md; the files: "
		      "docs/analyze.md.</p>\n");
	if (json_array_size(lx)) {
		nri_mu_raw(m, "<table><thead><tr><th>lexicon</th><th>name</th><th>sha256</th></tr>"
			      "</thead><tbody>\n");
		for (size_t i = 0; i < json_array_size(lx); i++) {
			json_t *e = json_array_get(lx, i);
			const char *sha = json_string_value(json_object_get(e, "sha256"));
			char shortsha[20];

			snprintf(shortsha, sizeof(shortsha), "%.16s", sha ? sha : "");
			nri_mu_raw(m, "<tr>");
			td_text(p, json_string_value(json_object_get(e, "role")), NULL);
			td_text(p, json_string_value(json_object_get(e, "name")), NULL);
			td_text(p, shortsha, NULL);
			nri_mu_raw(m, "</tr>\n");
		}
		nri_mu_raw(m, "</tbody></table>\n");
	}
	nri_mu_raw(m, "<ul>\n");
	if (p->g.city) {
		nri_mu_raw(m, "<li>Groups: a document about several cities counts once for each; "
			      "documents without a city are counted in the manifest, not here."
			      "</li>\n");
	} else {
		nri_mu_raw(m, "<li>Groups (--group-by ");
		for (size_t i = 0; i < d->nkeys; i++) {
			nri_mu_raw(m, i ? "," : "");
			nri_mu_texts(m, d->keys[i]);
		}
		nri_mu_raw(m, p->g.has_city
				      ? "): a document about several cities counts once for each "
					"of them; documents without a city are counted in the "
					"manifest, not here.</li>\n"
				      : "): each document is in one group; a missing value makes "
					"its own group, (none).</li>\n");
	}
	nri_mu_printf(m,
		      "<li>%s with fewer than %d documents are drawn hollow in dot plots: "
		      "their measures rest on little text.</li>\n",
		      p->g.Many, SMALL_DOCS);
	nri_mu_printf(m,
		      "<li>Charts show at most %zu %s (those with most documents, unless "
		      "said otherwise); tables beside them show up to %zu.</li>\n",
		      p->top, p->g.many, 2 * p->top);
	if (d->nmissing) {
		nri_mu_raw(m, "<li>Not in this folder (the sections that need them say so): ");
		for (size_t i = 0; i < d->nmissing; i++) {
			nri_mu_raw(m, i ? ", " : "");
			nri_mu_texts(m, d->missing[i]);
		}
		nri_mu_raw(m, ".</li>\n");
	}
	nri_mu_raw(m, "</ul>\n<p class=\"note\">Files of narrate analyze: ");
	for (size_t i = 0; files[i]; i++) {
		nri_mu_raw(m, i ? ", " : "");
		nri_mu_texts(m, files[i]);
	}
	nri_mu_raw(m, ". Of narrate score: ranking.csv, regions.csv, sensitivity.csv. Of narrate "
		      "homogeneity: homogeneity.csv, clusters.csv, cross_clusters.csv, "
		      "cliches.csv.</p>\n");
	sec_end(p);
}

static void nav(struct page *p)
{
	static const char *const s[][2] = {
		{"overview", "Overview"},      {"attention", "Attention"},
		{"ranking", "Ranking"},	       {"topics", "Topics"},
		{"diversity", "Diversity"},    {"tags", "Personal tags"},
		{"similarity", "Similarity"},  {"homogeneity", "Homogeneity"},
		{"gaps", "Regional gaps"},     {"quadrant", "Tone"},
		{"method", "Data and method"},
	};

	nri_mu_raw(&p->m, "<nav>");
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		nri_mu_printf(&p->m, "<a href=\"#%s\">%s</a>", s[i][0], s[i][1]);
	nri_mu_raw(&p->m, "</nav>\n<main>\n");
}

static void header(struct page *p)
{
	struct nri_markup *m = &p->m;
	json_int_t docs = jint(json_object_get(p->d->measures, "corpus"), "documents", NULL);

	nri_mu_raw(m, "<header><div><h1>How cities are talked about");
	nri_mu_texts(m, p->g.by);
	nri_mu_raw(m, "</h1><p>");
	if (docs >= 0) {
		nri_mu_count(m, (double)docs);
		nri_mu_raw(m, " documents, ");
	}
	nri_mu_printf(m, "%zu %s", p->d->n, p->d->n == 1 ? p->g.one : p->g.many);
	if (p->d->ranking.path)
		nri_mu_raw(m, ", with a composite ranking");
	nri_mu_raw(m, ". A narrate report.</p></div></header>\n");
}

static void seterr(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

int nr_report_write(const char *dir, const struct nr_report_options *opts, char *err, size_t errlen)
{
	struct nr_report_options o;
	struct nri_report_data d;
	struct page p;
	char *path = NULL, *tmp = NULL;
	size_t dl;
	FILE *f;
	int rc;

	if (opts)
		o = *opts;
	else
		memset(&o, 0, sizeof(o));
	seterr(err, errlen, "");
	if (!dir || !*dir) {
		seterr(err, errlen, "no report folder given");
		return NR_EINVAL;
	}
	rc = nri_report_load(&d, dir, o.ranking, o.homogeneity, o.names_zh);
	if (rc) {
		seterr(err, errlen, d.err[0] ? d.err : nr_strerror(rc));
		nri_report_data_release(&d);
		return rc;
	}
	/* the files of narrate analyze are expected; score's and homogeneity's
	 * are extras, named only in the page's notes */
	if (o.warn)
		for (size_t i = 0; i < d.nmissing; i++) {
			char msg[256];

			if (strcmp(d.missing[i], "keyterms.csv") &&
			    strcmp(d.missing[i], "similarity.csv") &&
			    strcmp(d.missing[i], "concentration.json") &&
			    strcmp(d.missing[i], "manifest.json"))
				continue;

			snprintf(msg, sizeof(msg), "report: no %s in '%s'; its section says so",
				 d.missing[i], dir);
			o.warn(o.ctx, msg);
		}
	memset(&p, 0, sizeof(p));
	nri_mu_init(&p.m, PAGE_LIMIT);
	p.d = &d;
	p.top = o.top ? o.top : 40;
	group_noun(&p.g, &d);
	page_head(&p, say(&p, "narrate report: how cities are talked about%s", p.g.by));
	header(&p);
	nav(&p);
	overview(&p);
	attention(&p);
	ranking(&p);
	topics(&p);
	diversity(&p);
	keyness(&p);
	similarity(&p);
	homogeneity(&p);
	gaps(&p);
	quadrant(&p);
	method(&p);
	page_foot(&p, o.timestamp);
	rc = p.m.rc;
	nri_report_data_release(&d);
	if (rc) {
		seterr(err, errlen,
		       rc == NR_ELIMIT ? "report.html would be larger than 64 MiB"
				       : nr_strerror(rc));
		nri_mu_release(&p.m);
		return rc;
	}
	/* write beside the target, then rename: no half-written report */
	dl = strlen(dir);
	if (o.output) {
		path = nri_strndup(o.output, strlen(o.output));
	} else {
		path = nri_malloc(dl + sizeof("/report.html"));
		if (path)
			snprintf(path, dl + sizeof("/report.html"), "%s/report.html", dir);
	}
	tmp = path ? nri_malloc(strlen(path) + 32) : NULL;
	if (!path || !tmp) {
		nri_free(path);
		nri_free(tmp);
		nri_mu_release(&p.m);
		seterr(err, errlen, "out of memory");
		return NR_ENOMEM;
	}
	snprintf(tmp, strlen(path) + 32, "%s.tmp-%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f) {
		if (err && errlen)
			snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
		rc = NR_EIO;
	} else {
		int bad = fwrite(p.m.b.data, 1, p.m.b.len, f) != p.m.b.len;

		bad |= fclose(f) != 0;
		if (bad || rename(tmp, path) != 0) {
			if (err && errlen)
				snprintf(err, errlen, "cannot write '%s': %s", path,
					 strerror(errno));
			unlink(tmp);
			rc = NR_EIO;
		}
	}
	nri_free(path);
	nri_free(tmp);
	nri_mu_release(&p.m);
	return rc;
}
