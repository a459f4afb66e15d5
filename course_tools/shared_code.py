"""Copy the helpers of `notebook_helpers/` into the notebooks that use them (Colab opens a notebook alone).

    .venv/bin/python -m course_tools.shared_code [NOTEBOOK ...] [--check]

A code cell names what it needs in its metadata, `"shared": ["numeric.sigmoid", "config.RAW_URL"]`
(MODULE.NAME), or `{"names": [...], "show": true}` to stay unfolded in the book for study. A function or class
is copied as written, with the imports and the definitions of its module it uses (and what it imports from
another module of notebook_helpers); a constant as its value (RAW_URL, computed from _config.yml, becomes a
string). Never edit a generated cell: edit notebook_helpers/, run this, re-execute the notebook.
"""

import ast
import importlib
import json
import re
import sys
import textwrap

from course_tools import HELPERS, notebooks

KEY = "shared"
HEADER = "Shared with other chapters; generated from {sources} by course_tools/shared_code.py."


def _imports(tree):
    """The module's top-level imports: bound name -> (section, sort key, statement)."""
    found = {}
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                text = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                found[bound] = (alias.name.split(".")[0], (0, alias.name), text)
        elif isinstance(statement, ast.ImportFrom):
            if statement.level or (statement.module == "notebook_helpers" and statement.names):
                raise ValueError("import from course's modules by name: from notebook_helpers.MODULE import NAME")
            for alias in statement.names:
                bound = alias.asname or alias.name
                if statement.module.startswith("notebook_helpers.") and alias.asname:
                    raise ValueError(f"import {alias.name} from {statement.module} without renaming it")
                found[bound] = (statement.module.split(".")[0], (1, statement.module, alias.name),
                                (statement.module, alias.name, alias.asname))
    return found


def _definitions(tree, source):
    """The module's top-level definitions: name -> (position, node, source text)."""
    found = {}
    for position, statement in enumerate(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            found[statement.name] = (position, statement, ast.get_source_segment(source, statement))
        elif isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets):
            for target in statement.targets:
                found[target.id] = (position, statement, None)
    return found


def _constant(name, node, source, values):
    """`name = value`: as written where the value is a literal, else the value computed (a long
    string split over lines, so that the notebook's lines stay within 79 characters)."""
    try:
        ast.literal_eval(node.value)
        return ast.get_source_segment(source, node)
    except ValueError:
        pass
    value = values[name]
    if isinstance(value, dict):  # one item a line, where one line is too long
        items = [f"{json.dumps(key)}: {json.dumps(item)}" for key, item in value.items()]
        line = f"{name} = {{{', '.join(items)}}}"
        return line if len(line) <= 79 else f"{name} = {{\n" + "".join(f"    {item},\n" for item in items) + "}"
    if not isinstance(value, str):
        return f"{name} = {value!r}"
    pieces, width = [""], 79 - len(name) - 6
    for part in re.split(r"(?<=/)", value):
        if pieces[-1] and len(json.dumps(pieces[-1] + part)) > width:
            pieces.append("")
        pieces[-1] += part
    if len(pieces) == 1:
        return f"{name} = {json.dumps(value)}"
    indent = "\n" + " " * (len(name) + 4)
    return f"{name} = (" + indent.join(json.dumps(piece) for piece in pieces) + ")"


def _used_names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _import_lines(entries):
    """Import statements sorted as ruff's isort does: standard library, then third party;
    `import x` before `from x import y`; `from` imports of one module joined."""
    sections = ([], [])
    for module, key, text in entries:
        sections[module not in sys.stdlib_module_names].append((key, text))
    blocks = []
    for section in sections:
        lines, joined = [], {}
        for key, text in sorted(section):
            if key[0] == 0:
                lines.append(text)
            else:
                module, name, asname = text
                joined.setdefault(module, []).append(name + (f" as {asname}" if asname else ""))
        lines += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(joined.items())]
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _module(name, cache={}):  # noqa: B006  (a cache of the parsed modules, on purpose)
    """(source, definitions, imports, values) of notebook_helpers/NAME.py."""
    if name not in cache:
        source = (HELPERS / f"{name}.py").read_text(encoding="utf-8")
        tree = ast.parse(source)
        cache[name] = (source, _definitions(tree, source), _imports(tree),
                       vars(importlib.import_module(f"notebook_helpers.{name}")))
    return cache[name]


def cell_source(names, defined=frozenset()):
    """The source of a shared cell holding `names` (MODULE.NAME each), and what they need: the
    imports they use, the definitions of their module they call, and what they import from another
    module of `course` (copied too, since the notebook has no `course` to import from). What an
    earlier shared cell of the notebook defined (`defined`, (module, name) pairs) is not written again."""
    return _cell(names, defined)[0]


def _cell(names, defined):
    """(cell_source, the (module, name) pairs it defines or relies on)."""
    queue = []
    for qualified in names:
        module, _, name = qualified.partition(".")
        if not name:
            raise ValueError(f"shared names are MODULE.NAME, not {qualified!r}")
        queue.append((module, name))
    order = list(dict.fromkeys(module for module, _ in queue))
    chosen, imports = set(), {}
    while queue:
        module, name = queue.pop(0)
        source, definitions, module_imports, _ = _module(module)
        if name not in definitions:
            raise LookupError(f"notebook_helpers/{module}.py defines no {name!r}")
        if (module, name) in chosen:
            continue
        chosen.add((module, name))
        _, node, text = definitions[name]
        if text is None:
            continue
        used = _used_names(node)
        queue += [(module, n) for n in sorted(used & set(definitions))]
        for bound in sorted(used & set(module_imports)):
            top, key, statement = module_imports[bound]
            if top == "notebook_helpers":
                other = key[1].removeprefix("notebook_helpers.")
                order += [other] if other not in order else []
                queue.append((other, key[2]))
            else:
                imports[statement] = module_imports[bound]
    constants, functions = [], []
    for module in order:
        source, definitions, _, values = _module(module)
        for name in sorted((n for m, n in chosen - set(defined) if m == module), key=lambda n: definitions[n][0]):
            _, node, text = definitions[name]
            if text is None:
                constants.append(_constant(name, node, source, values))
            else:
                functions.append(text)
    sources = ", ".join(f"notebook_helpers/{module}.py" for module in order)
    head = [textwrap.fill(HEADER.format(sources=sources), 79, initial_indent="# ", subsequent_indent="# ")]
    if imports:
        head.append(_import_lines(imports.values()))
    if constants:
        head.append("\n".join(constants))
    return "\n\n\n".join(["\n\n".join(head)] + functions), chosen


def spec(cell):
    """(names, show) of a shared cell, from its metadata."""
    value = cell.metadata[KEY]
    if isinstance(value, list):
        return value, False
    return value["names"], bool(value.get("show", False))


def prompt(names):
    return "Show the shared helpers: " + ", ".join(name.partition(".")[2] for name in names)


def update(nb, stem=None):
    """Rewrite every shared cell of `nb` (folded unless it is shown); return True if anything changed."""
    changed = False
    defined = set()  # by the shared cells above
    for cell in nb.cells:
        if cell.cell_type != "code" or KEY not in cell.metadata:
            continue
        names, show = spec(cell)
        source, chosen = _cell(names, defined)
        defined |= chosen
        before, cell.source = json.dumps(cell, sort_keys=True), source
        notebooks.fold(cell, None if show else prompt(names))
        changed |= json.dumps(cell, sort_keys=True) != before
    return changed


if __name__ == "__main__":
    sys.exit(notebooks.main(update, __doc__))
