from .authorities import Authority, AuthorityLevel, Department, Inspector, Recusal, RecusalKind
from .campaigns import (
    IntegrityPledge,
    SelfInspectionAnswer,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
)
from .draws import Draw, DrawKind, DrawSelection, DrawStatus
from .plans import CheckItem, PlanQuota, PlanStatus, RiskWeighting, SelectionMode, SpotCheckPlan
from .tasks import (
    FollowUpMeasure,
    InspectionMode,
    InspectionResult,
    InspectionTask,
    RectificationOrder,
    RectificationStatus,
    ResultCategory,
    TaskAssignment,
    TaskStatus,
)

__all__ = [
    "Authority", "AuthorityLevel", "Department", "Inspector", "Recusal", "RecusalKind",
    "IntegrityPledge", "SelfInspectionAnswer", "SelfInspectionCampaign", "SelfInspectionStatus",
    "SelfInspectionSubmission", "Draw", "DrawKind", "DrawSelection", "DrawStatus", "CheckItem",
    "PlanQuota", "PlanStatus", "RiskWeighting", "SelectionMode", "SpotCheckPlan",
    "FollowUpMeasure", "InspectionMode", "InspectionResult", "InspectionTask",
    "RectificationOrder", "RectificationStatus", "ResultCategory", "TaskAssignment", "TaskStatus",
]
