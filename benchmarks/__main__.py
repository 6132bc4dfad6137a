"""``make bench``: every benchmark, each measured against a baseline in the same run.

1. ``mrhistory analyse`` end to end against a bare spaCy pass over the same texts: speed (cold,
   warm), where the time goes, peak memory and its curve with corpus size (fails if a target is missed);
2. the date finder against dateparser and spaCy's DATE entities on the gold table (a report);
3. the same three on the WikiWars articles (TIMEX2 gold), with the date pass timed against a
   regex baseline (a report);
4. entity accuracy against stock spaCy on CrossNER politics dev and the project's gold sets (a report).
"""
import sys

from benchmarks import analyse_speed, compare_dates, dates_wikiwars
from benchmarks import entities as compare_entities

status = analyse_speed.main(sys.argv[1:])
print()
print(compare_dates.report(compare_dates.run()))
print()
dates_wikiwars.main([])
print()
compare_entities.main([])
sys.exit(status)
