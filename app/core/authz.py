"""Authorization helpers shared by every domain."""

from collections.abc import Callable
from functools import wraps

from flask_login import current_user, login_required

from app.core.http import abort


def roles_required(*roles: str) -> Callable:
    """Login required, then 403 unless the user holds one of ``roles`` (members of a string enum of roles, hence
    the ``str`` annotation)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
