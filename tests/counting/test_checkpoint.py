"""Checkpoints: a resumed run counts exactly, and a damaged or foreign checkpoint is refused in one line."""

import pytest
from enumerate import NetworkSpec, SpecError
from enumerate.counting.brute import count_brute
from enumerate.cli import main
from tests.helpers import SMALL, one_line_error


def _checkpoint(path, spec, steps, next_step, counts, elapsed_s=0.0):
    from enumerate.counting.brute import CHECKPOINT_SCHEMA
    from enumerate.counting.checkpoint import save_checkpoint

    save_checkpoint(str(path), CHECKPOINT_SCHEMA, spec,
                    {"steps": list(steps), "next_step": next_step, "elapsed_s": elapsed_s}, counts)


def test_checkpoint_resumes_exactly_and_is_tied_to_its_step_range(tmp_path):
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1")
    full = count_brute(spec, progress=False)
    steps = full.meta["steps"]
    k = steps[1] // 3
    done = count_brute(spec, progress=False, steps=(0, k))
    ck = tmp_path / "ck.json"
    _checkpoint(ck, spec, steps, k, done.counts, elapsed_s=1000.0)
    resumed = count_brute(spec, progress=False, checkpoint=str(ck))
    assert resumed.counts == full.counts and not ck.exists()
    assert resumed.meta["elapsed_s"] >= 1000.0  # the time before the interruption counts too
    _checkpoint(ck, spec, (0, k), k, done.counts)  # written for another range
    with pytest.raises(SpecError, match=r"^--checkpoint:.*steps \[0, "):
        count_brute(spec, progress=False, checkpoint=str(ck))


@pytest.mark.parametrize("text", ["{\"schema\": \"enumerate.checkpoint/2\", \"spec\"", "", "[1, 2]", "{\"schema\": 3}"])
def test_corrupt_checkpoint_is_one_line_and_says_how_to_start_over(tmp_path, capsys, text):
    ck = tmp_path / "ck.json"
    ck.write_text(text)
    assert main(["prior", *SMALL, "--method", "brute", "--checkpoint", str(ck), "--quiet"]) == 2
    assert "delete" in one_line_error(capsys, "--checkpoint")
