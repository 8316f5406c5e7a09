"""Loaded by pytest (`-p emulation.testing` in pytest.ini) before Django's settings.

Settings refuse to start without a SECRET_KEY unless DEBUG is on, and tests run with
DEBUG off, so the test run gets a throwaway key here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# Background tasks run at once, inside the test, instead of waiting for a worker.
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
