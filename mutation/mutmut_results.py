"""Prints every mutant of a finished `mutmut run` as JSON lines: name, status, file, diff.

Runs inside the environment mutmut ran in, from the project folder (mutmut has no
machine-readable per-mutant report; this reads its result files through its own API).
"""

import json

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

for path in walk_mutatable_files():
    data = SourceFileMutationData(path=path)
    data.load()
    for name, exit_code in data.exit_code_by_key.items():
        status = status_by_exit_code[exit_code]
        # The diff only for what did not die: the report lists survivors, not kills.
        diff = "" if status == "killed" else get_diff_for_mutant(name, path=path)
        print(json.dumps({"name": name, "status": status, "file": str(path), "diff": diff}))
