"""Example PYpeline module pack (test only): ``greet_source`` and ``upper_mod``.

Kept free of imports: PYpeline loads ``pypeline_example.plugin`` through the entry point, and a
package ``__init__`` that imported pandas would slow down every ``pype`` command.
"""

__version__ = "0.1.0"
