"""Text that is a secret in another form, to be masked like the secret itself (SPEC §6).

Only the exact resolved value used to be masked, so ``{{ secret('env:PW') | urlencode }}``,
``| upper``, ``~ '@host'`` or ``[:-1]`` reached errors, logs and the summary in clear. Two
mechanisms close that, both handing text to the run's redactor:

- when a template first reads a secret (which is when it is resolved), the forms a driver or
  library commonly turns it into before printing it (``secret_forms``: URL-quoted, upper and
  lower case; the redactor itself adds the JSON- and repr-escaped forms);
- at render time, taint: once a template has read a secret, everything it computes from then
  on may be derived from it. A single ``{{ }}`` value or a condition registers every text leaf
  of its result; a text template registers the text of each ``{{ }}`` (and of each block that
  writes) from the first read on, and each run of such pieces not separated by the template's
  own text (``{% for c in secret('env:PW') %}{{ c|upper }}{% endfor %}``: ``tainted_texts``),
  but not the template's own text: ``password is {{ secret('env:PW') }}`` is logged as
  ``password is ***``. It errs on the side of masking: a ``{{ context.host }}`` after the
  secret in the same template is masked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus


def secret_forms(value: str) -> list[str]:
    """The other forms ``value`` commonly takes: in a URL, a header or a case-folded log."""
    forms = [quote(value, safe=""), quote(value), quote_plus(value), value.upper(), value.lower()]
    return [form for form in dict.fromkeys(forms) if form != value]  # in order, once each


def tainted_texts(pieces: list[str]) -> Iterator[str]:
    """Each piece of computed text, and each run of two or more (``""`` ends a run)."""
    run: list[str] = []
    for piece in [*pieces, ""]:
        if piece:
            run.append(piece)
            yield piece
            continue
        if len(run) > 1:
            yield "".join(run)
        run = []


def leaves(value: Any) -> Iterator[str]:
    """Every piece of text in a rendered value: strings, numbers as text, and the keys and
    items of dicts and lists, however deep (walked with a stack, not recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float):
            yield str(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
