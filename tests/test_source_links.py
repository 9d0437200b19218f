"""A source "URL" is either an http(s) link or plain text: only a foreign scheme is refused.

Real yearbook and sourced files put a description in the link column ("国家统计局年鉴第3章", "chinadaily.com.cn
article …"); those are kept and shown as text. `javascript:`, `data:`, `vbscript:` in any spelling are refused."""

from __future__ import annotations

import pytest

from gongfu.text.names import foreign_scheme, web_url


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        " javascript:x",
        "java\tscript:x",
        "\x01javascript:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
    ],
)
def test_a_foreign_scheme_is_refused(text: str) -> None:
    assert foreign_scheme(text)
    assert web_url(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "https://tjj.zj.gov.cn/a?b=1",
        "http://example.gov.cn",
        "国家统计局《中国统计年鉴2024》第3章",
        'chinadaily.com.cn article "Jiaxing posts 8.5% GDP growth in 2021"',
        "",
        None,
    ],
)
def test_links_and_descriptions_pass(text: str | None) -> None:
    assert not foreign_scheme(text)


def test_the_sourced_demo_file_imports(tmp_path) -> None:
    from pathlib import Path

    from gongfu.observations.service import import_file
    from gongfu.store.db import open_db

    demo = Path(__file__).parents[1] / "src/gongfu/data/demo/zhejiang-sourced-observations.csv"
    db = open_db(f"sqlite:///{tmp_path / 'o.db'}")
    summary = import_file(db, demo)
    assert summary.import_id
    db.engine.dispose()
