"""Forms for reports and the moderation desk: validation only, the services do the work."""

from django import forms

from charcot.validation import XmlSafeFormMixin

from .. import conf
from ..models import Report


class ReportForm(XmlSafeFormMixin, forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this comment?",
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything a moderator should know? (optional)",
    )


class ReplyForm(XmlSafeFormMixin, forms.Form):
    body = forms.CharField(
        max_length=conf.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Reply as yourself (published straight away)",
    )


class RedactForm(XmlSafeFormMixin, forms.Form):
    body = forms.CharField(
        max_length=conf.BODY_MAX_LENGTH,  # whatever a comment may hold can be redacted
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Text after redaction",
        help_text="Remove names, hospital numbers and other personal details. The original "
        "is kept in the moderation log for a limited time, then deleted.",
    )
    reason = forms.CharField(
        max_length=150,
        required=False,
        label="Why (for the log)",
        initial="personal information removed",
    )


class ReasonForm(XmlSafeFormMixin, forms.Form):
    reason = forms.CharField(max_length=150, required=False, label="Why (for the log)")


class BulkReasonForm(forms.Form):
    """Why a bulk decision was taken: one of a short list, and/or a sentence."""

    REASONS = [
        ("", "No particular reason"),
        ("spam wave", "Spam wave"),
        ("off-topic", "Off-topic"),
        ("abusive or uncivil", "Abusive or uncivil"),
        ("medical misinformation", "Medical misinformation"),
        ("checked, fine", "Checked, nothing wrong"),
    ]
    confirm = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=REASONS, required=False, label="Reason")
    details = forms.CharField(max_length=150, required=False, label="Details (optional)")

    def reason(self) -> str:
        parts = [self.cleaned_data.get("choice", ""), self.cleaned_data.get("details", "")]
        return ": ".join(part for part in parts if part)
