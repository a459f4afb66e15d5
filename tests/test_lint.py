"""The notebooks, scripts and tests pass ruff (rules in ruff.toml); ruff reads .ipynb files itself."""

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise", "."],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, "ruff found lint errors (fix them, or see ruff.toml):\n" + result.stdout


def test_ruff_reads_the_notebooks():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--show-files", "."],
                            cwd=REPO, capture_output=True, text=True, check=True)
    linted = {Path(line).name for line in result.stdout.splitlines()}
    notebooks = {path.name for path in (REPO / "notebooks").glob("*.ipynb")}
    assert notebooks and notebooks <= linted, notebooks - linted
