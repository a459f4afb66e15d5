"""A link on every page to the same page in the course's other language (English <-> 简体中文).

The published site holds the English book at its root and the Chinese one in zh/, page for page (the
Chinese book's pages have the English book's names). Each book sets `other_edition_root`, the path from its
own root to the other book's root ("zh/" in the English book, "../" in the Chinese one), and
`other_edition_label`, the link's text; a page's link climbs from the page to its book's root, then goes down
to the page of the same name. A page that only one edition has (`other_edition_only_here`: the Chinese
glossary) gets no link.
"""


def add_link(app, pagename, templatename, context, doctree):
    if doctree is None or not app.config.other_edition_root or pagename in app.config.other_edition_only_here:
        return
    up = "../" * pagename.count("/")
    href = f"{up}{app.config.other_edition_root}{pagename}.html"
    label = app.config.other_edition_label
    context["body"] = (f'<p class="other-edition"><a href="{href}" hreflang="{app.config.other_edition_lang}">'
                       f"{label}</a></p>\n" + context.get("body", ""))


def setup(app):
    app.add_config_value("other_edition_root", "", "html")
    app.add_config_value("other_edition_label", "", "html")
    app.add_config_value("other_edition_lang", "", "html")
    app.add_config_value("other_edition_only_here", [], "html")  # pages the other edition does not have
    app.connect("html-page-context", add_link)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
