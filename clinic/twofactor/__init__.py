"""Two-factor sign-in for the admin: TOTP (an authenticator app) and recovery codes.

django-otp keeps the devices and verifies codes; this app decides who needs a second factor
(:mod:`~clinic.twofactor.policy`), confines those who have not given one to its pages
(:mod:`~clinic.twofactor.middleware`), and holds the enrolment, verification, recovery and
reset flows (:mod:`~clinic.twofactor.services`, :mod:`~clinic.twofactor.views`). Every step
goes into the audit trail. docs/operations.md ("Two-factor sign-in") is the guide.
"""
