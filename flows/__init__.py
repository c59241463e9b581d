"""The flows: fetch, parse, write, wired together (see README "How it works").

Importing the package registers the operator's own site specs, the modules named by
REGIONEWS_SPEC_MODULES (warehouse/settings.py), so every process that runs flow code sees the same
sites: the CLI, `regionews serve`, each flow-run process Prefect starts, and Dask workers.
"""

import sys as _sys

from warehouse.settings import spec_modules as _spec_modules

_modules = _spec_modules()  # this one setting alone: the rest is read when a command starts
if _modules:
    from parsers.registry import SpecModuleError as _SpecModuleError
    from parsers.registry import add_spec_modules as _add_spec_modules

    try:
        _add_spec_modules(_modules)
    except _SpecModuleError as exc:  # a mistake in the environment, said plainly: no traceback
        print(f"regionews: REGIONEWS_SPEC_MODULES: {exc}", file=_sys.stderr)
        raise SystemExit(2) from None
