"""In Chromium on a 360 px phone: the demo exhibitor's agencies, members and a claim.

The demo's Samsat member opens "my agencies", the agency page and confirms a pending claim
with a real button press (CSRF on); a site admin's claims page fits the phone too.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from core.db import get_db
from core.models import Membership, Organization, User
from core.services import memberships
from core.services.demo import DEMO_ADMIN, DEMO_EXHIBITOR, seed_demo
from tests.e2e.conftest import LiveServer
from tests.e2e.test_plugin_switchboard import PHONE, no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser
CLAIMANT = "petugas.baru@samsat.example.id"


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> dict[str, int]:
    """The demo, plus a pending claim to join the demo exhibitor's agency."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        seed_demo(session, registry)
        exhibitor = session.scalar(select(User).where(User.email == DEMO_EXHIBITOR[0]))
        assert exhibitor is not None
        organization = session.scalar(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == exhibitor.id)
        )
        assert organization is not None
        with live_app.test_request_context():
            claim, _created = memberships.request_claim(
                session,
                organization,
                email=CLAIMANT,
                name="Petugas Baru",
                event=None,
                registration_id=None,
            )
        return {"organization": organization.id, "claim": claim.id}


def test_a_member_confirms_a_claim_on_a_phone(
    live_server: LiveServer, new_page: Any, seeded: dict[str, int]
) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, live_server, DEMO_EXHIBITOR[0], DEMO_EXHIBITOR[2])
    page.goto(live_server("/account/organizations/"))
    assert no_sideways_scroll(page) <= PHONE["width"]
    page.click(f"[data-organization='{seeded['organization']}'] a")
    assert no_sideways_scroll(page) <= PHONE["width"]
    card = page.locator(f"[data-claim='{seeded['claim']}']")
    assert CLAIMANT in card.inner_text()
    button = card.locator("button[value=confirmed]")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_load_state()
    assert page.locator(f"[data-member] >> text={CLAIMANT}").count() == 1
    assert no_sideways_scroll(page) <= PHONE["width"]


def test_the_admin_claims_page_fits_a_phone(live_server: LiveServer, new_page: Any) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, live_server, DEMO_ADMIN[0], DEMO_ADMIN[2])
    page.goto(live_server("/admin/claims"))
    assert page.locator("h1").count() == 1
    assert no_sideways_scroll(page) <= PHONE["width"]
