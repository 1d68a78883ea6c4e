"""Names people can trust: nobody signs as the site, a role, or one of its staff.

One rule for every name a person chooses (an anonymous commenter's name, a username, a
display name): invisible and blank-looking characters are refused, and the name must not
read as a reserved one once both are folded to a key that ignores case, spacing,
punctuation, compatibility forms (NFKC: "Ｇ" is "G") and look-alike letters (Unicode TR39
confusables: the Cyrillic "о" in "Prоf G" is an "o").
"""

import unicodedata

from confusable_homoglyphs.confusables import confusables_data
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from . import conf, roles

# Words that pass a reader off as the site or one of its roles.
RESERVED_WORDS = (
    "admin", "administrator", "administrators", "moderator", "moderators", "mod", "mods",
    "staff", "author", "authors", "editor", "editors", "anonymous", "charcot", "webmaster",
)  # fmt: skip

# Characters with no stroke of ink that Unicode still counts as letters or marks: Hangul
# fillers, the blank Braille pattern, invisible marks and musical formatting.
BLANK_LOOKING = {
    0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F, 0x17B4, 0x17B5, 0x180E, 0x1D159,
    *range(0x1D173, 0x1D17B),
}  # fmt: skip
# Zero-width joiners shape Persian, Indic and emoji sequences and variation selectors pick
# an emoji's look: allowed right after a visible character (joiners: and before one).
JOINERS = {0x200C, 0x200D}
SELECTORS = {*range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# TR39's skeletons fold these ASCII look-alikes too ("Moderat0r", "rnoderator", "Adm1n").
# Compared after case folding, where "I" has become "i": both sides fold i, l and 1 alike.
ASCII_LOOKALIKES = (("rn", "m"), ("1", "l"), ("|", "l"), ("i", "l"), ("0", "o"))

INVISIBLE_MESSAGE = (
    "Please use a name readers can see: this one has an invisible or blank-looking "
    "character, or no letter at all."
)
RESERVED_MESSAGE = (
    "Please choose another name: “%(name)s” reads like the site’s, a role’s or a member of "
    "staff’s, so readers could take it for theirs."
)


def _latin_prototype(char: str) -> str:
    """The ASCII letters a character is confusable with, or the character itself."""
    if char.isascii():
        return char
    name = unicodedata.name(char, "")
    if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == 28:
        return name[-1].lower()  # ᴍᴏᴅᴇʀᴀᴛᴏʀ: not in TR39's table, as plain to the eye
    for glyph in confusables_data.get(char, ()):
        if glyph["c"].isascii() and glyph["c"].isalnum():
            return glyph["c"]
    return char


def name_key(name: str) -> str:
    """What a name looks like, reduced to lower-case letters and digits for comparison.

    Look-alikes are folded on both sides of case folding: "М" (Cyrillic) is an "M", and
    "м", its lower case, reads as a small-capital m.
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name or ""))
    text = "".join(_latin_prototype(char) for char in text if not unicodedata.combining(char))
    text = "".join(_latin_prototype(char) for char in text.casefold()).casefold()
    for look_alike, letter in ASCII_LOOKALIKES:
        text = text.replace(look_alike, letter)
    return "".join(char for char in unicodedata.normalize("NFKC", text) if char.isalnum())


def has_invisible_characters(name: str) -> bool:
    """Whether a name holds a character nobody can see, or has nothing to see at all."""
    if not any(char.isalnum() and ord(char) not in BLANK_LOOKING for char in name):
        return True
    for index, char in enumerate(name):
        code = ord(char)
        before, after = name[index - 1 : index] if index else "", name[index + 1 : index + 2]
        if code in SELECTORS and before.strip():
            continue
        if code in JOINERS and before.strip() and after.strip():
            continue
        if code in BLANK_LOOKING | JOINERS | SELECTORS:
            return True
        if unicodedata.category(char) in INVISIBLE_CATEGORIES:
            return True
    return False


def reserved_keys(*, exclude_user=None) -> set[str]:
    """Keys of the site's name, the role words and every staff account's names."""
    keys = {name_key(word) for word in (*RESERVED_WORDS, settings.SITE_NAME)}
    keys.add(name_key(conf.FORMER_MEMBER_NAME))
    staff = get_user_model().objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=roles.ALL)
    )
    if exclude_user is not None and exclude_user.pk:
        staff = staff.exclude(pk=exclude_user.pk)
    for names in staff.values_list("username", "display_name", "first_name", "last_name"):
        username, display_name, first_name, last_name = names
        keys.update(name_key(name) for name in (username, display_name))
        keys.add(name_key(f"{first_name} {last_name}"))
    keys.discard("")
    return keys


def clean_public_name(name: str, *, user=None) -> str:
    """The name with ordinary spacing tidied; ValidationError if readers could be misled.

    `user`: the account choosing the name, so staff keep their own.
    """
    name = " ".join((name or "").split())
    if not name:
        return name
    if has_invisible_characters(name):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    if name_key(name) in reserved_keys(exclude_user=user):
        raise ValidationError(RESERVED_MESSAGE, code="reserved", params={"name": name})
    return name
