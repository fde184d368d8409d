"""The words the check reads an agreement by, in English and French: who is bound, whether a
sentence obliges, permits, hedges or refuses, and what each clause topic is about.

Each cue is a regular expression over one sentence, matched without regard to case; English and
French are matched together, so a document that mixes them needs nothing special. Written from
how processing agreements are drafted (EU Art. 28 terms, the CNIL's model clauses, Canadian and
Québec service contracts, US vendor terms), never copied from one."""

import re


def cue(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


A = r"['’]"  # either apostrophe

# --- the parties --------------------------------------------------------------------------
# What agreements call the vendor, and the customer, by their role. "sub-processor" and
# "sous-traitant ultérieur" are another party, and so never the vendor.
VENDOR_ROLES_EN = (
    r"service\s+provider|data\s+importer|provider|vendor|supplier|contractor|agency|agent|"
    r"publisher|host|(?:business\s+)?associate|licensor|consultant"
)
VENDOR_ROLES_FR = (
    r"prestataire|fournisseur|mandataire|adjudicataire|cocontractant|titulaire|éditeur|"
    r"hébergeur|agence|cabinet|processeur"
)
CUSTOMER_ROLES_EN = (
    r"(?:data\s+)?controller|data\s+exporter|customer|client|organi[sz]ation|"
    r"business(?!\s+associate)|custodian|employer|bank|covered\s+entity|licensee|purchaser|"
    # "the Province" of a public contract; not "the province of Ontario".
    r"merchant|(?:province|ministry)(?!\s+of\b)"
)
CUSTOMER_ROLES_FR = (
    r"client|responsable\s+d[eu]s?\s+traitement|donneur\s+d['’]ordre|organisme|"
    r"organisation|ville|municipalité|employeur|acheteur|banque|mandante?|commettant|"
    r"pouvoir\s+adjudicateur|ministère(?!\s+d)"
)
VENDOR = cue(
    r"(?<![-\w])(?:data\s+)?processor(?!s?\s*(?:'s\s+)?sub)(?![-\w])",
    rf"(?:\b|(?<=['’]))(?:{VENDOR_ROLES_EN}|{VENDOR_ROLES_FR})\b(?!s)",
    r"(?<![-\w])sous-traitant(?!s?\s+(?:ultérieur|secondaire|de\s+second))(?![-\w])",
    r"\b(?:we|us|our|nous|notre|nos)\b",
)
CUSTOMER = cue(
    rf"(?:\b|(?<=['’]))(?:{CUSTOMER_ROLES_EN}|{CUSTOMER_ROLES_FR})\b",
    r"\b(?:you|vous)\b",
)

# --- what a sentence does ------------------------------------------------------------------
OBLIGES = cue(
    r"\b(?:shall|will|must)\b",
    r"\b(?:agrees?|undertakes?|commits?|covenants?)\s+to\b",
    r"\b(?:is|are)\s+(?:required|obliged|obligated|responsible)\s+(?:to|for)\b",
    r"\b(?:ensures?|warrants?)\b",
    rf"\bs{A}(?:engage|oblige)(?:nt)?\s+à",
    r"\bdoi(?:t|vent)\b|\bdevr(?:a|ont)\b",
    # Bound, not held liable: "est tenue de chiffrer", not "tenu responsable".
    r"\b(?:est|sont|sera|seront)\s+tenue?s?\b(?!\s+(?:pour\s+)?responsables?)",
    r"\b(?:est|sont|sera|seront)\s+(?:astreinte?s?|soumise?s?|liée?s?)\s+(?:par\s+écrit\s+)?"
    r"(?:au|à|aux|par)\b",
    r"\b(?:is|are)\s+bound\s+(?:by|to)\b",
    r"\b(?:is|are)\s+subject\s+to\s+(?:\w+\s+){0,3}(?:obligations?|duty|duties|confidentiality)\b",
    # The future passive of a contract: "les données seront effacées", "sera détruit".
    r"\b(?:sera|seront)\s+(?:\w+ment\s+)?(?!tenu)\w+(?:ée?s?|ie?s?|ue?s?|te?s?)\b",
    r"\bveille(?:nt|ra|ront)?\s+à|\bgaranti(?:t|ssent|ra)\b|\bassure(?:nt|ra)?\b",
    r"\bmet(?:tent|tra)?\s+en\s+(?:œuvre|oeuvre|place)\b",
    rf"\bs{A}interdit\b",
    # A restriction is a duty: "may not", "ne peut ... qu'après".
    r"\bmay\s+not\b|\bcannot\b|\bne\s+(?:peut|pourra|peuvent|pourront)\b|\bmay\s+only\b",
    # A present passive that restricts: "les données sont hébergées exclusivement au Canada".
    r"\b(?:is|are)\s+(?:\w+ed|kept|held|stored)\s+(?:\w+\s+)?(?:only|solely|exclusively)\b",
    r"\b(?:est|sont)\s+\w+(?:ée?s?|ue?s?|ie?s?|te?s?)\s+(?:\w+\s+)?(?:exclusivement|uniquement|"
    r"seulement)\b",
    r"\bne\s+(?:sont|est)\s+\w+(?:ée?s?|ue?s?|ie?s?|te?s?)\s+qu['’]",
    rf"(?<!\bne\s)\bs{A}appliqu(?:e|ent|era|eront)\b(?!\s+pas\b)",
    # So is needing the customer's consent: "requiert l'accord écrit du Client".
    r"\b(?:requires?|requiert|requièrent|(?:is|are)\s+subject\s+to|(?:est|sont)\s+soumise?s?\s+à)"
    r"\s+(?:the\s+|l['’]|le\s+|la\s+|son\s+)?(?:\w+['’]s\s+)?(?:prior\s+)?(?:written\s+)?"
    r"(?:consent|approval|authori[sz]ation|accord|autorisation|consentement|approbation)",
    # So is a permission on a condition: "may ..., provided that it notifies".
    r"\bà\s+(?:la\s+)?condition\s+d|\bprovided\s+that\b|\bonly\s+(?:after|if)\b|\bqu['’]après\b",
)
PERMITS = cue(
    # Not "may not", "cannot", "ne peut": those restrict (OBLIGES, NO_RIGHT).
    r"\bmay\b(?!\s+(?:not|only|never)\b)|\bcan\b(?!\s*not\b|['’]t\b)",
    r"\bdispose(?:nt|ra|ront)?\s+d['’]un\s+droit\b",
    r"\b(?:is|are|shall\s+be)\s+(?:entitled|permitted|allowed|authori[sz]ed)\s+to\b",
    r"\b(?:has|have|shall\s+have)\s+the\s+right\b",
    r"\breserves?\s+the\s+right\b|\b(?:our|its)\s+right\s+to\b|['’]s\s+right\s+to\b",
    r"(?<!\bne\s)(?<!\bn['’])\b(?:peut|peuvent|pourra|pourront)\b(?!\s+(?:pas|en\s+aucun\s+cas|jamais)\b)",
    r"\b(?:a|ont|aura)\s+(?:le\s+droit|la\s+faculté)\b",
    r"\b(?:est|sont|sera)\s+(?:autorisée?s?|en\s+droit|habilitée?s?)\b",
    r"\bse\s+réserve\b",
)
# A licence to use the data, granted by the customer: a permission whose holder is named after
# the verb ("You grant us a ... license to use Customer Content to train our models").
LICENSED = cue(
    r"\b(?:grants?|gives?)\s+(us|you|the\s+\w+|\w+)\s+(?:a\s+|an\s+)?(?:[\w,-]+\s+){0,6}"
    r"licen[cs]e\s+to\b",
    r"\b(?:concède|accorde)\w*\s+(?:à\s+)?(nous|vous|l['’]\w+|le\s+\w+)\s+(?:une\s+)?licence\b",
    # So is an authorisation: "le Client autorise de manière générale le Fournisseur à recourir".
    r"\bautorise\w*\s+(?:[\w’'-]+\s+){0,4}?(le\s+\w+|la\s+\w+|l['’]\w+)\s+à\b",
    r"\bauthori[sz]es?\s+(?:\w+\s+){0,3}?(the\s+\w+|us)\s+to\b",
)
# The party is under no duty at all: a refusal, whatever follows.
NO_DUTY = cue(
    r"\b(?:has|have|shall\s+have|will\s+have|bears?)\s+no\s+(?:obligation|duty|responsibility)",
    r"\b(?:is|are|shall\s+be|will\s+be)\s+under\s+no\s+(?:obligation|duty)",
    r"\b(?:is|are|shall|will)\s+not\s+(?:be\s+)?(?:required|obliged|obligated|bound)\s+to\b",
    r"\bwithout\s+any\s+obligation\b",
    rf"\bn{A}(?:est|sont|sera|seront)\s+(?:pas|nullement|aucunement|en\s+aucun\s+cas)\s+tenus?",
    rf"\bn{A}(?:a|ont|aura)\s+(?:aucune|pas\s+[dl]{A})\s*obligation",
    rf"\bn{A}(?:est|sont|sera)\s+pas\s+(?:obligée?s?|contraint)",
    r"\baucune\s+obligation\b",
    r"\b(?:is|are)\s+not\s+responsible\s+for\b|\bne\s+saurait\s+être\s+tenue?s?\b"
    r"(?!\s+(?:pour\s+)?responsables?)",
    r"\b(?:make|makes|give|gives)\s+no\s+(?:commitment|undertaking|representation|guarantee)",
    r"\bne\s+prend\s+aucun\s+engagement\b",
)
# The customer has no right (to audit): a refusal where it is the customer's right.
NO_RIGHT = cue(
    r"\b(?:shall|will|does|do)\s+not\s+(?:be\s+entitled|have\s+(?:the|any)\s+right)",
    r"\b(?:has|have|shall\s+have)\s+no\s+right",
    r"\b(?:is|are)\s+not\s+(?:entitled|permitted|allowed)\s+to\b",
    r"\bwaives?\s+(?:\w+ly\s+)?(?:any|all|its|their)\b",
    r"\bno\s+(?:audit|inspection)\s+rights?\b",
    r"\b(?:will|shall)\s+not\s+be\s+(?:permitted|allowed|entitled)\b",
    r"\bmay\s+(?:not|never)\b|\bcannot\b|\bcan['’]t\b|\bin\s+no\s+event\b",
    rf"\bn{A}(?:est|sera|sont)\s+pas\s+(?:autorisée?s?|en\s+droit|habilitée?s?)",
    r"\bne\s+(?:peut|pourra|peuvent|pourront)\s+(?:pas|en\s+aucun\s+cas|jamais)\b",
    rf"\bn{A}(?:a|aura|ont)\s+(?:aucun|pas\s+le)\s+droit",
    r"\brenonce(?:nt)?\s+(?:\w+ment\s+)?(?:à|au|aux)\b",
)
# The vendor grants none: "n'accorde au Client aucun droit d'audit", "grants you no right".
GRANTS_NO_RIGHT = cue(
    rf"\b(?:n{A}\s*accorde|ne\s+(?:confère|reconnaît|donne|accorde))\w*\s+"
    rf"(?:(?:au|à\s+l{A}|à\s+la|à)\s*\w+\s+)?aucun\s+droit\b",
    r"\b(?:grants?|gives?|confers?)\s+(?:the\s+)?(?:\w+\s+)?no\s+(?:\w+\s+)?rights?\b",
    r"\bnothing\b[^.;]{0,80}?\b(?:grants?|gives?|confers?)\b[^.;]{0,40}?\bany\s+(?:\w+\s+)?rights?\b",
)
TOLD_PASSIVE = cue(
    r"\b(?:shall|will|must)\s+be\s+(?:\w+ly\s+)?(?:notified|informed|told|advised|alerted)\b",
    r"\b(?:sera|seront|doit\s+être|doivent\s+être)\s+(?:\w+ment\s+)?(?:informée?s?|avisée?s?|"
    r"notifiée?s?|prévenue?s?)\b",
)
LIABILITY = cue(
    r"\b(?:held|tenue?s?)\s+(?:pour\s+)?(?:liable|responsables?)\b|\bliable\s+for\b",
)
# A refusal with an exception is a limit, not a refusal.
EXCEPT = cue(
    # "except as the law requires" excepts nothing the contract gives.
    r"\b(?:except|unless|save\s+(?:as|where))\b(?!\s+(?:as|where|if)\s+(?:\w+\s+)?(?:required|"
    r"mandated)\s+by\s+(?:applicable\s+)?law)",
    r"\b(?:other\s+than|more\s+than|beyond|provided\s+that)\b",
    r"\bsauf\b|\bà\s+moins\b|\bhormis\b|\bplus\s+d['’]une?\b|\bau-delà\b",
)
HEDGE = cue(
    r"\b(?:where|when|if|to\s+the\s+extent|as\s+far\s+as)\s+(?:reasonably\s+)?"
    r"(?:possible|practicable|feasible)\b",
    r"\b(?:commercially\s+)?reasonable\s+(?:efforts|endeavou?rs)\b",
    r"\bcommercially\s+reasonable\s+(?:steps|measures)\b",
    r"\bbest\s+(?:efforts|endeavou?rs)\b",
    r"\b(?:endeavou?rs?|attempts?|seeks?|tries?)\s+to\b",
    r"\bat\s+its\s+(?:sole\s+)?discretion\b",
    r"\bas\s+it\s+(?:deems|considers)\s+(?:appropriate|fit)\b",
    r"\bdans\s+la\s+mesure\s+du\s+possible\b",
    r"\b(?:lorsque|quand|si)\s+(?:cela\s+est\s+|c['’]est\s+)?(?:raisonnablement\s+)?possible\b",
    r"\b(?:efforts|moyens)\s+(?:commercialement\s+)?raisonnables\b|\bmeilleurs\s+efforts\b",
    r"\bs['’]efforce(?:ra|nt)?\b",
    r"\bà\s+sa\s+(?:seule\s+)?discrétion\b",
)

# --- whether a document is a processing agreement at all -----------------------------------
PERSONAL = cue(
    r"\bpersonal\s+(?:health\s+)?(?:data|information)\b|\bPHI\b",
    r"\binformations?\s+(?:relatives?\s+à|concernant)\s+une\s+personne\s+physique\b",
    r"\b(?:customer|client)\s+(?:personal\s+)?data\b",
    r"\brenseignements?\s+personnels?\b",
    r"\bdonnées\s+(?:à\s+caractère\s+personnel|personnelles)\b",
    r"\bpersonally\s+identifiable\b|\bPII\b",
    r"\b(?:données|informations?)\s+nominatives\b|\binformations?\s+personnelles\b",
    r"\bfichiers?\s+(?:des\s+)?clients?\b",
)
# What a definition says its term is about, when the term is personal information by another
# name: '"Participant Data" means any information relating to an identified ... individual'.
# Not a definition that merely includes personal information ("Confidential Information"), nor
# people "identified by Customer" as users.
PEOPLE = r"(?:individual|natural\s+person|person|employee|patient|participant|member|student)s?"
ABOUT_PEOPLE = cue(
    r"\bidentified\s+or\s+identifiable\b|\bprotected\s+health\b|\bPHI\b",
    rf"\bidentif(?:y|ies|iable)\b[^.;]{{0,60}}?\b{PEOPLE}\b",
    rf"\b(?:relat\w+\s+to|about|concerning)\s+(?:an?\s+|any\s+)?(?:identif\w+\s+)?{PEOPLE}\b",
    r"\bpersonne\s+physique\s+identifi\w+|\bidentifiée?s?\s+ou\s+identifiables?\b",
    r"\bpermett\w*\s+d['’]identifier\b|\bconcernant\s+une\s+personne\s+physique\b",
)
PROCESSING_FOR_THE_CUSTOMER = cue(
    rf"\bon\s+(?:the\s+)?(?:{CUSTOMER_ROLES_EN})['’]s\s+behalf\b",
    rf"\bon\s+behalf\s+of\s+(?:the\s+)?(?:{CUSTOMER_ROLES_EN})\b",
    r"\bon\s+your\s+behalf\b",
    r"\b(?:acts?|acting)\s+as\s+(?:a\s+|the\s+)?(?:data\s+)?(?:processor|service\s+provider)\b",
    # This agreement, not another it mentions ("the data processing terms agreed with End Users").
    r"\b(?:this|these)\s+data\s+processing\s+(?:agreement|addendum|terms)\b",
    r"\b(?:the\s+)?processor\s+shall\b",
    r"\bpour\s+le\s+compte\s+d[eu]|\bpour\s+(?:votre|son|leur)\s+compte\b",
    # Québec's s. 18.3: information communicated to a mandatary.
    r"\bdans\s+le\s+cadre\s+d['’]un\s+mandat\b",
    r"\bau\s+nom\s+(?:de\s+vous|du\s+client|du\s+responsable|de\s+l['’]organisation)\b",
    rf"\b(?:the\s+)?(?:processor|{VENDOR_ROLES_EN})\s+processes\b",
    rf"\b(?:le|la|l['’])\s*(?:sous-traitant|{VENDOR_ROLES_FR})\s+traite\b",
    r"\bdonnées\s+(?:\w+\s+){0,3}(?:transmises|communiquées|fournies|importées|confiées)\s+"
    r"par\s+(?:le\s+client|vous)\b",
    r"\bdata\s+(?:\w+\s+){0,2}(?:provided|submitted|uploaded|entrusted)\s+(?:to\s+\w+\s+)?"
    r"by\s+(?:the\s+)?(?:customer|you)\b",
    r"\ben\s+(?:sa\s+)?qualité\s+de\s+sous-traitant\b",
    r"\b(?:accord|entente|convention|contrat)\s+(?:relati[fv]e?\s+au\s+|de\s+)"
    r"(?:traitement|sous-traitance)",
    r"\ble\s+sous-traitant\s+(?:s['’]engage|doit|veille|traite)\b",
    # Access to the customer's people's information is processing it.
    rf"\b(?:the\s+)?(?:processor|{VENDOR_ROLES_EN})\s+(?:has|will\s+have|may\s+have)\s+access\s+to\s+"
    r"(?:the\s+)?(?:personal|customer|client|\w+\s+(?:data|information|records|files))",
    rf"\b(?:le|la|l['’])\s*(?:sous-traitant|{VENDOR_ROLES_FR})\s+(?:a|aura|peut\s+avoir)\s+accès\s+"
    r"(?:aux?|à\s+l['’]|à\s+la)\s*(?:fichiers?|données|renseignements|informations)",
    rf"\b(?:transfer|disclos|provid|communicat|entrust)\w*\s+(?:\w+\s+){{0,4}}to\s+the\s+"
    rf"(?:processor|{VENDOR_ROLES_EN})\b",
    rf"\b(?:communiqu|transf[eéè]r|transmet|confi|fourni)\w*\s+(?:\w+\s+){{0,4}}"
    rf"(?:au|à\s+l['’])\s*(?:sous-traitant|{VENDOR_ROLES_FR})\b",
)
# What is handled: information of any kind, or the customer's records.
INFORMATION = cue(
    r"\b(?:data|information|records?|files?|PHI)\b",
    r"\b(?:données|renseignements|informations?|dossiers?|fichiers?)\b",
)
# The customer's data as a defined term, capitals and all ("Customer Data", "Client Personal
# Data"): how vendor terms written "we/you" name what they process. A privacy notice says "your
# personal information".
CUSTOMER_DATA = re.compile(
    r"\b(?:Client|Customer)\s+(?:Personal\s+)?Data\b|\bDonnées\s+(?:Client|du\s+Client)\b"
    r"|\bData\s+Processing\s+(?:Agreement|Addendum|Terms)\b"  # a defined title, capitals and all
)
# A vendor that names itself by its role and binds itself on personal information several
# times: a services agreement's privacy schedule, even without "on behalf of".
VENDOR_ROLE_DUTY = cue(
    rf"\b(?:the\s+)?(?:processor|{VENDOR_ROLES_EN})\s+(?:shall|will|must|agrees)\b",
    rf"\b(?:le|la|l['’])\s*(?:sous-traitant|{VENDOR_ROLES_FR})\s+"
    r"(?:s['’]engage|doit|devra|veille|est\s+tenu)",
)

# --- the topics ----------------------------------------------------------------------------
PROTECTION = cue(
    r"\b(?:technical\s+and\s+organi[sz]ational|security|protective)\s+"
    r"(?:and\s+\w+\s+)?(?:measures|safeguards|controls|program|programme|standards|procedures)\b",
    r"\bsafeguards?\b",
    r"\bprotect\w*\s+(?:the\s+|all\s+|such\s+)?(?:personal|customer|client|confidential)",
    r"\bencrypt\w*",
    r"\binformation\s+security\b",
    r"\bmesures\s+(?:techniques\s+et\s+organisationnelles|de\s+sécurité|de\s+protection)",
    r"\bsécurité\s+(?:des|de\s+l|du)\b|\bobligations?\s+de\s+sécurité\b|\bsecurity\s+obligations?\b",
    r"\bprotég\w+\s+(?:les|ces)\s+(?:données|renseignements)",
    r"\bchiffr(?:ement|ées?|és?|er|ent)\b",
    r"\b(?:keep|kept|keeps|maintain\w*)\s+(?:\w+\s+){0,4}(?:secure|safe)\b|\ben\s+sécurité\b",
    r"\bmesures\s+(?:\w+,?\s+){1,4}(?:techniques|de\s+sécurité)\b|\bprotection\s+de\s+la\s+sécurité\b",
)
AUDIT = cue(
    r"\baudit\w*",
    r"\binspect\w*",
    r"\bverif(?:y|ication)\s+(?:of\s+)?(?:our\s+|its\s+|the\s+\w+['’]s\s+)?(?:compliance|conformity)\b",
    r"\bSOC\s*[12]\b",
    r"\b(?:toute\s+)?vérifications?\b",
    r"\bcontrôles?\s+(?:sur\s+place|de\s+conformité)\b",
    r"\b(?:faire\s+)?vérifier\b[^.;]{0,100}?\b(?:respect|conformité)\b",
)
AUDIT_REPORTS = cue(
    r"\bSOC\s*[12]\b|\bISO\s*/?\s*(?:IEC\s*)?2700[12]\b",
    r"\b(?:third[- ]party\s+)?(?:audit\s+)?reports?\b",
    r"\bcertifications?\b|\battestations?\b|\brapports?\s+d['’]audit\b",
)
ONLY_REPORTS = cue(
    r"\bin\s+lieu\s+of\b|\binstead\s+of\b|\bsatisf(?:y|ies|ied)\b|\blimited\s+to\b",
    r"\b(?:only|solely|exclusively)\s+(?:by|through|via)\b",
    r"\bau\s+lieu\b|\ben\s+lieu\b|\bt(?:ien|en)\w*\s+lieu\b|\bse\s+limite\b|\blimitée?s?\s+à\b|\bsuffi(?:t|sent|ra)\b",
    r"\b(?:uniquement|exclusivement)\s+(?:par|au\s+moyen)\b",
    r"\bon-site\b|\bsur\s+place\b|\bphysi\w+",
    r"\bsatisf(?:era|ait|ont|eront)\b|\bsole\s+means\b|\bseul\s+moyen\b",
    r"\bby\s+(?:reviewing|examining|reading|providing)\b",
    r"\ben\s+(?:examinant|consultant|fournissant|lisant)\b",
)
# An audit or inspection itself, not the report of someone else's.
REAL_AUDIT = cue(
    r"\baudit(?:s|ing|ed|er)?\b(?!\s+(?:reports?|de\s+certification))|\binspect\w*",
    r"\bon-site\b|\bsur\s+place\b",
    r"\bvérification\s+(?:sur\s+place|des\s+installations)\b",
)
# The vendor hands over its reports: verification by paper, not an audit.
REPORTS_GIVEN = cue(
    # Verbs only: not "Provider", "Supplier", "Fournisseur".
    r"\b(?:provid(?:e|es|ing)|furnish\w*|deliver(?:s|ing)?|send(?:s|ing)?|shar(?:e|es|ing)|"
    r"suppl(?:y|ies|ying))\b",
    r"\b(?:remet\w*|fourni(?:t|ra|ront|r|ssent)|communiqu\w*|transmet\w*|transmett\w*|"
    r"adresse(?:nt|ra)?)\b|\bmet\w*\s+à\s+(?:la\s+)?disposition\b",
)
AUDIT_GRANT = cue(
    r"\b(?:allow|permit|submit|contribute|make\s+available|cooperate|facilitate)\w*\b",
    r"\b(?:permet|permettre|se\s+soumet|contribue|facilite|autorise|accepte)\w*\b",
)
PURPOSE = cue(
    r"\b(?:process|use|access|disclose|handle)\w*\b",
    r"\b(?:trait|utilis|accè|accéd|communiqu|exploit)\w*",
)
PURPOSE_LIMIT = cue(
    r"\b(?:only|solely|exclusively)\b",
    r"\bsole\s+purpose\b|\bfor\s+no\s+other\b|\bother\s+than\b",
    r"\bexcept\s+(?:on|in\s+accordance|as)\b",
    r"\bdocumented\s+instructions\b",
    r"\bin\s+accordance\s+with\s+(?:the\s+)?(?:\w+['’]s\s+)?(?:written\s+)?instructions\b",
    r"\b(?:uniquement|exclusivement|seule\s+fin|seules\s+fins)\b|\bqu['’]aux\s+fins\b",
    r"\binstructions\s+documentées\b|\bconformément\s+(?:aux|à\s+ses|à\s+leurs)\s+instructions\b",
    # "ne traiter les données ... que", "n'utilise les renseignements qu'aux fins".
    rf"\b(?:ne\s+|n{A}\s*)(?:trait|utilis|exploit)\w*\s+(?:[\w’']+\s+){{0,5}}qu(?:e\b|{A})",
    r"\bsur\s+(?:les\s+)?instructions?\b|\bà\s+d['’]autres\s+fins\b",
)
PURPOSE_FREE = cue(
    r"\bfor\s+(?:its|their|our)\s+own\s+(?:\w+\s+){0,2}(?:purposes|business|benefit)\b",
    r"\btrain\w*\s+(?:of\s+)?(?:\w+\s+){0,3}models?\b|\bproduct\s+development\b",
    r"\bfor\s+any\s+(?:lawful\s+|other\s+)?(?:business\s+)?purposes?\b",
    r"\bto\s+(?:improve|develop|train|enhance)\b|\bmarketing\b|\badvertis\w+|\bsell\b",
    r"\bà\s+ses\s+propres\s+fins\b|\bpour\s+son\s+propre\s+compte\b",
    r"\bpour\s+ses\s+propres\s+besoins\b|\bà\s+toute(?:s)?\s+(?:autres?\s+)?fins?\b",
    r"\bà\s+des\s+fins\s+(?:\w+\s+(?:et\s+)?)?(?:commerciales|statistiques|de\s+marketing|"
    r"de\s+prospection|publicitaires)\b",
    r"\baméliorer\b|\bdévelopper\b",
    r"\bentraîner\s+(?:ses|des|nos|leurs)\s+(?:algorithmes|modèles)\b",
)
REQUESTER = (
    r"(?:individual|person|data\s+subject|participant|patient|employee|consumer|member|student|"
    r"end\s+user)s?"
)
DEMANDEUR = (
    r"(?:personnes?|clients?\s+de|usagers?|employés?|salariés?|élèves?|patients?|individus?|"
    r"particuliers?|membres?|abonnés?)"
)
ACCESS_REQUESTS = cue(
    r"\b(?:data\s+subjects?|individuals?|persons?|consumers?)['’]?\s*(?:s\s+)?"
    r"(?:access\s+|rights?\s+)?requests?\b",
    r"\brequests?\s+(?:\w+\s+){0,4}(?:from|by|of)\s+(?:a\s+|an\s+|any\s+)?"
    r"(?:data\s+subjects?|individuals?|persons?|consumers?)\b",
    r"\bexercis\w+\s+(?:of\s+)?(?:their|its|his|her|the)?\s*(?:data\s+protection\s+)?rights\b",
    r"\brights?\s+of\s+(?:access|data\s+subjects)\b|\baccess\s+requests?\b",
    r"\brequests?\s+(?:\w+\s+){0,6}to\s+(?:access|exercise|correct|rectify)\b",
    r"\bdemandes?\s+(?:\w+\s+){0,3}(?:d['’]accès|de\s+(?:la\s+)?personne|des\s+personnes|"
    r"d['’]exercice|de\s+communication|de\s+rectification)",
    r"\bexercice\s+(?:de\s+)?(?:leurs|ses|des)\s+droits\b",
    r"\bpersonnes?\s+concernées?\b[^.;]{0,60}?\bdemandes?\b",
    r"\bdemandes?\b[^.;]{0,60}?\bpersonnes?\s+concernées?\b|\bexercer\s+leurs\s+droits\b",
    r"\b(?:data\s+subjects?|individuals?)\b[^.;]{0,60}?\brequests?\b",
    r"\b(?:requêtes?|demandes?)\s+(?:\w+\s+){0,5}(?:pour|afin\s+d['’]?|visant\s+à)\s*"
    r"(?:accéder|exercer|corriger|rectifier|obtenir\s+l['’]accès)",
    r"\b(?:requêtes?|demandes?)\s+d['’]\s*(?:une?\s+)?(?:\w+\s+){0,2}(?:personnes?\s+concernées?|"
    r"sujets?\s+de\s+données|individus?|employés?|salariés?)",
    r"\bdroits?\s+(?:des\s+personnes|d['’]accès)\b",
    # A person asking for their own records, however the request is put: the person named.
    rf"\b{REQUESTER}\b[^.;]{{0,80}}?\b(?:request\w*|contacts?|asks?|writes?)\b[^.;]{{0,80}}?"
    r"\b(?:access|a\s+copy|correct|rectif)",
    rf"\brequest\w*\b[^.;]{{0,80}}?\bfrom\s+(?:an?\s+|any\s+)?{REQUESTER}\b[^.;]{{0,80}}?"
    r"\b(?:access|a\s+copy|correct|rectif)",
    r"\brequests?\s+for\s+(?:access\s+to|correction\s+of|a\s+copy\s+of)\b[^.;]{0,40}?"
    r"\b(?:personal|his|her|their)\b",
    rf"\b{DEMANDEUR}\b[^.;]{{0,80}}?\b(?:demand\w*|s['’]adress\w*)[^.;]{{0,80}}?(?:accès|accéder|"
    r"consulter|corriger|rectifi|copie)",
    rf"\bdemand\w*\s+(?:\w+\s+){{0,2}}(?:d['’]une?|des|de\s+la|du|de)\s+{DEMANDEUR}\b[^.;]{{0,80}}?"
    r"(?:accès|accéder|consulter|corriger|rectifi|copie)",
)
ACCESS_ACTION = cue(
    r"\b(?:forward|redirect|refer|transmit|notify|inform(?!ation)|assist|help|respond|answer|"
    r"cooperat|support|provide)\w*",
    r"\bpass\w*\s+(?:\w+\s+){0,3}on\b",
    r"\bdirect\w*\s+(?:the\s+)?(?:individual|person|requester|end\s+user)",
    r"\b(?:transmet|transf[eéè]r|redirig|inform(?!ation|atique)|avis|notifi|assist|aid|répond|coopér|"
    r"communiqu|achemin|adress|renvoi|renvoy|réfèr|référ)\w*",
)
BREACH = cue(
    r"\b(?:personal\s+data\s+|data\s+|security\s+|privacy\s+)breach\w*",
    r"\bbreach\s+of\s+security\b",
    r"\b(?:security|privacy|confidentiality|data|information)\s+incidents?\b",
    r"\bunauthori[sz]ed\s+(?:access|disclosure|acquisition)\b",
    r"\bviolations?\s+(?:de\s+(?:la\s+)?|des\s+)(?:données|sécurité|confidentialité)\b",
    r"\bpiratage\b|\bintrusions?\b|\bcyberattaques?\b|\brançongiciel",
    r"\bfuites?\s+(?:de|des)\s+(?:données|renseignements|informations)\b",
    r"\bhack\w*|\bransomware\b|\bcyber[-\s]?(?:attacks?|incidents?)\b",
    r"\bincidents?\s+(?:de\s+(?:sécurité|confidentialité)|affectant)\b",
    r"\batteintes?\s+(?:à\s+la\s+(?:sécurité|confidentialité)|aux\s+données)\b",
    r"\baccès\s+non\s+autorisé\b",
)
NOTIFY = cue(
    r"\b(?:notif|inform(?!ation)|alert|advis|report)\w*|\btell(?:s|ing)?\b",
    r"\b(?:such|this|that|the|each)\s+notice\s+(?:shall|will|must)\b",
    r"\b(?:notifi|inform(?!ation|atique)|avis|aviser|signal|préven|prévien|annonc)\w*",
)
RETURN_DESTRUCTION = cue(
    r"\b(?:return|delet|destr(?:oy|uct)|eras|dispos\w*\s+of|anonymi[sz])\w*",
    r"\b(?:restitu|supprim|suppression|détrui|destruction|effac|renvo|retourn|anonymis)\w*",
)
# What is given back or destroyed: the information, not the keys or the equipment.
RETURNED = cue(
    r"\b(?:data|information|records|files|copies|documents|materials|them)\b",
    r"\b(?:données|renseignements|informations?|fichiers|copies|documents|supports)\b",
    r"\b(?:les|la|le|l['’])\s*(?:restitu|supprim|détrui|effac|renvo|retourn|anonymis)\w*",
)
ON_REQUEST_ONLY = cue(
    r"\b(?:asks?|requests?)\s+(?:that\s+)?(?:us|you|it|(?:the\s+)?\w+)\s+(?:in\s+writing\s+)?(?:to\s+)?"
    r"(?:delete|return|destroy|erase)",
    r"\bdemande\s+(?:par\s+écrit\s+)?(?:au\s+\w+\s+)?(?:par\s+écrit\s+)?(?:de\s+(?:supprimer|restituer|"
    r"détruire|effacer)|la\s+(?:suppression|restitution|destruction))",
    r"\b(?:upon|on)\s+(?:the\s+)?(?:your\s+|its\s+|their\s+|\w+['’]s\s+)?(?:written\s+)?request\b",
    r"\bif\s+(?:so\s+)?requested\b|\bat\s+the\s+(?:\w+['’]s\s+)?request\b",
    r"\bsur\s+(?:simple\s+)?demande\b|\bà\s+la\s+demande\b|\bsi\s+le\s+\w+\s+le\s+demande\b",
)
END_OF_SERVICE = cue(
    r"\bterminat\w+|\bexpir\w+|\bend\s+of\b|\bcessation\b|\bcompletion\b",
    r"\b(?:services?|agreement|contract)\s+(?:ends?|ended|terminates?)\b",
    r"\bno\s+longer\s+(?:needed|necessary|required)\b",
    r"\bfin\s+d(?:e|u|es)\b|\brésiliation\b|\bexpiration\b|\bterme\s+d[eu]\b|\bterminaison\b",
    r"\bn['’](?:est|sont)\s+plus\s+nécessaires?\b|\bcessation\b|\bachèvement\b",
    r"\bà\s+l['’]issue\b|\bau\s+terme\b|\bprend(?:ra)?\s+fin\b",
)
KEEP_FREELY = cue(
    r"\b(?:may|is\s+entitled\s+to)\s+(?:\w+\s+){0,3}(?:retain|keep|store)\b.*"
    r"(?:indefinitely|for\s+(?:its|any)\s+(?:own\s+)?purpose|as\s+long\s+as\s+it)",
    r"\b(?:peut|pourra)\s+(?:\w+\s+){0,3}conserver\b.*"
    r"(?:indéfiniment|sans\s+limit|à\s+ses\s+propres\s+fins|aussi\s+longtemps\s+qu)",
)
SUB_PROCESSORS = cue(
    r"\bsub-?processors?\b|\bsub-?contractors?\b|\bsubcontract\w*",
    r"\bthird[- ]party\s+processors?\b|\banother\s+processor\b|\bother\s+processors\b",
    r"\bsous-traitants?\s+(?:ultérieurs?|secondaires?|de\s+second\s+rang)\b|\bsous-processeurs?\b",
    r"\bnouveaux?\s+sous-traitants?\b",
    r"\bautres?\s+sous-traitants?\b|\bsous-traitance\s+ultérieure\b|\bsous-traiter\b",
    r"\b(?:faire\s+appel|recourir|confier\s+(?:\w+\s+){0,4})\s*à\s+(?:un|des|d['’]autres|tout)\s+"
    r"(?:autres?\s+)?(?:sous-traitants?|sous-contractants?|tiers)\b",
)
# What the vendor requires of its sub-processors ("will require each Sub-processor to protect").
ASKED_OF_SUB_PROCESSORS = cue(
    r"\b(?:require|impose|oblige|bind)\w*\s+(?:on\s+|upon\s+)?(?:\w+\s+){0,2}"
    r"(?:sub-?processors?|sub-?contractors?)\b",
    r"\b(?:exige|impose|oblige)\w*\s+(?:à\s+|de\s+)?(?:\w+\s+){0,2}(?:sous-traitants?\s+ultérieurs?|"
    r"sous-processeurs?)\b",
)
SUB_PROCESSOR_CONTROL = cue(
    r"\bnoti(?:ce|fy|fies|fication)\b|\binform(?!ation|atique)\w*|\bobject\w*|\bauthori[sz]\w*|\bconsent\w*",
    r"\bapprov\w*|\bflow\s+down\b",
    r"\bsame\s+(?:[\w-]+,?\s+){0,4}(?:obligations|restrictions|requirements|conditions)\b",
    r"\bpréavis\b|\bavis\w*|\bnotifi\w*|\bopposition\b|\bs['’]opposer\b|\bautorisation\b|\baccord\b",
    r"\bmêmes\s+obligations\b|\bconsentement\b",
    r"\bupdate\w*\s+(?:the|our|its)\s+list\b|\bdays\s+before\b|\bjours\s+avant\b",
)
# The customer told of a new sub-processor...
TOLD = cue(
    r"\bnoti(?:ce|fy|fies|fied|fication)\b|\binform(?!ation|atique)\w*|\bpublish\w*|\bpost\w*",
    r"\bpréavis\b|\bavis\w*|\bnotifi\w*|\bpubli\w*",
)
# ... before it happens, in time to object...
BEFOREHAND = cue(
    r"\bprior\b|\bin\s+advance\b|\bbefore\b|\bintend\w*|\bpropos\w*|\bdays['’]?\s+(?:written\s+)?notice\b",
    r"\bpréalabl\w*|\bavant\b|\bà\s+l['’]avance\b|\benvisag\w*|\bpréavis\b|\bqu['’]après\b",
    r"\bonly\s+after\b",
)
# ... and its say in it, beyond being told.
SAY_IN_IT = cue(
    # Not "authorised Sub-processors", nor "l'Accord" (the agreement).
    r"\bobject\w*|\bconsent\w*|\bapprov\w*|\bauthori[sz]ation\b|\bveto\b",
    r"\bopposition\b|\bs['’]opposer\b|\bautorisation\b|(?<!l['’])\baccord\b|\bconsentement\b",
    r"\bapprobation\b",
)
# Given, not withheld: "you hereby provide a general authorization", "vous nous donnez une
# autorisation générale"; "without ... general written authorisation" keeps its control.
GENERAL_AUTHORISATION = cue(
    r"\b(?:grant|give|provide|confer)\w*\s+(?:\w+\s+){0,3}general\s+(?:written\s+)?"
    r"(?:authori[sz]ation|consent)\b",
    r"\b(?:donne|accorde|confère|consent)\w*\s+(?:\w+\s+){0,3}(?:autorisation|consentement)\s+"
    r"(?:écrite?\s+)?général\w*",
    r"\bautorise\w*\s+de\s+(?:manière|façon)\s+générale\b|\bgenerally\s+authori[sz]es?\b",
)
CONTROL_WORD = r"(?:prior\s+)?(?:notice|notifying|consent|approval|informing|authori[sz]ation)"
SUB_PROCESSORS_FREE = cue(
    rf"\bwithout\s+(?:any\s+)?{CONTROL_WORD}(?:\s+(?:to|of|from))?"
    rf"(?:\s+(?:or|and|nor)\s+(?:the\s+)?{CONTROL_WORD})?",
    r"\bat\s+its\s+(?:sole\s+)?discretion\b|\bfreely\b|\bat\s+any\s+time\b",
    # "sans que le Fournisseur soit tenu d'en informer préalablement le Client"
    r"\bsans\s+que\s+(?:[\w’'-]+\s+){1,3}(?:soit|ait|soient|aient)\s+(?:tenue?s?\s+d['’]\s*|à\s+)"
    r"(?:en\s+)?(?:informer|aviser|prévenir)(?:\s+préalablement)?",
    r"\bsans\s+(?:préavis|en\s+informer|informer|l['’]accord|autorisation|consentement)\b"
    r"(?:\s+ni\s+(?:\w+\s+){0,2}(?:autorisation|accord|consentement|préavis|notification|"
    r"information)\w*)?",
    r"\bà\s+sa\s+(?:seule\s+)?discrétion\b|\blibrement\b",
)
CROSS_BORDER = cue(
    r"\btransfer\w*\b.*\b(?:outside|countr(?:y|ies)|jurisdictions?|abroad|international\w*|"
    r"cross-border|EEA|European\s+Economic\s+Area|Canada|Qu[eé]bec|United\s+States)\b",
    r"\b(?:stor|host|process|locat)\w*\s+(?:\w+\s+){0,6}outside\b",
    r"\bdata\s+(?:residency|locali[sz]ation)\b|\bcross-border\b",
    r"\bstandard\s+contractual\s+clauses\b|\bSCCs?\b|\brestricted\s+transfers?\b",
    r"\btransfer\s+mechanisms?\b|\badequacy\s+decisions?\b",
    r"\btransf[eéè]r\w*\b.*(?:\bhors\b|\ben\s+dehors\b|à\s+l['’]extérieur|\bpays\b|\bétranger|\binternationa\w*|"
    r"Québec|Canada|l['’]Union\b)",
    r"\b(?:héberg|stock|conserv|trait)\w*\s+(?:\w+\s+){0,6}(?:hors\s+d|à\s+l['’]extérieur)",
    r"\bclauses\s+contractuelles\s+types\b",
    r"\bcommuniqu\w*\s+(?:\w+\s+){0,4}(?:à\s+l['’]extérieur|hors\s+d|en\s+dehors)",
    r"\bin\s+any\s+country\b|\bdans\s+(?:tout|n['’]importe\s+quel)\s+pays\b",
    r"\bà\s+l['’]étranger\b|\babroad\b|\bhors\s+(?:du\s+|de\s+l['’]|de\s+la\s+)?(?:Québec|Canada|"
    r"Union|France|Suisse|UE|EEE|Espace)",
    r"\b(?:from\s+)?outside\s+(?:of\s+)?(?:the\s+)?(?:Canada|Qu[eé]bec|EEA|EU|European|United\s+"
    r"States|U\.S|country|province|jurisdiction)",
    r"\b(?:stor|process|host)\w*\b[^.;]{0,80}?\b(?:countr(?:y|ies)|jurisdictions?)\b",
    # Where the data is kept: a promise of place is one about leaving it.
    r"\b(?:héberg|stock|conserv|trait)\w*\b[^.;]{0,120}?\bsur\s+le\s+territoire\b",
    r"\b(?:host|stor|process|kept|keep)\w*\b[^.;]{0,120}?\bin\s+the\s+territory\s+of\b",
    r"\b(?:héberg|stock|conserv)\w*\b[^.;]{0,120}?\b(?:situés?\s+)?(?:au|en|dans|au\s+sein\s+de)\s+"
    r"(?:l['’])?(?:Canada|Québec|France|Europe|Union|Suisse|Belgique|Luxembourg|Espace|EEE|UE)\b",
    r"\b(?:host|stor|keep|kept)\w*\b[^.;]{0,120}?\b(?:located\s+)?(?:in|within)\s+(?:the\s+)?"
    r"(?:continental\s+)?(?:Canada|EU|European|Qu[eé]bec|United\s+States|EEA|Switzerland)",
)
TRANSFER_FREE = cue(
    r"\b(?:any|every)\s+(?:other\s+)?(?:country|countries|location|jurisdiction)\b|\banywhere\b",
    r"\bwithout\s+(?:any\s+)?(?:restriction|limitation|notice|consent|approval)\b",
    r"\btout\s+pays\b|\bn['’]importe\s+(?:quel|où)\b",
    r"\bsans\s+(?:aucune\s+)?(?:restriction|limitation|préavis|autorisation|consentement)\b",
    r"\bsans\s+(?:que\s+(?:[\w-]+\s+){1,3}(?:ait|aient)\s+à\s+)?(?:en\s+)?(?:informer|aviser)\b",
    r"\bwithout\s+(?:\w+\s+){0,2}(?:notice|notifying|informing|consent)\b",
)
PERSONNEL = cue(
    r"(?<!renseignement\s)(?<!renseignements\s)\bpersonnel\b|\bemployees?\b|\bstaff\b|\bagents\b|\bworkers?\b",
    r"\bworkforce\b",
    r"\b(?:persons?|individuals?|people|anyone)\s+(?:\w+\s+){0,2}authori[sz](?:es|ed|e)\b",
    r"\b(?:its|their|ses|leurs)\s+(?:\w+\s+){0,2}(?:who|qui)\s+(?:will\s+)?(?:have\s+|ont\s+)?"
    r"(?:access|accès|accèdent)",
    r"\banyone\s+(?:who|with)\s+access\b",
    r"\b(?:everyone|anyone|all|each)\s+(?:\w+\s+){0,3}(?:team|staff)\b|\bnotre\s+équipe\b",
    r"\b(?:every|each|any)\s+(?:employee|agent|individual|person|worker)\b",
    r"\bpréposés\b|\bemployés\b|\bsalariés\b|\bcollaborateurs\b|\bmembres\s+du\s+personnel\b",
    r"\bpersonnes?\s+(?:\w+\s+){0,3}autoris\w+",
)
CONFIDENTIALITY = cue(
    r"\bconfidential\w*|\bsecrecy\b|\btrain\w*|\bneed[- ]to[- ]know\b",
    r"\baware\s+of\s+(?:their|his|her)\s+(?:\w+\s+)?obligations\b|\bsensibilis\w+",
    r"\bconfidentialit\w*|\bformé\w*|\bformation\b|\bbesoin\s+d['’]en\s+connaître\b|\bsecret\b",
)

# --- figures ---------------------------------------------------------------------------------
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "five": 5, "seven": 7, "ten": 10, "fourteen": 14,
    "fifteen": 15, "twenty": 20, "twenty-four": 24, "thirty": 30, "forty-five": 45,
    "forty-eight": 48, "sixty": 60, "seventy-two": 72, "ninety": 90,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "cinq": 5, "sept": 7, "dix": 10, "quatorze": 14,
    "quinze": 15, "vingt": 20, "vingt-quatre": 24, "trente": 30, "quarante-cinq": 45,
    "quarante-huit": 48, "soixante": 60, "soixante-douze": 72, "quatre-vingt-dix": 90,
}  # fmt: skip
DURATION = re.compile(
    r"\b(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"\)?\s*(?:\(\d+\)\s*)?(?:(business|working|calendar)\s+)?"
    r"(hours?|heures?|days?|jours?|weeks?|semaines?|months?|mois)\b",
    re.IGNORECASE,
)
HOURS_PER = {"hour": 1, "heure": 1, "day": 24, "jour": 24, "week": 168, "semaine": 168}
HOURS_PER |= {"month": 720, "mois": 720}

# A definition says what a word means, and binds no one.
DEFINITION = cue(
    r"^\W*(?:\(?\w{1,3}[.)]\s*)?[«\"“]\s*([^»\"”]{1,80}?)\s*[»\"”](?:\s+or\s+[«\"“][^»\"”]+[»\"”])?\s+"
    r"(?:means|désigne|signifie|s['’]entend|refers\s+to|has\s+the\s+meaning|includes)\b",
)
