"""Small NumPy functions used by the from-scratch code of several chapters."""

import numpy as np


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def relu(z):
    """max(z, 0), elementwise."""
    return np.maximum(z, 0.0)


def softmax(z):
    """Softmax over the last axis (shifted by the maximum: no overflow)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def max_diff(a, b):
    """The largest absolute difference of two arrays (or tensors, or lists
    of them, pairwise)."""
    if isinstance(a, (list, tuple)):
        return max(max_diff(x, y) for x, y in zip(a, b, strict=True))
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def simple_rnn_params(features, units):
    """Parameters of a SimpleRNN layer: kernel, recurrent kernel and bias."""
    return units * (features + units + 1)


def lstm_params(features, units):
    """Parameters of an LSTM layer: four gates, each a SimpleRNN's worth."""
    return 4 * simple_rnn_params(features, units)


def gru_params(features, units, reset_after=True):
    """Parameters of a GRU layer; with reset_after (Keras's default)
    each gate has two bias vectors."""
    return 3 * units * (features + units + (2 if reset_after else 1))
