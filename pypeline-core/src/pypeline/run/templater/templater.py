"""Render configs and evaluate valve conditions in Jinja2's sandbox (SPEC §6).

Names a template sees: ``context``, ``iter`` (``item``, ``index``, ``count``), ``run`` (``id``,
``job``), every module global as ``<id>__<key>`` (case-insensitive, this iteration frame's
value first), ``each("<id>__<key>")`` (its value in every frame) and
``secret("<scheme>:<path>#<key>")``; filters ``basename`` and ``stem`` for file paths. An
undefined name is an error; a value that is exactly one ``{{ }}`` keeps its native type.
Compiled templates are cached by source text, so a loop of ten thousand iterations parses each
template once.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    """One per run: the names every template sees, and the compiled-template cache."""

    def __init__(
        self,
        context: dict[str, Any],
        run: dict[str, Any],
        lookup_global: Callable[[str, str, str], Any],
        secret: Callable[[str], str] | None = None,
        functions: dict[str, Callable[..., Any]] | None = None,
    ) -> None:
        self.functions = {"secret": secret or _no_secrets, **(functions or {})}
        self._env: Any = None
        self.context = context
        self.run = run
        self._lookup_global = lookup_global
        self._cache: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {}

    @property
    def env(self) -> Any:
        """The sandbox, made on the first template: template-free runs never import Jinja2."""
        if self._env is None:
            from pypeline.run.templater.sandbox import make_sandbox

            self._env = make_sandbox(self.functions)
        return self._env

    def render(self, value: Any, frame: str = "", it: IterInfo | None = None) -> Any:
        """Render every string in a config value (dicts and lists walked)."""
        if isinstance(value, str):
            return self._render_str(value, frame, it) if "{" in value else value
        if isinstance(value, dict):
            return {k: self.render(v, frame, it) for k, v in value.items()}
        if isinstance(value, list):
            return [self.render(v, frame, it) for v in value]
        return value

    def evaluate(self, expression: str, frame: str = "", it: IterInfo | None = None) -> bool:
        """A valve condition's truth (the expression, braces already stripped)."""
        return bool(self._run("expr", expression, frame, it))

    def _render_str(self, text: str, frame: str, it: IterInfo | None) -> Any:
        single = SINGLE_RE.match(text)
        if single:
            return self._run("expr", single.group("expr").strip(), frame, it)
        return self._run("text", text, frame, it)

    def _run(self, kind: str, source: str, frame: str, it: IterInfo | None) -> Any:
        from jinja2 import TemplateError, Undefined

        try:
            compiled, names = self._compiled(kind, source)
            result = compiled(**self._names(names, frame, it))
            if isinstance(result, Undefined):
                result._fail_with_undefined_error()
            return result
        except TemplateFailure:
            raise
        except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:
            raise TemplateFailure(f"template {source!r}: {exc}") from None

    def _compiled(self, kind: str, source: str) -> tuple[Any, frozenset[str]]:
        key = (kind, source)
        if key not in self._cache:
            from jinja2 import meta

            names = frozenset(
                meta.find_undeclared_variables(
                    self.env.parse(source if kind == "text" else "{{ " + source + " }}")
                )
            )
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


def _no_secrets(reference: str) -> str:
    raise TemplateFailure(f"secret({reference!r}): no secret resolver is available")
