"""Human-dignity guard: refuse priority criteria that down-rank people for who they are.

Prop. 1996/97:60 (människovärdesprincipen): all people have equal worth and equal rights,
whatever their personal characteristics or function in society. Age, birth weight, lifestyle
and economic or social conditions must not be used as *general* grounds for lowering priority,
and self-inflicted illness must not lead to negative treatment. They may matter only through
the need and the benefit: age through the medical condition and the expected benefit of the
measure, a habit where it changes the benefit or the risk of the measure.

:func:`check_criteria` screens the criteria an analyst or politician writes in Swedish. It is a
text screen, deliberately strict: a criterion that names a protected ground is refused unless
it ties that ground to the medical condition or the benefit of the measure, or gives the group
*more* priority for a greater need (need–solidarity). Self-blame is refused even then, and
social or economic position can never lower priority. A refusal is a prompt to rewrite the
criterion, with the reason, not a legal review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from halsogap.priorities._common import PrioritiesInputError

PROP = "prop. 1996/97:60"

#: The protected grounds: name → (pattern, what prop. 1996/97:60 says about it).
GROUNDS: dict[str, tuple[str, str]] = {
    "ålder": (
        r"\bålder|\b\d{1,3}\s*(?:år\b|\+|-åring)|\bäldre\b|\byngre\b|\bunga?\b|\bgamla?\b"
        r"|\bpensionär|\bålderspension|\bfödelsevikt|\bfödda?\s+(?:före|efter)\b|\bbarn\b",
        "Ålder får inte vara en allmän grund för att prioritera ned; den får bara spela in "
        "genom det medicinska tillståndet och den nytta åtgärden kan ge.",
    ),
    "levnadsvanor": (
        r"\bröka|\brökare|\brökning|\bröker\b|\bsnus|\btobak|\bnikotin|\balkohol|\bdricker\b"
        r"|\bberoende|\bmissbruk|\bnarkotika|\bdroger|\bövervikt|\bfetma|\bbmi\b|\binaktiv"
        r"|\bstillasittande|\blevnadsvan|\blivsstil|\bohälsosam|\bmatvan|\bspel\b|\bspelar"
        r"|självförvållad|självvald|egen skuld|\bsig själv",
        "Levnadsvanor får inte vara en allmän grund för att prioritera ned, och självförvållad "
        "ohälsa får inte leda till sämre behandling; en vana får bara spela in där den påverkar "
        "nyttan eller risken med just den åtgärden.",
    ),
    "social ställning": (
        r"inkomst|\butbildning|\butbildade|\barbetslös|\bsysselsättning|\bförsörjningsstöd"
        r"|\bbidrag|\bekonomisk|\bfattig|\brika?\b|\bförmögen|\bsocial(?:a)? ställning"
        r"|socioekonomisk|\byrke|\bhemlös|\bbostadslös|\butrikes född|\binvandra|\bmedborgar"
        r"|\bbetala själv|\bskattebetal|\bproduktiv|\barbetsför|\bförvärvsarbet|\bsamhällsnytt"
        r"|funktion i samhället|\bsjukskriv",
        "Ekonomiska och sociala förhållanden, och den funktion man har i samhället, får inte "
        "vara grund för att prioritera ned. Större behov i utsatta grupper ska i stället ge "
        "företräde (behovs-solidaritetsprincipen).",
    ),
    "personliga egenskaper": (
        r"\bkön\b|\bmän\b|\bkvinnor\b|\betnicitet|\betnisk|\bursprung|\breligion|\btro\b"
        r"|\bsexuell läggning|\bhudfärg|\bfunktionsnedsättning|\bfunktionshind",
        "Alla människor har lika värde och samma rätt oberoende av personliga egenskaper; "
        "sådana egenskaper får inte vara grund för att prioritera ned.",
    ),
}

_LOWER = (
    r"lägre prio|nedprioriter|prioriteras? (?:ned|ner|lägre|sist|bort)|\bsist\b|exkluder"
    r"|uteslut|\bundanta|inte erbjud|ej erbjud|inte få|ej få|ingen behandling|inte behandla"
    r"|\bavstå|\bsänk|\bminuspoäng|\bavdrag|\bframför\b|\bfår vänta|\bvänta längre|\bnekas|\bneka\b"
    r"|\bstryk|\bbegräns"
)
_NEGATED_LOWER = (
    r"\b(?:inte|ej|aldrig|utan att)\s+(?:få\s+|ges\s+|leda till\s+|ska\s+|skall\s+)?"
    r"(?:lägre prio|nedprioriter|prioriteras? (?:ned|ner|lägre)|uteslut|exkluder|nekas)"
    r"|får (?:inte|ej|aldrig) (?:prioriteras? (?:ned|ner|lägre)|nedprioriteras|uteslutas|nekas)"
)
_RAISE = (
    r"högre prio|uppprioriter|prioriteras? (?:upp|högre|först)|företräde|\bförtur|\bextra\b"
    r"|särskild uppmärksamhet|\bförst\b|\bökad satsning|\bsatsa mer"
)
_SELF_BLAME = (
    r"självförvållad|självvald|egen skuld|sig själv(?:a)? att skylla|\bskyll|\bförtjänar"
    r"|orsakat (?:det|sin|sina|sitt) (?:själv|själva)|\bsjälva orsakat|eget val|egna val"
)
#: Ties the ground to the medical condition, the need or the benefit of the measure.
_MEDICAL_LINK = (
    r"\bnytta|\bnyttan|\beffekt|\bmedicinsk|\btillstånd|\bbiologisk|\bsamsjuklighet"
    r"|\bkomplikation|\bbehandlingsresultat|\bbiverkning|\brisk med åtgärden|\brisken med"
    r"|\bfungerar sämre|\bkontraindik|\bförväntad"
)
_NEED_LINK = r"\bbehov|\bhälsogap|\bohälsa|\bsjuklighet|\bdödlighet|\brisk för\b"


@dataclass(frozen=True)
class CriterionVerdict:
    """One criterion's verdict: allowed or not, the protected grounds found, and why."""

    criterion: str
    allowed: bool
    grounds: tuple[str, ...]
    explanation: str


class HumanDignityError(PrioritiesInputError):
    """Criteria that the human-dignity principle does not allow; ``verdicts`` say which."""

    def __init__(self, verdicts: list[CriterionVerdict]):
        self.verdicts = verdicts
        refused = [v for v in verdicts if not v.allowed]
        super().__init__(" ".join(f"«{v.criterion}»: {v.explanation}" for v in refused))


def _found(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def _verdict(criterion: str) -> CriterionVerdict:
    text = " ".join(criterion.lower().split())
    grounds = tuple(name for name, (pattern, _) in GROUNDS.items() if _found(pattern, text))
    if not grounds:
        return CriterionVerdict(
            criterion,
            True,
            (),
            "Godtas: kriteriet nämner ingen grund som människovärdesprincipen skyddar.",
        )
    why = " ".join(GROUNDS[name][1] for name in grounds)
    listed = ", ".join(grounds)
    negated = _found(_NEGATED_LOWER, text)
    lowers = _found(_LOWER, re.sub(_NEGATED_LOWER, " ", text))
    raises = _found(_RAISE, text)
    if _found(_SELF_BLAME, text):
        return CriterionVerdict(
            criterion,
            False,
            grounds,
            f"Avvisas: att ohälsan anses självförvållad får enligt {PROP} inte leda till sämre "
            f"behandling. {why}",
        )
    if negated and not lowers:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            f"Godtas: kriteriet slår fast att gruppen inte ska prioriteras ned ({listed}), "
            f"i linje med människovärdesprincipen ({PROP}).",
        )
    if raises and not lowers:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            "Godtas: att ge företräde åt en grupp med större behov följer "
            f"behovs-solidaritetsprincipen ({PROP}). Motivera det med behovet, inte med "
            "egenskapen i sig.",
        )
    social = "social ställning" in grounds or "personliga egenskaper" in grounds
    medical = _found(_MEDICAL_LINK, text)
    if medical and not social:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            f"Godtas: {listed} spelar här in genom det medicinska tillståndet eller nyttan av "
            f"åtgärden, vilket {PROP} tillåter. Redovisa underlaget för nyttan.",
        )
    if _found(_NEED_LINK, text) and not lowers:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            f"Godtas: kriteriet beskriver ett behov i gruppen ({listed}), inte en egenskap som "
            f"skäl att prioritera ned ({PROP}).",
        )
    reason = (
        "sänker prioriteten på grund av"
        if lowers
        else "använder, utan koppling till tillstånd eller nytta, som allmän grund"
    )
    return CriterionVerdict(
        criterion,
        False,
        grounds,
        f"Avvisas: kriteriet {reason} {listed}. Enligt människovärdesprincipen ({PROP}) har alla "
        f"lika värde och samma rätt. {why}",
    )


def check_criteria(criteria: Iterable[str] | str) -> list[CriterionVerdict]:
    """Screen priority criteria against the human-dignity principle (see the module docstring).

    >>> [v.allowed for v in check_criteria(["lägre prioritet för rökare", "över 80 år",
    ...     "låg inkomst", "stor svårighetsgrad"])]
    [False, False, False, True]
    >>> v = check_criteria("rökare får lägre prioritet eftersom rökning minskar nyttan av operationen")
    >>> v[0].allowed, v[0].grounds
    (True, ('levnadsvanor',))
    """
    if isinstance(criteria, str):
        criteria = [criteria]
    verdicts = []
    for criterion in criteria:
        if not isinstance(criterion, str):
            raise PrioritiesInputError(f"check_criteria: {criterion!r} är inte en text")
        if criterion.strip():
            verdicts.append(_verdict(criterion))
    return verdicts


def ensure_criteria_allowed(criteria: Iterable[str] | str) -> list[CriterionVerdict]:
    """The verdicts, or a :class:`HumanDignityError` if any criterion is refused.

    >>> ensure_criteria_allowed(["hög nytta"])[0].allowed
    True
    >>> try:
    ...     ensure_criteria_allowed(["nedprioritera personer över 80 år"])
    ... except HumanDignityError as error:
    ...     print(error.verdicts[0].grounds, str(error)[:74])
    ('ålder',) «nedprioritera personer över 80 år»: Avvisas: kriteriet sänker prioriteten
    """
    verdicts = check_criteria(criteria)
    if any(not v.allowed for v in verdicts):
        raise HumanDignityError(verdicts)
    return verdicts
