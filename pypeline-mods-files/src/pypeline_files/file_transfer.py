"""What ``file_copy`` and ``file_move`` share: options, where each source lands, and the run.

The two differ only in the last step (copy, or move), so the options, the planning and the
refusals are written once here. Everything is planned and checked before the first file is
touched: a clash or an existing target stops the module with nothing done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pypeline import BaseModule
from pypeline_files.atomic import check_replaceable
from pypeline_files.file_ops import as_list, check_paths, child, copy, expand, is_pattern, move
from pypeline_files.paths import locate

if TYPE_CHECKING:
    from pypeline import RunContext
    from pypeline_files.paths import Location

Pair = tuple["Location", "Location"]


class FileTransfer(BaseModule):
    """Base of ``file_copy`` and ``file_move``; not a module by itself."""

    TYPE = "solo"
    CATEGORY = "File Operations"
    GLOBALS = ["count"]
    PACKAGES = ["fsspec"]
    #: True: move (the sources are gone afterwards); False: copy.
    MOVE: ClassVar[bool] = False
    CONFIG_SCHEMA = {
        "required": {
            "source": {
                "type": "any",
                "description": "File, directory or glob (*.csv) to take, or a list of them: "
                "local paths or fsspec URLs.",
            },
            "target": {
                "type": "str",
                "description": "New path of a single source, or the directory the sources go "
                "into (ends with /, exists, or several sources).",
            },
        },
        "optional": {
            "overwrite": {
                "type": "bool",
                "default": True,
                "description": "Replace a target that exists; false: fail instead, before "
                "anything is done.",
            },
            "missing_ok": {
                "type": "bool",
                "default": False,
                "description": "Skip a source that does not exist (or a glob matching "
                "nothing) instead of failing.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Paths must be non-empty strings; the target is one path, not a list."""
        problems = check_paths(config, "source")
        target = config.get("target", "")
        if "target" in config and (not isinstance(target, str) or not target.strip()):
            problems.append(("target", f"must be one path or URL, got {target!r}"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Plan every source's target, check them all, then copy or move one by one."""
        pairs = await ctx.executor.run_in_thread(
            plan,
            self.NAME,
            as_list(self.config["source"]),
            str(self.config["target"]),
            bool(self.config.get("missing_ok", False)),
            bool(self.config.get("overwrite", True)),
        )
        action = move if self.MOVE else copy
        for source, target in pairs:
            await ctx.executor.run_in_thread(action, source, target, self.NAME)
            ctx.logger.info("%s: %s -> %s", self.NAME, source.given, target.given)
        ctx.set_global("count", len(pairs))
        return {}


def plan(
    module: str, specs: list[str], target_spec: str, missing_ok: bool, overwrite: bool
) -> list[Pair]:
    """Where each source goes. The target is a directory (each source keeps its name inside
    it) when it ends with "/", already is a directory, or there are several sources (a list
    or a glob); otherwise it is the single source's new path."""
    sources = expand(specs, module, missing_ok)
    target = locate(target_spec)
    several = len(specs) > 1 or any(is_pattern(spec) for spec in specs)
    into = several or target_spec.endswith("/") or target.is_dir()
    pairs = [(source, child(target, source.name) if into else target) for source in sources]
    seen: dict[str, str] = {}
    for source, destination in pairs:
        key = _key(destination)
        if key in seen:
            raise ValueError(
                f"{module}: {seen[key]} and {source.given} would both go to {destination.given}"
            )
        seen[key] = source.given
        if _key(source) == key:
            raise ValueError(f"{module}: {source.given} is its own target")
        if key.startswith(_key(source).rstrip("/") + "/"):
            raise ValueError(f"{module}: {destination.given} is inside {source.given}")
        if not overwrite and destination.exists():
            raise FileExistsError(
                f"{module}: {destination.given} exists (set overwrite: true to replace it)"
            )
        check_replaceable(destination, module, directory=source.is_dir())
    return pairs


def _key(location: Location) -> str:
    """Identity of a path across filesystems: protocol and path."""
    protocol = location.fs.protocol
    name = protocol if isinstance(protocol, str) else protocol[0]
    return f"{name}://{location.path}"
