using SemanticManipulation.Dissection;
using Xunit;

namespace SemanticManipulation.Tests.Dissection;

public sealed class UnitQuantileSketchTests
{
    [Fact]
    public void Streamed_quantiles_stay_within_a_bin_of_the_exact_ones_as_the_range_grows_both_ways()
    {
        const int bins = 256;
        var sketch = new UnitQuantileSketch(units: 2, bins);
        var random = new Random(4);
        var all = new[] { new List<float>(), new List<float>() };
        // Batches whose spread keeps growing (and drifts below the start), so the histograms must re-bin many times.
        for (var batch = 0; batch < 50; batch++)
        {
            var data = new float[2 * 400];
            for (var i = 0; i < 400; i++)
            {
                var skewed = (float)(-Math.Log(1 - random.NextDouble()) * (1 + batch));
                var normal = (float)(NextGaussian(random) * (1 + (batch * 0.5)) - batch);
                (data[i], data[400 + i]) = (skewed, normal);
                all[0].Add(skewed);
                all[1].Add(normal);
            }

            sketch.Add(data, 400);
        }

        for (var unit = 0; unit < 2; unit++)
        {
            var sorted = all[unit].Order().ToArray();
            var width = 2.0 * (sorted[^1] - sorted[0]) / bins;
            foreach (var q in new[] { 0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0 })
            {
                var exact = sorted[(int)Math.Round(q * (sorted.Length - 1))];
                var estimate = sketch.Quantile(unit, q);
                Assert.True(Math.Abs(estimate - exact) <= width, $"unit {unit} q{q}: {estimate} vs {exact} (bin {width})");
            }

            Assert.Equal(sorted[0], sketch.Minimum(unit));
            Assert.Equal(sorted[^1], sketch.Maximum(unit));
            Assert.Equal(20_000, sketch.Count(unit));
        }
    }

    [Fact]
    public void A_constant_unit_and_bad_values_are_handled()
    {
        var sketch = new UnitQuantileSketch(units: 1, bins: 16);
        sketch.Add([3f, 3f, 3f, 3f], 4);
        Assert.Equal(3.0, sketch.Quantile(0, 0.99), 6);
        sketch.Add([-1f, 7f], 2);
        Assert.Equal(-1.0, sketch.Quantile(0, 0), 6);
        Assert.Equal(7.0, sketch.Quantile(0, 1), 6);
        Assert.Throws<InvalidDataException>(() => sketch.Add([float.NaN], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnitQuantileSketch(1, 15));
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
