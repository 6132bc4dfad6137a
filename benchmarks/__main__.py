"""``make bench``: every benchmark, each printing ratios against a baseline measured in the same run."""
import sys

from benchmarks import annotate_speed

sys.exit(annotate_speed.main(sys.argv[1:]))
