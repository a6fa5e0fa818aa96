"""`manage.py create_user NAME --role editor|reviewer`: an account for the desk."""

import getpass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.roles import ROLES, grant_role


class Command(BaseCommand):
    help = "Create a desk user with a role (editor or reviewer), or give an existing user a role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=ROLES, required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Set this password (checked by the password validators). Without it, you are "
            "asked for one; with --no-input the account gets no usable password.",
        )
        parser.add_argument("--no-input", action="store_true")

    @transaction.atomic
    def handle(
        self,
        *args,
        username: str,
        role: str,
        email: str,
        password: str | None,
        no_input: bool,
        **options,
    ) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if password is None and not no_input and created:
            password = getpass.getpass(f"Password for {username}: ")
        if password is not None:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        grant_role(user, role)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} with the {role} role."))
