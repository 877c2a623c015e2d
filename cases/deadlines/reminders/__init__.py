"""Reminders: the rules that write the outbox (``rules``), the sweep that sends it (``sweep``), what the messages say
(``messages``) and the channels they go through (``channels``). docs/reminders.md tells the whole path."""
