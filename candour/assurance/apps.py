from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "candour.assurance"
    label = "assurance"
    verbose_name = "Assurance"
