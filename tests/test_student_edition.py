"""The student edition keeps every exercise and everything else, and no solution survives in it."""

import ast
import subprocess
import sys
import zipfile

import nbformat
import pytest
from conftest import NOTEBOOKS

from course_tools import EXPERIMENTS
from course_tools.student_edition import EDITIONS, END, START, notebook_paths, student_cells
from notebook_helpers.config import NAME


def solution_texts(cells):
    """The answer in words of each solution: markdown between solution-start and solution-end."""
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    answers = []
    for start in START.finditer(text):
        end = END.search(text, start.end())
        answers.append(text[start.end():end.start()].strip())
    return answers


BOTH_EDITIONS = [(name, path) for name in EDITIONS for path in notebook_paths(name)]  # the Chinese ones generated


@pytest.mark.parametrize("edition, path", BOTH_EDITIONS, ids=lambda value: getattr(value, "name", value))
def test_no_solution_survives_and_the_rest_is_unchanged(edition, path):
    prompt, placeholder = EDITIONS[edition].prompt, EDITIONS[edition].placeholder
    original = nbformat.read(path, as_version=4).cells
    solutions = [cell for cell in original if "solution" in cell.metadata.get("tags", [])]
    answers = solution_texts(original)
    student = student_cells(nbformat.read(path, as_version=4).cells, edition)
    markdown = "\n".join(cell.source for cell in student if cell.cell_type == "markdown")

    assert solutions and answers, "every chapter has exercises with solutions"
    assert "solution-start" not in markdown and "solution-end" not in markdown
    assert markdown.count(prompt) == len(answers)
    assert markdown.count("```{exercise}") == sum(cell.source.count("```{exercise}") for cell in original)
    for answer in answers:
        longest_line = max(answer.splitlines(), key=len)
        assert longest_line not in markdown, f"a solution survived: {longest_line[:80]}"

    placeholders = [cell for cell in student if "solution" in cell.metadata.get("tags", [])]
    assert len(placeholders) == len(solutions)
    for cell in placeholders:
        assert cell.source.startswith(placeholder) and cell.outputs == [] and cell.execution_count is None

    def kept(cells):
        return [(c.source, [] if "check" in c.metadata.get("tags", []) else c.outputs) for c in cells
                if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])]
    assert kept(student) == kept(original), \
        "code cells other than solutions are copied unchanged, outputs included (a check cell's verdict excepted)"
    assert all(c.outputs == [] for c in student if "check" in c.metadata.get("tags", []))
    untouched = [c.source for c in original if c.cell_type == "markdown"
                 and "solution-start" not in c.source and "solution-end" not in c.source]
    assert all(source in markdown for source in untouched)


def assigned_names(source):
    """The names a cell assigns or defines (a class the exercise asks for is an answer too)."""
    tree = ast.parse(source)
    return {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)} | {
        node.name for node in tree.body if isinstance(node, ast.ClassDef | ast.FunctionDef)}


def used_names(source):
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_cells_read_answers_that_solutions_set_and_students_can_leave_unset(path):
    """Each answer a solution names in its metadata is assigned by it and read by a later check cell; in
    the student edition the placeholder sets it to None before that check cell, which is kept."""
    cells = nbformat.read(path, as_version=4).cells
    student = student_cells(nbformat.read(path, as_version=4).cells)
    declared = {}
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        names = cell.metadata.get("answer", [])
        if names:
            assert "solution" in tags, f"cell {cell.id} names an answer but is not a solution"
            missing = set(names) - assigned_names(cell.source)
            assert not missing, f"solution cell {cell.id} does not assign {missing}"
            declared.update((name, index) for name in names)
        if "check" in tags:
            assert "solution" not in tags and "check_answer(" in cell.source, cell.id
            read = used_names(cell.source) & set(declared)
            assert read, f"check cell {cell.id} reads no answer a solution declares"
            assert all(declared[name] < index for name in read)
            wrong = cell.metadata.get("wrong", [])
            assert wrong and all(set(case) <= used_names(cell.source) for case in wrong), \
                f"check cell {cell.id}: list the wrong answers it must reject (metadata wrong: names it reads)"
    checked = {name for cell in cells if "check" in cell.metadata.get("tags", []) for name in used_names(cell.source)}
    assert set(declared) <= checked, f"answers no check cell reads: {set(declared) - checked}"
    student_sources = [cell.source for cell in student if cell.cell_type == "code"]
    for name in declared:
        set_to_none = [i for i, source in enumerate(student_sources) if f"{name} = None" in source.splitlines()]
        first_check = min(i for i, c in enumerate(student) if c.cell_type == "code"
                          and "check" in c.metadata.get("tags", []) and name in used_names(c.source))
        assert set_to_none and set_to_none[0] < first_check, f"{name} is not set to None before its check"


def exercise(*code):
    """An exercise's cells: its words, and a solution of the given code cells between solution-start and -end."""
    return [nbformat.v4.new_markdown_cell("Do it.\n\n```{solution-start} ex\n:class: dropdown\n```\nThe answer."),
            *code, nbformat.v4.new_markdown_cell("```{solution-end}\n```\nAfter.")]


def test_placeholder_sets_each_answer_to_none():
    tags = {"tags": ["solution"]}
    cells = student_cells(exercise(nbformat.v4.new_code_cell("answer_stack = [1, 2]", metadata={
        **tags, "answer": ["answer_stack", "answer_b"]}), nbformat.v4.new_code_cell("x = 1", metadata=tags)))
    placeholder = EDITIONS["en"].placeholder
    assert [cell.source for cell in cells] == [f"Do it.\n\n{EDITIONS['en'].prompt}", "\n".join(
        [placeholder, "answer_stack = None", "answer_b = None"]), placeholder, "After."]
    assert [cell.metadata for cell in cells[1:3]] == [tags, tags]


def test_a_solution_out_of_place_stops_the_edition():
    with pytest.raises(ValueError, match="tagged solution"):
        student_cells(exercise(nbformat.v4.new_code_cell("x = 1")))  # inside, not tagged
    with pytest.raises(ValueError, match="tagged solution"):
        student_cells([nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})])  # outside, tagged
    with pytest.raises(ValueError, match="no solution-end"):
        student_cells(exercise()[:1])
    with pytest.raises(ValueError, match="solution-start inside a solution"):
        student_cells(exercise()[:1] + exercise()[:1])


def test_command_writes_every_notebook_and_the_data(tmp_path):
    result = subprocess.run([sys.executable, "-m", "course_tools.student_edition", "--out", str(tmp_path),
                             "--zip"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "notebooks").glob("*.ipynb"))
    assert written == [p.name for p in NOTEBOOKS]
    assert (tmp_path / "notebooks" / "data" / "mnist" / "SHA256SUMS").is_file()
    assert sorted(p.name for p in (tmp_path / "experiments").iterdir()) == \
        sorted(p.name for p in (EXPERIMENTS).glob("*.csv"))
    for name in written:
        nbformat.validate(nbformat.read(tmp_path / "notebooks" / name, as_version=4))
    archive = tmp_path / f"{NAME}-student.zip"
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {f"{NAME}-student/notebooks/{name}" for name in written} <= names
        assert f"{NAME}-student/notebooks/data/mnist/SHA256SUMS" in names
        assert f"{NAME}-student/experiments/seed_sweep.csv" in names
        for name in written:
            zipped = nbformat.reads(zf.read(f"{NAME}-student/notebooks/{name}").decode(), as_version=4)
            assert zipped == nbformat.read(tmp_path / "notebooks" / name, as_version=4)
