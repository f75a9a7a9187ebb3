"""Rebuilds src/pii/names_no.txt: the name lexicon of the personal-data detector.

Two sources, both MIT-licensed Python packages from PyPI:
  * Faker 40.63.0, provider person/no_NO: the 100 most common male and female given names and
    the 100 most common surnames in Norway, as published by Statistics Norway (SSB). These
    lines, with the project's hand-set common-word marks, are kept as they are.
  * mimesis 22.2.0, datasets/no/person.json: 3 838 given names and 360 surnames used in Norway
    (its own compilation; no statistical source is stated). Added where not already present.
  * Faker 40.54.0, providers person/sv_SE and person/da_DK: the given names of Sweden's and
    Denmark's lists (Statistics Sweden / Statistics Denmark name statistics). The Scandinavian
    given-name pools overlap, and the young generation's most common Norwegian names (Maja,
    Linnea, Tuva) are missing from the older top-100 list above. Given names only.

A name that is also a Norwegian word gets the mark ` ~` (scored low without context). For the
added names the mark is computed: the name is one or two letters, or its lower-case form is a
stem in Debian's hunspell-no dictionaries (nb_NO.dic, nn_NO.dic; GPL-2). The dictionaries are
only read here; nothing of them is shipped.

Usage (from the repository root):
  pip download --no-deps mimesis==22.2.0 -d /tmp/mimesis
  pip download --no-deps faker==40.54.0 -d /tmp/faker
  apt-get download hunspell-no && dpkg -x hunspell-no_*.deb /tmp/hunspell-no
  python3 datasets/names/make_names_no.py /tmp/mimesis/mimesis-22.2.0-py3-none-any.whl \
      /tmp/faker/faker-40.54.0-py3-none-any.whl \
      /tmp/hunspell-no/usr/share/hunspell/nb_NO.dic /tmp/hunspell-no/usr/share/hunspell/nn_NO.dic
"""
import json
import sys
import zipfile

TARGET = "src/pii/names_no.txt"

HEADER = """\
# Norwegian given names and surnames for the personal-data detector (src/pii/lexicon.rs).
# Made by datasets/names/make_names_no.py; do not edit by hand.
#
# Sources:
# - Faker 40.63.0 (MIT, Copyright (c) 2012 Daniele Faraglia), provider person/no_NO: the 100
#   most common male and female given names and the 100 most common surnames in Norway, as
#   published by Statistics Norway (SSB, ssb.no "Navn" statistics). Common-word marks on these
#   were set by hand in this project.
# - mimesis 22.2.0 (MIT, Copyright (c) 2016-Present Isaak Uchakaev), datasets/no/person.json:
#   further given names and surnames used in Norway (mimesis' own compilation). Marks on these
#   are computed: one or two letters, or a word of Debian's hunspell-no dictionaries.
# - Faker 40.54.0 (MIT), providers person/sv_SE and person/da_DK: Swedish and Danish given
#   names (the Scandinavian pools overlap; Maja, Linnea and Tuva are common in Norway too but
#   missing from the top-100 list). Given names only; marks computed as for mimesis.
#
# Format: a `[fornavn]` (given names) or `[etternavn]` (surnames) section line, then one name a
# line. A trailing ` ~` marks a name that is also a common Norwegian word (Per = "per",
# Liv = "life", Strand = "beach"); the detector scores such a name low unless context or a
# second name token supports it.
"""


def read_current(path):
    sections = {"fornavn": {}, "etternavn": {}}
    current = None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[fornavn]", "[etternavn]"):
            current = line[1:-1]
            continue
        common = line.endswith("~")
        name = line.rstrip("~").strip()
        sections[current][name] = sections[current].get(name, False) or common
    return sections


def dictionary_words(paths):
    words = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            next(f)  # the entry count
            for line in f:
                stem = line.split("/", 1)[0].strip()
                if stem and stem[0].islower():
                    words.add(stem)
    return words


def faker_given_names(wheel, locale):
    sys.path.insert(0, wheel)
    module = __import__(f"faker.providers.person.{locale}", fromlist=["Provider"])
    p = module.Provider
    names = set(getattr(p, "first_names_male", ())) | set(getattr(p, "first_names_female", ()))
    sys.path.remove(wheel)
    return sorted(names)


def main(wheel, faker_wheel, *dics):
    current = read_current(TARGET)
    # The Faker/SSB lines are the first source; keep them apart when re-running.
    words = dictionary_words(dics)
    with zipfile.ZipFile(wheel) as z:
        person = json.loads(z.read("mimesis/datasets/no/person.json"))
    added = {
        "fornavn": person["names"]["female"]
        + person["names"]["male"]
        + faker_given_names(faker_wheel, "sv_SE")
        + faker_given_names(faker_wheel, "da_DK"),
        "etternavn": person["surnames"],
    }
    for section, names in added.items():
        for name in names:
            name = name.strip()
            if not name or name in current[section]:
                continue
            current[section][name] = len(name) <= 2 or name.lower() in words
    with open(TARGET, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for section in ("fornavn", "etternavn"):
            out.write(f"\n[{section}]\n")
            for name in sorted(current[section]):
                out.write(name + (" ~" if current[section][name] else "") + "\n")
    print({s: len(v) for s, v in current.items()})


if __name__ == "__main__":
    main(*sys.argv[1:])
