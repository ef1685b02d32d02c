"""Spectral for the peer benchmark: the pinned version, installed from the npm registry into a scratch folder."""
from __future__ import annotations

import subprocess
from pathlib import Path

PACKAGE = "@stoplight/spectral-cli"
VERSION = "6.16.3"
HERE = Path(__file__).resolve().parent
RULESET = HERE / "precomment.spectral.yaml"


def install(prefix: Path) -> Path:
    """`npm install --prefix PREFIX @stoplight/spectral-cli@VERSION` unless that version is there; the binary."""
    binary = prefix / "node_modules" / ".bin" / "spectral"
    if binary.exists():
        done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False)
        if done.stdout.strip() == VERSION:
            return binary
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), f"{PACKAGE}@{VERSION}"],
                   check=True, stdout=subprocess.DEVNULL)
    return binary


def lint_command(binary: Path, documents: list[str], ruleset: Path = RULESET) -> list[str]:
    return [str(binary), "lint", "--ruleset", str(ruleset), "--format", "json", "--quiet", *documents]
