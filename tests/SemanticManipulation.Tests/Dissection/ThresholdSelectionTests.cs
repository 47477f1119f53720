using SemanticManipulation.Dissection;
using Xunit;

namespace SemanticManipulation.Tests.Dissection;

public sealed class ThresholdSelectionTests
{
    [Fact]
    public void The_threshold_where_the_unit_matches_the_concept_best_is_chosen()
    {
        // 100 pixels, the concept covers 20. Above threshold 0: 50 pixels (all 20 of the concept); above 1: exactly the
        // concept's 20; above 2: 5 of them.
        float[] thresholds = [0.5f, 1f, 2f];
        long[] above = [50, 20, 5];
        long[] within = [20, 20, 5];

        var (index, iqr, iou) = ThresholdSelection.Select(thresholds, above, within, conceptPixels: 20, totalPixels: 100);

        Assert.Equal(1, index);
        Assert.Equal(1.0, iou, 12);
        Assert.Equal(1.0, iqr, 12);
    }

    [Fact]
    public void Negative_thresholds_and_negative_association_never_qualify()
    {
        // The unit is above threshold mostly outside the concept (20% within vs the concept's 20% overall: no association).
        var none = ThresholdSelection.Select([1f], [50], [10], conceptPixels: 20, totalPixels: 100);
        var negative = ThresholdSelection.Select([-1f], [20], [20], conceptPixels: 20, totalPixels: 100);

        Assert.Equal((-1, 0.0, 0.0), none);
        Assert.Equal((-1, 0.0, 0.0), negative);
    }
}
