"""The baseline process: a bare spaCy pass over the texts in a JSON file, as a user would write it.

    python -m benchmarks.baseline TEXTS.json MODEL

``spacy.load(MODEL)`` with its full default pipeline, then ``nlp.pipe`` over every text, in one
process; nothing else is imported, nothing is kept.
"""
import json
import sys

import spacy

texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts):
    pass
