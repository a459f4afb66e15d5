"""pytest plugin of the course (loaded by pytest.ini): nbval settings and the notebooks' time report."""

from notebook_code import REPO

NOTEBOOK_SECONDS = {}


def pytest_collectstart(collector):
    # TensorFlow writes its C++ log lines (oneDNN notices, grappler messages) to stderr, with timestamps
    # and process ids. They are not results, so nbval does not compare the stderr stream.
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)


def pytest_runtest_logreport(report):
    # Add up the time nbval spends on each notebook's cells (setup, run and teardown).
    path, _, cell = report.nodeid.partition("::")
    if path.endswith(".ipynb") and cell:
        NOTEBOOK_SECONDS[path] = NOTEBOOK_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    # Report each notebook's execution time, and keep it in _build/notebook-times.csv.
    if not NOTEBOOK_SECONDS:
        return
    rows = sorted(NOTEBOOK_SECONDS.items())
    terminalreporter.write_sep("-", "notebook execution times (nbval)")
    for path, seconds in rows:
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    terminalreporter.write_line(f"{sum(NOTEBOOK_SECONDS.values()):7.1f} s  all notebooks")
    out = REPO / "_build" / "notebook-times.csv"
    out.parent.mkdir(exist_ok=True)
    out.write_text("notebook,seconds\n" + "".join(f"{path},{seconds:.1f}\n" for path, seconds in rows))
