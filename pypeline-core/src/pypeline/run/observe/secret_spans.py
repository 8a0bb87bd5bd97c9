"""``SecretSpans``: where registered secrets, and long pieces of them, stand in a text.

The ``Redactor`` masks what this finds. Whole values are not enough: text is cut on its way out
(``log_row`` shortens long cells, an error quotes the start of a value), and a cut piece is no
longer the value. So any run of ``FRAGMENT_LENGTH`` or more characters that occurs inside a
registered value longer than that is found too, wherever it stands; shorter values are found
whole only.

Trying every piece at every position of every log line would be slow, so the text is sampled in
blocks of ``BLOCK`` characters at aligned offsets: any run of ``FRAGMENT_LENGTH`` characters
holds one whole aligned block, so a text none of whose blocks occurs in a secret holds no piece of
one (a set lookup per four characters), and only around the blocks that do occur is each start
position looked up. Everything is a set, so registering a value costs its length, not a rebuild:
a run may register thousands of derived values.
"""

from __future__ import annotations

import re

#: A piece of a longer secret this long or longer is masked. Eight characters of a random token
#: are as good as unguessable, while shorter pieces are too often ordinary words ("prod",
#: "admin") for masking them to be anything but noise. A secret of this length or shorter is
#: masked whole only.
FRAGMENT_LENGTH = 8
#: The sampling block: the longest for which every ``FRAGMENT_LENGTH`` run holds an aligned one.
BLOCK = (FRAGMENT_LENGTH + 1) // 2


class SecretSpans:
    """The values to find, and ``spans(text)``: where they, or long pieces of them, are.

    Not locked: the ``Redactor`` serialises ``add``; a lookup that runs beside an ``add`` sees
    the value or not, as if it had run just before or after.
    """

    def __init__(self) -> None:
        self._pieces: set[str] = set()  # every FRAGMENT_LENGTH-long piece of the long values
        self._blocks: set[str] = set()  # every BLOCK-long piece of them: the sampling filter
        self._short: set[str] = set()  # values of FRAGMENT_LENGTH or fewer characters
        # (any short value, each occurrence even where two overlap); compiled on first need.
        self._short_patterns: tuple[re.Pattern[str], re.Pattern[str]] | None = None

    def add(self, value: str) -> None:
        """Find ``value`` from now on: whole if short, else any long enough piece of it."""
        k = FRAGMENT_LENGTH
        if len(value) <= k:
            self._short.add(value)
            self._short_patterns = None  # compiled again on the next lookup
            return
        self._pieces.update(value[i : i + k] for i in range(len(value) - k + 1))
        self._blocks.update(value[i : i + BLOCK] for i in range(len(value) - BLOCK + 1))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` spans to mask, sorted; overlapping or touching ones merged."""
        found = self._piece_spans(text) if self._pieces else []
        if self._short:
            found += self._short_spans(text)
        return _merged(sorted(found))

    def _piece_spans(self, text: str) -> list[tuple[int, int]]:
        k, blocks, pieces = FRAGMENT_LENGTH, self._blocks, self._pieces
        hits = [i for i in range(0, len(text) - BLOCK + 1, BLOCK) if text[i : i + BLOCK] in blocks]
        # A piece holding the block at i starts in [i - (k - BLOCK), i].
        starts = {s for i in hits for s in range(max(i - (k - BLOCK), 0), i + 1)}
        return [(s, s + k) for s in starts if text[s : s + k] in pieces]

    def _short_spans(self, text: str) -> list[tuple[int, int]]:
        patterns = self._short_patterns
        if patterns is None:
            # Longest first, so where two short values start at one place the longer is taken.
            ordered = sorted(self._short, key=len, reverse=True)
            alternatives = "|".join(re.escape(value) for value in ordered)
            # A lookahead gives empty matches, so overlapping occurrences are all found; it is
            # slower, so a plain search decides first whether there is anything to find.
            patterns = (re.compile(alternatives), re.compile(f"(?=({alternatives}))"))
            self._short_patterns = patterns
        anywhere, each = patterns
        if anywhere.search(text) is None:
            return []
        return [(m.start(), m.start() + len(m.group(1))) for m in each.finditer(text)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ``spans`` with overlapping or adjacent ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
