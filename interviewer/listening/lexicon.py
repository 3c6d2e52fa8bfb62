"""Techniques candidates name on any question, for digging into a choice a rubric did not foresee.

A rubric's own techniques come first (their follow-ups fit the scenario); these generic ones give
the interviewer something grounded to ask when the candidate names anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.matching.text import content_stems


@dataclass(frozen=True)
class GenericTechnique:
    id: str
    name: str
    phrases: tuple[str, ...]
    alternative: str  # what to weigh it against in "why X rather than Y?"
    model: bool = True  # a model is served, so "how would it run in production?" makes sense

    asks: tuple[str, ...] = ()  # questions of its own, asked before the generic ones

    def follow_ups(self, said: str = "") -> list[str]:
        """`said`: the candidate's sentence; "why X rather than Y" is pointless once they named Y too."""
        contrast = [] if set(content_stems(self.alternative)) & set(content_stems(said)) else [
            f"Why {self.name} rather than {self.alternative} here?"
        ]
        asks = [*self.asks, *contrast, f"Where would you expect {self.name} to struggle on this problem?"]
        if self.model:
            asks.append(f"How would {self.name} run in production here, and what would it cost?")
        return asks


LEXICON: tuple[GenericTechnique, ...] = (
    GenericTechnique("gradient-boosting", "gradient boosting",
                     ("gradient boosting", "gradient boosted", "xgboost", "lightgbm", "catboost", "gbdt", "boosted trees"),
                     "a simpler linear model"),
    GenericTechnique("random-forest", "a random forest", ("random forest",), "gradient boosting"),
    GenericTechnique("logistic-regression", "logistic regression", ("logistic regression",), "a tree ensemble"),
    GenericTechnique("linear-regression", "linear regression", ("linear regression",), "a tree ensemble"),
    GenericTechnique("neural-network", "a neural network",
                     ("neural network", "neural net", "deep learning", "deep neural", "mlp"), "gradient boosting"),
    GenericTechnique("transformer", "a transformer", ("transformer", "bert", "self-attention"), "a smaller model"),
    GenericTechnique("recurrent-network", "a recurrent network", ("lstm", "rnn", "recurrent", "gru"), "a transformer"),
    GenericTechnique("convolutional-network", "a convolutional network", ("cnn", "convolutional"), "a pretrained model"),
    GenericTechnique("two-tower", "a two-tower model", ("two tower", "two-tower", "dual encoder"), "a single ranking model"),
    GenericTechnique("collaborative-filtering", "collaborative filtering",
                     ("collaborative filtering", "matrix factorization", "matrix factorisation"),
                     "content-based features"),
    GenericTechnique("k-means", "k-means", ("k-means", "kmeans", "k means"), "a density-based method like DBSCAN"),
    GenericTechnique("pca", "PCA", ("pca", "principal component"), "keeping the raw features", model=False),
    GenericTechnique("oversampling", "oversampling", ("smote", "oversampl", "upsampl"), "class weights", model=False),
    GenericTechnique("undersampling", "undersampling", ("undersampl", "downsampl"), "class weights", model=False),
    GenericTechnique("class-weights", "class weights", ("class weight", "weighted loss", "cost-sensitive"),
                     "resampling the data", model=False),
    GenericTechnique("cross-validation", "cross-validation", ("cross-validation", "cross validation", "k-fold", "kfold"),
                     "a single held-out split", model=False),
    GenericTechnique("ab-test", "an A/B test", ("a/b test", "ab test", "a b test", "a/b experiment"),
                     "an offline backtest", model=False,
                     asks=("What would you randomise on in the A/B test here, and how long would you run it?",)),
    GenericTechnique("feature-store", "a feature store", ("feature store",), "computing features at request time",
                     model=False),
    GenericTechnique("caching", "caching", ("cache", "caching", "precompute"), "computing on every request", model=False),
)
