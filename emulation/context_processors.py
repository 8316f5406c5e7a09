from django.utils.functional import SimpleLazyObject

from clusters.access import access_for


def access(request):
    """The user's rights, so that templates can hide actions the views would refuse."""
    return {"access": SimpleLazyObject(lambda: access_for(request.user))}
