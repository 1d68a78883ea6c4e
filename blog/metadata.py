"""What a post tells machines: schema.org JSON-LD, Highwire citation_* tags, OpenGraph."""

from django.conf import settings
from django.utils import timezone

from charcot.absolute import absolute_url

from .models import author_page_url


def absolute(request, path: str) -> str:
    return absolute_url(path)


def _reference_json_ld(reference) -> dict:
    data = {"@type": "ScholarlyArticle", "name": reference.title}
    if reference.authors:
        data["author"] = reference.authors
    if reference.journal:
        data["isPartOf"] = {"@type": "Periodical", "name": reference.journal}
    if reference.year:
        data["datePublished"] = str(reference.year)
    identifiers = []
    if reference.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi})
    if reference.pmid:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "PMID", "value": reference.pmid}
        )
    if identifiers:
        data["identifier"] = identifiers
    if reference.link:
        data["url"] = reference.link
    return data


def _author_json_ld(person, request) -> dict:
    data = {
        "@type": "Person",
        "name": person.public_name,
        "url": absolute(request, author_page_url(person)),
    }
    if person.last_name:
        data["familyName"] = person.last_name
        if person.first_name:
            data["givenName"] = person.first_name
    same_as = [url for url in (person.orcid_url, person.website) if url]
    same_as += [url for _, url in person.social_links]
    if same_as:
        data["sameAs"] = same_as
    return data


def post_json_ld(post, references, request) -> dict:
    """A schema.org MedicalWebPage for a post that carries a medical review (its review
    details are that type's own properties), a BlogPosting otherwise."""
    url = absolute(request, post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title[:110],
        "description": post.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": post.published_at,
        "dateModified": max(post.updated_at, post.published_at or post.updated_at),
        "author": _author_json_ld(post.author, request),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "inLanguage": "en",
    }
    if post.has_medical_review():
        data["@type"] = "MedicalWebPage"
        del data["mainEntityOfPage"]  # the page is itself the WebPage
        if post.reviewed_at:
            data["lastReviewed"] = post.reviewed_at.isoformat()
        if post.reviewed_by:
            data["reviewedBy"] = {"@type": "Person", "name": post.reviewed_by}
    else:
        # Article's own properties: a WebPage has neither.
        data["wordCount"] = post.word_count
        if post.category_id:
            data["articleSection"] = post.category.name
    tags = [tag.name for tag in post.tags.all()]
    if tags:
        data["keywords"] = tags
    if post.featured_image:
        data["image"] = absolute(request, post.featured_image.url)
    if references:
        data["citation"] = [_reference_json_ld(reference) for reference in references]
    return data


def _reference_highwire(reference) -> str:
    parts = [("citation_title", reference.title)]
    parts += [("citation_author", name) for name in reference.author_names]
    parts += [
        ("citation_journal_title", reference.journal),
        ("citation_publication_date", str(reference.year or "")),
        ("citation_volume", reference.volume),
        ("citation_firstpage", reference.pages.split("-")[0] if reference.pages else ""),
        ("citation_doi", reference.doi),
        ("citation_pmid", reference.pmid),
    ]
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in parts if value)


def highwire_tags(post, references, request) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, one citation_reference per reference."""
    published = timezone.localtime(post.published_at or post.created_at)
    tags = [
        ("citation_title", post.title),
        ("citation_author", post.author.citation_display_name),
        ("citation_author_orcid", post.author.orcid_url),
        ("citation_publication_date", f"{published:%Y/%m/%d}"),
        ("citation_online_date", f"{published:%Y/%m/%d}"),
        ("citation_publisher", settings.SITE_NAME),
        ("citation_journal_title", settings.SITE_NAME),
        ("citation_fulltext_html_url", absolute(request, post.get_absolute_url())),
        ("citation_language", "en"),
    ]
    tags = [(name, value) for name, value in tags if value]
    tags += [("citation_keywords", tag.name) for tag in post.tags.all()]
    tags += [("citation_reference", _reference_highwire(reference)) for reference in references]
    return tags
