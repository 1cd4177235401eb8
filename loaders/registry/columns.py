"""The columns of the regulator's institution registry sheet (机构名录), and their value lists.

One row per institution and its qualification certificate (资质认定证书). The Chinese headers are
the sheet's own and are matched exactly (order-free); the cell vocabularies below are what the
regulator's sheet uses. Sources: seed 001 §三(三) (the registry), seed 003 §3 (permit modes),
SAMR 2022 opinion No. 6 (credit risk classes A–D).
"""

from __future__ import annotations

from institutions.models import CreditClass, InstitutionNature
from qualifications.models import PermitMode

NAME = "机构名称"
USCC = "统一社会信用代码"
REGION = "所在地区代码"
FIELDS = "检验检测领域"
CERT_NUMBER = "资质认定证书编号"
ISSUED = "发证日期"
VALID_UNTIL = "有效期至"
AUTHORITY = "发证机关"
NATIONAL_CENTRE = "是否国家质检中心"
NATURE = "机构性质"
CONTACT = "联系人"
PHONE = "联系电话"
ADDRESS = "地址"
CREDIT = "信用风险分类"
CNAS = "是否CNAS认可"
PERMIT = "许可方式"

#: Every header of the sheet, in the regulator's order (the generator and the export use it).
HEADERS: tuple[str, ...] = (
    NAME, USCC, REGION, FIELDS, CERT_NUMBER, ISSUED, VALID_UNTIL, AUTHORITY, NATIONAL_CENTRE,
    NATURE, CONTACT, PHONE, ADDRESS, CREDIT, CNAS, PERMIT,
)
#: Columns an import cannot do without. A missing optional column leaves the stored value of an
#: existing institution unchanged and takes the model default for a new one; a missing
#: 发证机关 is derived from the certificate number.
REQUIRED: frozenset[str] = frozenset(
    {NAME, USCC, REGION, FIELDS, CERT_NUMBER, ISSUED, VALID_UNTIL})

#: Separator of the names in a 检验检测领域 cell (the full-width semicolon); the import also
#: accepts ``;`` ``，`` ``,`` and ``、``.
FIELD_SEPARATOR = "；"
FIELD_SEPARATORS = "；;，,、"

YES, NO = "是", "否"
YES_VALUES = frozenset({"是", "y", "yes", "true", "1", "√"})
NO_VALUES = frozenset({"否", "n", "no", "false", "0", "×", ""})

NATURE_BY_LABEL: dict[str, str] = {
    "事业单位": InstitutionNature.PUBLIC_INSTITUTION,
    "国有企业": InstitutionNature.STATE_ENTERPRISE,
    "民营企业": InstitutionNature.PRIVATE_ENTERPRISE,
    "外资企业": InstitutionNature.FOREIGN,
    "其他": InstitutionNature.OTHER,
}
LABEL_BY_NATURE = {v: k for k, v in NATURE_BY_LABEL.items()}

PERMIT_BY_LABEL: dict[str, str] = {
    "一般程序": PermitMode.STANDARD,
    "告知承诺": PermitMode.NOTIFY_COMMIT,
    "自我声明": PermitMode.SELF_DECLARATION,
    "变更备案": PermitMode.CHANGE_FILING,
}
LABEL_BY_PERMIT = {v: k for k, v in PERMIT_BY_LABEL.items()}

CREDIT_CLASSES: frozenset[str] = frozenset(CreditClass.values)

#: The issuing authority of national-level certificates (authority segment ``00``).
NATIONAL_AUTHORITY = "国家市场监督管理总局"
#: A provincial certificate's issuing authority is the province's name plus this suffix.
PROVINCIAL_AUTHORITY_SUFFIX = "市场监督管理局"


def issuing_authority_name(*, segment: str, province_name: str | None) -> str:
    """The 发证机关 of a certificate: SAMR for segment ``00``, else "<province>市场监督管理局".

    ``segment``: the 2-digit issuing-authority segment of the certificate number;
    ``province_name``: the province's name from the Region table (``None`` if unknown, which
    gives ``""``).
    """
    if segment == "00":
        return NATIONAL_AUTHORITY
    return province_name + PROVINCIAL_AUTHORITY_SUFFIX if province_name else ""
