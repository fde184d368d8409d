"""The evidence pack's README: fixed text in English, then in French.

Not translated through gettext: the pack goes to an auditor, whatever the language of the person
who downloads it, and the French must say what the English says.
"""

from collections.abc import Sequence
from datetime import date

from vendortrack.addenda.models import Addendum, AddendumStatus

PENDING_STATUS = {
    AddendumStatus.DRAFT: (
        "The latest addendum is a draft, not yet sent to the vendor.",
        "Le dernier avenant est une ébauche, pas encore envoyée au fournisseur.",
    ),
    AddendumStatus.SENT: (
        "The latest addendum was sent to the vendor and awaits its signature.",
        "Le dernier avenant a été envoyé au fournisseur et attend sa signature.",
    ),
}
PENDING_STATUSES = tuple(PENDING_STATUS)


def write_readme(
    name: str,
    today: date,
    files: Sequence[tuple[str, str, str]],
    signed: Addendum | None,
    pending: Addendum | None,
) -> str:
    """The README in English, then in French: what the pack is, for whom, and what it holds."""
    day = today.isoformat()
    status_en, status_fr = _addendum_status(signed, pending)
    width = max(len(path) for path, _en, _fr in files) + 2
    english = [
        f"Evidence pack: {name}",
        f"Made on {day} by VendorTrack, the register of vendors that hold personal information.",
        "",
        status_en,
        "",
        "Files:",
        *(f"  {path.ljust(width)}{en}" for path, en, _fr in files),
        "",
        "The CSV files are UTF-8. A cell that a spreadsheet would run as a formula starts with an",
        "apostrophe, which is not part of the value.",
    ]
    french = [
        f"Dossier de preuves : {name}",
        f"Produit le {day} par VendorTrack, le registre des fournisseurs qui détiennent des "
        "renseignements personnels.",
        "",
        status_fr,
        "",
        "Fichiers :",
        *(f"  {path.ljust(width)}{fr}" for path, _en, fr in files),
        "",
        "Les fichiers CSV sont en UTF-8. Une cellule qu’un tableur exécuterait comme une formule",
        "commence par une apostrophe, qui ne fait pas partie de la valeur.",
    ]
    return "\n".join([*english, "", "-" * 72, "", *french, ""])


def _addendum_status(signed: Addendum | None, pending: Addendum | None) -> tuple[str, str]:
    """Where the addendum with the vendor stands, in English and in French."""
    if signed is not None:
        on = f" on {signed.signed_on.isoformat()}" if signed.signed_on else ""
        le = f" le {signed.signed_on.isoformat()}" if signed.signed_on else ""
        return (
            f"The addendum with this vendor was signed{on}: see the addendum folder.",
            f"L’avenant avec ce fournisseur a été signé{le} : voir le dossier addendum.",
        )
    status_en = "No addendum with this vendor is signed."
    status_fr = "Aucun avenant avec ce fournisseur n’est signé."
    if pending is not None:
        status_en += " " + PENDING_STATUS[pending.status][0]
        status_fr += " " + PENDING_STATUS[pending.status][1]
    return status_en, status_fr
