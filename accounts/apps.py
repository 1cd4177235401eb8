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

        # The login itself is an audit event; its last_login write is no change of the account
        # worth a history row (User's history leaves last_login out).
        from django.contrib.auth.models import update_last_login

        def last_login_update(sender, user, **kwargs):
            user.skip_history_when_saving = True
            try:
                update_last_login(sender, user, **kwargs)
            finally:
                del user.skip_history_when_saving

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_update, dispatch_uid="update_last_login_no_history",
                               weak=False)
