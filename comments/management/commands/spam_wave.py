from django.core.management.base import BaseCommand

from comments import conf, spam_wave


class Command(BaseCommand):
    help = (
        "Start a spam wave by hand (new anonymous comments are held, moderators are told "
        "once, the discussion says so), or end it with --stop. Waves also start by themselves "
        "when more than CHARCOT_COMMENTS_SPAM_WAVE_PER_HOUR submissions are caught in an hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=None,
            help=f"How long to hold comments (default {conf.SPAM_WAVE_HOLD_MINUTES}).",
        )
        parser.add_argument("--stop", action="store_true", help="End the current wave now.")

    def handle(self, *args, minutes=None, stop=False, **options):
        if stop:
            spam_wave.wave_stop()
            self.stdout.write("The spam wave is over: comments follow the usual rules again.")
            return
        spam_wave.wave_start(minutes=minutes)
        until = spam_wave.ends_at()
        self.stdout.write(f"New anonymous comments are held until {until:%H:%M} UTC.")
