"""Demo of the author's workflow end to end: a long, medically reviewed post with headings,
six journal references cited singly and in ranges, a correction, scientific notation, and an
author cited by initials with an ORCID iD, so that "Cite this post", the downloads, related
posts, the corrections page and feed, and the print layout all have something to show.

Idempotent: the post is found by its slug and its parts are filled in only where missing.
The `demo` command calls `seed(people)` after the blog's own demo posts."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Category, Correction, Post, Reference, Tag
from charcot import cache as page_cache

SLUG = "smouldering-ms-and-b-cells-reading-the-evidence"
REVIEWER = "Dr A. Patel, consultant neurologist"

# (authors as cited, title, journal, year, volume, pages, DOI, PMID, one-line note)
REFERENCES = [
    ("Kappos L, Wolinsky JS, Giovannoni G, et al.", "Contribution of relapse-independent progression vs relapse-associated worsening to overall confirmed disability accumulation in typical relapsing multiple sclerosis", "JAMA Neurol", 2020, "77", "1132-1140", "10.1001/jamaneurol.2020.1568", "32511687", "Pooled analysis of the OPERA trials."),
    ("Lublin FD, Reingold SC, Cohen JA, et al.", "Defining the clinical course of multiple sclerosis: the 2013 revisions", "Neurology", 2014, "83", "278-286", "10.1212/WNL.0000000000000560", "24871874", ""),
    ("Hauser SL, Bar-Or A, Comi G, et al.", "Ocrelizumab versus interferon beta-1a in relapsing multiple sclerosis", "N Engl J Med", 2017, "376", "221-234", "10.1056/NEJMoa1601277", "28002679", "The OPERA I and II trials."),
    ("Montalban X, Hauser SL, Kappos L, et al.", "Ocrelizumab versus placebo in primary progressive multiple sclerosis", "N Engl J Med", 2017, "376", "209-220", "10.1056/NEJMoa1606468", "28002688", ""),
    ("Bjornevik K, Cortese M, Healy BC, et al.", "Longitudinal analysis reveals high prevalence of Epstein-Barr virus associated with multiple sclerosis", "Science", 2022, "375", "296-301", "10.1126/science.abj8222", "35025605", ""),
    ("Lanz TV, Brewer RC, Ho PP, et al.", "Clonally expanded B cells in multiple sclerosis bind EBV EBNA1 and GlialCAM", "Nature", 2022, "603", "321-327", "10.1038/s41586-022-04432-7", "35073561", "Proposes molecular mimicry between a viral and a glial protein."),
]  # fmt: skip

BODY = """Most people with relapsing MS now have few relapses on treatment, yet many still slowly accumulate disability. This post reads the evidence on that *smouldering* course step by step, and asks what B cells have to do with it [@1-2].

## What counts as progression

Disability can worsen in two ways. After a relapse, recovery may be incomplete: this is relapse-associated worsening. Or disability may creep up with no relapse at all: progression independent of relapse activity, usually shortened to PIRA. The 2013 revision of the clinical course definitions separated *activity* from *progression* for exactly this reason [@2].

In the pooled OPERA data, most of the disability that accumulated over the trials was PIRA rather than relapse-associated worsening [@1]. That finding surprised many clinicians: these were people with typical relapsing disease, in the first years of their illness.

## Why anti-CD20 therapy is part of the story

Ocrelizumab depletes CD20^+^ B cells. In relapsing MS it reduced relapses and new T~2~ lesions compared with interferon beta-1a [@3]; in primary progressive MS it modestly slowed confirmed disability progression [@4]. Neither result alone shows that B cells drive smouldering disease, but together they make B cells a plausible target beyond relapses.

| Trial | Population | Main outcome |
|---|---|---|
| OPERA I and II | Relapsing MS | Fewer relapses than interferon |
| ORATORIO | Primary progressive MS | Slower disability progression |

## Where Epstein-Barr virus comes in

The risk of MS rose about thirty-two-fold after infection with Epstein-Barr virus in a cohort of millions of military recruits followed with stored serum [@5]. A proposed mechanism is molecular mimicry: antibodies from clonally expanded B cells bind both the viral EBNA1 protein and GlialCAM, a protein of glial cells [@6]. If that is right, B cells connect the cause of MS with at least part of its course [@5-6].

## What this does not show

None of these studies measured smouldering activity directly. PIRA is defined from disability scores, which are noisy; lesions that slowly expand on MRI and the loss of brain volume are other windows on the same process, each with its own limits. Trials designed around PIRA as the primary outcome are only now reporting.

It also does not mean that everyone should switch to an anti-CD20 therapy. The choice depends on age, other illnesses, plans for pregnancy and the risk of infection, which rises with long-term B-cell depletion.

## Questions for your next appointment

- Has my disability changed without a relapse in the last two years?
- Do my MRI scans show slowly expanding lesions or faster brain volume loss?
- What would a change of treatment gain me, and what would it risk?

> Nothing here is advice for you: talk with your own MS team before changing treatment.
"""

CORRECTION = (
    "An earlier version gave the rise in MS risk after Epstein-Barr virus infection as "
    "twenty-fold. The study reports a hazard ratio of 32.4; the sentence now says about "
    "thirty-two-fold."
)


@transaction.atomic
def seed(people) -> Post:
    writer = people["second_author"]
    if writer.citation_name != writer.CitationName.INITIALS:
        writer.citation_name = writer.CitationName.INITIALS  # shows the profile choice
        writer.save()
    now = timezone.now()
    category, _ = Category.objects.get_or_create(
        slug="researchspeak",
        defaults={"name": "Research Speak", "description": "How a study was done."},
    )
    post, created = Post.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "Smouldering MS and B cells: reading the evidence step by step",
            "author": writer,
            "category": category,
            "standfirst": "Disability can worsen without relapses. What the trials of "
            "anti-CD20 therapy and the Epstein-Barr virus studies do, and do not, show.",
            "body": BODY,
            "status": Post.Status.PUBLISHED,
            "published_at": now - timedelta(days=6),
            "reviewed_by": REVIEWER,
            "reviewed_at": (now - timedelta(days=5)).date(),
            "conflict_of_interest": "",  # the block then says "None declared."
        },
    )
    names = ["B cells", "EBV", "progression", "ocrelizumab"]
    post.tags.set(
        [Tag.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in names]
    )
    if not post.references.exists():
        Reference.objects.bulk_create(
            Reference(post=post, order=n, authors=a, title=t, journal=j, year=y, volume=v,
                      pages=p, doi=d, pmid=m, note=note)
            for n, (a, t, j, y, v, p, d, m, note) in enumerate(REFERENCES, start=1)
        )  # fmt: skip
    if not post.corrections.exists():
        Correction.objects.create(
            post=post, corrected_at=(now - timedelta(days=2)).date(), note=CORRECTION
        )
    if not created:
        post.save()  # its references and tags are part of its page
    page_cache.public_pages_changed()
    return post
