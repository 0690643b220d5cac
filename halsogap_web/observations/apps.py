from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "halsogap_web.observations"
    label = "observations"
    verbose_name = "Områden, indikatorer och observationer"
