"""Reading the questionnaires sent, for the pages that list them."""

from sqlalchemy import select

from vendortrack.extensions import db
from vendortrack.questionnaires.models import QuestionnaireRequest


def sent_to(vendor_id: int) -> list[QuestionnaireRequest]:
    """A vendor's questionnaires, latest first, without their questions or files."""
    query = (
        select(QuestionnaireRequest)
        .where(QuestionnaireRequest.vendor_id == vendor_id)
        .order_by(QuestionnaireRequest.sent_at.desc(), QuestionnaireRequest.id.desc())
    )
    return list(db.session.scalars(query))
