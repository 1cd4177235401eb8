"""The verifier speaks the page's language: every message in English and Simplified Chinese.

``inspections/drawing/verifier.py`` keeps its texts in one table (``MESSAGES``, and ``FIELDS``
for the record fields a message names); ``verify(..., lang=...)``, ``Unverifiable`` and the
command line's ``--lang`` choose among them. No database.
"""

from __future__ import annotations

import re

import pytest

from inspections.drawing import verifier

from .test_verifier_ledger import build, check

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("table", ["MESSAGES", "FIELDS"])
def test_every_text_has_both_languages_with_the_same_placeholders(table):
    texts = getattr(verifier, table)
    assert texts
    for key, by_lang in texts.items():
        assert set(by_lang) == {"en", "zh"}, key
        assert by_lang["en"].strip() and by_lang["zh"].strip(), key
        assert verifier.placeholders(by_lang["en"]) == verifier.placeholders(by_lang["zh"]), key
        assert CJK.search(by_lang["zh"]), f"{key}: the Chinese text has no Chinese"
        assert not CJK.search(by_lang["en"]), f"{key}: the English text has Chinese"


def test_every_message_the_code_uses_is_in_the_table():
    with open(verifier.__file__, encoding="utf-8") as f:
        source = f.read()
    used = set(re.findall(r'(?:say|message|Unverifiable)\(\s*"([a-z0-9_]+)"', source))
    assert len(used) > 60
    used |= {"status_completed", "status_failed"}  # say(f"status_{record['status']}")
    missing = {k for k in used if k not in verifier.MESSAGES}
    assert not missing, missing


def test_messages_in_english():
    assert verifier.message("ledger_hash", "en", seq=4, published='"a"', computed='"b"') == (
        'entry #4 was rewritten: its hash does not match its content (published "a", '
        'recomputed "b")')
    assert verifier.message("ledger_signature", "en", seq=7) == (
        "signature of entry #7 is not the platform key's")
    assert verifier.message("task_not_selected", "en", task=17, code='"X"', draw=1) == (
        'task 17 is on institution "X", which draw #1 did not select')
    assert verifier.message("match") == "MATCH"


def test_messages_in_chinese():
    assert verifier.message("ledger_hash", "zh", seq=4, published='"a"', computed='"b"') == (
        '条目 #4 被改写：哈希值不符（公布值 "a"，按内容重新计算为 "b"）')
    assert verifier.message("ledger_gap_one", "zh", seq=3, before=2, after=4) == (
        "公共记录链条目 #3 被删除：记录链从 #2 直接跳到 #4")
    assert verifier.message("commitment", "zh") == (
        "SHA-256(server_seed) 与抽取前公布的承诺值不符")
    assert verifier.message("selection", "zh") == "重新计算的抽中机构与公布的抽取结果不符"
    assert verifier.message("match", "zh").startswith("MATCH")
    assert verifier.message("mismatch", "zh-hans").startswith("MISMATCH")
    assert verifier.message("pending", "zh_CN.UTF-8").startswith("PENDING")


def test_language_tags_and_environment():
    assert [verifier.language(x) for x in ("zh", "zh-hans", "zh_CN.UTF-8", "ZH", "en", "fr",
                                           "", None)] == ["zh"] * 4 + ["en"] * 4
    assert verifier.default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert verifier.default_language({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert verifier.default_language({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert verifier.default_language({}) == "en"


def test_verify_returns_its_problems_in_the_chosen_language():
    world = build()
    world["record"]["commitment"] = "0" * 64
    world["results"]["tasks"][0]["result"]["category"] = "no_problem"
    english = check(world, lang="en")
    chinese = check(world, lang="zh")
    assert len(english) == len(chinese) == 3
    assert "SHA-256(server_seed) 与抽取前公布的承诺值不符" in chinese
    assert any(p.startswith("承诺值（commitment）：抽取记录为 ") and "公共记录链条目 #2 记载为" in p
               for p in chinese), chinese
    assert any(p.startswith("任务 11：公示的检查结果中结论类别（category）为 \"no_problem\"")
               for p in chinese), chinese
    assert all(not CJK.search(p) for p in english)


def test_chain_problems_in_chinese():
    world = build()
    world["ledger"][1]["payload"]["commitment"] = "1" * 64
    del world["ledger"][4]
    chinese = check(world, lang="zh")
    assert any(p.startswith("条目 #2 被改写：哈希值不符") for p in chinese), chinese
    assert "公共记录链条目 #5 被删除：记录链从 #4 直接跳到 #6" in chinese
    other = build()
    kept = (3, "ab" * 32)
    assert any(p.startswith("在您保存链头之后，公共记录链被改写：条目 #3 的哈希值现为")
               for p in check(other, lang="zh", kept_head=kept))


def test_unverifiable_carries_the_translated_message():
    world = build()
    with pytest.raises(verifier.Unverifiable) as caught:
        verifier.verify(world["record"], world["pool"].rstrip("\n"), lang="zh")
    assert str(caught.value) == "名录文件必须以换行符结尾"
    assert str(caught.value.translated("en")) == "a pool must end with a newline"
    with pytest.raises(verifier.Unverifiable, match="核验公共记录链需要平台的公钥"):
        verifier.verify(world["record"], world["pool"], ledger=world["ledger"], lang="zh")
    with pytest.raises(verifier.Unverifiable, match="输入数据缺少键 \"pool_digest\""):
        verifier.verify({"algorithm_version": "tic-draw-1"}, world["pool"], lang="zh")
    assert str(verifier.Unverifiable("pool_columns", "zh", line=3, count=5)) == "名录第 3 行有 5 列"


def test_the_summary_lines_in_both_languages():
    world = build()
    kwargs = {"inspector_pool": True, "ledger": world["ledger"],
              "kept_head": (9, world["ledger"][-1]["hash"]), "results": world["results"]}
    english = verifier.summary(world["record"], [], lang="en", **kwargs)
    chinese = verifier.summary(world["record"], [], lang="zh", **kwargs)
    assert english[0] == "MATCH" and chinese[0] == "MATCH（核验一致）"
    assert len(english) == len(chinese) == 6
    assert all(CJK.search(line) for line in chinese[1:])
    assert verifier.summary(world["record"], ["差异"], lang="zh") == [
        "MISMATCH（核验不一致）", "  - 差异"]
