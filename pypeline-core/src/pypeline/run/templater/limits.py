"""How big and how slow a template may get: the render limits.

A flow file is untrusted input: ``((9 ** 999) ** 999) ** 999``, nested ``range`` loops or a
string doubled in a loop would hang the run or fill its memory, and Jinja2's sandbox stops none
of it. The sandbox's hooks (``sandbox.py``, ``codegen.py``, ``filters.py``) check every value
a template builds against these limits, chosen far above what a config needs (a path, a query,
a connection string) and far below what would hurt a run:

- ``MAX_TEXT``: 1,000,000 characters in any value a template builds: a string, or the printed
  size of a list or dict (items, separators and digits counted), or one ``{{ }}`` output.
- ``MAX_INT_BITS``: 4,096 bits in an integer result (about 1,233 decimal digits).
- ``MAX_ITEMS``: 100,000 items in a ``range()`` (Jinja2's own limit), a ``batch`` or a
  ``slice``: a list of that many numbers is a few MB, and a filter such as ``groupby`` that
  makes an object per item stays far from a run's memory.
- ``MAX_OUTPUT``: 10,000,000 characters written in total by one template, counting what loops,
  macros and ``{% set %}`` blocks write into buffers (a nested buffer counts again), and
  ``PIECE_COST`` (50) more for each piece written, about what Python needs to hold one.
- ``MAX_WRAP_LINES``: 50,000 lines made by ``wordwrap``, whose cost grows faster than its text.
- ``RENDER_SECONDS``: 5 seconds of wall time to render one module's config (all its values) or
  one condition, checked in every operator, call, filter, attribute access, loop step and output.

Going past one is a ``TemplateLimit`` that names what was capped, e.g. ``result of '*' too
large (limit 1,000,000 characters)``; the templater adds which template it was. The checks are
in ``budget.py``; this module holds only the numbers, free of Jinja2, so the templater can read
them in a run whose configs hold no template.
"""

from __future__ import annotations

MAX_TEXT = 1_000_000
MAX_INT_BITS = 4_096
MAX_ITEMS = 100_000
MAX_OUTPUT = 10_000_000
PIECE_COST = 50
MAX_WRAP_LINES = 50_000
RENDER_SECONDS = 5.0
