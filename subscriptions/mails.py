"""Building subscription mails: one Markdown template gives the plain-text part and,
rendered and sanitized like a comment, the HTML part, so both always say the same.

Per-address links are filled in after rendering: a post's mail to 10,000 addresses is
rendered once.
"""

import email.policy
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from charcot.absolute import site_origin
from charcot.markdown import COMMENT, render_markdown

from . import conf, links

# Stand-ins for the per-address links while the shared body is rendered.
UNSUBSCRIBE = "https://unsubscribe.charcot.invalid/"
MANAGE = "https://manage.charcot.invalid/"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    body_html: str = ""


def render(template: str, context: dict) -> Rendered:
    """The template's first line is the subject; the rest is Markdown that reads as text."""
    context = {
        **context,
        "SITE_NAME": settings.SITE_NAME,
        "site_url": site_origin(),
        "contact_line": conf.CONTACT_LINE,
        "unsubscribe": UNSUBSCRIBE,
        "manage": MANAGE,
    }
    subject, _, text = render_to_string(template, context).strip().partition("\n")
    text = text.strip() + "\n"
    subject = " ".join(subject.split())
    body_html = render_markdown(text, COMMENT)
    html = render_to_string(
        "subscriptions/emails/layout.html", {"subject": subject, "body_html": body_html}
    )
    return Rendered(subject=subject, text=text, html=html, body_html=body_html)


class ListMail(EmailMultiAlternatives):
    """A mail whose long header values stay whole.

    Python folds a header word longer than 78 characters into RFC 2047 encoded-words, and
    `List-Unsubscribe: =?utf-8?q?=3Chttp...` is no URL to a mail client (RFC 2369 wants
    `<URL>`); RFC 5322 allows lines of 998.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def message(
    rendered: Rendered, *, to: str, unsubscribe: str, manage: str
) -> EmailMultiAlternatives:
    """A multipart mail with RFC 8058 one-click unsubscribe headers."""

    def personal(body: str) -> str:
        return body.replace(UNSUBSCRIBE, unsubscribe).replace(MANAGE, manage)

    mail = ListMail(
        subject=rendered.subject,
        body=personal(rendered.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(personal(rendered.html), "text/html")
    return mail


def confirmation_message(subscription) -> EmailMultiAlternatives:
    """The only mail an unconfirmed address ever gets."""
    subscriber = subscription.subscriber
    rendered = render(
        "subscriptions/emails/confirm.md",
        {
            "subscription": subscription,
            "confirm": links.confirm_url(subscription),
            "already": subscription.is_confirmed(),
        },
    )
    return message(
        rendered,
        to=subscriber.email,
        unsubscribe=links.unsubscribe_url(subscription),
        manage=links.manage_url(subscriber),
    )
