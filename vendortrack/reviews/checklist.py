"""What every review checks: the privacy plan's safeguards and the topics of our clauses."""

from flask_babel import lazy_gettext as _l

CHECKLIST = {
    "passwords": _l("Access to the information is protected by passwords"),
    "firewalls": _l("Systems holding the information are behind firewalls"),
    "encrypted_files": _l("Files holding the information are encrypted"),
    "encryption_in_transit": _l("The information is encrypted in transit"),
    "audit_trails": _l("Audit trails record who accessed the information"),
    "locked_backups": _l("Backups are locked and protected"),
    "need_to_know": _l("Staff access is limited to those who need to know"),
    "destruction": _l("Information no longer needed is destroyed"),
    "breach_process": _l("A breach notification process is in place"),
    "sub_processors": _l("Sub-processors are disclosed"),
    "signed_addendum": _l("A signed addendum is in force"),
}
ANSWERS = ("yes", "no", "na")
