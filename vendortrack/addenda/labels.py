"""What the interface calls addenda's values, in the user's language."""

from flask_babel import lazy_gettext as _l

from vendortrack.addenda.models import AddendumStatus

STATUS_LABELS = {
    AddendumStatus.DRAFT: _l("Draft"),
    AddendumStatus.SENT: _l("Sent"),
    AddendumStatus.SIGNED: _l("Signed"),
    AddendumStatus.SUPERSEDED: _l("Superseded"),
}
LANGUAGE_LABELS = {"en": _l("English"), "fr": _l("French"), "bilingual": _l("Bilingual")}
FACT_LABELS = {
    "shares_personal_information": _l("receives personal information"),
    "sensitive_information": _l("receives sensitive information"),
    "subjects_in_quebec": _l("some people are in Québec"),
    "subjects_in_eu": _l("some people are in the European Union"),
    "subjects_in_california": _l("some people are in California"),
    "processed_outside_home_country": _l("information is processed outside our country"),
    "quebec_data_outside_quebec": _l("Québec information is processed outside Québec"),
    "eu_data_outside_eu": _l("EU information is processed outside the EU"),
    "quebec_act_applies": _l("the Québec private-sector Act applies to this information"),
    "pia_recorded": _l("a privacy impact assessment is recorded"),
    "pia_measures_recorded": _l("the measures the assessment agreed are recorded"),
    "ccpa_applies": _l("some people are in California, and we are a CCPA business"),
    "uncapped_liability": _l("our settings lift the liability cap for privacy breaches"),
    "high_risk": _l("the vendor's risk tier is high or critical"),
    "scc_switzerland": _l("the SCCs also carry Swiss transfers (Settings)"),
    "scc_united_kingdom": _l("the SCCs also carry UK transfers, with the UK Addendum (Settings)"),
    "general_authorisation": _l("further sub-processors: general authorisation chosen"),
    "specific_authorisation": _l("further sub-processors: specific authorisation chosen"),
}
REGIME_LABELS = {
    "pipeda": _l("PIPEDA"),
    "quebec": _l("Québec Private Sector Act"),
    "gdpr": _l("GDPR"),
    "ccpa": _l("CCPA"),
    "opc": _l("OPC guidance"),
    "practice": _l("Contract practice"),
}
STRENGTH_LABELS = {
    "statute": _l("required by statute"),
    "regulation": _l("required by regulation"),
    "guidance": _l("regulator guidance"),
    "good_practice": _l("good practice"),
}


# How an addendum authorises sub-processors beyond those it lists (library.AUTHORISATIONS).
AUTHORISATION_LABELS = {
    "general": _l("General: the vendor gives notice, and we may object"),
    "specific": _l("Specific: the vendor asks us for each one"),
}


def register_labels(app) -> None:
    app.jinja_env.globals.update(
        ADDENDUM_STATUS_LABELS=STATUS_LABELS,
        ADDENDUM_LANGUAGE_LABELS=LANGUAGE_LABELS,
        FACT_LABELS=FACT_LABELS,
        AUTHORISATION_LABELS=AUTHORISATION_LABELS,
        REGIME_LABELS=REGIME_LABELS,
        STRENGTH_LABELS=STRENGTH_LABELS,
    )
