/*
 * cmd_lexicon.c - `narrate lexicon check` (validate .nlex files and count
 * their entries) and `narrate lexicon import` (LIWC-style .dic and
 * quanteda/YAML dictionaries into the native format).
 *
 * Import writes the .nlex text, then checks every term on its own through
 * the library's parser, so a term the format cannot hold (a glob in the
 * middle, a lone apostrophe) is reported and skipped rather than making the
 * whole output invalid.  Uses the public API only.
 */
#define _POSIX_C_SOURCE 200809L /* getopt_long's optind/optarg via unistd */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "narrate.h"
#include "cmd.h"

#define MAX_INPUT ((size_t)256 << 20)

static const char usage_text[] =
	"usage: narrate lexicon check FILE...\n"
	"   or: narrate lexicon import [--format dic|yaml] [--name NAME] [--lang L]\n"
	"                              IN -o OUT.nlex\n"
	"   or: narrate lexicon build --city NAME [OPTIONS] CORPUS... -o DRAFT.nlex\n"
	"       (a draft lexicon for a city from a corpus: 'narrate lexicon build --help')\n"
	"\n"
	"check   validate narrate lexicons (.nlex, docs/lexicon-format.md) and print,\n"
	"        for each, its entries per category (the category's own, then with\n"
	"        its descendants) and per language, and its entity count.  An\n"
	"        invalid file gets one line 'FILE:LINE:COL: what is wrong' on\n"
	"        standard error; the other files are still checked.\n"
	"\n"
	"import  convert a dictionary you already have into a narrate lexicon:\n"
	"        dic   LIWC-style: a block of numbered categories between two '%'\n"
	"              lines, then one 'word<TAB>id id ...' line per entry;\n"
	"              'word*' is a prefix wildcard.\n"
	"        yaml  quanteda-style: nested maps of category names to lists of\n"
	"              patterns; nested keys become a category path (a/b/c).\n"
	"        The format is guessed from the extension (.dic, .yml, .yaml)\n"
	"        unless --format is given.  Category names are lower-cased; other\n"
	"        characters than a-z, 0-9, '_' and '-' become '_' (non-ASCII ones\n"
	"        uXXXX), and the original name is kept as the description.\n"
	"        Patterns narrate cannot express (a glob other than one trailing\n"
	"        '*', '?' globs, LIWC's conditional entries) are skipped with a\n"
	"        warning naming their line.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE  where import writes (required; '-' for stdout).\n"
	"  --format F         dic or yaml.\n"
	"  --name NAME        the @lexicon name (default: from IN's file name).\n"
	"  --lang L           tag every imported entry with language L.\n"
	"  -h, --help         show this help and exit.\n"
	"\n"
	"Exit status: 0 success (import: even if patterns were skipped, see\n"
	"stderr), 1 check found an invalid lexicon, 2 usage error, 3 input\n"
	"error (a file cannot be read), 4 internal or output error.\n";

static void usage_hint(void)
{
	fputs("see 'narrate lexicon --help'\n", stderr);
}

/* ---- check ---------------------------------------------------------- */

static int check_one(const char *path)
{
	struct nr_lexicon *lex;
	size_t ncat, nlang, i, blocking = 0, n;
	double *own, *all;
	int rc;

	if (nr_lexicon_new(&lex) != NR_OK) {
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	rc = nr_lexicon_load_file(lex, path);
	if (rc) {
		fflush(stdout);
		/* FILE:LINE:COL: ... as compilers print it; other failures
		 * (cannot open, out of memory) the usual narrate: way */
		fprintf(stderr, "%s%s\n",
			nr_lexicon_error_line(lex) ? "" : "narrate: ", nr_lexicon_errmsg(lex));
		nr_lexicon_free(lex);
		return rc == NR_ENOMEM ? NR_EXIT_INTERNAL
		       : rc == NR_EIO  ? NR_EXIT_INPUT
				       : NR_EXIT_FINDINGS;
	}
	ncat = nr_lexicon_category_count(lex);
	nlang = nr_lexicon_lang_count(lex);
	n = nr_lexicon_entry_count(lex);
	for (i = 0; i < n; i++) {
		int b = 0;

		nr_lexicon_entry_info(lex, i, NULL, NULL, NULL, NULL, NULL, &b, NULL);
		blocking += (size_t)b;
	}
	printf("%s: ok: lexicon '%s', kind %s, %zu entries (%zu blocking), %zu categories, "
	       "%zu entities\n",
	       path, nr_lexicon_name(lex),
	       nr_lexicon_kind(lex) == NR_LEXICON_ENTITIES ? "entities" : "terms", n, blocking,
	       ncat, nr_lexicon_entity_count(lex));
	own = calloc(ncat + 1, sizeof(*own));
	all = calloc(ncat + 1, sizeof(*all));
	if (!own || !all) {
		free(own);
		free(all);
		nr_lexicon_free(lex);
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	for (i = 0; i < ncat; i++)
		own[i] = all[i] = (double)nr_lexicon_count(lex, (int)i, -1);
	nr_lexicon_rollup(lex, all);
	printf("  category\tentries\twith-descendants\n");
	for (i = 0; i < ncat; i++)
		printf("  %s\t%.0f\t%.0f\n", nr_lexicon_category_name(lex, (int)i), own[i], all[i]);
	printf("  language\tentries\n");
	for (i = 0; i < nlang; i++) {
		size_t c = nr_lexicon_count(lex, -1, (int)i);

		if (c || i)
			printf("  %s\t%zu\n", nr_lexicon_lang_name(lex, (int)i), c);
	}
	free(own);
	free(all);
	nr_lexicon_free(lex);
	return NR_EXIT_OK;
}

static int cmd_check(int argc, char **argv)
{
	int i, worst = NR_EXIT_OK;

	if (argc < 1) {
		nr_tool_error("lexicon check needs at least one FILE");
		usage_hint();
		return NR_EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		int r = check_one(argv[i]);

		if (r > worst)
			worst = r;
	}
	return worst;
}

/* ---- import: the output model -------------------------------------- */

struct term {
	char *text; /* the pattern as the source wrote it */
	size_t line;
};

struct cat {
	char *path;  /* sanitised */
	char *label; /* the source's name (full path) */
	struct term *terms;
	size_t nterms, cap;
};

struct model {
	struct cat *cats;
	size_t ncats, cap;
	const char *in;
	size_t skipped;
	struct nr_lexicon *probe; /* checks single terms */
};

static char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		nr_tool_error("out of memory");
		exit(NR_EXIT_INTERNAL);
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		nr_tool_error("out of memory");
		exit(NR_EXIT_INTERNAL);
	}
	return p;
}

/* A category name as a path segment: a-z, 0-9, '_', '-'; upper case is
 * lowered, other ASCII becomes '_', non-ASCII code points uXXXX. */
static void sanitise(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, o = 0;

	while (i < n && o + 12 < size) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
				c = '_';
			out[o++] = (char)c;
			i++;
		} else {
			unsigned cp = 0, len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, k;

			cp = c & (0x7F >> len);
			for (k = 1; k < len && i + k < n; k++)
				cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
			o += (size_t)snprintf(out + o, size - o, "%su%04x",
					      o && out[o - 1] != '_' ? "_" : "", cp);
			i += len;
		}
	}
	if (!o)
		out[o++] = '_';
	out[o] = '\0';
}

static struct cat *get_cat(struct model *m, const char *path, const char *label)
{
	size_t i;

	for (i = 0; i < m->ncats; i++)
		if (!strcmp(m->cats[i].path, path))
			return &m->cats[i];
	if (m->ncats == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->cats = xrealloc(m->cats, m->cap * sizeof(*m->cats));
	}
	memset(&m->cats[m->ncats], 0, sizeof(*m->cats));
	m->cats[m->ncats].path = xstrndup(path, strlen(path));
	m->cats[m->ncats].label = xstrndup(label, strlen(label));
	return &m->cats[m->ncats++];
}

/* Write a pattern as an .nlex term: escape a leading '@', '#', '-', any
 * '|' or backslash, and every '*' but a final one. */
static void put_term(FILE *out, const char *t)
{
	size_t i, n = strlen(t);

	for (i = 0; i < n; i++) {
		char c = t[i];

		if ((i == 0 && (c == '@' || c == '#' || c == '-')) || c == '|' || c == '\\' ||
		    (c == '*' && i + 1 != n))
			fputc('\\', out);
		fputc(c, out);
	}
}

/* Check one pattern with the real parser; 0 if it can be kept, else a
 * warning has been printed. */
static int probe(struct model *m, const char *t, size_t line)
{
	char *buf;
	size_t len;
	FILE *f;
	int rc;
	const char *msg, *p;

	if (strchr(t, '?')) {
		fprintf(stderr, "narrate: %s:%zu: skipped '%s': '?' globs are not supported\n",
			m->in, line, t);
		return -1;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		nr_tool_error("out of memory");
		exit(NR_EXIT_INTERNAL);
	}
	fputs("@lexicon probe\n@category c\n", f);
	/* a glob anywhere but at the end stays a glob, so the parser says no */
	for (p = t; *p; p++) {
		if ((p == t && (*p == '@' || *p == '#' || *p == '-')) || *p == '|' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('\n', f);
	fclose(f);
	rc = nr_lexicon_load_buffer(m->probe, buf, len, "probe");
	free(buf);
	if (rc == NR_OK)
		return 0;
	if (rc == NR_ENOMEM) {
		nr_tool_error("out of memory");
		exit(NR_EXIT_INTERNAL);
	}
	msg = nr_lexicon_errmsg(m->probe);
	p = strncmp(msg, "probe:", 6) ? NULL : strstr(msg, ": ");
	fprintf(stderr, "narrate: %s:%zu: skipped '%s': %s\n", m->in, line, t, p ? p + 2 : msg);
	return -1;
}

static void add_term(struct model *m, struct cat *c, const char *t, size_t n, size_t line)
{
	char *s;

	while (n && (t[0] == ' ' || t[0] == '\t')) {
		t++;
		n--;
	}
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
		n--;
	if (!n)
		return;
	s = xstrndup(t, n);
	if (probe(m, s, line)) {
		m->skipped++;
		free(s);
		return;
	}
	if (c->nterms == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->terms = xrealloc(c->terms, c->cap * sizeof(*c->terms));
	}
	c->terms[c->nterms].text = s;
	c->terms[c->nterms].line = line;
	c->nterms++;
}

/* ---- import: LIWC .dic -------------------------------------------- */

struct dic_cat {
	long id;
	struct cat *cat;
};

static int import_dic(struct model *m, const char *s, size_t len)
{
	struct dic_cat *ids = NULL;
	size_t nids = 0, cap = 0, pos = 0, line = 0;
	int state = 0; /* 0 before the first %, 1 categories, 2 words */

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, n;
		const char *l = s + pos;
		char *ln, *save = NULL, *tok, *term;

		n = end - pos;
		pos = nl ? end + 1 : len;
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		if (line == 1 && n >= 3 && !memcmp(l, "\xEF\xBB\xBF", 3)) {
			l += 3;
			n -= 3;
		}
		ln = xstrndup(l, n);
		if (strspn(ln, " \t") == n) {
			free(ln);
			continue;
		}
		if (ln[strspn(ln, " \t")] == '%') {
			state++;
			free(ln);
			if (state > 2) {
				fprintf(stderr, "%s:%zu:1: a third '%%' line\n", m->in, line);
				free(ids);
				return NR_EXIT_INPUT;
			}
			continue;
		}
		if (state == 0) {
			fprintf(stderr,
				"%s:%zu:1: expected the '%%' line that opens the "
				"category block of a LIWC .dic file\n",
				m->in, line);
			free(ln);
			free(ids);
			return NR_EXIT_INPUT;
		}
		if (state == 1) {
			char *idp = strtok_r(ln, " \t", &save);
			char *name = strtok_r(NULL, "\t", &save);
			char path[256], *endp;
			long id = strtol(idp, &endp, 10);

			while (name && (*name == ' '))
				name++;
			if (*endp || !name || !*name) {
				fprintf(stderr,
					"%s:%zu:1: expected 'NUMBER<TAB>NAME' in the category "
					"block\n",
					m->in, line);
				free(ln);
				free(ids);
				return NR_EXIT_INPUT;
			}
			/* LIWC2015 adds a "(Description)" column after the name */
			{
				size_t nl2 = strcspn(name, " \t");

				name[nl2] = '\0';
			}
			sanitise(name, strlen(name), path, sizeof(path));
			if (nids == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, cap * sizeof(*ids));
			}
			ids[nids].id = id;
			ids[nids].cat = get_cat(m, path, name);
			nids++;
			free(ln);
			continue;
		}
		/* a word line: the term is the first tab field (LIWC2015 allows
		 * spaces in phrases); without a tab, the first word */
		if (strchr(ln, '\t')) {
			term = strtok_r(ln, "\t", &save);
		} else {
			term = strtok_r(ln, " ", &save);
		}
		/* LIWC2007's conditional entries ("like 02 134/125[02 134]126")
		 * mix plain ids into the condition: skip the whole entry */
		{
			size_t tl = strlen(term), k;
			const char *rest = term + tl + (term + tl < ln + n ? 1 : 0);

			k = strcspn(rest, "/[]()<>");
			if (rest[k]) {
				fprintf(stderr,
					"narrate: %s:%zu: skipped '%s': LIWC conditional "
					"entries are not supported\n",
					m->in, line, term);
				m->skipped++;
				free(ln);
				continue;
			}
		}
		while ((tok = strtok_r(NULL, " \t", &save))) {
			char *endp;
			long id = strtol(tok, &endp, 10);
			size_t k;

			if (*endp || endp == tok) {
				fprintf(stderr,
					"narrate: %s:%zu: skipped category '%s' of '%s': "
					"not a category number\n",
					m->in, line, tok, term);
				m->skipped++;
				continue;
			}
			for (k = 0; k < nids && ids[k].id != id; k++)
				;
			if (k == nids) {
				fprintf(stderr,
					"narrate: %s:%zu: skipped category %ld of '%s': not "
					"declared in the category block\n",
					m->in, line, id, term);
				m->skipped++;
				continue;
			}
			add_term(m, ids[k].cat, term, strlen(term), line);
		}
		free(ln);
	}
	free(ids);
	if (state < 2) {
		fprintf(stderr,
			"%s: no category block between two '%%' lines: not a LIWC "
			".dic file\n",
			m->in);
		return NR_EXIT_INPUT;
	}
	return NR_EXIT_OK;
}

/* ---- import: quanteda YAML ---------------------------------------- */

static int yaml_walk(struct model *m, yaml_document_t *doc, yaml_node_t *node, const char *path,
		     const char *label, int depth)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	struct cat *c;

	if (depth > 32) {
		fprintf(stderr, "%s:%zu:%zu: categories nested deeper than 32\n", m->in,
			node->start_mark.line + 1, node->start_mark.column + 1);
		return NR_EXIT_INPUT;
	}
	switch (node->type) {
	case YAML_MAPPING_NODE:
		for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			yaml_node_t *v = yaml_document_get_node(doc, p->value);
			char seg[256], *np, *nlab;
			size_t pl;
			int rc;

			if (!k || !v || k->type != YAML_SCALAR_NODE) {
				fprintf(stderr,
					"%s:%zu:%zu: a category name must be a plain "
					"string\n",
					m->in, (k ? k->start_mark.line : 0) + 1,
					(k ? k->start_mark.column : 0) + 1);
				return NR_EXIT_INPUT;
			}
			sanitise((const char *)k->data.scalar.value, k->data.scalar.length, seg,
				 sizeof(seg));
			pl = strlen(path) + strlen(seg) + 2;
			np = xrealloc(NULL, pl);
			snprintf(np, pl, "%s%s%s", path, *path ? "/" : "", seg);
			pl = strlen(label) + k->data.scalar.length + 2;
			nlab = xrealloc(NULL, pl);
			snprintf(nlab, pl, "%s%s%.*s", label, *label ? "/" : "",
				 (int)k->data.scalar.length, (const char *)k->data.scalar.value);
			rc = yaml_walk(m, doc, v, np, nlab, depth + 1);
			free(np);
			free(nlab);
			if (rc)
				return rc;
		}
		return NR_EXIT_OK;
	case YAML_SEQUENCE_NODE:
		if (!*path) {
			fprintf(stderr,
				"%s:%zu:%zu: patterns outside any category (the top "
				"level must be a map of category names)\n",
				m->in, node->start_mark.line + 1, node->start_mark.column + 1);
			return NR_EXIT_INPUT;
		}
		c = get_cat(m, path, label);
		for (it = node->data.sequence.items.start; it < node->data.sequence.items.top;
		     it++) {
			yaml_node_t *v = yaml_document_get_node(doc, *it);
			int rc;

			if (!v)
				continue;
			if (v->type == YAML_SCALAR_NODE) {
				add_term(m, c, (const char *)v->data.scalar.value,
					 v->data.scalar.length, v->start_mark.line + 1);
				continue;
			}
			rc = yaml_walk(m, doc, v, path, label, depth + 1);
			if (rc)
				return rc;
		}
		return NR_EXIT_OK;
	case YAML_SCALAR_NODE:
		if (!*path) {
			fprintf(stderr,
				"%s:%zu:%zu: not a dictionary (expected a map of "
				"category names)\n",
				m->in, node->start_mark.line + 1, node->start_mark.column + 1);
			return NR_EXIT_INPUT;
		}
		c = get_cat(m, path, label);
		add_term(m, c, (const char *)node->data.scalar.value, node->data.scalar.length,
			 node->start_mark.line + 1);
		return NR_EXIT_OK;
	default: return NR_EXIT_OK;
	}
}

static int import_yaml(struct model *m, const char *s, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc;

	if (!yaml_parser_initialize(&parser)) {
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)s, len);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "%s:%zu:%zu: %s\n", m->in, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1,
			parser.problem ? parser.problem : "YAML syntax error");
		yaml_parser_delete(&parser);
		return NR_EXIT_INPUT;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		fprintf(stderr, "%s: empty YAML document\n", m->in);
		rc = NR_EXIT_INPUT;
	} else {
		rc = yaml_walk(m, &doc, root, "", "", 0);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/* ---- import: the command ------------------------------------------ */

static void default_name(const char *in, char *out, size_t size)
{
	const char *b = strrchr(in, '/');
	size_t n, i, o = 0;

	b = b ? b + 1 : in;
	n = strcspn(b, ".");
	for (i = 0; i < n && o + 1 < size; i++) {
		char c = b[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[o++] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '_';
	}
	if (!o || !strcmp(in, "-"))
		snprintf(out, size, "imported");
	else
		out[o] = '\0';
}

static int write_model(struct model *m, FILE *out, const char *name, const char *fmt,
		       const char *lang)
{
	size_t i, j, n = 0;

	fprintf(out, "# Converted by 'narrate lexicon import' from a %s dictionary.\n",
		!strcmp(fmt, "dic") ? "LIWC-style .dic" : "quanteda-style YAML");
	fprintf(out, "# Check the source's licence before you redistribute this file.\n");
	fprintf(out, "@lexicon %s\n", name);
	fprintf(out, "@source imported from '%s' (%s format) by narrate %s\n", m->in, fmt,
		nr_version());
	fprintf(out, "@kind terms\n");
	if (lang)
		fprintf(out, "@lang %s\n", lang);
	for (i = 0; i < m->ncats; i++) {
		struct cat *c = &m->cats[i];

		fprintf(out, "\n@category %s", c->path);
		if (strcmp(c->label, c->path))
			fprintf(out, " %s", c->label);
		fputc('\n', out);
		for (j = 0; j < c->nterms; j++) {
			put_term(out, c->terms[j].text);
			fputc('\n', out);
			n++;
		}
	}
	return (int)(n > 0);
}

static void free_model(struct model *m)
{
	size_t i, j;

	for (i = 0; i < m->ncats; i++) {
		for (j = 0; j < m->cats[i].nterms; j++)
			free(m->cats[i].terms[j].text);
		free(m->cats[i].terms);
		free(m->cats[i].path);
		free(m->cats[i].label);
	}
	free(m->cats);
	nr_lexicon_free(m->probe);
}

static int cmd_import(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_NAME, OPT_LANG };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, OPT_FORMAT},
		{"name", required_argument, NULL, OPT_NAME},
		{"lang", required_argument, NULL, OPT_LANG},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *fmt = NULL, *outp = NULL, *lang = NULL, *in;
	char name[128];
	struct model m;
	char *buf, *text = NULL;
	size_t len, tlen = 0;
	FILE *out;
	int c, rc;

	name[0] = '\0';
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "dic") && strcmp(optarg, "yaml") &&
			    strcmp(optarg, "yml")) {
				nr_tool_error("unknown format '%s' (dic or yaml)", optarg);
				usage_hint();
				return NR_EXIT_USAGE;
			}
			fmt = !strcmp(optarg, "dic") ? "dic" : "yaml";
			break;
		case OPT_NAME:
			if (strlen(optarg) >= sizeof(name) ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
				    strlen(optarg) ||
			    !*optarg) {
				nr_tool_error("bad lexicon name '%s' (a-z, 0-9, '_', '-')", optarg);
				return NR_EXIT_USAGE;
			}
			snprintf(name, sizeof(name), "%s", optarg);
			break;
		case OPT_LANG: lang = optarg; break;
		case 'o': outp = optarg; break;
		case 'h': fputs(usage_text, stdout); return NR_EXIT_OK;
		case ':':
			nr_tool_error("option '%s' needs a value", argv[optind - 1]);
			usage_hint();
			return NR_EXIT_USAGE;
		default:
			nr_tool_error("unknown option '%s'", argv[optind - 1]);
			usage_hint();
			return NR_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !outp) {
		nr_tool_error(!outp ? "lexicon import needs -o OUT.nlex"
				    : "lexicon import needs exactly one input file");
		usage_hint();
		return NR_EXIT_USAGE;
	}
	in = argv[optind];
	if (!fmt) {
		const char *dot = strrchr(in, '.');

		if (dot && !strcmp(dot, ".dic"))
			fmt = "dic";
		else if (dot && (!strcmp(dot, ".yml") || !strcmp(dot, ".yaml")))
			fmt = "yaml";
		else {
			nr_tool_error("cannot tell the format of '%s'; give --format dic|yaml", in);
			return NR_EXIT_USAGE;
		}
	}
	if (!name[0])
		default_name(in, name, sizeof(name));
	memset(&m, 0, sizeof(m));
	m.in = in;
	if (lang) {
		/* validate the tag with the parser itself */
		char probe_src[160];
		struct nr_lexicon *lx;

		snprintf(probe_src, sizeof(probe_src), "@lexicon x\n@lang %s\n", lang);
		if (nr_lexicon_new(&lx) ||
		    nr_lexicon_load_buffer(lx, probe_src, strlen(probe_src), "--lang")) {
			nr_tool_error("bad language tag '%s' for --lang", lang);
			nr_lexicon_free(lx);
			return NR_EXIT_USAGE;
		}
		nr_lexicon_free(lx);
	}
	buf = nr_tool_read_file(in, MAX_INPUT, &len);
	if (!buf)
		return NR_EXIT_INPUT;
	if (nr_utf8_check(buf, len, NULL) != NR_OK) {
		size_t bad = 0;

		nr_utf8_check(buf, len, &bad);
		nr_tool_error("'%s' is not valid UTF-8 (byte offset %zu)", in, bad);
		free(buf);
		return NR_EXIT_INPUT;
	}
	if (nr_lexicon_new(&m.probe) != NR_OK) {
		free(buf);
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	rc = !strcmp(fmt, "dic") ? import_dic(&m, buf, len) : import_yaml(&m, buf, len);
	free(buf);
	if (rc) {
		free_model(&m);
		return rc;
	}
	/* write to memory, validate the whole, then to the output */
	out = open_memstream(&text, &tlen);
	if (!out) {
		free_model(&m);
		nr_tool_error("out of memory");
		return NR_EXIT_INTERNAL;
	}
	if (!write_model(&m, out, name, fmt, lang))
		fprintf(stderr, "narrate: warning: '%s' gave no entries\n", in);
	fclose(out);
	rc = nr_lexicon_load_buffer(m.probe, text, tlen, outp);
	if (rc) {
		nr_tool_error("the converted lexicon is not valid: %s", nr_lexicon_errmsg(m.probe));
		free(text);
		free_model(&m);
		return NR_EXIT_INPUT;
	}
	if (!strcmp(outp, "-")) {
		out = stdout;
	} else {
		out = fopen(outp, "wb");
		if (!out) {
			nr_tool_error("cannot open '%s' for writing: %s", outp, strerror(errno));
			free(text);
			free_model(&m);
			return NR_EXIT_INTERNAL;
		}
	}
	fwrite(text, 1, tlen, out);
	rc = NR_EXIT_OK;
	if (out != stdout && fclose(out) != 0) {
		nr_tool_error("cannot write '%s': %s", outp, strerror(errno));
		rc = NR_EXIT_INTERNAL;
	}
	if (!rc)
		fprintf(stderr, "narrate: wrote '%s': %zu entries in %zu categories, %zu skipped\n",
			outp, nr_lexicon_entry_count(m.probe), nr_lexicon_category_count(m.probe),
			m.skipped);
	free(text);
	free_model(&m);
	return rc;
}

int cmd_lexicon(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 2) {
			fputs(usage_text, stderr);
			return NR_EXIT_USAGE;
		}
		fputs(usage_text, stdout);
		return NR_EXIT_OK;
	}
	if (!strcmp(argv[1], "check")) {
		int i;

		for (i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				fputs(usage_text, stdout);
				return NR_EXIT_OK;
			}
		return cmd_check(argc - 2, argv + 2);
	}
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "build"))
		return cmd_lexicon_build(argc - 1, argv + 1);
	nr_tool_error("'%s' is not a lexicon subcommand (check, import, build)", argv[1]);
	usage_hint();
	return NR_EXIT_USAGE;
}
