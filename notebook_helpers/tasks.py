"""Toy tasks that several chapters train on."""

import numpy as np


def first_symbol_task(n, steps=50, symbols=4, seed=0):
    """n sequences of `steps` random symbols (one-hot); target: the first."""
    rng = np.random.default_rng(seed)
    s = rng.integers(0, symbols, size=(n, steps))
    return np.eye(symbols, dtype=np.float32)[s], s[:, 0]
