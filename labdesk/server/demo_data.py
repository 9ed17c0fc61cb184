"""The fixed parts of the demo: catalog, organisations, people, patients, words."""

from __future__ import annotations

from typing import Final

from labdesk.domain.restorations import RestorationKind as K

DEMO_PASSWORD: Final = "demo"
LAB_NAME: Final = "Northside Dental Lab"
LAB2_NAME: Final = "Harbour Ceramics"

# code, name, kind, default material, turnaround business days, needs a quote
CATALOG: Final = (
    ("ZR-CROWN", "Zirconia crown", K.CROWN, "Multilayer zirconia", 5, False),
    ("EMAX-CROWN", "e.max crown", K.CROWN, "Lithium disilicate", 6, False),
    ("PFM-CROWN", "PFM crown", K.CROWN, "Porcelain fused to metal", 7, False),
    ("PFM-BRIDGE", "PFM bridge", K.BRIDGE, "Porcelain fused to metal", 8, False),
    ("ZR-BRIDGE", "Zirconia bridge", K.BRIDGE, "Multilayer zirconia", 7, False),
    ("VENEER", "Porcelain veneer", K.VENEER, "Feldspathic porcelain", 7, False),
    ("INLAY-ONLAY", "Inlay / onlay", K.INLAY_ONLAY, "Lithium disilicate", 5, False),
    ("IMPL-CROWN", "Implant crown (screw-retained)", K.IMPLANT_CROWN, "Zirconia on Ti-base", 8,
     False),
    ("IMPL-CUSTOM", "Custom abutment and implant crown", K.IMPLANT_CROWN, "Titanium + zirconia",
     10, True),
    ("FULL-ARCH", "Full-arch implant bridge", K.BRIDGE, "Zirconia on titanium bar", 15, True),
    ("DENTURE-FULL", "Full denture", K.DENTURE, "Acrylic", 10, False),
    ("DENTURE-CAST", "Cast partial denture", K.DENTURE, "Cobalt-chrome", 12, True),
    ("NIGHT-GUARD", "Night guard", K.NIGHT_GUARD, "Hard acrylic", 4, False),
)  # fmt: skip

# username (= its role for the lab), display name
LAB_STAFF: Final = (
    ("lab_admin", "Dana Whitfield"),
    ("reviewer", "Ravi Patel"),
    ("designer", "Mia Sørensen"),
    ("production_tech", "Tomás Ortega"),
    ("ceramist", "Yuki Tanaka"),
    ("finishing_tech", "Grace Okafor"),
    ("qc_manager", "Henrik Berg"),
    ("shipping", "Sam Kowalski"),
)
LAB2_ADMIN: Final = ("lab2_admin", "Fiona MacLeod")

CLINICS: Final = (
    "Riverside Family Dentistry",
    "Old Town Dental Care",
    "Harbour View Dental",
)
# username, display name, clinic index
DENTISTS: Final = (
    ("dentist1", "Dr. Emma Lindqvist", 0),
    ("dentist2", "Dr. Omar Haddad", 0),
    ("dentist3", "Dr. Chloe Martin", 0),
    ("dentist4", "Dr. Lukas Weber", 1),
    ("dentist5", "Dr. Aisha Bello", 1),
    ("dentist6", "Dr. Noah Fischer", 1),
    ("dentist7", "Dr. Isabel Costa", 2),
    ("dentist8", "Dr. Peter Novak", 2),
)

# Licence numbers of the demo dentists (scanner exports name the dentist by them).
DENTIST_LICENSES: Final = {
    "dentist1": "SE-40117",
    "dentist2": "SE-40388",
    "dentist4": "DE-77120",
    "dentist7": "US-CA-55102",
}
FIRST_NAMES: Final = (
    "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    "Katrin", "Leo", "Marta", "Nils", "Olga", "Pablo", "Rosa", "Stefan", "Tara", "Uwe",
    "Vera", "Walter", "Xenia", "Yara", "Zoe", "Amir", "Bianca", "Carl", "Dora", "Emil",
)  # fmt: skip
LAST_NAMES: Final = (
    "Andersen", "Brown", "Clarke", "Dubois", "Eriksson", "Fontaine", "Garcia", "Hansen",
    "Ivanova", "Jensen", "Keller", "Larsen", "Moreau", "Nielsen", "Olsen", "Petrov", "Quinn",
    "Rossi", "Schmidt", "Thompson", "Ulrich", "Varga", "Walsh", "Young", "Zimmermann",
)  # fmt: skip

VITA_SHADES: Final = (
    "A1", "A2", "A3", "A3.5", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D2",
    "D3", "D4", "BL2", "BL3",
)  # fmt: skip
TAGS: Final = ("implant", "VIP", "photos needed", "digital", "anterior", "try-in", "priority")
CARRIERS: Final = ("UPS", "DHL", "FedEx", "Lab courier")

INSTRUCTIONS: Final = (
    "Please match the adjacent central; slight translucency at the incisal third.",
    "Tight contacts mesial and distal, patient complained of food impaction.",
    "Light occlusion, patient has bruxism history.",
    "Margin is subgingival on the buccal; see photo.",
    "Use the provisional as a guide for the emergence profile.",
    "Patient prefers a brighter shade than the neighbours.",
    "",
    "",
)
QUESTIONS: Final = (
    ("Occlusal clearance", ("1.5 mm", "1.0 mm", "reduce opposing if needed")),
    ("Pontic design", ("ovate", "modified ridge lap", "sanitary")),
    ("Contacts", ("normal", "light", "heavy")),
    ("Margin", ("chamfer", "shoulder", "feather edge")),
)
REMAKE_REASONS: Final = (
    "Crown does not seat fully on the distal margin",
    "Shade too dark compared to the adjacent teeth",
    "Open contact with the neighbouring tooth",
    "Patient reports high occlusion after adjustment",
)
QC_FAIL_REASONS: Final = (
    "Failed: Contacts",
    "Failed: Shade match",
    "Failed: Fit and margins",
    "Failed: Surface and finish",
)
CANCEL_REASONS: Final = (
    "Patient postponed treatment",
    "Treatment plan changed by the dentist",
    "Duplicate submission",
)
