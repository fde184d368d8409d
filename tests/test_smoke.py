from vendortrack.accounts.models import Role


def test_vendor_list_renders(signed_in, create_vendor):
    create_vendor(name="Gestion Émile & Fils <inc>", sharings=[{"category": "health"}])
    client = signed_in(Role.ADMIN)
    response = client.get("/vendors/")
    assert response.status_code == 200
    assert "Gestion Émile &amp; Fils &lt;inc&gt;" in response.text
