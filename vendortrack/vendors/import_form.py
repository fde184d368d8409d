"""The form that uploads a CSV file of vendors to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from vendortrack.forms import Form


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        description=_l("UTF-8 text, with the columns listed below in the first row."),
        validators=[
            FileRequired(message=_l("Choose the CSV file to import.")),
            FileAllowed(
                ["csv", "txt"],
                message=_l("Choose a .csv file; save a spreadsheet as “CSV UTF-8” first."),
            ),
        ],
    )
