"""Render every error once, as one line (plus hints), with the exit code of SPEC §7.

Exit codes: 0 success; 1 the job ran and failed; 2 bad usage, bad flow, build error; 130
interrupted. No traceback unless ``--debug`` or ``PYPELINE_DEBUG=1``, and never with locals.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    flag = bool(ctx and ctx.find_root().params.get("debug"))
    return flag or os.environ.get("PYPELINE_DEBUG", "") not in ("", "0")


def handle_errors(fn: F) -> F:
    """Wrap a command so known errors become ``error: ...`` lines and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pypeline.build.errors import FlowInvalid, UsageError

        try:
            return fn(*args, **kwargs)
        except FlowInvalid as exc:
            if debug_enabled():
                raise
            for problem in exc.problems:
                click.echo(problem.render(), err=True)
            errors = sum(1 for p in exc.problems if p.severity == "error")
            click.echo(f"error: {errors} problem{'s' if errors != 1 else ''} found", err=True)
            sys.exit(2)
        except UsageError as exc:
            if debug_enabled():
                raise
            fail(str(exc), exc.hint)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:
            if debug_enabled():
                raise
            fail(f"{type(exc).__name__}: {exc}", "run again with --debug for the traceback", 1)

    return wrapper  # type: ignore[return-value]


def fail(message: str, hint: str | None = None, code: int = 2) -> None:
    """Print ``error: message`` and exit."""
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)
