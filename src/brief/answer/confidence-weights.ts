// The fitted weights are written by `node tests/bench/_ask-calibrate.ts --write`, from the
// calibration half of the SQuAD 2.0 dev split only. Refit rather than edit by hand.

/** A fitted model: the intercept, then one weight per feature of CONFIDENCE_FEATURES. */
export interface ConfidenceWeights {
  intercept: number;
  weights: readonly number[];
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  intercept: -5.909,
  weights: [
    2.1383, 0, 0, 3.3712, 0.2641, 2.0883, 0, 0, 0.1784, 0.0838, 0, 0, -0.0891, 0, -0.7375, 0, 0, -0.4504,
  ],
};
