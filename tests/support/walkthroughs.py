"""Walkthroughs typed in the chat that several test modules start from: a visit planned up to its
save or its review card."""

from __future__ import annotations

from tests.support.chat import Message, Person


def plan_visit(host: Person, arrival: str = "周四上午10点", departure: str = "周四下午4点",
               extras: tuple[str, ...] = ()) -> None:
    """A class-C visit typed by the host (Thursday by default), with a flight pickup; ``extras``
    are the arrangements ticked (欢迎横幅, 投影/电脑 ...), none by default."""
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    host.send(arrival).press("对").send(departure).press("对")
    host.press("飞机").send("CA1234").send("首都机场").send(arrival.replace("10点", "8点")).press("对")
    host.press("是").press("跳过").press("跳过").press("跳过")  # pickup; no phones, driver or car
    host.press("选好了").press("跳过")  # no team; no executives
    host.send("301")
    for extra in extras:
        host.press(extra)
    host.press("选好了").press("跳过").press("否").send("0")
    host.press("保存")


def acme_form(host: Person) -> Message:
    """An English class-C visit of the new client Acme (Anna Schmidt, CTO, next Tuesday 10am to 4pm,
    by car, nothing else) typed up to its review card; returns the card."""
    host.send("/new").send("Acme").press("New client: Acme").press("Germany").press("Skip")
    host.send("Anna Schmidt / CTO").press("Class C").send("business talks").press("Done")
    host.send("next Tuesday 10am").press("Correct").send("next Tuesday 4pm").press("Correct")
    host.press("Car").press("Done").press("Skip").press("Skip").press("Done").press("Skip")
    host.press("No").send("0")
    return host.last
