"""What a researcher asks of many runs.

- `run(scenario, seed, **params) -> outcomes`: one run, the plain function that `mesa.batch_run`,
  SALib, the EMA workbench and notebooks can drive (scenario: library name, path or dict).
- `run_experiment(file_or_spec, out)`: a replicated, paired experiment into a results folder.
- `write_report(folder)`: its HTML report; `run_sensitivity(file, out)`: Morris/Sobol indices.
"""

from experiments.runner import run


def run_experiment(*args, **kwargs):
    from experiments.engine import run_experiment as _run

    return _run(*args, **kwargs)


def write_report(*args, **kwargs):
    from experiments.report import write_report as _write

    return _write(*args, **kwargs)


def run_sensitivity(*args, **kwargs):
    from experiments.sensitivity import run_sensitivity as _run

    return _run(*args, **kwargs)


__all__ = ["run", "run_experiment", "run_sensitivity", "write_report"]
