"""The shared form base: what every field of every form refuses before its own checks."""

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField
from wtforms.widgets import TextArea

from tests.helpers import count
from vendortrack.accounts.models import Role, User
from vendortrack.extensions import db
from vendortrack.forms import Form
from vendortrack.register.models import Vendor

ONE_LINE = "Remove the line breaks or control characters from this field."
ONE_LINE_FR = "Retirez les sauts de ligne et les caractères de contrôle de ce champ."
# Characters that end a line, or that nobody types in a name, as digests and exports would
# show them: line feed, carriage return, tab, escape, next line (NEL), and Unicode's line and
# paragraph separators.
BREAKS = ["\n", "\r\n", "\t", "\x1b", "\x85", "\u2028", "\u2029"]
VENDOR = {"name": "Acme", "country": "CA", "status": "active", "criticality": "low"}
# The one-line boxes a browser shows: a line break cannot be typed into them, so one that
# arrives was pasted in elsewhere or sent by a script. Passwords are left out on purpose: they
# are never shown to anybody, and refusing a character at sign-in could lock out an account
# whose password already holds one.
ONE_LINE_INPUTS = frozenset({"text", "email", "url", "search", "tel", "hidden"})


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_a_vendor_name_with_a_line_break_is_refused_next_to_the_field(
    app, signed_in, field_errors, char
):
    response = signed_in(Role.MANAGER).post(
        "/vendors/new", data=VENDOR | {"name": f"Acme{char}Subject: urgent"}
    )
    assert response.status_code == 200
    assert field_errors(response.text, "name") == [ONE_LINE]
    with app.app_context():
        assert count(Vendor) == 0


def test_editing_a_vendor_name_into_two_lines_is_refused(
    app, signed_in, create_vendor, field_errors
):
    vendor = create_vendor(name="Acme")
    response = signed_in(Role.MANAGER).post(
        f"/vendors/{vendor.id}/edit", data=VENDOR | {"name": "Acme\nPay now"}
    )
    assert field_errors(response.text, "name") == [ONE_LINE]
    with app.app_context():
        assert db.session.get(Vendor, vendor.id).name == "Acme"


def test_every_one_line_field_of_a_form_says_so(signed_in, field_errors):
    data = VENDOR | {"legal_name": "A\tB", "contact_name": "Nadia\r\nX", "website": "https://a\n"}
    response = signed_in(Role.MANAGER).post("/vendors/new", data=data)
    for name in ("legal_name", "contact_name", "website"):
        assert field_errors(response.text, name) == [ONE_LINE], name
    assert field_errors(response.text, "name") == []


def test_a_french_user_reads_the_refusal_in_french(signed_in, field_errors):
    response = signed_in(Role.MANAGER, language="fr").post(
        "/vendors/new", data=VENDOR | {"name": "Acme\nX"}
    )
    assert field_errors(response.text, "name") == [ONE_LINE_FR]


def test_a_user_name_with_a_line_break_is_refused_on_every_form_that_takes_one(
    app, signed_in, create_user, field_errors
):
    admin = signed_in(Role.ADMIN)
    someone = create_user(Role.OWNER, name="Olive")
    new_user = {"name": "Lea\nLegal", "email": "lea@example.org", "role": "legal"}
    answers = {
        "new user": admin.post("/users/new", data=new_user | {"language": "en"}),
        "user edit": admin.post(
            f"/users/{someone.id}/edit",
            data={"name": "Olive\u2028Owner", "email": someone.email, "role": "owner"},
        ),
        "own account": admin.post("/account", data={"name": "Me\r\nAdmin", "language": "en"}),
    }
    for what, response in answers.items():
        assert response.status_code == 200, what
        assert field_errors(response.text, "name") == [ONE_LINE], what
    with app.app_context():
        names = set(db.session.scalars(select(User.name)))
        assert not any("\n" in n or "\u2028" in n for n in names)
        assert count(User) == 2


def test_multi_line_text_keeps_its_line_breaks(app, signed_in):
    notes = "Signed by the board.\r\nRenewal:\tin March.\n\nAsk Nadia."
    response = signed_in(Role.MANAGER).post(
        "/vendors/new", data=VENDOR | {"notes": notes, "services": "Payroll\nBenefits"}
    )
    assert response.status_code == 302
    with app.app_context():
        vendor = db.session.scalar(select(Vendor))
        assert vendor.notes == notes
        assert vendor.services == "Payroll\nBenefits"


# --- Every form, every field ----------------------------------------------------------------


def all_forms() -> list[type[Form]]:
    found, pending = [], [Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def leaf_fields(fields):
    """The fields that take a value, inside lists and sub-forms too (a review's conditions)."""
    for field in fields:
        if isinstance(field, FieldList):
            yield from leaf_fields(field.entries)
        elif isinstance(field, FormField):
            yield from leaf_fields(field.form)
        else:
            yield field


def refuses_a_line_break(form_class, name: str) -> bool:
    form = form_class(formdata=MultiDict({name: "first line\nsecond line"}))
    form.validate()
    field = next(f for f in leaf_fields(form) if f.name == name)
    return ONE_LINE in [str(error) for error in field.errors]


def test_every_one_line_field_of_every_form_refuses_line_breaks(app):
    """A form added later gets the check from the base, whatever its fields' classes."""
    one_line, multi_line, wrong = [], [], []
    with app.test_request_context():
        forms = all_forms()
        for form_class in forms:
            for field in leaf_fields(form_class()):
                kind = getattr(field.widget, "input_type", None)
                is_text_area = isinstance(field.widget, TextArea)
                if kind not in ONE_LINE_INPUTS and not is_text_area:
                    continue  # dates, numbers, choices, files: no free text to check
                where = f"{form_class.__name__}.{field.name}"
                (multi_line if is_text_area else one_line).append(where)
                if refuses_a_line_break(form_class, field.name) == is_text_area:
                    wrong.append(where)
    assert wrong == []
    names = {form.__name__ for form in forms}
    assert {"VendorForm", "UserForm", "AccountForm", "SettingsForm", "SharingForm"} <= names
    assert {"VendorForm.name", "UserForm.name", "SharingForm.locations"} <= set(one_line)
    assert {"VendorForm.notes", "ReviewForm.conditions-0-text"} <= set(multi_line)
