#!/bin/sh
# make install / make uninstall into a temporary PREFIX (and a DESTDIR
# staging tree): every file lands where it should, the installed narrate
# finds its data, the man page renders, a program built with
# `pkg-config --cflags --libs narrate` links against the installed shared
# and static library and calls nr_version(), and uninstall removes it all.
#   sh tests/cli/install.sh      (from the source tree; runs make)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
P=$tmp/prefix
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# Sub-makes must not inherit a sanitizer build or the suite's jobserver.
unset MAKEFLAGS MFLAGS SANITIZE B
mk() {
	make -C "$ROOT" --no-print-directory "$@" >"$tmp/make.log" 2>&1 || {
		bad "make $*"
		tail -n 20 "$tmp/make.log"
		return 1
	}
}

mk install PREFIX="$P" || exit 1

for f in bin/narrate lib/libnarrate.a lib/libnarrate.so.0 lib/libnarrate.so \
	include/narrate.h lib/pkgconfig/narrate.pc share/man/man1/narrate.1; do
	[ -e "$P/$f" ] || bad "not installed: $f"
done
[ -x "$P/bin/narrate" ] || bad "bin/narrate is not executable"
[ "$(readlink "$P/lib/libnarrate.so")" = libnarrate.so.0 ] ||
	bad "lib/libnarrate.so does not link to libnarrate.so.0"
cmp -s "$ROOT/include/narrate.h" "$P/include/narrate.h" || bad "narrate.h differs from the source"
# Every data file of lexicons/ is installed under share/narrate.
(cd "$ROOT/lexicons" && find . -type f | sort) >"$tmp/want-data"
(cd "$P/share/narrate" && find . -type f | sort) >"$tmp/got-data"
diff -u "$tmp/want-data" "$tmp/got-data" || bad "share/narrate differs from lexicons/ (diff above)"

# The .pc file names the PREFIX given to make install.
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
[ "$(pkg-config --variable=prefix narrate)" = "$P" ] ||
	bad "narrate.pc prefix is '$(pkg-config --variable=prefix narrate)', not '$P'"
ver=$("$P/bin/narrate" --version) || bad "installed narrate --version failed"
[ "$(pkg-config --modversion narrate)" = "${ver#narrate }" ] ||
	bad "narrate.pc version $(pkg-config --modversion narrate) is not the binary's ($ver)"

# A program using the installed library, shared and static.
cat >"$tmp/v.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <narrate.h>
int main(void)
{
	const char *v = nr_version();
	size_t bad = 0;

	/* one more call, so more than a string is linked */
	if (nr_utf8_check("\xe6\x9d\xad", 3, &bad) != NR_OK)
		return 1;
	printf("%s\n", v);
	return strchr(v, '.') ? 0 : 1;
}
C
# shellcheck disable=SC2046
if cc -o "$tmp/v-shared" "$tmp/v.c" $(pkg-config --cflags --libs narrate) 2>"$tmp/cc.log"; then
	got=$(LD_LIBRARY_PATH="$P/lib" "$tmp/v-shared") || bad "shared: program failed"
	[ "narrate $got" = "$ver" ] || bad "shared: nr_version() is '$got', narrate says '$ver'"
	LD_LIBRARY_PATH="$P/lib" ldd "$tmp/v-shared" | grep -q "$P/lib/libnarrate.so.0" ||
		bad "shared: not linked against $P/lib/libnarrate.so.0"
else
	bad "shared: cannot compile with pkg-config --cflags --libs narrate"
	cat "$tmp/cc.log"
fi
# Static: the Libs.private / Requires.private of narrate.pc must be complete.
libs=$(pkg-config --static --libs narrate | sed 's/-lnarrate/-l:libnarrate.a/')
# shellcheck disable=SC2046,SC2086
if cc -o "$tmp/v-static" "$tmp/v.c" $(pkg-config --cflags narrate) $libs 2>"$tmp/cc.log"; then
	got=$("$tmp/v-static") || bad "static: program failed"
	[ "narrate $got" = "$ver" ] || bad "static: nr_version() is '$got', narrate says '$ver'"
	ldd "$tmp/v-static" | grep -q libnarrate && bad "static: links libnarrate dynamically"
else
	bad "static: cannot link with pkg-config --static --libs narrate"
	cat "$tmp/cc.log"
fi

# The installed narrate finds its stopwords without NARRATE_DATA, from a
# directory that is not the source tree.
if [ -f "$P/share/narrate/stopwords/en.txt" ]; then
	out=$(cd "$tmp" && printf 'the city\n' | env -u NARRATE_DATA "$P/bin/narrate" tokenize --lang en) ||
		bad "installed narrate tokenize failed"
	printf '%s\n' "$out" | grep -q "	the	the	the	1$" ||
		bad "installed narrate does not flag 'the' as a stopword: data not found: $out"
fi

# The man page renders and man finds it.
MANPATH="$P/share/man" man -w narrate 2>/dev/null | grep -q "$P/share/man/man1/narrate.1" ||
	bad "man -w narrate does not find the installed page"
man -l "$P/share/man/man1/narrate.1" 2>/dev/null | grep -q 'narrate tokenize' ||
	bad "the man page does not render"

mk uninstall PREFIX="$P"
left=$(find "$P" ! -type d)
[ -z "$left" ] || bad "left after uninstall: $left"

# DESTDIR staging: files under DESTDIR, paths inside them without it.
S=$tmp/stage
mk install PREFIX=/opt/narrate DESTDIR="$S" &&
	{
		[ -x "$S/opt/narrate/bin/narrate" ] || bad "DESTDIR: bin/narrate missing"
		grep -qx 'prefix=/opt/narrate' "$S/opt/narrate/lib/pkgconfig/narrate.pc" ||
			bad "DESTDIR: narrate.pc does not say prefix=/opt/narrate"
	}
mk uninstall PREFIX=/opt/narrate DESTDIR="$S"
left=$(find "$S" ! -type d)
[ -z "$left" ] || bad "DESTDIR: left after uninstall: $left"

[ $fail -eq 0 ] && echo "install: all checks pass"
exit $fail
