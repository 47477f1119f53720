using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets (the measure behind FID):
/// <c>|μ₁ − μ₂|² + tr Σ₁ + tr Σ₂ − 2·tr √(√Σ₁ Σ₂ √Σ₁)</c>. Everything is computed in float64, and both matrix square
/// roots come from symmetric eigendecompositions with negative eigenvalues (rounding noise of a positive semi-definite
/// matrix) clamped to zero, so the result is real and stable even when the covariances are singular (fewer samples than
/// feature dimensions).
/// </summary>
public static class FrechetDistance
{
    /// <summary>The distance between the Gaussians fitted to two feature sets.</summary>
    /// <param name="first">Features <c>[N₁, D]</c>, one row per image; N₁ ≥ 2.</param>
    /// <param name="second">Features <c>[N₂, D]</c> with the same D; N₂ ≥ 2.</param>
    /// <returns>The distance, at least 0.</returns>
    /// <exception cref="ArgumentException">A set is not two-dimensional, has fewer than two rows, or the widths differ.</exception>
    public static double Between(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        CheckFeatures(first, nameof(first));
        CheckFeatures(second, nameof(second));
        if (first.shape[1] != second.shape[1])
        {
            throw new ArgumentException($"The feature sets have widths {first.shape[1]} and {second.shape[1]}; they must be equal.", nameof(second));
        }

        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean1, covariance1) = Moments(first);
        var (mean2, covariance2) = Moments(second);
        return FromMoments(mean1, covariance1, mean2, covariance2);
    }

    /// <summary>The distance between two Gaussians given by their means and covariances.</summary>
    /// <param name="mean1">μ₁, <c>[D]</c>.</param>
    /// <param name="covariance1">Σ₁, <c>[D, D]</c>, symmetric positive semi-definite.</param>
    /// <param name="mean2">μ₂, <c>[D]</c>.</param>
    /// <param name="covariance2">Σ₂, <c>[D, D]</c>, symmetric positive semi-definite.</param>
    /// <returns>The distance, at least 0.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static double FromMoments(Tensor mean1, Tensor covariance1, Tensor mean2, Tensor covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance2);
        var d = mean1.shape.Length == 1 ? mean1.shape[0] : -1;
        if (d < 1 || !mean2.shape.SequenceEqual([d]) || !covariance1.shape.SequenceEqual([d, d]) || !covariance2.shape.SequenceEqual([d, d]))
        {
            throw new ArgumentException(
                $"Means must be [D] and covariances [D, D] with one D; got [{string.Join(", ", mean1.shape)}], " +
                $"[{string.Join(", ", covariance1.shape)}], [{string.Join(", ", mean2.shape)}], [{string.Join(", ", covariance2.shape)}].");
        }

        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m1 = mean1.detach().to(ScalarType.Float64).cpu();
        var m2 = mean2.detach().to(ScalarType.Float64).cpu();
        var s1 = Symmetric(covariance1.detach().to(ScalarType.Float64).cpu());
        var s2 = Symmetric(covariance2.detach().to(ScalarType.Float64).cpu());

        // √Σ₁ Σ₂ √Σ₁ is symmetric positive semi-definite and has the eigenvalues of Σ₁Σ₂, so the trace of its square root
        // is tr √(Σ₁Σ₂) without the non-symmetric matrix square root scipy's sqrtm needs.
        var root1 = SquareRoot(s1);
        var product = Symmetric(root1.matmul(s2).matmul(root1));
        var (eigenvalues, _) = linalg.eigh(product);
        var traceOfRoot = eigenvalues.clamp_min(0).sqrt().sum().item<double>();

        var meanTerm = (m1 - m2).square().sum().item<double>();
        var distance = meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - (2 * traceOfRoot);
        // Mathematically non-negative; identical sets give a rounding residue of either sign around 0.
        return Math.Max(0, distance);
    }

    /// <summary>The mean <c>[D]</c> and unbiased covariance <c>[D, D]</c> of the rows of <paramref name="features"/>, in float64.</summary>
    internal static (Tensor Mean, Tensor Covariance) Moments(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features.detach().to(ScalarType.Float64).cpu();
        var mean = x.mean([0]);
        var centred = x - mean;
        var covariance = centred.t().matmul(centred) / (x.shape[0] - 1);
        return (mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <summary>The symmetric square root of a symmetric positive semi-definite matrix: V·diag(√max(λ, 0))·Vᵀ.</summary>
    private static Tensor SquareRoot(Tensor matrix)
    {
        var (eigenvalues, eigenvectors) = linalg.eigh(matrix);
        return (eigenvectors * eigenvalues.clamp_min(0).sqrt().unsqueeze(0)).matmul(eigenvectors.t());
    }

    /// <summary>Removes the asymmetry rounding leaves, which eigh would otherwise silently ignore half of.</summary>
    private static Tensor Symmetric(Tensor matrix) => (matrix + matrix.t()) / 2;

    private static void CheckFeatures(Tensor features, string name)
    {
        if (features.dim() != 2 || features.shape[0] < 2 || features.shape[1] < 1)
        {
            throw new ArgumentException(
                $"A feature set must be [N, D] with at least two rows; got [{string.Join(", ", features.shape)}].", name);
        }
    }
}
