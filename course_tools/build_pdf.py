"""Build the whole book as one PDF, for reading offline and printing: `make pdf`.

    .venv/bin/python -m course_tools.build_pdf      # writes _build/pdf/<repository name>.pdf

Two steps, both offline. Jupyter Book builds the book as a single HTML page (`--builder singlehtml`, with
course_tools/sphinx_ext.py leaving out the folded cells); then the Chromium that the browser test uses
prints that page, with the book's own MathJax (sphinx-mathjax-offline) rendering the equations first and
every solution dropdown opened. This is Jupyter Book's own `pdfhtml` route, with the system's Chromium
instead of the one pyppeteer would download, and no LaTeX installation.
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from course_tools import REPO
from course_tools.browser import CHROMIUM_ARGS, chromium_path
from notebook_helpers.config import NAME

SINGLE = REPO / "_build" / "singlehtml"
PDF = REPO / "_build" / "pdf" / f"{NAME}.pdf"
PRINT_CSS = REPO / "book" / "_static" / "print.css"


def build_single_page():
    print("==> Building the book as one HTML page (Sphinx warnings are errors)", flush=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(REPO),
               "--builder", "singlehtml", "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the single-page build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    # Sphinx writes the page at the root document's path (book/intro.html) but links its images and
    # static files as if it stood at the top of the build: a copy there finds them.
    root = SINGLE / f"{yaml.safe_load((REPO / '_toc.yml').read_text(encoding='utf-8'))['root']}.html"
    page = SINGLE / "print.html"
    shutil.copyfile(root, page)
    return page


def print_page(page, pdf):
    path = chromium_path()
    if path is None:
        sys.exit("No Chromium found (tried $CHROMIUM, chromium, chromium-browser, google-chrome): install "
                 "Debian's package with `apt-get install chromium`, or set CHROMIUM=/path/to/chrome.")
    from playwright.sync_api import sync_playwright

    print(f"==> Printing it to {pdf} with {path} (about half a minute)", flush=True)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(page.as_uri(), wait_until="load", timeout=120_000)
        tab.add_style_tag(path=PRINT_CSS)
        tab.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                              timeout=120_000)
        tab.evaluate("() => MathJax.startup.promise")
        left = tab.evaluate("() => document.querySelectorAll('mjx-merror, .math:not(:has(mjx-container))').length")
        if left:
            sys.exit(f"{left} equations did not render")
        tab.emulate_media(media="print")
        tab.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True,
                display_header_footer=True, header_template="<span></span>",
                footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PDF, help=f"the PDF to write (default {PDF.relative_to(REPO)})")
    out = parser.parse_args().out.resolve()
    start = time.perf_counter()
    print_page(build_single_page(), out)
    print(f"==> Done in {time.perf_counter() - start:.0f} s: {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
