"""The generator's promises: valid filings of the size asked for, byte-identical per seed, a realistic
share of findings. The benchmarks themselves are not run by CI; their generator is tested here."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import generate  # noqa: E402
from documents import load_text  # noqa: E402
from precomment.checking.pipeline import Checker  # noqa: E402
from precomment.language.rulebook import load_rules  # noqa: E402

HERE = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def material() -> generate.Material:
    return generate.Material()


def text(facts: int, seed: int, material: generate.Material) -> str:
    return generate.render(generate.generate(facts, seed, material), facts, seed)


@pytest.mark.parametrize("facts", [100, 1000, 3000])
def test_valid_and_of_the_size_asked(facts: int, material: generate.Material) -> None:
    count = generate.checked_count(text(facts, 1, material), f"synthetic-{facts}.yaml")
    assert facts <= count <= facts + 15


def test_same_seed_and_size_give_the_same_bytes(material: generate.Material) -> None:
    assert text(1000, 5, material) == text(1000, 5, generate.Material())
    assert text(1000, 5, material) != text(1000, 6, material)


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for hash_seed in ("0", "4242"):
        path = tmp_path / f"out-{hash_seed}.yaml"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--facts", "500", "--seed", "2", "-o", str(path)],
                       check=True, capture_output=True, env={"PYTHONHASHSEED": hash_seed, "PATH": ""})
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_few_findings_per_hundred_facts_from_many_rules(material: generate.Material) -> None:
    checker = Checker(load_rules())
    for seed in (1, 2, 3):
        document = load_text(text(2000, seed, material), f"synthetic-{seed}.yaml")
        findings = checker.findings(document)
        facts = len(checker.facts(document).facts)
        assert 2 <= 100 * len(findings) / facts <= 10
        assert len({f.rule_id for f in findings}) >= 15
        assert checker.findings(document, "oracle") == findings


def test_count_writes_distinct_valid_filings(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, str(HERE / "generate.py"), "--facts", "100", "--count", "3",
                                "--dir", str(tmp_path)], capture_output=True, text=True, check=True)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["synthetic-00001.yaml", "synthetic-00002.yaml", "synthetic-00003.yaml"]
    texts = {(tmp_path / name).read_text(encoding="utf-8") for name in names}
    assert len(texts) == 3
    counts = [generate.checked_count(t, "x.yaml") for t in sorted(texts)]
    assert completed.stderr == f"{tmp_path}: 3 filings, {min(counts)} to {max(counts)} facts each (target 100)\n"
