"""The sample register: an invented Québec organisation's vendors, as plain data.

The organisation runs sports centres in Québec, with a physiotherapy clinic, day camps, a member
portal and an online shop, so its vendors touch every category of the catalogue. Every company,
person, address and number here is invented; websites use the reserved .example domain.

The organisation's own settings (its name, address, privacy officer) are in
vendortrack/organisation/sample.py: that feature recognises them once loaded.

Dates are days relative to the day the sample is loaded, so that "the contract ends soon" stays
true whenever someone loads it.
"""

from dataclasses import dataclass

from vendortrack.accounts.models import Role
from vendortrack.register.models import ConsentBasis, Level, VendorStatus

EXPRESS, IMPLIED, OPT_OUT = ConsentBasis.EXPRESS, ConsentBasis.IMPLIED, ConsentBasis.OPT_OUT
PROSPECT, ACTIVE = VendorStatus.PROSPECT, VendorStatus.ACTIVE
OFFBOARDING, TERMINATED = VendorStatus.OFFBOARDING, VendorStatus.TERMINATED
LOW, MEDIUM, HIGH, CRITICAL = Level.LOW, Level.MEDIUM, Level.HIGH, Level.CRITICAL


@dataclass(frozen=True)
class SampleUser:
    email: str
    name: str
    role: Role
    language: str


@dataclass(frozen=True)
class SampleSharing:
    category: str
    subjects: tuple[str, ...]
    purpose: str
    locations: tuple[str, ...]
    consent: ConsentBasis
    retention_months: int | None  # None: kept until the contract ends
    records: int | None
    quebec: bool = True  # the organisation is in Québec: most information is about Quebecers
    eu: bool = False
    california: bool = False
    since: int | None = None  # days from the load date; None: since the contract started


@dataclass(frozen=True)
class SampleAssessment:
    """A Québec privacy impact assessment (s. 17): when, and the measures agreed, a line each."""

    completed: int  # days from the load date
    measures_en: str
    measures_fr: str


@dataclass(frozen=True)
class SampleSubProcessor:
    """A company the vendor entrusts with part of the work, in the list its addendum approves."""

    name: str
    address: str
    processing: str
    processing_fr: str
    location: str


@dataclass(frozen=True)
class SampleVendor:
    name: str
    legal_name: str
    website: str
    country: str
    subdivision: str | None
    services: str
    status: VendorStatus
    criticality: Level
    owner: str | None  # a SampleUser's email
    contact: tuple[str, str, str]  # name, email, phone
    contract_reference: str | None
    start: int | None  # contract start and end, in days from the load date
    end: int | None
    notice_days: int | None
    auto_renewal: bool
    notes: str
    sharings: tuple[SampleSharing, ...]
    address: str = ""  # invented, as every name here
    pia: SampleAssessment | None = None
    sub_processors: tuple[SampleSubProcessor, ...] = ()
    no_sub_processors: bool = False  # confirmed with the vendor: it engages none


HR = "mc.tremblay@example.org"
IT = "jf.gagnon@example.org"
PRIVACY = "priya.raman@example.org"
MARKETING = "olivier.bouchard@example.org"
FINANCE = "sarah.oconnor@example.org"
OPERATIONS = "etienne.roy@example.org"

USERS = (
    SampleUser(HR, "Marie-Claude Tremblay", Role.OWNER, "fr"),
    SampleUser(IT, "Jean-François Gagnon", Role.MANAGER, "fr"),
    SampleUser(PRIVACY, "Priya Raman", Role.LEGAL, "en"),  # the sample settings' privacy officer
    SampleUser(MARKETING, "Olivier Bouchard", Role.OWNER, "fr"),
    SampleUser(FINANCE, "Sarah O'Connor", Role.MANAGER, "en"),
    SampleUser(OPERATIONS, "Étienne Roy", Role.OWNER, "fr"),
)

VENDORS = (
    SampleVendor(
        name="Services informatiques Lévesque & Fils",
        legal_name="Services informatiques Lévesque & Fils inc.",
        website="https://levesque-fils.example", country="CA", subdivision="CA-QC",
        address="137, rue Saint-Denis\nMontréal (Québec)  H2X 3K8",
        services="Managed IT support: help desk, workstation and server administration, "
        "Microsoft 365 administration, after-hours monitoring.",
        status=ACTIVE, criticality=HIGH, owner=IT,
        contact=("Denis Lévesque", "denis@levesque-fils.example", "+1 514 555-0142"),
        contract_reference="SL-2021-007", start=-1460, end=75, notice_days=60, auto_renewal=True,
        notes="Renews for another year unless we give 60 days' notice. Remote access to every "
        "workstation through their monitoring agent; their administrator accounts are personal "
        "and use multi-factor authentication.",
        sharings=(
            SampleSharing("account_credentials", ("employees",),
                          "Reset passwords and administer staff accounts.",
                          ("CA-QC",), IMPLIED, None, 420),
            SampleSharing("communications", ("employees", "customers"),
                          "Open mailboxes and shared drives while troubleshooting, at the "
                          "user's request.", ("CA-QC",), IMPLIED, 1, 420),
        ),
    ),
    SampleVendor(
        name="Déchiquetage Sécur-Doc", legal_name="Déchiquetage Sécur-Doc inc.",
        website="https://securdoc.example", country="CA", subdivision="CA-QC",
        address="174, boulevard Laurier\nQuébec (Québec)  G1V 2L8",
        services="On-site shredding of paper records from locked bins every two weeks, with "
        "certificates of destruction.",
        status=ACTIVE, criticality=LOW, owner=OPERATIONS,
        contact=("Nathalie Côté", "ncote@securdoc.example", "+1 450 555-0177"),
        contract_reference="SD-2023-002", start=-700, end=395, notice_days=30, auto_renewal=True,
        notes="Certificates of destruction are filed in the shared drive under Finance.",
        sharings=(
            SampleSharing("employee_records", ("employees", "job_applicants"),
                          "Destroy paper HR files and printed résumés at the end of their "
                          "retention period.", ("CA-QC",), IMPLIED, 1, 3000),
            SampleSharing("financial", ("customers", "supplier_contacts"),
                          "Destroy printed invoices, cheques and card-payment slips.",
                          ("CA-QC",), IMPLIED, 1, 12000),
        ),
    ),
    SampleVendor(
        name="Horizon Paie", legal_name="Solutions de paie Horizon inc.",
        website="https://horizon-paie.example", country="CA", subdivision="CA-QC",
        address="211, rue King Ouest\nSherbrooke (Québec)  J1H 1P4",
        services="Payroll for all staff, T4 and RL-1 slips, records of employment, remittance of "
        "source deductions.",
        status=ACTIVE, criticality=CRITICAL, owner=HR,
        contact=("Sylvie Bergeron", "sbergeron@horizon-paie.example", "+1 418 555-0163"),
        contract_reference="PAIE-2019-001", start=-2200, end=200, notice_days=90,
        auto_renewal=True,
        notes="The disaster-recovery copy is kept in their Toronto data centre: Québec "
        "employees' information is processed outside Québec (covered by the 2022 privacy "
        "impact assessment).",
        pia=SampleAssessment(
            -1500,
            "The Toronto copy is encrypted at rest, with keys held in Québec.\n"
            "Only the disaster-recovery team can reach the Toronto copy, and each access is "
            "logged.",
            "La copie de Toronto est chiffrée au repos, avec des clés conservées au Québec.\n"
            "Seule l’équipe de reprise après sinistre a accès à la copie de Toronto, et chaque "
            "accès est journalisé.",
        ),
        sub_processors=(
            SampleSubProcessor(
                "Centre de données Laurentien inc.", "90, rue Peel, Montréal (Québec)  H3C 2G4",
                "Hosts the payroll application and its database.",
                "Héberge l’application de paie et sa base de données.", "CA-QC",
            ),
            SampleSubProcessor(
                "Lakeshore Recovery Ltd.", "151 Front Street West, Toronto ON  M5J 2N1",
                "Keeps the encrypted disaster-recovery copy.",
                "Conserve la copie chiffrée de reprise après sinistre.", "CA-ON",
            ),
        ),
        sharings=(
            SampleSharing("employee_records", ("employees",),
                          "Calculate and pay salaries, vacation and deductions; issue tax slips.",
                          ("CA-QC", "CA-ON"), IMPLIED, 84, 1250),
            SampleSharing("government_identifiers", ("employees",),
                          "Social insurance numbers, required on T4 and RL-1 slips.",
                          ("CA-QC", "CA-ON"), EXPRESS, 84, 1250),
            SampleSharing("financial", ("employees",), "Bank accounts for direct deposit.",
                          ("CA-QC", "CA-ON"), EXPRESS, None, 1250),
        ),
    ),
    SampleVendor(
        name="Cumulus Compute", legal_name="Cumulus Compute, Inc.",
        website="https://cumulus-compute.example", country="US", subdivision="US-WA",
        address="248 Fifth Avenue\nSeattle, WA 98104",
        services="Cloud hosting of the member portal, the online shop and their databases "
        "(Montréal region), with backups in Oregon.",
        status=ACTIVE, criticality=CRITICAL, owner=IT,
        contact=("Canadian accounts team", "canada@cumulus-compute.example", "+1 206 555-0190"),
        contract_reference="CUM-ENT-88412", start=-1100, end=None, notice_days=30,
        auto_renewal=False,
        notes="Standard online terms with a data processing addendum. Backups are replicated to "
        "Oregon, so members' information leaves Canada.",
        sharings=(
            SampleSharing("identity_contact", ("customers",),
                          "Host the member database behind the portal and the online shop.",
                          ("CA-QC", "US-OR"), IMPLIED, None, 240_000, california=True),
            SampleSharing("account_credentials", ("customers",),
                          "Host members' portal sign-in (hashed passwords, security questions).",
                          ("CA-QC", "US-OR"), IMPLIED, None, 185_000),
            SampleSharing("purchase_history", ("customers",),
                          "Host orders, memberships and class bookings.",
                          ("CA-QC", "US-OR"), IMPLIED, None, 240_000, california=True),
        ),
    ),
    SampleVendor(
        name="Pipelane CRM", legal_name="Pipelane Software, Inc.",
        website="https://pipelane.example", country="US", subdivision="US-CA",
        address="285 Market Street\nSan Francisco, CA 94105",
        services="CRM for corporate memberships and partnerships: accounts, contacts, "
        "opportunities and logged emails.",
        status=ACTIVE, criticality=HIGH, owner=MARKETING,
        contact=("Megan Alvarez", "m.alvarez@pipelane.example", "+1 415 555-0118"),
        contract_reference="PL-2022-3391", start=-800, end=130, notice_days=30, auto_renewal=True,
        notes="Annual subscription, 25 seats. Hosted in California; their list of "
        "sub-processors is reviewed at each renewal.",
        sub_processors=(
            SampleSubProcessor(
                "Golden Gate Compute, Inc.", "500 Terry Francine Street, San Francisco, CA 94158",
                "Hosts the CRM and its database.",
                "Héberge le GRC et sa base de données.", "US-CA",
            ),
        ),
        sharings=(
            SampleSharing("business_contact", ("prospects", "customers", "supplier_contacts"),
                          "Manage corporate-membership prospects and partner contacts.",
                          ("US-CA",), IMPLIED, None, 9500, california=True),
            SampleSharing("communications", ("prospects", "customers"),
                          "Log sales emails and meeting notes against each account.",
                          ("US-CA",), IMPLIED, 36, 22_000, california=True),
            SampleSharing("marketing_preferences", ("prospects",),
                          "Record which contacts agreed to receive the corporate newsletter.",
                          ("US-CA",), EXPRESS, None, 9500, california=True, since=-400),
        ),
    ),
    SampleVendor(
        name="Mailroost", legal_name="Mailroost Limited",
        website="https://mailroost.example", country="IE", subdivision="IE-D",
        address="322 Sir John Rogerson's Quay\nDublin 2, D02 X576, Ireland",
        services="Email newsletters and promotions, subscription forms, open and click tracking.",
        status=ACTIVE, criticality=MEDIUM, owner=MARKETING,
        contact=("Aoife Brennan", "aoife.brennan@mailroost.example", "+353 1 555 0134"),
        contract_reference="MR-ENT-2023-118", start=-600, end=130, notice_days=30,
        auto_renewal=True,
        notes="Every list records where its consent came from (CASL). Unsubscribes are copied "
        "back to the CRM every night. Some subscribers are visitors from France and Belgium.",
        sub_processors=(
            SampleSubProcessor(
                "Bluewater Cloud Services LLC", "1 Loudoun Tech Center, Ashburn, VA 20147",
                "Hosts the subscriber lists and sends the emails.",
                "Héberge les listes d’abonnés et envoie les courriels.", "US-VA",
            ),
            SampleSubProcessor(
                "Liffey Support Desk Ltd.", "8 Hanover Quay, Dublin 2, D02 DP23, Ireland",
                "Answers subscribers' support requests.",
                "Répond aux demandes d’assistance des abonnés.", "IE",
            ),
        ),
        sharings=(
            SampleSharing("marketing_preferences", ("customers", "prospects"),
                          "Send newsletters and promotions to people who agreed to receive them.",
                          ("IE", "US-VA"), EXPRESS, None, 165_000, eu=True),
            SampleSharing("online_identifiers", ("customers", "prospects"),
                          "Measure opens and clicks in our emails.",
                          ("IE", "US-VA"), OPT_OUT, 24, 165_000, eu=True),
        ),
    ),
    SampleVendor(
        name="Northstar Screening", legal_name="Northstar Screening Services Ltd.",
        website="https://northstar-screening.example", country="CA", subdivision="CA-ON",
        address="359 Bay Street\nToronto ON  M5J 2T3",
        services="Police checks, vulnerable-sector checks and reference checks for staff who work "
        "with children.",
        status=ACTIVE, criticality=HIGH, owner=HR,
        contact=("Kevin Douglas", "kdouglas@northstar-screening.example", "+1 416 555-0152"),
        contract_reference="NS-2020-044", start=-1300, end=400, notice_days=60,
        auto_renewal=False,
        notes="Required for every camp counsellor and lifeguard. Candidates sign the consent "
        "form in the portal; Québec candidates' files are processed in Ontario.",
        sharings=(
            SampleSharing("background_checks", ("job_applicants", "employees", "contractors"),
                          "Vulnerable-sector checks for people who work with children.",
                          ("CA-ON",), EXPRESS, 12, 850),
            SampleSharing("government_identifiers", ("job_applicants", "contractors"),
                          "Driver's licence or passport to confirm identity for the police check.",
                          ("CA-ON",), EXPRESS, 12, 850),
        ),
    ),
    SampleVendor(
        name="Assurance collective Laurentide",
        legal_name="Laurentide, compagnie d'assurance collective",
        website="https://laurentide-assurance.example", country="CA", subdivision="CA-QC",
        address="396, boulevard Saint-Laurent\nMontréal (Québec)  H2T 1R6",
        services="Group health, dental and disability insurance for employees; claims and "
        "disability case management.",
        status=ACTIVE, criticality=HIGH, owner=HR,
        contact=("Geneviève Pelletier", "gpelletier@laurentide-assurance.example",
                 "+1 418 555-0129"),
        contract_reference="POL-GR-77310", start=-1900, end=235, notice_days=90,
        auto_renewal=True,
        notes="We send enrolment and salary information. The insurer collects health "
        "information from employees directly and sends us return-to-work restrictions only.",
        sharings=(
            SampleSharing("employee_records", ("employees",),
                          "Enrol employees and set coverage from salary and family status.",
                          ("CA-QC",), IMPLIED, None, 640),
            SampleSharing("health", ("employees",),
                          "Disability claims: return-to-work restrictions and accommodation.",
                          ("CA-QC",), EXPRESS, 24, 35),
        ),
    ),
    SampleVendor(
        name="Datenblick Analytics", legal_name="Datenblick Analytics GmbH",
        website="https://datenblick.example", country="DE", subdivision="DE-BE",
        address="Friedrichstraße 33, 10117 Berlin, Germany",
        services="Web analytics and heat maps for the public website and the online shop.",
        status=ACTIVE, criticality=MEDIUM, owner=MARKETING,
        contact=("Jonas Weber", "jonas.weber@datenblick.example", "+49 30 5550 1487"),
        contract_reference="DB-2024-0219", start=-420, end=310, notice_days=90,
        auto_renewal=True,
        notes="Visitors can refuse analytics cookies in the banner. Their documentation says IP "
        "addresses are truncated before storage; not verified yet.",
        sub_processors=(
            SampleSubProcessor(
                "Spreewolke Rechenzentrum GmbH", "Alt-Moabit 91, 10559 Berlin, Germany",
                "Hosts the analytics database.",
                "Héberge la base de données d’analyse.", "DE",
            ),
        ),
        sharings=(
            SampleSharing("online_identifiers", ("website_visitors", "customers"),
                          "Measure visits and improve the website and the online shop.",
                          ("DE", "IE"), OPT_OUT, 14, 820_000, eu=True, california=True),
            SampleSharing("demographics", ("website_visitors",),
                          "Age range and language inferred from browsing, for audience reports.",
                          ("DE",), OPT_OUT, 14, 300_000, eu=True, california=True),
        ),
    ),
    SampleVendor(
        name="Mesure Claire", legal_name="Mesure Claire SAS",
        website="https://mesure-claire.example", country="FR", subdivision="FR-IDF",
        address="20, rue de Rivoli, 75004 Paris, France",
        services="A/B testing and cookie consent management for the website, evaluated to "
        "replace Datenblick.",
        status=PROSPECT, criticality=MEDIUM, owner=MARKETING,
        contact=("Camille Moreau", "camille.moreau@mesure-claire.example", "+33 1 55 50 12 34"),
        contract_reference=None, start=None, end=None, notice_days=None, auto_renewal=False,
        notes="Trial planned next quarter. A privacy impact assessment is needed before any real "
        "visitor information is sent to France.",
        sharings=(
            SampleSharing("online_identifiers", ("website_visitors",),
                          "Run website experiments and record visitors' cookie choices (planned).",
                          ("FR",), OPT_OUT, 13, 50_000, eu=True),
        ),
    ),
    SampleVendor(
        name="Centre de contact Atlantique",
        legal_name="Solutions de contact Atlantique ltée / Atlantic Contact Solutions Ltd.",
        website="https://contact-atlantique.example", country="CA", subdivision="CA-NB",
        address="507 Main Street\nMoncton NB  E1C 1E6",
        services="Bilingual call centre for member services: bookings, billing questions, "
        "overflow and evening calls.",
        status=ACTIVE, criticality=HIGH, owner=OPERATIONS,
        contact=("Luc Arsenault", "larsenault@contact-atlantique.example", "+1 506 555-0146"),
        contract_reference="CCA-2022-015", start=-950, end=20, notice_days=90,
        auto_renewal=False,
        notes="The contract ends soon and the renewal is still being negotiated. Calls are "
        "recorded for quality; Québec members' calls are handled in New Brunswick.",
        sharings=(
            SampleSharing("communications", ("customers",),
                          "Record calls for quality assurance and to settle disputes.",
                          ("CA-NB",), IMPLIED, 12, 95_000),
            SampleSharing("identity_contact", ("customers",),
                          "Look members up to answer their questions.",
                          ("CA-NB", "CA-QC"), IMPLIED, None, 120_000),
            SampleSharing("purchase_history", ("customers",),
                          "Explain invoices and make bookings.",
                          ("CA-NB", "CA-QC"), IMPLIED, None, 120_000),
        ),
    ),
    SampleVendor(
        name="Livraisons Express Saint-Laurent",
        legal_name="Livraisons Express Saint-Laurent inc.",
        website="https://express-st-laurent.example", country="CA", subdivision="CA-QC",
        address="544, rue des Forges\nTrois-Rivières (Québec)  G9A 2G7",
        services="Same-day and next-day delivery of online-shop orders in Greater Montréal and "
        "Québec City.",
        status=ACTIVE, criticality=MEDIUM, owner=OPERATIONS,
        contact=("Marc-André Dubé", "madube@express-st-laurent.example", "+1 514 555-0171"),
        contract_reference="LES-2023-009", start=-500, end=230, notice_days=30,
        auto_renewal=True,
        notes="Receives the name, address and phone number on each shipping label only.",
        sharings=(
            SampleSharing("identity_contact", ("customers",), "Deliver online-shop orders.",
                          ("CA-QC",), IMPLIED, 6, 18_000),
        ),
    ),
    SampleVendor(
        name="Bélanger Caron CPA", legal_name="Bélanger Caron CPA S.E.N.C.R.L.",
        website="https://belanger-caron.example", country="CA", subdivision="CA-QC",
        address="581, boulevard de la Concorde\nLaval (Québec)  H7G 2E2",
        services="Audit of the annual financial statements, tax returns, advice on government "
        "grants.",
        status=ACTIVE, criticality=MEDIUM, owner=FINANCE,
        contact=("Louise Caron, CPA", "lcaron@belanger-caron.example", "+1 514 555-0135"),
        contract_reference="Engagement letter 2024", start=-330, end=35, notice_days=None,
        auto_renewal=False,
        notes="A new engagement letter is signed each year before the audit starts in spring.",
        sharings=(
            SampleSharing("financial", ("customers", "supplier_contacts"),
                          "Audit revenue, refunds and supplier payments.",
                          ("CA-QC",), IMPLIED, 84, 45_000),
            SampleSharing("employee_records", ("employees",),
                          "Audit payroll and benefits expenses.", ("CA-QC",), IMPLIED, 84, 1250),
        ),
    ),
    SampleVendor(
        name="Sunbeam Camp Software", legal_name="Sunbeam Camp Software, Inc.",
        website="https://sunbeam-camps.example", country="US", subdivision="US-OR",
        address="618 SW Morrison Street\nPortland, OR 97204",
        services="Online registration for day camps and swimming lessons: forms, payments, "
        "attendance and messages to parents.",
        status=ACTIVE, criticality=CRITICAL, owner=OPERATIONS,
        contact=("Rachel Kim", "rkim@sunbeam-camps.example", "+1 503 555-0183"),
        contract_reference="SUN-2021-552", start=-1200, end=160, notice_days=60,
        auto_renewal=True,
        notes="Parents give express consent at registration; children under 14 cannot consent "
        "for themselves. Hosted in the United States; a Canadian region is on their roadmap.",
        sharings=(
            SampleSharing("children", ("students", "customers"),
                          "Register children for camps and lessons; take attendance.",
                          ("US-OR", "US-VA"), EXPRESS, 24, 4200),
            SampleSharing("health", ("students",),
                          "Allergies, medication and care needs camp staff must know about.",
                          ("US-OR", "US-VA"), EXPRESS, 12, 1900, since=-730),
            SampleSharing("identity_contact", ("customers",),
                          "Parents' and emergency contacts' details.",
                          ("US-OR", "US-VA"), EXPRESS, 24, 5600),
            SampleSharing("financial", ("customers",),
                          "Card payments for registration fees, tokenised by their processor.",
                          ("US-OR",), IMPLIED, 24, 4100),
        ),
    ),
    SampleVendor(
        name="Pointage Chronos", legal_name="Systèmes de pointage Chronos inc.",
        website="https://chronos-pointage.example", country="CA", subdivision="CA-QC",
        address="655, rue Saint-Denis\nMontréal (Québec)  H2X 3K8",
        services="Fingerprint time clocks at the sports centres and the time-and-attendance web "
        "service.",
        status=OFFBOARDING, criticality=MEDIUM, owner=HR,
        contact=("Pierre-Luc Fortin", "plfortin@chronos-pointage.example", "+1 819 555-0158"),
        contract_reference="CHR-2018-003", start=-2500, end=50, notice_days=60,
        auto_renewal=False,
        notes="Being replaced by badge readers after staff objected to fingerprinting. The "
        "biometric database was declared to the Commission d'accès à l'information; ask for a "
        "certificate of destruction of the templates when the contract ends.",
        sharings=(
            SampleSharing("biometric", ("employees",), "Fingerprint templates to clock in and out.",
                          ("CA-QC",), EXPRESS, None, 380),
            SampleSharing("employee_records", ("employees",),
                          "Hours worked, sent to payroll every two weeks.",
                          ("CA-QC",), IMPLIED, None, 380),
        ),
    ),
    SampleVendor(
        name="Hébergement Érable", legal_name="Hébergement Web Érable inc.",
        website="https://hebergement-erable.example", country="CA", subdivision="CA-QC",
        address="692, boulevard Laurier\nQuébec (Québec)  G1V 2L8",
        services="Hosting of the public website and blog, with their server logs.",
        status=ACTIVE, criticality=MEDIUM, owner=IT,
        contact=("Support technique", "support@hebergement-erable.example", "+1 819 555-0104"),
        contract_reference="HWE-88021", start=-1600, end=300, notice_days=30, auto_renewal=True,
        notes="Servers in Sherbrooke. Logs are deleted after 90 days.",
        sharings=(
            SampleSharing("online_identifiers", ("website_visitors",),
                          "Server logs (IP address, browser) for security and troubleshooting.",
                          ("CA-QC",), IMPLIED, 3, 60_000),
        ),
    ),
    SampleVendor(
        name="Papeterie Mont-Royal", legal_name="Fournitures de bureau Mont-Royal inc.",
        website="https://papeterie-mont-royal.example", country="CA", subdivision="CA-QC",
        address="729, rue King Ouest\nSherbrooke (Québec)  J1H 1P4",
        services="Office supplies and printer consumables, ordered online by each site.",
        status=ACTIVE, criticality=LOW, owner=FINANCE,
        contact=("Julie Girard", "commandes@papeterie-mont-royal.example", "+1 514 555-0110"),
        contract_reference=None, start=-900, end=None, notice_days=None, auto_renewal=False,
        notes="No contract beyond the terms of the online account.",
        no_sub_processors=True,  # it delivers with its own trucks; orders stay in its own system
        sharings=(
            SampleSharing("business_contact", ("employees",),
                          "Staff accounts for ordering, and delivery to each site.",
                          ("CA-QC",), IMPLIED, None, 25),
        ),
    ),
    SampleVendor(
        name="Traiteur Les Saveurs du Plateau", legal_name="9123-4567 Québec inc.",
        website="https://saveurs-plateau.example", country="CA", subdivision="CA-QC",
        address="766, boulevard Saint-Laurent\nMontréal (Québec)  H2T 1R6",
        services="Catering for the staff holiday party and the volunteer appreciation evening.",
        status=TERMINATED, criticality=LOW, owner=None,
        contact=("Sophie Lalonde", "sophie@saveurs-plateau.example", "+1 514 555-0187"),
        contract_reference="PO 2023-114", start=-560, end=-530, notice_days=None,
        auto_renewal=False,
        notes="One-off events. The caterer deleted the guest list after the event (confirmed by "
        "email).",
        sharings=(
            SampleSharing("business_contact", ("employees", "supplier_contacts"),
                          "Guest list with names and departments, for seating and name tags.",
                          ("CA-QC",), IMPLIED, 1, 240),
        ),
    ),
    SampleVendor(
        name="Traductions Bilingua", legal_name="Traductions Bilingua inc.",
        website="https://bilingua.example", country="CA", subdivision="CA-QC",
        address="803, rue des Forges\nTrois-Rivières (Québec)  G9A 2G7",
        services="English–French translation of the website, newsletters and member notices.",
        status=ACTIVE, criticality=LOW, owner=MARKETING,
        contact=("Hélène Morin, trad. a.", "hmorin@bilingua.example", "+1 819 555-0122"),
        contract_reference="TB-2024-01", start=-250, end=115, notice_days=30, auto_renewal=False,
        notes="Documents go through their secure portal; they never receive member lists.",
        sharings=(
            SampleSharing("business_contact", ("employees", "supplier_contacts"),
                          "Names and titles of staff quoted in translated documents.",
                          ("CA-QC",), IMPLIED, 12, 60),
        ),
    ),
    SampleVendor(
        name="Sondages Opinio", legal_name="Sondages Opinio Québec inc.",
        website="https://opinio-sondages.example", country="CA", subdivision="CA-QC",
        address="840, boulevard de la Concorde\nLaval (Québec)  H7G 2E2",
        services="Member satisfaction surveys twice a year, with analysis of the results.",
        status=ACTIVE, criticality=LOW, owner=MARKETING,
        contact=("François Ouellet", "fouellet@opinio-sondages.example", "+1 418 555-0193"),
        contract_reference="SO-2023-07", start=-480, end=250, notice_days=60, auto_renewal=True,
        notes="Results are reported to us only for groups of ten people or more.",
        sharings=(
            SampleSharing("demographics", ("customers",),
                          "Age range, language and home region, to weight survey results.",
                          ("CA-QC",), EXPRESS, 12, 8000),
            SampleSharing("marketing_preferences", ("customers",),
                          "Invite members who have not declined surveys.",
                          ("CA-QC",), OPT_OUT, 12, 30_000),
        ),
    ),
    SampleVendor(
        name="Imprimerie Laurentides", legal_name="Imprimerie Laurentides Publipostage inc.",
        website="https://imprimerie-laurentides.example", country="CA", subdivision="CA-QC",
        address="877, rue Saint-Denis\nMontréal (Québec)  H2X 3K8",
        services="Printing and mailing of the seasonal programme to members' homes.",
        status=ACTIVE, criticality=LOW, owner=None,
        contact=("Guy Charbonneau", "gcharbonneau@imprimerie-laurentides.example",
                 "+1 450 555-0166"),
        contract_reference="IL-2024-PROG", start=-200, end=165, notice_days=None,
        auto_renewal=False,
        notes="The mailing list is sent by SFTP for each mailing and deleted 30 days after "
        "posting. No owner since the communications coordinator left.",
        sharings=(
            SampleSharing("identity_contact", ("customers",),
                          "Print addresses on the seasonal programme.",
                          ("CA-QC",), OPT_OUT, 1, 85_000),
        ),
    ),
    SampleVendor(
        name="Dossiers Santé Clinica", legal_name="Logiciels Clinica inc.",
        website="https://clinica-dossiers.example", country="CA", subdivision="CA-QC",
        address="914, boulevard Laurier\nQuébec (Québec)  G1V 2L8",
        services="Electronic health records, scheduling and billing for the physiotherapy clinic.",
        status=ACTIVE, criticality=CRITICAL, owner=OPERATIONS,
        contact=("Isabelle Nadeau", "inadeau@clinica-dossiers.example", "+1 418 555-0139"),
        contract_reference="CLN-2020-031", start=-1500, end=580, notice_days=180,
        auto_renewal=True,
        notes="Hosted in Québec City. Records are kept as long as the professional order "
        "requires after the last visit.",
        sharings=(
            SampleSharing("health", ("patients",),
                          "Clinical notes, assessments and treatment plans.",
                          ("CA-QC",), EXPRESS, 60, 14_000),
            SampleSharing("identity_contact", ("patients",),
                          "Book appointments and send reminders.",
                          ("CA-QC",), IMPLIED, 60, 14_000),
            SampleSharing("government_identifiers", ("patients",),
                          "Claim numbers and health insurance numbers for patients referred by "
                          "public insurers.", ("CA-QC",), EXPRESS, 60, 2300),
        ),
    ),
    SampleVendor(
        name="Payvault Payments", legal_name="Payvault Payments Canada Corp.",
        website="https://payvault.example", country="CA", subdivision="CA-ON",
        address="951 Bay Street\nToronto ON  M5J 2T3",
        services="Card payments for the online shop, the front desks and membership renewals; "
        "fraud screening.",
        status=ACTIVE, criticality=CRITICAL, owner=FINANCE,
        contact=("Daniel Wright", "dwright@payvault.example", "+1 416 555-0108"),
        contract_reference="PV-MSA-2019-2207", start=-2000, end=90, notice_days=90,
        auto_renewal=True,
        notes="We never see full card numbers (PCI DSS). Fraud screening runs in Texas. The "
        "notice deadline for non-renewal is today.",
        sharings=(
            SampleSharing("financial", ("customers",),
                          "Authorise and settle card payments; keep cards on file for automatic "
                          "renewals.", ("CA-ON", "US-TX"), IMPLIED, None, 310_000,
                          california=True),
            SampleSharing("purchase_history", ("customers",),
                          "Amounts and dates of transactions, for fraud screening and "
                          "chargebacks.", ("CA-ON", "US-TX"), IMPLIED, 24, 310_000,
                          california=True),
        ),
    ),
    SampleVendor(
        name="Étal Numérique", legal_name="Étal Numérique inc.",
        website="https://etal-numerique.example", country="CA", subdivision="CA-QC",
        address="988, rue King Ouest\nSherbrooke (Québec)  J1H 1P4",
        services="Online shop platform: catalogue, cart, customer accounts and order management.",
        status=ACTIVE, criticality=HIGH, owner=MARKETING,
        contact=("Maxime Leblanc", "mleblanc@etal-numerique.example", "+1 418 555-0175"),
        contract_reference="EN-2021-140", start=-1000, end=365, notice_days=90,
        auto_renewal=True,
        notes="Hosted in Canada: Québec City, with a backup in Toronto.",
        sharings=(
            SampleSharing("purchase_history", ("customers",), "Take and fulfil online orders.",
                          ("CA-QC", "CA-ON"), IMPLIED, 36, 62_000),
            SampleSharing("account_credentials", ("customers",),
                          "Customer accounts on the online shop.",
                          ("CA-QC", "CA-ON"), IMPLIED, None, 48_000),
            SampleSharing("identity_contact", ("customers",), "Shipping and billing addresses.",
                          ("CA-QC", "CA-ON"), IMPLIED, 36, 62_000),
        ),
    ),
    SampleVendor(
        name="Géoroute Télématique", legal_name="Géoroute Télématique inc.",
        website="https://georoute.example", country="CA", subdivision="CA-QC",
        address="1025, boulevard Saint-Laurent\nMontréal (Québec)  H2T 1R6",
        services="GPS tracking of the maintenance vans and route planning (pilot proposed).",
        status=PROSPECT, criticality=LOW, owner=OPERATIONS,
        contact=("Yannick Poirier", "ypoirier@georoute.example", "+1 450 555-0124"),
        contract_reference=None, start=None, end=None, notice_days=None, auto_renewal=False,
        notes="Employees must be told before location tracking is turned on; the union will be "
        "consulted before the pilot.",
        sharings=(
            SampleSharing("precise_location", ("employees",),
                          "Locate the maintenance vans during working hours and plan routes.",
                          ("CA-QC", "CA-ON"), IMPLIED, 12, 40),
        ),
    ),
    SampleVendor(
        name="Hireloop", legal_name="Hireloop Technologies Inc.",
        website="https://hireloop.example", country="CA", subdivision="CA-BC",
        address="1062 West Georgia Street\nVancouver BC  V6E 4A2",
        services="Job board and applicant tracking for seasonal hiring: lifeguards, camp "
        "counsellors, coaches.",
        status=ACTIVE, criticality=MEDIUM, owner=HR,
        contact=("Emily Chen", "echen@hireloop.example", "+1 604 555-0191"),
        contract_reference="HL-2023-0456", start=-560, end=170, notice_days=30,
        auto_renewal=True,
        notes="Stored in Vancouver; résumé parsing is done by a sub-processor in Washington "
        "State.",
        sharings=(
            SampleSharing("identity_contact", ("job_applicants",),
                          "Receive and sort applications, with résumés and contact details.",
                          ("CA-BC", "US-WA"), EXPRESS, 24, 6500),
            SampleSharing("demographics", ("job_applicants",),
                          "Voluntary employment-equity self-identification, reported in "
                          "aggregate.", ("CA-BC",), EXPRESS, 24, 2100),
        ),
    ),
    SampleVendor(
        name="Dufresne Lapointe avocats", legal_name="Dufresne Lapointe avocats S.E.N.C.R.L.",
        website="https://dufresne-lapointe.example", country="CA", subdivision="CA-QC",
        address="1099, rue des Forges\nTrois-Rivières (Québec)  G9A 2G7",
        services="Employment law advice and litigation; counsel for privacy incidents.",
        status=ACTIVE, criticality=MEDIUM, owner=PRIVACY,
        contact=("Me Catherine Dufresne", "cdufresne@dufresne-lapointe.example",
                 "+1 514 555-0149"),
        contract_reference="Mandate 2022-018", start=-750, end=None, notice_days=None,
        auto_renewal=False,
        notes="Retained file by file; professional secrecy applies. On call for privacy "
        "incidents (see the incident response plan).",
        sharings=(
            SampleSharing("employee_records", ("employees",),
                          "Files of employees involved in grievances or disputes.",
                          ("CA-QC",), IMPLIED, None, 30),
            SampleSharing("communications", ("employees", "customers"),
                          "Emails and complaints relevant to a dispute or a privacy incident.",
                          ("CA-QC",), IMPLIED, None, 150),
        ),
    ),
    SampleVendor(
        name="Envoi Massif Communications", legal_name="Envoi Massif Communications inc.",
        website="https://envoi-massif.example", country="CA", subdivision="CA-QC",
        address="1136, boulevard de la Concorde\nLaval (Québec)  H7G 2E2",
        services="Former email newsletter service, replaced by Mailroost.",
        status=TERMINATED, criticality=MEDIUM, owner=MARKETING,
        contact=("Richard Paquette", "rpaquette@envoi-massif.example", "+1 514 555-0112"),
        contract_reference="EMC-2017-022", start=-2600, end=-620, notice_days=30,
        auto_renewal=False,
        notes="Written confirmation that the subscriber lists were deleted was received after "
        "the contract ended.",
        sharings=(
            SampleSharing("marketing_preferences", ("customers", "prospects"),
                          "Send newsletters, until the switch to Mailroost.",
                          ("CA-QC",), EXPRESS, None, 70_000),
            SampleSharing("identity_contact", ("customers", "prospects"),
                          "Subscribers' names and email addresses.",
                          ("CA-QC",), EXPRESS, None, 70_000),
        ),
    ),
    SampleVendor(
        name="Loyaltica", legal_name="Loyaltica, Inc.",
        website="https://loyaltica.example", country="US", subdivision="US-CA",
        address="1173 Mission Street\nSan Francisco, CA 94103",
        services="Points-based loyalty programme for members and online-shop customers.",
        status=OFFBOARDING, criticality=MEDIUM, owner=FINANCE,
        contact=("Jason Park", "jpark@loyaltica.example", "+1 619 555-0137"),
        contract_reference="LOY-2020-7781", start=-1700, end=25, notice_days=90,
        auto_renewal=False,
        notes="The programme closes when the contract ends and points become gift cards. Ask "
        "for the deletion of all member information, confirmed in writing. Some online-shop "
        "customers live in California.",
        sharings=(
            SampleSharing("purchase_history", ("customers",),
                          "Award and redeem points on purchases.",
                          ("US-CA",), IMPLIED, None, 175_000, california=True),
            SampleSharing("marketing_preferences", ("customers",),
                          "Send points statements and member offers.",
                          ("US-CA",), OPT_OUT, None, 120_000, california=True),
        ),
    ),
    SampleVendor(
        name="Sentinelle Cyber", legal_name="Sentinelle Cybersécurité inc.",
        website="https://sentinelle-cyber.example", country="CA", subdivision="CA-QC",
        address="1210, rue Saint-Denis\nMontréal (Québec)  H2X 3K8",
        services="Yearly penetration test of the member portal and the online shop, and a "
        "phishing simulation for staff (quote received).",
        status=PROSPECT, criticality=HIGH, owner=IT,
        contact=("Amélie Gauthier", "agauthier@sentinelle-cyber.example", "+1 514 555-0128"),
        contract_reference=None, start=None, end=None, notice_days=None, auto_renewal=False,
        notes="The test uses test accounts, never production passwords. Confidentiality "
        "agreement signed.",
        sharings=(
            SampleSharing("business_contact", ("employees",),
                          "Staff names and email addresses for the phishing simulation.",
                          ("CA-QC",), IMPLIED, 3, 420),
        ),
    ),
    SampleVendor(
        name="Programme Équilibre", legal_name="Services de santé Équilibre inc.",
        website="https://equilibre-pae.example", country="CA", subdivision="CA-QC",
        address="1247, boulevard Laurier\nQuébec (Québec)  G1V 2L8",
        services="Employee and family assistance programme: confidential counselling, legal and "
        "financial advice by phone.",
        status=ACTIVE, criticality=MEDIUM, owner=None,
        contact=("Mélanie Lacroix", "mlacroix@equilibre-pae.example", "+1 514 555-0196"),
        contract_reference="PAE-2021-009", start=-1300, end=500, notice_days=90,
        auto_renewal=True,
        notes="We receive anonymous usage statistics only; counselling records stay with "
        "Équilibre. Owner to be assigned after the reorganisation.",
        sharings=(
            SampleSharing("employee_records", ("employees",),
                          "Eligibility list: names and employee numbers.",
                          ("CA-QC",), IMPLIED, None, 640),
            SampleSharing("health", ("employees",),
                          "Counselling records kept by Équilibre's counsellors.",
                          ("CA-QC", "CA-ON"), EXPRESS, 84, 300),
        ),
    ),
)  # fmt: skip

# Each sample purpose in French, as a French addendum prints it (a test holds every purpose to
# having one).
# fmt: off
PURPOSES_FR = {
    "Reset passwords and administer staff accounts.":
        "Réinitialiser les mots de passe et administrer les comptes du personnel.",
    "Open mailboxes and shared drives while troubleshooting, at the user's request.":
        (
            "Ouvrir les boîtes de courriel et les lecteurs partagés lors d’un dépannage, à la"
            " demande de l’utilisateur."
        ),
    "Destroy paper HR files and printed résumés at the end of their retention period.":
        (
            "Détruire les dossiers RH papier et les CV imprimés à la fin de leur période de "
            "conservation."
        ),
    "Destroy printed invoices, cheques and card-payment slips.":
        "Détruire les factures imprimées, les chèques et les reçus de paiement par carte.",
    "Calculate and pay salaries, vacation and deductions; issue tax slips.":
        (
            "Calculer et verser les salaires, les vacances et les retenues; produire les "
            "relevés fiscaux."
        ),
    "Social insurance numbers, required on T4 and RL-1 slips.":
        "Numéros d’assurance sociale, exigés sur les feuillets T4 et les relevés 1.",
    "Bank accounts for direct deposit.":
        "Comptes bancaires pour le dépôt direct.",
    "Host the member database behind the portal and the online shop.":
        "Héberger la base de données des membres du portail et de la boutique en ligne.",
    "Host members' portal sign-in (hashed passwords, security questions).":
        (
            "Héberger la connexion des membres au portail (mots de passe hachés, questions de"
            " sécurité)."
        ),
    "Host orders, memberships and class bookings.":
        "Héberger les commandes, les abonnements et les réservations de cours.",
    "Manage corporate-membership prospects and partner contacts.":
        (
            "Gérer les clients potentiels des abonnements d’entreprise et les contacts des "
            "partenaires."
        ),
    "Log sales emails and meeting notes against each account.":
        "Consigner les courriels de vente et les notes de réunion dans chaque compte.",
    "Record which contacts agreed to receive the corporate newsletter.":
        "Consigner les contacts qui ont accepté de recevoir l’infolettre d’entreprise.",
    "Send newsletters and promotions to people who agreed to receive them.":
        (
            "Envoyer les infolettres et les promotions aux personnes qui ont accepté de les "
            "recevoir."
        ),
    "Measure opens and clicks in our emails.":
        "Mesurer les ouvertures et les clics dans nos courriels.",
    "Vulnerable-sector checks for people who work with children.":
        (
            "Vérifications des antécédents en vue d’un travail auprès de personnes "
            "vulnérables, pour le personnel qui travaille auprès d’enfants."
        ),
    "Driver's licence or passport to confirm identity for the police check.":
        (
            "Permis de conduire ou passeport pour confirmer l’identité aux fins de la "
            "vérification policière."
        ),
    "Enrol employees and set coverage from salary and family status.":
        (
            "Inscrire les employés et établir la protection selon le salaire et la situation "
            "familiale."
        ),
    "Disability claims: return-to-work restrictions and accommodation.":
        (
            "Demandes d’invalidité : restrictions et mesures d’adaptation pour le retour au "
            "travail."
        ),
    "Measure visits and improve the website and the online shop.":
        "Mesurer les visites et améliorer le site Web et la boutique en ligne.",
    "Age range and language inferred from browsing, for audience reports.":
        "Tranche d’âge et langue déduites de la navigation, pour les rapports d’audience.",
    "Run website experiments and record visitors' cookie choices (planned).":
        (
            "Mener des essais sur le site Web et consigner les choix des visiteurs en matière"
            " de témoins (prévu)."
        ),
    "Record calls for quality assurance and to settle disputes.":
        (
            "Enregistrer les appels pour le contrôle de la qualité et le règlement des "
            "différends."
        ),
    "Look members up to answer their questions.":
        "Consulter le dossier des membres pour répondre à leurs questions.",
    "Explain invoices and make bookings.":
        "Expliquer les factures et faire les réservations.",
    "Deliver online-shop orders.":
        "Livrer les commandes de la boutique en ligne.",
    "Audit revenue, refunds and supplier payments.":
        "Auditer les revenus, les remboursements et les paiements aux fournisseurs.",
    "Audit payroll and benefits expenses.":
        "Auditer les dépenses de paie et d’avantages sociaux.",
    "Register children for camps and lessons; take attendance.":
        "Inscrire les enfants aux camps et aux cours; prendre les présences.",
    "Allergies, medication and care needs camp staff must know about.":
        (
            "Allergies, médicaments et besoins de soins que le personnel des camps doit "
            "connaître."
        ),
    "Parents' and emergency contacts' details.":
        "Coordonnées des parents et des personnes à joindre en cas d’urgence.",
    "Card payments for registration fees, tokenised by their processor.":
        (
            "Paiements par carte des frais d’inscription, convertis en jetons par leur "
            "processeur."
        ),
    "Fingerprint templates to clock in and out.":
        "Gabarits d’empreintes digitales pour pointer à l’arrivée et au départ.",
    "Hours worked, sent to payroll every two weeks.":
        "Heures travaillées, transmises à la paie toutes les deux semaines.",
    "Server logs (IP address, browser) for security and troubleshooting.":
        "Journaux du serveur (adresse IP, navigateur) pour la sécurité et le dépannage.",
    "Staff accounts for ordering, and delivery to each site.":
        "Comptes du personnel pour les commandes, et livraison à chaque site.",
    "Guest list with names and departments, for seating and name tags.":
        (
            "Liste des invités avec leur nom et leur service, pour le plan de table et les "
            "porte-noms."
        ),
    "Names and titles of staff quoted in translated documents.":
        "Noms et titres des membres du personnel cités dans les documents traduits.",
    "Age range, language and home region, to weight survey results.":
        (
            "Tranche d’âge, langue et région de résidence, pour pondérer les résultats des "
            "sondages."
        ),
    "Invite members who have not declined surveys.":
        "Inviter les membres qui n’ont pas refusé les sondages.",
    "Print addresses on the seasonal programme.":
        "Imprimer les adresses sur la programmation saisonnière.",
    "Clinical notes, assessments and treatment plans.":
        "Notes cliniques, évaluations et plans de traitement.",
    "Book appointments and send reminders.":
        "Prendre les rendez-vous et envoyer les rappels.",
    "Claim numbers and health insurance numbers for patients referred by public insurers.":
        (
            "Numéros de réclamation et numéros d’assurance maladie des patients dirigés par "
            "les assureurs publics."
        ),
    "Authorise and settle card payments; keep cards on file for automatic renewals.":
        (
            "Autoriser et régler les paiements par carte; conserver les cartes au dossier "
            "pour les renouvellements automatiques."
        ),
    "Amounts and dates of transactions, for fraud screening and chargebacks.":
        (
            "Montants et dates des transactions, pour la détection de la fraude et les "
            "rétrofacturations."
        ),
    "Take and fulfil online orders.":
        "Prendre et exécuter les commandes en ligne.",
    "Customer accounts on the online shop.":
        "Comptes clients de la boutique en ligne.",
    "Shipping and billing addresses.":
        "Adresses de livraison et de facturation.",
    "Locate the maintenance vans during working hours and plan routes.":
        (
            "Localiser les fourgonnettes d’entretien pendant les heures de travail et "
            "planifier les trajets."
        ),
    "Receive and sort applications, with résumés and contact details.":
        "Recevoir et trier les candidatures, avec les CV et les coordonnées.",
    "Voluntary employment-equity self-identification, reported in aggregate.":
        (
            "Auto-identification volontaire en matière d’équité en emploi, déclarée de façon "
            "agrégée."
        ),
    "Files of employees involved in grievances or disputes.":
        "Dossiers des employés visés par des griefs ou des litiges.",
    "Emails and complaints relevant to a dispute or a privacy incident.":
        "Courriels et plaintes liés à un litige ou à un incident de confidentialité.",
    "Send newsletters, until the switch to Mailroost.":
        "Envoyer les infolettres, jusqu’au passage à Mailroost.",
    "Subscribers' names and email addresses.":
        "Noms et adresses courriel des abonnés.",
    "Award and redeem points on purchases.":
        "Attribuer et échanger des points sur les achats.",
    "Send points statements and member offers.":
        "Envoyer les relevés de points et les offres aux membres.",
    "Staff names and email addresses for the phishing simulation.":
        "Noms et adresses courriel du personnel pour la simulation d’hameçonnage.",
    "Eligibility list: names and employee numbers.":
        "Liste d’admissibilité : noms et numéros d’employé.",
    "Counselling records kept by Équilibre's counsellors.":
        "Dossiers de consultation tenus par les conseillers d’Équilibre.",
}
# fmt: on
