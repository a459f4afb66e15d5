"""The book's Sphinx extension, loaded by both editions (_config.yml: sphinx.extra_extensions).

- Above each page's title, a link to the same page in the other edition (the site holds the English book at its
  root, the Chinese one in zh/): `other_edition_root` is the path to the other book's root, `other_edition_lang`
  its language, the label interface.yml's `other_edition_label`; `other_edition_only_here` pages get none.
- `zh_notebooks_branch`: the branch the Chinese notebooks are published to, which the Chinese launch buttons open.
- The print edition (singlehtml, course_tools/build_pdf.py) leaves out the folded cells (myst-nb's HideCodeCellNode).
- A bibliography entry is a `listitem` of its list, not docutils' `doc-biblioentry` (a role ARIA deprecates, so that
  axe-core reads the list as one holding the entry's backlink: aria-required-children).
- The Chinese search: jieba, which cuts Chinese into the index's words, would cut the field's terms apart (遗忘门
  into 遗忘 and 门); it learns the Chinese terms of the glossary's table (`search_words_page`) first.
"""

import re
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode

from course_tools.translate import interface


def add_link(app, pagename, templatename, context, doctree):
    if doctree is None or not app.config.other_edition_root or pagename in app.config.other_edition_only_here:
        return
    href = f"{'../' * pagename.count('/')}{app.config.other_edition_root}{pagename}.html"
    label = interface()["other_edition_label"][app.config.language]
    context["body"] = (f'<p class="other-edition"><a href="{href}" hreflang="{app.config.other_edition_lang}">'
                       f"{label}</a></p>\n" + context.get("body", ""))


def add_terms(app):
    """Each run of Chinese characters in the first column of the glossary's table (`门；遗忘门 / 输入门`) is a term."""
    if app.config.search_words_page:
        import jieba

        text = (Path(app.confdir) / app.config.search_words_page).read_text(encoding="utf-8")
        rows = [line.split("|")[1] for line in text.splitlines() if line.startswith("| ") and "---" not in line]
        for term in sorted({term for cell in rows[1:] for term in re.findall(r"[\u4e00-\u9fff]{2,}", cell)}):
            jieba.add_word(term)


def leave_out(translator, node):
    raise nodes.SkipNode


def visit_citation(translator, node):
    type(translator).visit_citation(translator, node)
    translator.body[-1] = translator.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    for name, default in [("other_edition_root", ""), ("other_edition_lang", ""), ("other_edition_only_here", []),
                          ("zh_notebooks_branch", ""), ("search_words_page", "")]:
        app.add_config_value(name, default, "html")
    app.connect("html-page-context", add_link)
    app.connect("builder-inited", add_terms)
    app.add_node(HideCodeCellNode, override=True, singlehtml=(leave_out, None))
    app.add_node(nodes.citation, override=True, html=(visit_citation, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
