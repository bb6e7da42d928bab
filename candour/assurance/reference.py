"""Reference data every trust starts with: CQC's 34 quality statements (STANDARDS.md §2) and Ofsted's
monitoring-visit themes for apprenticeship providers (§3). Loaded by data migrations; never overwritten."""

STATEMENTS = {
    "safe": [
        "Learning culture",
        "Safe systems, pathways and transitions",
        "Safeguarding",
        "Involving people to manage risks",
        "Safe environments",
        "Safe and effective staffing",
        "Infection prevention and control",
        "Medicines optimisation",
    ],
    "effective": [
        "Assessing needs",
        "Delivering evidence-based care and treatment",
        "How staff, teams and services work together",
        "Supporting people to live healthier lives",
        "Monitoring and improving outcomes",
        "Consent to care and treatment",
    ],
    "caring": [
        "Kindness, compassion and dignity",
        "Treating people as individuals",
        "Independence, choice and control",
        "Responding to people's immediate needs",
        "Workforce wellbeing and enablement",
    ],
    "responsive": [
        "Person-centred care",
        "Care provision, integration and continuity",
        "Providing information",
        "Listening to and involving people",
        "Equity in access",
        "Equity in experiences and outcomes",
        "Planning for the future",
    ],
    "well_led": [
        "Shared direction and culture",
        "Capable, compassionate and inclusive leaders",
        "Freedom to speak up",
        "Workforce equality, diversity and inclusion",
        "Governance, management and sustainability",
        "Partnerships and communities",
        "Learning, improvement and innovation",
        "Environmental sustainability",
    ],
}

# (code, title): the themes of a new apprenticeship provider's monitoring visit.
MONITORING_THEMES = [
    (
        "leadership",
        "How much progress have leaders made in ensuring that the provider is meeting all the requirements "
        "of successful apprenticeship provision?",
    ),
    (
        "training-quality",
        "What progress have leaders and managers made in ensuring that apprentices benefit from high-quality "
        "training that leads to positive outcomes for apprentices?",
    ),
    (
        "safeguarding",
        "How much progress have leaders and managers made in ensuring that effective safeguarding "
        "arrangements are in place?",
    ),
]


def statement_code(key_question: str, title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return f"{key_question.replace('_', '-')}-{'-'.join(words)}"[:80]


def ensure_quality_statements(statement_model) -> None:
    order = 0
    for key_question, titles in STATEMENTS.items():
        for title in titles:
            order += 1
            statement_model.objects.get_or_create(
                code=statement_code(key_question, title),
                defaults={"key_question": key_question, "title": title, "display_order": order},
            )


def ensure_monitoring_themes(theme_model) -> None:
    for order, (code, title) in enumerate(MONITORING_THEMES, start=1):
        theme_model.objects.get_or_create(code=code, defaults={"title": title, "display_order": order})
