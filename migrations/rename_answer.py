"""`copier update` migration: rename a question's key in the project's answers file.

Runs before the update (copier.yml, `_migrations`), so the new release finds the answer under
its new name and asks nothing again:

    python rename_answer.py ANSWERS_FILE OLD_KEY NEW_KEY

Only the key's line changes; comments, order and values stay as Copier wrote them. A file that
already uses the new key, or never had the old one, is left as it is.
"""

import re
import sys
from pathlib import Path


def rename_answer(text: str, old: str, new: str) -> str:
    if re.search(rf"^{re.escape(new)}:", text, re.MULTILINE):
        return text
    return re.sub(rf"^{re.escape(old)}:", f"{new}:", text, count=1, flags=re.MULTILINE)


def main(answers_file: str, old: str, new: str) -> None:
    path = Path(answers_file)
    text = path.read_text(encoding="utf-8")
    renamed = rename_answer(text, old, new)
    if renamed != text:
        path.write_text(renamed, encoding="utf-8")
        print(f"{path}: answer '{old}' is now '{new}'")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
