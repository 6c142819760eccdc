"""How fast and how lean is nblint, against merely parsing the YAML (and beside checkov)?

    python bench/run.py [--n 1000] [--repeat 5] [--jobs 2] [--checkov PATH]

One run, on the same files:

1. generates a deterministic corpus of N realistic inputs with planted violations into
   ``bench/out/corpus/`` (notebook Pods and Deployments, Kubeflow Notebooks, z2jh values files);
2. times ``nblint check`` over the whole corpus (a fresh process, as CI runs it), serially and
   with ``--jobs``;
3. times the floor: one fresh process that reads every file and parses it with PyYAML's
   ``CSafeLoader`` and does nothing else;
4. times ``checkov -d CORPUS --framework kubernetes`` when checkov is found (``--checkov`` or
   PATH; install it in its own venv, e.g. ``python -m venv /tmp/checkov-venv &&
   /tmp/checkov-venv/bin/pip install checkov``), and checkov on an empty folder (its start-up),
   so that the report can say how much of checkov's time any parser of these files must spend;
5. times a cold single-file ``nblint check values.yaml`` against a cold ``python -c "import yaml"``;
   when valgrind is installed, also counts the instructions both execute (and those of the
   serial corpus run and of the floor), ratios that other work on the machine cannot move;
6. checks that large inputs scale linearly: nblint's time per megabyte on one 8 MB file of
   manifests, against its time per megabyte on a 2 MB file cut from it (1.0 = linear);
7. measures nblint's peak memory (the largest resident set of the process) on the 8 MB file,
   against the file's size.

Each timing is the median of ``--repeat`` runs (checkov: of fewer, it is slow; the cold start:
of four times as many), and the two sides of a ratio are run in turn, so that a change in the
machine's load weighs on both. The ratios are
printed and written to ``bench/out/results.json`` with the raw seconds. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

TARGETS = {
    "corpus_serial_vs_parse_floor": 1.5,
    "cold_single_file_vs_import_yaml": 2.0,
    "peak_memory_vs_input_8mb": 10.0,
}

# ---------------------------------------------------------------------------------------------
# The corpus

IMAGES = [
    "jupyter/base-notebook:2024-05-27",
    "quay.io/jupyter/scipy-notebook:2024-10-07",
    "jupyter/datascience-notebook",
    "kubeflownotebookswg/jupyter-scipy:v1.9.0",
    "pangeo/pangeo-notebook:2024.10.01",
    "rocker/binder:4.3.1",
]


def _security(rng: random.Random, indent: str) -> str:
    """A container securityContext: compliant, or with one planted violation."""
    planted = rng.choice(
        ["none", "none", "privileged", "root", "escalation", "caps", "no-seccomp", "missing"]
    )
    if planted == "missing":
        return ""
    lines = {
        "allowPrivilegeEscalation": "false",
        "runAsNonRoot": "true",
        "runAsUser": str(rng.choice([1000, 1000, 1001, 65534])),
        "capabilities": "{drop: [ALL]}",
        "seccompProfile": "{type: RuntimeDefault}",
    }
    if planted == "privileged":
        lines["privileged"] = "true"
    elif planted == "root":
        lines["runAsUser"] = "0"
        lines["runAsNonRoot"] = "false"
    elif planted == "escalation":
        lines["allowPrivilegeEscalation"] = "true"
    elif planted == "caps":
        lines["capabilities"] = "{add: [SYS_ADMIN, NET_RAW], drop: [ALL]}"
    elif planted == "no-seccomp":
        del lines["seccompProfile"]
    body = "".join(f"{indent}  {key}: {value}\n" for key, value in lines.items())
    return f"{indent}securityContext:\n{body}"


def _container(rng: random.Random, name: str, indent: str) -> str:
    cpu, memory = rng.choice([("500m", "1Gi"), ("1", "2Gi"), ("2", "8Gi")])
    text = (
        f"{indent}- name: {name}\n"
        f"{indent}  image: {rng.choice(IMAGES)}\n"
        f"{indent}  ports:\n{indent}    - containerPort: 8888\n{indent}      name: notebook-port\n"
        f"{indent}  env:\n"
        f"{indent}    - {{name: JUPYTER_ENABLE_LAB, value: 'yes'}}\n"
        f"{indent}    - {{name: NB_PREFIX, value: /notebook/team/{name}}}\n"
        f"{indent}  resources:\n"
        f"{indent}    requests: {{cpu: {cpu}, memory: {memory}}}\n"
        f"{indent}    limits: {{cpu: {cpu}, memory: {memory}}}\n"
        f"{indent}  volumeMounts:\n"
        f"{indent}    - {{name: home, mountPath: /home/jovyan}}\n"
        f"{indent}    - {{name: dshm, mountPath: /dev/shm}}\n"
    )
    return text + _security(rng, indent + "  ")


def _pod_spec(rng: random.Random, name: str, indent: str) -> str:
    host = rng.random()
    volumes = f"{indent}  - name: home\n{indent}    persistentVolumeClaim: {{claimName: {name}}}\n"
    volumes += f"{indent}  - name: dshm\n{indent}    emptyDir: {{medium: Memory}}\n"
    if host < 0.1:
        volumes += f"{indent}  - name: docker\n{indent}    hostPath: {{path: /run/docker.sock}}\n"
    spec = (
        f"{indent}serviceAccountName: default-editor\n"
        f"{indent}automountServiceAccountToken: {str(rng.random() < 0.3).lower()}\n"
        f"{indent}securityContext:\n{indent}  fsGroup: 100\n"
        f"{indent}  seccompProfile: {{type: RuntimeDefault}}\n"
    )
    if 0.1 <= host < 0.15:
        spec += f"{indent}hostNetwork: true\n"
    spec += f"{indent}containers:\n" + _container(rng, name, indent + "  ")
    if rng.random() < 0.2:
        spec += _container(rng, "sidecar", indent + "  ")
    return spec + f"{indent}volumes:\n{volumes}"


def pod(rng: random.Random, name: str) -> str:
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: team\n"
        f"  labels: {{app: notebook, owner: {name}}}\nspec:\n" + _pod_spec(rng, name, "  ")
    )


def deployment(rng: random.Random, name: str) -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: team\n"
        f"spec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n"
        f"    metadata:\n      labels: {{app: {name}}}\n    spec:\n"
        + _pod_spec(rng, name, "      ")
        + "---\napiVersion: v1\nkind: Service\nmetadata:\n"
        f"  name: {name}\nspec:\n  selector: {{app: {name}}}\n"
        "  ports: [{port: 80, targetPort: 8888}]\n"
    )


def notebook(rng: random.Random, name: str) -> str:
    return (
        f"apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata:\n  name: {name}\n"
        f"  namespace: kubeflow-user\n  labels: {{app: {name}}}\n"
        f"  annotations: {{notebooks.kubeflow.org/server-type: jupyter}}\n"
        f"spec:\n  template:\n    spec:\n" + _pod_spec(rng, name, "      ")
    )


def z2jh_values(rng: random.Random, name: str) -> str:
    uid = rng.choice([1000, 1000, 0])
    profiles = "".join(
        f"    - display_name: {size} environment\n"
        f"      description: {size} CPU notebook\n"
        f"      kubespawner_override:\n"
        f"        cpu_limit: {cpus}\n        mem_limit: {cpus * 2}G\n"
        f"        image: {rng.choice(IMAGES)}\n"
        + ("        privileged: true\n" if rng.random() < 0.15 else "")
        for size, cpus in (("Small", 1), ("Medium", 4), ("Large", 16))[: rng.randint(1, 3)]
    )
    return (
        f"# z2jh values for hub {name}\n"
        f"hub:\n  config:\n    JupyterHub:\n      authenticator_class: github\n"
        f"    GitHubOAuthenticator:\n      allowed_organizations: [{name}-org]\n"
        f"      oauth_callback_url: https://{name}.example.org/hub/oauth_callback\n"
        f"singleuser:\n  uid: {uid}\n  fsGid: 100\n"
        f"  image:\n    name: quay.io/jupyter/scipy-notebook\n    tag: '2024-10-07'\n"
        f"  cpu:\n    limit: 2\n    guarantee: 0.5\n  memory:\n    limit: 4G\n    guarantee: 1G\n"
        f"  storage:\n    type: dynamic\n    capacity: 10Gi\n"
        f"  cloudMetadata:\n    blockWithIptables: {str(rng.random() < 0.7).lower()}\n"
        f"  profileList:\n{profiles}"
        f"cull:\n  enabled: true\n  timeout: 3600\n"
    )


MAKERS = [(pod, 0.3), (deployment, 0.25), (notebook, 0.2), (z2jh_values, 0.25)]


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """N files, the same ones for the same N and seed."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    makers, weights = zip(*MAKERS, strict=True)
    paths = []
    for index in range(n):
        make = rng.choices(makers, weights)[0]
        name = f"nb-{index:05d}"
        suffix = "values" if make is z2jh_values else make.__name__
        path = folder / f"{index:05d}-{suffix}.yaml"
        path.write_text(make(rng, name))
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------
# Timing

FLOOR = """
import sys, yaml
from yaml import CSafeLoader
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        for _ in yaml.load_all(handle.read(), Loader=CSafeLoader):
            pass
"""


def wall(command: list[str], cwd: Path = ROOT, ok: tuple[int, ...] = (0, 1)) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(command[:4])} … failed ({done.returncode}):\n{done.stderr}")
    return seconds


def median(command: list[str], repeat: int, **kwargs: object) -> float:
    wall(command, **kwargs)  # warm the page cache; the first run is not counted
    return statistics.median(wall(command, **kwargs) for _ in range(repeat))


def medians(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """The median time of each command, their runs taken in turn (A, B, A, B …), so that a
    change in the machine's load while the bench runs weighs on both sides of a ratio."""
    for command in commands.values():
        wall(command)  # warm the page cache; the first run is not counted
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(wall(command))
    return {name: statistics.median(taken) for name, taken in times.items()}


def peak_memory(command: list[str]) -> int:
    """The largest resident set (bytes) of ``command``'s process, as the kernel counted it: the
    command runs under a fresh helper process, whose only child it is."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True)
    return int(done.stdout.strip()) * 1024  # Linux counts kilobytes


def instructions(command: list[str]) -> int | None:
    """Instructions the command executes (valgrind), or None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
    valgrind.append("--cachegrind-out-file=/dev/null")
    done = subprocess.run(
        [*valgrind, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.split("refs:")[1].replace(",", "").split()[0])
    return None


def large_files(paths: list[Path], folder: Path) -> tuple[Path, Path]:
    """One 8 MB file of the corpus's manifests, and a 2 MB file of its first documents."""
    manifests = [p.read_text() for p in paths if p.name.endswith(("-pod.yaml", "-deployment.yaml"))]
    documents: list[str] = []
    size = 0
    while size < 8 * 2**20:
        for text in manifests:
            documents.append(text)
            size += len(text) + 4
    big, small = folder / "large-8mb.yaml", folder / "large-2mb.yaml"
    big.write_text("---\n".join(documents))
    small.write_text("---\n".join(documents[: len(documents) // 4]))
    return big, small


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def find_checkov(given: str | None) -> str | None:
    if given:
        return given
    for candidate in (shutil.which("checkov"), "/tmp/checkov-venv/bin/checkov"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="files in the corpus")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the parallel run")
    parser.add_argument("--checkov", help="checkov executable (default: PATH, /tmp/checkov-venv)")
    args = parser.parse_args()

    corpus = OUT / "corpus"
    paths = generate(args.n, corpus)
    files = [str(p) for p in paths]
    python = sys.executable
    # As users run it: the installed command, with its modules compiled (pip does that on a
    # normal install; an editable one under PYTHONDONTWRITEBYTECODE would recompile every run).
    script = Path(python).parent / "nblint"
    command = [str(script)] if script.exists() else [python, "-m", "nblint"]
    subprocess.run(
        [python, "-m", "compileall", "-q", str(ROOT / "nblint")],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=False,
        capture_output=True,
    )
    # The corpus is generated into bench/out, which .gitignore names: lint it all the same.
    nblint = [*command, "check", "--no-respect-gitignore", "--format", "json", "-o", os.devnull]

    seconds: dict[str, float | None] = {}
    corpus_runs = {
        "parse_floor": [python, "-c", FLOOR, *files],
        "nblint_corpus": [*nblint, str(corpus)],
        "nblint_corpus_jobs": [*nblint, "--jobs", str(args.jobs), str(corpus)],
    }
    seconds.update(medians(corpus_runs, args.repeat))
    values = next(p for p in paths if p.name.endswith("-values.yaml"))
    cold_runs = {
        "nblint_single_file": [*nblint, str(values)],
        "import_yaml": [python, "-c", "import yaml"],
    }
    seconds.update(medians(cold_runs, args.repeat * 4))
    counted = {
        "nblint_single_file": instructions([*nblint, str(values)]),
        "import_yaml": instructions([python, "-c", "import yaml"]),
        "nblint_corpus": instructions([*nblint, str(corpus)]),
        "parse_floor": instructions([python, "-c", FLOOR, *files]),
    }

    big, small = large_files(paths, OUT)
    seconds["nblint_8mb_file"] = median([*nblint, str(big)], max(1, args.repeat // 2))
    seconds["nblint_2mb_file"] = median([*nblint, str(small)], max(1, args.repeat // 2))
    megabytes = {name: path.stat().st_size / 2**20 for name, path in (("8", big), ("2", small))}
    peak = peak_memory([*nblint, str(big)])

    checkov = find_checkov(args.checkov)
    seconds["checkov_corpus"] = seconds["checkov_start"] = None
    if checkov:
        command = [checkov, "-d", str(corpus), "--framework", "kubernetes", "--quiet", "--compact"]
        seconds["checkov_corpus"] = median(command, max(1, args.repeat // 2), ok=(0, 1))
        empty = OUT / "empty"
        empty.mkdir(exist_ok=True)
        command = [checkov, "-d", str(empty), "--framework", "kubernetes", "--quiet", "--compact"]
        seconds["checkov_start"] = median(command, max(1, args.repeat // 2), ok=(0, 1))

    best_corpus = min(seconds["nblint_corpus"], seconds["nblint_corpus_jobs"])
    ratios: dict[str, float | None] = {
        "corpus_vs_parse_floor": best_corpus / seconds["parse_floor"],
        "corpus_serial_vs_parse_floor": seconds["nblint_corpus"] / seconds["parse_floor"],
        "cold_single_file_vs_import_yaml": seconds["nblint_single_file"] / seconds["import_yaml"],
        "checkov_vs_nblint": (
            seconds["checkov_corpus"] / best_corpus if seconds["checkov_corpus"] else None
        ),
        "peak_memory_vs_input_8mb": peak / big.stat().st_size,
        # The most any linter that parses these files in one process could reach.
        "checkov_vs_parse_floor": (
            seconds["checkov_corpus"] / seconds["parse_floor"]
            if seconds["checkov_corpus"]
            else None
        ),
        "cold_single_file_vs_import_yaml_instructions": _ratio(
            counted["nblint_single_file"], counted["import_yaml"]
        ),
        "corpus_serial_vs_parse_floor_instructions": _ratio(
            counted["nblint_corpus"], counted["parse_floor"]
        ),
        # Time per megabyte, start-up taken out: 1.0 is linear.
        "large_file_scaling": (
            (seconds["nblint_8mb_file"] - seconds["nblint_single_file"])
            / megabytes["8"]
            / ((seconds["nblint_2mb_file"] - seconds["nblint_single_file"]) / megabytes["2"])
        ),
    }
    results = {
        "n": args.n,
        "jobs": args.jobs,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "checkov": checkov,
        "ratios": ratios,
        "targets": TARGETS,
        "seconds": seconds,
        "instructions": counted,
        "peak_memory_bytes_8mb": peak,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")

    def show(name: str, ratio: float | None, target: float | None = None) -> None:
        if ratio is None:
            print(f"  {name:<44} not measured (tool not installed)")
            return
        verdict = ""
        if target is not None:
            verdict = f"   target ≤ {target:g}x   {'ok' if ratio <= target else 'MISSED'}"
        print(f"  {name:<44} {ratio:6.2f}x{verdict}")

    print(f"nblint bench: {args.n} files, {os.cpu_count()} CPUs, median of {args.repeat} runs")
    show(
        "whole corpus, serial / parse floor",
        ratios["corpus_serial_vs_parse_floor"],
        TARGETS["corpus_serial_vs_parse_floor"],
    )
    show("  the same, in instructions", ratios["corpus_serial_vs_parse_floor_instructions"])
    show(f"  with --jobs {args.jobs} / parse floor", ratios["corpus_vs_parse_floor"])
    show(
        "cold single file / import yaml",
        ratios["cold_single_file_vs_import_yaml"],
        TARGETS["cold_single_file_vs_import_yaml"],
    )
    show("  the same, in instructions", ratios["cold_single_file_vs_import_yaml_instructions"])
    show(
        "peak memory on the 8 MB file / its size",
        ratios["peak_memory_vs_input_8mb"],
        TARGETS["peak_memory_vs_input_8mb"],
    )
    show("large file: time per MB, 8 MB / 2 MB", ratios["large_file_scaling"])
    show("checkov / nblint (a comparison, not a target)", ratios["checkov_vs_nblint"])
    show("  checkov / parse floor (a parse-only linter)", ratios["checkov_vs_parse_floor"])
    print(f"  written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
