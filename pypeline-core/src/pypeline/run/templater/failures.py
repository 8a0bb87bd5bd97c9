"""How a template that failed is reported: one line naming the template and the reason.

The reason is the exception's own text (a syntax error's message and, in a template of several
lines, its line, not Jinja2's two-line form), except after the template read a secret: then the
text could quote something derived from the secret (``invalid literal for int(): 'S3CR3T'``, a
dict key made from it), so only the kind of error is given (SPEC §6: never in an error message).
"""

from __future__ import annotations

import re

#: The longest part of a template's source, and of the reason, an error message quotes.
SHOWN_SOURCE = 200
SHOWN_REASON = 300
#: ``'nope' is undefined``: a name from the template's source, never a value.
BARE_UNDEFINED_RE = re.compile(r"'[A-Za-z_][A-Za-z0-9_]*' is undefined")
LINE_BREAKS_RE = re.compile(r"\s*[\r\n]+\s*")  # the message is one line


def failure(source: str, exc: Exception, read_secret: bool) -> str:
    """``template '<source>': <reason>``; ``read_secret`` withholds the exception's text,
    except the render limits' own and an undefined bare name, which hold no value."""
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError

    from pypeline.run.templater.budget import TemplateLimit

    shown = source if len(source) <= SHOWN_SOURCE else source[:SHOWN_SOURCE] + "..."
    text, kind = str(exc), type(exc).__name__
    if isinstance(exc, TemplateSyntaxError) and exc.message:
        text = f"line {exc.lineno}: {exc.message}" if "\n" in source else exc.message
    if not isinstance(exc, TemplateError) and len(exc.args) > 1 and isinstance(exc.args[-1], str):
        text = exc.args[-1]  # OverflowError(34, 'Numerical result out of range'): not a tuple
    if read_secret and not isinstance(exc, TemplateLimit):
        if not (isinstance(exc, UndefinedError) and BARE_UNDEFINED_RE.fullmatch(text)):
            text = f"{kind} (the message is withheld: the template read a secret)"
    elif not text:
        text = kind
    elif not isinstance(exc, TemplateError | ArithmeticError | TypeError | ValueError):
        text = f"{kind}: {text}"
    text = LINE_BREAKS_RE.sub(" ", text)
    if len(text) > SHOWN_REASON:  # a message can quote a value: a 100,000-character key
        text = text[:SHOWN_REASON] + "..."
    return f"template {shown!r}: {text}"
