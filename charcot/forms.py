"""A form renderer that draws Django's plain widgets in Python.

Django renders every input, label and error list through a template of its own, about half
a millisecond a field: the comment form under every post cost more than a hundred comments.
`PlainWidgetRenderer` writes the same markup as those templates for the simple widgets and
hands every other template to the engine, so BoundField keeps deciding the attributes
(ids, `required`, `aria-invalid`, `aria-describedby`) and forms opt in one by one with
`default_renderer`.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString

INPUT_WIDGETS = ("text", "email", "url", "hidden", "number", "password", "checkbox", "input")


def _text(value) -> str:
    """What `{{ value|stringformat:'s' }}` prints: str(), escaped unless already safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: `True` prints a bare name, `False` nothing."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(context) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _label(context) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = context["tag"]
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _error_list(context) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    list_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{list_id}>{items}</ul>'


def _field_group(context) -> str | None:
    field = context["field"]
    if field.use_fieldset:
        return None  # a fieldset and legend: left to the template
    parts = [field.label_tag() if field.label else ""]
    if field.help_text:
        help_id = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{help_id}>{field.help_text}</div>')
    parts += [str(field.errors), str(field)]
    return "\n".join(part for part in parts if part)


DRAWERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in INPUT_WIDGETS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
    "django/forms/field.html": _field_group,
}


class PlainWidgetRenderer(DjangoTemplates):
    """Django's form templates for plain widgets, written in Python; the rest by the engine."""

    def render(self, template_name, context, request=None):
        draw = DRAWERS.get(template_name)
        html = draw(context) if draw is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return SafeString(html)  # safe: every value above went through conditional_escape
