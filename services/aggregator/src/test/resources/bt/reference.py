#!/usr/bin/python3
"""Reference Bradley-Terry ratings for BradleyTerryTest, computed independently of the Java code.

Run by hand (the build does not): /usr/bin/python3 reference.py  (Debian's python3-sklearn,
python3-scipy, python3-numpy). It rewrites the *.json fixtures next to it.

The fit is Chatbot Arena's compute_mle_elo (lm-sys/FastChat, fastchat/serve/monitor/elo_analysis.py,
fit_mle_elo; the notebook version duplicates every battle and turns a tie into one win and one loss):
a logistic regression without intercept or penalty on columns +ln 10 for model a and -ln 10 for
model b; here the duplicated rows are two weighted rows per pair (y = 1 with weight wins + ties/2,
y = 0 with weight losses + ties/2), which has the same likelihood. Elo = 400 * coef + 1000.

Identification (what the MLE can say) is decided here with scipy's strongly connected components
of the "scored against" graph (i -> j when i won or tied against j; Ford 1957): the reference is the
anchor's component, or without an anchor the largest (most models, then most battles inside, then
first by name; at least two models), centred on its mean. Within a component the maximum-likelihood
differences are those of the battles inside it (across components the likelihood's supremum sends
the gaps to infinity, where the cross terms tend to 1), so the regression is fitted on those battles
only, with the first model's column dropped so the design has full rank.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))


def components(models, battles):
    idx = {m: i for i, m in enumerate(models)}
    k = len(models)
    adj = np.zeros((k, k))
    for a, b, wins, ties, losses in battles:
        if wins + ties > 0:
            adj[idx[a], idx[b]] = 1
        if losses + ties > 0:
            adj[idx[b], idx[a]] = 1
    _, labels = connected_components(scipy.sparse.csr_matrix(adj), directed=True, connection="strong")
    return labels


def reference(models, battles, anchor):
    labels = components(models, battles)
    if anchor is not None:
        return [m for i, m in enumerate(models) if labels[i] == labels[models.index(anchor)]]
    best = None
    for i, m in enumerate(models):
        members = [x for j, x in enumerate(models) if labels[j] == labels[i]]
        inside = sum(w + t + l for a, b, w, t, l in battles if a in members and b in members)
        key = (len(members), inside)
        if len(members) >= 2 and (best is None or key > best[0]):
            best = (key, members)
    return [] if best is None else best[1]


def fit(models, battles, anchor):
    ref = reference(models, battles, anchor)
    if len(ref) < 2:
        return {m: 1000.0 for m in ref}, ref
    inside = [x for x in battles if x[0] in ref and x[1] in ref]
    cols = {m: i for i, m in enumerate(ref[1:])}
    rows, ys, weights = [], [], []
    for a, b, wins, ties, losses in inside:
        x = np.zeros(len(cols))
        if a in cols:
            x[cols[a]] += math.log(10)
        if b in cols:
            x[cols[b]] -= math.log(10)
        for y, w in ((1, wins + ties / 2), (0, losses + ties / 2)):
            if w > 0:
                rows.append(x)
                ys.append(y)
                weights.append(w)
    lr = LogisticRegression(fit_intercept=False, penalty=None, solver="newton-cg", tol=1e-10, max_iter=10000)
    X, Y, W = np.array(rows), np.array(ys), np.array(weights)
    with warnings.catch_warnings():
        # newton-cg's line search stalls at rounding level before tol and says so; the gradient
        # check below is the convergence test that counts
        warnings.simplefilter("ignore", ConvergenceWarning)
        lr.fit(X, Y, sample_weight=W)
    p = 1 / (1 + np.exp(-X @ lr.coef_[0]))
    gradient = X.T @ (W * (Y - p))
    assert np.max(np.abs(gradient)) < 1e-7, gradient
    coef = {ref[0]: 0.0}
    coef.update({m: lr.coef_[0][i] for m, i in cols.items()})
    centre = coef[anchor] if anchor is not None else sum(coef.values()) / len(coef)
    return {m: 1000 + 400 * (c - centre) for m, c in coef.items()}, ref


CASES = {
    "dense": {
        "about": "4 models, every pair met, ties included",
        "battles": [
            ["a", "b", 30, 5, 20], ["a", "c", 40, 2, 10], ["a", "d", 25, 0, 25],
            ["b", "c", 22, 8, 18], ["b", "d", 15, 3, 30], ["c", "d", 10, 4, 35],
        ],
        "anchors": [None, "c"],
    },
    "sparse": {
        "about": "issue 13: three models with 203, 202 and 5 battles",
        "battles": [["a", "b", 110, 20, 70], ["a", "d", 2, 0, 1], ["b", "d", 1, 0, 1]],
        "anchors": [None, "a"],
    },
    "one-baseline": {
        "about": "3 models each judged only against one baseline, wins and losses both ways",
        "battles": [["x", "base", 30, 5, 15], ["y", "base", 10, 5, 35], ["z", "base", 20, 10, 20]],
        "anchors": [None, "base"],
    },
    "one-baseline-sweep": {
        "about": "the one-baseline case plus a model that won all 12 of its battles: not identified",
        "battles": [
            ["x", "base", 30, 5, 15], ["y", "base", 10, 5, 35], ["z", "base", 20, 10, 20],
            ["sweep", "base", 12, 0, 0],
        ],
        "anchors": [None, "base", "sweep"],
    },
    "disconnected": {
        "about": "two groups that never met; without an anchor the one with more battles is the reference",
        "battles": [["a", "b", 6, 2, 4], ["c", "d", 20, 5, 15]],
        "anchors": [None, "a"],
    },
}

# the star's closed form, R_x - R_base = 400 log10(score / (n - score)), checks the regression
star, _ = fit(["base", "x", "y", "z"], CASES["one-baseline"]["battles"], "base")
assert abs(star["x"] - (1000 + 400 * math.log10(32.5 / 17.5))) < 1e-6, star

for name, case in CASES.items():
    models = sorted({m for x in case["battles"] for m in x[:2]})
    fits = []
    for anchor in case["anchors"]:
        ratings, ref = fit(models, case["battles"], anchor)
        fits.append({"anchor": anchor, "identified": sorted(ref), "ratings": ratings})
    out = {
        "about": case["about"],
        "source": "services/aggregator/src/test/resources/bt/reference.py (sklearn LogisticRegression)",
        "battles": [{"a": a, "b": b, "wins": w, "ties": t, "losses": l} for a, b, w, t, l in case["battles"]],
        "fits": fits,
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(name, json.dumps(fits))
