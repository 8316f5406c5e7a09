"""A user's API token: made, replaced and revoked only by its owner, on the token page."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_regenerate(user) -> Token:
    """A new token for the user; the previous key, if any, stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(user) -> bool:
    """Delete the user's token; False when they had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
