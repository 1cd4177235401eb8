#!/usr/bin/env python3
"""Verify a published draw (algorithm ``tic-draw-1``): one file, Python standard library only.

Usage::

    python3 verify_draw.py DRAW.json POOL.tsv [INSPECTOR_POOL.tsv]
        [--ledger LEDGER.jsonl --key KEY.pem [--head SEQ:HASH]] [--results RESULTS.json]
        [--lang zh|en]

``DRAW.json`` is ``GET /api/public/draws/{id}/``; ``POOL.tsv`` and ``INSPECTOR_POOL.tsv`` are the
files at its ``pool_url`` and ``inspector_pool_url``. ``LEDGER.jsonl`` is the public ledger
(``GET /api/public/ledger/``), ``KEY.pem`` the platform's public key
(``GET /api/public/ledger/key.pem``, or a file of its 64 hex digits), ``SEQ:HASH`` a ledger head
you kept earlier (``GET /api/public/ledger/head/``), ``RESULTS.json`` the plan's tasks and
published results (``GET /api/public/plans/{id}/results/``).

Prints ``MATCH`` (exit status 0) when the pool digests, the seed commitment, the declared
external sources, the seed, the allocation of quotas, the selected institutions and (given the
inspector pool) the inspector teams all follow from the published data, and (given them) the
ledger and the results agree; else ``MISMATCH`` with each difference, or ``PENDING`` for a draw
that has not run yet (exit status 1). Exit status 2: unreadable input. Messages are in English
or Simplified Chinese (``--lang``; by default Chinese when ``LC_ALL``, ``LC_MESSAGES`` or
``LANG`` starts with ``zh``); the first word of the verdict is always ``MATCH``, ``MISMATCH``
or ``PENDING``.

This is an independent implementation of the specification ``docs/draw.md`` (section numbers
below refer to it), written for clarity, not speed, and sharing no code with the platform's
``inspections/drawing/algorithm.py`` or ``common/ledger.py``: a bug in one is caught by the
other (the platform's test suite replays many random draws through both). It is what the
platform's public "verify this draw" page runs (:func:`verify`), and the file served as
``verify_draw.py`` for download. Ed25519 (RFC 8032) is implemented here in pure Python, so that
nothing beyond the standard library is needed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import math
import os
import string
import sys
import unicodedata
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

VERSION = "tic-draw-1"
INSTITUTION_HEADER = ["#tic-draw-1 institutions", "code", "stratum", "centre", "risk", "field",
                      "region"]
INSPECTOR_HEADER = ["#tic-draw-1 inspectors", "code", "department", "fields", "county", "ties"]
GENESIS = "0" * 64
MAX_SOURCES = 5
MAX_EXTERNAL_VALUE = 200
INSTITUTION_KINDS = ("institutions", "supp_institution")
LANGUAGES = ("en", "zh")

# --------------------------------------------------------------------------------------------
# Messages. Every text the verifier prints or returns, in English and Simplified Chinese, with
# named placeholders (the same in both languages). Values shown in a message (codes, hashes,
# record values) are JSON literals, so that they read the same in both languages.
# --------------------------------------------------------------------------------------------
MESSAGES: dict[str, dict[str, str]] = {
    # verdicts and summaries (the first word stays MATCH / MISMATCH / PENDING in any language)
    "match": {"en": "MATCH", "zh": "MATCH（核验一致）"},
    "mismatch": {"en": "MISMATCH", "zh": "MISMATCH（核验不一致）"},
    "pending": {"en": "PENDING", "zh": "PENDING（尚未抽取）"},
    "pending_detail": {
        "en": "draw #{draw}: the pool digest and allocation match; the draw has not run yet, so "
              "there is no seed to check.",
        "zh": "抽取 #{draw}：机构名录摘要和名额分配一致；该抽取尚未进行，暂无随机种子可供核验。"},
    "match_institutions": {
        "en": "draw #{draw} ({status}): pool digest, commitment, seed and institutions "
              "recomputed ({count} institutions).",
        "zh": "抽取 #{draw}（{status}）：已重新计算机构名录摘要、承诺值、随机种子和抽中机构"
              "（共 {count} 家），结果一致。"},
    "match_teams": {
        "en": "draw #{draw} ({status}): pool digest, commitment, seed, institutions and "
              "inspector teams recomputed ({count} institutions).",
        "zh": "抽取 #{draw}（{status}）：已重新计算机构名录摘要、承诺值、随机种子、抽中机构和"
              "检查组（共 {count} 家机构），结果一致。"},
    "match_sources": {
        "en": "external sources: {count} declared at commit; their values are in normal form "
              "and were known only after the commit.",
        "zh": "外部随机源：承诺时声明 {count} 个；其取值均符合规范化规则，且均在承诺之后才公布。"},
    "match_ledger": {
        "en": "public ledger: {count} entries; every link, hash and signature checked; head "
              "#{seq} {hash}; the draw's entries agree with its record.",
        "zh": "公共记录链：共 {count} 个条目，链接、哈希值和签名逐一核验无误；链头为 #{seq} "
              "{hash}；本次抽取的条目与抽取记录一致。"},
    "match_head": {
        "en": "the head you kept (#{seq}) is still in the log, unchanged.",
        "zh": "您保存的链头（#{seq}）仍在公共记录链中，未被改动。"},
    "match_results": {
        "en": "results: the {count} tasks of draw #{draw} agree with its selection.",
        "zh": "检查结果：抽取 #{draw} 的 {count} 项任务与抽取结果一致。"},
    "match_results_ledger": {
        "en": "results: the {count} tasks of draw #{draw} agree with its selection, and their "
              "published results with the ledger.",
        "zh": "检查结果：抽取 #{draw} 的 {count} 项任务与抽取结果一致，已公示的检查结果与公共"
              "记录链一致。"},
    "status_completed": {"en": "completed", "zh": "已完成"},
    "status_failed": {"en": "failed: the teams could not be staffed",
                      "zh": "未成功：无法组成检查组"},
    "cannot_verify": {"en": "cannot verify: {reason}", "zh": "无法核验：{reason}"},
    # §2–§6: the draw record against the pools
    "version": {
        "en": "algorithm version {version}: this verifier checks {expected}",
        "zh": "算法版本为 {version}，本核验程序只核验 {expected}"},
    "pool_digest": {
        "en": "the pool's SHA-256 differs from the published pool_digest",
        "zh": "机构名录的 SHA-256 摘要与公布的 pool_digest 不符"},
    "inspector_pool_digest": {
        "en": "the inspector pool's SHA-256 differs from inspector_pool_digest",
        "zh": "检查人员名录的 SHA-256 摘要与公布的 inspector_pool_digest 不符"},
    "pool_size": {
        "en": "the pool's size differs from the published pool_size",
        "zh": "机构名录中的机构数与公布的 pool_size 不符"},
    "allocation": {
        "en": "the allocation of quotas differs from the published allocation",
        "zh": "名额分配与公布的分配结果（allocation）不符"},
    "commitment": {
        "en": "SHA-256(server_seed) differs from the commitment published before the draw",
        "zh": "SHA-256(server_seed) 与抽取前公布的承诺值不符"},
    "seed": {
        "en": "the seed is not SHA-256(server_seed ‖ external_value ‖ pool_digest)",
        "zh": "随机种子不等于 SHA-256(server_seed ‖ external_value ‖ pool_digest)"},
    "selection": {
        "en": "the selected institutions differ from the published selection",
        "zh": "重新计算的抽中机构与公布的抽取结果不符"},
    "teams": {
        "en": "the inspector teams differ from the published teams",
        "zh": "重新计算的检查组与公布的检查组不符"},
    "problems": {
        "en": "the staffing problems differ from the published problems",
        "zh": "重新计算的组队问题与公布的组队问题（problems）不符"},
    "status": {
        "en": "status {status} does not follow from the staffing",
        "zh": "状态 {status} 与组队结果不符"},
    # §3: declared external sources
    "sources_count": {
        "en": "{count} external sources are declared; the specification allows 1 to 5",
        "zh": "声明了 {count} 个外部随机源，而规范只允许 1 至 5 个"},
    "sources_values_count": {
        "en": "{sources} external sources are declared, but {values} values are published",
        "zh": "声明了 {sources} 个外部随机源，却公布了 {values} 个取值"},
    "sources_known_at": {
        "en": "external_known_at is {published}, but the latest known_at of the declared "
              "sources is {latest}",
        "zh": "external_known_at 为 {published}，而所声明外部随机源中最晚的 known_at 为 "
              "{latest}"},
    "source_before_commit": {
        "en": "source {n} ({name}) is known at {known_at}, not after the commit ({committed})",
        "zh": "第 {n} 个外部随机源（{name}）的公布时间 {known_at} 不晚于承诺时间（{committed}）"},
    "run_before_known": {
        "en": "the draw completed at {completed}, before its declared values were known "
              "({known_at})",
        "zh": "抽取完成时间为 {completed}，早于所声明外部随机值的公布时间（{known_at}）"},
    "value_not_normal": {
        "en": "external value {n} ({value}) is not in normal form; normalised it reads "
              "{normal}",
        "zh": "第 {n} 个外部随机值（{value}）未经规范化；规范化后应为 {normal}"},
    "value_empty": {
        "en": "external value {n} ({value}) is empty once normalised",
        "zh": "第 {n} 个外部随机值（{value}）规范化后为空"},
    "value_too_long": {
        "en": "external value {n} is longer than 200 characters once normalised",
        "zh": "第 {n} 个外部随机值规范化后超过 200 个字符"},
    "value_control": {
        "en": "external value {n} ({value}) contains a control character",
        "zh": "第 {n} 个外部随机值（{value}）含有控制字符"},
    "value_join": {
        "en": "external_value is not the published external_values joined by line feeds",
        "zh": "external_value 不等于以换行符连接的各外部随机值（external_values）"},
    # §7: the replacement a supplementary draw answers (record only)
    "replacement_state": {
        "en": "the replacement request {request} behind this draw is {state}, not approved",
        "zh": "本次补充抽取所依据的替换申请 {request} 状态为 {state}，而非已批准"},
    "replacement_self_record": {
        "en": "replacement request {request} was decided by the person who made it "
              "({person})",
        "zh": "替换申请 {request} 由申请人本人（{person}）审批"},
    # §9: the chain
    "ledger_gap_one": {
        "en": "ledger entry #{seq} was deleted: the log goes from #{before} straight to "
              "#{after}",
        "zh": "公共记录链条目 #{seq} 被删除：记录链从 #{before} 直接跳到 #{after}"},
    "ledger_gap_many": {
        "en": "ledger entries #{first} to #{last} were deleted: the log goes from #{before} "
              "straight to #{after}",
        "zh": "公共记录链条目 #{first} 至 #{last} 被删除：记录链从 #{before} 直接跳到 #{after}"},
    "ledger_gap_start": {
        "en": "the log begins with entry #{after}, not #1: the entries before it were deleted",
        "zh": "公共记录链从条目 #{after} 开始，而非 #1：此前的条目被删除"},
    "ledger_out_of_order": {
        "en": "ledger entry #{seq} is out of order or repeated (it follows #{before})",
        "zh": "公共记录链条目 #{seq} 顺序错乱或重复出现（位于 #{before} 之后）"},
    "ledger_genesis": {
        "en": "the chain breaks at entry #1: its prev is {prev}, not 64 zeros",
        "zh": "公共记录链在条目 #1 处断开：其 prev 为 {prev}，而非 64 个 0"},
    "ledger_prev": {
        "en": "the chain breaks at entry #{seq}: its prev {prev} is not the hash of entry "
              "#{before} ({hash})",
        "zh": "公共记录链在条目 #{seq} 处断开：其 prev {prev} 不是条目 #{before} 的哈希值"
              "（{hash}）"},
    "ledger_hash": {
        "en": "entry #{seq} was rewritten: its hash does not match its content (published "
              "{published}, recomputed {computed})",
        "zh": "条目 #{seq} 被改写：哈希值不符（公布值 {published}，按内容重新计算为 "
              "{computed}）"},
    "ledger_signature": {
        "en": "signature of entry #{seq} is not the platform key's",
        "zh": "条目 #{seq} 的签名不是平台密钥所签"},
    "ledger_key": {
        "en": "entry #{seq} names signing key {key}, but the platform key's fingerprint is "
              "{expected}",
        "zh": "条目 #{seq} 标注的签名密钥为 {key}，而平台密钥的指纹为 {expected}"},
    "head_missing": {
        "en": "the log was rewritten after the head you kept: entry #{seq} is no longer in it "
              "(the log ends at #{last})",
        "zh": "在您保存链头之后，公共记录链被改写：条目 #{seq} 已不在记录链中（记录链止于 "
              "#{last}）"},
    "head_changed": {
        "en": "the log was rewritten after the head you kept: entry #{seq} now has hash "
              "{now} instead of {kept}",
        "zh": "在您保存链头之后，公共记录链被改写：条目 #{seq} 的哈希值现为 {now}，而非您保存"
              "的 {kept}"},
    # §9: the draw record against the ledger
    "commit_missing": {
        "en": "the public ledger has no draw_committed entry for draw #{draw}",
        "zh": "公共记录链中没有抽取 #{draw} 的承诺条目（draw_committed）"},
    "commit_many": {
        "en": "the public ledger has {count} draw_committed entries for draw #{draw} "
              "(entries {seqs}); there must be exactly one",
        "zh": "公共记录链中有 {count} 个抽取 #{draw} 的承诺条目（条目 {seqs}），应当只有一个"},
    "ledger_field": {
        "en": "{field}: the draw record says {record}, ledger entry #{seq} says {ledger}",
        "zh": "{field}：抽取记录为 {record}，公共记录链条目 #{seq} 记载为 {ledger}"},
    "plan_parameters": {
        "en": "the draw's parameters differ from those the plan published (ledger entry "
              "#{seq})",
        "zh": "抽取参数与计划公布的参数不符（公共记录链条目 #{seq}）"},
    "run_missing": {
        "en": "the public ledger has no draw_run entry for draw #{draw}, which the record says "
              "has run",
        "zh": "抽取记录显示抽取 #{draw} 已进行，但公共记录链中没有其抽取条目（draw_run）"},
    "run_many": {
        "en": "the public ledger has {count} draw_run entries for draw #{draw} (entries "
              "{seqs}); there must be exactly one",
        "zh": "公共记录链中有 {count} 个抽取 #{draw} 的抽取条目（条目 {seqs}），应当只有一个"},
    "run_pending": {
        "en": "ledger entry #{seq} records a run of draw #{draw}, but the record says it has "
              "not run",
        "zh": "公共记录链条目 #{seq} 记载抽取 #{draw} 已进行，但抽取记录显示尚未抽取"},
    "run_before_commit": {
        "en": "ledger entry #{run} records the run of draw #{draw} before its commit (entry "
              "#{commit})",
        "zh": "公共记录链条目 #{run} 记载的抽取 #{draw} 早于其承诺条目（#{commit}）"},
    "run_early": {
        "en": "ledger entry #{seq} records the run at {at}, before the declared values were "
              "known ({known_at})",
        "zh": "公共记录链条目 #{seq} 记载的抽取时间为 {at}，早于所声明外部随机值的公布时间"
              "（{known_at}）"},
    "request_missing": {
        "en": "the public ledger has no replacement_requested entry for request {request}",
        "zh": "公共记录链中没有替换申请 {request} 的申请条目（replacement_requested）"},
    "request_many": {
        "en": "the public ledger has {count} replacement_requested entries for request "
              "{request} (entries {seqs}); there must be exactly one",
        "zh": "公共记录链中有 {count} 个替换申请 {request} 的申请条目（条目 {seqs}），应当只有"
              "一个"},
    "request_after_commit": {
        "en": "request {request} (ledger entry #{requested}) comes after the commit of the "
              "draw that answers it (entry #{commit})",
        "zh": "替换申请 {request}（公共记录链条目 #{requested}）晚于据此进行的补充抽取的承诺"
              "条目（#{commit}）"},
    "decision_missing": {
        "en": "the public ledger has no replacement_decided entry for request {request}",
        "zh": "公共记录链中没有替换申请 {request} 的审批条目（replacement_decided）"},
    "decision_many": {
        "en": "the public ledger has {count} replacement_decided entries for request "
              "{request} (entries {seqs}); there must be exactly one",
        "zh": "公共记录链中有 {count} 个替换申请 {request} 的审批条目（条目 {seqs}），应当只有"
              "一个"},
    "decision_not_approved": {
        "en": "ledger entry #{seq}: request {request} was decided {decision}, not approved",
        "zh": "公共记录链条目 #{seq}：替换申请 {request} 的审批结果为 {decision}，而非批准"},
    "decision_other_draw": {
        "en": "ledger entry #{seq} approves request {request} with draw {other}, not draw "
              "#{draw}",
        "zh": "公共记录链条目 #{seq} 批准替换申请 {request} 时对应的抽取为 {other}，而非抽取 "
              "#{draw}"},
    "decision_self": {
        "en": "request {request} was decided by the person who made it, {person} (ledger "
              "entries #{requested} and #{decided})",
        "zh": "替换申请 {request} 由申请人本人 {person} 审批（公共记录链条目 #{requested} 和 "
              "#{decided}）"},
    "replacement_field": {
        "en": "replacement request {request}, {field}: the draw record says {record}, ledger "
              "entry #{seq} says {ledger}",
        "zh": "替换申请 {request} 的{field}：抽取记录为 {record}，公共记录链条目 #{seq} 记载为 "
              "{ledger}"},
    # §8: the plan's results
    "results_plan": {
        "en": "the results are of plan {results}, the draw of plan {draw}",
        "zh": "检查结果属于计划 {results}，而抽取属于计划 {draw}"},
    "task_not_selected": {
        "en": "task {task} is on institution {code}, which draw #{draw} did not select",
        "zh": "任务 {task} 的被检查机构为 {code}，但抽取 #{draw} 并未抽中该机构"},
    "selected_no_task": {
        "en": "institution {code}, selected by draw #{draw}, has no task",
        "zh": "抽取 #{draw} 抽中的机构 {code} 没有对应的检查任务"},
    "task_result_institution": {
        "en": "task {task} is on institution {code}, but its published result names "
              "{other}",
        "zh": "任务 {task} 的被检查机构为 {code}，但其公示的检查结果写明的机构为 {other}"},
    "result_field": {
        "en": "task {task}: the published result says {field} {value}, ledger entry #{seq} "
              "published {ledger}",
        "zh": "任务 {task}：公示的检查结果中{field}为 {value}，公共记录链条目 #{seq} 公示的为 "
              "{ledger}"},
    "result_unrecorded": {
        "en": "task {task}: revision {revision} of its result is published, but no "
              "results_published entry of the ledger lists it",
        "zh": "任务 {task}：其检查结果第 {revision} 版已公示，但公共记录链中没有任何结果公示条目"
              "（results_published）列出该结果"},
    "result_missing": {
        "en": "task {task}: ledger entry #{seq} published revision {revision} of its result, "
              "but the results show no published result",
        "zh": "任务 {task}：公共记录链条目 #{seq} 公示了其检查结果第 {revision} 版，但检查结果"
              "中没有已公示的结果"},
    "history_field": {
        "en": "task {task}, superseded revision {revision}: the results say {field} {value}, "
              "ledger entry #{seq} published {ledger}",
        "zh": "任务 {task} 已被更正的第 {revision} 版结果：检查结果中{field}为 {value}，公共"
              "记录链条目 #{seq} 公示的为 {ledger}"},
    "history_unrecorded": {
        "en": "task {task}: superseded revision {revision} is in the results, but no "
              "results_published entry of the ledger lists it",
        "zh": "任务 {task}：检查结果中有已被更正的第 {revision} 版，但公共记录链中没有任何结果"
              "公示条目列出该版本"},
    # unreadable input (Unverifiable)
    "pool_newline": {"en": "a pool must end with a newline",
                     "zh": "名录文件必须以换行符结尾"},
    "pool_header": {"en": "unexpected pool header {header}",
                    "zh": "名录表头不符合规范：{header}"},
    "pool_columns": {"en": "pool line {line} has {count} columns",
                     "zh": "名录第 {line} 行有 {count} 列"},
    "pool_order": {"en": "pool lines are not sorted by unique code",
                   "zh": "名录各行未按代码排序，或代码重复"},
    "total_exceeds": {"en": "total {total} exceeds what the strata can take",
                      "zh": "抽取总数 {total} 超过各层可容纳的数量"},
    "unknown_stratum": {"en": "pool stratum {stratum} is not in the plan",
                        "zh": "名录中的分层 {stratum} 不在计划之中"},
    "quota_unmet": {"en": "stratum {stratum}: the quota cannot be met from the pool",
                    "zh": "分层 {stratum}：名录中的机构不足以满足抽取名额"},
    "unknown_mode": {"en": "unknown mode {mode}", "zh": "未知的抽取方式 {mode}"},
    "input_key": {"en": "the input lacks the key {key}", "zh": "输入数据缺少键 {key}"},
    "input_malformed": {"en": "the input is not as the specification says ({detail})",
                        "zh": "输入数据不符合规范（{detail}）"},
    "time_unreadable": {"en": "{field} {value} is not an ISO 8601 time",
                        "zh": "{field} {value} 不是 ISO 8601 格式的时间"},
    "ledger_line": {"en": "ledger line {line} is not a ledger entry: {detail}",
                    "zh": "公共记录链第 {line} 行不是有效的条目：{detail}"},
    "ledger_needs_key": {"en": "checking the ledger needs the platform's public key",
                         "zh": "核验公共记录链需要平台的公钥"},
    "key_unreadable": {
        "en": "the key is neither an Ed25519 public key in PEM (SubjectPublicKeyInfo) nor "
              "64 hex digits",
        "zh": "密钥文件既不是 PEM 格式（SubjectPublicKeyInfo）的 Ed25519 公钥，也不是 64 位"
              "十六进制数字"},
    "key_not_on_curve": {"en": "the public key is not a point of Ed25519",
                         "zh": "该公钥不是 Ed25519 曲线上的点"},
    "head_unreadable": {
        "en": "a kept head is written SEQ:HASH (a whole number, a colon, 64 hex digits)",
        "zh": "保存的链头应写作 SEQ:HASH（整数、冒号、64 位十六进制数字）"},
    "results_malformed": {"en": "the results are not as the specification says ({detail})",
                          "zh": "检查结果数据不符合规范（{detail}）"},
    "file_unreadable": {"en": "cannot read {path}: {detail}", "zh": "无法读取 {path}：{detail}"},
    "not_json": {"en": "{path} is not JSON: {detail}", "zh": "{path} 不是 JSON 文件：{detail}"},
    "not_utf8": {"en": "{path} is not UTF-8 text", "zh": "{path} 不是 UTF-8 编码的文本"},
    "detail_not_object": {"en": "not a JSON object", "zh": "不是 JSON 对象"},
    "detail_field": {"en": "{field} is missing or of the wrong type",
                     "zh": "{field} 缺失或类型不符"},
    # the command line
    "cli_description": {
        "en": "Verify a published draw of the platform (specification tic-draw-1, "
              "docs/draw.md).",
        "zh": "核验平台公布的抽取（规范 tic-draw-1，docs/draw.md）。"},
    "cli_draw": {"en": "the draw record, GET /api/public/draws/{{id}}/",
                 "zh": "抽取记录，GET /api/public/draws/{{id}}/"},
    "cli_pool": {"en": "the institution pool (the draw's pool_url)",
                 "zh": "机构名录（抽取记录中的 pool_url）"},
    "cli_ipool": {"en": "the inspector pool (the draw's inspector_pool_url)",
                  "zh": "检查人员名录（抽取记录中的 inspector_pool_url）"},
    "cli_ledger": {"en": "the public ledger, GET /api/public/ledger/ (JSON lines)",
                   "zh": "公共记录链，GET /api/public/ledger/（每行一个 JSON）"},
    "cli_key": {"en": "the platform's public key, GET /api/public/ledger/key.pem",
                "zh": "平台公钥，GET /api/public/ledger/key.pem"},
    "cli_head": {"en": "a ledger head you kept earlier, SEQ:HASH",
                 "zh": "您此前保存的链头，格式为 SEQ:HASH"},
    "cli_results": {"en": "the plan's results, GET /api/public/plans/{{id}}/results/",
                    "zh": "计划的检查结果，GET /api/public/plans/{{id}}/results/"},
    "cli_lang": {"en": "language of the messages (default: from LC_ALL / LANG)",
                 "zh": "输出语言（默认依据 LC_ALL / LANG）"},
    "cli_key_needed": {"en": "--ledger needs --key", "zh": "使用 --ledger 时必须提供 --key"},
    "cli_ledger_needed": {"en": "--key and --head need --ledger",
                          "zh": "使用 --key 或 --head 时必须提供 --ledger"},
}

# The record and ledger fields a message may name: the JSON key, and in Chinese its meaning.
FIELDS: dict[str, dict[str, str]] = {
    "algorithm_version": {"en": "algorithm_version", "zh": "算法版本（algorithm_version）"},
    "category": {"en": "category", "zh": "结论类别（category）"},
    "checked_on": {"en": "checked_on", "zh": "检查日期（checked_on）"},
    "commitment": {"en": "commitment", "zh": "承诺值（commitment）"},
    "committed_at": {"en": "committed_at", "zh": "承诺时间（committed_at）"},
    "completed_at": {"en": "completed_at", "zh": "完成时间（completed_at）"},
    "corrects": {"en": "corrects", "zh": "所更正的版本（corrects）"},
    "correction_reason": {"en": "correction_reason", "zh": "更正理由（correction_reason）"},
    "decided_at": {"en": "decided_at", "zh": "审批时间（decided_at）"},
    "decided_by": {"en": "decided_by", "zh": "审批人（decided_by）"},
    "decision_note": {"en": "decision_note", "zh": "审批意见（decision_note）"},
    "evidence": {"en": "evidence", "zh": "证明材料（evidence）"},
    "exclusions": {"en": "exclusions", "zh": "排除统计（exclusions）"},
    "external_known_at": {"en": "external_known_at", "zh": "外部随机值公布时间"
                                                          "（external_known_at）"},
    "external_sources": {"en": "external_sources", "zh": "外部随机源（external_sources）"},
    "external_values": {"en": "external_values", "zh": "外部随机值（external_values）"},
    "findings_digest": {"en": "findings_digest", "zh": "检查发现摘要（findings_digest）"},
    "follow_up": {"en": "follow_up", "zh": "后续处理（follow_up）"},
    "institution": {"en": "institution", "zh": "机构（institution）"},
    "inspector_pool_digest": {"en": "inspector_pool_digest",
                              "zh": "检查人员名录摘要（inspector_pool_digest）"},
    "kind": {"en": "kind", "zh": "类型（kind）"},
    "parameters_digest": {"en": "parameters_digest", "zh": "抽取参数摘要（parameters_digest）"},
    "parent": {"en": "parent", "zh": "原抽取（parent）"},
    "plan": {"en": "plan", "zh": "所属计划（plan）"},
    "pool_digest": {"en": "pool_digest", "zh": "机构名录摘要（pool_digest）"},
    "pool_size": {"en": "pool_size", "zh": "名录机构数（pool_size）"},
    "reason": {"en": "reason", "zh": "申请理由（reason）"},
    "replacement_request": {"en": "replacement_request", "zh": "替换申请（replacement_request）"},
    "replaces_replacement": {"en": "replaces_replacement",
                             "zh": "是否再次替换（replaces_replacement）"},
    "requested_at": {"en": "requested_at", "zh": "申请时间（requested_at）"},
    "requested_by": {"en": "requested_by", "zh": "申请人（requested_by）"},
    "result_digest": {"en": "result_digest", "zh": "抽取结果摘要（result_digest）"},
    "revision": {"en": "revision", "zh": "版本号（revision）"},
    "seed": {"en": "seed", "zh": "随机种子（seed）"},
    "server_seed": {"en": "server_seed", "zh": "服务器种子（server_seed）"},
    "status": {"en": "status", "zh": "状态（status）"},
}


def language(lang: str | None) -> str:
    """``"zh"`` for any Chinese language tag (``zh``, ``zh-hans``, ``zh_CN.UTF-8``), else
    ``"en"``."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def message(key: str, lang: str = "en", /, **params) -> str:
    """The message ``key`` in ``lang`` with its named placeholders filled in."""
    return MESSAGES[key][language(lang)].format(**params)


def placeholders(text: str) -> set[str]:
    """The names of the placeholders of a message text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def show(value, limit: int = 90) -> str:
    """A value as a message shows it: its JSON literal, cut after ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Unverifiable(Exception):
    """The record, a pool, the ledger, the key or the results cannot be read as the
    specification says. ``key`` and ``params`` name the message; ``str()`` is the message in
    the language the exception was raised with."""

    def __init__(self, key: str, lang: str = "en", /, **params):
        self.key, self.lang, self.params = key, language(lang), params
        super().__init__(message(key, self.lang, **params))

    def translated(self, lang: str) -> Unverifiable:
        """The same exception with its message in ``lang``."""
        return Unverifiable(self.key, lang, **self.params)


class _Say:
    """Messages of one language: ``say(message_key, name=value)``; ``say.field("commitment")``."""

    def __init__(self, lang: str):
        self.lang = language(lang)

    def __call__(self, key: str, /, **params) -> str:
        return message(key, self.lang, **params)

    def field(self, name: str) -> str:
        return FIELDS[name][self.lang] if name in FIELDS else name


# §2 -----------------------------------------------------------------------------------------
def read_table(text: str, header: list[str]) -> list[list[str]]:
    """Rows of a pool text: UTF-8, ``\\n`` after every line, TAB-separated, header first."""
    if not text.endswith("\n"):
        raise Unverifiable("pool_newline")
    lines = text[:-1].split("\n")
    if lines[0].split("\t") != header:
        raise Unverifiable("pool_header", header=show(lines[0]))
    rows = [line.split("\t") for line in lines[1:]]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header) - 1:
            raise Unverifiable("pool_columns", line=number, count=len(row))
    codes = [row[0] for row in rows]
    if codes != sorted(codes) or len(set(codes)) != len(codes):
        raise Unverifiable("pool_order")
    return rows


def institutions_of(text: str) -> list[dict]:
    """The institution pool (§2) as ``[{code, stratum, centre: bool, risk, field, region}]``;
    raises :class:`Unverifiable` if it is not one."""
    return [{"code": r[0], "stratum": r[1], "centre": r[2] == "1", "risk": r[3], "field": r[4],
             "region": r[5]} for r in read_table(text, INSTITUTION_HEADER)]


def inspectors_of(text: str) -> list[dict]:
    """The inspector pool (§2) as ``[{code, department, fields: set, county, ties: set of
    institution codes}]``; raises :class:`Unverifiable` if it is not one."""
    out = []
    for code, department, fields, county, ties in read_table(text, INSPECTOR_HEADER):
        out.append({"code": code, "department": department,
                    "fields": set(fields.split(",")) if fields else set(), "county": county,
                    "ties": {t.split(":", 1)[0] for t in ties.split(",")} if ties else set()})
    return out


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data``, 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


# §3 -----------------------------------------------------------------------------------------
def derive_seed(server_seed: str, external_value: str, pool_digest: str) -> str:
    """§3: SHA-256(server seed bytes ‖ external value UTF-8 ‖ pool digest bytes), hex."""
    return sha256_hex(bytes.fromhex(server_seed) + external_value.encode("utf-8")
                      + bytes.fromhex(pool_digest))


def key(seed: str, code: str) -> str:
    """§3: HMAC-SHA256(key = seed bytes, message = code UTF-8), hex."""
    return hmac.new(bytes.fromhex(seed), code.encode("utf-8"), hashlib.sha256).hexdigest()


def normalise(value: str) -> str:
    """§3: one source's value as the draw uses it — Unicode NFKC, then every maximal run of
    white-space characters (``str.isspace``) replaced by one space U+0020, then the spaces at
    both ends removed. (Validity — non-empty, at most 200 characters, no control character —
    is :func:`value_problem`.)"""
    out: list[str] = []
    in_space = False
    for ch in unicodedata.normalize("NFKC", value):
        if ch.isspace():
            if not in_space:
                out.append(" ")
            in_space = True
        else:
            out.append(ch)
            in_space = False
    return "".join(out).strip(" ")


def value_problem(value: str) -> str | None:
    """Why a normalised value is not allowed (a message key), or ``None`` (§3)."""
    if not value:
        return "value_empty"
    if len(value) > MAX_EXTERNAL_VALUE:
        return "value_too_long"
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return "value_control"
    return None


def parse_time(value, field: str) -> dt.datetime:
    """An ISO 8601 time of the record or the ledger (``…Z`` or ``…+00:00``), aware; a time
    without offset is read as UTC. Raises :class:`Unverifiable`."""
    if not isinstance(value, str):
        raise Unverifiable("time_unreadable", field=field, value=show(value))
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Unverifiable("time_unreadable", field=field, value=show(value)) from None
    # dt.timezone.utc, not dt.UTC: the downloaded file also runs on Python before 3.11
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)  # noqa: UP017


def _same_instant(a, b) -> bool:
    try:
        return parse_time(a, "") == parse_time(b, "")
    except Unverifiable:
        return a == b


# §4 -----------------------------------------------------------------------------------------
def half_up(x: Fraction) -> int:
    """``x`` rounded to the nearest integer, halves up (§4)."""
    return math.floor(x + Fraction(1, 2))


def largest_remainder(total: int, sizes: dict[str, int], order: list[str],
                      caps: dict[str, int]) -> dict[str, int]:
    """Hamilton's method with caps, in exact integer arithmetic (§4): ties of remainders go
    to the stratum with more institutions in the pool (larger ``size``), then to the earlier
    one in plan order."""
    if total > sum(caps[s] for s in order):
        raise Unverifiable("total_exceeds", total=total)
    fixed: dict[str, int] = {}
    while True:
        free = [s for s in order if s not in fixed]
        remaining = total - sum(fixed.values())
        weight = sum(sizes[s] for s in free)
        share = {s: 0 for s in free}
        if weight:
            rest = remaining
            for s in free:
                share[s] = remaining * sizes[s] // weight
                rest -= share[s]
            # remainders are (remaining·size mod weight) / weight: compare the numerators
            by_remainder = sorted(free, key=lambda s: (-(remaining * sizes[s] % weight),
                                                       -sizes[s], order.index(s)))
            for s in by_remainder[:rest]:
                share[s] += 1
        over = [s for s in free if share[s] > caps[s]]
        if not over:
            return {s: fixed.get(s, share.get(s)) for s in order}
        for s in over:
            fixed[s] = caps[s]


def allocation_of(spec: dict, pool: list[dict]) -> list[dict]:
    """§4: ``[{stratum, size, centres_in_pool, count, centres}]`` for ``spec`` (the published
    ``parameters.institutions``); raises :class:`Unverifiable` for a quota the pool cannot
    meet."""
    order = list(spec["strata"])
    size = {s: 0 for s in order}
    centres_in = {s: 0 for s in order}
    for e in pool:
        if e["stratum"] not in size:
            raise Unverifiable("unknown_stratum", stratum=show(e["stratum"]))
        size[e["stratum"]] += 1
        centres_in[e["stratum"]] += e["centre"]
    mode = spec["mode"]
    if mode == "quotas":
        count = {s: int(spec["quotas"].get(s, 0)) for s in order}
    elif mode in ("total", "ratio"):
        total = (int(spec["total"]) if mode == "total"
                 else half_up(Fraction(spec["ratio"]) * len(pool)))
        count = largest_remainder(total, size, order, dict(size))
    elif mode == "class_ratio":
        count = {s: half_up(Fraction(spec["class_ratios"].get(s, "0")) * size[s])
                 for s in order}
    else:
        raise Unverifiable("unknown_mode", mode=show(mode))
    centres: dict[str, int | None] = {s: None for s in order}
    if spec.get("centres"):
        centres.update({s: int(n) for s, n in spec["centres"].items()})
    elif spec.get("centres_total"):
        caps = {s: min(count[s], centres_in[s]) for s in order}
        centres.update(largest_remainder(int(spec["centres_total"]), centres_in, order, caps))
    for s in order:
        others = count[s] - (centres[s] or 0)
        if count[s] > size[s] or (centres[s] is not None and (
                centres[s] > min(centres_in[s], count[s])
                or others > size[s] - centres_in[s])):
            raise Unverifiable("quota_unmet", stratum=show(s))
    return [{"stratum": s, "size": size[s], "centres_in_pool": centres_in[s],
             "count": count[s], "centres": centres[s]} for s in order]


# §5 -----------------------------------------------------------------------------------------
def selection_of(seed: str, pool: list[dict], allocation: list[dict],
                 weights: dict | None) -> list[dict]:
    """§5: ``[{code, stratum, rank, key}]``, the ``count`` smallest keys (or weighted ranks)
    of each stratum, centres first where the stratum has a centre sub-quota."""
    def order_key(e: dict):
        k = key(seed, e["code"])
        if not weights:
            return (k,)
        u = (int(k[:13], 16) + 0.5) / 2 ** 52
        return (-math.log(u) / float(weights.get(e["risk"], 1)), k)

    chosen = []
    for a in allocation:
        members = [e for e in pool if e["stratum"] == a["stratum"]]
        if a["centres"] is None:
            groups = [(members, a["count"])]
        else:  # centres first, then the others; ranks run on across both
            groups = [([e for e in members if e["centre"]], a["centres"]),
                      ([e for e in members if not e["centre"]], a["count"] - a["centres"])]
        rank = 0
        for group, n in groups:
            for e in sorted(group, key=order_key)[:n]:
                rank += 1
                chosen.append({"code": e["code"], "stratum": a["stratum"], "rank": rank,
                               "key": key(seed, e["code"])})
    return chosen


# §6 -----------------------------------------------------------------------------------------
def teams_of(seed: str, inspectors: list[dict], chosen: list[dict], pool: list[dict],
             rules: dict) -> tuple[list[dict], list[dict]]:
    """``(teams, problems)``: the teams if every task can be staffed, else ``([], problems)``."""
    by_code = {e["code"]: e for e in pool}
    # in key order, the first candidate met at any (field mismatch, load) has the smallest key
    # of its kind, so the pick is the first strictly better one met; (match, no load) is the best
    ordered = sorted(inspectors, key=lambda i: key(seed, i["code"]))
    load = dict(rules.get("load", {}))
    cap = int(rules["cap"])
    teams, problems = [], []
    for c in chosen:
        inst = by_code[c["code"]]
        lead = rules.get("leads", {}).get(c["stratum"])
        required = []
        for d in ([lead] if lead else []) + list(rules.get("departments", [])):
            if d not in required:
                required.append(d)
        size = max(int(rules["per_task"]), len(required))
        taken = set(rules.get("exclude", {}).get(inst["code"], []))
        team, failure = [], None
        for slot in range(size):
            department = required[slot] if slot < len(required) else None
            pick, best = None, None
            for i in ordered:
                if ((department is not None and i["department"] != department)
                        or i["code"] in taken or inst["code"] in i["ties"]
                        or (rules.get("same_county") and i["county"] == inst["region"])
                        or load.get(i["code"], 0) >= cap):
                    continue
                rank = (inst["field"] not in i["fields"], load.get(i["code"], 0))
                if best is None or rank < best:
                    pick, best = i, rank
                    if rank == (False, 0):
                        break
            if pick is None:
                failure = ({"reason": "no_eligible_inspector_in_department",
                            "department": department} if department else
                           {"reason": "not_enough_eligible_inspectors", "needed": size,
                            "found": len(team)})
                break
            team.append((pick, not best[0]))
            taken.add(pick["code"])
        if failure:
            problems.append({"institution": inst["code"], **failure})
            continue
        for i, _ in team:
            load[i["code"]] = load.get(i["code"], 0) + 1
        teams.append({"institution": inst["code"], "members": [
            {"code": i["code"], "department": i["department"], "leader": n == 0,
             "matched_field": matched, "fallback": "" if matched else "no_field_match"}
            for n, (i, matched) in enumerate(team)]})
    return ([], problems) if problems else (teams, [])


# §9: Ed25519 (RFC 8032 §5.1), verification only, from the RFC's §6 reference code -----------
_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
_IDENTITY = (0, 1, 1, 0)


def _point_add(p: tuple, q: tuple) -> tuple:
    """Sum of two points in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z
    (RFC 8032 §5.1.4; the formula is complete: it also doubles)."""
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _point_double(p: tuple) -> tuple:
    """Twice a point (RFC 8032 §5.1.4, doubling)."""
    a = p[0] * p[0] % _P
    b = p[1] * p[1] % _P
    c = 2 * p[2] * p[2] % _P
    h = a + b
    e = h - (p[0] + p[1]) * (p[0] + p[1]) % _P
    g = a - b
    f = c + g
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _point_equal(p: tuple, q: tuple) -> bool:
    return ((p[0] * q[2] - q[0] * p[2]) % _P == 0
            and (p[1] * q[2] - q[1] * p[2]) % _P == 0)


def _recover_x(y: int, sign: int) -> int | None:
    """x of the point with ``y`` and the sign bit ``sign`` (RFC 8032 §5.1.3), or ``None``."""
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P  # the square-root-of-−1 fix
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _point_decode(s: bytes) -> tuple | None:
    """The point encoded in 32 bytes (RFC 8032 §5.1.3), or ``None`` if decoding fails."""
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


_BASE_Y = 4 * pow(5, _P - 2, _P) % _P  # the base point B: y = 4/5, x even (RFC 8032 §5.1)
_BASE_X = 15112221349535400772501151409588531511454012693041857206046113283949847762202
_BASE = (_BASE_X, _BASE_Y, 1, _BASE_X * _BASE_Y % _P)


def _comb(point: tuple) -> list[list[tuple]]:
    """``table[i][j]`` = j·16ⁱ·point for i < 64, j < 16: a multiple by a 256-bit scalar is then
    64 additions (the same point signs every ledger entry, so its table is made once)."""
    table = []
    for _ in range(64):
        row = [_IDENTITY, point]
        for _j in range(14):
            row.append(_point_add(row[-1], point))
        table.append(row)
        for _k in range(4):
            point = _point_double(point)
    return table


def _comb_multiply(table: list[list[tuple]], k: int) -> tuple:
    """k·point for 0 ≤ k < 2²⁵⁶, from the point's :func:`_comb` table."""
    q = _IDENTITY
    for i in range(64):
        nibble = (k >> (4 * i)) & 15
        if nibble:
            q = _point_add(q, table[i][nibble])
    return q


@lru_cache(maxsize=1)
def _base_comb() -> list[list[tuple]]:
    return _comb(_BASE)


@lru_cache(maxsize=8)
def _key_comb(public_key: bytes) -> list[list[tuple]] | None:
    point = _point_decode(public_key)
    return _comb(point) if point is not None else None


@lru_cache(maxsize=20000)  # the page verifies the same entries again and again
def ed25519_verify(public_key: bytes, msg: bytes, signature: bytes) -> bool:
    """Whether ``signature`` (64 bytes) is a valid Ed25519 signature of ``msg`` by
    ``public_key`` (32 bytes): RFC 8032 §5.1.7, pure Ed25519, cofactorless check
    [s]B = R + [k]A with k = SHA-512(R ‖ A ‖ msg) mod L; s ≥ L and points that do not decode
    are refused."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a_table = _key_comb(bytes(public_key))
    if a_table is None:
        return False
    r = _point_decode(signature[:32])
    if r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + msg).digest(),
                       "little") % _L
    return _point_equal(_comb_multiply(_base_comb(), s),
                        _point_add(r, _comb_multiply(a_table, k)))


_SPKI_ED25519 = bytes.fromhex("302a300506032b6570032100")


def public_key_of(text: str | bytes) -> bytes:
    """The 32 raw bytes of the platform's Ed25519 public key from its published file: PEM
    ``-----BEGIN PUBLIC KEY-----`` (SubjectPublicKeyInfo: the DER is the 12 bytes
    ``302a300506032b6570032100`` then the key) or the key's 64 hex digits. Raises
    :class:`Unverifiable`."""
    if isinstance(text, bytes):
        if len(text) == 32:
            return text
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise Unverifiable("key_unreadable") from None
    body = text.strip()
    raw: bytes | None = None
    if body.startswith("-----BEGIN PUBLIC KEY-----"):
        lines = body.splitlines()
        if lines[-1].strip() == "-----END PUBLIC KEY-----":
            try:
                der = base64.b64decode("".join(line.strip() for line in lines[1:-1]),
                                       validate=True)
            except (binascii.Error, ValueError):
                der = b""
            if len(der) == 44 and der.startswith(_SPKI_ED25519):
                raw = der[12:]
    elif len(body) == 64:
        try:
            raw = bytes.fromhex(body)
        except ValueError:
            raw = None
    if raw is None:
        raise Unverifiable("key_unreadable")
    if _point_decode(raw) is None:
        raise Unverifiable("key_not_on_curve")
    return raw


def key_fingerprint(public_key: bytes) -> str:
    """§9: the first 16 hex digits of SHA-256 of the 32 raw key bytes."""
    return sha256_hex(public_key)[:16]


# §9: the ledger ----------------------------------------------------------------------------
def canonical_json(value) -> str:
    """§9: canonical JSON — keys sorted by code point, no white space (separators ``,`` and
    ``:``), non-ASCII characters as themselves. (A float never occurs in what the platform
    hashes; one found here makes the hash differ, so it is reported as a rewrite.)"""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(value) -> str:
    """SHA-256 hex of the UTF-8 canonical JSON of ``value`` (parameters, result digests)."""
    return sha256_hex(canonical_json(value).encode("utf-8", "surrogatepass"))


def entry_hash(entry: dict) -> str:
    """§9: the hash of a ledger entry recomputed from its content: SHA-256 of the canonical
    JSON of ``{at, kind, payload, plan, prev, seq}``."""
    return digest_of({name: entry[name] for name in ("at", "kind", "payload", "plan", "prev",
                                                      "seq")})


_ENTRY_TYPES = {"seq": int, "prev": str, "at": str, "kind": str, "payload": dict, "hash": str,
                "signature": str, "key": str}


def _check_entry(entry, line: int) -> None:
    if not isinstance(entry, dict):
        raise Unverifiable("ledger_line", line=line, detail=message("detail_not_object"))
    for name, kind in _ENTRY_TYPES.items():
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise Unverifiable("ledger_line", line=line,
                               detail=message("detail_field", field=name))
    if "plan" not in entry or not (entry["plan"] is None or (
            isinstance(entry["plan"], int) and not isinstance(entry["plan"], bool))):
        raise Unverifiable("ledger_line", line=line, detail=message("detail_field",
                                                                    field="plan"))


def ledger_of(text: str) -> list[dict]:
    """The entries of a downloaded ledger (JSON lines, one entry per line, blank lines
    ignored). Raises :class:`Unverifiable` for a line that is not a JSON object."""
    entries = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise Unverifiable("ledger_line", line=number, detail=str(exc)) from None
        _check_entry(entry, number)
        entries.append(entry)
    return entries


def head_of(value) -> tuple[int, str] | None:
    """A kept head from ``"SEQ:HASH"``, ``(seq, hash)`` or ``{"seq", "hash"}``; ``None`` stays
    ``None``. Raises :class:`Unverifiable`."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = (value.get("seq"), value.get("hash"))
    if isinstance(value, str):
        seq_text, _, hash_text = value.strip().partition(":")
        value = (int(seq_text) if seq_text.isdigit() else None, hash_text.lower())
    seq, head_hash = value
    if (not isinstance(seq, int) or isinstance(seq, bool) or seq < 0
            or not isinstance(head_hash, str) or len(head_hash) != 64
            or any(c not in "0123456789abcdef" for c in head_hash)):
        raise Unverifiable("head_unreadable")
    return seq, head_hash


def chain_problems(entries: list[dict], public_key: bytes,
                   kept_head: tuple[int, str] | None = None, *, lang: str = "en") -> list[str]:
    """§9: where the chain breaks — deleted or repeated entries (``seq`` runs 1, 2, 3, …),
    ``prev`` links, hashes recomputed from the content, signatures by ``public_key``, key
    fingerprints — and whether the head you kept is still in it."""
    say = _Say(lang)
    bad = []
    fingerprint = key_fingerprint(public_key)
    before, before_hash = 0, GENESIS
    for line, entry in enumerate(entries, start=1):
        _check_entry(entry, line)
        seq = entry["seq"]
        if seq <= before:
            bad.append(say("ledger_out_of_order", seq=seq, before=before))
            continue
        if seq > before + 1:
            if before == 0:
                bad.append(say("ledger_gap_start", after=seq))
            elif seq == before + 2:
                bad.append(say("ledger_gap_one", seq=before + 1, before=before, after=seq))
            else:
                bad.append(say("ledger_gap_many", first=before + 1, last=seq - 1,
                               before=before, after=seq))
        elif seq == 1 and entry["prev"] != GENESIS:
            bad.append(say("ledger_genesis", prev=show(entry["prev"])))
        elif seq > 1 and entry["prev"] != before_hash:
            bad.append(say("ledger_prev", seq=seq, prev=show(entry["prev"]), before=before,
                           hash=show(before_hash)))
        computed = entry_hash(entry)
        if computed != entry["hash"]:
            bad.append(say("ledger_hash", seq=seq, published=show(entry["hash"]),
                           computed=show(computed)))
        if entry["key"] != fingerprint:
            bad.append(say("ledger_key", seq=seq, key=show(entry["key"]),
                           expected=show(fingerprint)))
        try:
            signed = ed25519_verify(public_key, bytes.fromhex(entry["hash"]),
                                    bytes.fromhex(entry["signature"]))
        except ValueError:
            signed = False
        if not signed:
            bad.append(say("ledger_signature", seq=seq))
        before, before_hash = seq, entry["hash"]
    if kept_head is not None and kept_head[0] > 0:
        seq, kept = kept_head
        found = next((e for e in entries if e["seq"] == seq), None)
        if found is None:
            bad.append(say("head_missing", seq=seq, last=before))
        elif found["hash"] != kept:
            bad.append(say("head_changed", seq=seq, now=show(found["hash"]), kept=show(kept)))
    return bad


def _predates(at, entries: list[dict]) -> bool:
    """Whether a record time lies before the ledger's first entry (records from before the
    ledger began are not in it, §9)."""
    if not entries:
        return True
    try:
        return parse_time(at, "") < parse_time(entries[0]["at"], "")
    except Unverifiable:
        return False


def _payload(entry: dict) -> dict:
    return entry["payload"] if isinstance(entry.get("payload"), dict) else {}


def _entries(entries: list[dict], kind: str, name: str, value) -> list[dict]:
    return [e for e in entries if e["kind"] == kind and _payload(e).get(name) == value]


def _seqs(found: list[dict]) -> str:
    return ", ".join(f"#{e['seq']}" for e in found)


def _plan_id(record: dict):
    plan = record.get("plan")
    return plan.get("id") if isinstance(plan, dict) else plan


def draw_ledger_problems(record: dict, entries: list[dict], *, lang: str = "en") -> list[str]:
    """§9: the draw record against the ledger — its ``draw_committed`` entry, its ``draw_run``
    entry and, for a supplementary draw, the replacement request and decision."""
    say = _Say(lang)
    draw = record["id"]
    sources = record.get("external_sources") or []
    commits = _entries(entries, "draw_committed", "draw", draw)
    if not commits:
        if not sources and _predates(record.get("committed_at"), entries):
            return []  # a draw committed before the ledger began (§9)
        return [say("commit_missing", draw=draw)]
    bad = []
    if len(commits) > 1:
        bad.append(say("commit_many", count=len(commits), draw=draw, seqs=_seqs(commits)))
    commit = commits[0]
    signed = _payload(commit)

    def differs(name, ours, theirs, seq):
        bad.append(say("ledger_field", field=say.field(name), record=show(ours),
                       ledger=show(theirs), seq=seq))

    replacement = record.get("replacement") or {}
    expected = {
        "kind": record.get("kind"), "parent": record.get("parent"),
        "replacement_request": replacement.get("request"),
        "algorithm_version": record.get("algorithm_version"),
        "commitment": record.get("commitment"), "pool_digest": record.get("pool_digest"),
        "pool_size": record.get("pool_size"),
        "inspector_pool_digest": record.get("inspector_pool_digest"),
        "parameters_digest": digest_of(record.get("parameters")),
        "external_sources": sources,
    }
    if _plan_id(record) is not None:
        expected["plan"] = _plan_id(record)
    if "exclusions" in record:
        expected["exclusions"] = record["exclusions"]
    for name, ours in expected.items():
        theirs = signed.get(name)
        if name == "external_sources":
            theirs = theirs or []
        if ours != theirs:
            differs(name, ours, theirs, commit["seq"])
    if not _same_instant(record.get("committed_at"), signed.get("committed_at")):
        differs("committed_at", record.get("committed_at"), signed.get("committed_at"),
                commit["seq"])
    params = record.get("parameters") or {}
    if record.get("kind") == "institutions" and isinstance(params.get("institutions"), dict):
        plan = signed.get("plan", _plan_id(record))
        published = [e for e in _entries(entries, "plan_published", "plan", plan)
                     if e["seq"] < commit["seq"]]
        if published:
            ours = json.loads(json.dumps(params))
            ours["institutions"].pop("allocation", None)
            if ours != _payload(published[-1]).get("parameters"):
                bad.append(say("plan_parameters", seq=published[-1]["seq"]))
    runs = _entries(entries, "draw_run", "draw", draw)
    if record.get("status") not in ("completed", "failed"):
        bad += [say("run_pending", seq=e["seq"], draw=draw) for e in runs]
    elif not runs:
        bad.append(say("run_missing", draw=draw))
    else:
        if len(runs) > 1:
            bad.append(say("run_many", count=len(runs), draw=draw, seqs=_seqs(runs)))
        run = runs[0]
        told = _payload(run)
        if run["seq"] < commit["seq"]:
            bad.append(say("run_before_commit", run=run["seq"], draw=draw, commit=commit["seq"]))
        for name, ours in (("status", record.get("status")),
                           ("external_values", record.get("external_values")),
                           ("server_seed", record.get("server_seed")),
                           ("seed", record.get("seed")),
                           ("result_digest", digest_of(record.get("result")))):
            if ours != told.get(name):
                differs(name, ours, told.get(name), run["seq"])
        if not _same_instant(record.get("completed_at"), told.get("completed_at")):
            differs("completed_at", record.get("completed_at"), told.get("completed_at"),
                    run["seq"])
        declared = signed.get("external_sources") or []
        if isinstance(declared, list) and declared:
            try:
                latest = max(parse_time(s.get("known_at"), "known_at") for s in declared)
                early = parse_time(run["at"], "at") < latest
            except (Unverifiable, AttributeError):
                early = False  # cannot be compared; a changed ``at`` breaks the entry's hash
            if early:
                bad.append(say("run_early", seq=run["seq"], at=show(run["at"]),
                               known_at=show(latest.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))))
    if replacement:
        bad += _replacement_problems(record, replacement, commit, entries, say)
    return bad


def _replacement_problems(record: dict, replacement: dict, commit: dict, entries: list[dict],
                          say: _Say) -> list[str]:
    """§9: the ``replacement_requested`` and ``replacement_decided`` entries of the request a
    supplementary draw answers."""
    bad = []
    request = replacement.get("request")

    def differs(name, ours, theirs, seq):
        bad.append(say("replacement_field", request=show(request), field=say.field(name),
                       record=show(ours), ledger=show(theirs), seq=seq))

    asked = _entries(entries, "replacement_requested", "request", request)
    if not asked:
        bad.append(say("request_missing", request=show(request)))
    else:
        if len(asked) > 1:
            bad.append(say("request_many", count=len(asked), request=show(request),
                           seqs=_seqs(asked)))
        told = _payload(asked[0])
        for name in ("kind", "reason", "evidence", "replaces_replacement", "requested_by"):
            if replacement.get(name) != told.get(name):
                differs(name, replacement.get(name), told.get(name), asked[0]["seq"])
        if not _same_instant(replacement.get("requested_at"), told.get("requested_at")):
            differs("requested_at", replacement.get("requested_at"), told.get("requested_at"),
                    asked[0]["seq"])
        if asked[0]["seq"] > commit["seq"]:
            bad.append(say("request_after_commit", request=show(request),
                           requested=asked[0]["seq"], commit=commit["seq"]))
    decided = _entries(entries, "replacement_decided", "request", request)
    if not decided:
        bad.append(say("decision_missing", request=show(request)))
        return bad
    if len(decided) > 1:
        bad.append(say("decision_many", count=len(decided), request=show(request),
                       seqs=_seqs(decided)))
    told = _payload(decided[0])
    seq = decided[0]["seq"]
    if told.get("decision") != "approved":
        bad.append(say("decision_not_approved", seq=seq, request=show(request),
                       decision=show(told.get("decision"))))
    elif told.get("draw") != record["id"]:
        bad.append(say("decision_other_draw", seq=seq, request=show(request),
                       other=show(told.get("draw")), draw=record["id"]))
    for name, theirs in (("decided_by", told.get("decided_by")),
                         ("decision_note", told.get("note"))):
        if replacement.get(name) != theirs:
            differs(name, replacement.get(name), theirs, seq)
    if not _same_instant(replacement.get("decided_at"), told.get("decided_at")):
        differs("decided_at", replacement.get("decided_at"), told.get("decided_at"), seq)
    if asked and _payload(asked[0]).get("requested_by") == told.get("decided_by"):
        bad.append(say("decision_self", request=show(request),
                       person=show(told.get("decided_by")), requested=asked[0]["seq"],
                       decided=seq))
    return bad


# §8: the plan's results --------------------------------------------------------------------
RESULT_FIELDS = ("revision", "institution", "corrects", "correction_reason", "category",
                 "follow_up", "checked_on", "findings_digest")


def _check_results(results) -> list[dict]:
    if not isinstance(results, dict) or not isinstance(results.get("tasks"), list):
        raise Unverifiable("results_malformed", detail=message("detail_field", field="tasks"))
    for task in results["tasks"]:
        if not isinstance(task, dict):
            raise Unverifiable("results_malformed", detail=message("detail_not_object"))
        for name, kinds in (("task", int), ("institution", str), ("result", (dict, type(None))),
                            ("history", (list, type(None)))):
            if name in ("result", "history") and name not in task:
                continue
            if not isinstance(task.get(name), kinds):
                raise Unverifiable("results_malformed",
                                   detail=message("detail_field", field=f"tasks[].{name}"))
        for revision in task.get("history") or []:
            if not isinstance(revision, dict):
                raise Unverifiable("results_malformed",
                                   detail=message("detail_field", field="tasks[].history[]"))
    return results["tasks"]


def results_problems(record: dict, results: dict, entries: list[dict] | None = None, *,
                     lang: str = "en") -> list[str]:
    """§8–§9: the tasks of this draw in the plan's results — on exactly the institutions the
    draw selected (an institution draw) — and, given the ledger, each published result and
    superseded revision as the last ``results_published`` entry listing it says."""
    say = _Say(lang)
    tasks = _check_results(results)
    draw = record["id"]
    bad = []
    plan = _plan_id(record)
    if plan is not None and results.get("plan") != plan:
        bad.append(say("results_plan", results=show(results.get("plan")), draw=show(plan)))
    mine = [t for t in tasks if t.get("draw") == draw]
    if record.get("kind") in INSTITUTION_KINDS:
        selected = ([c["code"] for c in record["result"]["institutions"]]
                    if record.get("status") == "completed" else [])
        on_task = {t["institution"] for t in mine}
        for t in mine:
            if t["institution"] not in selected:
                bad.append(say("task_not_selected", task=t["task"], code=show(t["institution"]),
                               draw=draw))
        for code in selected:
            if code not in on_task:
                bad.append(say("selected_no_task", code=show(code), draw=draw))
    for t in mine:
        result = t.get("result")
        if result and result.get("institution") != t["institution"]:
            bad.append(say("task_result_institution", task=t["task"],
                           code=show(t["institution"]), other=show(result.get("institution"))))
    if entries is None:
        return bad
    latest: dict = {}     # task → (seq, item) of the last results_published entry listing it
    revisions: dict = {}  # (task, revision) → (seq, item)
    for e in entries:
        if e["kind"] != "results_published" or _payload(e).get("plan") != results.get("plan"):
            continue
        for item in _payload(e).get("results") or []:
            if isinstance(item, dict):
                latest[item.get("task")] = (e["seq"], item)
                revisions[item.get("task"), item.get("revision")] = (e["seq"], item)
    for t in mine:
        result = t.get("result")
        hit = latest.get(t["task"])
        if result is None:
            if hit is not None:
                bad.append(say("result_missing", task=t["task"], seq=hit[0],
                               revision=show(hit[1].get("revision"))))
        elif hit is None:
            if not _predates(result.get("published_at"), entries):
                bad.append(say("result_unrecorded", task=t["task"],
                               revision=show(result.get("revision"))))
        else:
            for name in RESULT_FIELDS:
                if result.get(name) != hit[1].get(name):
                    bad.append(say("result_field", task=t["task"], field=say.field(name),
                                   value=show(result.get(name)), seq=hit[0],
                                   ledger=show(hit[1].get(name))))
        for old in t.get("history") or []:
            hit = revisions.get((t["task"], old.get("revision")))
            if hit is None:
                if not _predates(old.get("published_at"), entries):
                    bad.append(say("history_unrecorded", task=t["task"],
                                   revision=show(old.get("revision"))))
                continue
            for name in RESULT_FIELDS:
                if old.get(name) != hit[1].get(name):
                    bad.append(say("history_field", task=t["task"],
                                   revision=show(old.get("revision")), field=say.field(name),
                                   value=show(old.get(name)), seq=hit[0],
                                   ledger=show(hit[1].get(name))))
    return bad


# §3, §7: what the record itself must satisfy ----------------------------------------------
def sources_problems(record: dict, *, lang: str = "en") -> list[str]:
    """§3: the declared external sources — 1 to 5, each known only after the commit,
    ``external_known_at`` the latest of them — and, once the draw has run, one normalised
    value per source, joined by line feeds into ``external_value``, and a run not before
    ``external_known_at``. A record without sources (an older draw) has nothing to check."""
    say = _Say(lang)
    sources = record.get("external_sources") or []
    if not sources:
        return []
    bad = []
    if len(sources) > MAX_SOURCES:
        bad.append(say("sources_count", count=len(sources)))
    committed = parse_time(record.get("committed_at"), "committed_at")
    known = []
    for n, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            raise Unverifiable("input_malformed", detail="external_sources")
        moment = parse_time(source.get("known_at"), "external_sources[].known_at")
        known.append(moment)
        if moment <= committed:
            bad.append(say("source_before_commit", n=n, name=show(source.get("name")),
                           known_at=show(source.get("known_at")),
                           committed=show(record.get("committed_at"))))
    latest = max(known)
    published = record.get("external_known_at")
    if published is None or parse_time(published, "external_known_at") != latest:
        bad.append(say("sources_known_at", published=show(published),
                       latest=show(latest.isoformat())))
    if record.get("status") not in ("completed", "failed"):
        return bad
    values = record.get("external_values")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Unverifiable("input_malformed", detail="external_values")
    if len(values) != len(sources):
        bad.append(say("sources_values_count", sources=len(sources), values=len(values)))
    for n, value in enumerate(values, start=1):
        normal = normalise(value)
        if normal != value:
            bad.append(say("value_not_normal", n=n, value=show(value), normal=show(normal)))
        problem = value_problem(normal)
        if problem:
            bad.append(say(problem, n=n, value=show(value)))
    if record.get("external_value") != "\n".join(values):
        bad.append(say("value_join"))
    completed = parse_time(record.get("completed_at"), "completed_at")
    if completed < latest:
        bad.append(say("run_before_known", completed=show(record.get("completed_at")),
                       known_at=show(latest.isoformat())))
    return bad


def replacement_problems(record: dict, *, lang: str = "en") -> list[str]:
    """§7: the replacement request a supplementary draw answers is approved, by someone other
    than the requester."""
    say = _Say(lang)
    replacement = record.get("replacement")
    if not isinstance(replacement, dict):
        return []
    bad = []
    if replacement.get("state") != "approved":
        bad.append(say("replacement_state", request=show(replacement.get("request")),
                       state=show(replacement.get("state"))))
    if replacement.get("decided_by") and replacement.get("decided_by") == replacement.get(
            "requested_by"):
        bad.append(say("replacement_self_record", request=show(replacement.get("request")),
                       person=show(replacement.get("decided_by"))))
    return bad


# §8 -----------------------------------------------------------------------------------------
def _draw_problems(record: dict, pool_text: str, inspector_pool_text: str | None,
                   say: _Say) -> list[str]:
    """The record against its pools (§2–§6) and its own rules (§3, §7)."""
    bad = []
    if sha256_hex(pool_text.encode("utf-8")) != record["pool_digest"]:
        bad.append(say("pool_digest"))
    if inspector_pool_text is not None and record.get("inspector_pool_digest") and sha256_hex(
            inspector_pool_text.encode("utf-8")) != record["inspector_pool_digest"]:
        bad.append(say("inspector_pool_digest"))
    pool = institutions_of(pool_text)
    if len(pool) != record.get("pool_size", len(pool)):
        bad.append(say("pool_size"))
    params = record["parameters"]
    spec = params.get("institutions")
    if spec is not None and allocation_of(spec, pool) != spec.get("allocation"):
        bad.append(say("allocation"))
    bad += sources_problems(record, lang=say.lang)
    bad += replacement_problems(record, lang=say.lang)
    if record["status"] not in ("completed", "failed"):
        return bad
    if sha256_hex(bytes.fromhex(record["server_seed"])) != record["commitment"]:
        bad.append(say("commitment"))
    seed = derive_seed(record["server_seed"], record["external_value"], record["pool_digest"])
    if seed != record["seed"]:
        bad.append(say("seed"))
    result = record["result"]
    if spec is not None:
        chosen = selection_of(seed, pool, spec["allocation"], spec.get("weights"))
    else:  # a supplementary inspector draw: the institution is given (§7)
        chosen = params["given"]
    if chosen != result.get("institutions"):
        bad.append(say("selection"))
    if inspector_pool_text is not None and "inspectors" in params:
        iseed = sha256_hex(bytes.fromhex(seed) + b"inspectors"
                           + bytes.fromhex(record["inspector_pool_digest"]))
        teams, problems = teams_of(iseed, inspectors_of(inspector_pool_text), chosen, pool,
                                   params["inspectors"])
        if teams != result.get("teams"):
            bad.append(say("teams"))
        if problems != result.get("problems", []):
            bad.append(say("problems"))
        if (record["status"] == "failed") != bool(problems):
            bad.append(say("status", status=show(record["status"])))
    return bad


def verify(record: dict, pool_text: str, inspector_pool_text: str | None = None, *,
           ledger: list[dict] | None = None, public_key: bytes | str | None = None,
           kept_head=None, results: dict | None = None, lang: str = "en") -> list[str]:
    """Every difference between the published ``record`` and what the published pools (and,
    when given, the ``ledger`` signed with ``public_key``, the ``kept_head`` and the plan's
    ``results``) imply, each one message in ``lang`` (``"en"`` or ``"zh"``); an empty list is
    a match.

    ``ledger``: the entries as dicts, in ``seq`` order (:func:`ledger_of` reads the download);
    ``public_key``: the 32 raw key bytes (or the PEM / hex text, see :func:`public_key_of`);
    ``kept_head``: ``(seq, hash)``, ``{"seq", "hash"}`` or ``"SEQ:HASH"``. Raises
    :class:`Unverifiable`, with its message in ``lang``, on unreadable input.
    """
    say = _Say(lang)
    try:
        if not isinstance(record, dict):
            raise Unverifiable("input_malformed", detail="DRAW.json")
        if record.get("algorithm_version") != VERSION:
            return [say("version", version=show(record.get("algorithm_version")),
                        expected=show(VERSION))]
        bad = _draw_problems(record, pool_text, inspector_pool_text, say)
        entries = None
        if ledger is not None:
            if public_key is None:
                raise Unverifiable("ledger_needs_key")
            raw_key = public_key_of(public_key)
            entries = list(ledger)
            bad += chain_problems(entries, raw_key, head_of(kept_head), lang=say.lang)
            bad += draw_ledger_problems(record, entries, lang=say.lang)
        elif kept_head is not None:
            head_of(kept_head)
        if results is not None:
            bad += results_problems(record, results, entries, lang=say.lang)
        return bad
    except Unverifiable as exc:
        raise exc.translated(say.lang) from None
    except KeyError as exc:
        raise Unverifiable("input_key", say.lang, key=show(exc.args[0])) from None
    except (TypeError, ValueError, AttributeError, IndexError) as exc:
        raise Unverifiable("input_malformed", say.lang, detail=str(exc)) from None


def summary(record: dict, problems: list[str], *, inspector_pool: bool = False,
            ledger: list[dict] | None = None, kept_head=None, results: dict | None = None,
            lang: str = "en") -> list[str]:
    """The lines the command line prints for the outcome of :func:`verify`: the verdict
    (``MATCH``, ``MISMATCH`` or ``PENDING``) and what was checked, or each difference."""
    say = _Say(lang)
    if problems:
        return [say("mismatch"), *(f"  - {p}" for p in problems)]
    if record.get("status") not in ("completed", "failed"):
        return [say("pending"), "  " + say("pending_detail", draw=record.get("id"))]
    lines = [say("match"), "  " + say(
        "match_teams" if inspector_pool else "match_institutions", draw=record.get("id"),
        status=say(f"status_{record['status']}"),
        count=len(record["result"].get("institutions", [])))]
    if record.get("external_sources"):
        lines.append("  " + say("match_sources", count=len(record["external_sources"])))
    if ledger is not None:
        last = ledger[-1] if ledger else {"seq": 0, "hash": GENESIS}
        lines.append("  " + say("match_ledger", count=len(ledger), seq=last["seq"],
                                hash=last["hash"]))
        head = head_of(kept_head)
        if head is not None:
            lines.append("  " + say("match_head", seq=head[0]))
    if results is not None:
        mine = [t for t in results.get("tasks", []) if t.get("draw") == record.get("id")]
        lines.append("  " + say("match_results_ledger" if ledger is not None
                                else "match_results", count=len(mine), draw=record.get("id")))
    return lines


def default_language(environ=None) -> str:
    """``zh`` when the locale (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``) is Chinese,
    else ``en``."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return language(environ[name])
    return "en"


def _read_text(path: str, lang: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise Unverifiable("file_unreadable", lang, path=path, detail=exc.strerror or exc) \
            from None
    except UnicodeDecodeError:
        raise Unverifiable("not_utf8", lang, path=path) from None


def _read_json(path: str, lang: str):
    try:
        return json.loads(_read_text(path, lang))
    except ValueError as exc:
        raise Unverifiable("not_json", lang, path=path, detail=str(exc)) from None


def main(argv: list[str]) -> int:
    """The command line (see the module docstring); returns the exit status 0, 1 or 2."""
    args = argv[1:]
    lang = default_language()
    for n, arg in enumerate(args):  # the help itself is in the chosen language
        if arg == "--lang" and n + 1 < len(args):
            lang = language(args[n + 1])
        elif arg.startswith("--lang="):
            lang = language(arg.split("=", 1)[1])
    say = _Say(lang)
    parser = argparse.ArgumentParser(prog="verify_draw.py", description=say("cli_description"))
    parser.add_argument("draw", metavar="DRAW.json", help=say("cli_draw"))
    parser.add_argument("pool", metavar="POOL.tsv", help=say("cli_pool"))
    parser.add_argument("inspector_pool", metavar="INSPECTOR_POOL.tsv", nargs="?",
                        help=say("cli_ipool"))
    parser.add_argument("--ledger", metavar="LEDGER.jsonl", help=say("cli_ledger"))
    parser.add_argument("--key", metavar="KEY.pem", help=say("cli_key"))
    parser.add_argument("--head", metavar="SEQ:HASH", help=say("cli_head"))
    parser.add_argument("--results", metavar="RESULTS.json", help=say("cli_results"))
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=say("cli_lang"))
    options = parser.parse_args(args)
    if options.ledger and not options.key:
        parser.error(say("cli_key_needed"))
    if (options.key or options.head) and not options.ledger:
        parser.error(say("cli_ledger_needed"))
    for stream in (sys.stdout, sys.stderr):  # never fail on a console that lacks a character
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        record = _read_json(options.draw, lang)
        pool = _read_text(options.pool, lang)
        ipool = _read_text(options.inspector_pool, lang) if options.inspector_pool else None
        ledger = public_key = None
        if options.ledger:
            ledger = ledger_of(_read_text(options.ledger, lang))
            public_key = public_key_of(_read_text(options.key, lang))
        head = head_of(options.head)
        results = _read_json(options.results, lang) if options.results else None
        problems = verify(record, pool, ipool, ledger=ledger, public_key=public_key,
                          kept_head=head, results=results, lang=lang)
        lines = summary(record, problems, inspector_pool=ipool is not None, ledger=ledger,
                        kept_head=head, results=results, lang=lang)
    except Unverifiable as exc:
        print(say("cannot_verify", reason=exc.translated(lang)), file=sys.stderr)
        return 2
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        print(say("cannot_verify", reason=say("input_malformed", detail=exc)), file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0 if not problems and record.get("status") in ("completed", "failed") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
