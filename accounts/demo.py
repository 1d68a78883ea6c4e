"""Demo accounts: an author, a moderator and a reader (and a few more commenters)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

# Local demo only: these passwords are printed by `manage.py demo` on purpose.
DEMO_ACCOUNTS = {
    "author": (
        "profg",
        "charcot-author-demo",
        {"display_name": "Prof G", "first_name": "Gavin", "last_name": "Grant"},
    ),
    "moderator": (
        "mod",
        "charcot-moderator-demo",
        {"display_name": "Moderator Mo", "first_name": "Morag", "last_name": "Owens"},
    ),
    "reader": (
        "reader",
        "charcot-reader-demo",
        {"display_name": "Anna K", "first_name": "Anna", "last_name": "Kowalski"},
    ),
}


@dataclass
class DemoPeople:
    users: dict = field(default_factory=dict)
    credentials: dict = field(default_factory=dict)

    def __getitem__(self, role):
        return self.users[role]


def seed() -> DemoPeople:
    User = get_user_model()
    people = DemoPeople()
    for role, (username, password, profile) in DEMO_ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={**profile, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(password)
            user.is_staff = role in ("author", "moderator")
            user.save()
        people.users[role] = user
        people.credentials[role] = (username, password)
    return people
