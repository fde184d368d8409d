"""`flask --app vendortrack users create EMAIL --role ROLE`, the password piped on stdin."""

from sqlalchemy import select

from tests.helpers import count
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db

PASSWORD = "a long enough password"


def create(runner, email, role="legal", password=PASSWORD):
    return runner.invoke(args=["users", "create", email, "--role", role], input=f"{password}\n")


def test_creates_a_user_who_can_sign_in(app, runner):
    # An administrator: on an empty installation the first account must be one (see test_setup).
    result = create(runner, "New.Person@Example.org", role="admin")
    assert result.exit_code == 0, result.output
    assert "Created admin new.person@example.org." in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.name, user.role) == (
            "new.person@example.org",
            "New.Person",
            Role.ADMIN,
        )
    client = app.test_client()
    client.post("/login", data={"email": "new.person@example.org", "password": PASSWORD})
    assert client.get("/vendors/").status_code == 200


def test_short_password_is_refused(app, runner):
    result = create(runner, "someone@example.org", password="short")
    assert result.exit_code != 0
    assert "Password refused: Use at least 10 characters." in result.output
    with app.app_context():
        assert count(User) == 0


def test_email_as_password_is_refused(app, runner):
    result = create(runner, "someone@example.org", password="someone@example.org")
    assert result.exit_code != 0
    assert "Do not use your email address as your password." in result.output
    with app.app_context():
        assert count(User) == 0


def test_duplicate_email_is_refused_whatever_its_case(app, runner, create_user):
    create_user(Role.OWNER, email="taken@example.org", password=None)
    result = create(runner, "TAKEN@example.org")
    assert result.exit_code != 0
    assert "A user with this email address already exists." in result.output
    with app.app_context():
        assert count(User) == 1


def test_unknown_role_is_refused(app, runner):
    result = create(runner, "someone@example.org", role="superuser")
    assert result.exit_code == 2
    assert "'superuser' is not one of" in result.output
    with app.app_context():
        assert count(User) == 0


def test_invalid_email_is_refused(app, runner):
    result = create(runner, "not-an-email")
    assert result.exit_code != 0
    assert "Enter a valid email address." in result.output
    with app.app_context():
        assert count(User) == 0


def test_a_name_with_a_line_break_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "legal", "--name", "Ann\nBcc: x"],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 2
    assert "remove the line breaks or control characters" in result.output
    with app.app_context():
        assert count(User) == 0
