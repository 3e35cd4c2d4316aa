"""The demo discussions' text: a few threads per demo working group, with replies.

Written as members of the sector would write them (synthetic, but plausible). Read by
:func:`cobioe_cms.demo.community.ensure_threads`; nothing here touches the database.

Authors are keys of :data:`PEOPLE`. A thread: (title, author, days ago, body, options);
its replies: (key, author, parent key or None, text, options). Options: ``pinned``,
``locked``, ``language`` on threads; ``quote`` (quote the parent), ``held`` (waits for a
moderator), ``reported_by`` (an author key) on replies. ``{actor}`` in a text becomes the
slug of a demo organisation's profile (an ``@slug`` mention).
"""

from __future__ import annotations

# key: (username, e-mail, full name). "newcomer" signed up today: their post is held.
PEOPLE = {
    "ana": ("demo-ana", "ana.ferreira@example.org", "Ana Ferreira"),
    "lukas": ("demo-lukas", "lukas.becker@example.org", "Lukas Becker"),
    "claire": ("demo-claire", "claire.martin@example.org", "Claire Martin"),
    "soren": ("demo-soren", "soren.nielsen@example.org", "Søren Nielsen"),
    "newcomer": ("demo-newcomer", "nina.novak@example.org", "Nina Novak"),
}
NEW_PEOPLE = {"newcomer"}
COORDINATOR = "coordinator"  # the demo coordinator of every group (community.py)

THREADS = {
    "mrna-scale-up": [
        (
            "Welcome: how this group works",
            COORDINATOR,
            40,
            "This group shares what works (and what does not) when mRNA processes move "
            "from the bench to GMP batches.\n\n"
            "- Start one thread per question, with a clear title.\n"
            "- No confidential process data: describe ranges, not your recipe.\n"
            "- Mention an organisation with its profile's slug, like @genopole.",
            {"pinned": True},
            [
                ("r1", "ana", None, "Thanks for setting this up. Looking forward to it.", {}),
            ],
        ),
        (
            "LNP formulation: T-junction or impingement jet mixing at 10 L?",
            "lukas",
            12,
            "We are moving an LNP formulation from microfluidic chips to a 10 L batch. "
            "Has anyone compared T-junction and confined impingement jet mixers at that "
            "scale? We see particle size drift from 80 to 110 nm when the total flow rate "
            "goes above 200 mL/min.",
            {},
            [
                (
                    "a",
                    "ana",
                    None,
                    "We went with impingement jets. Size stayed within 85–95 nm up to "
                    "400 mL/min, but only after we matched the ethanol ratio exactly; a "
                    "2 % drift in the aqueous flow was enough to broaden the PDI.",
                    {},
                ),
                (
                    "b",
                    "lukas",
                    "a",
                    "Did you measure the PDI in-line or off-line? We only have DLS after "
                    "the dialysis step, which hides a lot.",
                    {},
                ),
                (
                    "c",
                    "ana",
                    "b",
                    "Off-line, on samples taken every 5 minutes. The team at @{actor} "
                    "showed us their in-line set-up; worth a visit.",
                    {},
                ),
                (
                    "d",
                    "claire",
                    "c",
                    "Same experience here: sampling every 5 minutes is the minimum.",
                    {},
                ),
                (
                    "e",
                    "soren",
                    "a",
                    "Which ratio did you settle on? We run 3:1 aqueous to ethanol.",
                    {"quote": True},
                ),
                (
                    "f",
                    "soren",
                    None,
                    "Cheap single-use filters, any size, best prices in Europe!!! "
                    "Write to me for a quote.",
                    {"reported_by": "claire"},
                ),
                (
                    "g",
                    "newcomer",
                    None,
                    "Hello, I am new here. We use a staggered herringbone mixer; happy to "
                    "share our numbers if it helps.",
                    {"held": True},
                ),
            ],
        ),
        (
            "Capping efficiency: enzymatic or co-transcriptional at 5 g scale?",
            "claire",
            5,
            "Our co-transcriptional capping gives 92 % capped mRNA at 1 g and 85 % at "
            "5 g. Is anyone running enzymatic capping at that scale, and at what cost "
            "per gram?",
            {},
            [
                (
                    "a",
                    "lukas",
                    None,
                    "Enzymatic here, above 95 %, but the enzyme is half the cost of goods "
                    "of the batch.",
                    {},
                ),
            ],
        ),
    ],
    "cell-therapy-qc": [
        (
            "Potency assays for CAR-T release: what do the agencies accept?",
            "ana",
            20,
            "We release with a cytotoxicity assay (co-culture, 24 h) and IFN-γ "
            "secretion. The assessors asked for a second, orthogonal potency assay. "
            "What did others use?",
            {},
            [
                (
                    "a",
                    "claire",
                    None,
                    "A flow-based degranulation assay (CD107a) was accepted for us, "
                    "validated against the cytotoxicity assay on 30 lots.",
                    {},
                ),
                (
                    "b",
                    "ana",
                    "a",
                    "30 lots is a lot for an early-phase product. Did you use engineering runs?",
                    {},
                ),
                (
                    "c",
                    "claire",
                    "b",
                    "Yes: 12 engineering runs and healthy-donor material for the rest.",
                    {},
                ),
            ],
        ),
        (
            "Tests de stérilité rapides : retours d'expérience",
            "claire",
            8,
            "Nous évaluons un test de stérilité rapide (respirométrie, 7 jours) pour "
            "remplacer la méthode de la Pharmacopée à 14 jours sur nos lots de cellules "
            "autologues. Quelqu'un l'a-t-il déjà validé selon le chapitre 5.1.6 ?",
            {"language": "fr"},
            [
                (
                    "a",
                    "ana",
                    None,
                    "Oui, validé l'an dernier. Comptez six mois pour l'étude de "
                    "non-infériorité, avec dix micro-organismes de référence.",
                    {},
                ),
                (
                    "b",
                    "claire",
                    "a",
                    "Merci ! Avez-vous dû garder la méthode classique en parallèle ?",
                    {},
                ),
            ],
        ),
    ],
    "viral-vectors": [
        (
            "Capacity survey 2026 (closed)",
            COORDINATOR,
            60,
            "The survey of AAV and lentiviral vector capacity in the consortium's "
            "regions is closed. Thanks to all who answered; the summary goes to the "
            "steering group next month.",
            {"locked": True},
            [
                (
                    "a",
                    "soren",
                    None,
                    "Will the summary give capacity per suspension or adherent process?",
                    {},
                ),
                ("b", COORDINATOR, "a", "Yes, both, in litres of bioreactor volume.", {}),
            ],
        ),
        (
            "Full/empty capsid ratio: AUC or mass photometry?",
            "soren",
            9,
            "Analytical ultracentrifugation takes us two days per sample. Has anyone "
            "moved release testing of the full/empty ratio to mass photometry?",
            {},
            [
                (
                    "a",
                    "lukas",
                    None,
                    "For in-process control, yes; release stays on AUC until we have "
                    "enough comparability data.",
                    {},
                ),
            ],
        ),
    ],
    "regulatory-watch": [
        (
            "EU pharmaceutical package: what changes for ATMP hospital exemption?",
            "lukas",
            15,
            "The new text narrows the hospital exemption and asks for data reporting to "
            "the agency. Who has read the final compromise?",
            {},
            [
                (
                    "a",
                    COORDINATOR,
                    None,
                    "The reporting is annual, per product. The detail comes in an "
                    "implementing act.",
                    {},
                ),
                (
                    "b",
                    "lukas",
                    "a",
                    "So nothing changes for the hospitals before the implementing act?",
                    {},
                ),
            ],
        ),
        (
            "Annex 1: contamination control strategy templates",
            "claire",
            3,
            "Would anyone share the structure (not the content) of their contamination "
            "control strategy document?",
            {},
            [
                (
                    "a",
                    "ana",
                    None,
                    "Ours follows the Annex 1 sections one by one; I can post the table "
                    "of contents next week.",
                    {},
                ),
            ],
        ),
    ],
    "skills-and-training": [
        (
            "Formation des opérateurs : combien d'heures en salle blanche simulée ?",
            "claire",
            18,
            "Nous construisons un parcours de formation pour les opérateurs de "
            "production. Combien d'heures en salle blanche simulée prévoyez-vous avant "
            "la première qualification aseptique (media fill) ?",
            {"language": "fr"},
            [
                (
                    "a",
                    "ana",
                    None,
                    "Chez nous : 40 heures, dont 12 en habillage et gestes aseptiques "
                    "filmés puis commentés.",
                    {},
                ),
                (
                    "b",
                    "claire",
                    "a",
                    "Les vidéos commentées, c'est une bonne idée. Merci !",
                    {},
                ),
            ],
        ),
        (
            "Shared e-learning modules on GMP basics",
            "soren",
            6,
            "Three clusters have GMP basics modules in English. Could we pool them "
            "instead of each writing our own?",
            {},
            [
                ("a", COORDINATOR, None, "Yes. I will list them in a shared table.", {}),
            ],
        ),
    ],
    "consortium-steering": [
        (
            "Agenda of the next steering meeting",
            COORDINATOR,
            7,
            "Proposed points: the platform's first year, the working groups' "
            "activity, the training catalogue. Add yours below.",
            {},
            [
                (
                    "a",
                    "soren",
                    None,
                    "Please add the regional capacity survey (viral vectors).",
                    {},
                ),
                ("b", COORDINATOR, "a", "Added.", {}),
            ],
        ),
        (
            "Platform statistics for the annual report",
            "ana",
            2,
            "Which figures do we want in the annual report: profiles claimed, groups, "
            "active members?",
            {},
            [],
        ),
    ],
}
