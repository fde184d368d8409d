"""The questionnaire library's pages: the sets, and each one's questions as the vendor reads
them, in either language whatever the reader's own."""

import pytest

from vendortrack.accounts.models import Role


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEGAL, Role.MANAGER, Role.OWNER])
def test_whoever_sends_questionnaires_reads_the_sets(signed_in, role):
    page = signed_in(role).get("/questionnaires/")
    assert page.status_code == 200
    assert "Privacy safeguards, short form" in page.text
    assert 'href="/questionnaires/privacy_safeguards"' in page.text


def test_a_set_shows_each_question_its_answer_and_what_it_informs(signed_in):
    page = signed_in(Role.LEGAL).get("/questionnaires/privacy_safeguards")
    assert page.text.count('id="question-') == 16
    assert "Rapport SOC 2 de type II" not in page.text
    assert "SOC 2 Type II report" in page.text
    assert "Review checklist: Access to the information is protected by passwords" in page.text
    assert "Vendor record: The vendor’s contact for incidents" in page.text
    assert "Yes, no or not applicable, with a comment" in page.text
    assert page.text.count("data-evidence") == 5


def test_a_french_reader_sees_french_and_may_read_the_english_the_vendor_gets(signed_in):
    french = signed_in(Role.LEGAL, language="fr")
    page = french.get("/questionnaires/low_risk")
    assert "Mesures de protection des renseignements personnels, formulaire abrégé" in page.text
    assert "Liste de vérification de l’examen" in page.text
    english = french.get("/questionnaires/low_risk?lang=en")
    assert "Privacy safeguards, short form" in english.text
    # A language VendorTrack does not write falls back to the reader's own.
    german = french.get("/questionnaires/low_risk?lang=de")
    assert "formulaire abrégé" in german.text


def test_an_unknown_set_is_not_found(signed_in):
    assert signed_in(Role.LEGAL).get("/questionnaires/no_such_set").status_code == 404
