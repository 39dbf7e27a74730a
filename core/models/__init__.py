"""Core's shared model layer; plugins import these, never each other's models."""

from core.models.accounts import (
    CLAIM_DECISIONS,
    CLAIM_STATUSES,
    ApiToken,
    Membership,
    Organization,
    OrganizationClaim,
    User,
    UserSession,
)
from core.models.events import (
    EVENT_ROLES,
    EVENT_STATUSES,
    Event,
    EventPlugin,
    EventRole,
    JudgeConflict,
)
from core.models.innovations import (
    CETTAR_VALUES,
    INNOVATION_STATUSES,
    Award,
    Innovation,
    InnovationIdentity,
)
from core.models.operations import MAIL_STATUSES, AuditEntry, OutboundMail, Upload, VisitorPass
from core.models.privacy import CONSENT_PURPOSES, Consent, PrivacyNotice

__all__ = [
    "CETTAR_VALUES",
    "CLAIM_DECISIONS",
    "CLAIM_STATUSES",
    "CONSENT_PURPOSES",
    "EVENT_ROLES",
    "EVENT_STATUSES",
    "INNOVATION_STATUSES",
    "MAIL_STATUSES",
    "ApiToken",
    "AuditEntry",
    "Award",
    "Consent",
    "Event",
    "EventPlugin",
    "EventRole",
    "Innovation",
    "InnovationIdentity",
    "JudgeConflict",
    "Membership",
    "Organization",
    "OrganizationClaim",
    "OutboundMail",
    "PrivacyNotice",
    "Upload",
    "User",
    "UserSession",
    "VisitorPass",
]
