"""Local development: DEBUG on unless told otherwise, a throwaway secret key."""

from charcot.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - dev only; prod.py refuses to start without a real key
