"""Domain errors raised by services. Views turn them into messages, the API into 409s."""

from django.utils.translation import gettext_lazy as _


class CaseError(Exception):
    """Base class: the requested change to a case cannot be made."""

    default_message = _("This change cannot be made to the case.")
    # The HTTP status pages and the API answer with: a conflict with the case's state, unless a subclass says otherwise.
    http_status = 409

    def __init__(self, message=None, *, current_stage: str | None = None):
        self.message = message or self.default_message
        self.current_stage = current_stage
        super().__init__(str(self.message))


class IllegalTransition(CaseError):
    default_message = _("The case cannot move to that stage from where it is now.")


class GuardFailed(CaseError):
    """The move is allowed in principle but a precondition is not met; the message says which."""

    default_message = _("The case is not ready for that stage yet.")


class StaleCase(CaseError):
    default_message = _("The case was changed by someone else. Reload it and try again.")


class NotPermitted(CaseError):
    default_message = _("You are not allowed to make this change.")
    http_status = 403


class InvalidInput(CaseError):
    default_message = _("Some of the information given is not valid.")
    http_status = 400
