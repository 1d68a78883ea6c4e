"""Factories for the subscriptions app: confirmed subscriptions unless told otherwise."""

import factory
from django.utils import timezone

from subscriptions.models import Subscriber, Subscription


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"reader{n}@example.net")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    subscriber = factory.SubFactory(SubscriberFactory)
    kind = Subscription.Kind.POSTS
    status = Subscription.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmed_via = Subscription.Via.MAIL_LINK

    class Params:
        pending = factory.Trait(
            status=Subscription.Status.PENDING, confirmed_at=None, confirmed_via=""
        )
        weekly = factory.Trait(frequency=Subscription.Frequency.WEEKLY)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class FollowFactory(SubscriptionFactory):
    """A confirmed follow of a discussion, from now on."""

    kind = Subscription.Kind.DISCUSSION
    mailed_until = factory.LazyFunction(timezone.now)
