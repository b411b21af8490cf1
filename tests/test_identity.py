"""Identity (SARA) in hoaxes and whose leaders speak (simulation/dynamics/identity.py, docs/ODD.md
§7.25): believing depends on who you are, a story carries its target, and the leaders' word
reproduces Bhavnani, Findley & Kuklinski (2009) as a special case: rumours survive when leaders are
extreme and talk often, and stay low in both groups when one group's leaders persist in moderation."""

from __future__ import annotations

import numpy as np
import pytest

from common.levels import Rumour
from scenarios import ScenarioError
from siaga import SiagaModel
from simulation.dynamics import hoax, identity

IGN, S, R = Rumour.IGNORANT, Rumour.SPREADER, Rumour.STIFLER


def test_a_story_against_ones_own_group_is_seldom_believed():
    rng = np.random.default_rng(0)
    groups = np.array([0] * 5000 + [1] * 5000)
    ok = identity.believe(groups, np.zeros(10_000, dtype=np.int8), 0.1, rng)
    assert ok[5000:].all()  # the others take it up
    assert ok[:5000].mean() == pytest.approx(0.1, abs=0.02)


def test_the_story_frames_groups_in_proportion_to_rivals_and_leaders_belong_to_their_followers():
    rng = np.random.default_rng(1)
    picks = [identity.story_target(np.array([0, 30, 10]), rng) for _ in range(400)]
    assert set(picks) == {1, 2} and picks.count(1) > 2 * picks.count(2)
    assert identity.leader_group(np.array([2, 2, 1, 0, 2]), np.array([0, 1, 2, 3]), 3) == 2


def test_told_people_carry_the_target_and_drop_a_story_against_themselves():
    rumour = np.array([S, IGN, IGN], dtype=np.int8)
    target = np.array([1, -1, -1], dtype=np.int8)
    groups = np.array([0, 0, 1])
    stories = hoax.Stories(groups, target, 0.0)
    rng = np.random.default_rng(2)
    for partner in (1, 2):
        hoax._substep(rumour, np.array([0]), 1.0, lambda who, g, p=partner: np.full(len(who), p), rng, stories)
    assert rumour[1] == S and target[1] == 1  # group 0, the story is about group 1: believed
    assert rumour[2] == R and target[2] == 1  # group 1, about itself: dropped


def test_moderate_leaders_talk_spreaders_out_and_extreme_ones_talk_stiflers_back_in():
    groups = np.zeros(6, dtype=np.int64)
    story = np.array([1, 1, 0, 1, 1, -1], dtype=np.int8)  # person 2's story is about their own group
    rng = np.random.default_rng(3)
    rumour = np.array([S, S, S, R, R, R], dtype=np.int8)
    identity.leaders_talk(rumour, story, groups, [np.arange(6)], np.array([False]), 1.0, 1.0, 1.0, rng)
    assert rumour.tolist() == [R, R, S, R, R, R]  # only stories against others are talked out
    rumour = np.array([S, S, S, R, R, R], dtype=np.int8)
    identity.leaders_talk(rumour, story, groups, [np.arange(6)], np.array([True]), 1.0, 1.0, 1.0, rng)
    assert rumour.tolist() == [S, S, S, S, S, R]  # no story, nothing to revive


def test_unknown_or_contradictory_groups_are_refused_by_name():
    with pytest.raises(ScenarioError, match="moderate_groups.*Bugis.*Rejang"):
        SiagaModel(days=1, dynamics__identity__moderate_groups=["Bugis"])
    with pytest.raises(ScenarioError, match="both"):
        SiagaModel(days=1, dynamics__identity__moderate_groups=["Jawa"], dynamics__identity__extreme_groups=["Jawa"])


def test_seeded_stories_frame_a_group_none_of_the_seeds_belong_to():
    m = SiagaModel(seed=2, days=1, mechanisms__identity=True)
    m.seed_hoax(0, 30, "test", camp=0)
    seeded = np.flatnonzero(m.people.rumour == S)
    assert len(seeded) > 0
    targets = set(m.people.story[seeded].tolist())
    assert len(targets) == 1 and -1 not in targets
    assert (m.people.identity[seeded] != targets.pop()).all()
    assert m.forces.tokoh[0].group == identity.leader_group(m.people.identity, m.forces.tokoh[0].followers, m.n_identity)


def _prevalence(seed: int, talk: float = 1.0, **kw) -> tuple[float, float]:
    """Mean share spreading over the campaign, in the majority group (Rejang) and in the others."""
    m = SiagaModel(seed=seed, days=84, mechanisms__identity=True, dynamics__identity__tokoh_talk_rate=talk, **kw)
    rejang = m.people.identity == 0
    days = []
    while m.running:
        m.step()
        sp = m.people.rumour == S
        days.append((sp[rejang].mean(), sp[~rejang].mean()))
    return tuple(np.mean(days, axis=0))


def test_bhavnani_rumours_survive_with_extreme_leaders_who_talk_often():
    extreme = _prevalence(0, officials__tokoh_inflaming_share=1.0)
    moderate = _prevalence(0, officials__tokoh_inflaming_share=0.0)
    seldom = _prevalence(0, talk=0.05, officials__tokoh_inflaming_share=1.0)
    assert extreme[0] > 1.5 * moderate[0] and extreme[1] > 1.5 * moderate[1], (extreme, moderate)
    assert extreme[0] > 1.5 * seldom[0] and extreme[1] > 1.5 * seldom[1], (extreme, seldom)


def test_bhavnani_one_groups_moderate_leaders_keep_rumours_low_in_both_groups():
    # two seeds pooled: which group a village's stories frame varies a lot from seed to seed
    extreme = np.mean([_prevalence(s, officials__tokoh_inflaming_share=1.0) for s in (0, 1)], axis=0)
    one_moderate = np.mean([_prevalence(s, officials__tokoh_inflaming_share=1.0, dynamics__identity__moderate_groups=["Rejang"])
                            for s in (0, 1)], axis=0)
    assert one_moderate[0] < 0.7 * extreme[0], (one_moderate, extreme)  # Rejang's own
    assert one_moderate[1] < 0.7 * extreme[1], (one_moderate, extreme)  # and the other groups'


def test_switched_off_nothing_changes():
    a = SiagaModel(seed=3, days=60)
    a.run()
    b = SiagaModel(seed=3, days=60, dynamics__identity__moderate_groups=["Rejang"], dynamics__identity__tokoh_talk_rate=1.0)
    b.run()
    assert np.array_equal(a.people.rumour, b.people.rumour) and np.array_equal(a.people.tension, b.people.tension)
    assert (b.people.story == -1).all()
