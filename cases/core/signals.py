"""What the case core announces to the packages built on it (docs/architecture.md, "How the core hears back").

The core does not import the packages above it (money, deadlines, portal, statistics); they listen to these signals,
connected once in ``CasesConfig.ready``. Receivers run synchronously, inside the sender's transaction, so what they
write commits or rolls back with the change that caused it, and an exception in a receiver undoes the whole change.
"""

from django.dispatch import Signal

# A case was opened, assigned, taken, moved, closed, reopened or had its details edited, under the case's row lock.
# Arguments: ``case``, ``actor`` and ``new_stage`` (the stage it entered, or None when the stage did not change).
# The deadlines package recomputes the case's deadlines, makes them follow the assignee and sends the worker's
# status notice on a new stage.
case_changed = Signal()

# A fact that limitation periods run from changed outside the case row: an award or settlement was recorded or
# reversed in the ledger. Arguments: ``case``, ``actor``. The deadlines package recomputes the case's deadlines.
case_facts_changed = Signal()

# A case is about to close with ``outcome`` (arguments: ``case``, ``outcome``). A receiver refuses by raising a
# ``cases.core.errors.CaseError``; nothing has been written yet. The money package refuses a "recovered" outcome
# without a disbursement to the worker.
case_closing = Signal()

# A case's personal data is being removed (``cases.retention``: the retention period ended, or the worker asked for
# erasure). Arguments: ``case``, ``actor`` (None for the sweep). Sent inside the anonymisation's transaction, under
# the case's row lock. The documents app (a layer above cases, so it cannot be called) blanks its rows' personal
# texts and deletes the stored files after commit (``documents.receivers``).
case_anonymising = Signal()
