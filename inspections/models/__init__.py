from .authorities import Authority, AuthorityLevel, Department, Inspector, Recusal, RecusalKind
from .campaigns import (
    IntegrityPledge,
    SelfInspectionAnswer,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
)
from .draws import Draw, DrawKind, DrawSelection, DrawStatus
from .ledger import LedgerEntry, LedgerKind
from .plans import (
    CertificateLevel,
    CheckItem,
    PlanQuota,
    PlanStatus,
    RiskWeighting,
    SelectionMode,
    SpotCheckPlan,
)
from .replacements import ReplacementReason, ReplacementRequest, ReplacementState
from .results import (
    FollowUpMeasure,
    InspectionResult,
    RectificationOrder,
    RectificationStatus,
    ResultCategory,
    ResultState,
)
from .tasks import InspectionMode, InspectionTask, TaskAssignment, TaskStatus

__all__ = [
    "Authority", "AuthorityLevel", "Department", "Inspector", "Recusal", "RecusalKind",
    "IntegrityPledge", "SelfInspectionAnswer", "SelfInspectionCampaign", "SelfInspectionStatus",
    "SelfInspectionSubmission", "Draw", "DrawKind", "DrawSelection", "DrawStatus",
    "LedgerEntry", "LedgerKind", "CertificateLevel", "CheckItem", "PlanQuota", "PlanStatus", "RiskWeighting",
    "SelectionMode", "SpotCheckPlan", "ReplacementReason", "ReplacementRequest",
    "ReplacementState", "FollowUpMeasure", "InspectionResult", "RectificationOrder",
    "RectificationStatus", "ResultCategory", "ResultState", "InspectionMode", "InspectionTask",
    "TaskAssignment", "TaskStatus",
]
