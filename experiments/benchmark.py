"""Time the chapter's MNIST SimpleRNN on Keras 3's backends: the plain port, the fast configuration, JAX.

Every configuration trains the same model (SimpleRNN(16, relu), Dense(10), softmax; 890 parameters)
on the same data with the same optimizer, batch size 100 and 20 epochs: 11,000 updates, with the
validation on 5,000 images after every epoch. The model, data and training are those of
notebooks/keras_rnn_mnist.ipynb: `load_mnist`, `build_chapter_model` and `train_chapter_model` of
notebook_helpers/mnist.py, which the notebook's shared cells copy. A configuration changes only how the
backend runs them:

* `unroll=True` on the SimpleRNN (`build_chapter_model(fast=True)`): the 28 time steps written out
  instead of a loop,
* `steps_per_execution=550` in compile (also part of fast=True): one call into the backend per epoch,
  not one per batch,
* `jit_compile`: XLA compiles the training step. TensorFlow leaves it off on a CPU ("auto"); on the
  JAX backend Keras compiles the whole step with XLA unless told otherwise (`jax-eager`),
* the backend: each run is a fresh process with KERAS_BACKEND set to the configuration's backend,
  since Keras reads it once, at import. The notebook's code is the same on both.

Each run is a fresh process (so that thread settings and the backend apply and nothing is shared),
the configurations alternate (plain, fast, jax-fast, plain, ...) so that a busy machine slows all
alike, and repeat i uses the same seed for every configuration. Only the epochs of fit() are timed
(compiling included; importing the backend and loading MNIST not). The README shows the report of
the recorded run, experiments/benchmark.csv.

Before the trainings, a fresh JAX process measures the floor this CPU sets. Each update has to pass
through 2 * 28 = 56 dependent steps, h <- relu(x + h U) forward and its mirror backward, each a
100 x 16 by 16 x 16 product that cannot start before the previous one ends: the floor is 56 times
the time of one such step in an XLA-compiled loop that does nothing else. The arithmetic (11.9
million operations per update, `training_flops`) at the CPU's measured float32 matrix-product rate
gives a second, much lower, bound. The report puts each configuration's time per update beside
both.

    .venv/bin/python experiments/benchmark.py                          # plain, fast, jax-fast; 3 runs each
    .venv/bin/python experiments/benchmark.py --configs plain unroll steps-per-execution xla fast \\
        fast+xla jax jax-unroll jax-steps-per-execution jax-fast --csv experiments/benchmark.csv
    .venv/bin/python experiments/benchmark.py --configs jax-eager --epochs 1 --repeats 1   # minutes
    .venv/bin/python experiments/benchmark.py --report experiments/benchmark.csv   # the report of a recorded run
"""

import argparse
import csv
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from course_tools.notebooks import REPO

# name: (backend, argument of build_chapter_model, compile() settings that replace the chapter's,
# intra-op threads); {} and None keep the chapter's and the backend's defaults.
CONFIGS = {
    "plain": ("tensorflow", False, {}, None),
    "unroll": ("tensorflow", True, {"steps_per_execution": 1}, None),
    "steps-per-execution": ("tensorflow", False, {"steps_per_execution": 550}, None),
    "xla": ("tensorflow", False, {"jit_compile": True}, None),
    "fast": ("tensorflow", True, {}, None),
    "fast+xla": ("tensorflow", True, {"jit_compile": True}, None),
    "fast-1-thread": ("tensorflow", True, {}, 1),
    "jax": ("jax", False, {}, None),
    "jax-unroll": ("jax", True, {"steps_per_execution": 1}, None),
    "jax-steps-per-execution": ("jax", False, {"steps_per_execution": 550}, None),
    "jax-fast": ("jax", True, {}, None),
    "jax-eager": ("jax", False, {"jit_compile": False}, None),
}
BEST_JAX = "jax-fast"  # the fastest JAX configuration of the screening (experiments/benchmark.csv)
DEFAULT_CONFIGS = ["plain", "fast", BEST_JAX]
FLOOR_STEPS = 20_000  # dependent steps timed in one compiled loop
REPEATS = 20  # of each measurement of the floor; the fastest counts
PRECISE = {"seconds_per_update", "floor_step_seconds", "floor_update_seconds", "peak_flops",
           "arithmetic_update_seconds"}  # written with 4 significant digits, the others with 4 decimals
FIELDS = ["config", "backend", "unroll", "steps_per_execution", "jit_compile", "repeat", "seed",
          "seconds", "seconds_per_epoch", "first_epoch_seconds", "updates", "epochs",
          "seconds_per_update", "params", "final_train_loss", "final_val_accuracy", "test_loss",
          "test_accuracy", "history_sha256", "intra_op_threads", "inter_op_threads",
          "floor_step_seconds", "dependent_steps", "floor_update_seconds", "peak_flops",
          "arithmetic_update_seconds", "tensorflow", "keras", "jax", "numpy", "python", "cpu",
          "cores", "date"]


def versions():
    import numpy as np

    from notebook_helpers.machine import cpu_name
    return {"tensorflow": metadata.version("tensorflow"), "keras": metadata.version("keras"),
            "jax": metadata.version("jax"), "numpy": np.__version__,
            "python": platform.python_version(), "cpu": cpu_name(), "cores": os.cpu_count(),
            "date": datetime.date.today().isoformat()}


def floor(steps=FLOOR_STEPS):
    """The floor of one update on this CPU, measured in this (JAX) process."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from notebook_helpers.mnist import BATCH_SIZE, STEPS, UNITS, training_flops

    rng = np.random.default_rng(0)
    u = jnp.asarray(rng.normal(0.0, 0.25, (UNITS, UNITS)), jnp.float32)
    x = jnp.asarray(rng.normal(0.0, 0.1, (BATCH_SIZE, UNITS)), jnp.float32)

    @jax.jit
    def chain(h):  # `steps` dependent steps of the recurrence, nothing else
        return jax.lax.fori_loop(0, steps, lambda i, h: jnp.maximum(x + h @ u, 0.0), h)

    h = jnp.zeros((BATCH_SIZE, UNITS), jnp.float32)
    chain(h).block_until_ready()  # compile
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        chain(h).block_until_ready()
        best = min(best, time.perf_counter() - start)
    step = best / steps

    a = rng.standard_normal((2048, 2048)).astype(np.float32)
    a @ a
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    peak = 2 * 2048 ** 3 / best
    dependent = 2 * STEPS  # forward through the 28 steps, then backward
    return {"floor_step_seconds": step, "dependent_steps": dependent,
            "floor_update_seconds": dependent * step, "peak_flops": peak,
            "arithmetic_update_seconds": training_flops()[0] / peak}


def one_run(config, seed, epochs):
    """Train once in this process and return the run's record (the child's job)."""
    import keras

    from notebook_helpers.mnist import (
        BATCH_SIZE,
        LEARNING_RATE,
        MNIST_DIR,
        build_chapter_model,
        load_mnist,
        train_chapter_model,
    )

    backend, fast, settings, intra = CONFIGS[config]
    if keras.backend.backend() != backend:
        sys.exit(f"{config} runs on {backend}, but Keras runs on {keras.backend.backend()}: "
                 f"set KERAS_BACKEND={backend} before Python starts")
    threads = {"intra_op_threads": "", "inter_op_threads": ""}
    if backend == "tensorflow":
        import tensorflow as tf
        if intra is not None:
            tf.config.threading.set_intra_op_parallelism_threads(intra)
    data = load_mnist(REPO / "notebooks" / MNIST_DIR)
    x_test, y_test = data["test"]

    epoch_ends = []
    timer = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: epoch_ends.append(time.perf_counter()))
    keras.utils.set_random_seed(seed)
    model = build_chapter_model(fast=fast)
    if settings:  # the chapter's compile(), with some of its settings replaced
        model.compile(loss=model.loss, metrics=["accuracy"],
                      optimizer=keras.optimizers.RMSprop(learning_rate=LEARNING_RATE),
                      **{"steps_per_execution": model.steps_per_execution, **settings})
    start = time.perf_counter()
    hist = train_chapter_model(model, data, verbose=0, callbacks=[timer], epochs=epochs).history
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE, verbose=0)
    digest = hashlib.sha256(json.dumps({k: [float(v) for v in vs] for k, vs in sorted(hist.items())})
                            .encode()).hexdigest()
    if backend == "tensorflow":
        threads = {"intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads() or "default",
                   "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads() or "default"}
    updates = int(model.optimizer.iterations)
    rnn = next(layer for layer in model.layers if isinstance(layer, keras.layers.SimpleRNN))
    return {
        "config": config, "backend": keras.backend.backend(), "unroll": rnn.unroll,
        "steps_per_execution": model.steps_per_execution, "jit_compile": model.jit_compile,
        "seed": seed, "seconds": seconds, "seconds_per_epoch": seconds / len(hist["loss"]),
        "first_epoch_seconds": epoch_ends[0] - start, "updates": updates,
        "epochs": len(hist["loss"]), "seconds_per_update": seconds / updates,
        "params": model.count_params(), "final_train_loss": hist["loss"][-1],
        "final_val_accuracy": hist["val_accuracy"][-1], "test_loss": float(test_loss),
        "test_accuracy": float(test_accuracy), "history_sha256": digest[:16], **threads, **versions()}


def child(arguments, backend):
    """Run this script with `arguments` in a fresh Python process on `backend`; return its record."""
    env = {**os.environ, "KERAS_BACKEND": backend,
           "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    proc = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.exit(f"{' '.join(arguments)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def report(rows):
    """The benchmark's report, as text, from its records (the rows of its CSV file)."""
    runs = {}  # configuration -> its rows, in the order of the record
    for row in rows:
        runs.setdefault(row["config"], []).append(row)
    backend = {c: mine[0]["backend"] for c, mine in runs.items()}

    def median(c, key="seconds"):
        return statistics.median(float(row[key]) for row in runs[c])

    configs = list(runs)
    reference = configs[0]
    first = rows[0]
    seeds = sorted({int(row["seed"]) for row in rows})
    step, dependent = float(first["floor_step_seconds"]), int(first["dependent_steps"])
    floor_ms = float(first["floor_update_seconds"]) * 1e3
    lines = [
        f"{first['cpu']} ({first['cores']} cores), Python {first['python']}, TensorFlow {first['tensorflow']}, "
        f"JAX {first['jax']}, Keras {first['keras']}, NumPy {first['numpy']}, {first['date']}",
        f"{len(rows) // len(configs)} alternating runs of each configuration, seeds {seeds[0]}..{seeds[-1]}; "
        f"{first['epochs']} epochs, {first['updates']} updates per run",
        "",
        f"{'configuration':24s}{'backend':>11s}{'median s':>9s}{'ms/update':>10s}{'ratio':>7s}"
        f"{'x floor':>8s}  test accuracy per run"]
    for c in configs:
        per_update = median(c, "seconds_per_update") * 1e3
        accuracies = " ".join(f"{float(row['test_accuracy']):.4f}" for row in runs[c])
        lines.append(f"{c:24s}{backend[c]:>11s}{median(c):9.1f}{per_update:10.2f}"
                     f"{median(reference) / median(c):7.2f}{per_update / floor_ms:8.1f}  {accuracies}")
    lines += [
        "",
        f"ratio = median seconds of {reference} / median seconds of the configuration; ms/update = the "
        f"seconds of the {first['epochs']} epochs (validation included) / {first['updates']} updates; "
        "x floor = ms/update / the floor's",
        f"floor = {dependent} dependent steps x {step * 1e6:.1f} us (one 100x16 by 16x16 product and relu "
        f"in an XLA loop) = {floor_ms:.2f} ms per update",
        f"arithmetic = {float(first['arithmetic_update_seconds']) * 1e3:.3f} ms per update "
        f"(its operations at {float(first['peak_flops']) / 1e9:.0f} G operations/s, a 2048x2048 product)"]
    first_of = {}  # the first configuration of each backend
    for c in configs:
        first_of.setdefault(backend[c], c)
    for c in configs[1:]:  # each against the reference and against the first of its own backend
        for other in dict.fromkeys([reference, first_of[backend[c]]]):
            if other != c:
                same = all(a["history_sha256"] == b["history_sha256"] for a, b in zip(runs[other], runs[c]))
                lines.append(f"{c}: per-epoch losses and accuracies {'identical to' if same else 'differ from'} "
                             f"{other} with the same seed")
    return "\n".join(lines)


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each configuration")
    parser.add_argument("--seed", type=int, help="seed of the first repeat (default: the book's, SEED of "
                        "notebook_helpers/mnist.py); repeat i uses seed + i for every configuration")
    parser.add_argument("--configs", nargs="+", choices=CONFIGS, default=DEFAULT_CONFIGS,
                        help="the first one is the reference of the ratios")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per run (the chapter's 20)")
    parser.add_argument("--csv", type=Path, help="write one row per run to this CSV file")
    parser.add_argument("--report", type=Path, help="print the report of a recorded CSV file and stop")
    parser.add_argument("--one-run", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=int, metavar="STEPS", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.floor:
        print("RESULT " + json.dumps(floor(args.floor)), flush=True)
        return
    if args.report:
        print(report(read(args.report)))
        return
    if args.seed is None:
        from notebook_helpers.mnist import SEED
        args.seed = SEED
    if args.one_run:
        print("RESULT " + json.dumps(one_run(args.one_run, args.seed, args.epochs)), flush=True)
        return

    if importlib.util.find_spec("jax") is None:
        sys.exit("The benchmark needs JAX, for the floor and the configurations on JAX, and it is not installed "
                 "here: run `make venv` (or pip install -r requirements.lock) and try again.")
    total = args.repeats * len(args.configs)
    print("Measuring the floor: one dependent step of the recurrence in a compiled JAX loop "
          "(about 10 s)", flush=True)
    measured = child(["--floor", str(FLOOR_STEPS)], "jax")
    print(f"{measured['floor_step_seconds'] * 1e6:.1f} us per step, "
          f"{measured['floor_update_seconds'] * 1e3:.2f} ms per update", flush=True)
    print(f"{total} trainings of {args.epochs} epochs, each in a fresh process (on a 2-core CPU, for 20 "
          "epochs, 40-60 s for plain, 15-25 s for fast, 10-15 s for jax-fast); a line after each:", flush=True)
    rows = []
    writer = None
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        csv_file = open(args.csv, "w", newline="")
        writer = csv.DictWriter(csv_file, fieldnames=FIELDS)
        writer.writeheader()
    for repeat in range(args.repeats):
        for config in args.configs:
            run = child(["--one-run", config, "--seed", str(args.seed + repeat), "--epochs", str(args.epochs)],
                        CONFIGS[config][0])
            row = {k: f"{v:.4g}" if k in PRECISE else f"{v:.4f}" if isinstance(v, float) else str(v)
                   for k, v in {"repeat": repeat, **run, **measured}.items()}
            rows.append(row)
            if writer:
                writer.writerow(row)
                csv_file.flush()
            print(f"[{len(rows)}/{total}] {config:24s} seed {run['seed']}: "
                  f"{run['seconds']:5.1f} s ({run['first_epoch_seconds']:.1f} s first epoch), "
                  f"{run['updates']} updates, test accuracy {run['test_accuracy']:.4f}, "
                  f"history {run['history_sha256']}", flush=True)
    if writer:
        csv_file.close()
    print()
    print(report(rows))
    if args.csv:
        print(f"wrote {args.csv}")


if __name__ == "__main__":
    main()
