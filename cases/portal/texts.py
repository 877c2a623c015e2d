"""What the status page says about a case, in plain words: one explanation per stage and per outcome.

Every string has the context "portal" and is translated in cases/portal/locale for every claimant language.
Nothing here names the employer, an amount or a person: the phone may be shared.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from cases.core.stages import Outcome, Stage

NOTHING_TO_DO = pgettext_lazy("portal", "You don't need to do anything now.")


@dataclass(frozen=True)
class StageText:
    now: Promise
    next: Promise
    todo: Promise = NOTHING_TO_DO


STAGE_TEXTS = {
    Stage.INTAKE: StageText(
        now=pgettext_lazy("portal", "We have received your claim and are writing down what happened."),
        next=pgettext_lazy("portal", "Next: we collect the papers and messages that show your work and your pay."),
    ),
    Stage.EVIDENCE: StageText(
        now=pgettext_lazy("portal", "We are collecting proof of your work and your pay."),
        next=pgettext_lazy("portal", "Next: a caseworker will be chosen for your claim."),
        todo=pgettext_lazy(
            "portal",
            "If you have a contract, payslips, messages or photos about your work or pay, "
            "send them to the office or bring them.",
        ),
    ),
    Stage.ASSIGNMENT: StageText(
        now=pgettext_lazy("portal", "We are choosing a caseworker for your claim."),
        next=pgettext_lazy("portal", "Next: your caseworker will start asking for your money."),
    ),
    Stage.REDRESS: StageText(
        now=pgettext_lazy(
            "portal",
            "We are working to get your money: by asking the employer, or through a labour office or a court.",
        ),
        next=pgettext_lazy("portal", "Next: if there is a hearing, its date will be shown on this page."),
    ),
}

CLOSED_NEXT = pgettext_lazy("portal", "If you have a question about your claim, contact the office.")

OUTCOME_TEXTS = {
    Outcome.RECOVERED_FULL: pgettext_lazy("portal", "Your claim is closed. All the money we claimed was recovered."),
    Outcome.RECOVERED_PART: pgettext_lazy("portal", "Your claim is closed. Part of the money was recovered."),
    Outcome.NOTHING: pgettext_lazy("portal", "Your claim is closed. We could not recover the money. We are sorry."),
    Outcome.WITHDRAWN: pgettext_lazy("portal", "Your claim is closed because you decided to stop it."),
    Outcome.REFERRED: pgettext_lazy(
        "portal", "Your claim is closed here because another organisation is now helping you with it."
    ),
    Outcome.UNREACHABLE: pgettext_lazy(
        "portal", "Your claim is closed because we could not reach you. Contact the office to open it again."
    ),
}


def stage_text(stage: str, outcome: str) -> StageText:
    """The three sentences the worker sees for a case at ``stage`` (closed with ``outcome``)."""
    if stage == Stage.CLOSED:
        return StageText(now=OUTCOME_TEXTS.get(outcome, CLOSED_NEXT), next=CLOSED_NEXT)
    return STAGE_TEXTS[stage]


# What a lookup that found nothing answers (the page and the API say the same thing).
NO_MATCH = pgettext_lazy("portal", "The reference or the PIN is not right. Check both and try again.")
LOCKED = pgettext_lazy(
    "portal",
    "Too many tries with this reference. For your safety it is locked for a while. "
    "Try again later, or contact the office that helps you.",
)
BUSY = pgettext_lazy("portal", "Too many tries. Please wait a while and try again.")
UNAVAILABLE = pgettext_lazy("portal", "The check is not available right now. Please try again later.")
