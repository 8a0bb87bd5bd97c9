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
    match = DATA_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise GrammarError(
            f"bad data connection {shorten(text)}: expected '<id>.<out_port> - <id>.<in_port>'"
        )
    src, src_port, dst, dst_port = match.groups()
    return src, src_port, dst, dst_port


def parse_control(item: Any) -> RawControl:
    """A control connection in string or mapping form."""
    if isinstance(item, dict):
        return _from_mapping(item)
    if not isinstance(item, str):
        raise GrammarError(
            f"bad control connection {shorten(item)}: expected text or a mapping {{from, to}}"
        )
    return _from_string(item)


def _from_string(text: str) -> RawControl:
    expected = "expected '<src> (<order>|<condition>) [<type>] <dst>'"
    head = CONTROL_HEAD_RE.match(text)
    if not head:
        raise GrammarError(f"bad control connection {shorten(text)}: {expected}")
    close = _matching_paren(text, head.end() - 1)
    if close < 0:
        raise GrammarError(f"bad control connection {shorten(text)}: unclosed '(' in the valve")
    valve = text[head.end() : close]
    order_text, _, condition = valve.partition("|")
    tail = CONTROL_TAIL_RE.match(text[close + 1 :])
    if not tail:
        raise GrammarError(f"bad control connection {shorten(text)}: {expected}")
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
    texts = {key: item.get(key, "") for key in ("from", "to")}
    texts["condition"] = item.get("condition") or ""
    for key, value in texts.items():
        if not isinstance(value, str):
            raise GrammarError(f"{key} must be text, not {shorten(value)}")
    parallel = item.get("parallel", 1)
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise GrammarError(f"parallel must be an integer ≥ 1, not {shorten(parallel)}")
    return RawControl(
        src=texts["from"],
        dst=texts["to"],
        order=parse_order(item.get("order", 1)),
        condition=texts["condition"].strip() or None,
        type=parse_type(item.get("type")),
        parallel=parallel,
    )


def parse_order(value: Any) -> int | str:
    """An integer ≥ 1 or ``Last`` (any case); 0 and negatives are refused with the reason."""
    if isinstance(value, str) and value.strip().lower() == "last":
        return LAST
    wrong = f"order must be an integer ≥ 1 or 'Last', not {shorten(value)}"
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise GrammarError(wrong)  # 1.5 is not order 1, nor is true; inf and nan are no order
    try:
        order = int(value)
    except (TypeError, ValueError, OverflowError):
        raise GrammarError(wrong) from None
    if order == 0:
        raise GrammarError("order 0 is reserved for data connections; control orders start at 1")
    if order < 0:
        raise GrammarError(f"order must be an integer ≥ 1 or 'Last', not {shorten(order)}")
    return order


def parse_type(value: Any) -> str:
    """``iterate``, ``start``, ``error`` or none (``normal``); case-insensitive."""
    if value is None or value == "":
        return "normal"
    text = value.strip().lower() if isinstance(value, str) else ""
    if text not in CONTROL_TYPES:
        raise GrammarError(
            f"unknown control type {shorten(value)}: expected one of iterate, start, error"
            " (or none)"
        )
    return text


def shorten(value: Any) -> str:
    """A value as written, cut so that an error about it stays one readable line."""
    try:
        text = repr(value)
    except ValueError:  # an int of more digits than Python will print
        return f"an integer of {value.bit_length()} bits"
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


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
