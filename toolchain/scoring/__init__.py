"""Scoring schemas, the reference scorer and evaluation reports.

``writer`` turns an indicator table of the model into a scoring schema,
``semantic`` checks what JSON Schema cannot, ``published`` holds our JSON
Schemas, ``scorer`` scores assessments, ``report`` renders evaluation reports.
"""
from .scorer import AssessmentError, SchemaError, Scorer, score

__all__ = ["AssessmentError", "SchemaError", "Scorer", "score"]
