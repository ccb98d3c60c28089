"""environment.yml (conda, Binder) and requirements.in/.lock (pip) must pin the same versions."""
import re

import yaml

from resetlab import paths

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")


def pins(lines):
    return dict(m.groups() for line in lines if (m := PIN.match(line.strip())))


def test_environment_yml_matches_requirements_in():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert pins(pip_section) == pins((paths.ROOT / "requirements.in").read_text().splitlines())
    assert "python=3.11" in env["dependencies"]


def test_lock_carries_every_direct_pin():
    locked = {k.lower(): v for k, v in pins((paths.ROOT / "requirements.lock").read_text().splitlines()).items()}
    for name, version in pins((paths.ROOT / "requirements.in").read_text().splitlines()).items():
        assert locked.get(name.lower()) == version, name
