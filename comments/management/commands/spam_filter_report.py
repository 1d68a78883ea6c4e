from django.core.management.base import BaseCommand, CommandError

from comments import conf, spam_filter
from comments.moderation.services import decisions_learned


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Measure the local spam filter on this site's own moderator decisions: train a fresh "
        "copy, in memory, on the first N decisions in the order they were made and test it "
        "on the ones after; print the precision and recall of its spam verdict. Changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--train",
            type=int,
            default=None,
            help="How many decisions to train on (default "
            f"CHARCOT_COMMENTS_SPAM_FILTER_MIN_DECISIONS, {conf.SPAM_FILTER_MIN_DECISIONS}).",
        )

    def handle(self, *args, train=None, **options):
        train = conf.SPAM_FILTER_MIN_DECISIONS if train is None else train
        if train < 1:
            raise CommandError("--train must be at least 1.")
        examples = decisions_learned()
        if len(examples) <= train:
            raise CommandError(
                f"Only {len(examples)} moderator decisions (spam or approve) so far: "
                f"nothing is left to test after training on {train}."
            )
        hold = conf.SPAM_FILTER_HOLD_SCORE
        thresholds = sorted({0.5, 0.9, hold})
        result = spam_filter.evaluate(examples, train=train, thresholds=thresholds)
        write = self.stdout.write
        write(f"Spam filter, measured on this site's {len(examples)} moderator decisions.")
        write(
            f"Trained on the first {train}: {result.trained_spam} spam, "
            f"{result.trained_ham} approved."
        )
        write(
            f"Tested on the next {len(examples) - train}: {result.tested_spam} spam, "
            f"{result.tested_ham} approved."
        )
        write("")
        write("score at least   called spam   of them spam   precision   recall")
        for verdict in result.verdicts:
            note = "  (holds for a moderator)" if verdict.threshold == hold else ""
            write(
                f"{verdict.threshold:>15.2f}   {verdict.flagged:>11}   {verdict.flagged_spam:>12}"
                f"   {_ratio(verdict.precision):>9}   {_ratio(verdict.recall):>6}{note}"
            )
