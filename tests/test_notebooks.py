"""course_tools.notebooks: the one command-line convention of the generators (rewrite, or --check)."""

import nbformat
import pytest

from course_tools import colab_cell, notebooks, shared_code


def a_notebook(folder, stem="chapter"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter"),
                nbformat.v4.new_code_cell("", metadata={"shared": ["numeric.sigmoid"]})]
    path = folder / f"{stem}.ipynb"
    notebooks.write(nb, path)
    return path


def test_check_names_a_stale_notebook_and_writes_nothing(tmp_path, capsys):
    path = a_notebook(tmp_path)
    before = path.read_bytes()
    assert notebooks.main(shared_code.update, shared_code.__doc__, ["--check", str(path)]) == 1
    assert "chapter.ipynb is stale: run python -m course_tools.shared_code" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_a_generator_rewrites_then_check_passes(tmp_path, capsys):
    path = a_notebook(tmp_path)
    for update, module in ((shared_code.update, shared_code), (colab_cell.update, colab_cell)):
        assert notebooks.main(update, module.__doc__, [str(path)]) == 0
        assert "rewrote chapter.ipynb" in capsys.readouterr().out
        assert notebooks.main(update, module.__doc__, ["--check", str(path)]) == 0
    cells = notebooks.read(path).cells
    assert colab_cell.TAG in notebooks.tags(cells[1]) and "def sigmoid" in cells[2].source


def test_tagged_source_names_a_missing_tag(tmp_path):
    path = a_notebook(tmp_path)
    with pytest.raises(LookupError, match="no code cell tagged 'nothing'"):
        notebooks.tagged_source(path, "nothing")
