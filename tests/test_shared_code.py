"""Shared code has one source, notebook_helpers: the copies in notebooks are up to date, none is made by hand."""

import ast
import collections
import re

import nbformat
import pytest
from conftest import NOTEBOOKS

from course_tools import HELPERS, shared_code


def hand_cells(nb):
    """The code cells written by hand: not the Colab cell, not the generated shared cells."""
    return [cell for cell in nb.cells if cell.cell_type == "code" and shared_code.KEY not in cell.metadata
            and "colab" not in cell.metadata.get("tags", [])]


def top_level_definitions(source):
    """Names of the functions and classes a cell defines at its top level (IPython magics aside)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_shared_cells_are_copies_of_their_source(path):
    nb = nbformat.read(path, as_version=4)
    assert not shared_code.update(nb), \
        f"{path.name}: a shared cell differs from notebook_helpers/; run python -m course_tools.shared_code"


def test_no_function_is_defined_by_hand_in_two_notebooks():
    where = collections.defaultdict(set)
    for path in NOTEBOOKS:
        for cell in hand_cells(nbformat.read(path, as_version=4)):
            for name in top_level_definitions(cell.source):
                where[name].add(path.name)
    copies = {name: sorted(paths) for name, paths in where.items() if len(paths) > 1}
    assert not copies, f"defined by hand in several notebooks (move them to notebook_helpers/): {copies}"


def test_no_notebook_redefines_a_shared_name_by_hand():
    shared = set()
    for module in HELPERS.glob("*.py"):
        shared.update(top_level_definitions(module.read_text(encoding="utf-8")))
    for path in NOTEBOOKS:
        for cell in hand_cells(nbformat.read(path, as_version=4)):
            copied = shared & set(top_level_definitions(cell.source))
            assert not copied, f"{path.name} defines by hand what notebook_helpers/ defines: {sorted(copied)}"


def test_generated_cell_carries_imports_dependencies_and_constants():
    source = shared_code.cell_source(["numeric.lstm_params", "config.RAW_URL"])
    namespace = {}
    exec(source, namespace)  # it stands alone: simple_rnn_params came with lstm_params
    assert namespace["lstm_params"](3, 5) == 4 * 5 * (3 + 5 + 1)
    from notebook_helpers import config
    assert namespace["RAW_URL"] == config.RAW_URL
    assert all(len(line) <= 79 for line in source.splitlines())
    assert source.startswith("# Shared with other chapters")


def test_generated_cell_copies_what_it_imports_from_another_course_module():
    source = shared_code.cell_source(["environment.print_runtime", "data.DATA_URL"])
    assert "def cpu_name" in source and not re.search(r"^(from|import) notebook_helpers", source, flags=re.MULTILINE)
    namespace = {}
    exec(source, namespace)
    from notebook_helpers import config, data
    assert namespace["DATA_URL"] == data.DATA_URL == f"{config.RAW_URL}notebooks/data"


def test_generated_cell_names_what_it_lacks():
    with pytest.raises(LookupError, match="no 'nothing_here'"):
        shared_code.cell_source(["numeric.nothing_here"])
    with pytest.raises(ValueError, match="MODULE.NAME"):
        shared_code.cell_source(["sigmoid"])


def test_update_folds_helpers_and_keeps_teaching_code_open():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("", metadata={"shared": ["numeric.sigmoid"]}),
                nbformat.v4.new_code_cell("", metadata={"shared": {"names": ["numeric.relu"], "show": True}})]
    assert shared_code.update(nb)
    folded, shown = nb.cells
    assert "def sigmoid" in folded.source and "hide-input" in folded.metadata.tags
    assert folded.metadata.mystnb["code_prompt_show"] == "Show the shared helpers: sigmoid"
    assert folded.source.startswith("#@title Show the shared helpers: sigmoid\n# Shared with other chapters")
    assert (folded.metadata.cellView, folded.metadata.jupyter) == ("form", {"source_hidden": True})
    assert "def relu" in shown.source and "hide-input" not in shown.metadata.get("tags", [])
    assert not {"cellView", "jupyter"} & set(shown.metadata) and not shown.source.startswith("#@")
    assert not shared_code.update(nb), "a second run changes nothing"


def test_what_an_earlier_shared_cell_defined_is_not_written_again():
    alone = shared_code.cell_source(["mnist.training_flops"])
    after = shared_code.cell_source(["mnist.training_flops"], defined={("mnist", "STEPS"), ("mnist", "UNITS")})
    assert "STEPS = 28" in alone and "UNITS = 16" in alone
    assert "STEPS = 28" not in after and "UNITS = 16" not in after and "BATCH_SIZE = 100" in after
    assert "def training_flops():" in after
