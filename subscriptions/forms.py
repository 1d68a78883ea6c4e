"""Subscription forms: validation and cleaning only."""

from django import forms

from blog.models import Category

from .models import Subscription


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="We send one mail to confirm it; nothing else until you do.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please give the address the mails should go to."},
    )
    categories = forms.ModelMultipleChoiceField(
        label="Only these categories (leave all unticked for every post)",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please give the address the mails should go to."},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ChangeForm(forms.Form):
    """The manage page's settings for the new-posts subscription."""

    categories = SubscribeForm.base_fields["categories"]
    frequency = SubscribeForm.base_fields["frequency"]


class MemberSubscribeForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Subscription.Frequency.choices, initial=Subscription.Frequency.IMMEDIATE
    )
