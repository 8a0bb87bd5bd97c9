"""Finding a user's ``package.module:function`` and checking it can take the flow's arguments.

``python_mod``'s worker. The working directory of ``pype`` is put first on the import path
while importing, as ``python -m`` would do, so a ``transforms.py`` beside the flow can be
named without installing it (the installed ``pype`` script alone does not do so). Every failure
is a ``ValueError`` whose text says what to fix; the build reports it under the ``function`` or
``args`` key, the run names the node.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

EXAMPLE = "my_etl.cleaning:fix_names"


def load(path: Any) -> Callable[..., Any]:
    """The callable that ``path`` (``module:function``, or ``module:Class.method``) names."""
    if not isinstance(path, str) or path.count(":") != 1:
        raise ValueError(f"must be module:function, e.g. {EXAMPLE}, not {path!r}")
    module_name, attribute = (part.strip() for part in path.split(":"))
    if not module_name or not attribute:
        raise ValueError(f"must be module:function, e.g. {EXAMPLE}, not {path!r}")
    try:
        with _working_directory_importable():
            target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"cannot import {module_name}: {exc}") from None
    except Exception as exc:  # the user's module itself failed while loading
        raise ValueError(f"importing {module_name} raised {type(exc).__name__}: {exc}") from None
    for name in attribute.split("."):
        if not hasattr(target, name):
            raise ValueError(f"{module_name} has no {attribute!r}")
        target = getattr(target, name)
    if not callable(target):
        raise ValueError(f"{path} is not a function (it is of type {type(target).__name__})")
    return target  # type: ignore[no-any-return]


def takes_context(function: Callable[..., Any]) -> bool:
    """Whether the function declares a ``ctx`` parameter (then it gets the ``RunContext``)."""
    try:
        return "ctx" in inspect.signature(function).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False


def check_arguments(function: Callable[..., Any], path: str, args: dict[str, Any]) -> None:
    """Refuse keyword arguments the function does not take (missing ones may be templated)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return
    extra = {"ctx": None} if "ctx" in signature.parameters else {}
    try:
        signature.bind_partial(None, **args, **extra)
    except TypeError as exc:
        raise ValueError(f"{path} does not take these args: {exc}") from None


@contextmanager
def _working_directory_importable() -> Iterator[None]:
    here = os.getcwd()
    added = here not in sys.path and "" not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        yield
    finally:
        if added:
            sys.path.remove(here)
