from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "halsogap_web.cycles"
    label = "cycles"
    verbose_name = "Årshjul"
