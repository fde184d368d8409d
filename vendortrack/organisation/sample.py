"""The sample organisation: invented settings the sample register fills in while nobody has
entered any, and how to tell which of them are still there.

Here rather than with the rest of the sample register: the organisation feature must recognise
these values (the sample mark stays while any remain), and the demo imports this feature, never
the reverse.
"""

# As on the Settings page: every addendum names it. Its privacy officer is the sample register's
# legal user (vendortrack/demo/sample.py, USERS).
SAMPLE_SETTINGS = {
    "legal_name": "Centres sportifs Aurore inc.",
    "address": "2150, boulevard des Érables, bureau 300\nMontréal (Québec)  H2X 0A1",
    "privacy_officer_name": "Priya Raman",
    "privacy_officer_title": "Responsable de la protection des renseignements personnels",
    "privacy_officer_email": "vie.privee@example.org",
    "home_jurisdiction": "CA-QC",
    "breach_notice_hours": 24,
    "access_forwarding_days": 10,
    "signatory_name": "Geneviève Lapointe",
    "signatory_title": "Directrice générale",
    # The sample register has a Californian vendor, whose addendum then carries the CCPA terms.
    "ccpa_business": True,
    "uncapped_liability": True,
    "governing_law": "CA-QC",
    "forum": "Montréal",
    "sub_processor_notice_days": 30,
    # The mailer's EU subscribers' information goes to Virginia under the SCCs; the sample
    # organisation's GDPR representative is in Ireland.
    "acts_as_processor": False,
    "eu_member_state": "IE",
    "swiss_transfers": False,
    "uk_transfers": False,
    "eu_representative": "Aurore Europe Representation Ltd., 12 Fitzwilliam Square, Dublin 2, "
    "Ireland (gdpr@aurore-europe.example)",
}

# The fields that say who the invented organisation is. The home jurisdiction, the delays, the
# CCPA, liability and SCC answers, the governing law and the forum are left out: ordinary values
# a real organisation may well keep.
IDENTIFYING_FIELDS = (
    "legal_name", "address", "privacy_officer_name", "privacy_officer_title",
    "privacy_officer_email", "signatory_name", "signatory_title", "eu_representative",
)  # fmt: skip


def sample_values_left(values: dict) -> list[str]:
    """Name the fields of `values` that still hold the invented organisation's value."""
    return [name for name in IDENTIFYING_FIELDS if values.get(name) == SAMPLE_SETTINGS[name]]
