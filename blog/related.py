"""Posts related to a post: those sharing its tags or citing the same works (by DOI or PMID),
found in one query whatever the number of candidates."""

from django.db.models import Count, Q

from . import conf
from .models import Post


def posts_related_to(post) -> list[Post]:
    """Up to conf.RELATED_POSTS public posts, most shared references first, then most shared
    tags, then newest. Reads the post's tags and references (prefetched on its page)."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    references = list(post.references.all())
    dois = [reference.doi for reference in references if reference.doi]
    pmids = [reference.pmid for reference in references if reference.pmid]
    cited = Q(pk__in=[])
    if dois:
        cited |= Q(references__doi__in=dois)
    if pmids:
        cited |= Q(references__pmid__in=pmids)
    if not (tag_ids or dois or pmids):
        return []
    shared_tags = Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
    shared_references = Count("references", filter=cited, distinct=True)
    return list(
        Post.objects.published()
        .exclude(pk=post.pk)
        .annotate(shared_tags=shared_tags, shared_references=shared_references)
        .filter(Q(shared_tags__gt=0) | Q(shared_references__gt=0))
        .order_by("-shared_references", "-shared_tags", "-published_at", "-pk")
        .only("title", "slug", "published_at", "created_at")[: conf.RELATED_POSTS]
    )
