#!/usr/bin/env python3
"""Independent check of lc-winrate's delta-method interval (stats/LengthControlled.interval), by hand in numpy.

Run by hand (not by the build): /usr/bin/python3 delta.py   (needs Debian's python3-numpy)

For the case "difficulty given, gamed baselines" of fixtures.json and its model "alpha", with the coefficients theta
the view's cross-validated fit gives (printed by LengthControlledTest, pasted below; the fit itself is checked
against reference.py), it writes out the published definition (README, "lc-winrate"):
  rows: the gamed baselines' (by model id; x = [tanh(std delta), gamma, 0], weight 0.2 / 2), then the model's
        (x = [tanh(std delta), gamma, 1], weight 1); std delta = (len_baseline - len_model) / sd, sd the sample sd
        (ddof 1) of each block's own deltas; label y = p - 1, p = 0 -> 0.5
  H = sum w p(1-p) x x^T, B = sum w^2 (y-p)^2 x x^T at theta; V = pinv(H) B pinv(H)
  g = 100 * mean over the model's rows of s(1-s) * [0, gamma, 1], s = sigmoid(theta_instr gamma + theta_model)
  lc_standard_error = 100 * sd(s, ddof 1) / sqrt(n); LC = 100 * mean(s)
  interval = LC -+ 1.959963984540054 * sqrt(g^T V g + lc_standard_error^2), clipped to [0, 100]
"""
import json
import os

import numpy as np

THETA = np.array([-0.48673762950266974, -0.5244966507571178, 0.05483787351964278])
HERE = os.path.dirname(os.path.abspath(__file__))
case = next(c for c in json.load(open(os.path.join(HERE, "fixtures.json")))["cases"]
            if c["name"] == "difficulty given, gamed baselines")
gamma = case["difficulty"]
baseline = case["baseline"]


def block(pairs, not_gamed, weight):
    delta = np.array([b - a for _, _, a, b in pairs], dtype=float)
    sd = delta.std(ddof=1)
    t = np.tanh(delta / sd) if sd > 0 else np.zeros_like(delta)
    g = np.array([gamma[i] for i, _, _, _ in pairs])
    y = np.array([0.5 if p == 0 else p - 1 for _, p, _, _ in pairs])
    x = np.column_stack([t, g, np.full(len(pairs), not_gamed)])
    return x, y, np.full(len(pairs), weight)


gamed = sorted(m for m in case["pairs"] if baseline in m and m != baseline and ("verbose" in m or "concise" in m))
blocks = [block(case["pairs"][m], 0.0, 0.2 / len(gamed)) for m in gamed] + [block(case["pairs"]["alpha"], 1.0, 1.0)]
x = np.vstack([b[0] for b in blocks])
y = np.concatenate([b[1] for b in blocks])
w = np.concatenate([b[2] for b in blocks])
p = 1 / (1 + np.exp(-x @ THETA))
h = (x * (w * p * (1 - p))[:, None]).T @ x
b = (x * (w ** 2 * (y - p) ** 2)[:, None]).T @ x
v = np.linalg.pinv(h) @ b @ np.linalg.pinv(h)
model_gamma = blocks[-1][0][:, 1]
s = 1 / (1 + np.exp(-(THETA[1] * model_gamma + THETA[2])))
n = len(s)
g = 100 * np.array([0.0, np.mean(s * (1 - s) * model_gamma), np.mean(s * (1 - s))])
lc = 100 * s.mean()
se = 100 * s.std(ddof=1) / np.sqrt(n)
half = 1.959963984540054 * np.sqrt(g @ v @ g + se ** 2)
print(repr(float(lc)), repr(float(se)), repr(float(max(0.0, lc - half))), repr(float(min(100.0, lc + half))))
