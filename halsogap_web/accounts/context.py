from .access import get_membership_for_user


def membership(request):
    """Make the user's membership available to every template (the header shows it)."""
    return {"membership": get_membership_for_user(request.user)}
