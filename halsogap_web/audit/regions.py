"""Which region an audit entry belongs to, fixed when the entry is written.

The entry keeps the region of the object it concerns (or, for shared objects such as national
indicators, the region of the person acting at that moment), so that a region's administrator
reads exactly the entries about the region's work, even after people change region.
"""

from __future__ import annotations

from auditlog.context import auditlog_value


def acting_region_id() -> int | None:
    try:
        actor = auditlog_value.get().get("actor")
    except LookupError:
        return None
    # Imported here: the accounts models are themselves region-audited through this module.
    from halsogap_web.accounts.access import get_membership_for_user

    membership = get_membership_for_user(actor) if actor is not None else None
    try:
        return membership.organisation.home_region.pk if membership else None
    except AttributeError:
        return None


class RegionAudited:
    """Mixin for audited models: ``audit_region_id`` names the region the object belongs to."""

    def audit_region_id(self) -> int | None:
        return None

    def get_additional_data(self) -> dict:
        return {"region_id": self.audit_region_id() or acting_region_id()}
