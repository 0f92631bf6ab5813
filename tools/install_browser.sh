#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the real-browser test of the reports (tests/test_browser.py) and
# the archival PDFs (make pdf), poppler-utils' pdftotext, with which the tests read the PDFs' text, and
# axe-core, the accessibility checker the browser test runs in every page.
# - Debian's chromium, chromium-driver and poppler-utils are installed when any is missing.
# - axe-core comes from the npm registry, pinned with its integrity hash in tools/browser/package-lock.json,
#   installed by `npm ci` into tools/browser/node_modules (git-ignored); Debian's nodejs and npm are
#   installed first when npm is missing. Nothing runs when what is installed is what the lock file names.
# Quick and silent when everything is there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node_dir="$here/browser"
# A copy of the lock file npm ci installed from: when it equals the lock file, node_modules is current.
installed_lock="$node_dir/node_modules/.installed-package-lock.json"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "install_browser: this user cannot install Debian packages;" >&2
        echo "  ask an administrator for: apt-get install $*" >&2
        exit 1
    fi
}

apt_install() {
    echo "install_browser: installing Debian packages $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! { command -v chromium && command -v chromedriver && command -v pdftotext; } >/dev/null; then
    apt_install chromium chromium-driver poppler-utils
    chromium --version
    chromedriver --version
fi

if ! cmp -s "$node_dir/package-lock.json" "$installed_lock"; then
    command -v npm >/dev/null || apt_install nodejs npm
    echo "install_browser: npm ci in tools/browser (axe-core, as pinned in package-lock.json)" >&2
    (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$node_dir/package-lock.json" "$installed_lock"
fi
