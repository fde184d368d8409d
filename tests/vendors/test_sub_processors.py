"""A vendor's sub-processors: the list its addendum approves, kept on the vendor's page."""

from sqlalchemy import select

from vendortrack.accounts.models import Role
from vendortrack.extensions import db
from vendortrack.register.models import SubProcessor, Vendor
from vendortrack.trail.models import AuditEntry

HOST = {
    "name": "Nuage Hébergement inc.",
    "address": "1 place Ville-Marie\nMontréal (Québec)",
    "processing": "Hosts the database",
    "processing_fr": "Héberge la base de données",
    "location": "ca-qc ",
}


def listed(app, vendor_id) -> list[tuple[str, str]]:
    with app.app_context():
        return [(s.name, s.location) for s in db.session.get(Vendor, vendor_id).sub_processors]


def test_the_owner_lists_a_sub_processor_and_the_trail_records_it(app, signed_in, create_vendor):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(owner_id=owner.user.id)
    response = owner.post(f"/vendors/{vendor.id}/sub-processors/new", data=HOST)
    assert response.status_code == 302
    assert listed(app, vendor.id) == [("Nuage Hébergement inc.", "CA-QC")]
    page = owner.get(response.location).text
    assert "The sub-processor is saved." in page
    assert "Hosts the database" in page
    assert "Québec" in page
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(entity="sub_processor"))
        assert (entry.action, entry.vendor_id) == ("create", vendor.id)


def test_edit_and_remove_a_sub_processor(app, signed_in, create_vendor):
    editor = signed_in(Role.LEGAL)
    vendor = create_vendor(sub_processors=[{}, {"name": "Courriel Express", "location": "IE"}])
    first, second = vendor.sub_processors
    edit = f"/vendors/{vendor.id}/sub-processors/{first.id}/edit"
    form = editor.get(edit).text
    version = form.split('name="version" type="hidden" value="')[1].split('"')[0]
    response = editor.post(edit, data=HOST | {"location": "US-VA", "version": version})
    assert response.status_code == 302
    assert listed(app, vendor.id) == [
        ("Nuage Hébergement inc.", "US-VA"),
        ("Courriel Express", "IE"),
    ]
    editor.post(f"/vendors/{vendor.id}/sub-processors/{second.id}/delete")
    assert listed(app, vendor.id) == [("Nuage Hébergement inc.", "US-VA")]


def test_a_sub_processor_listed_twice_is_refused(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor(sub_processors=[{"name": "Nuage Hébergement inc."}])
    response = editor.post(
        f"/vendors/{vendor.id}/sub-processors/new", data=HOST | {"name": "nuage hebergement INC."}
    )
    assert response.status_code == 200
    assert "already listed for this vendor" in response.text
    assert len(listed(app, vendor.id)) == 1


def test_bad_input_is_explained_in_french_and_saves_nothing(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER, language="fr")
    vendor = create_vendor()
    response = editor.post(
        f"/vendors/{vendor.id}/sub-processors/new",
        data={"name": " ", "processing": "", "location": "ZZ-99"},
    )
    assert response.status_code == 200
    text = response.text
    assert "Indiquez la dénomination sociale du sous-traitant ultérieur." in text
    assert "Code de pays ou de région inconnu" in text
    assert listed(app, vendor.id) == []


def test_an_owner_cannot_change_the_list_of_a_vendor_they_do_not_own(app, signed_in, create_vendor):
    owner = signed_in(Role.OWNER)
    vendor = create_vendor(sub_processors=[{}])
    (sub,) = vendor.sub_processors
    assert owner.post(f"/vendors/{vendor.id}/sub-processors/new", data=HOST).status_code == 403
    assert owner.post(f"/vendors/{vendor.id}/sub-processors/{sub.id}/delete").status_code == 403
    assert "Add a sub-processor" not in owner.get(f"/vendors/{vendor.id}").text
    assert len(listed(app, vendor.id)) == 1


def test_a_sub_processor_of_another_vendor_is_not_found(app, signed_in, create_vendor):
    editor = signed_in(Role.ADMIN)
    one, other = create_vendor(), create_vendor(sub_processors=[{}])
    url = f"/vendors/{one.id}/sub-processors/{other.sub_processors[0].id}/edit"
    assert editor.get(url).status_code == 404


def test_the_list_goes_with_its_vendor(app, create_vendor):
    vendor = create_vendor(sub_processors=[{}])
    with app.app_context():
        db.session.delete(db.session.get(Vendor, vendor.id))
        db.session.commit()
        assert db.session.scalars(select(SubProcessor)).all() == []


def test_confirming_none_is_refused_while_some_are_listed_and_listing_one_ends_it(
    app, signed_in, create_vendor
):
    from tests.vendors.test_views import VENDOR

    editor = signed_in(Role.ADMIN)
    vendor = create_vendor(sub_processors=[{}])
    response = editor.post(f"/vendors/{vendor.id}/edit", data=VENDOR | {"no_sub_processors": "y"})
    assert response.status_code == 200
    assert "Sub-processors are listed for this vendor" in response.text
    bare = create_vendor()  # the factory confirms "none" for a vendor given no list
    editor.post(f"/vendors/{bare.id}/sub-processors/new", data=HOST)
    with app.app_context():
        assert db.session.get(Vendor, bare.id).no_sub_processors is False


def test_the_card_says_whether_none_is_confirmed_and_adding_one_withdraws_it(
    app, signed_in, create_vendor
):
    editor = signed_in(Role.LEGAL)
    confirmed = create_vendor()  # the factory confirms "none" for a vendor given no list
    page = editor.get(f"/vendors/{confirmed.id}").text
    assert "Confirmed: the vendor engages no sub-processor." in page
    response = editor.post(f"/vendors/{confirmed.id}/sub-processors/new", data=HOST)
    page = editor.get(response.location).text
    assert "The confirmation that the vendor engages no sub-processor is withdrawn." in page
    unconfirmed = create_vendor(no_sub_processors=False)
    page = editor.get(f"/vendors/{unconfirmed.id}").text
    assert "nobody has confirmed that the vendor engages none" in page
    assert f'href="/vendors/{unconfirmed.id}/edit#no_sub_processors"' in page
    # The box's help says what ticking it does.
    assert (
        "its addendum then says it engages none"
        in editor.get(f"/vendors/{unconfirmed.id}/edit").text
    )


def test_a_place_no_data_sharing_allows_is_saved_with_a_warning(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor(sharings=[{"locations": ["US-VA"]}])
    response = editor.post(
        f"/vendors/{vendor.id}/sub-processors/new", data=HOST | {"location": "US"}
    )
    page = editor.get(response.location).text
    assert "No data sharing row lists United States" in page
    allowed = editor.post(
        f"/vendors/{vendor.id}/sub-processors/new",
        data=HOST | {"name": "Virginia Host LLC", "location": "US-VA"},
    )
    assert "No data sharing row lists" not in editor.get(allowed.location).text


def test_two_places_in_one_are_refused_as_such(app, signed_in, create_vendor):
    editor = signed_in(Role.MANAGER)
    vendor = create_vendor()
    response = editor.post(
        f"/vendors/{vendor.id}/sub-processors/new", data=HOST | {"location": "US, CA"}
    )
    assert "Enter one code only, such as US-VA." in response.text
    assert listed(app, vendor.id) == []
