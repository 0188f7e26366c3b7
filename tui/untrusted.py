"""The one helper for text from outside (AWS, databases, logs): shown literally, never acted on.

`clean` makes every control character visible (ESC becomes ␛, BEL ␇, C1 and bidi/zero-width characters
`<U+202E>`), replaces undecodable bytes and lone surrogates with U+FFFD, and cuts very long strings with a marker.
`literal` wraps the result in a `rich.text.Text`, so Rich markup (`[bold]`, `[@click=...]`) and emoji codes
(`:skull:`) are never interpreted. Every widget that shows an outside string goes through `literal`.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

LIMIT = 4096

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}
_C0[0x7F] = "\u2421"
_INVISIBLE = (
    list(range(0x80, 0xA0))  # C1 controls (CSI 0x9b, OSC 0x9d, ...)
    + [0x00AD, 0x061C, 0x180E]
    + list(range(0x200B, 0x2010))  # zero-width and LRM/RLM
    + list(range(0x2028, 0x202F))  # line/paragraph separators, bidi embeddings and overrides
    + list(range(0x2060, 0x2070))  # word joiner, invisible operators, bidi isolates
    + [0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
)
_TABLE: dict[int, str] = {**_C0, **{code: f"<U+{code:04X}>" for code in _INVISIBLE}}
_KEEP_NEWLINES = {**_TABLE, 0x0A: "\n", 0x09: "    "}
_ONE_LINE = {**_TABLE, 0x0A: "\u23ce", 0x09: " "}
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_INERT_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp"})


def _format_character(match: re.Match[str]) -> str:
    """Any other invisible format character (Unicode category Cf, e.g. U+E0001 tags) made visible too."""
    char = match.group()
    return f"<U+{ord(char):04X}>" if unicodedata.category(char) in _INERT_CATEGORIES else char


def clean(value: object, *, multiline: bool = False, limit: int = LIMIT) -> str:
    """`value` as a string safe to hand to the terminal: every control made visible, at most `limit` chars."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    text = value if isinstance(value, str) else str(value)
    extra = len(text) - limit
    if extra > 0:
        text = text[:limit]
    if text.isascii() and text.isprintable():  # the common case, nothing to make visible: skips the scans below
        return f"{text}… [+{extra:,} chars]" if extra > 0 else text
    text = _SURROGATE.sub("\ufffd", text).translate(_KEEP_NEWLINES if multiline else _ONE_LINE)
    if not text.isascii():
        text = _NON_ASCII.sub(_format_character, text)
    return f"{text}… [+{extra:,} chars]" if extra > 0 else text


def literal(value: object, style: str = "", *, multiline: bool = False, limit: int = LIMIT) -> Text:
    """`clean(value)` as a Rich Text: shown exactly as written, never parsed as markup."""
    return Text(clean(value, multiline=multiline, limit=limit), style=style, no_wrap=not multiline, end="")
