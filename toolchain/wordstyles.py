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
FOREWORD_TITLE = "标准文件_前言、引言标题"
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
    "dash": "标准文件_破折号列项",
    "dash2": "标准文件_破折号列项（二级）",
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

# Character styles.
SOURCE = "标准文件_来源"
