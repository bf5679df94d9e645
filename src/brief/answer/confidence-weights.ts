// The fitted weights are written by `node tests/bench/_ask-calibrate.ts --write`, from the
// calibration half of the SQuAD 2.0 dev split only. Refit rather than edit by hand.

/** A fitted model: the intercept, then one weight per feature of CONFIDENCE_FEATURES. */
export interface ConfidenceWeights {
  intercept: number;
  weights: readonly number[];
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  intercept: -5.827,
  weights: [
    2.4847, 0, 0, 3.4907, 0, 1.0961, 0, 0, 0.216, 0.1248, 0, 0.1291, -0.1222, 0, -0.7317, 0, 0, -0.4875, 0, 0,
    0,
  ],
};
