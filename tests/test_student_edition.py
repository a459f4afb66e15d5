"""The student edition keeps every exercise and everything else, and no solution survives in it."""

import subprocess
import sys

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO
from student_edition import ANSWER_PROMPT, CODE_PLACEHOLDER, END, START, student_cells


def solution_texts(cells):
    """The answer in words of each solution: markdown between solution-start and solution-end."""
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    answers = []
    for start in START.finditer(text):
        end = END.search(text, start.end())
        answers.append(text[start.end():end.start()].strip())
    return answers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_survives_and_the_rest_is_unchanged(path):
    original = nbformat.read(path, as_version=4).cells
    solutions = [cell for cell in original if "solution" in cell.metadata.get("tags", [])]
    answers = solution_texts(original)
    student = student_cells(nbformat.read(path, as_version=4).cells)
    markdown = "\n".join(cell.source for cell in student if cell.cell_type == "markdown")

    assert solutions and answers, "every chapter has exercises with solutions"
    assert "solution-start" not in markdown and "solution-end" not in markdown
    assert markdown.count(ANSWER_PROMPT) == len(answers)
    assert markdown.count("```{exercise}") == sum(cell.source.count("```{exercise}") for cell in original)
    for answer in answers:
        longest_line = max(answer.splitlines(), key=len)
        assert longest_line not in markdown, f"a solution survived: {longest_line[:80]}"

    placeholders = [cell for cell in student if "solution" in cell.metadata.get("tags", [])]
    assert len(placeholders) == len(solutions)
    for cell in placeholders:
        assert cell.source == CODE_PLACEHOLDER and cell.outputs == [] and cell.execution_count is None

    kept_code = [(c.source, c.outputs) for c in original
                 if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])]
    student_code = [(c.source, c.outputs) for c in student
                    if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])]
    assert student_code == kept_code, "code cells other than solutions are copied unchanged, outputs included"
    untouched = [c.source for c in original if c.cell_type == "markdown"
                 and "solution-start" not in c.source and "solution-end" not in c.source]
    assert all(source in markdown for source in untouched)


def test_command_writes_every_notebook_and_the_data(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "student_edition.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "notebooks").glob("*.ipynb"))
    assert written == [p.name for p in NOTEBOOKS]
    assert (tmp_path / "notebooks" / "data" / "mnist" / "SHA256SUMS").is_file()
    for name in written:
        nbformat.validate(nbformat.read(tmp_path / "notebooks" / name, as_version=4))
