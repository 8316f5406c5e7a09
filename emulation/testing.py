"""Loaded by pytest (`-p emulation.testing` in pytest.ini) before Django's settings.

Settings refuse to start without a SECRET_KEY unless DEBUG is on, and tests run with
DEBUG off, so the test run gets a throwaway key here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
