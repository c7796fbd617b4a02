"""The classroom (issue 15): the addresses students type, and a screen to project for a class.

`quiz.network` is tested with the machine's addresses injected, so the tests mean the same on
every machine; the screen is tested through the Flask test client, its QR code against
segno's own matrix for the address the page shows.
"""

from __future__ import annotations

import re

import pytest
import segno

from quiz import network
from tests.helpers import PASSWORD, RIGHT, hidden, join_class, soup

# What a school laptop might have: loopback, a LAN address, a self-assigned one, an IPv6
# unique-local and a link-local address (with its interface), a duplicate.
TITLE = "Every type <em>once</em>"  # shown as typed, never as markup
MACHINE = ["127.0.0.1", "::1", "192.168.1.23", "169.254.7.7", "fd00::2", "fe80::1%eth0",
           "192.168.1.23", "10.0.0.5"]


EVERY_IPV4 = "0.0.0.0"  # noqa: S104 (a host to describe: nothing listens here)


def machine() -> list[str]:
    return MACHINE


# --- quiz/network.py ------------------------------------------------------------------------

@pytest.mark.parametrize(("host", "port", "expected"), [
    # 0.0.0.0 listens on IPv4 only: no IPv6 address, nothing loopback or self-assigned.
    (EVERY_IPV4, 5000, ["http://192.168.1.23:5000/", "http://10.0.0.5:5000/"]),
    ("", 8080, ["http://192.168.1.23:8080/", "http://10.0.0.5:8080/"]),
    # :: takes both; IPv6 in brackets, link-local left out (browsers cannot open it).
    ("::", 5000, ["http://192.168.1.23:5000/", "http://10.0.0.5:5000/",
                  "http://[fd00::2]:5000/"]),
    ("127.0.0.1", 5000, []),
    ("localhost", 5000, []),
    ("::1", 5000, []),
    ("192.168.1.23", 80, ["http://192.168.1.23/"]),
    ("fd00::2", 5000, ["http://[fd00::2]:5000/"]),
    ("quiz.school.example", 5000, ["http://quiz.school.example:5000/"]),
])
def test_student_addresses(host, port, expected):
    assert network.student_addresses(host, port, machine) == expected


def test_start_up_lines_say_where_students_go_or_why_they_cannot():
    assert network.start_up_lines(EVERY_IPV4, 5000, machine) == [
        "Students can open: http://192.168.1.23:5000/", "Students can open: http://10.0.0.5:5000/"]
    [note] = network.start_up_lines("127.0.0.1", 5000, machine)
    assert note.startswith("Students cannot reach 127.0.0.1") and "--host 0.0.0.0" in note
    assert network.start_up_lines(EVERY_IPV4, 5000, lambda: ["127.0.0.1", "::1"]) == [
        network.NO_ADDRESS_NOTE]


@pytest.mark.parametrize(("host", "scheme", "expected"), [
    ("localhost:5000", "http", ["http://192.168.1.23:5000/join", "http://10.0.0.5:5000/join"]),
    ("127.0.0.1:8080", "http", ["http://192.168.1.23:8080/join", "http://10.0.0.5:8080/join"]),
    ("[::1]:5000", "http", ["http://192.168.1.23:5000/join", "http://10.0.0.5:5000/join"]),
    ("localhost", "http", ["http://192.168.1.23/join", "http://10.0.0.5/join"]),
    ("10.0.0.5:5000", "http", ["http://10.0.0.5:5000/join"]),
    ("[fd00::2]:5000", "http", ["http://[fd00::2]:5000/join"]),
    ("quiz.school.example", "https", ["https://quiz.school.example/join"]),
])
def test_page_addresses_use_the_address_the_teacher_opened(host, scheme, expected):
    assert network.page_addresses(host, scheme, "/join", machine) == expected


def test_interface_addresses_come_from_the_interfaces(monkeypatch):
    import psutil

    found = network.interface_addresses()
    assert "127.0.0.1" in found  # every machine has its loopback, and nothing is sent for it
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: (_ for _ in ()).throw(OSError("no")))
    monkeypatch.setattr(network.socket, "getaddrinfo",
                        lambda host, port: [(2, 1, 6, "", ("10.9.8.7", 0))] * 2)
    assert network.interface_addresses() == ["10.9.8.7"]  # the fallback, without duplicates


def test_serve_prints_the_addresses_students_can_open(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from quiz import cli

    monkeypatch.setenv("SOURCECHECK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(cli, "prepare", lambda app: None)
    monkeypatch.setattr(cli, "_serve_gunicorn", lambda *args: None)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    monkeypatch.setattr(network, "interface_addresses", machine)
    output = CliRunner().invoke(cli.main, ["serve", "--host", EVERY_IPV4]).output
    assert "Students can open: http://192.168.1.23:5000/\n" in output
    assert "Students can open: http://10.0.0.5:5000/\n" in output
    output = CliRunner().invoke(cli.main, ["serve"]).output
    assert "Students cannot reach 127.0.0.1" in output


# --- the screen -----------------------------------------------------------------------------

@pytest.fixture
def klass(teacher, db):
    """A class of the teacher's with the all-types set assigned."""
    page = "/teacher/classes/new"
    response = teacher.post(page, {"name": "8B Media"}, form_page=page)
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    set_id = db.execute("SELECT id FROM question_set WHERE slug = 'all-types'").fetchone()[0]
    page = f"/teacher/classes/{class_id}"
    assert teacher.post(f"{page}/sets", {"sets": [str(set_id)]}, form_page=page).status_code == 302
    code = db.execute("SELECT code FROM class WHERE id = ?", (class_id,)).fetchone()[0]
    return {"id": class_id, "code": code, "screen": f"/teacher/classes/{class_id}/screen"}


@pytest.fixture
def lan(monkeypatch):
    monkeypatch.setattr(network, "interface_addresses", machine)


def counts(teacher, klass) -> tuple[str, list[list[str]]]:
    html = soup(teacher.get(klass["screen"]).get_data(as_text=True))
    section = html.select_one("#screen-counts")
    rows = [[c.get_text(strip=True) for c in tr.select("td")] for tr in section.select("tbody tr")]
    return section.h2.get_text(strip=True), rows


def test_screen_is_for_the_classes_owner_only(client, other_teacher, klass, lan):
    response = client.get(klass["screen"])
    assert response.status_code == 302 and "/teacher/login" in response.headers["Location"]
    assert other_teacher.get(klass["screen"]).status_code == 404
    assert other_teacher.get("/teacher/classes/999999/screen").status_code == 404


def test_class_page_links_to_the_screen(teacher, klass):
    html = soup(teacher.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True))
    link = html.find("a", string="Screen to project")
    assert link is not None and link["href"] == klass["screen"]


def test_screen_counts_who_joined_and_who_submitted(app, teacher, klass, lan):
    assert counts(teacher, klass) == ("Joined: 0", [[TITLE, "0 of 0"]])
    ada, bo = join_class(app, klass["code"], "Ada"), join_class(app, klass["code"], "Bo")
    join_class(app, klass["code"], "Cy")
    assert counts(teacher, klass) == ("Joined: 3", [[TITLE, "0 of 3"]])
    for student in (ada, bo, ada):  # Ada twice: she is still one student who submitted
        assert student.start("all-types", "x").status_code == 302
        assert student.submit(RIGHT).status_code == 303
    assert counts(teacher, klass) == ("Joined: 3", [[TITLE, "2 of 3"]])


def test_screen_shows_the_code_and_the_machines_address_when_opened_on_localhost(
        teacher, klass, lan):
    html = soup(teacher.get(klass["screen"]).get_data(as_text=True))
    assert html.select_one(".screen-code").get_text() == klass["code"]
    # The test client asks for "localhost": students get the machine's address instead.
    assert html.select_one(".screen-address").get_text() == "http://192.168.1.23/join"
    assert [a.get_text() for a in html.select(".screen-address-small")] == [
        "http://10.0.0.5/join"]
    assert "127.0.0.1" not in html.get_text() and "localhost" not in html.select_one(
        ".screen-join").get_text()
    assert "--host 0.0.0.0" in html.get_text()  # how students can reach it


def on_the_network(app, teacher, path: str) -> str:
    """Sign the teacher in through the address 10.0.0.5:8080, not localhost; open *path*."""
    client, base = app.test_client(), "http://10.0.0.5:8080"
    page = client.get("/teacher/login", base_url=base).get_data(as_text=True)
    assert client.post("/teacher/login", base_url=base, data={
        "csrf_token": hidden(page, "csrf_token"), "username": teacher.username,
        "password": PASSWORD}).status_code == 302
    return client.get(path, base_url=base).get_data(as_text=True)


def test_screen_shows_the_network_address_the_teacher_used(app, teacher, klass, lan):
    html = soup(on_the_network(app, teacher, klass["screen"]))
    assert html.select_one(".screen-address").get_text() == "http://10.0.0.5:8080/join"
    assert not html.select(".screen-address-small")
    assert "--host 0.0.0.0" not in html.get_text()


def test_screen_without_a_network_address_says_so(teacher, klass, monkeypatch):
    monkeypatch.setattr(network, "interface_addresses", lambda: ["127.0.0.1"])
    html = soup(teacher.get(klass["screen"]).get_data(as_text=True))
    assert "no network address students can reach" in html.get_text()
    assert html.select_one("svg") is None


def qr_matrix(svg) -> set[tuple[int, int]]:
    """Read back the dark modules of segno's SVG path: horizontal runs of stroke width 1."""
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([MmHhVv])(-?[\d.]+)(?:\s(-?[\d.]+))?", svg.path["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            dark |= {(int(y - 0.5), int(x) + i) for i in range(int(float(a)))}
            x += float(a)
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def test_the_qr_code_encodes_the_address_shown(app, teacher, klass, lan):
    html = soup(on_the_network(app, teacher, klass["screen"]))
    shown = html.select_one(".screen-address").get_text()
    svg = html.select_one("figure svg")
    expected = segno.make(shown, error="m")
    border = 4
    width, height = expected.symbol_size(scale=1, border=border)
    assert svg["viewbox"] == f"0 0 {width} {height}"  # the HTML parser lowercases names
    dark = {(r + border, c + border) for r, row in enumerate(expected.matrix)
            for c, cell in enumerate(row) if cell}
    assert qr_matrix(svg) == dark
    assert dark != {(r + border, c + border) for r, row in enumerate(
        segno.make("http://10.0.0.5:8080/joim", error="m").matrix) for c, cell in enumerate(row)
        if cell}  # a different address draws a different code
    assert shown in html.figure.figcaption.get_text()


def test_screen_refreshes_without_javascript_and_can_stop(teacher, klass, lan):
    html = soup(teacher.get(klass["screen"]).get_data(as_text=True))
    # The reload is for browsers without JavaScript; screen.js updates the counts otherwise.
    [noscript] = html.head.select("noscript")
    meta = soup(noscript.decode_contents()).select_one('meta[http-equiv="refresh"]')
    assert meta["content"] == "10"
    assert html.select_one('script[src$="screen.js"]') is not None
    assert html.select_one("#screen-counts")["data-every"] == "10"
    stop = html.find("a", string="Stop updating")
    still = soup(teacher.get(stop["href"]).get_data(as_text=True))
    assert not still.select("noscript") and not still.select('script[src$="screen.js"]')
    assert still.find("a", string="Update them every 10 seconds")["href"] == klass["screen"]


def test_screen_has_no_inline_style_or_script(teacher, klass, lan):
    html = soup(teacher.get(klass["screen"]).get_data(as_text=True))
    assert not html.select("[style]") and not html.select("style")
    assert all(script.get("src") for script in html.select("script"))


def test_screen_warns_when_the_class_is_closed(teacher, klass, lan):
    page = f"/teacher/classes/{klass['id']}"
    assert teacher.post(page, {"name": "8B Media"}, form_page=page).status_code == 302
    assert "This class is closed" in teacher.get(klass["screen"]).get_data(as_text=True)
