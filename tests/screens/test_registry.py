"""The action registry feeds every key: each act has its flow (or is its pane's or screen's own method), each
pane's and screen's act keys come from it, and read-only turns off exactly the acts that change something."""

from __future__ import annotations

from warroom.registry import ACTS, acts_in
from warroom.screens.alarm_detail import AlarmDetailScreen
from warroom.screens.database_detail import DatabaseDetailScreen
from warroom.screens.flow import FLOWS
from warroom.screens.main import MainScreen
from warroom.screens.service_detail import ServiceDetailScreen
from warroom.widgets.connections_pane import ConnectionsPane
from warroom.widgets.panes import AlarmsPane, DatabasesPane, ServicesPane

HOMES = {"main": MainScreen, "services": ServicesPane, "alarms": AlarmsPane, "databases": DatabasesPane,
         "connections": ConnectionsPane,
         "service": ServiceDetailScreen, "alarm": AlarmDetailScreen, "database": DatabaseDetailScreen}


def test_every_act_has_one_flow_or_is_a_method_of_each_place_it_acts_in():
    for act in ACTS.values():
        if act.local:
            assert act.name not in FLOWS
            assert all(hasattr(HOMES[place], f"action_{act.name}") for place in act.places), act.name
        else:
            assert act.name in FLOWS, act.name


def test_each_place_binds_exactly_its_acts_keys():
    for place, home in HOMES.items():
        bound = {(b.key, b.description) for b in home.BINDINGS if not b.system}  # type: ignore[union-attr]
        assert {(act.key, act.title) for act in acts_in(place)} <= bound, place


async def test_read_only_turns_off_the_mutating_acts_only():
    pane = ServicesPane(interval=10, id="services", read_only=True)
    assert pane.check_action("request", ("scale",)) is False
    assert pane.check_action("request", ("logs",)) is True
    assert pane.check_action("cursor_down", ()) is True
