"""Warnings about a room, driver or car that another visit holds at the same time, with the button that
opens the visit's form at the step that changes it (``bot.domain.clashes`` finds them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.domain.clashes import CAR, DRIVER, ROOM, Clash
from bot.domain.visits import Visit
from bot.i18n import N_, clock
from bot.views.visit_buttons import VisitButton

# The step of the visit form that changes what clashes, and its button.
FIX_STEPS = {ROOM: "room", DRIVER: "driver", CAR: "car"}
FIX_KEYS = {ROOM: N_("clash.change_room"), DRIVER: N_("clash.change_driver"), CAR: N_("clash.change_car")}


def lines(ctx: Context, found: Sequence[Clash]) -> list[str]:
    """One line per clash, naming the other visit and when it holds the room, the driver or the car."""
    said = []
    for clash in found:
        other, theirs = clash.other, clash.theirs
        when = span(ctx, theirs.start, theirs.end)
        if clash.mine.what == DRIVER:
            driver = ctx.services.access.person(int(theirs.key))
            said.append(ctx.t("clash.driver", driver=driver.name if driver else theirs.key, number=other.id,
                              client=other.client_name, when=when))
        elif clash.mine.what == CAR:
            car = other.travel.car if other.travel is not None else theirs.key
            said.append(ctx.t("clash.car", car=car, number=other.id, client=other.client_name, when=when))
        else:
            said.append(ctx.t("clash.room", room=other.room, number=other.id, client=other.client_name,
                              when=when))
    return said


def warn(ctx: Context, visit: Visit) -> None:
    """After a save or a reschedule: a message naming what clashes, with a button per thing to
    change; nothing when nothing clashes."""
    found = ctx.services.visits.clashes(visit)
    if not found:
        return
    steps = {step.id for step in ctx.services.flows.flows["new_visit"].steps}
    kinds = sorted({clash.mine.what for clash in found}, key=list(FIX_STEPS).index)
    buttons = [Button(ctx.t(FIX_KEYS[kind]), VisitButton("fix", visit.id, kind).pack())
               for kind in kinds if FIX_STEPS[kind] in steps]
    ctx.reply("\n".join(lines(ctx, found)), keyboard(buttons))


def span(ctx: Context, start: datetime, end: datetime) -> str:
    """"11月26日 周四 10:00–16:00", or both days in full when it runs over midnight."""
    tz = ctx.services.settings.tz
    if start.astimezone(tz).date() == end.astimezone(tz).date():
        return f"{ctx.format_time(start)}–{clock(end.astimezone(tz))}"
    return f"{ctx.format_time(start)} – {ctx.format_time(end)}"
