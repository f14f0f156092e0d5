"""Who may edit unit prices: a manager grants or revokes it per user (the ConnectSx model),
audited with before and after."""

from ..domain.errors import InvalidInput
from . import audit
from .auth import Actor
from .db import transaction
from .users import require_manager, user_by_id


def set_price_permission(actor: Actor, user_id: object, allowed: object) -> bool:
    """Grant or revoke editing unit prices away from the contract price (each edit then needs
    a reason). Counts from the user's next save. Returns whether anything changed."""
    require_manager(actor)
    if not isinstance(allowed, bool):
        raise InvalidInput("may_edit_prices", "Price editing is either allowed or not.")
    with transaction() as session:
        user = user_by_id(session, user_id, lock=True)
        if user.may_edit_prices == allowed:
            return False
        user.may_edit_prices = allowed
        session.add(user)
        audit.record(session, actor, case_id=None, action="price permission changed", entity="user", entity_id=user.id,
                     summary=f"{user.name} {'may now' if allowed else 'may no longer'} edit unit prices",
                     before={"may_edit_prices": not allowed}, after={"may_edit_prices": allowed})  # fmt: skip
        return True
