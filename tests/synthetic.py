"""The synthetic corpus now lives in the package (``mrhistory.synthetic``), so that notebooks use it too."""
from mrhistory.synthetic import *  # noqa: F401,F403
from mrhistory.synthetic import SCENARIOS, synthetic_columns, synthetic_corpus, synthetic_truth, write_synthetic_corpus  # noqa: F401
