"""The single-page build that the PDF is printed from (course_tools/build_pdf.py).

myst-nb registers its folded cells (HideCodeCellNode: the Colab cell, the shared helpers, the drawing
code behind "Show code cell source") for the html builder only; the singlehtml builder then stops with
"unknown node type". This extension lets the singlehtml builder leave them out: on paper a folded cell
cannot be unfolded, and its outputs (the figures) stay, since only the folded part is in the node.
"""

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode


def leave_out(translator, node):
    raise nodes.SkipNode


def setup(app):
    app.add_node(HideCodeCellNode, override=True, singlehtml=(leave_out, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
