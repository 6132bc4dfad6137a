"""``make bench``: every benchmark, each measured against a baseline in the same run.

1. ``mrhistory analyse`` end to end against a bare spaCy pass over the same texts: speed (cold,
   warm), where the time goes, peak memory and its curve with corpus size (fails if a target is missed);
2. the date finder against dateparser and spaCy's DATE entities on the gold table (a report).
"""
import sys

from benchmarks import analyse_speed, compare_dates

status = analyse_speed.main(sys.argv[1:])
print()
print(compare_dates.report(compare_dates.run()))
sys.exit(status)
