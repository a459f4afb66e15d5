"""The book's own Sphinx extension, loaded by both editions (_config.yml: sphinx.extra_extensions).

- The other edition: a link above every page's title to the same page in the course's other language. The
  published site holds the English book at its root and the Chinese one in zh/, page for page. Each book sets
  `other_edition_root`, the path from its root to the other book's ("zh/" in the English book, "../" in the
  Chinese one) and `other_edition_lang`; the link's text is interface.yml's `other_edition_label` for the
  page's language. A page only one edition has (`other_edition_only_here`: the Chinese glossary) gets none.
- `zh_notebooks_branch`: the branch the publishing workflow writes the Chinese notebooks to, which the Chinese
  edition's launch buttons open (course_tools/translate.py writes it into that book's `repository.branch`).
- The print edition: myst-nb registers its folded cells (HideCodeCellNode: the Colab cell, the shared helpers,
  the drawing code behind a fold line) for the html builder only, and the singlehtml builder that the PDF is
  printed from (course_tools/build_pdf.py) would stop at them; it leaves them out (on paper a fold cannot be
  opened; the outputs, the figures, are not in the node and stay).
- The Chinese search: Sphinx cuts a Chinese book's text into words with jieba, whose dictionary lacks the
  field's terms (it cuts 遗忘门, forget gate, into 遗忘 and 门, and a search for 遗忘门 would find nothing). Every
  Chinese term of the glossary page `search_words_page` (the runs of two or more Chinese characters in the
  first column of its table) is added to jieba's dictionary before the index is built.
"""

import re
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode

from course_tools.translate import interface

CJK_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def add_link(app, pagename, templatename, context, doctree):
    if doctree is None or not app.config.other_edition_root or pagename in app.config.other_edition_only_here:
        return
    href = f"{'../' * pagename.count('/')}{app.config.other_edition_root}{pagename}.html"
    label = interface()["other_edition_label"][app.config.language]
    context["body"] = (f'<p class="other-edition"><a href="{href}" hreflang="{app.config.other_edition_lang}">'
                       f"{label}</a></p>\n" + context.get("body", ""))


def glossary_terms(text):
    """The Chinese terms of the glossary's table (`门；遗忘门 / 输入门` gives 遗忘门 and 输入门)."""
    rows = [line.split("|")[1] for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    return sorted({term for cell in rows[1:] for term in CJK_TERM.findall(cell)})


def add_terms(app):
    if app.config.search_words_page:
        import jieba

        for term in glossary_terms((Path(app.confdir) / app.config.search_words_page).read_text(encoding="utf-8")):
            jieba.add_word(term)


def leave_out(translator, node):
    raise nodes.SkipNode


def setup(app):
    app.add_config_value("other_edition_root", "", "html")
    app.add_config_value("other_edition_lang", "", "html")
    app.add_config_value("other_edition_only_here", [], "html")
    app.add_config_value("zh_notebooks_branch", "", "html")
    app.add_config_value("search_words_page", "", "html")
    app.connect("html-page-context", add_link)
    app.connect("builder-inited", add_terms)
    app.add_node(HideCodeCellNode, override=True, singlehtml=(leave_out, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
