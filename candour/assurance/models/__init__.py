"""Assurance data: measure snapshots, the CQC framework and self-assessment, Ofsted monitoring, action plans,
risks and generated reports. Assurance stores measure *keys*, never links to another app's models."""

from candour.assurance.models.actions import (
    Action,
    ActionEscalation,
    ActionEvidence,
    ActionPlan,
    FindingSource,
    Milestone,
)
from candour.assurance.models.framework import (
    EvidenceLink,
    InspectionRating,
    KeyQuestion,
    MeasureBinding,
    QualityStatement,
    Rating,
    RatingOverride,
    RegulatoryBreach,
    Score,
    SelfAssessment,
)
from candour.assurance.models.ofsted import (
    MonitoringTheme,
    MonitoringVisit,
    Progress,
    ThemeJudgement,
    ThemeMeasure,
)
from candour.assurance.models.recalculations import LimitRecalculation
from candour.assurance.models.reports import ReportKind, ReportRun, ReportStatus
from candour.assurance.models.risks import Risk
from candour.assurance.models.snapshots import MeasureSnapshot

__all__ = [
    "Action",
    "ActionEscalation",
    "ActionEvidence",
    "ActionPlan",
    "EvidenceLink",
    "FindingSource",
    "InspectionRating",
    "KeyQuestion",
    "LimitRecalculation",
    "MeasureBinding",
    "MeasureSnapshot",
    "Milestone",
    "MonitoringTheme",
    "MonitoringVisit",
    "Progress",
    "QualityStatement",
    "Rating",
    "RatingOverride",
    "RegulatoryBreach",
    "ReportKind",
    "ReportRun",
    "ReportStatus",
    "Risk",
    "Score",
    "SelfAssessment",
    "ThemeJudgement",
    "ThemeMeasure",
]
