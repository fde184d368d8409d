"""The vendor list as one query: filters and sorting read from the URL, done by the database."""

from dataclasses import dataclass, field

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import contains_eager

from vendortrack.accounts.models import User
from vendortrack.database import MAX_INTEGER
from vendortrack.extensions import db
from vendortrack.forms import whole_number
from vendortrack.geography import is_country
from vendortrack.paging import Page, page_number
from vendortrack.register.catalogue import categories
from vendortrack.register.models import (
    DataSharing,
    Level,
    Vendor,
    VendorStatus,
    contact_email_hmac,
    name_key,
)

STATUS_ORDER = case({s.value: i for i, s in enumerate(VendorStatus)}, value=Vendor.status)
SORTS = {
    "name": Vendor.name_key,
    "status": STATUS_ORDER,
    "criticality": Vendor.criticality,
    "risk": Vendor.risk_tier,
    "owner": User.name,
    "country": Vendor.country,
    "contract_end": Vendor.contract_end,
    "review_due": Vendor.review_due_on,
    "updated": Vendor.updated_at,
}
NULLABLE_SORTS = {"owner", "contract_end", "review_due"}
FILTERS = ("q", "status", "criticality", "risk", "owner", "country", "category", "compliance")
# The compliance filter's values (the rules themselves, and the stored status, are
# vendortrack.compliance's).
COMPLIANCE = ("overdue", "action", "compliant")


@dataclass
class VendorFilter:
    """What the list shows, as read from the query string. Unknown values are dropped and named
    in `ignored`, so a stale bookmark shows a notice instead of an error."""

    q: str = ""
    status: VendorStatus | None = None
    criticality: Level | None = None
    risk: Level | None = None
    owner: int | None = None  # 0 means "no owner"
    country: str | None = None
    category: str | None = None
    compliance: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    def args(self, **changes) -> dict:
        """The query-string arguments that reproduce this view, with some changed."""
        values = {
            "q": self.q or None,
            "status": self.status.value if self.status else None,
            "criticality": self.criticality.code if self.criticality else None,
            "risk": self.risk.code if self.risk else None,
            "owner": self.owner,
            "country": self.country,
            "compliance": self.compliance,
            "category": self.category,
            "sort": self.sort if self.sort != "name" else None,
            "dir": "desc" if self.descending else None,
            "page": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def audited_args(self) -> dict:
        """The arguments as the audit trail records them: a search for a contact's email is
        personal information kept encrypted everywhere else, so the trail says only that."""
        values = self.args()
        if "@" in values.get("q", ""):
            values["q"] = "(a contact's email)"
        return values

    @property
    def active(self) -> bool:
        return any(getattr(self, name) not in (None, "") for name in FILTERS)


def parse_filter(args) -> VendorFilter:
    """Read the list's filters from request arguments, ignoring what is not understood."""
    # NUL is invisible and PostgreSQL takes none, even to search with: the search is for what
    # the person sees.
    f = VendorFilter(q=(args.get("q") or "").replace("\x00", "").strip()[:200])
    _parse_choice(f, args, "status", VendorStatus)
    _parse_level(f, args, "criticality")
    _parse_level(f, args, "risk")
    owner = args.get("owner")
    if owner:
        f.owner = whole_number(owner)
        # A larger number names nobody, and PostgreSQL would refuse to compare it with an id.
        if f.owner is None or f.owner > MAX_INTEGER:
            f.owner = None
            f.ignored.append("owner")
    country = (args.get("country") or "").strip().upper()
    _keep_if(f, "country", country, is_country)
    _keep_if(f, "category", args.get("category"), lambda code: code in categories())
    _keep_if(f, "compliance", args.get("compliance"), lambda status: status in COMPLIANCE)
    sort = args.get("sort", "name")
    if sort in SORTS:
        f.sort = sort
    else:
        f.ignored.append("sort")
    f.descending = args.get("dir") == "desc"
    f.page = max(whole_number(args.get("page", "1")) or 1, 1)
    return f


def _keep_if(f: VendorFilter, name: str, value: str | None, allowed) -> None:
    """Set the filter from a value the address gave, if allowed(value); else name it ignored."""
    if not value:
        return
    if allowed(value):
        setattr(f, name, value)
    else:
        f.ignored.append(name)


def _parse_choice(f: VendorFilter, args, name: str, enum_class) -> None:
    value = args.get(name)
    if value:
        try:
            setattr(f, name, enum_class(value))
        except ValueError:
            f.ignored.append(name)


def _parse_level(f: VendorFilter, args, name: str) -> None:
    value = args.get(name)
    if value:
        try:
            setattr(f, name, Level.from_code(value))
        except KeyError:
            f.ignored.append(name)


def conditions(f: VendorFilter) -> list:
    where = []
    if f.q:
        where.append(search_condition(f.q))
    if f.status:
        where.append(Vendor.status == f.status)
    if f.criticality:
        where.append(Vendor.criticality == f.criticality)
    if f.risk:
        where.append(Vendor.risk_tier == f.risk)
    if f.owner is not None:
        where.append(Vendor.owner_id.is_(None) if f.owner == 0 else Vendor.owner_id == f.owner)
    if f.country:
        where.append(Vendor.country == f.country)
    if f.compliance:
        where.append(Vendor.compliance_status == f.compliance)
    if f.category:
        shares = exists().where(
            DataSharing.vendor_id == Vendor.id, DataSharing.category == f.category
        )
        where.append(shares)
    return where


def search_condition(q: str):
    """Vendors whose name contains the words; or, for an email address, whose contact has
    exactly that address.

    Contacts are encrypted, so an address is matched whole (any case) through its keyed hash;
    parts of an address, contact names and phone numbers cannot be searched.
    """
    by_name = Vendor.name_key.contains(name_key(q), autoescape=True)
    if "@" not in q:
        return by_name
    return or_(by_name, Vendor.contact_email_hmac == contact_email_hmac(q))


def vendor_query(f: VendorFilter) -> Select:
    """Vendors matching the filter, sorted, with their owner loaded in the same query."""
    order = SORTS[f.sort]
    # Vendors without a contract end or an owner go last whichever way the column is sorted,
    # on every database (SQLite puts NULL first when ascending, PostgreSQL when descending).
    order = order.desc() if f.descending else order.asc()
    if f.sort in NULLABLE_SORTS:
        order = order.nulls_last()
    return (
        select(Vendor)
        .outerjoin(Vendor.owner)
        .options(contains_eager(Vendor.owner))
        .where(*conditions(f))
        .order_by(order, Vendor.id)
    )


def list_vendors(f: VendorFilter, per_page: int) -> Page:
    """One page of the list: two queries (count and rows), whatever the size of the register.
    The compliance filter reads the stored status: bring it up to date first
    (vendortrack.compliance.register.vendor_page does)."""
    total = db.session.scalar(select(func.count()).select_from(Vendor).where(*conditions(f)))
    page = page_number(f.page, total, per_page)
    rows = db.session.scalars(vendor_query(f).limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows.unique()), total, page, per_page)
