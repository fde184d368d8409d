"""The questionnaire library, for those who will send its sets to vendors: each set, and its
questions as the vendor will read them, in either language."""

from flask import Blueprint, abort, current_app, render_template, request

from vendortrack.accounts.access import EVERYONE, allow
from vendortrack.i18n import current_language
from vendortrack.questionnaires.library import LANGUAGES

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires")


def library():
    return current_app.extensions["questionnaires"]


@bp.route("/")
@allow(*EVERYONE)
def index():
    return render_template("questionnaires/index.html", sets=library().ordered())


@bp.route("/<set_id>")
@allow(*EVERYONE)
def preview(set_id):
    question_set = library().sets.get(set_id)
    if question_set is None:
        abort(404)
    # The vendor may read it in the other language: so may whoever sends it.
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else current_language()
    return render_template("questionnaires/preview.html", set=question_set, lang=lang)
