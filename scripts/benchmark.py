"""Time the chapter's MNIST SimpleRNN in its plain Keras port and in its fast configuration.

Both train the same model (SimpleRNN(16, relu), Dense(10), softmax; 890 parameters) on the
same data with the same optimizer, batch size 100 and 20 epochs: 11,000 updates, with the
validation on 5,000 images after every epoch. The model, data and training are those of
notebooks/keras_rnn_mnist.ipynb: `load_mnist`, `build_chapter_model` and `train_chapter_model` of
course/mnist.py, which the notebook's shared cells copy. The fast configuration,
`build_chapter_model(fast=True)`, changes only how TensorFlow runs it:

* `unroll=True` on the SimpleRNN: a static graph of the 28 time steps instead of a while loop,
* `steps_per_execution=550` in compile: one call into TensorFlow per epoch, not one per batch.

Other configurations can be added with --configs, e.g. fast-1-thread (one intra-op thread; the
thread pools can only be set before TensorFlow runs an op, so the notebook does not do it).

Each run is a fresh process (so that thread settings apply and nothing is shared), the
configurations alternate (plain, fast, plain, fast, ...) so that a busy machine slows both
alike, and repeat i uses the same seed for every configuration. Only the 20 epochs of fit()
are timed (compiling the graph included, importing TensorFlow and loading MNIST not).
The plain port takes about 40-45 s on a 2-core CPU, the fast one about 3x less (13-15 s).

    .venv/bin/python scripts/benchmark.py                        # 3 runs of each, seeds SEED..SEED+2
    .venv/bin/python scripts/benchmark.py --csv results/benchmark.csv   # what the book shows
    .venv/bin/python scripts/benchmark.py --repeats 5 --csv /tmp/benchmark.csv
    .venv/bin/python scripts/benchmark.py --configs plain fast fast-1-thread
"""

import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from notebook_code import REPO

from course.machine import cpu_name
from course.mnist import (
    BATCH_SIZE,
    LEARNING_RATE,
    MNIST_DIR,
    SEED,
    build_chapter_model,
    load_mnist,
    train_chapter_model,
)

# name: (argument of build_chapter_model, compile() settings that replace the chapter's, intra-op
# threads); {} and None keep the chapter's and TensorFlow's defaults. Each setting of `fast` alone
# and combined: unroll=True is build_chapter_model(fast=True) compiled with steps_per_execution=1.
CONFIGS = {
    "plain": (False, {}, None),
    "unroll": (True, {"steps_per_execution": 1}, None),
    "steps-per-execution": (False, {"steps_per_execution": 550}, None),
    "xla": (False, {"jit_compile": True}, None),
    "fast": (True, {}, None),
    "fast+xla": (True, {"jit_compile": True}, None),
    "fast-1-thread": (True, {}, 1),
}
FIELDS = ["config", "unroll", "steps_per_execution", "jit_compile", "repeat", "seed", "seconds",
          "seconds_per_epoch", "first_epoch_seconds", "updates", "epochs", "final_train_loss",
          "final_val_accuracy", "test_loss", "test_accuracy", "history_sha256", "intra_op_threads",
          "inter_op_threads", "tensorflow", "keras", "numpy", "python", "cpu", "cores", "date"]


def recurrent_layer(model):
    return next(layer for layer in model.layers if isinstance(layer, keras.layers.SimpleRNN))


def one_run(config, seed):
    """Train once in this process and return the run's record (the child's job)."""
    fast, settings, intra = CONFIGS[config]
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
    hist = train_chapter_model(model, data, verbose=0, callbacks=[timer]).history
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE, verbose=0)
    digest = hashlib.sha256(json.dumps({k: [float(v) for v in vs] for k, vs in sorted(hist.items())})
                            .encode()).hexdigest()
    epochs = len(hist["loss"])
    return {
        "config": config, "unroll": recurrent_layer(model).unroll,
        "steps_per_execution": model.steps_per_execution, "jit_compile": model.jit_compile,
        "seed": seed, "seconds": seconds, "seconds_per_epoch": seconds / epochs,
        "first_epoch_seconds": epoch_ends[0] - start, "updates": int(model.optimizer.iterations),
        "epochs": epochs, "final_train_loss": hist["loss"][-1],
        "final_val_accuracy": hist["val_accuracy"][-1], "test_loss": test_loss,
        "test_accuracy": test_accuracy, "history_sha256": digest[:16],
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads() or "default",
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads() or "default",
        "tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__,
        "python": platform.python_version(), "cpu": cpu_name(), "cores": os.cpu_count(),
        "date": datetime.date.today().isoformat()}


def child(config, seed):
    """Run one training in a fresh Python process and return its record."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    proc = subprocess.run([sys.executable, __file__, "--one-run", config, "--seed", str(seed)],
                          capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.exit(f"run of {config!r} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each configuration")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the first repeat; "
                        "repeat i uses seed + i for every configuration")
    parser.add_argument("--configs", nargs="+", choices=CONFIGS, default=["plain", "fast"],
                        help="the first one is the reference of the ratios")
    parser.add_argument("--csv", type=Path, help="write one row per run to this CSV file")
    parser.add_argument("--one-run", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_run:
        print("RESULT " + json.dumps(one_run(args.one_run, args.seed)), flush=True)
        return

    total = args.repeats * len(args.configs)
    print(f"{total} trainings of 20 epochs, each in a fresh process (on a 2-core CPU about 40 s for "
          "plain, 15 s for fast); a line after each:", flush=True)
    runs = []
    writer = None
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        csv_file = open(args.csv, "w", newline="")
        writer = csv.DictWriter(csv_file, fieldnames=FIELDS)
        writer.writeheader()
    for repeat in range(args.repeats):
        for config in args.configs:
            run = {"repeat": repeat, **child(config, args.seed + repeat)}
            runs.append(run)
            if writer:
                writer.writerow({k: f"{v:.4f}" if isinstance(v, float) else v for k, v in run.items()})
                csv_file.flush()
            print(f"[{len(runs)}/{total}] {config:21s} seed {run['seed']}: "
                  f"{run['seconds']:5.1f} s ({run['first_epoch_seconds']:.1f} s first epoch), "
                  f"{run['updates']} updates, test accuracy {run['test_accuracy']:.4f}, "
                  f"history {run['history_sha256']}", flush=True)
    if writer:
        csv_file.close()

    first = runs[0]
    print(f"\n{first['cpu']} ({first['cores']} cores), Python {first['python']}, "
          f"TensorFlow {first['tensorflow']}, Keras {first['keras']}, NumPy {first['numpy']}, "
          f"{datetime.datetime.now().isoformat(timespec='minutes')}")
    print(f"{args.repeats} alternating runs of each configuration, "
          f"seeds {args.seed}..{args.seed + args.repeats - 1}; {first['epochs']} epochs per run\n")
    median = {c: statistics.median(r["seconds"] for r in runs if r["config"] == c)
              for c in args.configs}
    reference = args.configs[0]
    print(f"{'configuration':21s} {'median s':>9s} {'s/epoch':>8s} {'ratio':>6s}  "
          f"{'threads':16s} test accuracy per run")
    for c in args.configs:
        mine = [r for r in runs if r["config"] == c]
        accs = " ".join(f"{r['test_accuracy']:.4f}" for r in mine)
        threads = f"{mine[0]['intra_op_threads']}/{mine[0]['inter_op_threads']}"
        print(f"{c:21s} {median[c]:9.1f} {median[c] / mine[0]['epochs']:8.2f} "
              f"{median[reference] / median[c]:6.2f}  {threads:16s} {accs}")
    print(f"\nratio = median seconds of {reference} / median seconds of the configuration; "
          "threads = intra-op/inter-op")
    for c in args.configs[1:]:
        same = all(a["history_sha256"] == b["history_sha256"]
                   for a, b in zip([r for r in runs if r["config"] == reference],
                                   [r for r in runs if r["config"] == c]))
        print(f"{c}: per-epoch losses and accuracies {'identical to' if same else 'differ from'} "
              f"{reference} with the same seed")
    if args.csv:
        print(f"wrote {args.csv}")


if __name__ == "__main__":
    main()
