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
from bot.flows import visit_programme as prog
from bot.flows import visitor_details as details
from bot.flows.model import Flow, Kind, Step
from bot.flows.visit_form import describe, save, warnings
from bot.i18n import N_
from bot.views.visits import show_already_saved

STEPS = (
    Step("client", Kind.SEARCH, N_("visit.q.client"), N_("visit.l.client"), search=opt.find_clients,
         create_label=N_("visit.client_new"), check_item=opt.check_client_query),
    Step("country", Kind.CHOICE, N_("visit.q.country"), N_("visit.l.country"), free_text=True,
         dynamic_choices=opt.country_choices, check=opt.check_country,
         skip_if=lambda a: not opt.client_is_new(a)),
    Step("industry", Kind.TEXT, N_("visit.q.industry"), N_("visit.l.industry"), optional=True,
         check=opt.check_words,
         skip_if=lambda a: not opt.client_is_new(a)),
    Step("visitors", Kind.MULTI, N_("visit.q.visitors"), N_("visit.l.visitors"), free_text=True,
         dynamic_choices=opt.known_contacts, split=opt.split_visitors, check_item=opt.check_visitor,
         resets=("lead",)),
    Step("lead", Kind.CHOICE, N_("visit.q.lead"), N_("visit.l.lead"), dynamic_choices=opt.lead_choices,
         skip_if=lambda a: len(a.get("visitors", [])) < 2),
    # Printed as the client's country until someone says otherwise: filled from the review card.
    Step("nationality", Kind.TEXT, N_("visit.q.nationality"), N_("visit.l.nationality"), optional=True,
         ask_if=lambda a: False),
    Step("cls", Kind.CHOICE, N_("visit.q.class"), N_("visit.l.class"), dynamic_choices=opt.class_choices,
         detail=opt.class_detail),
    Step("purposes", Kind.MULTI, N_("visit.q.purposes"), N_("visit.l.purposes"), free_text=True,
         dynamic_choices=opt.purpose_choices, check_item=opt.check_purpose),
    # Asked for the important classes; for the others it waits on the review card.
    Step("background", Kind.TEXT, N_("visit.q.background"), N_("visit.l.background"), optional=True,
         detail=opt.client_notes, ask_if=lambda a: a.get("cls") in ("A", "B")),
    # A new arrival asks the departure and the flight's or train's time again, on its day.
    Step("arrival", Kind.DATETIME, N_("visit.q.arrival"), N_("visit.l.arrival"),
         resets=("departure", "travel_arrives")),
    Step("departure", Kind.DATETIME, N_("visit.q.departure"), N_("visit.l.departure"),
         check=opt.check_departure, day_of=opt.arrival_day),
    Step("travel", Kind.CHOICE, N_("visit.q.travel"), N_("visit.l.travel"), choices=opt.TRAVEL_MODES,
         optional=True),
    Step("travel_number", Kind.TEXT, N_("visit.q.travel_number"), N_("visit.l.travel_number"),
         optional=True, check=opt.check_travel_number, skip_if=lambda a: not opt.is_flight_or_train(a),
         undecided=N_("visit.travel_number_undecided")),
    Step("travel_place", Kind.TEXT, N_("visit.q.travel_place"), N_("visit.l.travel_place"),
         optional=True, check=opt.check_words, skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("travel_arrives", Kind.DATETIME, N_("visit.q.travel_arrives"), N_("visit.l.travel_arrives"),
         optional=True, check=opt.check_travel_arrival, day_of=opt.arrival_day,
         skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("pickup", Kind.YES_NO, N_("visit.q.pickup"), N_("visit.l.pickup"),
         skip_if=lambda a: not opt.is_flight_or_train(a)),
    Step("phones", Kind.TEXT, N_("visit.q.phones"), N_("visit.l.phones"), optional=True,
         check=details.check_phones, ask_if=lambda a: bool(a.get("pickup"))),
    Step("driver", Kind.CHOICE, N_("visit.q.driver"), N_("visit.l.driver"), optional=True, free_text=True,
         dynamic_choices=opt.team_choices, check=opt.check_driver, skip_if=lambda a: not a.get("pickup")),
    Step("car", Kind.TEXT, N_("visit.q.car"), N_("visit.l.car"), optional=True, check=opt.check_words,
         skip_if=lambda a: not a.get("pickup")),
    Step("team", Kind.MULTI, N_("visit.q.team_named"), N_("visit.l.team"), optional=True, free_text=True,
         dynamic_choices=opt.team_choices, check=opt.check_team),
    Step("executives", Kind.MULTI, N_("visit.q.executives_named"), N_("visit.l.executives"), optional=True,
         free_text=True, dynamic_choices=opt.executive_choices, check=opt.check_executives,
         skip_if=lambda a: a.get("cls") == "D"),
    Step("room", Kind.TEXT, N_("visit.q.room"), N_("visit.l.room"), optional=True, check=opt.check_words),
    Step("extras", Kind.MULTI, N_("visit.q.extras"), N_("visit.l.extras"), optional=True,
         choices=opt.EXTRAS),
    Step("tour", Kind.TEXT, N_("visit.q.tours"), N_("visit.l.tour"), optional=True, check=prog.check_slots),
    Step("agenda", Kind.TEXT, N_("visit.q.agenda"), N_("visit.l.agenda"), optional=True,
         check=prog.check_slots, skip_if=lambda a: not prog.several_days(a)),
    Step("lodging", Kind.YES_NO, N_("visit.q.lodging"), N_("visit.l.lodging")),
    Step("hotel", Kind.TEXT, N_("visit.q.hotel"), N_("visit.l.hotel"), check=opt.check_words,
         skip_if=lambda a: not a.get("lodging")),
    Step("payer", Kind.CHOICE, N_("visit.q.payer"), N_("visit.l.payer"), choices=opt.PAYERS,
         skip_if=lambda a: not a.get("lodging")),
    Step("stay", Kind.TEXT, N_("visit.q.stay"), N_("visit.l.stay"), optional=True, check=prog.check_stay,
         skip_if=lambda a: not a.get("lodging")),
    Step("lodging_guests", Kind.MULTI, N_("visit.q.lodging_guests"), N_("visit.l.lodging_guests"),
         optional=True, dynamic_choices=prog.guest_choices,
         skip_if=lambda a: not a.get("lodging") or len(a.get("visitors", [])) < 2),
    Step("rooms", Kind.NUMBER, N_("visit.q.rooms"), N_("visit.l.rooms"), optional=True, minimum=1,
         maximum=500, skip_if=lambda a: not a.get("lodging")),
    Step("room_rate", Kind.NUMBER, N_("visit.q.room_rate"), N_("visit.l.room_rate"), optional=True, minimum=0,
         maximum=100000, skip_if=lambda a: not a.get("lodging")),
    Step("meals", Kind.NUMBER, N_("visit.q.meals"), N_("visit.l.meals"), minimum=0, maximum=500),
    Step("meal_plan", Kind.TEXT, N_("visit.q.meal_plan"), N_("visit.l.meal_plan"), optional=True,
         check=prog.check_meals, skip_if=lambda a: not a.get("meals")),
    Step("dietary", Kind.TEXT, N_("visit.q.dietary_each"), N_("visit.l.dietary"), optional=True,
         check=opt.check_words,
         skip_if=lambda a: not a.get("meals")),
    Step("meal_budget", Kind.NUMBER, N_("visit.q.meal_budget"), N_("visit.l.meal_budget"), optional=True,
         minimum=0, maximum=100000, skip_if=lambda a: not a.get("meals") or a.get("cls") == "D"),
    Step("gift_budget", Kind.NUMBER, N_("visit.q.gift_budget"), N_("visit.l.gift_budget"), optional=True,
         minimum=0, maximum=100000, skip_if=lambda a: "gifts" not in a.get("extras", [])),
)

NEW_VISIT = Flow("new_visit", N_("visit.title"), STEPS, on_save=save, describe=describe, warnings=warnings,
                 saved_again=show_already_saved)
