"""filter_mod: rows kept and rejected as pandas would select them, in pandas and dask mode."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pypeline.expressions.expressions import ExpressionError
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.run.execution.config_check import ConfigError
from pypeline.testing import rows, run_module

MODES = ["pandas", "dask"]


@pytest.fixture
def people() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "name": [f"person {i}" for i in range(40)],
            "age": rng.integers(0, 90, 40),
            "country": rng.choice(["FR", "DE", "US"], 40),
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_output_and_reject_split_the_rows(people: pd.DataFrame, mode: str) -> None:
    run = run_module(FilterMod, {"condition": "age > 18"}, {"input": people}, mode=mode)

    kept, rejected = people[people.age > 18], people[people.age <= 18]
    assert rows(run.frame("output")) == rows(kept)
    reject = run.frame("reject")
    assert list(reject.columns) == ["name", "age", "country", "error_message"]
    assert rows(reject.drop(columns="error_message")) == rows(rejected)
    assert set(reject["error_message"]) == {"condition not met: age > 18"}
    assert run.globals["rows_kept"] == len(kept)


@pytest.mark.parametrize("mode", MODES)
def test_compound_condition(people: pd.DataFrame, mode: str) -> None:
    condition = "country in ['FR', 'DE'] and not (age < 30) | name == 'person 3'"
    run = run_module(FilterMod, {"condition": condition}, {"input": people}, mode=mode)

    expected = (people.country.isin(["FR", "DE"]) & ~(people.age < 30)) | (
        people.name == "person 3"
    )
    assert rows(run.frame("output")) == rows(people[expected])
    assert len(run.frame("reject")) == (~expected).sum()


@pytest.mark.parametrize("mode", MODES)
def test_null_rows_are_rejected_and_can_be_selected(mode: str) -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "age": [30.0, np.nan, 10.0, np.nan],
            "visits": pd.array([1, None, 5, 2], dtype="Int64"),
            "city": ["Oslo", None, "Rome", "Oslo"],
        }
    )

    def kept(condition: str) -> list[int]:
        run = run_module(FilterMod, {"condition": condition}, {"input": frame}, mode=mode)
        assert sorted(run.frame("reject")["id"]) == sorted(
            {1, 2, 3, 4} - set(run.frame("output")["id"])
        )
        return sorted(run.frame("output")["id"])

    assert kept("age > 18") == [1]
    assert kept("visits >= 2") == [3, 4]
    assert kept("city != 'Rome'") == [1, 4]  # a null city is not "unequal to Rome"
    assert kept("age is None") == [2, 4]
    assert kept("city == null or visits is None") == [2]


@pytest.mark.parametrize("mode", MODES)
def test_backticks_reach_columns_with_spaces(mode: str) -> None:
    frame = pd.DataFrame({"first name": ["Ada", "Bob"], "age": [36, 7]})
    run = run_module(FilterMod, {"condition": "`first name` == 'Ada'"}, {"input": frame}, mode=mode)
    assert rows(run.frame("output")) == [("Ada", 36)]


@pytest.mark.parametrize("mode", MODES)
def test_no_row_matches(people: pd.DataFrame, mode: str) -> None:
    run = run_module(FilterMod, {"condition": "age > 1000"}, {"input": people}, mode=mode)
    assert run.frame("output").empty
    assert len(run.frame("reject")) == len(people)
    assert run.globals["rows_kept"] == 0


def test_reject_knows_its_row_count_before_it_is_read(people: pd.DataFrame) -> None:
    run = run_module(FilterMod, {"condition": "age > 18"}, {"input": people})
    assert run.outputs["reject"].n_rows == (people.age <= 18).sum()
    assert run.outputs["reject"].to_frame("dask").compute().shape[0] == (people.age <= 18).sum()


@pytest.mark.parametrize("mode", MODES)
def test_unknown_column_error_lists_the_columns(mode: str) -> None:
    frame = pd.DataFrame({"name": ["Ada"], "age": [36]})
    with pytest.raises(ExpressionError) as failed:
        run_module(FilterMod, {"condition": "agee > 18"}, {"input": frame}, mode=mode)
    assert str(failed.value) == (
        "filter_mod: unknown column 'agee' in condition (columns: name, age); did you mean 'age'?"
    )


@pytest.mark.parametrize("mode", MODES)
def test_type_mismatch_is_reported_with_the_condition(mode: str) -> None:
    frame = pd.DataFrame({"name": ["Ada"], "age": [36]})
    with pytest.raises(ExpressionError, match="filter_mod: cannot evaluate 'name > 5'"):
        run_module(FilterMod, {"condition": "name > 5"}, {"input": frame}, mode=mode)


def test_a_condition_rendered_at_run_time_is_still_checked() -> None:
    # the build skips check_config for "{{ context.rule }}"; the engine checks the rendered text
    frame = pd.DataFrame({"age": [1]})
    with pytest.raises(ConfigError, match=r"\(filter_mod\): condition: unknown function 'open'"):
        run_module(FilterMod, {"condition": "open('/etc/passwd')"}, {"input": frame})


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("__import__('os').system('rm -rf /')", "names starting with '__' are not allowed"),
        ("age.__class__.__bases__", "attribute access is not allowed"),
        ("age >", "invalid expression"),
        (42, "must be an expression in text"),
    ],
)
def test_check_config_refuses_bad_conditions(condition: object, message: str) -> None:
    problems = FilterMod.check_config({"condition": condition})
    assert len(problems) == 1
    assert problems[0][0] == "condition"
    assert message in problems[0][1]


def test_check_config_accepts_a_good_condition() -> None:
    assert FilterMod.check_config({"condition": "age > 18 and `first name` != null"}) == []


def test_arrow_input_gives_the_same_rows_as_pandas_input() -> None:
    """csv_source hands Arrow tables on: filter_mod selects in Arrow, with pandas' semantics."""
    import pyarrow as pa

    from pypeline.expressions.expressions import compile_expression
    from pypeline.modules.mods.filter_mod import _split_pandas
    from pypeline.sdk.arrow_artifact import ArrowArtifact
    from pypeline.sdk.memory_artifact import MemoryArtifact

    table = pa.table(
        {
            "name": ["a", "b", None, "d", "e"],
            "age": [30, None, 12, 19, 18],
            "city": ["x", "y", "z", None, "x"],
        }
    )
    expression = compile_expression("age > 18 and name is not None")
    out_a, rej_a = _split_pandas(ArrowArtifact(table), expression, "f")
    out_p, rej_p = _split_pandas(MemoryArtifact(table.to_pandas()), expression, "f")
    assert isinstance(out_a, ArrowArtifact)  # the other columns were never converted
    assert rows(out_a.to_pandas()) == rows(out_p) == [("a", 30.0, "x"), ("d", 19.0, None)]
    assert rej_a.n_rows == rej_p.n_rows == 3
    assert rows(rej_a.to_pandas()) == rows(rej_p.to_pandas())
