"""The check cells of the exercises: a student's answer against the
notebook's own computation, reported as right or not yet, never the value.

A solution code cell that sets the answer of an exercise names it in its
metadata ("answer": ["answer_stack"]); the student edition keeps the check
cell and replaces the solution by `answer_stack = None`, so the notebook
still runs from top to bottom before the student has answered.
"""

import numpy as np


def answer_status(answer, expected, rtol=1e-6, atol=0.0):
    """(right, message) for an answer compared with the expected value:
    numbers, sequences of numbers (elementwise, within rtol and atol), or
    strings (ignoring case and surrounding spaces)."""
    if answer is None:
        return False, "not answered yet: set the answer variable above"
    if isinstance(expected, str):
        right = str(answer).strip().lower() == expected.strip().lower()
        return right, "right" if right else "not yet right"
    given = np.asarray(answer, dtype=float)
    wanted = np.asarray(expected, dtype=float)
    if given.shape != wanted.shape:
        return False, (f"not yet right: {given.size} value(s) given, "
                       f"{wanted.size} expected")
    close = np.isclose(given, wanted, rtol=rtol, atol=atol)
    if close.all():
        return True, "right"
    if close.size == 1:
        return False, "not yet right"
    return False, f"not yet right: {close.sum()} of {close.size} values right"


def check_answer(label, answer, expected, rtol=1e-6, atol=0.0):
    """Print whether `answer` to exercise `label` is right (and nothing
    more: a cell ending with this call shows only the verdict)."""
    right, message = answer_status(answer, expected, rtol, atol)
    print(f"{'✓' if right else '✗'} {label}: {message}")
