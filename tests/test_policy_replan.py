"""A policy whose planning rules changed (an office edits its policy, an upgrade changes the
shipped one) re-plans, at the next start, the reminders of the visits not over yet, as an edit
would: the department head is no longer reminded of the arrangement form the host submits, a done
item stays done; a start with the same rules re-plans nothing."""

from __future__ import annotations

import asyncio
from importlib import resources

from bot.core.delivery import Delivery
from bot.core.events import Action, Send
from bot.core.runner import Runner
from bot.core.slices import Budget
from bot.scheduling import send_nudges
from bot.warmup import warm_step
from tests.support.chat import Person, World, at
from tests.test_approval_nudges import FORM_EN, FORM_ZH
from tests.visit_chat import company, new_visit

ITINERARY_ZH = "将行程安排表发给客户方领队"
# The form's item as it was before it became the host's alone.
NEW_FORM = 'to = ["host"]\nclosed_by_approval = true\n'
OLD_FORM = 'to = ["host", "host_manager"]\n'


def start(world: World, policy: str | None) -> int:
    """Restarts the bot with ``policy`` as the company's policy.toml (None: the shipped one) and
    runs its warm-up as ``Runner.warm_up`` does, a slice per durable write; returns how many visits
    it planned again."""
    path = world.data_dir / "policy.toml"
    if policy is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(policy, encoding="utf-8")
    world.restart()
    services = world.dispatcher.services
    done = False
    while not done:
        with services.db.unit():
            done = warm_step(services)
    return services.replan.replanned


def old_policy() -> str:
    shipped = resources.files("bot.defaults").joinpath("policy.toml").read_text(encoding="utf-8")
    assert shipped.count(NEW_FORM) == 1
    return shipped.replace(NEW_FORM, OLD_FORM)


def tick_itinerary(world: World, host: Person) -> None:
    """The host ticks the itinerary's item of visit 1 off (done ahead of time)."""
    services = world.dispatcher.services
    nudge = services.nudges.get("visit:1:itinerary")
    assert nudge is not None
    with services.db.unit():
        services.nudges.tick(nudge, host.id, world.clock.now())


def test_a_changed_policy_replans_the_visits_not_over_at_the_next_start(world: World) -> None:
    start(world, old_policy())
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)  # Thursday at 10:00: the form's item is due on Wednesday at 10:00
    world.flush_outbox()
    tick_itinerary(world, host)
    assert start(world, None) == 1  # the upgrade: the form's item is the host's alone
    assert start(world, None) == 0  # the same rules again: nothing planned again
    told_host, told_manager = len(host.messages), len(manager.messages)
    at(world, "2026-11-25 10:00")
    world.tick()
    assert not [m.text for m in manager.messages[told_manager:] if FORM_EN in m.text]
    to_host = [m.text for m in host.messages[told_host:]]
    assert any(FORM_ZH in text for text in to_host)
    assert not any(ITINERARY_ZH in text for text in to_host)  # done before the upgrade, still done


def test_a_stop_midway_replans_the_rest_at_the_next_start(world: World) -> None:
    """The digest is recorded only once every visit was planned again."""
    start(world, old_policy())
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    new_visit(host, room="302")
    world.flush_outbox()
    (world.data_dir / "policy.toml").unlink()  # the upgrade, stopped after the first visit's slice
    world.restart()
    services = world.dispatcher.services
    with services.db.unit():
        services.replan.step(Budget(0))  # one visit, however quick
    assert services.replan.replanned == 1
    assert start(world, None) == 2  # all again: planning a visit twice changes nothing
    told_manager = len(manager.messages)
    at(world, "2026-11-25 10:00")
    world.tick()
    assert not [m.text for m in manager.messages[told_manager:] if FORM_EN in m.text]


class Messenger:
    """Takes every message the runner sends: (chat, text), in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def perform(self, action: Action) -> int | None:
        assert isinstance(action, Send)
        self.sent.append((action.chat_id, action.text))
        return len(self.sent)


def test_the_first_nudges_after_an_upgrade_go_by_the_new_rules(world: World) -> None:
    """The bot starts on the day the form is due: the nudges job, which starts with the warm-up,
    plans the visits again before it sends anything."""
    start(world, old_policy())
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    (world.data_dir / "policy.toml").unlink()  # the upgrade; the warm-up has not run yet
    at(world, "2026-11-25 10:00")
    world.restart()
    runner = Runner(world.dispatcher)
    messenger = Messenger()
    runner.delivery = Delivery(messenger)
    try:
        asyncio.run(send_nudges(runner))
    finally:
        runner.close()
    assert any(chat == host.id and FORM_ZH in text for chat, text in messenger.sent)
    assert not any(chat == manager.id and FORM_EN in text for chat, text in messenger.sent)
