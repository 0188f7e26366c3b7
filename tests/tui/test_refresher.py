"""The refresher's backoff: doubling from the interval, capped."""

from tui.refresher import BACKOFF_CAP, backoff


def test_backoff_doubles_then_caps():
    assert [backoff(10, n) for n in range(1, 6)] == [20, 40, 80, BACKOFF_CAP, BACKOFF_CAP]
    assert backoff(300, 3) == 300  # an interval longer than the cap is never shortened
