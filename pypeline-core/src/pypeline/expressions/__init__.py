"""The expression language of ``filter_mod``, ``compute_mod`` and any module that takes
expressions: parsed and whitelisted, never ``eval``-ed, bounded, vectorized (``expressions.py``)."""
