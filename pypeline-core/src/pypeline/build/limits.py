"""How big and how deep a flow may be: a flow file is untrusted input (SPEC §4, §5).

A flow arrives from a repository, a ticket or a colleague's mail, and ``pype validate`` must
answer about it in bounded time and memory whatever it holds: ``/dev/zero``, a "billion
laughs" of YAML aliases, a structure nested a thousand levels deep. Each limit is checked
before the work it guards (the file is read at most one byte past its limit; composition
stops at the first value too many or too deep), so refusing a file costs at most the limit's
worth of work, and every refusal is a located problem (exit 2), never a ``RecursionError``.

The limits sit far above any real flow. They live here, below both build phases, because the
load phase (file, values, nesting) and the plan phase (control chains) each enforce some.
"""

from __future__ import annotations

#: Bytes of a flow file. A larger file is refused without being read further.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Values (mapping keys, mapping and list entries, scalars), counted with every alias and
#: merge key expanded, as later steps (schema, JSON, job folder) see the document.
MAX_VALUES = 100_000

#: Characters of text in all scalars with aliases expanded: an alias may repeat a value, but
#: the flow may not grow past what a file at ``MAX_FILE_BYTES`` could hold written out in full.
MAX_TEXT = MAX_FILE_BYTES

#: Levels of nesting (the top mapping is level 1; a merge key counts one level more).
MAX_DEPTH = 64

#: Sub flows on one path of control connections (``a1 -> a2 -> ... -> a200``). The runtime
#: follows a control path by nested awaits and cancels it (timeout, Ctrl-C) through the same
#: nesting, so a path must stay well inside Python's recursion limit: 200 runs and cancels
#: with room to spare (tests/core/test_flow_limits.py runs one at the limit).
MAX_CONTROL_DEPTH = 200
