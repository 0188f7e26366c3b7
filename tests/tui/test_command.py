"""The equivalent command: cleaned, shell-quoted words; a word that held a control character is named, so the
confirm screen never copies it."""

from __future__ import annotations

import shlex

import pytest

from tests.hostile import corpus
from warroom.actions import aws_cli
from warroom.session_actions import psql_cli
from warroom.untrusted import clean


@pytest.mark.parametrize("name,value", corpus(), ids=[name for name, _ in corpus()])
def test_every_word_is_cleaned_and_quoted(name, value):
    word = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    command = aws_cli("aws", "cloudwatch", "disable-alarm-actions", "--alarm-names", word)
    assert shlex.split(command.text)[-1] == clean(word)  # the shell reads back exactly the shown word
    assert clean(command.text) == command.text
    assert bool(command.unsafe) == (clean(word) != word)


def test_a_clean_command_is_copyable_and_a_psql_one_keeps_its_quotes():
    assert aws_cli("aws", "ecs", "update-service", "--service", "api").unsafe == ""
    command = psql_cli("host=db user=ops", "SELECT pg_cancel_backend(42);")
    assert command.text == """psql 'host=db user=ops' -c "SELECT pg_cancel_backend(42);\"""" and not command.unsafe
    assert psql_cli("host=db", "SELECT '\x1b[201~'").unsafe
