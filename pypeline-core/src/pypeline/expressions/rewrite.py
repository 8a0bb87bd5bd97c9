"""The two bits of pandas-query syntax the expression language accepts, rewritten for ``ast``.

Outside string literals, `back ticked` column names become placeholder identifiers (so a name
with spaces or symbols parses), and ``& | ~`` become ``and or not`` so they get the low
precedence users expect (``age > 18 & vip`` is not Python's ``age > (18 & vip)``). The text
inside quotes is never touched: ``name == 'a & b'`` keeps its ampersand.
"""

from __future__ import annotations

import re

from pypeline.expressions.errors import ExpressionError, quoted

_LOGICAL = {"&": " and ", "|": " or ", "~": " not "}
PREFIX = "_col"
PLACEHOLDER = re.compile(rf"\b{PREFIX}_*\d+\b")
_SPECIAL = re.compile(r"['\"`&|~]")
_STRING_ENDS = {q: re.compile(r"\\.|" + q, re.DOTALL) for q in ("'", '"', "'" * 3, '"' * 3)}


def rewrite(text: str) -> tuple[str, dict[str, str]]:
    """``text`` ready for ``ast.parse``, and placeholder → column name for the back ticked names.

    Placeholders are ``PREFIX`` and underscores, more than ``text`` holds after it anywhere,
    then a number: no name of the text can be one (found in one pass: the text is untrusted)."""
    runs = [len(m) for m in re.findall(f"{PREFIX}(_*)", text)]
    prefix = PREFIX + "_" * (max(runs) + 1 if runs else 0)
    out: list[str] = []
    aliases: dict[str, str] = {}
    known: dict[str, str] = {}  # column name → placeholder
    i = 0
    while (found := _SPECIAL.search(text, i)) is not None:  # plain runs are copied whole
        out.append(text[i : found.start()])
        i, ch = found.start(), found.group()
        if ch in "'\"":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif ch == "`":
            close = text.find("`", i + 1)
            if close <= i + 1:
                raise ExpressionError(f"unclosed or empty `column name` in {quoted(text)}")
            name = text[i + 1 : close]
            alias = known.setdefault(name, f"{prefix}{len(known)}")
            aliases[alias] = name
            out.append(f" {alias} ")
            i = close + 1
        else:
            out.append(_LOGICAL[ch])
            i += 1
    out.append(text[i:])
    return "".join(out), aliases


def _string_end(text: str, start: int) -> int:
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    for found in _STRING_ENDS[quote].finditer(text, start + len(quote)):
        if found.group() == quote:
            return found.end()
    return len(text)  # unterminated: ast reports it
