"""Headless Chromium (Debian's `chromium` package) for tests that assert on what a browser renders.

Each call starts one browser with a fresh profile in a temporary directory, no network services and no
extensions, and returns what it produced (the DOM after load, or a screenshot). Without /usr/bin/chromium
the tests skip, unless PRECOMMENT_REQUIRE_BROWSER=1 (as in CI), when they fail: a browser test that
silently stops running is no test.

Also a tool: `python tests/browser.py PAGE.html OUT.png [WIDTH HEIGHT]` saves a screenshot to look at.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path(os.environ.get("PRECOMMENT_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio")
TIMEOUT = 120  # seconds; one start takes about one on an idle machine


def require_chromium() -> None:
    """Skip the calling test when there is no browser, or fail it when PRECOMMENT_REQUIRE_BROWSER=1."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    import pytest
    reason = f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("PRECOMMENT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; PRECOMMENT_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


def run_chromium(page: Path, *action: str) -> subprocess.CompletedProcess[str]:
    """Open `page` (a local file) in a new headless browser and do `action` (e.g. --dump-dom)."""
    with tempfile.TemporaryDirectory(prefix="precomment-chromium-") as profile:
        env = {**os.environ, "HOME": profile}  # no writes to the real home (crash reports, caches)
        command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *action, page.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if done.returncode != 0:
        raise AssertionError(f"chromium exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done


def dump_dom(page: Path) -> str:
    """The page's DOM after it has loaded (and after any script it was allowed to run), as HTML."""
    return run_chromium(page, "--dump-dom").stdout


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2400) -> Path:
    """A PNG of the top `height` pixels of the page at `width` pixels wide."""
    run_chromium(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")
    return png


if __name__ == "__main__":
    size = [int(n) for n in sys.argv[3:5]]
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2]), *size))
