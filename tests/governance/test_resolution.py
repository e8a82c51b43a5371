"""The participation semantics (governance.resolution), on plain data."""

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.resolution import (
    ADOPTED,
    ADOPTED_WITH_CONDITIONS,
    AT_LEAST,
    COMMITTED,
    NOT_COMMITTED,
    NOT_TREATED,
    PENDING,
    POSTPONED,
    REJECTED,
    REQUIRES,
    REQUIRES_ALL,
    WAITING,
    Answer,
    Cond,
    resolve,
)


def requires(*keys):
    return Cond(REQUIRES if len(keys) == 1 else REQUIRES_ALL, frozenset(keys))


def states(result):
    return {k: s.state for k, s in result.items()}


HAVNEVESEN = [
    Answer("Horten", ADOPTED),
    Answer("Re", ADOPTED),
    Answer("Andebu", ADOPTED),
    Answer("Tønsberg", POSTPONED),
    Answer("Stokke", ADOPTED_WITH_CONDITIONS, (requires("Tønsberg"),)),
    Answer("Tjøme", ADOPTED_WITH_CONDITIONS, (requires("Tønsberg"),)),
    Answer("Holmestrand", NOT_TREATED),
    Answer("Hof", NOT_TREATED),
    Answer("Nøtterøy", PENDING),
]


def test_havnevesen_as_the_document_tells_it():
    result = resolve(HAVNEVESEN)
    assert states(result) == {
        "Horten": COMMITTED,
        "Re": COMMITTED,
        "Andebu": COMMITTED,
        "Tønsberg": WAITING,
        "Stokke": WAITING,
        "Tjøme": WAITING,
        "Holmestrand": NOT_COMMITTED,
        "Hof": NOT_COMMITTED,
        "Nøtterøy": WAITING,
    }
    assert result["Stokke"].reason == "waiting for Tønsberg, which postponed"
    assert result["Stokke"].waits_for == ("Tønsberg",)
    assert "postponed" in result["Tønsberg"].reason
    assert "no decision" in result["Nøtterøy"].reason
    assert "did not treat" in result["Hof"].reason


def test_havnevesen_when_tonsberg_says_yes_or_no():
    yes = [Answer("Tønsberg", ADOPTED) if a.key == "Tønsberg" else a for a in HAVNEVESEN]
    assert resolve(yes)["Stokke"].state == COMMITTED
    assert resolve(yes)["Tjøme"].state == COMMITTED
    no = [Answer("Tønsberg", REJECTED) if a.key == "Tønsberg" else a for a in HAVNEVESEN]
    result = resolve(no)
    assert result["Stokke"].state == NOT_COMMITTED
    assert "Tønsberg" in result["Stokke"].reason


def test_closing_the_referral_turns_undecided_into_not_committed():
    result = resolve(HAVNEVESEN, closed=True)
    assert result["Tønsberg"].state == NOT_COMMITTED
    assert result["Nøtterøy"].state == NOT_COMMITTED
    assert result["Stokke"].state == NOT_COMMITTED
    assert result["Horten"].state == COMMITTED
    assert not any(s.state == WAITING for s in result.values())


def test_chain_follows_its_end():
    chain = [
        Answer("A", ADOPTED_WITH_CONDITIONS, (requires("B"),)),
        Answer("B", ADOPTED_WITH_CONDITIONS, (requires("C"),)),
    ]
    assert set(states(resolve([*chain, Answer("C", ADOPTED)])).values()) == {COMMITTED}
    assert set(states(resolve([*chain, Answer("C", REJECTED)])).values()) == {NOT_COMMITTED}
    waiting = resolve([*chain, Answer("C", POSTPONED)])
    assert set(states(waiting).values()) == {WAITING}
    assert waiting["A"].reason == "waiting for B, which is itself waiting"
    assert waiting["B"].reason == "waiting for C, which postponed"


def test_cycle_of_mutual_conditions_is_in():
    cycle = [
        Answer("A", ADOPTED_WITH_CONDITIONS, (requires("B"),)),
        Answer("B", ADOPTED_WITH_CONDITIONS, (requires("A"),)),
    ]
    assert states(resolve(cycle)) == {"A": COMMITTED, "B": COMMITTED}


def test_at_least_and_all_of():
    answers = [
        Answer("A", ADOPTED),
        Answer("B", ADOPTED),
        Answer("C", ADOPTED_WITH_CONDITIONS, (Cond(AT_LEAST, minimum=3),)),
        Answer("D", ADOPTED_WITH_CONDITIONS, (requires("A", "E"),)),
        Answer("E", REJECTED),
    ]
    result = resolve(answers)
    assert result["C"].state == COMMITTED  # A, B and C itself make three
    assert result["D"].state == NOT_COMMITTED
    assert "E" in result["D"].reason
    too_many = [
        Answer("A", ADOPTED),
        Answer("B", PENDING),
        Answer("C", ADOPTED_WITH_CONDITIONS, (Cond(AT_LEAST, minimum=3),)),
    ]
    result = resolve(too_many)
    assert result["C"].state == WAITING
    assert "at least 3" in result["C"].reason


OUTCOMES = [PENDING, ADOPTED, ADOPTED_WITH_CONDITIONS, REJECTED, POSTPONED, NOT_TREATED]


@st.composite
def referrals(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    keys = list(range(n))
    answers = []
    for key in keys:
        outcome = draw(st.sampled_from(OUTCOMES))
        conds = ()
        if outcome == ADOPTED_WITH_CONDITIONS:
            others = [k for k in keys if k != key]
            cond_list = []
            for _ in range(draw(st.integers(min_value=1, max_value=2))):
                kind = draw(st.sampled_from([REQUIRES, REQUIRES_ALL, AT_LEAST]))
                if kind == AT_LEAST or not others:
                    cond_list.append(Cond(AT_LEAST, minimum=draw(st.integers(1, n))))
                elif kind == REQUIRES:
                    cond_list.append(Cond(REQUIRES, frozenset([draw(st.sampled_from(others))])))
                else:
                    chosen = draw(st.sets(st.sampled_from(others), min_size=1))
                    cond_list.append(Cond(REQUIRES_ALL, frozenset(chosen)))
            conds = tuple(cond_list)
        answers.append(Answer(key, outcome, conds))
    return answers, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(referrals())
def test_resolution_is_sound(data):
    answers, closed = data
    result = resolve(answers, closed=closed)
    assert set(result) == {a.key for a in answers}
    committed = {k for k, s in result.items() if s.state == COMMITTED}
    for a in answers:
        status = result[a.key]
        if a.outcome == ADOPTED:
            assert status.state == COMMITTED
        if a.outcome in (REJECTED, NOT_TREATED, PENDING) and status.state == COMMITTED:
            raise AssertionError("only a yes can commit")
        if status.state == COMMITTED:
            assert all(c.holds(committed) for c in a.conditions), (a, committed)
        if status.state == WAITING:
            assert status.reason
    if closed:
        assert WAITING not in {s.state for s in result.values()}


@settings(max_examples=200, deadline=None)
@given(referrals())
def test_every_waiting_one_is_settled_by_the_undecided(data):
    """Deciding every undecided council yes or no leaves no one waiting, and nobody
    committed before loses it when the others say yes."""
    answers, _closed = data
    before = resolve(answers)
    all_yes = [Answer(a.key, ADOPTED) if a.outcome in (PENDING, POSTPONED) else a for a in answers]
    all_no = [Answer(a.key, REJECTED) if a.outcome in (PENDING, POSTPONED) else a for a in answers]
    after_yes, after_no = resolve(all_yes), resolve(all_no)
    assert WAITING not in {s.state for s in after_yes.values()}
    assert WAITING not in {s.state for s in after_no.values()}
    for key, status in before.items():
        if status.state == COMMITTED:
            assert after_yes[key].state == COMMITTED
            assert after_no[key].state == COMMITTED
        if status.state == NOT_COMMITTED:
            assert after_yes[key].state == NOT_COMMITTED
