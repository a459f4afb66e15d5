"""Time the chapter's MNIST SimpleRNN on Keras 3's backends: the plain port, the fast configuration, JAX.

Every configuration trains the same model (SimpleRNN(16, relu), Dense(10), softmax; 890 parameters) on the same data
with the same optimizer, batch size and 20 epochs (11,000 updates, each epoch validated on 5,000 images), through
`load_mnist`, `build_chapter_model` and `train_chapter_model` of notebook_helpers/mnist.py, which the MNIST notebook
copies. A configuration changes only how the backend runs them: `unroll=True` (the 28 steps written out, not a loop),
`steps_per_execution=550` (one call into the backend per epoch; with unroll, `fast=True`), `jit_compile` (XLA: off on
a CPU with TensorFlow's "auto", on with JAX's unless `jax-eager`), the backend (KERAS_BACKEND, read at import).
Each run is a fresh process; the configurations alternate, so that a busy machine slows all alike; repeat i uses
the same seed for every configuration. Only the epochs of fit() are timed.

A fresh JAX process first measures the floor this CPU sets: an update passes through 2 * 28 = 56 dependent steps
(h <- relu(x + h U) forward and back, each a 100 x 16 by 16 x 16 product), timed in an XLA loop doing nothing else;
the update's arithmetic (`training_flops`) at the CPU's float32 matrix-product rate is a second, lower bound.

The record, experiments/benchmark.csv, is read by the MNIST notebook. --update re-measures some of its
runs: their rows are replaced in place, the others and the record's floor kept, so that the file alone changes; it
is refused on another processor or other versions, whose runs would not compare.

    .venv/bin/python -m experiments.benchmark                          # plain, fast, jax-fast; 3 runs each
    .venv/bin/python -m experiments.benchmark --configs plain unroll steps-per-execution xla fast \\
        fast+xla jax jax-unroll jax-steps-per-execution jax-fast --csv experiments/benchmark.csv
    .venv/bin/python -m experiments.benchmark --update experiments/benchmark.csv --configs plain fast --repeats 1
    .venv/bin/python -m experiments.benchmark --configs jax-eager --epochs 1 --repeats 1   # minutes
"""

import argparse
import csv
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from course_tools import NOTEBOOKS

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
FLOOR = ["floor_step_seconds", "dependent_steps", "floor_update_seconds", "peak_flops", "arithmetic_update_seconds"]
PRECISE = {"seconds_per_update", *FLOOR}  # written with 4 significant digits, the others with 4 decimals
SAME = ("tensorflow", "keras", "jax", "numpy", "python", "cpu", "cores")  # of the runs of one record
FIELDS = ["config", "backend", "unroll", "steps_per_execution", "jit_compile", "repeat", "seed", "seconds",
          "seconds_per_epoch", "first_epoch_seconds", "updates", "epochs", "seconds_per_update", "params",
          "final_train_loss", "final_val_accuracy", "test_loss", "test_accuracy", "history_sha256",
          "intra_op_threads", "inter_op_threads", *FLOOR, *SAME, "date"]


def versions():
    from notebook_helpers.machine import cpu_name
    return {**{name: metadata.version(name) for name in ("tensorflow", "keras", "jax", "numpy")},
            "python": platform.python_version(), "cpu": cpu_name(), "cores": os.cpu_count(),
            "date": datetime.date.today().isoformat()}


def fastest(work):
    """The shortest of REPEATS timings of work(), run one after the other."""
    ends = [time.perf_counter()]
    for _ in range(REPEATS):
        work()
        ends.append(time.perf_counter())
    return min(end - start for start, end in zip(ends, ends[1:]))


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
    step = fastest(lambda: chain(h).block_until_ready()) / steps
    a = rng.standard_normal((2048, 2048)).astype(np.float32)
    a @ a
    peak = 2 * 2048 ** 3 / fastest(lambda: a @ a)
    dependent = 2 * STEPS  # forward through the 28 steps, then backward
    return {"floor_step_seconds": step, "dependent_steps": dependent, "floor_update_seconds": dependent * step,
            "peak_flops": peak, "arithmetic_update_seconds": training_flops()[0] / peak}


def one_run(config, seed, epochs):
    """Train once in this process and return the run's record (the child's job)."""
    import keras

    from notebook_helpers import mnist

    backend, fast, settings, intra = CONFIGS[config]
    if keras.backend.backend() != backend:
        sys.exit(f"{config} runs on {backend}, but Keras runs on {keras.backend.backend()}: "
                 f"set KERAS_BACKEND={backend} before Python starts")
    threads = {"intra_op_threads": "", "inter_op_threads": ""}
    if backend == "tensorflow":
        from tensorflow.config import threading
        if intra is not None:
            threading.set_intra_op_parallelism_threads(intra)
    data = mnist.load_mnist(NOTEBOOKS / mnist.MNIST_DIR)
    x_test, y_test = data["test"]

    epoch_ends = []
    timer = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: epoch_ends.append(time.perf_counter()))
    keras.utils.set_random_seed(seed)
    model = mnist.build_chapter_model(fast=fast)
    if settings:  # the chapter's compile(), with some of its settings replaced
        model.compile(loss=model.loss, metrics=["accuracy"],
                      optimizer=keras.optimizers.RMSprop(learning_rate=mnist.LEARNING_RATE),
                      **{"steps_per_execution": model.steps_per_execution, **settings})
    start = time.perf_counter()
    hist = mnist.train_chapter_model(model, data, verbose=0, callbacks=[timer], epochs=epochs).history
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=mnist.BATCH_SIZE, verbose=0)
    digest = hashlib.sha256(json.dumps({k: [float(v) for v in vs] for k, vs in sorted(hist.items())})
                            .encode()).hexdigest()
    if backend == "tensorflow":
        threads = {"intra_op_threads": threading.get_intra_op_parallelism_threads() or "default",
                   "inter_op_threads": threading.get_inter_op_parallelism_threads() or "default"}
    updates = int(model.optimizer.iterations)
    rnn = next(layer for layer in model.layers if isinstance(layer, keras.layers.SimpleRNN))
    return {"config": config, "backend": keras.backend.backend(), "unroll": rnn.unroll,
            "steps_per_execution": model.steps_per_execution, "jit_compile": model.jit_compile, "seed": seed,
            "seconds": seconds, "seconds_per_epoch": seconds / len(hist["loss"]),
            "first_epoch_seconds": epoch_ends[0] - start, "updates": updates, "epochs": len(hist["loss"]),
            "seconds_per_update": seconds / updates, "params": model.count_params(),
            "final_train_loss": hist["loss"][-1], "final_val_accuracy": hist["val_accuracy"][-1],
            "test_loss": float(test_loss), "test_accuracy": float(test_accuracy), "history_sha256": digest[:16],
            **threads, **versions()}


def child(arguments, backend):
    """Run this script with `arguments` in a fresh Python process on `backend`; return its record."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    proc = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.exit(f"{' '.join(arguments)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def merge(record, rows):
    """`record`'s rows, each replaced in place by the one of `rows` of its configuration and repeat; then the rest."""
    new = {(row["config"], row["repeat"]): row for row in rows}
    return [new.pop((row["config"], row["repeat"]), row) for row in record] + list(new.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each configuration")
    parser.add_argument("--seed", type=int, help="seed of the first repeat (default: the book's, SEED of "
                        "notebook_helpers/mnist.py); repeat i uses seed + i for every configuration")
    parser.add_argument("--configs", nargs="+", choices=CONFIGS, default=DEFAULT_CONFIGS,
                        help="the first one is the reference of the ratios")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per run (the chapter's 20)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, help="write one row per run to this CSV file")
    out.add_argument("--update", type=Path, metavar="CSV", help="re-measure these runs of a record: replace "
                        "their rows (same configuration and repeat), keep the others and the record's floor")
    parser.add_argument("--one-run", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=int, metavar="STEPS", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed is None:
        from notebook_helpers.mnist import SEED
        args.seed = SEED
    if args.floor or args.one_run:  # a child's job
        result = floor(args.floor) if args.floor else one_run(args.one_run, args.seed, args.epochs)
        print("RESULT " + json.dumps(result), flush=True)
        return

    if importlib.util.find_spec("jax") is None:
        sys.exit("The benchmark needs JAX, for the floor and the configurations on JAX, and it is not installed "
                 "here: run `make venv` (or pip install -r requirements.lock) and try again.")
    total, target = args.repeats * len(args.configs), args.update or args.csv
    record = read(args.update) if args.update else []
    if record:
        now, then = versions(), record[0]
        if any(str(now[key]) != then[key] for key in SAME):
            sys.exit(f"{args.update} was recorded on {', '.join(then[key] for key in SAME)}; this is "
                     f"{', '.join(str(now[key]) for key in SAME)}: measure every configuration into a new file")
        measured = {key: then[key] for key in FLOOR}
    else:
        print("Measuring the floor: one dependent step of the recurrence in a compiled JAX loop (10 s)", flush=True)
        measured = child(["--floor", str(FLOOR_STEPS)], "jax")
    print(f"floor: {float(measured['floor_update_seconds']) * 1e3:.2f} ms per update; {total} trainings of "
          f"{args.epochs} epochs, each in a fresh process (on a 2-core CPU, for 20 epochs, 40-60 s for plain, "
          "15-25 s for fast, 10-15 s for jax-fast); a line after each:", flush=True)
    rows = []
    for repeat in range(args.repeats):
        for config in args.configs:
            run = child(["--one-run", config, "--seed", str(args.seed + repeat), "--epochs", str(args.epochs)],
                        CONFIGS[config][0])
            rows.append({k: (f"{v:.4g}" if k in PRECISE else f"{v:.4f}") if isinstance(v, float) else str(v)
                         for k, v in {"repeat": repeat, **run, **measured}.items()})
            if target:
                write(target, merge(record, rows))
            print(f"[{len(rows)}/{total}] {config:24s} seed {run['seed']}: {run['seconds']:5.1f} s "
                  f"({run['first_epoch_seconds']:.1f} s first epoch), {run['updates']} updates, test accuracy "
                  f"{run['test_accuracy']:.4f}, history {run['history_sha256']}", flush=True)
    if target:
        print(f"wrote {target}: the MNIST notebook's sections 'Fast on a CPU' and 'The same model on another "
              "backend' read it")


if __name__ == "__main__":
    main()
