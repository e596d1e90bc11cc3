#!/bin/sh
# Install the Debian packages narrate needs, and nothing when they are present.
#   scripts/install-deps.sh build   - what building the library and CLI needs
#   scripts/install-deps.sh test    - build + what the tests read (Unicode and
#                                     Snowball reference data, cmocka, clang)
#   scripts/install-deps.sh bench   - test + what the benchmarks compare against
# Runs as root on Debian 12; as another user it only reports what is missing.
set -e

BUILD="build-essential pkg-config libicu-dev libutf8proc-dev libstemmer-dev
libpcre2-dev libjansson-dev libcsv-dev zlib1g-dev libyaml-dev libexttextcat-dev
libexttextcat-data"
TEST="$BUILD libcmocka-dev unicode-data snowball-data clang libclang-rt-14-dev
libxml2-utils valgrind time python3 bzip2 man-db locales chromium fonts-noto-cjk
fonts-noto-core iso-codes"
BENCH="$TEST python3-sklearn python3-numpy python3-scipy python3-jieba
hyperfine debian-reference-en debian-reference-zh-cn debian-reference-de
debian-reference-es debian-reference-fr debian-reference-id debian-reference-it
debian-reference-ja debian-reference-pt"

case "${1:-build}" in
build) want=$BUILD ;;
test) want=$TEST ;;
bench) want=$BENCH ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "narrate: missing Debian packages:$missing" >&2
	echo "narrate: run 'make' as root, or: apt-get install$missing" >&2
	exit 1
fi
echo "narrate: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
