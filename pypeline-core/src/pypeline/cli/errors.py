"""Render every error once, as one line (plus hints), with the exit code of SPEC §7.

Exit codes: 0 success; 1 the job ran and failed; 2 bad usage, bad flow, build error; 130
interrupted. No traceback unless ``--debug`` or ``PYPELINE_DEBUG=1``, and never with locals.

Everything printed here goes through the command's ``Redactor`` (``redaction_scope``): a run
started by the command registers each secret it resolves there, so an exception that carries
a secret out of the run (a driver's message with a password in it) shows ``***``, in the error
line and in the ``--debug`` traceback alike. The traceback is the standard library's, which
shows code lines and messages but never local variables (kedro-org/kedro#1712).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click

from pypeline.run.observe.redact import current_redactor, redaction_scope

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    flag = bool(ctx and ctx.find_root().params.get("debug"))
    return flag or os.environ.get("PYPELINE_DEBUG", "") not in ("", "0")


def handle_errors(fn: F) -> F:
    """Wrap a command so known errors become ``error: ...`` lines and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with redaction_scope():
            try:
                return fn(*args, **kwargs)
            except KeyboardInterrupt:
                click.echo("error: interrupted", err=True)
                sys.exit(130)
            except BrokenPipeError:
                quiet_broken_pipe()
            except (click.ClickException, click.exceptions.Exit, SystemExit):
                raise
            except Exception as exc:
                render_error(exc)

    return wrapper  # type: ignore[return-value]


def quiet_broken_pipe() -> None:
    """The reader went away (``pype list-modules | head -1``): stop quietly, no traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
    sys.exit(1)


def render_error(exc: Exception) -> None:
    """Print ``exc`` the way its kind deserves (redacted), then exit with its code."""
    from pypeline.shared.errors import FlowInvalid, UsageError

    debug = debug_enabled()
    if debug:
        print_traceback(exc)
    if isinstance(exc, FlowInvalid):
        for problem in exc.problems:
            echo_redacted(problem.render())
        errors = sum(1 for p in exc.problems if p.severity == "error")
        echo_redacted(f"error: {errors} problem{'s' if errors != 1 else ''} found")
        sys.exit(2)
    if isinstance(exc, UsageError):
        fail(str(exc), exc.hint)
    code = getattr(exc, "exit_code", None)
    if isinstance(code, int):  # an error that knows its exit code says its own one line
        fail(str(exc), getattr(exc, "hint", None), code)
    hint = None if debug else "run again with --debug for the traceback"
    fail(f"{type(exc).__name__}: {exc}", hint, 1)


def print_traceback(exc: BaseException) -> None:
    """The standard traceback of ``exc`` and its causes, redacted; locals are never shown."""
    report = traceback.TracebackException.from_exception(exc, capture_locals=False)
    text = "".join(report.format())
    echo_redacted(text.rstrip("\n"))


def echo_redacted(text: str) -> None:
    """One message to stderr, with every secret the command's run resolved masked."""
    click.echo(current_redactor()(text), err=True)


def fail(message: str, hint: str | None = None, code: int = 2) -> None:
    """Print ``error: message`` and exit."""
    echo_redacted(f"error: {message}")
    if hint:
        echo_redacted(f"  hint: {hint}")
    sys.exit(code)
