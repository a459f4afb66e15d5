"""The course's files agree with each other: pins, versions stated in the book, table of contents, notebooks."""

import ast
import collections
import csv
import json
import re

import pytest
from conftest import NOTEBOOKS, REPO
from nbval.plugin import get_sanitize_patterns

from course_tools import EXPERIMENTS
from course_tools.notebooks import requirement_pins


def test_requirements_pin_the_stack():
    pins = requirement_pins()
    assert pins["jupyter-book"] == "1.0.4.post1"  # 2.x ignores _config.yml and _toc.yml
    assert pins["tensorflow"].startswith("2.") and pins["keras"].startswith("3.")
    # tf-keras serves TensorFlow 1's compat.v1 RNN cells and must match TensorFlow's minor version.
    assert pins["tf-keras"].split(".")[:2] == pins["tensorflow"].split(".")[:2]
    assert "tensorflow-cpu" not in pins, "tf-keras would pull the tensorflow distribution in beside it"
    for package in ("numpy", "matplotlib", "nbval", "pytest", "ipykernel"):
        assert package in pins


@pytest.mark.parametrize("page", ["book/intro.md", "zh/book/intro.md"])
def test_the_book_states_the_pinned_versions(page):
    pins = requirement_pins()
    intro = (REPO / page).read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| ([a-z-]+) \| ([0-9][^ |]*) \|$", intro, flags=re.MULTILINE))
    assert stated, f"{page} has no versions table"
    for package, version in stated.items():
        assert pins[package] == version, f"{page} says {package} {version}, requirements.txt pins {pins[package]}"


def test_table_of_contents_lists_every_notebook_and_page():
    toc = (REPO / "_toc.yml").read_text()
    listed = re.findall(r"(?:file|root): (\S+)", toc)
    for entry in listed:
        assert any((REPO / f"{entry}{suffix}").is_file() for suffix in (".md", ".ipynb")), entry
    for notebook in NOTEBOOKS:
        assert str(notebook.relative_to(REPO).with_suffix("")) in listed, f"{notebook.name} is not in _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_and_readable(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# "), "needs a # title"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] is not None for c in code), "every code cell must be executed"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom in one run"
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", "".join(cell["source"])[:80]
            text = "".join(output.get("text", ""))
            assert "\r" not in text and "\b" not in text, "progress-bar redraws in a stored output"
            assert output.get("name") != "stderr", "stored outputs carry no TensorFlow log lines"
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            figure = cell["metadata"].get("mystnb", {}).get("figure", {})
            assert figure.get("caption"), f"a figure without a caption: {''.join(cell['source'])[:80]}"
        for line in "".join(cell["source"]).splitlines():
            assert len(line) <= 79, f"code line longer than 79 characters: {line}"


def test_every_sanitize_pattern_is_read_by_nbval():
    text = (REPO / "tests" / "sanitize.cfg").read_text()
    sections = re.findall(r"^\[[^\]]+\]$", text, flags=re.MULTILINE)
    assert len(get_sanitize_patterns(text)) == len(sections) > 0


@pytest.mark.parametrize("name", ["seed_sweep.csv", "seed_sweep_fast.csv", "seed_sweep_jax.csv"])
def test_seed_sweep_records_enough_runs_with_their_machine(name):
    with open(EXPERIMENTS / name, newline="") as f:
        rows = list(csv.DictReader(f))
    seeds = [int(row["seed"]) for row in rows]
    assert len(set(seeds)) == len(seeds) >= 5 and 123 in seeds
    for row in rows:
        assert 0.0 <= float(row["test_accuracy"]) <= 1.0 and float(row["test_loss"]) > 0.0
        assert float(row["seconds"]) > 0.0
        assert row["backend"] in ("tensorflow", "jax") and row[row["backend"]] and row["keras"]
        assert row["cpu"] and int(row["cores"]) > 0
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"])


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make book" in readme
    assert "make test" in ci.splitlines(), "a line of its own, run whatever came before"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_compares_at_least_80_percent_of_code_cells(path):
    markers = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION")
    tags = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
    code = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    unchecked = [c for c in code if any(m in "".join(c["source"]) for m in markers)
                 or tags & set(c["metadata"].get("tags", []))]
    assert len(unchecked) <= 0.2 * len(code), f"{len(unchecked)} of {len(code)} code cells are not compared"


def code_cells_by_hand(nb):
    """Code cells written by hand: not the generated Colab cell, not the generated shared cells."""
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "shared" not in c["metadata"]
            and "colab" not in c["metadata"].get("tags", [])]


def parsed(cell):
    source = "".join(cell["source"])
    return ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_nothing_volatile(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "version" not in nb["metadata"].get("language_info", {}), "the Python version changes with the machine"
    stamped = [i for i, cell in enumerate(nb["cells"]) if "execution" in cell["metadata"]]
    assert not stamped, f"cells {stamped} store execution timestamps: store outputs with course_tools.execute_notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_a_reader_can_take_in(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in code_cells_by_hand(nb):
        lines = "".join(cell["source"]).splitlines()
        assert len(lines) <= 40, f"a code cell of {len(lines)} lines (at most 40): {lines[0]}"


def bound_names(targets):
    """The names an assignment binds (`A, B = ...`), not those it reads (`x[:, A] = ...`)."""
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            yield from bound_names(target.elts)
        elif isinstance(target, ast.Starred):
            yield from bound_names([target.value])


# Names that CONTRIBUTING.md's vocabulary replaces: STEPS, FEATURES, UNITS, SYMBOLS, CLASSES, SAMPLES.
NOT_THE_VOCABULARY = re.compile(
    r"^(?:N_STEPS|SEQ_LEN|SEQUENCE_LENGTH|TIME_STEPS|TIMESTEPS|T|T_\w+|N_UNITS|HIDDEN(?:_SIZE)?|\w+_UNITS"
    r"|N_SYMBOLS|VOCAB(?:_SIZE)?|N_FEATURES|INPUT_DIM|N_CLASSES|NUM_CLASSES|N_SAMPLES|LR|BATCH|N_EPOCHS)$")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_constants_follow_the_vocabulary_and_are_assigned_once(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assigned = collections.Counter()
    for cell in code_cells_by_hand(nb):
        for node in parsed(cell).body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for name in bound_names(targets):
                if name.isupper():
                    assigned[name] += 1
    assert not [n for n in assigned if NOT_THE_VOCABULARY.match(n)], \
        f"names outside the vocabulary of CONTRIBUTING.md: {[n for n in assigned if NOT_THE_VOCABULARY.match(n)]}"
    again = sorted(n for n, count in assigned.items() if count > 1)
    assert not again, f"module-level constants assigned more than once: {again}"


SEEDING_CALLS = {"set_random_seed", "default_rng", "seed", "set_seed", "RandomState"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_literal_seeds(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in code_cells_by_hand(nb):
        for node in ast.walk(parsed(cell)):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            values = [kw.value for kw in node.keywords if kw.arg == "seed"]
            if name in SEEDING_CALLS:
                values += node.args[:1]
            for value in values:
                assert not isinstance(value, ast.Constant), \
                    f"a literal seed in {ast.unparse(node)}: use SEED (CONTRIBUTING.md)"
