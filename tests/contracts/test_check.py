"""The check's reading of single sentences, as the issue lists them: the vendor's duty told
from the customer's, a duty from a mention, a refusal from a grant, a hedge or a short figure
from a plain duty; in English and in French. (The labelled agreements score it as a whole.)"""

import hashlib
import re

import pytest

from vendortrack.contracts import check as check_module
from vendortrack.contracts import cues
from vendortrack.contracts.check import CHECKER_VERSION, TOPICS, Parties, Standard, check
from vendortrack.contracts.reading import read_agreement

STANDARD = Standard(breach_hours=48, notice_days=30)
# What makes a document a processing agreement, in each language.
PREAMBLE = {
    "en": "The Processor processes Personal Data on behalf of the Customer.",
    "fr": "Le Prestataire traite des renseignements personnels pour le compte du Client.",
}


def finding(sentence: str, topic: str, language: str = "en", standard=STANDARD):
    text = f"{PREAMBLE[language]}\n\n{sentence}\n"
    report = check(read_agreement(text.encode(), "agreement.txt"), standard)
    found = {f.clause: f for f in report.findings}[topic]
    if found.finding != "missing":
        assert found.quote in text
    return found.finding


@pytest.mark.parametrize(
    ("topic", "sentence", "expected"),
    [
        # The vendor's duty, not the customer's.
        (
            "breach",
            "The Processor shall notify the Customer of any Personal Data Breach.",
            "present",
        ),
        (
            "breach",
            "The Controller shall notify the supervisory authority of any breach.",
            "missing",
        ),
        ("purpose", "The Customer shall use the Services only for lawful purposes.", "missing"),
        # A duty, not a mention.
        ("access_requests", "Data subjects may exercise their rights of access.", "missing"),
        (
            "access_requests",
            "The Processor shall forward to the Customer any request from a data subject.",
            "present",
        ),
        # A refusal, not a grant.
        ("audit", "The Customer shall not be entitled to conduct any audit.", "denied"),
        ("audit", "The Customer may audit the Processor once a year.", "present"),
        (
            "breach",
            "The Processor shall have no obligation to notify security incidents.",
            "denied",
        ),
        ("purpose", "The Processor may use Personal Data for its own purposes.", "denied"),
        ("sub_processors", "The Processor may engage sub-processors without notice.", "denied"),
        ("cross_border", "The Processor may transfer Personal Data to any country.", "denied"),
        # A restriction is the duty itself.
        (
            "sub_processors",
            "The Processor shall not engage a sub-processor without the Customer's authorisation.",
            "present",
        ),
        # Weak: a hedge, reports instead of audits, figures below ours, deletion on request.
        (
            "protection",
            "The Processor shall use reasonable efforts to encrypt Personal Data where possible.",
            "weak",
        ),
        (
            "audit",
            "The Processor shall make available its SOC 2 report in lieu of any audit.",
            "weak",
        ),
        (
            "return_destruction",
            "Upon the Customer's request, the Processor shall delete Personal Data.",
            "weak",
        ),
        (
            "return_destruction",
            "Upon termination, the Processor shall delete or return all Personal Data.",
            "present",
        ),
        # The vendor sends its own reports: verification by paper.
        (
            "audit",
            "To verify compliance, the Processor will provide the Customer with its SOC 2 report.",
            "weak",
        ),
        # "may not" restricts: no permission to read as freeing the vendor.
        (
            "sub_processors",
            "The Processor may not engage sub-processors without the Customer's prior consent.",
            "present",
        ),
        # A right to use the data for itself is a permission that frees the vendor.
        (
            "purpose",
            "Nothing limits the Processor's right to use Personal Data for its own "
            "internal business purposes.",
            "denied",
        ),
        # Data named after a party is not that party acting.
        (
            "cross_border",
            "Customer Personal Data shall be stored only within the continental United States.",
            "present",
        ),
        # A person asking for their own records, in other words.
        (
            "access_requests",
            "Any request received by the Processor from an individual concerning access to his "
            "or her records shall be referred to the Customer.",
            "present",
        ),
        # "Such notice" is a notice: of a breach, later than our hours.
        (
            "breach",
            "Such notice shall be delivered no later than five (5) business days after "
            "the Processor confirms a Security Incident.",
            "weak",
        ),
        # Keys are not the data.
        ("return_destruction", "Upon termination, the Processor shall return the keys.", "missing"),
        # A general authorisation given in advance is no control; "any other country" is free.
        (
            "sub_processors",
            "We may engage Sub-processors at any time without notice to you, and you hereby "
            "provide a general authorization for us to do so.",
            "denied",
        ),
        (
            "cross_border",
            "You agree that we and our Sub-processors may transfer Personal Data to any other "
            "country in which we maintain facilities.",
            "denied",
        ),
        # What the vendor asks of a sub-processor is not its own safeguard.
        ("protection", "We will require each Sub-processor to protect Personal Data.", "missing"),
        (
            "breach",
            "The Processor will notify the Customer of any Data Incident without undue delay.",
            "present",
        ),
        (
            "cross_border",
            "The Processor will ensure that any Restricted Transfer is made under the SCCs.",
            "present",
        ),
        (
            "personnel",
            "The Processor will take commercially reasonable steps to ensure that its employees "
            "are subject to confidentiality obligations.",
            "weak",
        ),
        # A public body by its name; "may only" restricts.
        (
            "audit",
            "The Province may enter the Processor's premises and inspect its records.",
            "present",
        ),
        (
            "purpose",
            "The Processor may only use Personal Data for the purposes of the Agreement.",
            "present",
        ),
        (
            "access_requests",
            "If the Processor receives a request for access to Personal Data from a person, it "
            "must forward the request to the Customer.",
            "present",
        ),
        (
            "personnel",
            "The Processor will make reasonable efforts to ensure that its employees are aware "
            "of their obligations under this Schedule.",
            "weak",
        ),
        (
            "audit",
            "On-site audits of the Processor's facilities will not be permitted except where a "
            "regulator requires one.",
            "weak",
        ),
        # Told once it is done, the customer cannot object in time.
        (
            "sub_processors",
            "The Processor shall notify the Customer of any subcontractor engaged to process "
            "Personal Data.",
            "weak",
        ),
        (
            "return_destruction",
            "If the Customer asks us in writing to delete Personal Data, we shall do so within "
            "thirty days.",
            "weak",
        ),
    ],
)
def test_english_sentences(topic, sentence, expected):
    assert finding(sentence, topic) == expected


@pytest.mark.parametrize(
    ("topic", "sentence", "expected"),
    [
        (
            "breach",
            "Le Prestataire avise le Client de tout incident de confidentialité.",
            "present",
        ),
        ("purpose", "Le Client s’engage à n’utiliser le service qu’aux fins prévues.", "missing"),
        ("access_requests", "Les personnes concernées peuvent exercer leurs droits.", "missing"),
        ("audit", "Le Client ne pourra en aucun cas procéder à un audit.", "denied"),
        ("audit", "Le Client peut procéder à un audit une fois par an.", "present"),
        (
            "purpose",
            "Le Prestataire peut utiliser les données à ses propres fins.",
            "denied",
        ),
        (
            "protection",
            "Le Prestataire s’efforce, dans la mesure du possible, de chiffrer les données.",
            "weak",
        ),
        (
            "personnel",
            "Le Prestataire veille à ce que les personnes autorisées soient tenues à la "
            "confidentialité.",
            "present",
        ),
        (
            "personnel",
            "Les employés du Prestataire qui ont accès aux données du Client seront tenus de "
            "signer une entente de confidentialité.",
            "present",
        ),
        ("return_destruction", "Les données seront effacées si le Client le demande.", "weak"),
        (
            "purpose",
            "Le Prestataire n’utilise les données qu’aux fins du contrat; il ne peut les utiliser "
            "à des fins publicitaires.",
            "present",
        ),
        (
            "breach",
            "Le Prestataire annonce au Client toute violation de la sécurité des données.",
            "present",
        ),
        ("breach", "En cas de piratage, le Prestataire préviendra le Client.", "present"),
        (
            "cross_border",
            "Toute communication de données à l’étranger requiert l’accord écrit du Client.",
            "present",
        ),
        (
            "cross_border",
            "Les données peuvent être stockées à l’étranger sans que le Prestataire ait à en "
            "informer le Client.",
            "denied",
        ),
        (
            "access_requests",
            "Si une personne demande au Prestataire l’accès à ses renseignements, le Prestataire "
            "transmet cette demande au Client.",
            "present",
        ),
        ("audit", "La Mandante peut vérifier sur place le respect du présent avenant.", "present"),
        (
            "protection",
            "Le Prestataire n’est tenu à aucune obligation de sécurité concernant les fichiers.",
            "denied",
        ),
        # The vendor grants no right: a refusal, or a limit with its exception.
        ("audit", "Le Prestataire n’accorde au Client aucun droit d’audit.", "denied"),
        (
            "audit",
            "Le Prestataire n’accorde au Client aucun droit d’audit, sauf lorsqu’une autorité "
            "l’exige.",
            "weak",
        ),
        (
            "breach",
            "Le Prestataire n’a pas l’obligation d’annoncer au Client les violations de la "
            "sécurité des données.",
            "denied",
        ),
        (
            "purpose",
            "Le Prestataire s’efforce de ne traiter les données que conformément à ses "
            "instructions.",
            "weak",
        ),
        (
            "cross_border",
            "Le Prestataire s’efforce d’héberger les données au sein de l’Union européenne.",
            "weak",
        ),
        (
            "return_destruction",
            "Lors de la terminaison du contrat, le Prestataire devra supprimer toutes les données.",
            "present",
        ),
        ("audit", "Le Client renonce expressément à tout droit d’audit.", "denied"),
        (
            "sub_processors",
            "Le Prestataire peut faire appel à tout sous-traitant ultérieur sans autorisation ni "
            "notification préalable du Client.",
            "denied",
        ),
        (
            "cross_border",
            "Les données sont hébergées exclusivement sur le territoire du Québec.",
            "present",
        ),
        (
            "return_destruction",
            "Dans les 90 jours suivant la fin des Services, le Prestataire supprimera les données.",
            "present",
        ),
        (
            "audit",
            "Le Client dispose d’un droit d’audit complet sur les locaux du Prestataire.",
            "present",
        ),
        (
            "personnel",
            "Les collaborateurs du Prestataire ayant accès aux données sont astreints au secret.",
            "present",
        ),
        (
            "cross_border",
            "Lorsque le transfert de données vers un pays tiers n’est pas couvert par une "
            "décision d’adéquation, les clauses contractuelles types s’appliqueront.",
            "present",
        ),
        # "telles que" tells no one anything: safeguards, not a breach notice.
        (
            "protection",
            "Le Prestataire met en œuvre des mesures de sécurité contre les incidents de "
            "sécurité, telles que décrites en annexe.",
            "present",
        ),
        # Told beforehand, in time to object.
        (
            "sub_processors",
            "Le Prestataire ne fait appel à un sous-traitant ultérieur qu’après en avoir avisé le "
            "Client au moins trente (30) jours à l’avance.",
            "present",
        ),
        # Free to engage them, the customer only told.
        (
            "sub_processors",
            "Le Prestataire peut faire appel à des sous-traitants ultérieurs; le Client est "
            "informé de toute modification de leur liste.",
            "weak",
        ),
    ],
)
def test_french_sentences(topic, sentence, expected):
    assert finding(sentence, topic, "fr") == expected


def test_the_figures_compared_are_given():
    text = (
        f"{PREAMBLE['en']}\n\nThe Processor shall notify the Customer of a Personal Data Breach "
        "within five (5) business days.\n\nThe Processor shall give fifteen days' notice of any "
        "new sub-processor.\n"
    )
    report = check(read_agreement(text.encode(), "a.txt"), STANDARD)
    found = {f.clause: f for f in report.findings}
    assert (found["breach"].finding, found["breach"].figures) == (
        "weak",
        {"hours": 120, "limit": 48},
    )
    assert found["sub_processors"].figures == {"days": 15, "limit": 30}
    assert check(read_agreement(text.encode(), "a.txt"), Standard(120, 15)).findings[4].finding == (
        "present"
    )


def test_a_document_that_is_no_processing_agreement_finds_nothing():
    nda = (
        "The Receiving Party shall protect the Confidential Information with reasonable care "
        "and shall return or destroy it on termination. Confidential Information may include "
        "personal information.\n"
    )
    report = check(read_agreement(nda.encode(), "nda.txt"), STANDARD)
    assert not report.is_agreement
    assert [f.finding for f in report.findings] == ["missing"] * len(TOPICS)


def test_personal_information_by_another_name_makes_an_agreement():
    # A US exhibit that defines its own term and never says "personal information" again.
    text = (
        '"Participant Data" means any information relating to an identified or identifiable '
        "employee of Client.\n\nVendor shall protect Participant Data with encryption.\n\n"
        "Vendor shall notify Client of any unauthorized access to Participant Data.\n\n"
        "Vendor shall delete Participant Data upon termination.\n"
    )
    report = check(read_agreement(text.encode(), "exhibit.md"), STANDARD)
    assert report.is_agreement
    assert report.findings[TOPICS.index("protection")].finding == "present"


def test_liability_refused_is_no_duty_refused():
    sentence = (
        "Le Prestataire ne saurait être tenu responsable d’un traitement effectué conformément "
        "aux instructions du Client."
    )
    assert finding(sentence, "purpose", "fr") == "missing"


def test_a_customer_defined_by_its_role_leaves_the_other_name_to_the_vendor():
    text = (
        "(1) LEDGERLINE B.V., licensed as a payment institution by De Nederlandsche Bank "
        '("Ledgerline"); and (2) the merchant named in the Agreement (the "Merchant").\n\n'
        "Ledgerline processes Personal Data on behalf of the Merchant.\n\n"
        "Ledgerline shall notify the Merchant of any Personal Data Breach. Ledgerline shall "
        "protect Personal Data. Ledgerline shall delete Personal Data on termination.\n"
    )
    paragraphs = read_agreement(text.encode(), "dpa.txt")
    parties = Parties.of(paragraphs)
    assert parties.vendor.search("Ledgerline")
    assert not parties.customer.search("Ledgerline")
    report = check(paragraphs, STANDARD)
    assert report.findings[TOPICS.index("breach")].finding == "present"


def test_a_mention_of_other_data_processing_terms_is_no_agreement():
    text = (
        "The Reseller shall promote the Products. Personal data that End Users store in the "
        "Products is processed under the data processing terms agreed with each End User.\n"
    )
    assert not check(read_agreement(text.encode(), "reseller.md"), STANDARD).is_agreement


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Processor shall protect the data of the Customer.", "en"),
        ("Le Prestataire protège les données du Client dans le cadre de la mission.", "fr"),
        ("Der Auftragsverarbeiter schützt die Daten des Kunden gemäß Artikel 28.", "other"),
    ],
)
def test_the_language_is_english_french_or_neither(text, language):
    assert check(read_agreement(text.encode(), "a.txt"), STANDARD).language == language


def test_a_run_on_file_is_read_in_parts_and_its_duty_still_found():
    # A text with no full stop for 200,000 characters: read in sentence-sized parts, each quote
    # still a passage of the text.
    text = f"{PREAMBLE['en']}\n\n" + "lorem ipsum dolor sit amet " * 7_500
    text += "and the Processor shall notify the Customer of any personal data breach.\n"
    report = check(read_agreement(text.encode(), "run-on.txt"), STANDARD)
    breach = report.findings[TOPICS.index("breach")]
    assert breach.finding == "present"
    assert len(breach.quote) <= 2_000
    assert breach.quote in " ".join(text.split())


def test_the_period_compared_is_the_notices_not_another_in_the_sentence():
    text = (
        f"{PREAMBLE['en']}\n\nThe Processor shall notify the Customer of any Personal Data Breach "
        "within 24 hours and send a final report on it within 30 days.\n\nThe Processor shall "
        "give 30 days' notice before engaging a new sub-processor and shall remove one within "
        "5 days of the Customer's objection.\n"
    )
    found = {f.clause: f for f in check(read_agreement(text.encode(), "a.txt"), STANDARD).findings}
    assert found["breach"].finding == "present"
    assert found["sub_processors"].finding == "present"


def test_a_vendor_name_ending_in_a_full_stop_is_still_the_vendor():
    text = (
        "Personal data is processed on behalf of the Customer.\n\n"
        "The Customer agrees that Nordwind Ltd. shall notify it of any personal data breach.\n"
    )
    report = check(read_agreement(text.encode(), "a.txt"), STANDARD, ("Nordwind Ltd.",))
    assert report.findings[TOPICS.index("breach")].finding == "present"


@pytest.mark.parametrize(
    ("topic", "sentence", "language", "expected"),
    [
        # Withheld, a general authorisation is still a control.
        (
            "sub_processors",
            "The Processor shall not engage another processor without prior specific or general "
            "written authorisation of the Controller.",
            "en",
            "present",
        ),
        # The vendor's safeguards, with its sub-processors beside it.
        (
            "protection",
            "The Processor and its Sub-processors shall implement appropriate technical and "
            "organisational measures.",
            "en",
            "present",
        ),
        # The customer asking for a copy is no person's access request.
        (
            "return_destruction",
            "Upon termination, at the Customer's request, the Processor shall provide a copy of "
            "all Personal Data in their original format and then delete it.",
            "en",
            "present",
        ),
        (
            "access_requests",
            "The Processor shall respond to the Customer's requests for access to its facilities.",
            "en",
            "missing",
        ),
        # A freeing phrase negated frees nothing.
        (
            "cross_border",
            "We may transfer Personal Data outside the EEA, provided that we shall not do so "
            "without prior written consent.",
            "en",
            "present",
        ),
        ("audit", "The Processor will maintain a SOC 2 Type II certification.", "en", "missing"),
        (
            "protection",
            "Personal Data stored in the Province of Ontario shall be encrypted at rest.",
            "en",
            "present",
        ),
        (
            "breach",
            "The Processor records all access to Personal Data and notifies the Customer of any "
            "Security Incident.",
            "en",
            "present",
        ),
        # A use forbidden, not a use freed (nor yet the limit to the contract's purposes).
        ("purpose", "We can't use Personal Data for marketing.", "en", "missing"),
        (
            "sub_processors",
            "The Processor shall notify the Customer within 10 days after engaging a new "
            "sub-processor.",
            "en",
            "weak",
        ),
        (
            "return_destruction",
            "If the Customer requests that the Processor delete Personal Data, the Processor "
            "shall do so.",
            "en",
            "weak",
        ),
        (
            "cross_border",
            "L’article 10 ne s’applique pas aux transferts de données hors du Québec.",
            "fr",
            "missing",
        ),
        (
            "protection",
            "Le Prestataire est tenu responsable de tout manquement à la sécurité des données.",
            "fr",
            "missing",
        ),
        ("protection", "La Société est tenue de chiffrer les données.", "fr", "present"),
        # The customer told is not the customer bound.
        (
            "breach",
            "The Customer will be notified of any Personal Data Breach without undue delay.",
            "en",
            "present",
        ),
        (
            "breach",
            "Le Client sera informé sans délai de tout incident de confidentialité.",
            "fr",
            "present",
        ),
        ("audit", "Le Prestataire ne confère au Client aucun droit d’audit.", "fr", "denied"),
        (
            "sub_processors",
            "Le Prestataire informe le Client de tout sous-traitant ultérieur engagé au titre de "
            "l’Accord.",
            "fr",
            "weak",
        ),
        (
            "return_destruction",
            "Lorsque le contrat prend fin, le Prestataire supprime les données.",
            "fr",
            "present",
        ),
    ],
)
def test_ordinary_wording_once_misread(topic, sentence, language, expected):
    assert finding(sentence, topic, language) == expected


@pytest.mark.parametrize(
    ("topic", "sentence", "language", "expected"),
    [
        # A licence the customer grants the vendor is the vendor's permission.
        (
            "purpose",
            "You grant us a worldwide, non-exclusive license to use Customer Content to train "
            "and improve our models.",
            "en",
            "denied",
        ),
        # The refusal after the topic it refuses.
        (
            "access_requests",
            "You are solely responsible for responding to requests from individuals, and we "
            "shall not be obliged to assist you with any such request.",
            "en",
            "denied",
        ),
        (
            "return_destruction",
            "We may retain Customer Data indefinitely, including after your subscription ends.",
            "en",
            "denied",
        ),
        (
            "personnel",
            "The Processor shall ensure that each member of its workforce is bound by "
            "confidentiality.",
            "en",
            "present",
        ),
        (
            "protection",
            "We will implement reasonable security procedures to protect Personal Data.",
            "en",
            "present",
        ),
        (
            "access_requests",
            "Dans la mesure du possible, le Prestataire aide le Client à donner suite aux "
            "demandes dont les personnes concernées le saisissent.",
            "fr",
            "weak",
        ),
        # An authorisation given in general, and no duty to tell: free.
        (
            "sub_processors",
            "Le Client autorise de manière générale le Prestataire à recourir à tout "
            "sous-traitant ultérieur de son choix, sans que le Prestataire soit tenu d’en "
            "informer préalablement le Client.",
            "fr",
            "denied",
        ),
        (
            "sub_processors",
            "Le Prestataire informe le Client de l’intervention de tout nouveau sous-traitant au "
            "moins quinze jours avant; le Client peut s’y opposer.",
            "fr",
            "weak",
        ),
    ],
)
def test_wording_the_fourth_held_out_set_taught(topic, sentence, language, expected):
    assert finding(sentence, topic, language) == expected


def test_services_rendered_on_behalf_of_a_client_are_no_processing_for_it():
    terms = (
        "The Agency introduces Candidates to the Client. Remuneration means the payments for "
        "services rendered to or on behalf of the Client. Each party processes the personal "
        "data of Candidates as an independent controller.\n"
    )
    assert not check(read_agreement(terms.encode(), "agency.txt"), STANDARD).is_agreement


def test_information_received_for_the_customer_makes_an_agreement():
    text = (
        "Les renseignements personnels de vos employés que nous recevons pour votre compte "
        "sont appelés les « Renseignements ».\n\nNous protégeons les Renseignements par le "
        "chiffrement.\n"
    )
    report = check(read_agreement(text.encode(), "annexe.md"), STANDARD)
    assert report.findings[TOPICS.index("protection")].finding == "present"


def test_a_definition_that_merely_includes_personal_information_makes_no_agreement():
    nda = (
        '"Confidential Information" means all information disclosed by a party, including '
        "personal information.\n\nThe Supplier shall protect Confidential Information. The "
        "Supplier shall notify the other party of any unauthorised disclosure. The Supplier "
        "shall return Confidential Information on termination.\n"
    )
    assert not check(read_agreement(nda.encode(), "nda.txt"), STANDARD).is_agreement


def test_a_long_run_of_adverbs_is_read_at_once():
    # Each adverb once doubled the search for the verb: forty would have taken days.
    sentence = "The Processor " + "legally " * 40 + "shall protect Personal Data by encryption."
    assert finding(sentence, "protection") == "present"


# The fingerprint of the rules' patterns at each checker version. A change to a cue changes it:
# raise CHECKER_VERSION (checks made before then show as out of date) and pin the new one.
FINGERPRINTS = {2: "f4c8b86315322601"}


def rules_fingerprint() -> str:
    patterns = [
        f"{module.__name__}.{name}={value.pattern}"
        for module in (cues, check_module)
        for name, value in sorted(vars(module).items())
        if isinstance(value, re.Pattern)
    ]
    return hashlib.sha256("\n".join(patterns).encode()).hexdigest()[:16]


def test_a_change_to_the_rules_raises_the_checker_version():
    assert FINGERPRINTS.get(CHECKER_VERSION) == rules_fingerprint(), (
        "the rules changed: raise CHECKER_VERSION in vendortrack/contracts/check.py and pin "
        f"{{{CHECKER_VERSION + 1}: {rules_fingerprint()!r}}} in FINGERPRINTS"
    )
