from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from markdownx.widgets import AdminMarkdownxWidget

from charcot.images import open_verified_image, reencode_image
from charcot.validation import XmlSafeFormMixin

from . import conf
from .models import Post, Reference, normalize_doi, normalize_pmid
from .references import ReferenceLookupFailed, lookup_reference


class PostAdminForm(XmlSafeFormMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose what is shown)
        widgets = {
            "body": AdminMarkdownxWidget,
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "conflict_of_interest": forms.Textarea(attrs={"rows": 3}),
            "disclaimer": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_featured_image(self):
        """Never store the file as sent: verify it and re-encode it (no EXIF, random name)."""
        image = self.cleaned_data.get("featured_image")
        if image and hasattr(image, "content_type"):  # a fresh upload, not the stored file
            image.seek(0)
            return reencode_image(open_verified_image(image), max_side=conf.IMAGE_MAX_SIDE)
        return image


class ReferenceForm(XmlSafeFormMixin, forms.ModelForm):
    fill = forms.BooleanField(
        label="Fill from DOI/PMID",
        required=False,
        # static/js/blog-admin.js adds a button that fills the row at once from this URL.
        widget=forms.CheckboxInput(
            attrs={"data-lookup-url": reverse_lazy("admin:blog_post_lookup_reference")}
        ),
        help_text="Tick, enter a DOI or PMID, and save: empty fields are filled from doi.org "
        "or PubMed.",
    )

    class Meta:
        model = Reference
        fields = ["order", "fill", "doi", "pmid", "authors", "title", "journal", "year",
                  "volume", "pages", "url", "note"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The title may come from the lookup; clean() insists on one afterwards.
        self.fields["title"].required = False

    def clean_doi(self):
        return normalize_doi(self.cleaned_data.get("doi", ""))

    def clean_pmid(self):
        return normalize_pmid(self.cleaned_data.get("pmid", ""))

    def clean(self):
        data = super().clean()
        if data.get("fill") and not self.errors:
            try:
                found = lookup_reference(doi=data.get("doi", ""), pmid=data.get("pmid", ""))
            except ReferenceLookupFailed as error:
                raise ValidationError(str(error), code="lookup_failed") from error
            for field, value in found.as_dict().items():
                if value and not data.get(field):
                    data[field] = value
            data["fill"] = False
        if not (data.get("title") or "").strip() and not self.errors:
            self.add_error("title", "Enter the title, or tick “Fill from DOI/PMID”.")
        return data


class SearchForm(XmlSafeFormMixin, forms.Form):
    q = forms.CharField(label="Search posts", max_length=200, required=False)
