"""The git "clean" filter of notebooks/*.ipynb (.gitattributes): a notebook on stdin, its committed form
on stdout (jimo_eval.build.notebook_form). Set up in the clone's git config by `make report`, `make lab`
and `make test`:

    git config filter.jimo-notebook.clean ".venv/bin/python tools/strip_notebook.py"
"""

import sys

from jimo_eval.build.notebook_form import committed

if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdout.write(committed(sys.stdin.buffer.read().decode("utf-8")))
