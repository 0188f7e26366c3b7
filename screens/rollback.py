"""Choose the revision to roll back to: the one that ran before is offered; any other ACTIVE one can be picked,
a newer one too (a deploy, named so here and on the confirm screen)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from warroom.screens.modal import Modal
from warroom.data.models import Service, TaskDefinition, family_revision
from warroom.rollback import differences, revision_of
from warroom.text import stamp
from warroom.untrusted import clean, literal


class RollbackScreen(Modal[TaskDefinition | None]):
    """Enter takes the highlighted revision to the confirm screen; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rollback-cancel")]

    def __init__(self, service: Service, revisions: tuple[TaskDefinition, ...], default: TaskDefinition) -> None:
        super().__init__(classes="rollback")
        self.service = service
        current = revision_of(service.task_definition)
        self.current = next((r for r in revisions if r.revision == current), None)
        self.choices = [r for r in revisions if r.status == "ACTIVE" and r.revision != current]
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-box follow-box") as box:
            box.border_title = literal(f"Roll back or deploy {self.service.name}")
            yield Label(Text.assemble("now running ", (clean(family_revision(self.service.task_definition)), "bold"),
                                      " · offered: the revision that ran before it"))
            yield OptionList(*[Option(self._label(r), id=str(r.revision)) for r in self.choices],
                             id="rollback-choices")
            yield Static("", id="rollback-diff", markup=False)
            yield Label("Enter: continue to confirm · Esc: cancel")

    def _label(self, revision: TaskDefinition) -> Text:
        now = revision_of(self.service.task_definition)
        mark = "  ← ran before" if revision.revision == self.default.revision else ""
        return Text.assemble(literal(f"{revision.family}:{revision.revision}"), "  ",
                             (stamp(revision.registered_at), "dim"), (mark, "bold"),
                             ("  newer: a deploy" if revision.revision > now else "", "dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next(i for i, r in enumerate(self.choices) if r.revision == self.default.revision)
        options.focus()

    @on(OptionList.OptionHighlighted)
    def _show_diff(self, event: OptionList.OptionHighlighted) -> None:
        target = self.choices[event.option_index]
        lines = differences(self.current, target)
        self.query_one("#rollback-diff", Static).update(
            Text("\n").join(Text.assemble("· ", literal(line, limit=300)) for line in lines))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
