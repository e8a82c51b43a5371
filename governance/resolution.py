"""Who takes part after a referral: the semantics of council decisions and their conditions.

Each municipality a case was referred to ends up in one of three states:

* **committed** – it takes part;
* **not committed** – it does not;
* **waiting** – it cannot be told yet, and the reason says for whom it waits and why
  ("waiting for Tønsberg, which postponed").

The rules:

1. *Adopted* (unconditionally) → committed, always.
2. *Rejected* or *not treated* → not committed.
3. *Pending* or *postponed* → waiting, for its own council. Once the referral is
   closed (the secretariat closes it, or settles it when the deadline has passed) these
   count as not committed instead.
4. *Adopted with conditions* → committed if and only if its conditions hold in the
   **greatest fixed point**: start with every adopted and conditionally adopted
   municipality in, then repeatedly remove any conditional one whose conditions fail
   given the current set, until nothing changes. Conditions are monotone ("only if X
   takes part", "only if all of X, Y take part", "only if at least N take part"), so the
   fixed point is unique. Chains fall out of it (A if B, B if C: C adopted → all in;
   C rejected → all out) and so do cycles (A if B and B if A, both conditionally yes →
   both in).

   Undecided municipalities (rule 3, referral still open) are handled by computing the
   fixed point twice: once assuming they all say no (*pessimistic*) and once assuming
   they all say yes (*optimistic*). A conditional municipality in the pessimistic set is
   committed whatever the others decide; one outside even the optimistic set is not
   committed; any other is **waiting**, and its reason names the undecided (or itself
   waiting) municipalities its failing conditions depend on.

   A conditional adoption with no structured condition has nothing that can fail and is
   committed; the services refuse to record one, so this only matters for old data.

The committed set is exactly the pessimistic fixed point, so no municipality is ever
committed whose conditions fail under the final committed set, and an unconditional yes
is always committed. `resolve()` works on plain data (and is property-tested);
`resolve_participation(referral)` applies it to a stored referral.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

COMMITTED = "committed"
NOT_COMMITTED = "not_committed"
WAITING = "waiting"

# Council outcomes (the values of CouncilDecision.Outcome; repeated here so this module
# stays importable and testable without the ORM).
PENDING = "pending"
ADOPTED = "adopted"
ADOPTED_WITH_CONDITIONS = "adopted_with_conditions"
REJECTED = "rejected"
POSTPONED = "postponed"
NOT_TREATED = "not_treated"

REQUIRES = "requires"
REQUIRES_ALL = "requires_all"
AT_LEAST = "at_least"


@dataclass(frozen=True)
class Cond:
    """A structured condition: `kind` is requires / requires_all / at_least."""

    kind: str
    municipalities: frozenset = frozenset()
    minimum: int | None = None

    def holds(self, taking_part: set) -> bool:
        if self.kind == AT_LEAST:
            return len(taking_part) >= (self.minimum or 0)
        return self.municipalities <= taking_part


@dataclass(frozen=True)
class Answer:
    key: Hashable
    outcome: str
    conditions: tuple[Cond, ...] = ()


@dataclass
class Status:
    key: Hashable
    outcome: str
    state: str
    reason: str
    waits_for: tuple = field(default_factory=tuple)

    @property
    def committed(self) -> bool:
        return self.state == COMMITTED

    @property
    def waiting(self) -> bool:
        return self.state == WAITING

    @property
    def badge(self) -> str:
        return {COMMITTED: "ok", NOT_COMMITTED: "bad", WAITING: "warn"}[self.state]

    @property
    def state_label(self) -> str:
        return {
            COMMITTED: _("committed"),
            NOT_COMMITTED: _("not committed"),
            WAITING: _("waiting"),
        }[self.state]


def _greatest_fixed_point(start: set, conditional: Mapping[Hashable, tuple[Cond, ...]]) -> set:
    current = set(start)
    changed = True
    while changed:
        changed = False
        for key, conds in conditional.items():
            if key in current and not all(c.holds(current) for c in conds):
                current.discard(key)
                changed = True
    return current


@dataclass(frozen=True)
class _Sets:
    """What every answer is resolved against (see the module docstring)."""

    by_key: Mapping[Hashable, Answer]
    closed: bool
    undecided: set
    pessimistic: set
    optimistic: set
    waiting_conditional: set
    name: Callable[[Hashable], str]


def resolve(
    answers: Iterable[Answer],
    *,
    closed: bool = False,
    names: Mapping[Hashable, str] | None = None,
) -> dict[Hashable, Status]:
    """Resolve every answer to committed / not committed / waiting (see module docstring)."""
    answers = list(answers)
    names = names or {}

    def name(key: Hashable) -> str:
        return names.get(key, str(key))

    adopted = {a.key for a in answers if a.outcome == ADOPTED}
    conditional = {a.key: a.conditions for a in answers if a.outcome == ADOPTED_WITH_CONDITIONS}
    undecided = set() if closed else {a.key for a in answers if a.outcome in (PENDING, POSTPONED)}
    pessimistic = _greatest_fixed_point(adopted | set(conditional), conditional)
    optimistic = _greatest_fixed_point(adopted | set(conditional) | undecided, conditional)
    sets = _Sets(
        by_key={a.key: a for a in answers},
        closed=closed,
        undecided=undecided,
        pessimistic=pessimistic,
        optimistic=optimistic,
        waiting_conditional={k for k in conditional if k in optimistic and k not in pessimistic},
        name=name,
    )
    return {a.key: _status(a, sets) for a in answers}


def _status(a: Answer, sets: _Sets) -> Status:
    key, outcome = a.key, a.outcome
    if outcome == ADOPTED:
        return Status(key, outcome, COMMITTED, _("adopted"))
    if outcome == REJECTED:
        return Status(key, outcome, NOT_COMMITTED, _("rejected"))
    if outcome == NOT_TREATED:
        return Status(key, outcome, NOT_COMMITTED, _("did not treat the case"))
    if outcome in (PENDING, POSTPONED):
        return _undecided_status(a, closed=sets.closed)
    if outcome == ADOPTED_WITH_CONDITIONS:
        return _conditional_status(a, sets)
    raise ValueError(f"Unknown council outcome {outcome!r}")


def _undecided_status(a: Answer, *, closed: bool) -> Status:
    key, outcome = a.key, a.outcome
    if closed:
        reason = (
            _("postponed, and the referral is closed")
            if outcome == POSTPONED
            else _("no decision before the referral was closed")
        )
        return Status(key, outcome, NOT_COMMITTED, reason)
    reason = (
        _("waiting (postponed)") if outcome == POSTPONED else _("waiting (no decision recorded)")
    )
    return Status(key, outcome, WAITING, reason, (key,))


def _conditional_status(a: Answer, sets: _Sets) -> Status:
    key, outcome = a.key, a.outcome
    if key in sets.pessimistic:
        return Status(key, outcome, COMMITTED, _("adopted; its conditions are met"))
    if key not in sets.optimistic:
        return Status(
            key, outcome, NOT_COMMITTED, _failure_reason(a.conditions, sets.optimistic, sets.name)
        )
    blockers: list = []
    extra: list[str] = []
    for cond in a.conditions:
        if cond.holds(sets.pessimistic):
            continue
        if cond.kind == AT_LEAST:
            extra.append(
                _("waiting until at least %(n)s take part (%(m)s certain so far)")
                % {"n": cond.minimum, "m": len(sets.pessimistic)}
            )
            continue
        for other in sorted(cond.municipalities - sets.pessimistic, key=sets.name):
            if (other in sets.undecided or other in sets.waiting_conditional) and (
                other not in blockers
            ):
                blockers.append(other)
    parts = [_why_waiting_for(b, sets) for b in blockers] + extra
    return Status(key, outcome, WAITING, "; ".join(parts) or _("waiting"), tuple(blockers))


def _why_waiting_for(key: Hashable, sets: _Sets) -> str:
    outcome = sets.by_key[key].outcome
    name = sets.name(key)
    if outcome == POSTPONED:
        return _("waiting for %(name)s, which postponed") % {"name": name}
    if outcome == PENDING:
        return _("waiting for %(name)s, which has not decided") % {"name": name}
    return _("waiting for %(name)s, which is itself waiting") % {"name": name}


def _failure_reason(conditions: tuple[Cond, ...], taking_part: set, name) -> str:
    parts = []
    for cond in conditions:
        if cond.holds(taking_part):
            continue
        if cond.kind == AT_LEAST:
            parts.append(_("fewer than %(n)s municipalities take part") % {"n": cond.minimum})
        else:
            missing = ", ".join(sorted(name(k) for k in cond.municipalities - taking_part))
            parts.append(_("condition not met: %(names)s does not take part") % {"names": missing})
    return "; ".join(parts) or _("condition not met")


def answers_for(decisions: Iterable) -> list[Answer]:
    """Plain answers from CouncilDecision rows (with conditions and their municipalities
    loaded or prefetched: `condition_rows`, `municipality_rows`)."""
    result = []
    for d in decisions:
        conds = tuple(
            Cond(
                kind=c.kind,
                municipalities=frozenset(m.pk for m in c.municipality_rows),
                minimum=c.minimum,
            )
            for c in d.condition_rows
        )
        result.append(Answer(key=d.municipality_id, outcome=d.outcome, conditions=conds))
    return result


def resolve_participation(referral, decisions: Iterable | None = None) -> dict[int, Status]:
    """Resolve a stored referral: municipality pk → Status.

    Pass `decisions` (or prefetch `decisions__municipality`, `decisions__conditions__
    municipalities` on the referral) to avoid extra queries.
    """
    if decisions is None:
        decisions = referral.decisions.select_related("municipality").prefetch_related(
            "conditions__municipalities"
        )
    decisions = list(decisions)
    names = {d.municipality_id: d.municipality.name for d in decisions}
    return resolve(answers_for(decisions), closed=referral.is_closed, names=names)
