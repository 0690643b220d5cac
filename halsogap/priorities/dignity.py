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

The guard reads the *direction* of a criterion. Behovs-solidaritetsprincipen (need–solidarity,
the same proposition) says resources go first to those with the greatest need, so:

- raising the priority of a worse-off group (``prioritera kommuner med stora hälsogap``,
  ``socioekonomiskt utsatta områden först``, ``satsa mer på grupper med låg utbildning``) or
  naming an equity goal (``jämlik hälsa``, ``minska skillnaderna i hälsa``) is allowed, also
  when it names social position or age to say who is worse off; the explanation cites
  need–solidarity;
- lowering a group's priority on age, lifestyle or social position (``lägre prioritet för
  rökare``, ``äldre över 80 prioriteras ned``, ``de som själva orsakat sin sjukdom får vänta``)
  is refused; equity words next to a lowering do not save it.

A comparison (``X framför Y``, ``hellre än``, ``i stället för``) lowers Y, and is refused on a
protected ground, unless X is the worse-off group (``utsatta områden framför välbärgade``): then
the order is the order of need.
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
        r"|självförvållad|självvald|egen skuld|\bsig själv|\bsjälva? (?:har )?orsakat"
        r"|orsakat (?:\w+ ){0,3}?själva?\b|\beget val|\begna val",
        "Levnadsvanor får inte vara en allmän grund för att prioritera ned, och självförvållad "
        "ohälsa får inte leda till sämre behandling; en vana får bara spela in där den påverkar "
        "nyttan eller risken med just den åtgärden.",
    ),
    "social ställning": (
        r"inkomst|\butbildning|\butbildade|\barbetslös|\bsysselsättning|\bförsörjningsstöd"
        r"|\bbidrag|\bekonomisk|\bfattig|\brika?\b|\bförmögen|\bsocial(?:a)? ställning"
        r"|socioekonomisk|\byrke|\bhemlös|\bbostadslös|\butrikes född|\butlandsfödd|\binvandra"
        r"|\bnyanländ|\bmedborgar|\bvälbärgad|\bvälbeställd|\bresursstark|\bresurssvag"
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
    r"|\bavstå|\bsänk|\bminuspoäng|\bavdrag|\bfår vänta|\bvänta längre|\bnekas|\bneka\b"
    r"|\bstryk|\bbegräns"
    # Priority withheld: "prioritera inte …", "ska inte ges företräde", "inget företräde".
    r"|\b(?:inte|ej|aldrig) (?:ges |få |ha )?(?:prioriter|företräde|förtur|högre prio)"
    r"|\bprioritera[rs]? (?:inte|ej|aldrig)\b|\binget företräde|\bingen förtur"
    r"|\bingen (?:högre )?prioritet"
)
#: A comparison ranks the group before it above the group after it (see :func:`_comparison`).
_COMPARE = r"\bframför\b|\bhellre än\b|\bsnarare än\b|\bi ?stället för\b"
#: "före" compares only in a sentence about priority ("prioritera unga före äldre"), not in
#: "födda före 1950" or "före operationen".
_COMPARE_BEFORE = r"\bföre\b(?!\s+\d)"
_PRIORITY_WORDS = r"priorit|företräde|förtur|\bgår\b|\bgå\b"
_NEGATED_LOWER = (
    r"\b(?:inte|ej|aldrig|utan att)\s+(?:få\s+|ges\s+|leda till\s+|ska\s+|skall\s+)?"
    r"(?:lägre prio|nedprioriter|prioriteras? (?:ned|ner|lägre)|uteslut|exkluder|nekas"
    r"|sämre (?:behandling|vård))"
    r"|får (?:inte|ej|aldrig) (?:prioriteras? (?:ned|ner|lägre)|nedprioriteras|uteslutas|nekas)"
)
_RAISE = (
    r"högre prio|uppprioriter|prioriteras? (?:upp|högre|först)|företräde|\bförtur|\bextra\b"
    r"|särskild uppmärksamhet|\bförst\b|\bökad satsning|\bsatsa mer"
)
#: Verbs that direct resources to a group; they raise its priority when the group is worse off.
_TOWARDS = (
    r"\bprioriter(?:a|as|ar|at|ade|ing)\b(?!\s+(?:ned|ner|bort|lägre|sist))|\brikta"
    r"|\bsatsa\b|\bsatsning|\bmer (?:resurser|insatser|stöd|medel|pengar)"
    r"|\bökade? (?:resurser|insatser|stöd|medel)|\bförstärk|\bkompenser"
)
#: Wording that marks a group as worse off: poorer health, a greater need or a weaker position.
_WORSE_OFF = (
    r"\butsatt|\bsårbar|\bmissgynnad|\beftersatt|\bresurssvag|\bsocioekonomiskt svag"
    r"|\blåg(?:a)? (?:inkomst|utbildning|socioekonomisk)|\blåginkomst|\blågutbildad"
    r"|\bsämre (?:hälsa|levnadsvillkor|livsvillkor|förutsättningar)|\bsämst hälsa"
    r"|\b(?:stor|stora|stort|större|störst|största)\s+(?:hälso)?"
    r"(?:gap|behov|ohälsa|skillnad|klyft|sjuklighet|vårdbehov)"
    r"|\b(?:ohälsa|ohälsan|behovet|behoven|gapet|gapen|hälsogapet|hälsogapen)\s+(?:\w+\s+){0,2}"
    r"(?:störst|större|stort|stora)\b"
    r"|\bhög(?:a|t|re|st)?\s+(?:cni|vårdbehov|ohälsa|sjuklighet|dödlighet)"
    r"|\bröst hörd|\bsvårt att hävda|\bhemlös|\bbostadslös|\bfattig"
)
#: An equity goal: equal health, smaller differences in health between groups.
_EQUITY = (
    r"\bjämlik|\bojämlik|\bjämställd (?:hälsa|vård)|\bhälsoklyft|\butjämn"
    r"|\bminska (?:de |den )?(?:\w+ )?(?:skillnad|skillnaderna|gapet|gapen|klyft|ojämlik)"
    r"|\bskillnader(?:na)? i hälsa|\bsluta (?:hälso)?gapet|\bproportionell universalism"
    r"|\bbehovs-?solidarit|\befter behov\b|\bstörst behov"
)
_SELF_BLAME = (
    r"självförvållad|självvald|egen skuld|sig själv(?:a)? att skylla|\bskyll|\bförtjänar"
    r"|\bsjälva? (?:har )?orsakat|orsakat (?:\w+ ){0,3}?själva?\b|\beget val|\begna val"
)
#: Ties the ground to the medical condition, the need or the benefit of the measure.
_MEDICAL_LINK = (
    r"\bnytta|\bnyttan|\beffekt|\bmedicinsk|\btillstånd|\bbiologisk|\bsamsjuklighet"
    r"|\bkomplikation|\bbehandlingsresultat|\bbiverkning|\brisk med åtgärden|\brisken med"
    r"|\bfungerar sämre|\bkontraindik|\bförväntad"
)
_NEED_LINK = r"\bbehov|\bhälsogap|\bgap(?:et|en)?\b|\bohälsa|\bsjuklighet|\bdödlighet|\brisk för\b"
SOLIDARITY = "behovs-solidaritetsprincipen"


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


def _comparison(text: str) -> tuple[str, str, re.Match] | None:
    """The favoured and the other side of the first comparison ("X framför Y"), if any."""
    pattern = _COMPARE
    if _found(_PRIORITY_WORDS, text):
        pattern += "|" + _COMPARE_BEFORE
    match = re.search(pattern, text)
    if match is None:
        return None
    return text[: match.start()], text[match.end() :], match


def _solidarity_text(grounds: tuple[str, ...], *, equity: bool, need_first: bool) -> str:
    if equity:
        text = (
            "Godtas: kriteriet anger ett jämlikhetsmål – jämlik hälsa, mindre skillnader i hälsa "
            "mellan grupper – och ger företräde åt dem som har störst behov, vilket följer "
            f"{SOLIDARITY} ({PROP})."
        )
    else:
        text = (
            "Godtas: kriteriet ger företräde åt en grupp med sämre hälsa eller större behov, "
            f"vilket följer {SOLIDARITY} ({PROP}): resurserna ska gå till dem som har störst "
            "behov."
        )
    if need_first:
        text += " Jämförelsen följer behovet: gruppen med störst behov går före."
    if grounds:
        text += (
            f" Här anger {', '.join(grounds)} vem som har det större behovet; det får aldrig bli "
            "ett skäl att prioritera ned någon. Motivera med behovet (till exempel hälsogapet), "
            "inte med egenskapen i sig."
        )
    return text


def _verdict(criterion: str) -> CriterionVerdict:
    text = " ".join(criterion.lower().split())
    grounds = tuple(name for name, (pattern, _) in GROUNDS.items() if _found(pattern, text))
    # Direction: does the criterion lower a group's priority, raise a worse-off group's, or name
    # an equity goal? A comparison lowers its second group unless its first is the worse off.
    comparison = _comparison(text)
    need_first = (
        comparison is not None
        and _found(_WORSE_OFF, comparison[0])
        and not _found(_WORSE_OFF, comparison[1])
    )
    unnegated = re.sub(_NEGATED_LOWER, " ", text)
    lowers = _found(_LOWER, unnegated) or (comparison is not None and not need_first)
    negated = _found(_NEGATED_LOWER, text)
    worse_off = _found(_WORSE_OFF, text)
    equity = _found(_EQUITY, text)
    raises = _found(_RAISE, text)
    solidarity = not lowers and (
        equity or need_first or (worse_off and (raises or _found(_TOWARDS, text)))
    )
    if not grounds:
        if lowers and worse_off and not _found(_MEDICAL_LINK, text):
            return CriterionVerdict(
                criterion,
                False,
                (),
                "Avvisas: kriteriet sänker prioriteten för en grupp med sämre hälsa eller större "
                f"behov, tvärtemot {SOLIDARITY} ({PROP}): resurserna ska gå till dem som har "
                "störst behov.",
            )
        if solidarity:
            return CriterionVerdict(
                criterion,
                True,
                (),
                _solidarity_text((), equity=equity, need_first=need_first),
            )
        return CriterionVerdict(
            criterion,
            True,
            (),
            "Godtas: kriteriet nämner ingen grund som människovärdesprincipen skyddar.",
        )
    why = " ".join(GROUNDS[name][1] for name in grounds)
    listed = ", ".join(grounds)
    if negated and not lowers:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            f"Godtas: kriteriet slår fast att gruppen inte ska prioriteras ned ({listed}), "
            f"i linje med människovärdesprincipen ({PROP}).",
        )
    if _found(_SELF_BLAME, text):
        return CriterionVerdict(
            criterion,
            False,
            grounds,
            f"Avvisas: att ohälsan anses självförvållad får enligt {PROP} inte leda till sämre "
            f"behandling. {why}",
        )
    if solidarity:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            _solidarity_text(grounds, equity=equity, need_first=need_first),
        )
    if raises and not lowers:
        return CriterionVerdict(
            criterion,
            True,
            grounds,
            "Godtas: att ge företräde åt en grupp med större behov följer "
            f"{SOLIDARITY} ({PROP}). Motivera det med behovet, inte med egenskapen i sig.",
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
            f"skäl att prioritera ned; större behov ger företräde enligt {SOLIDARITY} ({PROP}).",
        )
    reason = (
        "sänker prioriteten på grund av"
        if lowers
        else "använder, utan koppling till tillstånd eller nytta, som allmän grund"
    )
    tail = ""
    if lowers and (equity or worse_off):
        tail = (
            f" Jämlikhetsmål och {SOLIDARITY} ger företräde åt dem med störst behov; de gör inte "
            "en sänkt prioritet på den grunden godtagbar."
        )
    return CriterionVerdict(
        criterion,
        False,
        grounds,
        f"Avvisas: kriteriet {reason} {listed}. Enligt människovärdesprincipen ({PROP}) har alla "
        f"lika värde och samma rätt. {why}{tail}",
    )


def check_criteria(criteria: Iterable[str] | str) -> list[CriterionVerdict]:
    """Screen priority criteria against the human-dignity principle (see the module docstring).

    >>> [v.allowed for v in check_criteria(["lägre prioritet för rökare", "över 80 år",
    ...     "låg inkomst", "stor svårighetsgrad"])]
    [False, False, False, True]
    >>> v = check_criteria("rökare får lägre prioritet eftersom rökning minskar nyttan av operationen")
    >>> v[0].allowed, v[0].grounds
    (True, ('levnadsvanor',))

    Direction decides: a worse-off group first, or an equity goal, is need–solidarity; a lower
    priority on the same ground is not.

    >>> [v.allowed for v in check_criteria(["Stort gap i socioekonomiskt utsatta kommuner; "
    ...     "jämlik hälsa", "socioekonomiskt utsatta prioriteras ned",
    ...     "de som själva orsakat sin sjukdom får vänta"])]
    [True, False, False]
    >>> "behovs-solidaritetsprincipen" in check_criteria("jämlik hälsa")[0].explanation
    True
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
