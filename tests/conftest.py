"""Settings shared by every test folder.

Property-based suites (hypothesis) explore new examples on a developer's machine; under CI
(``CI`` set) they replay a fixed, derived sequence, so a landing never depends on the luck of
the draw. A failure found locally is kept in hypothesis' example database and replayed first.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
