"""Local development and `make demo`: SQLite, in-process tasks, console mail unless set."""

from casm.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
