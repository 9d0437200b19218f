#!/usr/bin/env bash
# System packages gongfu uses from Debian: a CJK font for charts and PDFs, Pango for WeasyPrint (PDF),
# poppler-utils for the PDF rendering test, LibreOffice Writer (headless) to render the Word documents in the
# layout tests, and Chromium for the browser tests.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
PKGS=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-writer-nogui chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "note: missing system packages (PDF reports / browser tests will be skipped): ${missing[*]}" >&2
  echo "      install with: sudo apt-get install ${missing[*]}" >&2
fi
