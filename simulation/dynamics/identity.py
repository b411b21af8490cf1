"""Identity (SARA) in hoaxes, and whose leaders speak.

With `mechanisms.identity` a hoax is a story about an identity group (suku, agama): a black
campaign seeded by camp c in village v frames the group that most of c's rivals there belong to
(drawn in proportion to the rival supporters of each group; in proportion to the village's people
when no camp seeds it). Believing depends on who you are: told the story, a person of another
group takes it up and spreads it; a person of the group targeted believes it only with probability
`own_group_belief` and otherwise drops it (becomes a stifler). Whoever takes a story up carries its
target on.

Tokoh belong to communities: a tokoh's group is the most common group among their followers.
Each day a tokoh talks with their followers with probability `tokoh_talk_rate`. A moderate tokoh
(one who does not inflame, §7.15) then talks followers out of spreading stories against other
groups (each such spreader stops with probability `moderation_effect`); an extreme (inflaming)
tokoh talks followers who had dropped such a story into taking it up again (each with probability
`extremism_effect`). Bhavnani, Findley & Kuklinski (2009, Journal of Politics 71:876) find that
violence-promoting rumours survive most when leaders hold extreme views and talk often with their
followers, and stay low in both groups when one group's leaders persist in moderation;
`moderate_groups` and `extreme_groups` set all of one group's tokoh to one stance to test that
(tests/test_identity.py). Parameters: docs/ODD.md §7.25.
"""

from __future__ import annotations

import numpy as np

from common.levels import Rumour

NO_STORY = -1


def story_target(group_counts: np.ndarray, rng: np.random.Generator) -> int:
    """The identity group a story frames, drawn in proportion to `group_counts` (uniform if all zero)."""
    w = np.asarray(group_counts, dtype=np.float64)
    if w.sum() <= 0:
        return int(rng.integers(len(w)))
    return int(rng.choice(len(w), p=w / w.sum()))


def believe(identity_told: np.ndarray, target: np.ndarray, own_group_belief: float, rng: np.random.Generator) -> np.ndarray:
    """Which of the told take the story up: everyone not of the group it targets; of that group,
    each with probability `own_group_belief` (one uniform per person told)."""
    u = rng.random(len(identity_told))
    return (identity_told != target) | (u < own_group_belief)


def leader_group(identity: np.ndarray, followers: np.ndarray, n_groups: int) -> int:
    """A tokoh's community: the most common group among their followers (the first on a tie)."""
    if len(followers) == 0:
        return 0
    return int(np.argmax(np.bincount(identity[followers], minlength=n_groups)))


def leaders_talk(
    rumour: np.ndarray, story: np.ndarray, identity: np.ndarray, followers: list[np.ndarray], extreme: np.ndarray,
    talk_rate: float, moderation: float, extremism: float, rng: np.random.Generator,
) -> tuple[int, int]:
    """Today's talks of the tokoh with their followers (module docstring). Draws one uniform per
    tokoh, then one per follower concerned of each tokoh who talks. Returns (spreaders talked out,
    stiflers talked back in)."""
    calmed = revived = 0
    talks = np.flatnonzero(rng.random(len(followers)) < talk_rate)
    for t in talks.tolist():
        f = followers[t]
        against_others = (story[f] != NO_STORY) & (story[f] != identity[f])
        if extreme[t]:
            cand = f[against_others & (rumour[f] == Rumour.STIFLER)]
            hit = cand[rng.random(len(cand)) < extremism]
            rumour[hit] = Rumour.SPREADER
            revived += len(hit)
        else:
            cand = f[against_others & (rumour[f] == Rumour.SPREADER)]
            hit = cand[rng.random(len(cand)) < moderation]
            rumour[hit] = Rumour.STIFLER
            calmed += len(hit)
    return calmed, revived
