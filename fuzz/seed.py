#!/usr/bin/env python3
"""Seeds fuzz/corpus/TARGET/ from figwatch's own fixtures (run from anywhere).

feed, article: the raw-string documents in the feed, article and integration
test fixtures; figures: the sentences of the figures corpus; query: the
queries in the example config, the watch tests and the README; config: the
example config and the TOML documents in the config tests.
"""
import hashlib
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
RAW = re.compile(r'r#+"(.*?)"#+', re.S)
STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def raw_strings(path):
    """Raw string literals of a source file, or of every .rs file under a
    directory (test modules move between the two shapes)."""
    target = ROOT / path
    files = sorted(target.rglob("*.rs")) if target.is_dir() else [target]
    found = []
    for file in files:
        found += RAW.findall(file.read_text(encoding="utf-8"))
    return found


def put(target, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        return
    out = FUZZ / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    docs = []
    for path in ["tests/it/fixtures.rs", "src/feed/tests.rs", "src/article/tests"]:
        docs += raw_strings(path)
    for doc in docs:
        lower = doc.lower()
        if any(tag in lower for tag in ("<rss", "<feed", "<rdf", "jsonfeed")):
            put("feed", doc)
        if "<html" in lower or "<p>" in lower or "<article" in lower:
            put("article", doc)
            put("figures", "\n".join(line.strip() for line in doc.splitlines()))

    for name in ["corpus.txt", "heldout.txt"]:
        for line in (ROOT / "src/figures" / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                sentence = line.split("\t")[0]
                put("figures", "North Korea sends troops to Russia\n" + sentence)

    text = "North Korea has sent more than 11,000 troops to Russia, Moscow says."
    queries = set()
    for path in ["config/figwatch.toml", "README.md"]:
        queries.update(re.findall(r"query = '([^']*)'", (ROOT / path).read_text(encoding="utf-8")))
    watch_tests = (ROOT / "src/watch/tests.rs").read_text(encoding="utf-8")
    for literal in STR.findall(watch_tests) + RAW.findall(watch_tests):
        if literal and "\n" not in literal and len(literal) < 200:
            queries.add(literal.replace('\\"', '"'))
    for query in queries:
        put("query", query + "\n" + text)

    put("config", (ROOT / "config/figwatch.toml").read_text(encoding="utf-8"))
    for doc in raw_strings("src/config/tests.rs"):
        put("config", doc)

    for target in sorted((FUZZ / "corpus").iterdir()):
        print(f"{target.name}: {len(list(target.iterdir()))} seeds")


if __name__ == "__main__":
    main()
