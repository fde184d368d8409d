"""`flask --app vendortrack vendors refresh-risk`: the stored tiers follow a change of the rule's
inputs that no vendor edit would catch."""

from sqlalchemy import select

from vendortrack.extensions import db
from vendortrack.register.models import Level, Vendor


def tiers(app) -> dict[str, Level]:
    with app.app_context():
        return dict(db.session.execute(select(Vendor.name, Vendor.risk_tier)).all())


def test_moving_home_country_changes_the_cross_border_tiers(app, runner, create_vendor):
    contacts = {"category": "business_contact"}
    create_vendor(name="US cloud", sharings=[contacts | {"locations": ["US"]}])
    create_vendor(name="Local", sharings=[contacts | {"locations": ["CA-QC"]}])
    create_vendor(name="Overridden", risk_override=Level.CRITICAL)
    assert tiers(app) == {
        "US cloud": Level.HIGH,
        "Local": Level.MEDIUM,
        "Overridden": Level.CRITICAL,
    }

    app.config["HOME_COUNTRY"] = "US"
    result = runner.invoke(args=["vendors", "refresh-risk"])

    assert result.exit_code == 0, result.output
    assert "2 of 3 vendors changed tier." in result.output
    assert tiers(app) == {
        "US cloud": Level.MEDIUM,
        "Local": Level.HIGH,
        "Overridden": Level.CRITICAL,
    }
    again = runner.invoke(args=["vendors", "refresh-risk"])
    assert "0 of 3 vendors changed tier." in again.output
