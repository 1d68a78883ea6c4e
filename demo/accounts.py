"""Demo people: authors with full profiles, an editor, a moderator and several readers.

Idempotent: people are found by username; profiles, roles and Prof G's generated avatar
are filled in only where missing.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw, ImageFont

from accounts import roles
from accounts.services import avatar_set, user_set_roles

# Local demo only: these passwords are printed by `manage.py demo` on purpose.
DEMO_ACCOUNTS = {
    "author": (
        "profg",
        "charcot-author-demo",
        {
            "display_name": "Prof G",
            "first_name": "Gavin",
            "last_name": "Grant",
            "title": "Professor of Neurology",
            "affiliation": "Charcot Institute of Clinical Neuroscience",
            "pronouns": "he/him",
            "bio": "Neurologist working on **multiple sclerosis** for twenty-five years: "
            "disease-modifying treatments, smouldering disease and the role of the "
            "Epstein-Barr virus.\n\nI write here to explain new research in plain words. "
            "Nothing here is medical advice for you.",
            "competing_interests": "Has received speaker fees and research grants from "
            "several companies that make MS treatments; none was involved in this blog.",
            "website": "https://example.org/prof-g",
            "orcid": "0000-0002-1825-0097",
            "mastodon_url": "https://mastodon.example/@profg",
            "bluesky_url": "https://bsky.app/profile/profg.example.org",
        },
    ),
    "moderator": (
        "mod",
        "charcot-moderator-demo",
        {"display_name": "Moderator Mo", "first_name": "Morag", "last_name": "Owens"},
    ),
    "reader": (
        "reader",
        "charcot-reader-demo",
        {
            "display_name": "Anna K",
            "first_name": "Anna",
            "last_name": "Kowalski",
            "bio": "Living with relapsing MS since 2015. Curious about the science.",
        },
    ),
    "editor": (
        "editor",
        "charcot-editor-demo",
        {"display_name": "Eddie Editor", "first_name": "Edward", "last_name": "Ellis"},
    ),
}

# Demo-only people who never sign in (unusable passwords): a second author and commenters.
OTHER_PEOPLE = {
    "second_author": (
        "drlena",
        {
            "display_name": "Dr Lena Ruiz",
            "first_name": "Lena",
            "last_name": "Ruiz",
            "title": "Consultant Neuroimmunologist",
            "affiliation": "Northfield University Hospital",
            "pronouns": "she/her",
            "bio": "Clinician-scientist studying B cells in MS and how treatments that "
            "deplete them change the course of the disease.",
            "orcid": "0000-0001-5109-3700",
            "linkedin_url": "https://www.linkedin.com/in/example-lena-ruiz",
        },
    ),
    "reader_tom": ("tomb", {"display_name": "Tom B", "bio": "Carer for my wife, who has PPMS."}),
    "reader_priya": ("priya", {"display_name": "Priya S", "website": "https://example.net/priya"}),
    "reader_jo": ("jo-neuro", {"display_name": "Jo (MS nurse)"}),
    "reader_sam": ("samr", {"display_name": "Sam R"}),
}

ROLES = {
    "author": [roles.AUTHORS],
    "second_author": [roles.AUTHORS],
    "editor": [roles.EDITORS],
    "moderator": [roles.MODERATORS],
}


@dataclass
class DemoPeople:
    users: dict = field(default_factory=dict)
    credentials: dict = field(default_factory=dict)

    def __getitem__(self, role):
        return self.users[role]

    @property
    def readers(self) -> list:
        """Everyone without a role, for demo comments."""
        return [user for key, user in self.users.items() if key not in ROLES]


def seed() -> DemoPeople:
    User = get_user_model()
    people = DemoPeople()
    everyone = {
        **{
            key: (username, password, profile)
            for key, (username, password, profile) in DEMO_ACCOUNTS.items()
        },
        **{key: (username, None, profile) for key, (username, profile) in OTHER_PEOPLE.items()},
    }
    for key, (username, password, profile) in everyone.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        changed = [name for name, value in profile.items() if not getattr(user, name)]
        for name in changed:
            setattr(user, name, profile[name])
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
        if created or changed:
            user.save()
        user_set_roles(user=user, role_names=ROLES.get(key, []))
        people.users[key] = user
        if password:
            people.credentials[key] = (username, password)
    if not people["author"].avatar_small:
        avatar_set(user=people["author"], image=_drawn_avatar(people["author"].initials))
    return people


def _drawn_avatar(initials: str) -> Image.Image:
    """A gradient portrait stand-in with initials, drawn at seed time (no image files shipped)."""
    size = 512
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        t = y / (size - 1)
        colour = (int(31 + 60 * t), int(78 + 40 * t), int(121 + 60 * t))
        draw.line([(0, y), (size, y)], fill=colour)
    draw.ellipse((96, 96, size - 96, size - 96), outline=(255, 255, 255), width=10)
    font = ImageFont.load_default(size=150)
    draw.text((size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    return image
