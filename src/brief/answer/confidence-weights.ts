// The fitted weights are written by `node tests/bench/_ask-calibrate.ts --write`, from the
// calibration half of the SQuAD 2.0 dev split only. Refit rather than edit by hand.

/** A fitted model: the intercept, then one weight per feature of CONFIDENCE_FEATURES. */
export interface ConfidenceWeights {
  intercept: number;
  weights: readonly number[];
}

export const CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  intercept: -6.3622,
  weights: [
    2.1558, 0, 0, 3.7854, 0.2534, 2.0666, 0, 0, 0.2184, 0.1006, 0, 0, -0.0788, 0, -0.7236, 0, 0, -0.4621,
  ],
};
