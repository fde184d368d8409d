"""Time build_addendum on a full-size addendum against a floor: re-zipping a finished .docx.

    .venv/bin/python bench/addenda.py [--count 1000] [--profile]

Prints the median milliseconds per document in each language, the floor, and whether English
is within 2x the floor. Never fails on timings.
"""

import cProfile
import io
import pstats
import statistics
import time
import zipfile
from collections.abc import Callable
from datetime import date

import click

from vendortrack.documents.builder import build_addendum
from vendortrack.documents.content import (
    AddendumContent,
    ClauseText,
    Party,
    ScheduleRow,
)

TARGET = 2.0
LANGS = ("en", "fr", "bilingual")
TITLES = (
    ("Safeguards", "Mesures de sécurité"),
    ("Purposes", "Fins"),
    ("Instructions", "Instructions"),
    ("Confidentiality", "Confidentialité"),
    ("Personnel", "Personnel"),
    ("Training", "Formation"),
    ("Access controls", "Contrôle des accès"),
    ("Encryption", "Chiffrement"),
    ("Sub-processors", "Sous-traitants"),
    ("Processing outside Québec", "Traitement hors du Québec"),
    ("Access and correction requests", "Demandes d’accès et de rectification"),
    ("Confidentiality incidents", "Incidents de confidentialité"),
    ("Records of incidents", "Registre des incidents"),
    ("Audits", "Vérifications"),
    ("Cooperation with authorities", "Collaboration avec les autorités"),
    ("Retention", "Conservation"),
    ("Return and destruction", "Restitution et destruction"),
    ("No sale or combination", "Aucune vente ni combinaison"),
    ("Notice of non-compliance", "Avis de non-conformité"),
    ("Insurance", "Assurance"),
    ("Term and survival", "Durée et survie"),
    ("Order of precedence", "Ordre de préséance"),
)
EN = (
    "The vendor shall apply to the personal information security measures that are reasonable "
    "given its sensitivity, the purposes for which it is used, its quantity, its distribution "
    "and its medium, including administrative, physical and technological safeguards, and "
    "shall review them at least once a year and whenever its processing changes materially.",
    "The vendor shall use the personal information only for the purposes described in the "
    "schedule and only on the documented instructions of Ville de Saint-Lambert, and shall "
    "inform it without delay if, in its opinion, an instruction infringes applicable law.",
    "The vendor shall keep a record of the measures taken under this clause and make it "
    "available to the organisation on request within 30 days, together with any report of an "
    "independent assessment carried out in the last twelve months.",
)
FR = (
    "Le fournisseur applique aux renseignements personnels des mesures de sécurité raisonnables "
    "compte tenu de leur sensibilité, de la finalité de leur utilisation, de leur quantité, de "
    "leur répartition et de leur support, notamment des mesures administratives, physiques et "
    "technologiques, et les revoit au moins une fois l’an et à chaque changement important.",
    "Le fournisseur n’utilise les renseignements personnels qu’aux fins décrites à l’annexe et "
    "selon les instructions documentées de la Ville de Saint-Lambert, et l’informe sans délai "
    "si, à son avis, une instruction contrevient à la loi applicable.",
    "Le fournisseur tient un registre des mesures prises en application de la présente clause "
    "et le met à la disposition de l’organisation sur demande dans un délai de 30 jours, avec "
    "tout rapport d’évaluation indépendante réalisée au cours des douze derniers mois.",
)
SCHEDULE = {
    "en": [
        ScheduleRow(
            "Employee contact details",
            "Payroll administration",
            "Employees",
            "Canada (Québec)",
            "7 years after employment ends",
        ),
        ScheduleRow(
            "Banking information", "Direct deposit", "Employees", "Canada", "End of contract"
        ),
        ScheduleRow(
            "Social insurance number",
            "Tax slips",
            "Employees",
            "Canada, United States",
            "7 years",
        ),
        ScheduleRow(
            "Health information",
            "Leave management",
            "Employees on leave",
            "Canada (Québec)",
            "2 years after the leave ends",
        ),
        ScheduleRow(
            "Citizen requests",
            "Service requests follow-up",
            "Citizens",
            "Canada, Ireland",
            "3 years",
        ),
    ],
    "fr": [
        ScheduleRow(
            "Coordonnées des employés",
            "Administration de la paie",
            "Employés",
            "Canada (Québec)",
            "7 ans après la fin de l’emploi",
        ),
        ScheduleRow(
            "Renseignements bancaires", "Dépôt direct", "Employés", "Canada", "Fin du contrat"
        ),
        ScheduleRow(
            "Numéro d’assurance sociale",
            "Feuillets fiscaux",
            "Employés",
            "Canada, États-Unis",
            "7 ans",
        ),
        ScheduleRow(
            "Renseignements de santé",
            "Gestion des congés",
            "Employés en congé",
            "Canada (Québec)",
            "2 ans après la fin du congé",
        ),
        ScheduleRow(
            "Requêtes des citoyens",
            "Suivi des requêtes",
            "Citoyens",
            "Canada, Irlande",
            "3 ans",
        ),
    ],
}


def full_size_content() -> AddendumContent:
    """An addendum as large as a vendor with every regime in play would get: 22 clauses."""
    clauses = [
        ClauseText(
            number=n,
            id=f"clause-{n:02d}",
            version=1 + n % 3,
            title={"en": en, "fr": fr},
            paragraphs={"en": list(EN[: 2 + n % 2]), "fr": list(FR[: 2 + n % 2])},
            basis={
                "en": "Québec Private Sector Act s. 18.3 (statute); OPC guidance",
                "fr": "Loi sur le secteur privé, art. 18.3 (loi); lignes directrices du CPVP",
            },
        )
        for n, (en, fr) in enumerate(TITLES, start=1)
    ]
    return AddendumContent(
        organisation=Party(
            "Ville de Saint-Lambert",
            "55, rue Saint-Charles\nSaint-Lambert (Québec) J4P 2Y6",
            "Marie Tremblay",
            "Directrice générale",
        ),
        vendor=Party(
            "Paie Express inc.", "1200, boul. René-Lévesque O.\nMontréal (Québec) H3B 4W8"
        ),
        effective_date=date(2027, 3, 31),
        reference="CT-2027-014",
        schedule=SCHEDULE,
        clauses=clauses,
        privacy_officer="Marie Tremblay, directrice générale, vie.privee@saint-lambert.example",
        properties={"Department": "Finance"},
    )


def rezip(data: bytes) -> bytes:
    """The floor: read every member of a finished .docx and write them to a new zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
    return out.getvalue()


def median_ms(label: str, count: int, work: Callable[[], object]) -> float:
    times = []
    with click.progressbar(range(count), label=f"{label:<10}", width=30) as bar:
        for _ in bar:
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def profile(content: AddendumContent) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [build_addendum(content, "en") for _ in range(50)])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


@click.command()
@click.option("--count", default=1000, show_default=True, help="Documents per language.")
@click.option("--profile", "with_profile", is_flag=True, help="Also profile 50 English builds.")
def main(count: int, with_profile: bool) -> None:
    content = full_size_content()
    english = build_addendum(content, "en")  # also warms the template cache
    click.echo(f"full-size addendum: {len(content.clauses)} clauses, {len(english):,} bytes (en)")
    medians = {
        lang: median_ms(lang, count, lambda lang=lang: build_addendum(content, lang))
        for lang in LANGS
    }
    floor = median_ms("floor", count, lambda: rezip(english))
    for lang, ms in medians.items():
        click.echo(f"{lang:<10} {ms:8.2f} ms per document (median of {count})")
    click.echo(f"{'floor':<10} {floor:8.2f} ms per document (re-zip of the en output)")
    ratio = medians["en"] / floor
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    click.echo(f"en / floor = {ratio:.2f}x; target: en within {TARGET:g}x the floor -> {verdict}")
    if with_profile:
        profile(content)


if __name__ == "__main__":
    main()
