"""Reviews: the vendor's schedule and history, completing a review, conditions, evidence,
incidents, and the review policy."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.forms import ConfirmForm
from vendortrack.i18n import local_today
from vendortrack.register.models import Vendor
from vendortrack.reviews.checklist import CHECKLIST, shown_questionnaire, vendor_answers
from vendortrack.reviews.forms import OUTCOME_LABELS, IncidentForm, PolicyForm, ReviewForm
from vendortrack.reviews.models import EvidenceFile, Outcome, Review, ReviewCondition, TriggerKind
from vendortrack.reviews.services import (
    ReviewError,
    ReviewInput,
    Upload,
    complete_review,
    current_policy,
    mark_condition_met,
    open_triggers,
    raise_trigger,
    save_policy,
    schedule_for,
)
from vendortrack.trail.recorder import record_view
from vendortrack.uploads import stored_name

bp = Blueprint("reviews", __name__)

# Who completes reviews: legal, administrators, and each vendor's own owner (checked per vendor).
REVIEWERS = (Role.ADMIN, Role.LEGAL, Role.OWNER)


def may_review(user, vendor: Vendor) -> bool:
    """The vendor's owner, legal and administrators complete reviews."""
    return user.role in (Role.ADMIN, Role.LEGAL) or vendor.owner_id == user.id


def reviewable_vendor_or_403(vendor_id: int) -> Vendor:
    vendor = db.get_or_404(Vendor, vendor_id)
    if not may_review(current_user, vendor):
        abort(403)
    return vendor


@bp.route("/vendors/<int:vendor_id>/reviews")
@allow(*EVERYONE)
def index(vendor_id):
    vendor = db.get_or_404(Vendor, vendor_id)
    history = db.session.scalars(
        select(Review).where(Review.vendor_id == vendor.id).order_by(Review.id.desc())
    ).all()
    return render_template(
        "reviews/index.html",
        vendor=vendor,
        due=schedule_for(vendor, current_policy()),
        triggers=open_triggers(vendor),
        history=history,
        may_review=may_review(current_user, vendor),
        incident_form=IncidentForm(raised_on=local_today()),
    )


@bp.route("/vendors/<int:vendor_id>/reviews/new", methods=["GET", "POST"])
@allow(*REVIEWERS)
def create(vendor_id):
    vendor = reviewable_vendor_or_403(vendor_id)
    answers = vendor_answers(vendor.id)
    form = ReviewForm(completed_on=local_today(), answers_from=shown_questionnaire(answers))
    if form.validate_on_submit():
        conditions = form.condition_rows()
        if not any(entry.form.due_on.errors for entry in form.conditions):
            try:
                given = _input(form, conditions)
                review = complete_review(vendor, given, current_user, local_today())
                db.session.commit()
            except ReviewError as error:
                db.session.rollback()
                _show_error(form, error)
            else:
                flash(_("The review is recorded."), "success")
                return redirect(url_for("reviews.detail", review_id=review.id))
    return render_template(
        "reviews/create.html", vendor=vendor, form=form, checklist=CHECKLIST, answers=answers
    )


def _show_error(form: ReviewForm, error: ReviewError) -> None:
    """Next to its field where the form has one, else at the top of the page."""
    if error.field in ("completed_on", "evidence"):
        form[error.field].errors.append(str(error))
        return
    flash(str(error), "danger")
    for item in error.items:  # and beside each point it names
        form[f"decide_{item}"].errors.append(str(error))


def _input(form: ReviewForm, conditions) -> ReviewInput:
    uploads = [Upload(f.filename, f.read()) for f in form.evidence.data or [] if f and f.filename]
    return ReviewInput(
        outcome=Outcome(form.outcome.data),
        checklist=form.checklist(),
        notes=form.notes.data or "",
        conditions=conditions,
        evidence=uploads,
        completed_on=form.completed_on.data,
        decisions=form.decisions(),
        answers_from=form.shown_questionnaire(),
    )


@bp.route("/reviews/<int:review_id>")
@allow(*EVERYONE)
def detail(review_id):
    review = db.get_or_404(Review, review_id)
    record_view("review", review.id, review.vendor_id)
    return render_template(
        "reviews/detail.html",
        review=review,
        checklist=CHECKLIST,
        outcomes=OUTCOME_LABELS,
        may_review=may_review(current_user, review.vendor),
        confirm=ConfirmForm(),
    )


@bp.route("/reviews/evidence/<int:evidence_id>")
@allow(*EVERYONE)
def evidence(evidence_id):
    item = db.get_or_404(EvidenceFile, evidence_id)
    record_view("evidence_file", item.id, db.session.get(Review, item.review_id).vendor_id)
    return send_file(
        BytesIO(item.data),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=stored_name(item.filename),  # one stored before may name folders
    )


@bp.route("/reviews/conditions/<int:condition_id>/met", methods=["POST"])
@allow(*REVIEWERS)
def condition_met(condition_id):
    condition = db.get_or_404(ReviewCondition, condition_id)
    review = db.session.get(Review, condition.review_id)
    if not may_review(current_user, review.vendor):
        abort(403)
    if ConfirmForm().validate_on_submit():
        try:
            mark_condition_met(condition, current_user, local_today())
            db.session.commit()
            flash(_("The condition is marked as met."), "success")
        except ReviewError as error:
            db.session.rollback()
            flash(str(error), "danger")
    return redirect(url_for("reviews.detail", review_id=review.id))


@bp.route("/vendors/<int:vendor_id>/incidents", methods=["POST"])
@allow(*REVIEWERS)
def incident(vendor_id):
    vendor = reviewable_vendor_or_403(vendor_id)
    form = IncidentForm()
    if form.validate_on_submit():
        raise_trigger(
            vendor, TriggerKind.INCIDENT, form.detail.data, form.raised_on.data, current_user
        )
        db.session.commit()
        flash(_("The incident is recorded; the next review is brought forward."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("reviews.index", vendor_id=vendor.id))


@bp.route("/reviews/policy", methods=["GET", "POST"])
@allow(Role.ADMIN)
def policy():
    form = PolicyForm(obj=current_policy())
    if form.validate_on_submit():
        count = save_policy(
            {tier: form[f"months_{tier}"].data for tier in ("low", "medium", "high", "critical")}
        )
        db.session.commit()
        flash(_("The review policy is saved; %(n)s due dates were recomputed.", n=count), "success")
        return redirect(url_for("reviews.policy"))
    return render_template("reviews/policy.html", form=form)
