"""Headless Chromium with the network blocked, for the archival PDFs (build.pdf) and the real-browser
test: Debian's chromium and chromium-driver, installed by tools/install_browser.sh (make browser)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

# Chromium itself phones home unless told not to; a page must make no request beyond its own file.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
WAIT_FOR_FONTS = "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));"


class ChromiumMissing(RuntimeError):
    """chromium or chromedriver is not installed."""


def missing() -> list[str]:
    return [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]


@contextlib.contextmanager
def headless(*, logs: bool = False) -> Iterator:
    """A WebDriver on headless Chromium with every network URL blocked; quit at the end."""
    from selenium import webdriver  # selenium only where a browser is wanted
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    if absent := missing():
        raise ChromiumMissing(
            f"{' and '.join(absent)} not installed: run `make browser` (tools/install_browser.sh)"
        )
    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    try:
        driver.set_script_timeout(30)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
        yield driver
    finally:
        driver.quit()
