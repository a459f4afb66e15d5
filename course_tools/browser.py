"""The headless Chromium the course uses to look at its book (the browser
test) and to print it (the PDF): Debian's, driven by Playwright."""

import os
import shutil

# The flags Chromium needs in a container with no network: no sandbox
# (root), no GPU, and none of its background connections (updates, sync,
# safe browsing), which would only fail here.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path():
    """$CHROMIUM, or the first of CHROMIUM_NAMES on the PATH; None if none
    is there."""
    candidates = [os.environ.get("CHROMIUM"),
                  *map(shutil.which, CHROMIUM_NAMES)]
    return next((path for path in candidates
                 if path and os.access(path, os.X_OK)), None)
