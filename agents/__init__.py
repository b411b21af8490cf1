"""Who acts, one module per role. Villagers are a thin public face over the model's arrays;
officials, supporter groups and tokoh are few and decide per agent."""

from agents.camat import Camat
from agents.command import Kodam, Polda, Polres
from agents.kades import Kades
from agents.province import ProvincialTimTerpadu
from agents.security import Babinsa, Bhabinkamtibmas, PoliceUnit, Polsek, TniUnit
from agents.supporter_group import SupporterGroup
from agents.tim_terpadu import TimTerpadu
from agents.tokoh import Tokoh
from agents.villager import Villager

__all__ = [
    "Babinsa",
    "Bhabinkamtibmas",
    "Camat",
    "Kades",
    "Kodam",
    "PoliceUnit",
    "Polda",
    "Polres",
    "Polsek",
    "ProvincialTimTerpadu",
    "SupporterGroup",
    "TimTerpadu",
    "TniUnit",
    "Tokoh",
    "Villager",
]
