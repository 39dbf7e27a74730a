"""What visits' reasons and clashes say to people (translated on output), and as API data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.i18n import N_, Msg
from plugins.voting import visit_model as model

if TYPE_CHECKING:
    from plugins.voting.visits import Context

REASON_MESSAGES = {
    model.WINDOW_TOO_SHORT: N_("The window is shorter than one visit."),
    model.JUDGE_BUSY: N_("The judge is speaking or moderating in the symposium."),
    model.AGENCY_PRESENTING: N_("The agency is presenting in the symposium."),
    model.BLOCKED_BY_KEPT: N_("Visits that are kept leave no time for it."),
    model.NO_FREE_SLOT: N_("No time is left beside the judge's other visits."),
    model.OUTSIDE_WINDOW: N_("The visit lies outside the planning window."),
    model.JUDGE_ELSEWHERE: N_("The judge is at another booth then (or still walking)."),
    model.BOOTH_TAKEN: N_("Another judge is at this booth then."),
}


def clash_json(context: Context, clash: model.Clash) -> dict[str, Any]:
    """A clash as data: ``{reason, message, session}`` or ``{reason, message, visit}``."""
    item: dict[str, Any] = {"reason": clash.code, "message": clash_message(clash)}
    if clash.code in (model.JUDGE_ELSEWHERE, model.BOOTH_TAKEN):
        other = context.entries.get(int(clash.label))
        if other is not None:
            item["visit"] = {
                "judge": {"id": other.judge.id, "name": other.judge.name},
                "innovation": {"id": other.innovation.id, "title": other.innovation.title},
            }
    elif clash.label:
        item["session"] = clash.label
    return item


def clash_message(clash: model.Clash) -> Msg:
    """A clash for people: the reason, and the session when one is named."""
    if clash.label and clash.code in (model.JUDGE_BUSY, model.AGENCY_PRESENTING):
        return Msg(
            "%(reason)s (%(session)s)", reason=Msg(REASON_MESSAGES[clash.code]), session=clash.label
        )
    return Msg(REASON_MESSAGES[clash.code])
