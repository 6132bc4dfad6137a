"""The baseline process: a bare spaCy pass over the texts in a JSON file, as a user would write it.

    python -m benchmarks.baseline TEXTS.json MODEL [N_PROCESS]

``spacy.load(MODEL)`` with its full default pipeline, then ``nlp.pipe`` over every text, in one
process; nothing else is imported, nothing is kept. With N_PROCESS > 1, spaCy's own
``nlp.pipe(n_process=N_PROCESS)``: what a user would write to use N cores (a reference, not the
baseline).
"""
import json
import sys

import spacy

texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
nlp = spacy.load(sys.argv[2])
n_process = int(sys.argv[3]) if len(sys.argv) > 3 else 1
for _ in nlp.pipe(texts, n_process=n_process):
    pass
