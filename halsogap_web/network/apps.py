from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "halsogap_web.network"
    label = "network"
    verbose_name = "Handlingsplaner och goda exempel"
