"""The ``Redactor`` masks a secret's pieces too: text cut, split or quoted on its way out (a
``log_row`` cell shortened to 60 characters, half a token in an error) never shows 8 or more
characters of a registered secret in a row; short words that a secret happens to contain stay."""

from __future__ import annotations

import json
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pypeline.run.observe.redact import Redactor
from pypeline.run.observe.secret_spans import FRAGMENT_LENGTH

TOKEN = "hvs.CAESIJx9Qm2Lr7Tz0aKf4WpNc8vYbUe3GdHs1oXiRtMl6ZqB"  # 52 characters, like Vault's
OTHER = "Zr8-pQ2mW7xK4nB9vL1cJ6hT3gF5dS0a"


def redactor(*secrets: str) -> Redactor:
    found = Redactor()
    for secret in secrets:
        found.add(secret)
    return found


def test_a_prefix_cut_like_log_row_is_masked() -> None:
    cut = TOKEN[: 57 - 20] + "..."  # what pandas' max_colwidth leaves of a long cell
    assert redactor(TOKEN)(f"token  {cut}  42") == "token  ***...  42"


def test_a_suffix_and_a_middle_fragment_are_masked_and_nothing_else() -> None:
    mask = redactor(TOKEN)
    assert mask(f"…{TOKEN[-12:]}") == "…***"
    assert mask(f"bad value '{TOKEN[9:30]}' at row 3") == "bad value '***' at row 3"


def test_the_fragment_threshold_is_exactly_eight_characters() -> None:
    assert FRAGMENT_LENGTH == 8
    mask = redactor(TOKEN)
    seven, eight = TOKEN[20:27], TOKEN[20:28]
    assert mask(f"x {seven} y") == f"x {seven} y"
    assert mask(f"x {eight} y") == "x *** y"


def test_a_secret_split_across_two_columns_is_masked_in_both() -> None:
    mask = redactor(TOKEN)
    row = f"{TOKEN[:26]:<30}{TOKEN[26:]:>30}"
    assert mask(row).split() == ["***", "***"]
    assert mask(f"a={TOKEN[:26]}, b={TOKEN[26:]}") == "a=***, b=***"


def test_a_fragment_inside_json_is_masked_and_the_json_stays_valid() -> None:
    mask = redactor(TOKEN)
    text = json.dumps({"auth": {"token": TOKEN[4:40]}, "rows": 3})
    assert json.loads(mask(text)) == {"auth": {"token": "***"}, "rows": 3}
    quoted = 'pa"ss\\word-with-quotes-0123'
    escaped = json.dumps({"password": quoted[2:]})  # a piece of the escaped form
    assert json.loads(redactor(quoted)(escaped)) == {"password": "***"}


def test_repeated_secrets_each_become_one_mask() -> None:
    mask = redactor(TOKEN)
    assert mask(TOKEN + TOKEN) == "***"  # the length does not show through
    assert mask(f"1 {TOKEN} 2 {TOKEN[:30]} 3 {TOKEN}") == "1 *** 2 *** 3 ***"
    assert mask("\n".join([TOKEN[:57] + "..."] * 3)) == "\n".join(["***..."] * 3)


def test_overlapping_secrets_are_masked_as_one_run() -> None:
    first, second = "alpha-bravo-charlie-delta", "charlie-delta-echo-foxtrot"
    mask = redactor(first, second)
    assert mask("alpha-bravo-charlie-delta-echo-foxtrot!") == "***!"
    unrelated = f"{OTHER[:10]}{TOKEN[:10]}"  # neither was registered here
    assert mask(unrelated) == unrelated
    short = redactor("abcd", "cdef")  # whole-value matches overlap too
    assert short("xabcdefx") == "x***x"


def test_short_words_a_secret_contains_are_not_masked() -> None:
    mask = redactor("correct-horse-battery-staple-42", TOKEN)
    text = "the horse ate 7 battery staples; total 42 rows (correct)"
    assert mask(text) == text
    assert mask("Vault tokens start with hvs.CAE") == "Vault tokens start with hvs.CAE"


def test_secrets_of_eight_characters_or_fewer_are_masked_whole_only() -> None:
    mask = redactor("hunter22", "s3cr")
    assert mask("hunter22 hunter2 unter22 s3cr s3c") == "*** hunter2 unter22 *** s3c"


def test_no_secret_leaves_text_untouched() -> None:
    text = "first 3 rows:\n name  age\n  ann   31"
    assert redactor()(text) is text
    assert not redactor().active
    assert redactor("abc")(text) is text  # too short to register
    assert redactor(TOKEN)(text) is text


def test_values_registered_after_a_lookup_are_found() -> None:
    mask = redactor(TOKEN)
    assert mask(OTHER) == OTHER
    mask.add(OTHER)
    assert mask(f"{OTHER[:12]} {TOKEN[:12]}") == "*** ***"


# A secret's alphabet without '*', so a window next to a mask can never be a piece of it.
SECRET_CHARS = string.ascii_letters + string.digits + "-_.:/+=@ \"'\\\n"


@settings(max_examples=300, deadline=None)
@given(
    secret=st.text(alphabet=SECRET_CHARS, min_size=FRAGMENT_LENGTH + 1, max_size=80),
    cuts=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=1, max_size=4),
    glue=st.lists(st.text(alphabet=string.printable, max_size=12), min_size=5, max_size=5),
)
def test_no_piece_of_eight_or_more_survives(
    secret: str, cuts: list[tuple[int, int]], glue: list[str]
) -> None:
    """Whatever pieces of a secret a text holds, and whatever stands between them, no run of
    ``FRAGMENT_LENGTH`` characters of the secret is left; a text without one (in any printed
    form of the secret) is kept as it is."""
    pieces = [secret[min(a, b) : max(a, b)] for a, b in cuts]
    text = glue[0] + "".join(p + g for p, g in zip(pieces, glue[1:], strict=False))
    masked = redactor(secret)(text)
    k = FRAGMENT_LENGTH
    grams = {secret[i : i + k] for i in range(len(secret) - k + 1)}
    assert not any(masked[i : i + k] in grams for i in range(len(masked) - k + 1))
    forms = {secret, secret.strip(), repr(secret)[1:-1], json.dumps(secret)[1:-1]}
    grams |= {f[i : i + k] for f in forms for i in range(len(f) - k + 1)}
    has_piece = any(text[i : i + k] in grams for i in range(len(text) - k + 1))
    if not has_piece and not any(f in text for f in forms if 4 <= len(f) <= k):
        assert masked == text
