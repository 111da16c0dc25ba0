"""Review records of a standard: comment-resolution rounds and letter ballots.

A standard's folder holds ``comments/*.yaml`` (one consultation round each,
the canonical store of the 意见汇总处理表) and ``ballots/*.yaml`` (函审).
``comments`` and ``ballots`` load and model them, ``tables`` moves rounds to
and from spreadsheets, ``render`` prints the forms, ``records`` finds the
records that belong to a source file.
"""
