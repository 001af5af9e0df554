"""Place ids of the embedded Chengdu pack shared by the pack test and the seeded requests.

``tests/test_citypack.py`` requires these places; ``tests/_meal_requests.py`` draws its
seeded requests from them (and a few more) *by position*: change the order and the same seed
draws other requests.
"""

from __future__ import annotations

#: The pack's central sights, all inside the shared extract, in the pack's order.
CENTRAL_SIGHTS = (
    "tianfu-square",
    "wenshu-monastery",
    "kuanzhai-alley",
    "peoples-park",
    "chengdu-museum",
    "daci-temple",
    "chunxi-road",
    "taikoo-li",
)
