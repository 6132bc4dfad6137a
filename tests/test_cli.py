"""The command line end to end: `mrhistory analyse` on the shipped corpus, validate, errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from mrhistory import __version__
from mrhistory.cli import main
from mrhistory.outputs import sha256_file

from .conftest import CORPUS, SHIPPED_ID


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["analyse", str(CORPUS), "--out", str(out)]) == 0
    return out


def test_analyse_writes_tables_report_and_manifest(analysed):
    columns = pd.read_csv(analysed / "tables" / "columns.csv", keep_default_na=False)
    assert columns.column_id.tolist() == [SHIPPED_ID]
    assert columns.asker[0] == "Tony Dean" and columns.answerer[0] == "Jon Guttman"
    report = pd.read_csv(analysed / "corpus_report.csv")
    assert list(report.columns) == ["file", "problem", "detail"] and report.empty


def test_manifest_records_versions_inputs_and_outputs(analysed):
    manifest = json.loads((analysed / "manifest.json").read_text())
    assert manifest["toolkit"] == {"name": "mrhistory", "version": __version__}
    versions = manifest["versions"]
    assert versions["model"].startswith("en_core_web_sm") and versions["model_version"] == "3.8.0"
    assert versions["spacy_version"].startswith("3.8")
    [entry] = manifest["corpus"]["files"]
    assert entry["sha256"] == sha256_file(CORPUS / entry["file"])
    for rel, info in manifest["outputs"].items():
        assert sha256_file(analysed / rel) == info["sha256"], rel
    assert "tables/columns.csv" in manifest["outputs"]
    assert str(analysed) not in (analysed / "manifest.json").read_text()


def test_analyze_alias_and_rerun_gives_identical_bytes(analysed, tmp_path):
    assert main(["analyze", str(CORPUS), "--out", str(tmp_path)]) == 0
    for rel in json.loads((analysed / "manifest.json").read_text())["outputs"]:
        assert (tmp_path / rel).read_bytes() == (analysed / rel).read_bytes(), rel
    assert (tmp_path / "manifest.json").read_bytes() == (analysed / "manifest.json").read_bytes()


def test_bad_corpus_goes_on_and_strict_fails(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes((CORPUS / f"{SHIPPED_ID}.txt").read_bytes())
    (corpus / "bad.json").write_text("{oops")
    assert main(["analyse", str(corpus), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "bad.json: malformed-json: not valid JSON" in err
    report = pd.read_csv(tmp_path / "out" / "corpus_report.csv")
    assert report.file.tolist() == ["bad.json"]
    assert pd.read_csv(tmp_path / "out" / "tables" / "columns.csv").column_id.tolist() == ["good"]
    assert main(["validate", str(corpus), "--strict"]) == 1
    assert main(["validate", str(corpus)]) == 0


def test_missing_corpus_is_one_line_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"mrhistory: error: {tmp_path / 'missing'}: corpus folder not found"


def test_stale_outputs_of_an_earlier_run_are_removed_but_foreign_files_kept(tmp_path):
    out = tmp_path / "out"
    assert main(["analyse", str(CORPUS), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "tables" / "old.csv").write_text("stale\n")
    manifest["outputs"]["tables/old.csv"] = {"sha256": sha256_file(out / "tables" / "old.csv"), "bytes": 6}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "mine.txt").write_text("keep me\n")
    assert main(["analyse", str(CORPUS), "--out", str(out)]) == 0
    assert not (out / "tables" / "old.csv").exists() and (out / "mine.txt").exists()


def test_version_and_help_have_examples():
    run = lambda *a: subprocess.run([sys.executable, "-m", "mrhistory", *a], capture_output=True, text=True)
    assert run("--version").stdout.strip() == f"mrhistory {__version__}"
    for command in ("analyse", "validate"):
        help_text = run(command, "--help").stdout
        assert "example:" in help_text and f"mrhistory {command} corpus" in help_text


def test_empty_corpus_warns_and_strict_fails(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    assert main(["analyse", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")]) == 0
    assert "mrhistory: warning: no readable column in" in capsys.readouterr().err
    assert main(["analyse", str(tmp_path / "corpus"), "--out", str(tmp_path / "out"), "--strict"]) == 1
