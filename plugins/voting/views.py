"""Voting pages under ``/<event>/voting/``."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core.db import utcnow
from core.plugin_helpers import stored_settings
from core.web import current_event
from plugins.voting.services import public_vote_state
from plugins.voting.settings import CETTAR_CRITERIA, VotingSettings

bp = Blueprint("voting", __name__, url_prefix="/<event>/voting", template_folder="templates")


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """How innovations are judged (the rubric) and the state of scoring, vote and results."""
    target = current_event()
    settings = stored_settings(target, "voting", VotingSettings)
    return render_template(
        "voting/index.html",
        settings=settings,
        criteria=CETTAR_CRITERIA,
        vote_state=public_vote_state(settings, utcnow()),  # type: ignore[arg-type]
    )
