"""Role names. Roles are auth groups created by a data migration."""

AUTHORS = "Authors"
EDITORS = "Editors"
MODERATORS = "Moderators"
ALL = (AUTHORS, EDITORS, MODERATORS)
