#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the real-browser test of the reports (tests/test_browser.py) and
# the archival PDFs (make pdf), and poppler-utils' pdftotext, with which the tests read the PDFs' text.
# Installs Debian's chromium, chromium-driver and poppler-utils when any is missing; does nothing otherwise.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v pdftotext >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "install_browser: chromium and chromedriver are missing and this user cannot install them;" >&2
    echo "  ask an administrator for: apt-get install chromium chromium-driver poppler-utils" >&2
    exit 1
fi
echo "install_browser: installing Debian packages chromium, chromium-driver and poppler-utils" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver poppler-utils >/dev/null
chromium --version
chromedriver --version
