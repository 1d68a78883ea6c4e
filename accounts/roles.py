"""Role names and exactly what each role may do. Roles are auth groups.

The groups are created by a data migration and kept equal to PERMISSIONS after every
`migrate` (see AccountsConfig.ready), so a new model's permissions are granted by adding
their codenames here. Object-level rules ("only their own posts", "comments on their own
posts") belong to the ModelAdmins that show those objects.
"""

AUTHORS = "Authors"
EDITORS = "Editors"
MODERATORS = "Moderators"
ALL = (AUTHORS, EDITORS, MODERATORS)

PERMISSIONS: dict[str, frozenset[str]] = {
    # Write and edit their own posts with their references and corrections (edited inline on
    # the post), delete their own drafts, tag them, and answer and moderate comments on them.
    AUTHORS: frozenset(
        {
            "blog.add_post",
            "blog.change_post",
            "blog.view_post",
            "blog.delete_post",
            "blog.add_reference",
            "blog.change_reference",
            "blog.delete_reference",
            "blog.view_reference",
            "blog.add_correction",
            "blog.change_correction",
            "blog.delete_correction",
            "blog.view_correction",
            "blog.view_category",
            "blog.view_tag",
            "blog.add_tag",
            "comments.view_comment",
            "comments.change_comment",
        }
    ),
    # Edit every post with its references and corrections, and look after the categories
    # and tags posts are filed under.
    EDITORS: frozenset(
        {
            "blog.add_post",
            "blog.change_post",
            "blog.view_post",
            "blog.add_reference",
            "blog.change_reference",
            "blog.delete_reference",
            "blog.view_reference",
            "blog.add_correction",
            "blog.change_correction",
            "blog.delete_correction",
            "blog.view_correction",
            "blog.add_category",
            "blog.change_category",
            "blog.view_category",
            "blog.add_tag",
            "blog.change_tag",
            "blog.view_tag",
            # Import a WordPress or Blogger blog from the admin (importers.admin).
            "importers.add_importrun",
            "importers.view_importrun",
        }
    ),
    # Moderate every comment, handle reports and bans, read the moderation log; no posts.
    MODERATORS: frozenset(
        {
            "comments.view_comment",
            "comments.change_comment",
            "comments.view_report",
            "comments.change_report",
            "comments.delete_report",
            "comments.view_ban",
            "comments.add_ban",
            "comments.change_ban",
            "comments.delete_ban",
            "comments.view_moderationlog",
        }
    ),
}


def sync_role_groups(apps=None) -> None:
    """Create the role groups and give each exactly the permissions listed above.

    Permissions not in the database yet (a model added later) are skipped until the
    next migrate. `apps` is the migration state registry, or the live one.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, wanted in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type").filter(
                codename__in={name.split(".", 1)[1] for name in wanted}
            )
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        group.permissions.set(permissions)
