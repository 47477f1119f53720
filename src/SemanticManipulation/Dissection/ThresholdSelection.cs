namespace SemanticManipulation.Dissection;

/// <summary>
/// GAN Dissection's unit–concept score. For each candidate threshold t of a unit, the thresholded map and the concept
/// mask form a 2×2 table of pixel fractions; the threshold kept is the one with the largest information quality ratio
/// IQR = I(unit; concept) / H(unit, concept) (mutual information over joint entropy), among thresholds that are positive
/// and where unit and concept are positively associated (as netdissect's <c>collect_iqr</c>). The unit's score for the
/// concept is the IoU at that threshold.
/// </summary>
internal static class ThresholdSelection
{
    /// <summary>The IQR-optimal threshold index and its IQR and IoU; (-1, 0, 0) when no threshold qualifies.</summary>
    /// <param name="thresholds">The unit's candidate thresholds.</param>
    /// <param name="above">Pixels above each threshold.</param>
    /// <param name="aboveWithin">Pixels of the concept above each threshold.</param>
    /// <param name="conceptPixels">Pixels of the concept.</param>
    /// <param name="totalPixels">All pixels.</param>
    public static (int Index, double Iqr, double Iou) Select(
        ReadOnlySpan<float> thresholds, long[] above, long[] aboveWithin, long conceptPixels, long totalPixels)
    {
        var best = (Index: -1, Iqr: 0.0, Iou: 0.0);
        if (conceptPixels == 0 || totalPixels == 0)
        {
            return best;
        }

        double n = totalPixels;
        var pConcept = conceptPixels / n;
        for (var k = 0; k < thresholds.Length; k++)
        {
            var pUnit = above[k] / n;
            var both = aboveWithin[k] / n;
            if (!(thresholds[k] > 0) || both <= pUnit * pConcept)
            {
                continue;
            }

            double[] joint = [both, pUnit - both, pConcept - both, 1 - pUnit - pConcept + both];
            var marginalsUnit = new[] { pUnit, 1 - pUnit };
            var marginalsConcept = new[] { pConcept, 1 - pConcept };
            double information = 0, entropy = 0;
            for (var cell = 0; cell < 4; cell++)
            {
                var p = Math.Max(joint[cell], 0);
                if (p <= 0)
                {
                    continue;
                }

                var independent = marginalsUnit[cell / 2 == 0 ? 0 : 1] * marginalsConcept[cell % 2 == 0 ? 0 : 1];
                information += p * Math.Log(p / independent);
                entropy -= p * Math.Log(p);
            }

            var iqr = entropy > 0 ? Math.Max(information, 0) / entropy : 0;
            if (iqr > best.Iqr)
            {
                var union = above[k] + conceptPixels - aboveWithin[k];
                best = (k, iqr, union > 0 ? aboveWithin[k] / (double)union : 0);
            }
        }

        return best;
    }
}
