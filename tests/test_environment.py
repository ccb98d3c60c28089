"""environment.yml (conda, Binder) and requirements.in/.lock (pip) must pin the same versions, and
every place that names the supported Pythons (3.11, 3.12, 3.13) must agree."""
import re
import tomllib

import yaml

from resetlab import paths

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")
SUPPORTED = ("3.11", "3.12", "3.13")


def pins(lines):
    return dict(m.groups() for line in lines if (m := PIN.match(line.strip())))


def test_environment_yml_matches_requirements_in():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert pins(pip_section) == pins((paths.ROOT / "requirements.in").read_text().splitlines())
    assert "python>=3.11,<3.14" in env["dependencies"]


def test_lock_carries_every_direct_pin():
    locked = {k.lower(): v for k, v in pins((paths.ROOT / "requirements.lock").read_text().splitlines()).items()}
    for name, version in pins((paths.ROOT / "requirements.in").read_text().splitlines()).items():
        assert locked.get(name.lower()) == version, name


def test_lock_is_universal_and_hashed():
    """One lock for every supported Python: per-version packages carry markers, every package hashes."""
    text = (paths.ROOT / "requirements.lock").read_text()
    packages = [line for line in text.splitlines() if PIN.match(line)]
    assert "python_full_version" in text or "python_version" in text
    assert all(line.rstrip().endswith("\\") for line in packages)  # a --hash line follows each pin
    assert text.count("--hash=sha256:") >= len(packages)


def test_supported_pythons_agree():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (paths.ROOT / "Makefile").read_text()
    assert re.search(r"^SUPPORTED_PYTHONS := (.*)$", makefile, re.M)[1].split() == list(SUPPORTED)
    assert "--universal" in makefile
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert "for version in 3.12 3.13" in ci and "SKIPPED" in ci
