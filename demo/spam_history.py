"""Demo: three months of moderators' spam and approve decisions, so the local spam filter
has a history to learn from and `manage.py spam_filter_report` something to measure.

Readers' comments and spam are written from templates and word lists, from one fixed
seed. They overlap as on a real MS blog: readers praise the article, name drugs and
supplements and link to papers; spammers praise the article too, borrow the same drug
names and symptoms, and some leave no link at all. Approved comments are public on the
older posts, back-dated before the demo's own discussions; spam is kept for the desk.
Idempotent: the first comment's fixed submission key says the history is there.
"""

import random
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from blog.models import Post
from charcot.clientip import hash_ip
from comments import spam_filter, tree
from comments.models import Comment, ModerationLog
from comments.moderation.services import Action

NAMESPACE = uuid.UUID("3c0f2a55-7d8e-4b1a-9e61-0c5d2f7a8b17")
DECISIONS = 280
SPAM_SHARE = 0.4
FIRST_DAY, LAST_DAY = 87, 4  # days ago: from the oldest post to before the demo discussions

DRUGS = [
    "natalizumab",
    "ocrelizumab",
    "ofatumumab",
    "rituximab",
    "fingolimod",
    "siponimod",
    "cladribine",
    "alemtuzumab",
    "dimethyl fumarate",
    "teriflunomide",
    "glatiramer",
    "interferon beta",
]
SUPPLEMENTS = ["vitamin D", "biotin", "omega-3", "B12", "magnesium", "turmeric"]
SYMPTOMS = [
    "fatigue",
    "numb feet",
    "optic neuritis",
    "balance problems",
    "bladder urgency",
    "brain fog",
    "spasticity",
    "heat sensitivity",
]
OUTCOMES = [
    "relapse rate",
    "new lesions on MRI",
    "brain atrophy",
    "disability progression",
    "PIRA",
    "serum neurofilament",
]
PEOPLE = ["my wife", "my husband", "my daughter", "my brother", "a friend", "my mum"]
CITIES = ["Leeds", "Lyon", "Utrecht", "Porto", "Cork", "Gothenburg", "Kraków", "Bristol"]
PRAISE = [
    "Great article, very informative.",
    "Thank you for this clear summary.",
    "Really helpful post, thank you!",
    "Very interesting read.",
    "Excellent overview, well explained.",
    "Thanks for writing this up.",
]
HAM_LINKS = [
    "https://doi.org/10.1212/WNL.{n}",
    "https://pubmed.ncbi.nlm.nih.gov/{n}/",
    "https://clinicaltrials.gov/study/NCT0{n}",
    "https://www.mssociety.org.uk/research/{n}",
    "https://jnnp.bmj.com/content/{n}",
]
HAM_SITES = [
    "",
    "",
    "",
    "",
    "https://carerdiary.example.org",
    "https://neurolab.example.ac.uk",
    "https://msrunner.example.com",
]
HAM_NAMES = [
    "Anna K",
    "Tom R",
    "Priya",
    "Carer in Leeds",
    "Dr. Ines Alvarez",
    "Joe (RRMS)",
    "Mette",
    "Sam O",
    "Hannah",
    "Luis M",
    "Ruth",
    "Ben (pwMS)",
    "Niamh",
    "Pieter",
    "Grace W",
]
HAM = [
    "I was diagnosed in {year} and started {drug} soon after. My {symptom} improved a "
    "little, but the {outcome} data you describe matches what my neurologist told me.",
    "Do you know whether {drug} changes the {outcome} in people over {age}? Most trials "
    "you cite stopped recruiting at 55.",
    "{people} has been on {drug} for {n} years. We were never told about the {outcome} "
    "question, so thank you for laying it out.",
    "I take {supplement} on my neurologist's advice. Is there any trial that looked at "
    "{outcome} rather than just blood levels?",
    "The confidence interval for {outcome} looks wide to me. Was the trial powered for "
    "it, or is this a secondary endpoint?",
    "Here is the paper for anyone who wants the numbers: {link}",
    "Our MS nurse in {city} said the same about {drug} and {symptom}. It helps to read "
    "the reasoning behind it.",
    "As a carer I find these posts easier to follow than the leaflets. Could you write "
    "about {symptom} one day?",
    "Small correction: the {drug} extension study reported {outcome} at {n} years, not "
    "at two. See {link}",
    "My {symptom} got worse after switching to {drug}, though the scans stayed stable. "
    "Is that common?",
    "Would {supplement} interact with {drug}? My GP was not sure and the pharmacist "
    "suggested asking here.",
    "We discussed this at our journal club in {city}: the {outcome} result was the "
    "surprise, everyone expected the opposite.",
]
# Readers who sound like spam: a sponsorship link, a clinic abroad, something bought online.
HAM_HARD = [
    "I am running the {city} half marathon for MS research in the spring; sponsor me at "
    "https://www.justgiving.com/page/{name} if you can. Thank you!",
    "Has anyone here had HSCT (stem cell treatment) abroad? A clinic in {city} quoted us "
    "and I do not know how to judge it.",
    "I bought {supplement} online after reading about it; my {symptom} did not change at "
    "all. Save your money.",
    "Short and clear. Thank you.",
]
SPAM_NAMES = [
    "Dr. Okoro Herbal",
    "Mary Johnson",
    "Best Pharmacy",
    "Natural Healing Center",
    "Stem Cell Clinic",
    "James W.",
    "Crypto Expert Linda",
    "Helen Testimony",
    "SEO Services",
    "Essay Writers Pro",
    "Grace Miller",
    "Rx Discount",
]
SPAM_WORDS = ["natural", "herbal", "organic", "ancient", "proven", "doctor-approved"]
SPAM_TLDS = ["com", "net", "online", "shop", "info", "biz", "site"]
SPAM = [
    "{praise} I wrote about something similar on my blog: {spamlink}",
    "{praise} When {people} was diagnosed with MS in {year}, nothing helped with the "
    "{symptom} until we found Dr {doctor}'s {adj} remedy. Within {n} weeks the relapses stopped. "
    "Contact him on WhatsApp +{phone}.",
    "Affordable stem cell treatment for MS at our clinic in {city}. Patients report less "
    "{symptom} and better walking after one course. Free consultation: {spamlink}",
    "Buy {drug} online without prescription, up to {n}0% off, discreet worldwide "
    "shipping. Order now: {spamlink}",
    "I stopped {drug} and reversed my MS with this {adj} protocol: no more {symptom}, no "
    "more lesions. Read my full story at {spamlink}",
    "{praise} If you need help with a nursing or medical assignment, our writers deliver "
    "in 24 hours. Visit {spamlink}",
    "I made ${n},000 last month trading bitcoin from home while managing my MS fatigue. "
    "Ask me how: {spamlink}",
    "Doctors hide this {adj} cure for multiple sclerosis! {supplement} in high doses "
    "repairs myelin in {n} days. Get the guide: {spamlink}",
    "{praise} My testimony: {people} had {symptom} for years; Dr {doctor} sent {adj} "
    "medicine and now the MS is gone. Email dr{doctor_lower}spellhome@example.com",
    "Looking for {drug} at the best price? Compare pharmacies and save today at {spamlink}",
]
# Campaigns that start late in the history, after the filter's first 200 decisions.
SPAM_LATER = [
    "Our {adj} CBD gummies calm {symptom} and MS pain. {n}0% off this week: {spamlink}",
    "Join our MS support group on Telegram for free treatment advice and {adj} protocols: "
    "https://t.me/{name}",
]
LATER_FROM = 190
DOCTORS = ["Okoro", "Ahmed", "Ogala", "Benson", "Williams", "Ekpen"]


def _fill(template: str, rng: random.Random) -> tuple[str, str]:
    """The template's text, and the spammer's site it links to (if any)."""
    doctor = rng.choice(DOCTORS)
    name = "".join(rng.sample("abcdefghijklmnopqrstuvwxyz", rng.randint(5, 9)))
    site = f"https://{rng.choice(SPAM_WORDS)}-{name}.{rng.choice(SPAM_TLDS)}"
    text = template.format(
        drug=rng.choice(DRUGS),
        supplement=rng.choice(SUPPLEMENTS),
        symptom=rng.choice(SYMPTOMS),
        outcome=rng.choice(OUTCOMES),
        people=rng.choice(PEOPLE),
        city=rng.choice(CITIES),
        praise=rng.choice(PRAISE),
        year=rng.randint(2004, 2023),
        age=rng.choice([50, 55, 60, 65]),
        n=rng.randint(2, 9),
        link=rng.choice(HAM_LINKS).format(n=rng.randint(1000000, 39999999)),
        name=name,
        spamlink=f"{site}/{name[:4]}",
        adj=rng.choice(SPAM_WORDS),
        doctor=doctor,
        doctor_lower=doctor.lower(),
        phone=rng.randint(2340000000, 2349999999),
    )
    return text[0].upper() + text[1:], site if "{spamlink}" in template else ""


def history(rng: random.Random) -> list[tuple[str, str, str, bool]]:
    """(name, website, text, is_spam) for each decision, oldest first."""
    decisions = []
    for index in range(DECISIONS):
        is_spam = rng.random() < SPAM_SHARE
        if is_spam:
            templates = SPAM + SPAM_LATER if index >= LATER_FROM else SPAM
        else:
            templates = HAM + HAM_HARD
        text, spam_site = _fill(rng.choice(templates), rng)
        if is_spam and rng.random() < 0.15:
            # Scraped spam: an approved reader's words, or bare praise, under a shop's name
            # and website; the text alone cannot tell.
            readers = [d for d in decisions if not d[3]]
            text = rng.choice(readers)[2] if readers and rng.random() < 0.6 else rng.choice(PRAISE)
            spam_site = spam_site or f"https://{rng.choice(SPAM_WORDS)}-shop.example.com"
            decisions.append((rng.choice(SPAM_NAMES), spam_site, text, True))
            continue
        if is_spam:
            name = rng.choice(SPAM_NAMES)
            site = spam_site if rng.random() < 0.5 else ""
        else:
            name, site = rng.choice(HAM_NAMES), rng.choice(HAM_SITES)
            if rng.random() < 0.25:
                text = f"{rng.choice(PRAISE)} {text}"  # readers praise the article too
        decisions.append((name, site, text, is_spam))
    return decisions


def _moment(index: int, now: datetime, rng: random.Random) -> datetime:
    span = (FIRST_DAY - LAST_DAY) * 24 * 60
    minutes = FIRST_DAY * 24 * 60 - span * index / DECISIONS
    return now - timedelta(minutes=minutes - rng.randint(0, 90))


def seed(people) -> None:
    moderator = people["moderator"]
    if Comment.objects.filter(submission_key=uuid.uuid5(NAMESPACE, "0")).exists():
        return
    posts = list(Post.objects.published().order_by("published_at"))
    if not posts:
        return
    rng = random.Random("charcot spam history")  # noqa: S311 (demo text, not secrets)
    now = timezone.now()
    comments, moments = [], []
    for index, (name, site, text, is_spam) in enumerate(history(rng)):
        moment = _moment(index, now, rng)
        older = [post for post in posts if post.published_at < moment - timedelta(hours=2)]
        post = rng.choice(older[-6:] or posts[:1])
        moment = max(moment, post.published_at + timedelta(hours=2))
        action = Action.SPAM if is_spam else Action.APPROVE
        comments.append(
            Comment(
                post=post,
                author_name=name,
                author_email=f"{name.split()[0].lower().strip('.')}{index}@example.com",
                author_url=site,
                body=text,
                status=Comment.Status.SPAM if is_spam else Comment.Status.APPROVED,
                moderation_reason=f"{action.label.lower()}: by {moderator.public_name}",
                policy_reason="held: first comment",
                ip_hash=hash_ip(f"{'198.51.100' if is_spam else '203.0.113'}.{index % 250}"),
                submission_key=uuid.uuid5(NAMESPACE, str(index)),
                created_at=moment,
            )
        )
        moments.append(moment + timedelta(minutes=rng.randint(20, 600)))  # decided later
    tree.insert_threads(comments)
    entries = ModerationLog.objects.bulk_create(
        ModerationLog(
            comment=comment,
            moderator=moderator,
            action=Action.SPAM if comment.status == Comment.Status.SPAM else Action.APPROVE,
            from_status=Comment.Status.PENDING,
            to_status=comment.status,
            policy_reason=comment.policy_reason,
        )
        for comment in comments
    )
    for entry, moment in zip(entries, moments, strict=True):
        entry.created_at = moment  # auto_now_add stamped "now"
    ModerationLog.objects.bulk_update(entries, ["created_at"], batch_size=500)
    spam_filter.learn_many(
        spam_filter.Example(c.body, c.author_url, c.status == Comment.Status.SPAM) for c in comments
    )
