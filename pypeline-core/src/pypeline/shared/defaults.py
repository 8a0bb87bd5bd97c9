"""Built-in defaults that build and run both need, in a module that imports neither.

The build writes them into the job's settings (``build/plan/settings.py``), the deployment
layer falls back to them (``run/deployment.py``) and the artifact manager uses them when it is
given no configuration (``run/artifacts/manager.py``): one number, so the three cannot drift.
"""

from __future__ import annotations

#: A frame with more rows than this is spilled to Parquet instead of kept in memory.
SPILL_THRESHOLD_ROWS = 10_000_000
#: A frame is spilled when the process's RSS is above this share of the machine's RAM.
MAX_RAM_SHARE = 0.8
