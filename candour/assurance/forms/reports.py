"""Report forms: which key question a CQC evidence pack covers, and which theme an Ofsted readiness pack
covers. Validation only; the service queues the report."""

from __future__ import annotations

from django import forms

from candour.assurance.models import KeyQuestion, MonitoringTheme


class CqcPackForm(forms.Form):
    key_question = forms.ChoiceField(
        label="Key question",
        choices=[("", "Choose a key question"), *KeyQuestion.choices],
        error_messages={
            "required": "Choose the key question the pack covers",
            "invalid_choice": "Choose a key question from the list",
        },
    )


class OfstedPackForm(forms.Form):
    theme = forms.ChoiceField(
        label="Monitoring theme",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the monitoring theme the pack covers",
            "invalid_choice": "Choose a monitoring theme from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {theme.code: theme for theme in MonitoringTheme.objects.order_by("display_order")}
        self.fields["theme"].choices = [(code, theme.title) for code, theme in self.themes.items()]

    def clean_theme(self) -> MonitoringTheme:
        return self.themes[self.cleaned_data["theme"]]
