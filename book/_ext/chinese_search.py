"""The Chinese edition's search knows the course's terms: each Chinese term of the glossary is one word.

Sphinx's search index of a Chinese book cuts the text into words with jieba (requirements.txt). jieba's
dictionary does not hold the field's terms, and cuts 遗忘门 (forget gate) into 遗忘 and 门, so a reader's search
for 遗忘门 would find nothing. This extension adds every Chinese term of the book's glossary page
(`search_words_page`, its table's first column) to jieba's dictionary before the index is built.
"""

import re
from pathlib import Path

CJK_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def glossary_terms(text):
    """The Chinese terms of the glossary's table: the runs of two or more Chinese characters of its first
    column (`门；遗忘门 / 输入门` gives 遗忘门 and 输入门)."""
    rows = [line.split("|")[1] for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    return sorted({term for cell in rows[1:] for term in CJK_TERM.findall(cell)})


def add_terms(app):
    if not app.config.search_words_page:
        return
    import jieba

    for term in glossary_terms((Path(app.confdir) / app.config.search_words_page).read_text(encoding="utf-8")):
        jieba.add_word(term)


def setup(app):
    app.add_config_value("search_words_page", "", "html")
    app.connect("builder-inited", add_terms)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
