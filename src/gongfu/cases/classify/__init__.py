"""Automatic classification of a request's category from its text (TF-IDF + linear models, ensembled).

Trained on the labelled citizen messages of the 第八届“泰迪杯”数据挖掘挑战赛 C题 (2020) — credit the
competition wherever a model trained on them is used. The data itself is never copied into the repository.
"""

from gongfu.errors import require

require("sklearn", "cases", "诉求自动分类")

from gongfu.cases.classify.data import LabelledSet, read_labelled, read_unlabelled  # noqa: E402
from gongfu.cases.classify.model import CaseClassifier, Prediction, default_model_path, load_model  # noqa: E402
from gongfu.cases.classify.train import Evaluation, evaluate_holdout, train_model  # noqa: E402

__all__ = [
    "CaseClassifier",
    "Evaluation",
    "LabelledSet",
    "Prediction",
    "default_model_path",
    "evaluate_holdout",
    "load_model",
    "read_labelled",
    "read_unlabelled",
    "train_model",
]
