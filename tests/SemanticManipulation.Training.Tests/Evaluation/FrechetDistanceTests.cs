using SemanticManipulation.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Evaluation;

public sealed class FrechetDistanceTests
{
    private static Tensor Sample(int count, int width, long seed) =>
        randn(count, width, dtype: ScalarType.Float64, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(seed));

    [Fact]
    public void Identical_sets_are_at_distance_zero()
    {
        using var scope = NewDisposeScope();
        var features = Sample(200, 6, seed: 1) * 3;

        Assert.Equal(0, FrechetDistance.Between(features, features.clone()), 8);
    }

    [Fact]
    public void A_shifted_set_is_at_the_squared_length_of_the_shift()
    {
        using var scope = NewDisposeScope();
        var features = Sample(300, 5, seed: 2);
        double[] shiftValues = [1.0, -2.0, 0.5, 0.0, 3.0];
        var shift = tensor(shiftValues);

        var distance = FrechetDistance.Between(features, features + shift);

        Assert.Equal(1 + 4 + 0.25 + 9, distance, 6);
    }

    [Fact]
    public void Diagonal_covariances_give_the_sum_of_squared_differences_of_standard_deviations()
    {
        using var scope = NewDisposeScope();
        double[] means1 = [0.0, 1.0, 2.0];
        double[] means2 = [1.0, 1.0, 0.0];
        var mean1 = tensor(means1);
        var mean2 = tensor(means2);
        var variances1 = new[] { 1.0, 4.0, 9.0 };
        var variances2 = new[] { 4.0, 1.0, 0.25 };

        var distance = FrechetDistance.FromMoments(mean1, diag(tensor(variances1)), mean2, diag(tensor(variances2)));

        var expected = 1 + 0 + 4 + variances1.Zip(variances2, (a, b) => Math.Pow(Math.Sqrt(a) - Math.Sqrt(b), 2)).Sum();
        Assert.Equal(expected, distance, 9);
    }

    [Fact]
    public void Non_commuting_covariances_match_the_two_dimensional_closed_form()
    {
        // For 2×2 positive definite M: tr √M = √(tr M + 2√det M); with M = √Σ₁Σ₂√Σ₁, tr M = tr Σ₁Σ₂ and det M = det Σ₁ det Σ₂.
        using var scope = NewDisposeScope();
        var s1 = tensor(new[,] { { 2.0, 0.8 }, { 0.8, 1.0 } });
        var s2 = tensor(new[,] { { 1.0, -0.5 }, { -0.5, 3.0 } });
        var zero = zeros(2, dtype: ScalarType.Float64);

        var distance = FrechetDistance.FromMoments(zero, s1, zero, s2);

        var traceProduct = s1.matmul(s2).trace().item<double>();
        var determinants = linalg.det(s1).item<double>() * linalg.det(s2).item<double>();
        var expected = 3.0 + 4.0 - (2 * Math.Sqrt(traceProduct + (2 * Math.Sqrt(determinants))));
        Assert.Equal(expected, distance, 9);
    }

    [Fact]
    public void Samples_of_two_gaussians_approach_their_closed_form_distance()
    {
        using var scope = NewDisposeScope();
        double[] deviations1 = [1.0, 2.0, 1.0, 0.5];
        double[] deviations2 = [2.0, 2.0, 1.0, 1.0];
        double[] mean2 = [0.0, 0.0, 1.0, 0.0];
        var first = Sample(20_000, 4, seed: 3) * tensor(deviations1);
        var second = (Sample(20_000, 4, seed: 4) * tensor(deviations2)) + tensor(mean2);

        var distance = FrechetDistance.Between(first, second);

        // |Δμ|² = 1; Σ(σ₁ − σ₂)² = 1 + 0 + 0 + 0.25.
        Assert.Equal(2.25, distance, 1);
    }

    [Fact]
    public void More_dimensions_than_samples_still_give_a_finite_distance()
    {
        using var scope = NewDisposeScope();
        var distance = FrechetDistance.Between(Sample(5, 40, seed: 6), Sample(7, 40, seed: 7) + 1);

        Assert.True(double.IsFinite(distance) && distance > 30, $"distance {distance}");
    }

    [Fact]
    public void Sets_of_different_widths_or_single_rows_are_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(Sample(10, 3, 1), Sample(10, 4, 2)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(Sample(1, 3, 1), Sample(10, 3, 2)));
    }
}
