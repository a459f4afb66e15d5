"""Shared test configuration. The hooks that must also apply when only notebooks are collected
(`pytest notebooks/X.ipynb`) live in course_plugin.py, which pytest.ini loads with -p."""

from notebook_code import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
