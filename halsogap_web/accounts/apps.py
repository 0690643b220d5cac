from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "halsogap_web.accounts"
    label = "accounts"
    verbose_name = "Organisationer och roller"
