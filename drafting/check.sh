#!/usr/bin/env bash
# The safety gate and a PDF build of one drafted language, in a temporary copy of the project.
set -euo pipefail
loc="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/proj"
mkdir -p "$root/locales"
cp -r /work/main/handouts /work/main/templates "$root/"
cp /work/main/locales/*.pot "$root/locales/"
mkdir -p "$root/locales/$loc"
cp -r "/work/tr/$loc/LC_MESSAGES" "$root/locales/$loc/"
[ -f "/work/tr/$loc/speech.toml" ] && cp "/work/tr/$loc/speech.toml" "$root/locales/$loc/"
mh=/work/main/.venv/bin/make-handouts
$mh --project "$root" status | grep -E "^(handout|baclofen-withdrawal +$loc )" || true
$mh --project "$root" build --output pdf --lang "$loc" --jobs 1 || true
pdf=$(ls "$root"/dist/baclofen-withdrawal/*/baclofen-withdrawal-*.pdf 2>/dev/null | grep -v "/en/" | head -1 || true)
if [ -n "$pdf" ]; then echo "--- pdftotext of $pdf"; pdftotext -enc UTF-8 "$pdf" - | head -150; fi
