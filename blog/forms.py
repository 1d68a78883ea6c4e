from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from markdownx.widgets import AdminMarkdownxWidget

from charcot.images import open_verified_image, reencode_image
from charcot.markdown import cited_numbers

from . import conf
from .models import Post, Reference, normalize_doi, normalize_pmid
from .references import ReferenceLookupFailed, lookup_reference


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose what is shown)
        widgets = {
            "body": AdminMarkdownxWidget,
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "conflict_of_interest": forms.Textarea(attrs={"rows": 3}),
            "disclaimer": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": "Markdown. Cite reference 2 below as [@2]; several as [@2; @5] or a range "
            'as [@1-3]. An image alone in its paragraph with a title, ![alt](url "Caption"), '
            "becomes a captioned figure. # Heading starts a section; H~2~O and x^2^ give "
            "sub- and superscript.",
        }

    # The references inline's formset prefix in the same admin form (ReferenceInline).
    REFERENCES_PREFIX = "references"
    REFERENCE_CONTENT = ("title", "doi", "pmid", "authors", "journal", "url", "note")

    def clean_body(self):
        """Every [@n] must name one of the post's references, as they will be after saving."""
        body = self.cleaned_data.get("body", "")
        count = self._reference_count()
        unknown = sorted(number for number in cited_numbers(body) if number > count)
        if unknown:
            cited = ", ".join(f"[@{number}]" for number in unknown)
            has = f"{count} reference{'' if count == 1 else 's'}" if count else "no references"
            raise ValidationError(
                "The text cites %(cited)s, but this post has %(has)s. Add the missing "
                "references below, or correct the numbers.",
                code="unknown_citation",
                params={"cited": cited, "has": has},
            )
        return body

    def _reference_count(self) -> int:
        """The references the post will have: the saved ones, less those the submitted
        inline deletes, plus its new rows; the saved ones when no inline was submitted."""
        saved = set()
        if self.instance.pk is not None:
            saved = {str(pk) for pk in self.instance.references.values_list("pk", flat=True)}
        prefix = self.REFERENCES_PREFIX
        try:
            total = min(int(self.data.get(f"{prefix}-TOTAL_FORMS", "0")), 1000)
        except ValueError:
            total = 0
        deleted, added = set(), 0
        for index in range(total):
            row = f"{prefix}-{index}-"
            pk = str(self.data.get(row + "id", "")).strip()
            if pk in saved:
                if self.data.get(row + "DELETE"):
                    deleted.add(pk)
            elif not self.data.get(row + "DELETE") and any(
                str(self.data.get(row + name, "")).strip() for name in self.REFERENCE_CONTENT
            ):
                added += 1
        return len(saved - deleted) + added

    def clean_featured_image(self):
        """Never store the file as sent: verify it and re-encode it (no EXIF, random name)."""
        image = self.cleaned_data.get("featured_image")
        if image and hasattr(image, "content_type"):  # a fresh upload, not the stored file
            image.seek(0)
            return reencode_image(open_verified_image(image), max_side=conf.IMAGE_MAX_SIDE)
        return image


class ReferenceForm(forms.ModelForm):
    # Moving rows (static/js/blog-admin.js: drag, or the up and down buttons) sets this; without
    # JavaScript rows keep their order and new ones go last. Never a number typed by hand.
    order = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput(attrs={"data-reference-order": ""})
    )
    # Without JavaScript: pick a move and save (the script replaces this with buttons).
    move = forms.ChoiceField(
        label="Move on save",
        required=False,
        choices=[("", "Keep its place"), ("up", "Up one place"), ("down", "Down one place")],
        widget=forms.RadioSelect(attrs={"data-reference-move": ""}),
    )
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
        fields = ["order", "move", "fill", "doi", "pmid", "authors", "title", "journal", "year",
                  "volume", "pages", "url", "note"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The title may come from the lookup; clean() insists on one afterwards.
        self.fields["title"].required = False

    def has_changed(self):
        """A blank row renumbered or moved is still blank."""
        return any(name not in ("order", "move") for name in self.changed_data)

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


class SearchForm(forms.Form):
    q = forms.CharField(label="Search posts", max_length=200, required=False)
