"""Forms for reports and the moderation desk: validation only, the services do the work."""

from django import forms

from ..models import Report


class ReportForm(forms.Form):
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


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Reply as yourself (published straight away)",
    )


class RedactForm(forms.Form):
    body = forms.CharField(
        max_length=5000,
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


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=150, required=False, label="Why (for the log)")
