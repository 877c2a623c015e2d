"""Two-factor sign-in: a code from an authenticator app (TOTP, django-otp) after the password.

- ``session``: what the session says about the second step (no query).
- ``services``: every write to the devices: enrolment, checking a code at sign-in, recovery codes, turning it off,
  an administrator's reset.
- ``middleware``: a session signed in with the password only reaches nothing but the second step.
- ``views``/``forms``/``urls``: the second step, enrolment, the recovery codes shown once, and the person's
  "Two-factor sign-in" page.

docs/security.md ("Two-factor sign-in") says how it works and what it costs.
"""
