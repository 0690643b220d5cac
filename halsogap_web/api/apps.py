from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "halsogap_web.api"
    verbose_name = "Öppet API"
