"""The audit trail's records: the entries, and the recorder that writes one for every change of a
tracked model (see recorder.track) and every view a page reports. Below every feature: each may
record, none is known here. The administrators' page that reads the trail is vendortrack.audit."""


def init_app(app) -> None:
    """Record every change of the tracked models, and save the views each request noted."""
    # Imported here rather than at the top: importing the models must not load the recorder's
    # request hooks, nor the rest of the app.
    from vendortrack.trail.recorder import register_audit

    register_audit(app)
