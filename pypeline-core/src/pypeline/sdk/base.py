"""``BaseModule``: the seed's module interface plus ``NAME``.

A module file reads like a Talend component's documentation: NAME, TYPE, DESCRIPTION, ports,
CONFIG_SCHEMA with a description for every option, then ``run``. The engine sets ``self.config``
(defaults applied, templates rendered) before ``setup`` and before every ``run``; one instance
lives for the whole run, so ``setup`` may open connections that ``teardown`` closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext

MODULE_TYPES = ("source", "mod", "sink", "solo")


class BaseModule:
    """Base class of every PYpeline module; subclass it and set the class attributes."""

    NAME: ClassVar[str] = ""
    TYPE: ClassVar[str] = "unknown"
    VERSION: ClassVar[str] = "1.0.0"
    DESCRIPTION: ClassVar[str] = ""
    CATEGORY: ClassVar[str] = "unknown"
    INPUT_PORTS: ClassVar[list[str]] = []
    #: Input ports (also listed in INPUT_PORTS) that may be left unconnected; ``run`` then
    #: gets no entry for them in ``inputs``.
    OPTIONAL_INPUT_PORTS: ClassVar[list[str]] = []
    OUTPUT_PORTS: ClassVar[list[str]] = []
    GLOBALS: ClassVar[list[str]] = []
    PACKAGES: ClassVar[list[str]] = []
    #: True when the ``reject`` port carries rows the flow asked to drop (``filter_mod``'s
    #: rows that do not meet the condition), not rows that failed: they are counted in
    #: ``rows_rejected``, but an unread port is no loss and ``settings.rejects`` ignores them.
    REJECT_IS_FILTER: ClassVar[bool] = False
    #: Whether the module works on Dask frames without materializing the whole dataset.
    DASK: ClassVar[bool] = True
    CONFIG_SCHEMA: ClassVar[dict[str, dict[str, dict[str, Any]]]] = {"required": {}, "optional": {}}

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Do the module's work: ``inputs`` maps port to DataArtifact; return port to frame."""
        raise NotImplementedError(f"{type(self).__name__}.run is not implemented")

    async def setup(self, ctx: RunContext) -> None:
        """Called once per run, before the module's first ``run``."""

    async def teardown(self, ctx: RunContext) -> None:
        """Always called at the end of the job for a module that was set up."""

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Validate config values; return ``(key, message)`` problems (``pypeline.sdk.checks``).

        Called twice: by the build on the literal values (a key whose value is a template is
        absent), so a module can parse expressions, check enums and refuse unsafe input before
        anything runs; and by the engine on the rendered values, before ``run``, which can then
        trust its config.
        """
        return []

    @classmethod
    def metadata(cls) -> dict[str, Any]:
        """Everything the build embeds in ``<job>_dag.json`` about this module."""
        return {
            "name": cls.NAME,
            "module_path": f"{cls.__module__}:{cls.__qualname__}",
            "type": cls.TYPE,
            "version": cls.VERSION,
            "description": cls.DESCRIPTION,
            "category": cls.CATEGORY,
            "input_ports": list(cls.INPUT_PORTS),
            "optional_input_ports": list(cls.OPTIONAL_INPUT_PORTS),
            "output_ports": list(cls.OUTPUT_PORTS),
            "globals": list(cls.GLOBALS),
            "packages": list(cls.PACKAGES),
            "dask": cls.DASK,
            "reject_is_filter": cls.REJECT_IS_FILTER,
            "config_schema": {
                "required": dict(cls.CONFIG_SCHEMA.get("required", {})),
                "optional": dict(cls.CONFIG_SCHEMA.get("optional", {})),
            },
        }
