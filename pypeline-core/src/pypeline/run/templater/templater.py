"""Render configs and evaluate valve conditions in Jinja2's sandbox (SPEC §6).

Names a template sees: ``context``, ``iter`` (``item``, ``index``, ``count``), ``run`` (``id``,
``job``), every module global as ``<id>__<key>`` (case-insensitive, this iteration frame's
value first), ``each("<id>__<key>")`` (its value in every frame) and
``secret("<scheme>:<path>#<key>")``; filters ``basename`` and ``stem`` for file paths. An
undefined name is an error; a value that is exactly one ``{{ }}`` keeps its native type.
Compiled templates are cached by source text, so a loop of ten thousand iterations parses each
template once.

A flow file is untrusted input: rendering is bounded in time and size (``limits.py``), so a
hostile template fails with a one-line ``TemplateFailure`` naming what was capped instead of
hanging the run. Rendering runs on the event loop's thread, so the job timeout cannot interrupt
it; the render budget (5 s per module config or condition) is what bounds it, and a caller can
pass what is left of the job's timeout as ``seconds`` when that is less.
"""

from __future__ import annotations

import contextlib
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypeline.run.templater.failures import failure
from pypeline.run.templater.limits import RENDER_SECONDS
from pypeline.run.templater.reads import SecretReads
from pypeline.sdk.secrets import SecretError

#: When a render must stop (``time.monotonic()``), and the seconds that gave it.
Budget = tuple[float, float]
SINGLE_RE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.S)


class TemplateFailure(Exception):
    """A template could not be rendered; the message names the template, never a secret."""


@dataclass(frozen=True)
class IterInfo:
    """The innermost ITERATE frame as templates see it."""

    item: Any = None
    index: int | None = None
    count: int | None = None


class Templater:
    """One per run: the names every template sees, and the compiled-template cache.

    Rendering is bounded (``limits.py``): one module's config, or one condition, gets
    ``render_seconds`` in all, and every value a template builds is size-checked. A template
    that read a secret has what it produced masked (``reads.py``) and its error messages
    withheld (``failures.py``).
    """

    def __init__(
        self,
        context: dict[str, Any],
        run: dict[str, Any],
        lookup_global: Callable[[str, str, str], Any],
        secret: Callable[[str], str] | None = None,
        functions: dict[str, Callable[..., Any]] | None = None,
        render_seconds: float | None = None,
    ) -> None:
        self._secrets = SecretReads(secret)
        self.functions = {"secret": self._secrets.function(), **(functions or {})}
        self._env: Any = None
        self.context = context
        self.run = run
        self._lookup_global = lookup_global
        self._cache: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {}
        self.render_seconds = RENDER_SECONDS if render_seconds is None else render_seconds

    @property
    def env(self) -> Any:
        """The sandbox, made on the first template: template-free runs never import Jinja2."""
        if self._env is None:
            from pypeline.run.templater.sandbox import make_sandbox

            self._env = make_sandbox(self.functions)
        return self._env

    def render(
        self, value: Any, frame: str = "", it: IterInfo | None = None, seconds: float | None = None
    ) -> Any:
        """Render every string in a config value (dicts and lists walked), in one time budget:
        ``render_seconds``, or ``seconds`` if less (what is left of the job's timeout)."""
        return self._render(value, frame, it, self._budget(seconds))

    def evaluate(
        self,
        expression: str,
        frame: str = "",
        it: IterInfo | None = None,
        seconds: float | None = None,
    ) -> bool:
        """A valve condition's truth (the expression, braces already stripped), in one budget."""
        return bool(self._run("expr", expression, frame, it, self._budget(seconds)))

    def _budget(self, seconds: float | None) -> Budget:
        budget = self.render_seconds if seconds is None else min(seconds, self.render_seconds)
        budget = max(budget, 0.0)
        return time.monotonic() + budget, budget

    def _render(self, value: Any, frame: str, it: IterInfo | None, budget: Budget) -> Any:
        if isinstance(value, str):
            return self._render_str(value, frame, it, budget) if "{" in value else value
        if isinstance(value, dict):
            return {k: self._render(v, frame, it, budget) for k, v in value.items()}
        if isinstance(value, list):
            return [self._render(v, frame, it, budget) for v in value]
        return value

    def _render_str(self, text: str, frame: str, it: IterInfo | None, budget: Budget) -> Any:
        single = SINGLE_RE.match(text)
        if single:
            return self._run("expr", single.group("expr").strip(), frame, it, budget)
        return self._run("text", text, frame, it, budget)

    def _run(self, kind: str, source: str, frame: str, it: IterInfo | None, budget: Budget) -> Any:
        from jinja2 import Undefined

        from pypeline.run.templater.budget import checked, rendering

        with rendering(*budget) as state:
            try:
                compiled, names = self._compiled(kind, source)
                result = compiled(**self._names(names, frame, it))
                if isinstance(result, Undefined):
                    result._fail_with_undefined_error()
                checked(result, "template result")
            except (TemplateFailure, SecretError):
                raise
            except Exception as exc:
                raise TemplateFailure(failure(source, exc, state.secret_reads > 0)) from None
            self._secrets.register_derived(state, kind, result)
        return result

    def _compiled(self, kind: str, source: str) -> tuple[Any, frozenset[str]]:
        key = (kind, source)
        if key not in self._cache:
            from jinja2 import meta

            names = frozenset(
                meta.find_undeclared_variables(
                    self.env.parse(source if kind == "text" else "{{ " + source + " }}")
                )
            )
            with warnings.catch_warnings():  # ``{{ 5[1:] }}``: Python's, about generated code
                warnings.simplefilter("ignore", SyntaxWarning)
                if kind == "expr":
                    compiled: Any = self.env.compile_expression(source, undefined_to_none=False)
                else:
                    compiled = self.env.from_string(source).render
            self._cache[key] = (compiled, names)
        return self._cache[key]

    def _names(self, wanted: frozenset[str], frame: str, it: IterInfo | None) -> dict[str, Any]:
        it = it or IterInfo()
        names: dict[str, Any] = {
            "context": self.context,
            "iter": {"item": it.item, "index": it.index, "count": it.count},
            "run": self.run,
        }
        for name in wanted:
            if name not in names and "__" in name:
                module_id, _, key = name.partition("__")
                with contextlib.suppress(KeyError):  # StrictUndefined reports it by name
                    names[name] = self._lookup_global(frame, module_id, key)
        return names
