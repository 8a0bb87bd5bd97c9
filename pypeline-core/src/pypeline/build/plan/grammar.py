"""The connection grammar of SPEC §4, parsed into edges or located problems.

Data: ``"<id>.<out_port> - <id>.<in_port>"``. Control: ``"<src> (<order>|<condition>) [<type>]
<dst>"`` (the type may be written bare or in brackets) or the mapping form ``{from, to, order,
condition, type, parallel}``. Order is an integer ≥ 1 or ``Last``; 0 is reserved for data edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

DATA_RE = re.compile(r"^\s*([A-Za-z_]\w*)\.(\w+)\s*-\s*([A-Za-z_]\w*)\.(\w+)\s*$")
CONTROL_HEAD_RE = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(")
CONTROL_TAIL_RE = re.compile(r"^\s*(?:\[?\s*([A-Za-z]+)\s*\]?\s+)?([A-Za-z_]\w*)\s*$")
CONTROL_TYPES = ("normal", "iterate", "start", "error")
LAST = "Last"


class GrammarError(ValueError):
    """A connection that does not parse; the message says what was expected."""


@dataclass(frozen=True)
class RawControl:
    """A control edge as written: order may still be ``Last``."""

    src: str
    dst: str
    order: int | str
    condition: str | None
    type: str
    parallel: int


def parse_data(text: str) -> tuple[str, str, str, str]:
    """``"a.data - b.input"`` → ``("a", "data", "b", "input")``."""
    match = DATA_RE.match(text)
    if not match:
        raise GrammarError(
            f"bad data connection {text!r}: expected '<id>.<out_port> - <id>.<in_port>'"
        )
    src, src_port, dst, dst_port = match.groups()
    return src, src_port, dst, dst_port


def parse_control(item: Any) -> RawControl:
    """A control connection in string or mapping form."""
    if isinstance(item, dict):
        return _from_mapping(item)
    return _from_string(str(item))


def _from_string(text: str) -> RawControl:
    expected = "expected '<src> (<order>|<condition>) [<type>] <dst>'"
    head = CONTROL_HEAD_RE.match(text)
    if not head:
        raise GrammarError(f"bad control connection {text!r}: {expected}")
    close = _matching_paren(text, head.end() - 1)
    if close < 0:
        raise GrammarError(f"bad control connection {text!r}: unclosed '(' in the valve")
    valve = text[head.end() : close]
    order_text, _, condition = valve.partition("|")
    tail = CONTROL_TAIL_RE.match(text[close + 1 :])
    if not tail:
        raise GrammarError(f"bad control connection {text!r}: {expected}")
    edge_type, dst = tail.groups()
    return RawControl(
        src=head.group(1),
        dst=dst,
        order=parse_order(order_text.strip()),
        condition=condition.strip() or None,
        type=parse_type(edge_type),
        parallel=1,
    )


def _from_mapping(item: dict[str, Any]) -> RawControl:
    condition = item.get("condition")
    parallel = item.get("parallel", 1)
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise GrammarError(f"parallel must be an integer ≥ 1, not {parallel!r}")
    return RawControl(
        src=str(item.get("from", "")),
        dst=str(item.get("to", "")),
        order=parse_order(item.get("order", 1)),
        condition=str(condition).strip() or None if condition is not None else None,
        type=parse_type(item.get("type")),
        parallel=parallel,
    )


def parse_order(value: Any) -> int | str:
    """An integer ≥ 1 or ``Last`` (any case); 0 and negatives are refused with the reason."""
    if isinstance(value, str) and value.strip().lower() == "last":
        return LAST
    if isinstance(value, bool):
        raise GrammarError(f"order must be an integer ≥ 1 or 'Last', not {value!r}")
    try:
        order = int(value)
    except (TypeError, ValueError):
        raise GrammarError(f"order must be an integer ≥ 1 or 'Last', not {value!r}") from None
    if order == 0:
        raise GrammarError("order 0 is reserved for data connections; control orders start at 1")
    if order < 0:
        raise GrammarError(f"order must be an integer ≥ 1 or 'Last', not {order}")
    return order


def parse_type(value: Any) -> str:
    """``iterate``, ``start``, ``error`` or none (``normal``); case-insensitive."""
    if value is None or value == "":
        return "normal"
    text = str(value).strip().lower()
    if text not in CONTROL_TYPES:
        raise GrammarError(
            f"unknown control type {value!r}: expected one of iterate, start, error (or none)"
        )
    return text


def _matching_paren(text: str, start: int) -> int:
    """Index of the ')' closing the '(' at ``start``, skipping quoted text; -1 if none."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


BRACES_RE = re.compile(r"\{\{(.*?)\}\}", re.S)


def strip_braces(condition: str) -> str:
    """A condition is one expression; braces are optional: ``{{ x }} > 3`` means ``(x) > 3``."""
    text = condition.strip()
    if text.startswith("{{") and text.endswith("}}") and text.count("{{") == 1:
        return text[2:-2].strip()
    return BRACES_RE.sub(lambda m: f"({m.group(1).strip()})", text)
