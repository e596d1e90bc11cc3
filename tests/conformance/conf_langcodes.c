/*
 * conf_langcodes.c - narrate's table of language codes (lib/langtag.c)
 * against ISO 639-2 as Debian's iso-codes package ships it
 * (/usr/share/iso-codes/json/iso_639-2.json, read at test time, or the
 * file named by $NR_ISO639_JSON): for every row, the ISO 639-1 code has an
 * entry whose terminology code, bibliographic code (the same when the
 * entry has none) and English name (lower-cased, one of its comma- or
 * semicolon-separated parts starting with ours) agree.  Exit 0 = pass.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "langtag.h"

/* 1 if one of name's parts ("Greek, Modern (1453-)", "Sotho, Southern")
 * lower-cased starts with ours */
static int name_ok(const char *name, const char *ours)
{
	size_t n = strlen(ours);
	const char *p = name;

	while (*p) {
		size_t i = 0;

		while (*p == ' ' || *p == ',' || *p == ';')
			p++;
		while (i < n && p[i] && tolower((unsigned char)p[i]) == ours[i])
			i++;
		if (i == n)
			return 1;
		while (*p && *p != ',' && *p != ';')
			p++;
	}
	return 0;
}

int main(void)
{
	const char *path = getenv("NR_ISO639_JSON");
	json_error_t err;
	json_t *root, *list;
	size_t rows, bad = 0;
	const char *iso1, *iso2b, *iso2t, *name;

	if (!path)
		path = "/usr/share/iso-codes/json/iso_639-2.json";
	root = json_load_file(path, 0, &err);
	if (!root) {
		fprintf(stderr, "conf_langcodes: cannot read %s: %s (Debian package iso-codes)\n",
			path, err.text);
		return 1;
	}
	list = json_object_get(root, "639-2");
	if (!json_is_array(list)) {
		fprintf(stderr, "conf_langcodes: %s has no \"639-2\" list\n", path);
		return 1;
	}
	rows = nri_lang_known(0, &iso1, &iso2b, &iso2t, &name);
	for (size_t i = 0; i < rows; i++) {
		const json_t *e, *hit = NULL;
		size_t k;
		const char *t, *b, *nm;
		char code[8];

		nri_lang_known(i, &iso1, &iso2b, &iso2t, &name);
		json_array_foreach(list, k, e)
		{
			const char *a2 = json_string_value(json_object_get(e, "alpha_2"));

			if (a2 && !strcmp(a2, iso1))
				hit = e;
		}
		if (!hit) {
			fprintf(stderr, "%s: no ISO 639-2 entry\n", iso1);
			bad++;
			continue;
		}
		t = json_string_value(json_object_get(hit, "alpha_3"));
		b = json_string_value(json_object_get(hit, "bibliographic"));
		nm = json_string_value(json_object_get(hit, "name"));
		if (!b)
			b = t;
		if (!t || strcmp(t, iso2t) || strcmp(b, iso2b) || !nm || !name_ok(nm, name)) {
			fprintf(stderr, "%s: ours %s/%s/%s, ISO 639-2 %s/%s/%s\n", iso1, iso2b, iso2t,
				name, b ? b : "-", t ? t : "-", nm ? nm : "-");
			bad++;
		}
		/* and each of the four finds the row's code */
		if (!nri_lang_code(iso2b, code, sizeof(code)) || strcmp(code, iso1) ||
		    !nri_lang_code(iso2t, code, sizeof(code)) || strcmp(code, iso1) ||
		    !nri_lang_code(name, code, sizeof(code)) || strcmp(code, iso1)) {
			fprintf(stderr, "%s: nri_lang_code does not find it by every name\n", iso1);
			bad++;
		}
	}
	json_decref(root);
	printf("conf_langcodes: %zu rows, %zu disagree with %s\n", rows, bad, path);
	return bad ? 1 : 0;
}
