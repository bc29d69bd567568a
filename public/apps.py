from django.apps import AppConfig


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "Published copy"

    def ready(self):
        from django.db.models.signals import post_delete

        from .publishing import WORKING, withdraw_deleted

        for model in WORKING.values():
            post_delete.connect(withdraw_deleted, sender=model)
