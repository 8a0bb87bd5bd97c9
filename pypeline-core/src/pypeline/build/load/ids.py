"""Module ids are unique even ignoring case (SPEC §4).

Globals are case-insensitive (``{{ Src__row_count }}`` and ``{{ src__row_count }}`` are one
name), so two ids that differ only in case would make one module's globals read the other's.
The shape of an id (letters, digits and ``_``, no ``__``, at most 64 characters) is the flow
schema's to check, where editors see it too; uniqueness needs every id at once, so it is here.
"""

from __future__ import annotations

from pypeline.build.load.document import FlowDoc
from pypeline.shared.errors import FlowError


def check_ids(doc: FlowDoc) -> list[FlowError]:
    """Each id that repeats an earlier one, exactly or but for case, at its own line, naming
    the earlier one and its line."""
    modules = doc.data.get("modules")
    if not isinstance(modules, list):
        return []
    problems: list[FlowError] = []
    first: dict[str, tuple[int, str]] = {}  # lower-cased id → index and id as first written
    for i, item in enumerate(modules):
        module_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(module_id, str):
            continue
        earlier = first.setdefault(module_id.lower(), (i, module_id))
        if earlier[0] == i:
            continue
        line = doc.where("modules", earlier[0], "id")[0]
        if earlier[1] == module_id:
            message = f"duplicate module id '{module_id}' (first declared at line {line})"
            hint = "ids must be unique"
        else:
            message = (
                f"module id '{module_id}' differs from '{earlier[1]}' (line {line}) only in case"
            )
            hint = "ids must differ in more than case, as globals do ({{ <id>__row_count }})"
        problems.append(doc.error(("modules", i, "id"), message, hint))
    return problems
