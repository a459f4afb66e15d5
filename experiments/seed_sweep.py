"""Train the chapter's MNIST SimpleRNN with several seeds and record every run in a CSV file.

The model, data and training are the MNIST notebook's (notebook_helpers/mnist.py, which it copies). About a
minute a run on a 2-core CPU for the plain port; a row is written as each run ends.

    .venv/bin/python -m experiments.seed_sweep                       # seed_sweep.csv: SEED (123) and 1-9
    .venv/bin/python -m experiments.seed_sweep --fast                # seed_sweep_fast.csv: the fast configuration
    .venv/bin/python -m experiments.seed_sweep --fast --backend jax  # seed_sweep_jax.csv: the same on JAX
    .venv/bin/python -m experiments.seed_sweep --seeds 7 8 --out /tmp/sweep.csv
"""

import argparse
import csv
import datetime
import os
import platform
import time
from importlib import metadata
from pathlib import Path

from course_tools import EXPERIMENTS, NOTEBOOKS

# The backend's version follows "backend", in a column named after it ("tensorflow" or "jax").
FIELDS = ["seed", "final_train_loss", "final_train_accuracy", "final_val_accuracy", "test_loss",
          "test_accuracy", "seconds", "backend", "keras", "numpy", "python", "cpu", "cores", "date"]
OUT = {("tensorflow", False): "seed_sweep.csv", ("tensorflow", True): "seed_sweep_fast.csv",
       ("jax", True): "seed_sweep_jax.csv"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+",
                        help="default: the book's seed, then 1 to 9 (the runs recorded in experiments/)")
    parser.add_argument("--fast", action="store_true", help="the fast configuration")
    parser.add_argument("--backend", choices=["tensorflow", "jax"], default="tensorflow",
                        help="Keras's backend (default: tensorflow)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.out and (args.backend, args.fast) not in OUT:
        parser.error("give --out for this combination")
    out = args.out or EXPERIMENTS / OUT[args.backend, args.fast]
    os.environ["KERAS_BACKEND"] = args.backend  # before Keras is imported: it reads it once

    import keras
    import numpy as np

    from notebook_helpers.machine import cpu_name
    from notebook_helpers.mnist import BATCH_SIZE, MNIST_DIR, SEED, build_chapter_model, load_mnist, train_chapter_model

    seeds = args.seeds or [SEED, *range(1, 10)]

    data = load_mnist(NOTEBOOKS / MNIST_DIR)
    x_test, y_test = data["test"]
    machine = {"backend": keras.backend.backend(),
               args.backend: metadata.version(args.backend), "keras": keras.__version__,
               "numpy": np.__version__, "python": platform.python_version(), "cpu": cpu_name(),
               "cores": os.cpu_count()}

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*FIELDS[:8], args.backend, *FIELDS[8:]])
        writer.writeheader()
        for i, seed in enumerate(seeds, 1):
            keras.utils.set_random_seed(seed)
            model = build_chapter_model(fast=args.fast)
            start = time.perf_counter()
            hist = train_chapter_model(model, data, verbose=0).history
            seconds = time.perf_counter() - start
            test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE, verbose=0)
            writer.writerow({
                "seed": seed, "final_train_loss": f"{hist['loss'][-1]:.4f}",
                "final_train_accuracy": f"{hist['accuracy'][-1]:.4f}",
                "final_val_accuracy": f"{hist['val_accuracy'][-1]:.4f}",
                "test_loss": f"{test_loss:.4f}", "test_accuracy": f"{test_accuracy:.4f}",
                "seconds": f"{seconds:.1f}", **machine, "date": datetime.date.today().isoformat()})
            f.flush()
            print(f"[{i}/{len(seeds)}] seed {seed}: test accuracy {test_accuracy:.4f}, "
                  f"test loss {test_loss:.4f}, {seconds:.0f} s", flush=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
