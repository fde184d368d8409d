"""Sign-in, first set-up, the user's own account, and user administration."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from vendortrack.accounts.access import allow, can, public, signed_in
from vendortrack.accounts.forms import AccountForm, LoginForm, PasswordForm, SetupForm, UserForm
from vendortrack.accounts.models import Role, User
from vendortrack.accounts.services import (
    AccountError,
    create_user,
    record_login,
    update_user,
)
from vendortrack.accounts.setup import installation_has_admin
from vendortrack.accounts.throttling import attempt_sign_in
from vendortrack.audit.recorder import record_view
from vendortrack.database import utcnow
from vendortrack.extensions import db, login_manager

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.login_message_category = "info"
# A session cookie taken to another browser or address is refused (Flask-Login's "strong").
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_id: str):
    """The user a session names, if it was opened with their current password and they are
    still active: changing a password or deactivating an account ends its sessions."""
    user_id, _, key = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or key != user.session_key:
        return None
    return user


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
        login_user(user)
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
            return throttled(form, attempt.locked_minutes)
        # One message for every failure, so the page never reveals which accounts exist.
        flash(_("Wrong email or password."), "danger")
        return render_template("accounts/login.html", form=form)
    login_user(attempt.user)
    record_login(attempt.user, now)
    db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("vendors.index")))


def throttled(form, minutes: int):
    # The password is not even checked: a right one must not get in, nor be told apart from a
    # wrong one; and the page is the same whether the account exists or not.
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(num)d minute.",
        "Too many failed sign-in attempts. Try again in %(num)d minutes.",
        minutes,
    )
    flash(message, "danger")
    return render_template("accounts/login.html", form=form), 429


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    logout_user()
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
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.language = form.language.data
        db.session.commit()
        flash(_("Your account is updated."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            current_user.set_password(form.password.data)
            db.session.commit()
            login_user(current_user._get_current_object())  # this session goes on; others end
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form)


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
    if form.validate_on_submit():
        changes = {
            "name": form.name.data.strip(),
            "email": form.email.data,
            "role": Role(form.role.data),
            "language": form.language.data,
            "active": form.active.data,
        }
        try:
            update_user(user, **changes)
            if form.password.data:
                user.set_password(form.password.data)
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
        else:
            flash(_("User %(name)s is updated.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=user)
