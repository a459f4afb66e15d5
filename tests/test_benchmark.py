"""The benchmark of the chapter's MNIST run (experiments/benchmark.py): what it recorded, and that it still runs.

Its full run takes a quarter of an hour and is kept in experiments/benchmark.csv; here its best JAX configuration
trains for one epoch, the floor is measured once, and a configuration on the wrong backend is refused.
"""

import json
import os
import statistics
import subprocess
import sys

import pytest

from course_tools import EXPERIMENTS
from experiments.benchmark import BEST_JAX, CONFIGS, DEFAULT_CONFIGS, FIELDS, one_run, read

RECORDED = EXPERIMENTS / "benchmark.csv"
FLOOR_FIELDS = [name for name in FIELDS if name.startswith(("floor_", "peak_", "arithmetic_", "dependent_"))]


def benchmark(*arguments, backend):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "experiments.benchmark", *arguments],
                          capture_output=True, text=True, env=env, timeout=600)


def result(proc):
    assert proc.returncode == 0, proc.stderr[-3000:]
    [line] = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


def test_the_best_jax_configuration_trains_one_epoch_of_the_chapters_model():
    run = result(benchmark("--one-run", BEST_JAX, "--epochs", "1", backend="jax"))
    backend, fast, settings, _ = CONFIGS[BEST_JAX]
    assert run["backend"] == backend == "jax"
    assert run["jit_compile"] is True, "Keras compiles the whole step with XLA on JAX"
    assert run["unroll"] == fast and run["steps_per_execution"] == settings.get("steps_per_execution", 550)
    assert run["params"] == 890 and run["epochs"] == 1 and run["updates"] == 550
    # After one epoch the plain port's seeds reach about 0.5-0.7 (the book: 0.5084 training accuracy).
    assert 0.35 < run["test_accuracy"] < 0.9 and run["test_loss"] < 2.0
    assert set(run) | {"repeat"} | set(FLOOR_FIELDS) == set(FIELDS)


def test_a_configuration_on_the_wrong_backend_is_refused():
    import keras

    assert keras.backend.backend() == "tensorflow"  # this process's
    with pytest.raises(SystemExit, match="set KERAS_BACKEND=jax before Python starts"):
        one_run(BEST_JAX, 1, 1)


def test_the_floor_is_measured():
    floor = result(benchmark("--floor", "2000", backend="jax"))
    assert set(floor) == set(FLOOR_FIELDS)
    assert floor["dependent_steps"] == 2 * 28, "forward and backward through 28 steps"
    assert 1e-8 < floor["floor_step_seconds"] < 1e-3
    assert floor["floor_update_seconds"] == pytest.approx(56 * floor["floor_step_seconds"])
    assert 1e8 < floor["peak_flops"] and 0 < floor["arithmetic_update_seconds"]


def medians(rows):
    configs = dict.fromkeys(row["config"] for row in rows)
    return {c: statistics.median(float(row["seconds"]) for row in rows if row["config"] == c) for c in configs}


def test_the_record_is_one_alternating_run_of_every_default_configuration():
    rows = read(RECORDED)
    configs = list(dict.fromkeys(row["config"] for row in rows))
    assert configs[0] == "plain" and set(DEFAULT_CONFIGS) <= set(configs)
    assert [row["config"] for row in rows] == configs * (len(rows) // len(configs)), "alternating"
    assert len(rows) // len(configs) >= 3, "at least three runs of each"
    assert len({row["floor_step_seconds"] for row in rows}) == 1, "one floor, measured once"
    for row in rows:
        assert list(row) == FIELDS
        assert row["backend"] == CONFIGS[row["config"]][0] and row[row["backend"]] and row["keras"]
        assert int(row["updates"]) == 11000 and int(row["epochs"]) == 20 and int(row["params"]) == 890
        assert float(row["seconds"]) > 0.0 and 0.0 <= float(row["test_accuracy"]) <= 1.0
        assert float(row["seconds_per_update"]) == pytest.approx(float(row["seconds"]) / 11000, rel=1e-3)
        assert row["cpu"] and int(row["cores"]) > 0


def test_the_best_jax_configuration_is_the_fastest_on_jax_in_the_record():
    rows = read(RECORDED)
    median = medians(rows)
    on_jax = [c for c in median if CONFIGS[c][0] == "jax"]
    assert min(on_jax, key=median.get) == BEST_JAX


def test_without_jax_the_benchmark_says_how_to_install_it(monkeypatch):
    import importlib.util

    from experiments import benchmark as script

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jax" else find_spec(name, *a))
    monkeypatch.setattr(sys, "argv", ["benchmark.py", "--configs", "plain", "--epochs", "1", "--repeats", "1",
                                      "--seed", "1"])
    with pytest.raises(SystemExit, match=r"needs JAX.*make venv"):
        script.main()
