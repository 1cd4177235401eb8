from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from .models import User
        from .roles import role_groups_sync, user_role_group_sync

        post_migrate.connect(role_groups_sync, dispatch_uid="role_groups_sync")

        def _on_user_save(sender, instance, **kwargs):
            user_role_group_sync(instance)

        post_save.connect(_on_user_save, sender=User, dispatch_uid="user_role_group_sync",
                          weak=False)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_stamp

        user_logged_in.connect(session_stamp, dispatch_uid="session_stamp")
