"""``python -m pypeline`` is ``pype``."""

from pypeline.cli.cli import main

main()
