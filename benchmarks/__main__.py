"""``make bench``: every benchmark, each measured against a baseline in the same run.

1. annotate speed and memory against plain ``nlp.pipe`` (fails if a target is missed);
2. the date finder against dateparser and spaCy's DATE entities on the gold table (a report).
"""
import sys

from benchmarks import annotate_speed, compare_dates

status = annotate_speed.main(sys.argv[1:])
print()
print(compare_dates.report(compare_dates.run()))
sys.exit(status)
