"""Sign-in, first set-up, the user's own account, and user administration."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_url, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from vendortrack.accounts import sessions
from vendortrack.accounts.access import allow, can, public, signed_in
from vendortrack.accounts.forms import AccountForm, LoginForm, PasswordForm, SetupForm, UserForm
from vendortrack.accounts.models import Role, User
from vendortrack.accounts.services import (
    AccountError,
    create_user,
    end_sessions,
    record_login,
    update_user,
)
from vendortrack.accounts.sessions import Ending
from vendortrack.accounts.setup import installation_has_admin
from vendortrack.accounts.throttling import attempt_current_password, attempt_sign_in
from vendortrack.database import utcnow
from vendortrack.extensions import db, login_manager
from vendortrack.trail.recorder import record_view

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.login_message_category = "info"
# A session cookie taken to another browser or address is refused (Flask-Login's "strong").
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_id: str):
    """The user a session names, if it was opened with their current password and session
    counter, they are still active, and the session is within its time limits: changing a
    password, signing out, deactivating an account or waiting too long ends sessions."""
    user_id, _, key = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or key != user.session_key:
        return None
    if (over := sessions.resume()) is not None:
        session_ended(user, over)
        return None
    return user


def session_ended(user: User, over: Ending) -> None:
    sessions.end(user.language)
    if over is Ending.UNDATED:
        return
    # Told here rather than by the sign-in redirect: a public page (the home page) may be the
    # one that finds the session over. In the user's language, which the session then keeps;
    # forced, because choosing the language would ask Flask-Login for the user being loaded.
    with force_locale(user.language):
        flash(ended_message(over), "info")
    g.session_ended = True


def ended_message(over: Ending) -> str:
    config = current_app.config
    if over is Ending.IDLE:
        return ngettext(
            "Your session ended after %(num)d minute without activity. Please sign in again.",
            "Your session ended after %(num)d minutes without activity. Please sign in again.",
            config["SESSION_IDLE_MINUTES"],
        )
    return ngettext(
        "Your session ended %(num)d hour after you signed in. Please sign in again.",
        "Your session ended %(num)d hours after you signed in. Please sign in again.",
        config["SESSION_MAX_HOURS"],
    )


@login_manager.unauthorized_handler
def sign_in_first():
    # Flask-Login's own answer (the sign-in page, then back here), without its "Please sign in"
    # when the loader has just said why the session ended.
    if not g.get("session_ended"):
        flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def safe_next(target: str | None, fallback: str) -> str:
    """Follow ?next= only to a path on this site: never to another host (an open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    # Browsers read a backslash as a slash and drop tabs and newlines, so "/\\evil.example" and
    # "/\t/evil.example" lead to another host.
    if "\\" in target or not target.isprintable():
        return fallback
    return target


@bp.route("/")
@public
def home():
    # The managers' home is the dashboard; owners start from the vendors they look after.
    return redirect(url_for("dashboard.index" if can("dashboard.index") else "vendors.index"))


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup():
    if installation_has_admin():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data, form.name.data, Role.ADMIN, form.language.data, form.password.data
            )
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
            return render_template("accounts/setup.html", form=form)
        current_app.extensions["vendortrack_has_admin"] = True
        sessions.start(user)
        flash(_("Welcome. You are the first administrator of VendorTrack."), "success")
        return redirect(url_for("vendors.index"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    now = utcnow()
    attempt = attempt_sign_in(form.email.data, form.password.data, request.remote_addr, now)
    if attempt.user is None:
        db.session.commit()
        if attempt.locked_minutes is not None:
            return throttled("accounts/login.html", form, attempt.locked_minutes)
        # One message for every failure, so the page never reveals which accounts exist.
        flash(_("Wrong email or password."), "danger")
        return render_template("accounts/login.html", form=form)
    sessions.start(attempt.user)  # a new session: its CSRF secret too
    record_login(attempt.user, now)
    db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("vendors.index")))


def throttled(template: str, form, minutes: int):
    # The password is not even checked: a right one must not get in, nor be told apart from a
    # wrong one; and the page is the same whether the account exists or not.
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(num)d minute.",
        "Too many failed sign-in attempts. Try again in %(num)d minutes.",
        minutes,
    )
    flash(message, "danger")
    return render_template(template, form=form), 429


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    user = current_user._get_current_object()
    # This browser's session first, so that it ends even if the database fails below.
    sessions.end(user.language)
    logout_user()
    end_sessions(user)  # here and in every other browser: a copied cookie is worthless now
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language/<code>", methods=["POST"])
@public
def language(code):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["language"] = code
    if current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("accounts.home")))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    user = current_user._get_current_object()
    form = AccountForm(obj=user)
    if request.method == "GET":
        form.load_version(user)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(user, form.values()):
            return changed_meanwhile(form, user, changes, "accounts/account.html")
        try:
            update_user(user, **form.values())
            db.session.commit()
        except StaleDataError:
            db.session.rollback()  # a save came between the check and this one
            changes = form.changed_meanwhile(user, form.values())
            return changed_meanwhile(form, user, changes, "accounts/account.html")
        flash(_("Your account is updated."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


def changed_meanwhile(form, account: User, changes, template: str, **context):
    """Someone else saved the account since the form was loaded: nothing is written, the page
    shows what they changed and keeps the form as filled; saving again overwrites."""
    form.load_version(account)
    return render_template(template, form=form, changes=changes, **context), 409


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/password.html", form=form)
    user = current_user._get_current_object()
    # Counted as sign-in failures are: a stolen session must not allow more guesses.
    attempt = attempt_current_password(user, form.current.data, request.remote_addr, utcnow())
    if attempt.user is None:
        db.session.commit()
        if attempt.locked_minutes is not None:
            return throttled("accounts/password.html", form, attempt.locked_minutes)
        form.current.errors.append(_("This is not your current password."))
        return render_template("accounts/password.html", form=form)
    user.set_password(form.password.data)
    db.session.commit()
    login_user(user)  # this session goes on; others end
    flash(_("Your password is changed."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/users")
@allow(Role.ADMIN)
def users():
    rows = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("accounts/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data,
                form.name.data,
                Role(form.role.data),
                form.language.data,
                form.password.data or None,
            )
            user.active = form.active.data
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
        else:
            flash(_("User %(name)s is added.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id):
    user = db.get_or_404(User, user_id)
    record_view("user", user.id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.load_version(user)
    if form.validate_on_submit():
        if changes := form.changed_meanwhile(user, form.values()):
            return changed_meanwhile(form, user, changes, "accounts/user_form.html", user=user)
        try:
            update_user(user, **form.values())
            if form.password.data:
                user.set_password(form.password.data)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()  # a save came between the check and this one
            changes = form.changed_meanwhile(user, form.values())
            return changed_meanwhile(form, user, changes, "accounts/user_form.html", user=user)
        except AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
        else:
            flash(_("User %(name)s is updated.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=user)
