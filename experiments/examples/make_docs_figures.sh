#!/usr/bin/env bash
# Run the four example experiments and copy their key figures into docs/figures/ (about 6 min on 2 idle cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-siaga-experiments}
for name in mission_kepahiang timing_kepahiang mission_tanjabtim; do
  siaga experiment run "experiments/examples/$name.toml" --out "$OUT/$name" --quiet --resume
done
siaga experiment sensitivity experiments/examples/sensitivity_kepahiang.toml --out "$OUT/sensitivity_kepahiang" --quiet --resume
cp "$OUT/mission_kepahiang/report/comparison_p000.png" docs/figures/exp_mission_kepahiang_comparison.png
cp "$OUT/mission_kepahiang/report/fan_cum_incidents.png" docs/figures/exp_mission_kepahiang_fan_incidents.png
cp "$OUT/timing_kepahiang/report/dose_policy_kades_delay_days_incidents.png" docs/figures/exp_timing_delay.png
cp "$OUT/timing_kepahiang/report/dose_policy_kades_act_level_incidents.png" docs/figures/exp_timing_level.png
cp "$OUT/mission_tanjabtim/report/comparison_p000.png" docs/figures/exp_mission_tanjabtim_comparison.png
cp "$OUT/sensitivity_kepahiang/sensitivity.png" docs/figures/exp_sensitivity_morris.png
echo "figures copied to docs/figures/exp_*.png"
