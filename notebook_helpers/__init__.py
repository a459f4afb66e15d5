"""The course's shared code: one source for what several notebooks define.

Each notebook must stand alone (Colab opens one file, with no repository
around it), so a notebook does not import this package:
`course_tools/shared_code.py` copies the definitions a notebook names into a
generated cell of that notebook, and `tests/test_shared_code.py` fails when a
copy differs from its source here. Scripts and tests import it directly.
"""
