"""A fake HistoryNet for the collector tests: a real HTTP server on 127.0.0.1 with a WordPress-shaped
REST API, HTML pages, robots.txt, a Wayback CDX API and archived pages, and scripted failures
(429, 500, truncated bodies). Nothing here reaches the internet.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

CATEGORY_ID = 7
MAX_PER_PAGE = 10  # like a server that caps per_page: 25 posts are always 3 pages

# (title, question paragraphs, (first name, surname, place, "Mr."/"Ms."), answer paragraphs)
COLUMNS = [
    ("Why was the Battle of Hastings fought where it was?",
     ["I have read that Harold had just marched south from Stamford Bridge. Why did he fight William on that ridge instead of waiting for more men?"],
     ("Alan", "Pierce", "Leeds, England", "Mr."),
     ["Harold Godwinson wanted to pin William's army to the coast before it could ravage more of his own estates in Sussex.",
      "The ridge at Senlac gave his shield wall a strong defensive position, and for most of October 14, 1066, it held."]),
    ("Did the Roman legions use stirrups?",
     ["Roman cavalry looks awkward in every film I see. Did they ride without stirrups?"],
     ("Maria", "Lopez", None, "Ms."),
     ["They did. The stirrup reached Europe from the steppe only in the early Middle Ages, well after the Western Empire fell.",
      "Roman riders relied instead on the four-horned saddle, which held them firmly in place."]),
    ("How long did the Hundred Years' War actually last?",
     ["My teacher says the Hundred Years' War lasted longer than a hundred years. Is that true?"],
     ("Kevin", "Walsh", "Dayton, Ohio", "Mr."),
     ["Your teacher is right. Historians usually date it from 1337 to 1453, which makes 116 years.",
      "It was less a single war than a series of campaigns separated by truces between England and France."]),
    ("Why did the Confederacy lose at Gettysburg?",
     ["Robert E. Lee had won at Chancellorsville only two months earlier.", "What went wrong for him in Pennsylvania in July 1863?"],
     ("Daniel", "Brooks", None, "Mr."),
     ["Lee fought without his cavalry screen for the first two days, because J.E.B. Stuart was off raiding.",
      "He then attacked a strong Union position on Cemetery Ridge, and Pickett's Charge on July 3 failed with heavy losses."]),
    ("Who invented the tank?",
     ["Was the tank a British or a French invention?"],
     ("Helen", "Carter", "Bristol, England", "Ms."),
     ["Both countries developed tanks independently during World War I.",
      "The British Mark I went into action first, at Flers-Courcelette on September 15, 1916, while the French Schneider CA followed in April 1917."]),
    ("What happened to Napoleon's Grande Armée in Russia?",
     ["How many soldiers did Napoleon lose in 1812?"],
     ("Peter", "Novak", None, "Mr."),
     ["Of some 600,000 men who crossed the Niemen in June 1812, only a small fraction came back in December.",
      "Disease, desertion and the winter retreat from Moscow killed far more of them than Russian bullets did."]),
    ("Why did the Titanic carry so few lifeboats?",
     ["Everyone knows the Titanic did not have enough lifeboats. Why was that legal in 1912?"],
     ("Susan", "Reed", "Halifax, Nova Scotia", "Ms."),
     ["British Board of Trade rules still based lifeboat numbers on a ship's tonnage, and the scale stopped at 10,000 tons.",
      "The Titanic in fact carried more boats than the rules required. The disaster led to the first SOLAS convention in 1914."]),
    ("Was Custer really a general at the Little Bighorn?",
     ["Why do books call him General Custer when he was a lieutenant colonel in 1876?"],
     ("Robert", "Hale", None, "Mr."),
     ["George Armstrong Custer had been a brevet major general of volunteers during the Civil War.",
      "After the war he reverted to his regular rank, but the old title stayed with him, as it did with many officers of his generation."]),
    ("What did the Enigma machine actually do?",
     ["My grandfather worked at Bletchley Park but never talked about it. How did the Enigma work?"],
     ("Laura", "Fischer", "Milton Keynes, England", "Ms."),
     ["Enigma was an electromechanical cipher machine. Each key press sent current through a set of rotating wheels and a plugboard, so the same letter was enciphered differently each time.",
      "Polish mathematicians broke early versions in the 1930s, and Alan Turing and his colleagues built on their work during the war."]),
    ("Why was Pearl Harbor not better defended?",
     ["Were there no warnings at all before December 7, 1941?"],
     ("Thomas", "Yamada", None, "Mr."),
     ["There were warnings, but they were vague, and commanders in Hawaii expected sabotage or an attack in Southeast Asia rather than a carrier raid.",
      "A radar station on Oahu even detected the incoming aircraft, but the report was taken for a flight of B-17s due from the mainland."]),
    ("Did Vikings wear horned helmets?",
     ["Every picture of a Viking shows horns on his helmet. Is there any evidence for them?"],
     ("Erik", "Larsen", "Minneapolis, Minnesota", "Mr."),
     ["None at all. The only nearly complete Viking-age helmet, found at Gjermundbu in Norway, is a plain iron cap with a spectacle guard.",
      "The horns come from nineteenth-century romanticism and costume designs for Wagner's operas."]),
    ("How did the Spanish Armada fail?",
     ["Was it English ships or the weather that defeated the Armada in 1588?"],
     ("Catherine", "Moore", None, "Ms."),
     ["Both played their part. English fireships broke up the Spanish formation off Calais, and the battle of Gravelines followed.",
      "The worst losses came afterwards, when storms wrecked many ships on the coasts of Scotland and Ireland as they sailed home."]),
    ("What was the Zimmermann Telegram?",
     ["I keep seeing the Zimmermann Telegram mentioned as a reason the United States entered World War I.", "What exactly did it say?"],
     ("Gary", "Olsen", "Tucson, Arizona", "Mr."),
     ["In January 1917 German Foreign Secretary Arthur Zimmermann proposed that Mexico join Germany if the United States entered the war, in return for Texas, New Mexico and Arizona.",
      "British codebreakers intercepted the message, and its publication in March 1917 turned American opinion sharply against Germany."]),
    ("Why is it called the Battle of Bunker Hill?",
     ["If most of the fighting was on Breed's Hill, why do we name the battle after Bunker Hill?"],
     ("Nancy", "Sullivan", None, "Ms."),
     ["The colonial forces were ordered to fortify Bunker Hill but built their main redoubt on the lower Breed's Hill, closer to Boston.",
      "The name of the original objective stuck, and the British won the hill on June 17, 1775, at a heavy price."]),
    ("How did the Aztecs fall to so few Spaniards?",
     ["Cortés had only a few hundred soldiers. How could he conquer an empire?"],
     ("Miguel", "Ortega", "San Antonio, Texas", "Mr."),
     ["Cortés never fought alone. Tens of thousands of Tlaxcalan and other indigenous allies, who resented Aztec rule, marched with him.",
      "Smallpox also struck Tenochtitlan in 1520, killing much of the population before the final siege in 1521."]),
    ("Did Marie Antoinette say 'Let them eat cake'?",
     ["Is there any proof that the queen said this?"],
     ("Claire", "Dubois", None, "Ms."),
     ["There is no reliable evidence that she did. A similar phrase appears in Rousseau's Confessions, written when she was still a child in Austria.",
      "The story was attached to her later, when pamphleteers were eager to blacken her name."]),
    ("What was the Lend-Lease Act?",
     ["How did the United States supply Britain before it entered World War II?"],
     ("Frank", "Morris", "Omaha, Nebraska", "Mr."),
     ["Congress passed the Lend-Lease Act in March 1941, allowing President Franklin D. Roosevelt to lend or lease war materials to any country whose defense he judged vital to the United States.",
      "Britain, the Soviet Union and China received most of the aid, worth some 50 billion dollars by the end of the war."]),
    ("Why did the Berlin Wall go up in 1961?",
     ["Why did East Germany build the wall in August 1961 and not earlier?"],
     ("Anna", "Schmidt", None, "Ms."),
     ["By 1961 about 2.7 million East Germans had left through West Berlin, many of them young and skilled.",
      "Walter Ulbricht persuaded Nikita Khrushchev that the drain threatened the state's survival, and the border was sealed on the night of August 12-13."]),
    ("Who were the Flying Tigers?",
     ["My uncle claimed to have flown with the Flying Tigers in China. Who were they?"],
     ("Raymond", "Chen", "Fresno, California", "Mr."),
     ["The First American Volunteer Group was recruited in 1941 under Claire Chennault to defend China and the Burma Road against Japanese air attack.",
      "Flying Curtiss P-40s with shark-mouth noses, the group fought from December 1941 until it was disbanded in July 1942."]),
    ("What caused the Great Fire of London?",
     ["How did one fire destroy most of the City of London in 1666?"],
     ("Margaret", "Hughes", None, "Ms."),
     ["The fire began in Thomas Farriner's bakery on Pudding Lane early on September 2, 1666.",
      "A dry summer, a strong east wind and closely packed timber houses let it burn for four days, destroying some 13,000 houses and St Paul's Cathedral."]),
    ("Was the Maginot Line a failure?",
     ["Why do people say the Maginot Line was useless in 1940?"],
     ("Louis", "Martin", "Quebec City, Quebec", "Mr."),
     ["The fortifications did what they were built to do: the Germans never seriously attacked them head on.",
      "The failure lay in the plan around them. The main German thrust came through the Ardennes, which the French high command had judged unsuitable for armor."]),
    ("How were the pyramids of Giza built?",
     ["Who built the pyramids, and how long did it take?"],
     ("Sarah", "Nolan", None, "Ms."),
     ["They were built by paid Egyptian workers, not slaves, whose villages and cemeteries archaeologists have excavated near the site.",
      "The Great Pyramid of Khufu probably took about twenty years, with stone hauled on sledges up ramps whose exact form is still debated."]),
    ("Why did Hannibal not attack Rome after Cannae?",
     ["After his great victory at Cannae in 216 BC, why did Hannibal not march on Rome itself?"],
     ("Victor", "Russo", "Providence, Rhode Island", "Mr."),
     ["Hannibal lacked siege engines and the manpower to storm a walled city of Rome's size.",
      "He hoped instead that Rome's Italian allies would desert her. Most of them did not, and Rome rebuilt its armies."]),
    ("Did the Wright brothers fly first?",
     ["Some people say Gustave Whitehead flew before the Wright brothers. Who really flew first?"],
     ("Janet", "Price", None, "Ms."),
     ["The Wright brothers made the first well-documented, sustained and controlled powered flights at Kitty Hawk on December 17, 1903.",
      "Claims for Whitehead's 1901 flights rest on newspaper reports and later recollections, and no photograph of his machine in flight has ever been found."]),
    ("What was the Doolittle Raid meant to achieve?",
     ["Sixteen bombers could not do much damage to Japan. Why did the United States risk them in April 1942?"],
     ("Walter", "Grant", "Alameda, California", "Mr."),
     ["The raid's purpose was above all to raise American morale after months of defeats, and to show Japan that its home islands were not out of reach.",
      "It also helped persuade the Japanese high command to attack Midway, where it lost four carriers in June 1942."]),
]

SIGNATURES = (["Jon Guttman", "Research Director", "World History"],
              ["Jon Guttman", "Research Director", "HistoryNet"])


def column_html(i: int) -> str:
    """The content.rendered of post ``i``: question, asker, salutation, answer, signature, some site chrome."""
    title, question, (first, last, place, honorific), answer = COLUMNS[i]
    asker = f"{first} {last}" + (f", {place}" if place else "")
    salutation = f"Dear {honorific} {last}" + (":" if i % 3 else ",")
    paras = (["Share This Article"] if i % 3 == 0 else []) + question + [asker, salutation] + answer + list(SIGNATURES[i % 2])
    if i % 2 == 0:
        paras.append("More Questions at Ask Mr. History")
    body = "\n".join(f"<p>{html.escape(p, quote=False).replace(chr(39), '&#8217;')}</p>" for p in paras)
    return body.replace("<p>Share This Article</p>", '<div class="share-buttons"><p>Share This Article</p></div>')


def make_posts(base_url: str, n: int = 25) -> list[dict]:
    """``n`` WordPress posts in the Ask Mr. History category, newest first like the API returns them."""
    posts = []
    start = dt.datetime(2009, 3, 2, 9, 30)
    for i in range(n):
        title = COLUMNS[i % len(COLUMNS)][0]
        slug = "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split())
        posts.append({
            "id": 1000 + i, "date": (start + dt.timedelta(days=97 * i)).isoformat(),
            "modified": (start + dt.timedelta(days=97 * i + 3)).isoformat(),
            "slug": slug, "link": f"{base_url}/{slug}/", "categories": [CATEGORY_ID], "status": "publish",
            "title": {"rendered": html.escape(title, quote=False).replace("'", "&#8217;")},
            "content": {"rendered": column_html(i % len(COLUMNS)), "protected": False},
            "excerpt": {"rendered": "<p>…</p>"},
        })
    return sorted(posts, key=lambda p: p["date"], reverse=True)


def page_html(post: dict) -> str:
    """A HistoryNet-like page for a post: canonical link, og:title, published time, a script never run."""
    return f"""<!DOCTYPE html><html><head><title>{post['title']['rendered']} | HistoryNet</title>
<link rel="canonical" href="{post['link']}">
<meta property="og:title" content="{post['title']['rendered']}">
<meta property="article:published_time" content="{post['date']}+00:00">
<script>document.write('tracking'); window.location = 'http://example.invalid/';</script>
</head><body><nav>Home | Wars | Ask Mr. History</nav><article><h1>{post['title']['rendered']}</h1>
<div class="entry-content">{post['content']['rendered']}</div></article>
<aside class="sidebar">Subscribe now</aside></body></html>"""


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    truncate: bool = False  # announce a longer body than is sent, then close the connection
    no_length: bool = False  # no Content-Length: the body ends when the connection closes
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time
    trickle_headers: float = 0.0  # seconds between the bytes of a long header line, before the body


class FakeSite:
    """The server and what it serves. ``queue(path, *responses)`` scripts one-shot answers for a path."""

    def __init__(self, n_posts: int = 25):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.site = self
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.posts = make_posts(self.base_url, n_posts)
        self.pages: dict[str, Response] = {}
        self.archive: dict[str, tuple[str, bytes]] = {}  # original URL -> (timestamp, page bytes)
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.scripted: dict[str, list[Response]] = {}
        self.log: list[tuple[str, str, dict]] = []  # (path, query, headers) of every request
        self.times: list[float] = []  # when each request arrived
        self.lock = threading.Lock()
        self.closing = threading.Event()  # ends every trickling answer
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "FakeSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()

    def queue(self, path: str, *responses: Response) -> None:
        self.scripted.setdefault(path, []).extend(responses)

    def requests_to(self, path: str) -> int:
        return sum(1 for p, _, _ in self.log if p == path)

    def respond(self, path: str, query: dict) -> Response:
        with self.lock:
            if self.scripted.get(path):
                return self.scripted[path].pop(0)
        if path == "/robots.txt":
            return Response(404) if self.robots is None else Response(200, self.robots.encode(), {"Content-Type": "text/plain"})
        if path == "/wp-json/wp/v2/categories":
            found = [{"id": CATEGORY_ID, "slug": "ask-mr-history", "name": "Ask Mr. History", "count": len(self.posts)}]
            return _json(found if query.get("slug") == "ask-mr-history" else [])
        if path == "/wp-json/wp/v2/posts":
            return self._posts(query)
        if path == "/cdx/search/cdx":
            hit = self.archive.get(query.get("url", ""))
            rows = [["timestamp", "original"]] + ([[hit[0], query["url"]]] if hit else [])
            return _json(rows if hit else [])
        if path.startswith("/web/"):
            stamp, _, original = path[len("/web/"):].partition("/")
            hit = self.archive.get(original)
            if hit and stamp == f"{hit[0]}id_":
                return Response(200, hit[1], {"Content-Type": "text/html; charset=utf-8"})
            return Response(404, b"not archived")
        return self.pages.get(path, Response(404, b"<html><body>Page not found</body></html>", {"Content-Type": "text/html"}))

    def _posts(self, query: dict) -> Response:
        posts = [p for p in self.posts if str(CATEGORY_ID) == query.get("categories")]
        if query.get("after"):
            posts = [p for p in posts if p["date"] > query["after"]]
        per_page = min(int(query.get("per_page", 10)), MAX_PER_PAGE)
        page = int(query.get("page", 1))
        pages = max(1, -(-len(posts) // per_page))
        if page > pages:
            return _json({"code": "rest_post_invalid_page_number", "data": {"status": 400}}, status=400)
        chunk = posts[(page - 1) * per_page: page * per_page]
        return _json(chunk, headers={"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)})


def _json(data, *, status: int = 200, headers: dict | None = None) -> Response:
    return Response(status, json.dumps(data).encode(), {"Content-Type": "application/json; charset=UTF-8", **(headers or {})})


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        site: FakeSite = self.server.site
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with site.lock:
            site.log.append((path, parts.query, dict(self.headers)))
            site.times.append(time.monotonic())
        response = site.respond(path, query)
        self.send_response(response.status)
        length = len(response.body) + (1000 if response.truncate else 0)
        headers = response.headers if response.no_length else {"Content-Length": str(length), **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        if response.trickle_headers:
            self.flush_headers()
            self._trickle(b"X-Slow: " + b"a" * 200, response.trickle_headers, site)
            self.wfile.write(b"\r\n")
        self.end_headers()
        if response.trickle:
            self._trickle(response.body, response.trickle, site)
        else:
            self.wfile.write(response.body)
        self.wfile.flush()
        if response.truncate or response.trickle or response.trickle_headers:
            self.close_connection = True

    def _trickle(self, data: bytes, pause: float, site: "FakeSite") -> None:
        """Send ``data`` a byte at a time, ``pause`` seconds apart, until the client or the site gives up."""
        for i in range(len(data)):
            if site.closing.wait(pause):
                return
            try:
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
            except OSError:
                return

    def log_message(self, *args):  # keep test output quiet
        pass
