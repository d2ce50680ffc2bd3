"""The GitHub Actions step in docs/guides/ci.md posts `schedule diff --format markdown` as a
pull-request comment and updates that same comment on every new push.

GitHub itself cannot run here: a stand-in ``gh`` keeps the pull request's comments in a JSON
file and answers the three calls the step makes, filtering with the real ``jq`` as ``gh --jq``
does. The step's shell script is taken from the guide as written and run by the real shell.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from oncall.cli.changes import MARKER

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "ci.md"
STEP = "Post the diff as a comment, or update the one posted before"

FAKE_GH = r'''
import json, subprocess, sys
from pathlib import Path

store = Path(sys.argv[0]).with_name("comments.json")
comments = json.loads(store.read_text())
args = sys.argv[1:]
if args[:2] == ["pr", "comment"]:
    assert args[3:5] == ["--repo", "acme/oncall"] and args[5] == "--body-file", args
    body = Path(args[6]).read_text()
    comments.append({"id": 100 + len(comments), "body": body, "user": {"login": "github-actions[bot]"}})
elif args[0] == "api" and "--method" in args:
    assert args[args.index("--method") + 1] == "PATCH", args
    path = args[args.index("--method") + 2]
    field = args[args.index("-F") + 1]
    assert field.startswith("body=@"), field
    wanted = int(path.rsplit("/", 1)[1])
    [comment] = [c for c in comments if c["id"] == wanted]
    comment["body"] = Path(field[len("body=@"):]).read_text()
    print(json.dumps(comment))
elif args[0] == "api":
    assert args[1] == "repos/acme/oncall/issues/7/comments" and "--paginate" in args, args
    expression = args[args.index("--jq") + 1]
    sys.stdout.write(subprocess.run(["jq", "-r", expression], input=json.dumps(comments), text=True,
                                    capture_output=True, check=True).stdout)
else:
    raise SystemExit(f"unexpected gh call: {args}")
store.write_text(json.dumps(comments))
'''


def _script() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("# .github/workflows/oncall-diff.yml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    [step] = [s for s in workflow["jobs"]["diff"]["steps"] if s.get("name") == STEP]
    assert step["env"] == {"GH_TOKEN": "${{ github.token }}", "PR": "${{ github.event.pull_request.number }}",
                           "REPO": "${{ github.repository }}"}
    return str(step["run"])


@pytest.fixture
def github(tmp_path: Path) -> Path:
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    gh.chmod(0o755)
    # Someone else's comment is already there, and mentions the marker without starting with it.
    (bin_dir / "comments.json").write_text(json.dumps([
        {"id": 1, "body": f"Looks good; see the bot's {MARKER} comment below", "user": {"login": "alice"}}]))
    return bin_dir


def _post(github: Path, work: Path, markdown: str) -> list[dict[str, object]]:
    (work / "oncall-diff.md").write_text(markdown, encoding="utf-8")
    env = {**os.environ, "PATH": f"{github}{os.pathsep}{os.environ['PATH']}", "GH_TOKEN": "token", "PR": "7",
           "REPO": "acme/oncall"}
    subprocess.run(["bash", "-e", "-c", _script()], cwd=work, env=env, check=True, capture_output=True, text=True)
    return list(json.loads((github / "comments.json").read_text()))


def test_the_first_push_posts_and_later_pushes_update_the_same_comment(github: Path, tmp_path: Path) -> None:
    first = f"{MARKER}\n### On-call changes: origin/main → HEAD\n\n1 change\n"
    comments = _post(github, tmp_path, first)
    assert [c["id"] for c in comments] == [1, 101]
    assert comments[1]["body"] == first
    second = f"{MARKER}\n### On-call changes: origin/main → HEAD\n\n2 changes\n"
    comments = _post(github, tmp_path, second)
    assert [c["id"] for c in comments] == [1, 101]  # updated, not added
    assert comments[1]["body"] == second
    assert str(comments[0]["body"]).startswith("Looks good")  # the other comment is left alone


def test_a_very_long_diff_is_cut_to_what_github_accepts(github: Path, tmp_path: Path) -> None:
    long = MARKER + "\n" + "| a | b |\n" * 10000
    comments = _post(github, tmp_path, long)
    body = str(comments[-1]["body"])
    assert len(body) < 65536 and body.startswith(MARKER)
    assert body.endswith("(cut: the whole diff is in this job's log)\n")
