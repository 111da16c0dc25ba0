"""Word style names shared by the .docx writer and the .docx importer.

The names are those of the GB/T 1.1—2020 Word templates in public use (标准文件_*), so that a
file gbstd writes can be edited with a committee's own template, and a draft made from such
a template imports by its styles. See ../shared/reference/word-and-layout.md, section 2.
"""
from __future__ import annotations

# Paragraph styles, by the role the element plays in a GB/T 1.1 document.
COVER = {
    "family": "标准称谓",
    "designation": "标准文件_文件编号",
    "replaces": "标准文件_替换文件编号",
    "title": "标准文件_文件名称",
    "title_en": "封面标准英文名称",
    "issue_date": "其他发布日期",
    "implementation_date": "其他实施日期",
    "issuer": "其他发布部门",
}
TOC_TITLE = "标准文件_目录标题"
# The entries of Word's TOC field: Word itself styles them "toc 1", "toc 2" when it updates
# the field, so these are Word's built-in names, not the templates' "目次、索引正文".
TOC_ENTRY = {1: "toc 1", 2: "toc 2"}
FOREWORD_TITLE = "标准文件_前言、引言标题"
INTRODUCTION_TITLE = "标准文件_引言标题"
BODY_TITLE = "标准文件_正文标准名称"
BIBLIOGRAPHY_TITLE = "标准文件_参考文献标题"
BIBLIOGRAPHY_ENTRY = "标准文件_参考文献条目"

CHAPTER = "标准文件_章标题"
# Titled clauses by depth below the chapter (1 = x.y, … 5 = x.y.z.w.v.u).
CLAUSE = {1: "标准文件_一级条标题", 2: "标准文件_二级条标题", 3: "标准文件_三级条标题",
          4: "标准文件_四级条标题", 5: "标准文件_五级条标题"}
# Untitled clauses: the number runs into the first line of text.
UNTITLED_CLAUSE = {1: "标准文件_一级无标题", 2: "标准文件_二级无标题", 3: "标准文件_三级无标题",
                   4: "标准文件_四级无标题", 5: "标准文件_五级无标题"}

ANNEX_LABEL = "标准文件_附录标识"
ANNEX_CHAPTER = "标准文件_附录章标题"
ANNEX_CLAUSE = {1: "标准文件_附录一级条标题", 2: "标准文件_附录二级条标题",
                3: "标准文件_附录三级条标题", 4: "标准文件_附录四级条标题",
                5: "标准文件_附录五级条标题"}

PARAGRAPH = "标准文件_段"
LIST_ITEM = {
    "letter": "标准文件_字母编号列项（一级）",
    "number": "标准文件_数字编号列项（二级）",
    "number1": "标准文件_数字编号列项",          # 1) as a first-level list
    "dash": "标准文件_破折号列项",
    "dash2": "标准文件_破折号列项（二级）",
    "level3": "标准文件_编号列项（三级）",
}
NOTE = "标准文件_注："
NOTE_NUMBERED = "标准文件_注×："
EXAMPLE = "标准文件_示例："
EXAMPLE_NUMBERED = "标准文件_示例×："
TERM_ENTRY = {1: "标准文件_术语条一", 2: "标准文件_术语条二", 3: "标准文件_术语条三",
              4: "标准文件_术语条四", 5: "标准文件_术语条五"}
TABLE_TITLE = "标准文件_正文表标题"
ANNEX_TABLE_TITLE = "标准文件_附录表标题"
FIGURE_TITLE = "标准文件_正文图标题"
ANNEX_FIGURE_TITLE = "标准文件_附录图标题"
TABLE_TEXT = "标准文件_表格"
FORMULA = "标准文件_正文公式"
ANNEX_FORMULA = "标准文件_附录公式"
END_LINE = "标准文件_终结线"

EXAMPLE_CONTENT = "标准文件_示例内容"

# Character styles.
SOURCE = "标准文件_来源"

# gbstd's own names, for elements no public template names (extend, never rename: the
# importer reads them). They keep the 标准文件_ prefix so that they sort with the others.
COVER_EXTRA = {
    "classification": "标准文件_封面分类号",     # ICS / CCS lines, top left
    "stage": "标准文件_封面稿次",               # （征求意见稿）
    "patent": "标准文件_封面专利提示",           # the patent sentence of drafts
    "open_findings": "标准文件_草稿标记",        # gbstd build --draft: 含未解决的检查结果（N 条）
}
TERM_EN = "标准文件_术语英文对应词"              # character style: the English equivalent
FORMULA_WHERE = "标准文件_式中"                 # “式中：” and each symbol line below a formula
GAP = "标准文件_缺口"                           # 〔原文缺失〕… : content the source does not give
TABLE_NOTE = "标准文件_表注"                     # grades and notes printed under a table
FOOTNOTE_TEXT = "footnote text"                 # Word's built-in names: a footnote's text
FOOTNOTE_REFERENCE = "footnote reference"       # and its mark (character style)
