"""Compliance: each vendor judged on the rules in rules.py, with the reasons."""


def init_app(app) -> None:
    """Keep the stored statuses current, register the `compliance` commands, and give templates
    the labels of the statuses and of the reasons."""
    # Imported here rather than at the top: importing one module of the package (its models,
    # a pure helper) must not load its pages and commands, nor the rest of the app.
    from vendortrack.compliance.cli import compliance_cli
    from vendortrack.compliance.rules import REASON_LABELS, STATUS_LABELS
    from vendortrack.compliance.stored import keep_current

    keep_current(app)
    app.cli.add_command(compliance_cli)

    app.jinja_env.globals.update(
        COMPLIANCE_LABELS=STATUS_LABELS, COMPLIANCE_REASON_LABELS=REASON_LABELS
    )
