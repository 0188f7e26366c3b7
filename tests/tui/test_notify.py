"""Opt-in notifications: the sequences each kind writes, cleaned, and wrapped for tmux's passthrough."""

from __future__ import annotations

import pytest

from warroom.config import ConfigError, parse
from warroom.notify import sequence
from tests.hostile import as_message, corpus


def test_each_kind_and_off():
    assert sequence("off", "ALARM", "prod-cpu") == ""
    assert sequence("bell", "ALARM", "prod-cpu") == "\a"
    assert sequence("osc9", "ALARM", "prod-cpu") == "\x1b]9;ALARM: prod-cpu\x07"
    assert sequence("osc777", "ALARM", "a;b") == "\x1b]777;notify;ALARM;a,b\x07"  # no field smuggled in
    assert sequence("osc9", "t", "b", tmux=True) == "\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\"


@pytest.mark.parametrize("name,value", corpus())
def test_hostile_text_never_ends_the_sequence_or_starts_another(name, value):
    text = sequence("osc777", as_message(value), as_message(value))
    assert text.startswith("\x1b]777;notify;") and text.endswith("\x07")
    inner = text[len("\x1b]777;notify;"):-1]
    assert all(ord(ch) >= 0x20 and not 0x7f <= ord(ch) < 0xa0 for ch in inner) and inner.count(";") == 1


def test_the_config_takes_only_the_known_kinds(tmp_path):
    envs, _ = parse('[env.prod]\nnotify = "osc9"\n', tmp_path / "c.toml")
    assert envs["prod"].notify == "osc9"
    with pytest.raises(ConfigError, match="notify must be one of"):
        parse('[env.prod]\nnotify = "loud"\n', tmp_path / "c.toml")
