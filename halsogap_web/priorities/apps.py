from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "halsogap_web.priorities"
    label = "priorities"
    verbose_name = "Prioritering"
