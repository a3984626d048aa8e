#!/usr/bin/env python3
"""Independent reference for Assay's lc-winrate (stats/LengthControlled, stats/PenalizedLogistic).

Run by hand (not by the build): /usr/bin/python3 reference.py > fixtures.json
Needs Debian's python3-numpy, python3-scipy, python3-sklearn (1.2).

What it computes, from the published method (Dubois et al. 2024, "Length-Controlled AlpacaEval", sec. 3)
and the configuration of tatsu-lab/alpaca_eval src/alpaca_eval/metrics/glm_winrate.py
(GLM_INFO "length_controlled_v1", _get_featurized_data, fit_LogisticRegressionCV):
  * per model, soft label y = p - 1 (p = 0 -> 0.5), features
    [tanh((len_baseline - len_model) / sd), instruction_difficulty, not_gamed_baseline], no intercept,
    sd the sample sd (ddof 1) of the model's deltas (0 feature where sd is 0);
  * gamed baselines (the baseline's verbose/concise variants) as extra rows with not_gamed_baseline = 0
    and weight lambda / (number of gamed baselines), lambda = 0.2, placed before the model's rows;
  * L1-penalised logistic regression, C from np.logspace(-4, 4, 10) by 5-fold CV (row r in fold r % 5),
    fold score -(sum_test w * CE) / n_test, first best C, refit on all rows;
  * LC win rate = 100 * mean over the model's rows of sigmoid(theta_instr * gamma + theta_model).
  * instruction difficulty, when not given: joint fit over all models
    C(model):tanh(std_delta) + C(model) + C(item) (first item by id at 0), same CV; upstream's formula
    also has not_gamed_baseline, which is a sum of per-model bias columns (collinear), left out; C fixed
    at 100 (upstream's C when not cross-validating): a fold holding out every row of the reference item
    makes the item columns collinear with the model biases, so a cross-validated choice is not unique.

Written independently of the Java code: the L1 fits are solved twice, with scikit-learn's liblinear on
upstream's duplicated rows (label 1 with weight y*w, label 0 with weight (1-y)*w) and with scipy's
L-BFGS-B on the split form theta = u - v (u, v >= 0); the script checks they agree and emits the
L-BFGS-B solution.
"""
import json
import sys
import warnings

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

warnings.filterwarnings("ignore")

CS = np.logspace(-4, 4, 10)
FOLDS = 5
LAMBDA = 0.2
JOINT_C = 100.0  # fit_LogisticRegressionCV's C for n_splits=0


def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


def _objective(X, y, w, C):
    def f(theta):
        z = X @ theta
        return C * np.sum(w * (y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))

    def grad(theta):
        return C * (X.T @ (w * (sigmoid(X @ theta) - y)))

    def hess(theta):
        q = sigmoid(X @ theta)
        return C * (X.T @ (X * (w * q * (1 - q))[:, None]))

    return f, grad, hess


def l1_exact(X, y, w, C):
    """argmin sum|theta| + C sum w [-y log s(x theta) - (1-y) log(1 - s(x theta))].

    Two stages: L-BFGS-B on the split form theta = u - v (u, v >= 0) finds the support and signs; then
    Newton (scipy trust-exact, exact Hessian) on the smooth problem restricted to that support, and the
    KKT conditions are checked (|gradient| <= 1 off the support, signs kept on it).
    """
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    f, grad, hess = _objective(X, y, w, C)

    def split(uv):
        theta = uv[:p] - uv[p:]
        g = grad(theta)
        return np.sum(uv) + f(theta), np.concatenate([1 + g, 1 - g])

    res = scipy.optimize.minimize(split, np.zeros(2 * p), jac=True, method="L-BFGS-B",
                                  bounds=[(0, None)] * (2 * p),
                                  options=dict(maxiter=50000, ftol=1e-14, gtol=1e-9))
    rough = res.x[:p] - res.x[p:]
    support = np.flatnonzero(np.abs(rough) > 1e-7)
    signs = np.sign(rough[support])
    theta = np.zeros(p)
    if len(support):
        Xs = X[:, support]
        fs, gs, hs = _objective(Xs, y, w, C)
        r = scipy.optimize.minimize(lambda t: signs @ t + fs(t), rough[support], jac=lambda t: signs + gs(t),
                                    hess=hs, method="trust-exact", options=dict(gtol=1e-12, maxiter=1000))
        theta[support] = r.x
    g = grad(theta)
    off = np.setdiff1d(np.arange(p), support)
    kkt = (len(off) == 0 or np.max(np.abs(g[off])) <= 1 + 1e-6) and np.all(np.sign(theta[support]) == signs)
    if not kkt:
        sys.exit(f"KKT check failed at C={C}: theta={theta}")
    return theta


def l1_liblinear(X, y, w, C):
    """Upstream's trick: each row twice, label 1 weighted y*w and label 0 weighted (1-y)*w."""
    X = sp.csr_matrix(X)
    Xd = sp.vstack([X, X])
    yd = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    wd = np.concatenate([y * w, (1 - y) * w])
    keep = wd > 0
    m = LogisticRegression(penalty="l1", C=C, solver="liblinear", fit_intercept=False, tol=1e-10, max_iter=10000)
    m.fit(Xd[keep], yd[keep], sample_weight=wd[keep])
    return m.coef_[0]


def cv_fit(X, y, w):
    n = len(y)
    scores = np.zeros(len(CS))
    for f in range(FOLDS):
        test = np.arange(n) % FOLDS == f
        train_w = np.where(test, 0.0, w)
        for k, C in enumerate(CS):
            theta = l1_exact(X, y, train_w, C)
            q = np.clip(sigmoid(sp.csr_matrix(X)[test] @ theta), 1e-15, 1 - 1e-15)
            ce = -(y[test] * np.log(q) + (1 - y[test]) * np.log(1 - q))
            scores[k] += -np.sum(w[test] * ce) / test.sum() / FOLDS
    best = int(np.argmax(scores))
    return CS[best], l1_exact(X, y, w, CS[best]), scores


def tanh_std_delta(rows):
    delta = np.array([r[3] - r[2] for r in rows], dtype=float)
    sd = np.std(delta, ddof=1) if len(delta) > 1 else np.nan
    if not np.isfinite(sd) or sd == 0:
        return np.zeros(len(delta))
    return np.tanh(delta / sd)


def label(p):
    return 0.5 if p == 0 else p - 1


def is_gamed(model, baseline):
    return model != baseline and baseline in model and ("verbose" in model or "concise" in model)


def model_problem(rows, gamed, gamma):
    X, y, w = [], [], []
    for g in sorted(gamed):
        t = tanh_std_delta(gamed[g])
        for r, ti in zip(gamed[g], t):
            X.append([ti, gamma[r[0]], 0.0]); y.append(label(r[1])); w.append(LAMBDA / len(gamed))
    t = tanh_std_delta(rows)
    for r, ti in zip(rows, t):
        X.append([ti, gamma[r[0]], 1.0]); y.append(label(r[1])); w.append(1.0)
    return np.array(X), np.array(y), np.array(w)


def lc(rows, gamma, theta):
    g = np.array([gamma[r[0]] for r in rows])
    return 100 * float(np.mean(sigmoid(theta[1] * g + theta[2])))


def estimate_difficulty(pairs, baseline):
    models = sorted(pairs)
    items = sorted({r[0] for m in models for r in pairs[m]})
    col = {it: 2 * len(models) + k - 1 for k, it in enumerate(items) if k > 0}
    p = 2 * len(models) + len(items) - 1
    X, y = [], []
    for mi, m in enumerate(models):
        t = tanh_std_delta(pairs[m])
        for r, ti in zip(pairs[m], t):
            x = np.zeros(p)
            x[2 * mi] = ti
            x[2 * mi + 1] = 1
            if r[0] in col:
                x[col[r[0]]] = 1
            X.append(x); y.append(label(r[1]))
    X, y = np.array(X), np.array(y)
    theta = l1_exact(X, y, np.ones(len(y)), JOINT_C)
    return {it: (float(theta[col[it]]) if it in col else 0.0) for it in items}, JOINT_C


def case(name, baseline, pairs, gamma_given):
    gamed = {m: pairs[m] for m in pairs if is_gamed(m, baseline)}
    out = dict(name=name, baseline=baseline, pairs=pairs, difficulty=gamma_given, expected={})
    if gamma_given is None:
        gamma, c_joint = estimate_difficulty(pairs, baseline)
        out["expected"]["difficulty"] = gamma
        out["expected"]["difficulty_c"] = c_joint
    else:
        gamma = gamma_given
    models = {}
    for m in sorted(pairs):
        X, y, w = model_problem(pairs[m], gamed, gamma)
        c, theta, scores = cv_fit(X, y, w)
        fixed = {}
        for cf in (0.05, 1.0, 100.0):
            th_a = l1_exact(X, y, w, cf)
            th_b = l1_liblinear(X, y, w, cf)
            if abs(lc(pairs[m], gamma, th_a) - lc(pairs[m], gamma, th_b)) > 1e-4:
                sys.exit(f"{name}/{m}/C={cf}: L-BFGS-B {th_a} and liblinear {th_b} disagree")
            fixed[repr(cf)] = dict(lc=lc(pairs[m], gamma, th_a), theta=th_a.tolist())
        models[m] = dict(lc=lc(pairs[m], gamma, theta), theta=theta.tolist(), c=float(c),
                         win_rate=100 * float(np.mean([label(r[1]) for r in pairs[m]])), fixed=fixed)
    out["expected"]["models"] = models
    return out


def simulate(seed, n_items, models, baseline, draw_rate=0.05):
    """Preferences from a known length-biased judge: logit = quality + 0.8 tanh(delta/400) + item effect."""
    rng = np.random.default_rng(seed)
    items = [f"q{k:03d}" for k in range(n_items)]
    gamma_true = {it: float(np.round(rng.normal(0, 1), 6)) for it in items}
    base_len = {it: int(rng.integers(200, 1500)) for it in items}
    pairs = {}
    for m, (quality, extra_len) in models.items():
        rows = []
        for it in items:
            ans = max(1, int(base_len[it] + extra_len + rng.normal(0, 250)))
            z = quality + 0.8 * np.tanh((ans - base_len[it]) / 400) - 0.7 * gamma_true[it]
            u = rng.random()
            if u < draw_rate:
                pref = 0.0
            elif u < 0.5:
                pref = float(1 + (rng.random() < sigmoid(z)))  # a hard verdict
            else:
                pref = float(np.round(1 + sigmoid(z + rng.normal(0, 0.5)), 6))  # a weighted one
            rows.append([it, pref, ans, base_len[it]])
        pairs[m] = rows
    return pairs, gamma_true


def main():
    baseline = "gpt4"
    models = {
        "alpha": (0.3, 0.0),
        "long-talker": (-0.2, 600.0),
        "terse": (0.1, -300.0),
        "gpt4-verbose": (0.0, 500.0),
        "gpt4-concise": (0.0, -400.0),
    }
    pairs, gamma = simulate(7, 60, models, baseline)
    plain = {m: r for m, r in pairs.items() if not is_gamed(m, baseline)}
    small, small_gamma = simulate(11, 12, {"alpha": (0.5, 100.0), "beta": (-0.5, -100.0)}, baseline)
    cases = [
        case("difficulty given, gamed baselines", baseline, pairs, gamma),
        case("difficulty given, no gamed baselines", baseline, plain, gamma),
        case("difficulty estimated, gamed baselines", baseline, pairs, None),
        case("difficulty estimated, small", baseline, small, None),
    ]
    json.dump(dict(source="reference.py (scipy L-BFGS-B, cross-checked with sklearn liblinear)", cases=cases),
              sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
