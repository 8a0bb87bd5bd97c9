"""``python_mod``: call the user's own Python function on the frame (Talend's tJavaRow/tJavaFlex).

The escape hatch for what no module does. The function is named by path, not written in the
YAML, so it lives in a real file that can be tested and reviewed. A literal path is imported at
build time: a typo fails ``pype validate`` with the key named, not the run an hour later. In
dask mode the function runs once per partition (``map_partitions``); dask learns the output's
columns by first calling it on an empty frame, which a pandas function handles naturally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pypeline.modules.mods import user_functions
from pypeline.modules.mods.frame_errors import FrameError, label
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.context import RunContext


class PythonMod(BaseModule):
    """Transform the frame with a function from the user's code."""

    NAME = "python_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Calls your own Python function on the rows (Talend's tJavaRow / tJavaFlex).

`function` is "package.module:function"; the function takes
a pandas DataFrame and returns a pandas DataFrame. `args` are passed as keyword arguments.
A parameter named `ctx` receives the RunContext (ctx.logger, ctx.set_global, ctx.node_id).

Example:
  # my_etl/cleaning.py, beside the flow or installed
  def fix_names(df, suffix=""):
      return df.assign(name=df["name"].str.title() + suffix)

  configs: {function: "my_etl.cleaning:fix_names", args: {suffix: " (checked)"}}

The working directory of `pype` is on the import path while the function is imported. A
literal `function` is imported when the flow is built, so an unknown module or function, or an
`args` key the function does not take, fails the build.

In dask mode the function is called once per partition (map_partitions), and first once on an
empty frame so dask learns the output's columns: it must not depend on seeing all the rows at
once (no global sort, dedupe or totals; use the other modules for those).

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {
            "function": {
                "type": "str",
                "description": "The function as package.module:function, e.g. "
                "my_etl.cleaning:fix_names.",
            }
        },
        "optional": {
            "args": {
                "type": "dict",
                "default": {},
                "description": "Keyword arguments passed to the function.",
            }
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Import a literal ``function`` now and check that it takes the ``args`` given."""
        path = config.get("function")
        if path is None:
            return []
        try:
            function = user_functions.load(path)
        except ValueError as exc:
            return [("function", str(exc))]
        try:
            user_functions.check_arguments(function, path, dict(config.get("args") or {}))
        except ValueError as exc:
            return [("args", str(exc))]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        path, args = self.config["function"], dict(self.config.get("args") or {})
        function = user_functions.load(path)
        if user_functions.takes_context(function):
            args["ctx"] = ctx
        call = Call(function, path, args, where)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        if not hasattr(frame, "map_partitions"):
            return {"output": await ctx.executor.run_in_thread(call, frame)}
        meta = await ctx.executor.run_in_thread(call.on_empty, frame._meta)
        return {"output": frame.map_partitions(call, meta=meta)}


class Call:
    """The user's function with its arguments; what ``map_partitions`` calls per partition.

    ``__dask_tokenize__`` keeps dask from hashing the arguments (the RunContext holds a thread
    pool and a logger it cannot hash).
    """

    def __init__(
        self, function: Callable[..., Any], path: str, args: dict[str, Any], where: str
    ) -> None:
        self.function, self.path, self.args, self.where = function, path, args, where

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        try:
            result = self.function(frame, **self.args)
        except Exception as exc:
            raise FrameError(
                f"{self.where}: {self.path} raised {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(result, pd.DataFrame):
            kind = type(result).__name__
            raise FrameError(f"{self.where}: {self.path} returned {kind}, not a pandas DataFrame")
        return result

    def on_empty(self, meta: pd.DataFrame) -> pd.DataFrame:
        """The output's empty shape, for dask; errors say why an empty frame was passed."""
        try:
            return self(meta.copy()).iloc[:0]
        except FrameError as exc:
            raise FrameError(
                f"{exc} (dask mode calls it first on an empty frame to learn its columns)"
            ) from None

    def __dask_tokenize__(self) -> tuple[str, str, str]:
        return (self.path, repr(sorted((k, repr(v)) for k, v in self.args.items())), self.where)
