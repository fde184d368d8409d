"""The vendor register's records: each vendor, what personal information goes to it, why, where
and for how long; its risk tier, the catalogue of categories, and the CSV format.

Below every feature that reads vendors (reviews, addenda, compliance ...). The pages and commands
through which people keep the register are vendortrack.vendors, above them all, since a vendor's
page shows its reviews, addenda and compliance."""
