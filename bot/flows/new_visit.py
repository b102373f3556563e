"""/new: the arrangement form (客户接待安排表) as a conversation a host finishes on a phone.

The steps follow the paper form: who is coming, why, when, how they travel, who on our side,
the room, tour, lodging, meals, extras and the budget. Steps that do not apply are skipped (no
lodging: no hotel questions; class D: no executives; a car: no flight number).

    client ─▶ [new: country, industry] ─▶ visitors ─▶ [lead] ─▶ class ─▶ purposes ─▶ arrival
      ─▶ departure ─▶ travel ─▶ [number, place, arrives, pickup] ─▶ team ─▶ [executives] ─▶ room
      ─▶ extras ─▶ tour ─▶ lodging ─▶ [hotel, payer] ─▶ meals ─▶ [dietary, meal budget]
      ─▶ [gift budget] ─▶ review card ─▶ Save
"""

from __future__ import annotations

from bot.flows import visit_options as opt
from bot.flows.model import Flow, Kind, Step
from bot.flows.visit_form import describe, save
from bot.i18n import N_
from bot.views.visits import show_already_saved

STEPS = (
    Step("client", Kind.SEARCH, N_("visit.q.client"), N_("visit.l.client"), search=opt.find_clients,
         create_label=N_("visit.client_new")),
    Step("country", Kind.CHOICE, N_("visit.q.country"), N_("visit.l.country"), free_text=True,
         dynamic_choices=opt.country_choices, check=opt.check_country,
         skip_if=lambda a: not opt.client_is_new(a)),
    Step("industry", Kind.TEXT, N_("visit.q.industry"), N_("visit.l.industry"), optional=True,
         skip_if=lambda a: not opt.client_is_new(a)),
    Step("visitors", Kind.MULTI, N_("visit.q.visitors"), N_("visit.l.visitors"), free_text=True,
         dynamic_choices=opt.known_contacts, split=opt.split_visitors, resets=("lead",)),
    Step("lead", Kind.CHOICE, N_("visit.q.lead"), N_("visit.l.lead"), dynamic_choices=opt.lead_choices,
         skip_if=lambda a: len(a.get("visitors", [])) < 2),
    Step("cls", Kind.CHOICE, N_("visit.q.class"), N_("visit.l.class"), dynamic_choices=opt.class_choices,
         detail=opt.class_detail),
    Step("purposes", Kind.MULTI, N_("visit.q.purposes"), N_("visit.l.purposes"), free_text=True,
         dynamic_choices=opt.purpose_choices),
    # A new arrival asks the departure and the flight's or train's time again, on its day.
    Step("arrival", Kind.DATETIME, N_("visit.q.arrival"), N_("visit.l.arrival"),
         resets=("departure", "travel_arrives")),
    Step("departure", Kind.DATETIME, N_("visit.q.departure"), N_("visit.l.departure"),
         check=opt.check_departure, day_of=opt.arrival_day),
    Step("travel", Kind.CHOICE, N_("visit.q.travel"), N_("visit.l.travel"), choices=opt.TRAVEL_MODES,
         optional=True),
    Step("travel_number", Kind.TEXT, N_("visit.q.travel_number"), N_("visit.l.travel_number"),
         optional=True, skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("travel_place", Kind.TEXT, N_("visit.q.travel_place"), N_("visit.l.travel_place"),
         optional=True, skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("travel_arrives", Kind.DATETIME, N_("visit.q.travel_arrives"), N_("visit.l.travel_arrives"),
         optional=True, check=opt.check_travel_arrival, day_of=opt.arrival_day,
         skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("pickup", Kind.YES_NO, N_("visit.q.pickup"), N_("visit.l.pickup"),
         skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("team", Kind.MULTI, N_("visit.q.team"), N_("visit.l.team"), optional=True, free_text=True,
         dynamic_choices=opt.team_choices, check=opt.check_team),
    Step("executives", Kind.MULTI, N_("visit.q.executives"), N_("visit.l.executives"), optional=True,
         dynamic_choices=opt.executive_choices, skip_if=lambda a: a.get("cls") == "D"),
    Step("room", Kind.TEXT, N_("visit.q.room"), N_("visit.l.room"), optional=True),
    Step("extras", Kind.MULTI, N_("visit.q.extras"), N_("visit.l.extras"), optional=True,
         choices=opt.EXTRAS),
    Step("tour", Kind.TEXT, N_("visit.q.tour"), N_("visit.l.tour"), optional=True),
    Step("lodging", Kind.YES_NO, N_("visit.q.lodging"), N_("visit.l.lodging")),
    Step("hotel", Kind.TEXT, N_("visit.q.hotel"), N_("visit.l.hotel"),
         skip_if=lambda a: not a.get("lodging")),
    Step("payer", Kind.CHOICE, N_("visit.q.payer"), N_("visit.l.payer"), choices=opt.PAYERS,
         skip_if=lambda a: not a.get("lodging")),
    Step("meals", Kind.NUMBER, N_("visit.q.meals"), N_("visit.l.meals"), minimum=0, maximum=500),
    Step("dietary", Kind.TEXT, N_("visit.q.dietary"), N_("visit.l.dietary"), optional=True,
         skip_if=lambda a: not a.get("meals")),
    Step("meal_budget", Kind.NUMBER, N_("visit.q.meal_budget"), N_("visit.l.meal_budget"), optional=True,
         minimum=0, maximum=100000, skip_if=lambda a: not a.get("meals") or a.get("cls") == "D"),
    Step("gift_budget", Kind.NUMBER, N_("visit.q.gift_budget"), N_("visit.l.gift_budget"), optional=True,
         minimum=0, maximum=100000, skip_if=lambda a: "gifts" not in a.get("extras", [])),
)

NEW_VISIT = Flow("new_visit", N_("visit.title"), STEPS, on_save=save, describe=describe,
                 saved_again=show_already_saved)
