"""Visits as iCalendar (.ics) files a phone's calendar imports: one visit, or a person's upcoming ones.

Times carry the company time zone with its VTIMEZONE, so a phone set to another zone still shows
the right moment. Each visit keeps one UID (``visit-<n>.<bot>@reception-assistant``) and a SEQUENCE
that grows with time, so importing the file again after a reschedule updates the event instead of
adding a second one; a cancelled visit comes out as a cancelled event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.documents.layout import NONE
from bot.documents.sources import Sources
from bot.domain.visits import Visit, VisitStatus
from bot.i18n import N_

if TYPE_CHECKING:
    from icalendar import Event

PRODUCT = "-//Reception assistant//Visits//EN"


def uid(visit: Visit, bot: str) -> str:
    """The same for every export of one visit from one bot."""
    return f"visit-{visit.id}.{bot}@reception-assistant"


def visit_event(visit: Visit, src: Sources, bot: str) -> Event:
    from icalendar import Event  # imported when a calendar is made: 80 modules, 4 MB, rarely needed

    t = src.t
    event = Event()
    event.add("uid", uid(visit, bot))
    event.add("dtstamp", src.now)
    # Later exports supersede earlier ones: minutes since the visit was created.
    event.add("sequence", max(0, int((src.now - visit.created_at).total_seconds() // 60)))
    event.add("dtstart", visit.arrival.astimezone(src.tz))
    event.add("dtend", visit.departure.astimezone(src.tz))
    event.add("summary", t("doc.ics.summary", client=visit.client_name, number=visit.id))
    if visit.room:
        event.add("location", visit.room)
    event.add("description", "\n".join(_description(visit, src)))
    event.add("status", "CANCELLED" if visit.status is VisitStatus.CANCELLED else "CONFIRMED")
    return event


def _description(visit: Visit, src: Sources) -> list[str]:
    t = src.t
    lead = visit.lead
    visitors = src.join((f"{v.name} {v.title}".strip() for v in visit.visitors), style="series")
    lines = [t("doc.ics.lead", name=f"{lead.name} {lead.title}".strip() if lead else NONE),
             t("doc.ics.visitors", names=visitors or NONE),
             t("doc.ics.host", host=src.name(visit.host),
               team=src.join((src.name(m) for m in visit.team if m != visit.host), style="series") or NONE)]
    travel = visit.travel
    if travel is not None and travel.arrives_at is not None and travel.pickup:
        key = N_("doc.ics.pickup_flight") if travel.meets_at_airport else N_("doc.ics.pickup_train")
        lines.append(t(key, number=travel.number or NONE, place=travel.place or NONE,
                       time=src.time(travel.arrives_at)))
    if visit.status is VisitStatus.CANCELLED:
        lines.append(t("doc.ics.cancelled", reason=visit.cancel_reason or NONE))
    lines.append(t("doc.ics.open", number=visit.id))
    return lines


def calendar_file(events: Iterable[Event], name: str) -> bytes:
    """One .ics holding ``events``, with the VTIMEZONE of every zone they use."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    content: bytes = calendar.to_ical()
    return content
