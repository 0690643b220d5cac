"""Assignments (uppdrag): the follow-up plan check, status against targets, provider reports,
version differences and the assignment documents. Pure core: no Django.

The web layer stores assignments and calls these functions with plain dataclasses and Polars
frames; see each module's docstring for the rule it implements.
"""

from halsogap.assignments.followable import (
    GAP_CODES,
    Gap,
    GoalSpec,
    IndicatorPlan,
    check_followable,
    is_followable,
    open_gaps,
)
from halsogap.assignments.reporting import ActivityReport, read_activity_report
from halsogap.assignments.status import (
    AT_RISK,
    NO_VALUES,
    NOT_ASSESSABLE,
    NOT_REACHED,
    OFF_TRACK,
    ON_TRACK,
    REACHED,
    RULE_SV,
    STALE,
    STATUSES,
    FollowUpStatus,
    follow_up_status,
    follow_up_statuses,
)
from halsogap.assignments.versions import Change, diff_versions

__all__ = [
    "AT_RISK",
    "GAP_CODES",
    "NOT_ASSESSABLE",
    "NOT_REACHED",
    "NO_VALUES",
    "OFF_TRACK",
    "ON_TRACK",
    "REACHED",
    "RULE_SV",
    "STALE",
    "STATUSES",
    "ActivityReport",
    "Change",
    "FollowUpStatus",
    "Gap",
    "GoalSpec",
    "IndicatorPlan",
    "check_followable",
    "diff_versions",
    "follow_up_status",
    "follow_up_statuses",
    "is_followable",
    "open_gaps",
    "read_activity_report",
]
