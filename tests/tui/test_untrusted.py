"""The sanitising helper: nothing the terminal would act on survives, markup is never parsed."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from warroom.untrusted import clean, literal

HOSTILE = [
    "\x1b[2J\x1b[H cleared",
    "\x1b]0;owned\x07 title",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard",
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "\x1bP+q\x1b\\ dcs",
    "\x9b31m c1 csi",
    "over\rwrite\bback\x00nul",
    "bidi \u202eevil\u202c zero\u200bwidth",
]


def acted_on(text: str) -> list[str]:
    """Characters a terminal would interpret: C0 (but newline), DEL, C1, and format characters (Cf)."""
    return [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0
            or unicodedata.category(c) in ("Cf", "Zl", "Zp", "Cs")]


def test_escapes_become_visible():
    assert clean("\x1b]0;owned\x07") == "␛]0;owned␇"
    assert clean("\x1b[2J") == "␛[2J"
    assert clean("\x9b2J") == "<U+009B>2J"
    assert clean("a\u202eb") == "a<U+202E>b"
    assert clean("a\rb\bc") == "a␍b␈c"


def test_hostile_corpus_is_inert():
    for text in HOSTILE:
        assert acted_on(clean(text)) == []
        assert acted_on(clean(text, multiline=True)) == []


def test_markup_and_emoji_codes_stay_literal():
    text = literal("[bold red]x[/] [@click=app.quit]q[/] :skull:")
    assert text.plain == "[bold red]x[/] [@click=app.quit]q[/] :skull:"
    assert text.spans == []


def test_invalid_utf8_and_surrogates_become_replacement_characters():
    assert clean(b"ok \xff\xfe end") == "ok \ufffd\ufffd end"
    assert clean("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_huge_strings_are_cut_with_a_marker():
    out = clean("x" * (1 << 20), limit=100)
    assert out.startswith("x" * 100) and out.endswith("… [+1,048,476 chars]")


def test_newlines_one_line_and_multiline():
    assert clean("a\nb") == "a⏎b"
    assert clean("a\nb\tc", multiline=True) == "a\nb    c"


def test_cjk_kept():
    assert clean("服务已达到稳定状态") == "服务已达到稳定状态"


@given(st.text())
def test_no_terminal_control_survives_any_text(text):
    assert acted_on(clean(text)) == []
    assert acted_on(clean(text, multiline=True)) == []


@given(st.binary())
def test_no_terminal_control_survives_any_bytes(data):
    assert acted_on(clean(data)) == []


def test_rare_format_characters_are_visible():
    assert clean("tag\U000e0001 arabic\u0600") == "tag<U+E0001> arabic<U+0600>"
