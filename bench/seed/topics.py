"""The topics meetings and agreements are about."""

from django.utils.text import slugify

TOPICS = [
    "Terrorism",
    "Extremism",
    "Separatism",
    "Drug trafficking",
    "Smuggling",
    "Illegal migration",
    "Human trafficking",
    "Regional security",
    "Border security",
    "Cybersecurity",
    "Money laundering",
    "Terrorist financing",
    "Maritime security",
    "Aviation security",
    "Customs cooperation",
    "Trade facilitation",
    "Energy",
    "Transport and logistics",
    "Water resources",
    "Disaster management",
    "Public health",
    "Education and training",
    "Information exchange",
    "Law enforcement training",
    "Mutual legal assistance",
    "Arms control",
    "Critical infrastructure",
    "Religious affairs",
    "Tourism",
    "Agriculture",
]


def make_topics(world):
    for name in TOPICS:
        world.data["topics"].append(
            {
                "name": name,
                "slug": slugify(name),
                "description": f"Cooperation on {name.lower()}.",
            }
        )
