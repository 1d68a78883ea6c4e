from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # After every migrate (and test-database flush) the role groups match accounts.roles.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_role_groups")


def _sync_roles(sender, **kwargs):
    # post_migrate is sent once per app; by the last one every model's permissions exist.
    if sender is list(apps.get_app_configs())[-1]:
        from .roles import sync_role_groups

        sync_role_groups()
