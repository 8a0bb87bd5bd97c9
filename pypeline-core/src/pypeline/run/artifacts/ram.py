"""How much RAM this process holds, and how much the machine has.

The artifact manager spills new outputs to Parquet once the process's resident set reaches a share
of the machine's RAM (the seed's ``max_ram_share``). Reading ``/proc`` and ``os.sysconf`` keeps
that check dependency-free (no psutil) and cheap enough to run on every registered output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Used when the platform cannot tell us its RAM: so large that the share is ~0 and the RAM check
# never forces a spill on its own (the row threshold still applies).
UNKNOWN_TOTAL_BYTES = 1 << 62

_STATM = Path("/proc/self/statm")


def _page_size() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return 4096


def rss_bytes() -> int:
    """The current resident set size of this process, in bytes.

    Linux: the second field of ``/proc/self/statm`` (resident pages) times the page size: the
    current value, not a peak. Elsewhere, ``resource.getrusage``'s ``ru_maxrss`` is the *peak*
    RSS (kilobytes on Linux/BSD, bytes on macOS): an overestimate, which errs on the side of
    spilling. 0 when neither is available (Windows), so the RAM check never fires there.
    """
    try:
        resident_pages = int(_STATM.read_text().split()[1])
        return resident_pages * _page_size()
    except (OSError, IndexError, ValueError):
        pass
    try:
        import resource
    except ImportError:
        return 0
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak if sys.platform == "darwin" else peak * 1024


def total_memory_bytes() -> int:
    """Physical RAM of the machine in bytes; ``UNKNOWN_TOTAL_BYTES`` when it cannot be read."""
    try:
        pages = int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return UNKNOWN_TOTAL_BYTES
    return pages * _page_size() if pages > 0 else UNKNOWN_TOTAL_BYTES


def ram_share() -> float:
    """This process's RSS as a fraction of the machine's RAM (0.0 to ~1.0)."""
    return rss_bytes() / total_memory_bytes()
