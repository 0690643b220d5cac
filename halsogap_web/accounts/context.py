from .access import get_membership_for_user, get_memberships_for_user


def membership(request):
    """Make the user's membership available to every template (the header shows it), and the
    other places they hold when there is more than one to choose from."""
    acting = get_membership_for_user(request.user)
    places = list(get_memberships_for_user(request.user)) if acting is not None else []
    return {"membership": acting, "memberships": places if len(places) > 1 else []}
