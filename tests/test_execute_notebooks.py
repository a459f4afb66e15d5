"""course_tools.execute_notebooks stores nothing volatile: executing an unchanged notebook twice gives the same file."""

import shutil

import nbformat

from course_tools import execute_notebooks


def test_executing_an_unchanged_notebook_changes_nothing(tmp_path):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A notebook"),
        nbformat.v4.new_code_cell("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt"),
        nbformat.v4.new_code_cell("print('one'); print('two')\nimport sys; print('log', file=sys.stderr)"),
        nbformat.v4.new_code_cell("%matplotlib inline\nplt.plot([0, 1], [1, 0]); plt.show()"),
    ]
    first = tmp_path / "first" / "a.ipynb"
    first.parent.mkdir()
    nbformat.write(nb, first)
    execute_notebooks.execute(first)
    second = tmp_path / "second" / "a.ipynb"
    second.parent.mkdir()
    shutil.copy(first, second)
    execute_notebooks.execute(second)
    assert first.read_bytes() == second.read_bytes()

    stored = nbformat.read(second, as_version=4)
    assert all("execution" not in cell.metadata for cell in stored.cells)
    assert "version" not in stored.metadata.get("language_info", {})
    printed = stored.cells[2].outputs
    assert len(printed) == 1 and printed[0].text == "one\ntwo\n", "prints merged, stderr dropped"
    assert "image/png" in stored.cells[3].outputs[0].data
