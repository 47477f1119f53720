using System.Globalization;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// How the learning rate moves over a fit of a known number of steps: a linear warm-up to a peak, a plateau, and a
/// half-cosine decay over the last part of the fit, each as a share of the fit's steps so that a 20-step preview and a
/// 1000-step final render follow the same shape. The factor multiplies <see cref="AdaptationOptions.LearningRate"/>.
/// </summary>
/// <remarks>
/// The paper fits with a constant rate (<see cref="Constant"/>). A constant rate leaves Adam's last steps as large as its
/// first, so a fit ends wherever its last step landed, around the optimum rather than at it; the decay lets it settle.
/// The warm-up lets a network such as R start at a higher peak without its first, largest-gradient steps throwing δ
/// away from 0 (none of the built-in kinds needs one). <see cref="PerturbationNetwork"/> uses <see cref="PlateauThenCosine"/>; free δ keeps the paper's
/// constant rate unless asked otherwise.
/// </remarks>
public sealed class LearningRateSchedule
{
    /// <summary>The paper's schedule: the learning rate as given, every step.</summary>
    public static LearningRateSchedule Constant { get; } = new(1, 0, 0);

    /// <summary>Creates a schedule.</summary>
    /// <param name="peakFactor">The rate on the plateau, as a multiple of <see cref="AdaptationOptions.LearningRate"/>.</param>
    /// <param name="warmupFraction">The share of the steps over which the rate rises linearly to the peak (0: none).</param>
    /// <param name="decayFraction">The share of the steps, at the end, over which the rate falls along a half cosine
    /// towards 0 (0: none).</param>
    /// <exception cref="ArgumentOutOfRangeException">The peak is not a positive finite number, a share is outside [0, 1],
    /// or the two shares add up to more than the whole fit.</exception>
    public LearningRateSchedule(double peakFactor, double warmupFraction, double decayFraction)
    {
        if (!(peakFactor > 0) || double.IsInfinity(peakFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(peakFactor), peakFactor, "The peak factor must be a positive number.");
        }

        if (!(warmupFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "The warm-up is a share of the steps, from 0 to 1.");
        }

        if (!(decayFraction is >= 0 and <= 1) || warmupFraction + decayFraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decayFraction), decayFraction,
                "The decay is a share of the steps, from 0 to 1, and warm-up and decay together cannot exceed the whole fit.");
        }

        PeakFactor = peakFactor;
        WarmupFraction = warmupFraction;
        DecayFraction = decayFraction;
    }

    /// <summary>
    /// R's schedule: twice the learning rate from the first step, then a decay over the last 30 % of the steps. Measured on
    /// random-weight generators (1000 steps; docs/benchmarks.md): R's kept-pixel PSNR rises from 45.9 to 52.4 dB at 64²
    /// and from 44.5 to 45.9 dB at 256², and it still gains PSNR from its first step. Five times the rate went further at
    /// 64² (53.4 dB) but threw R at 256² from 38.8 to 15.9 dB a few hundred steps in; a warm-up added nothing at twice.
    /// A fit stopped at its target PSNR (<see cref="AdaptationOptions.TargetKeptPsnrDb"/>, 40 dB by default) usually ends
    /// on the plateau, before the decay.
    /// </summary>
    public static LearningRateSchedule PlateauThenCosine { get; } = new(2, 0, 0.3);

    /// <summary>The rate on the plateau, as a multiple of the base learning rate.</summary>
    public double PeakFactor { get; }

    /// <summary>The share of the steps over which the rate rises to the peak.</summary>
    public double WarmupFraction { get; }

    /// <summary>The share of the steps, at the end, over which the rate decays.</summary>
    public double DecayFraction { get; }

    /// <summary>The factor on the base learning rate for step <paramref name="step"/> (1-based) of a
    /// <paramref name="steps"/>-step fit. Always positive: the last step still moves.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not within 1 … <paramref name="steps"/>.</exception>
    public double FactorAt(int step, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (step < 1 || step > steps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step must be within 1 … {steps}.");
        }

        var warmup = WarmupFraction * steps;
        if (step <= warmup)
        {
            return PeakFactor * step / Math.Ceiling(warmup);
        }

        var decay = Math.Round(DecayFraction * steps);
        var decayStart = steps - decay;
        if (decay > 0 && step > decayStart)
        {
            // Steps decayStart+1 … steps sit at (1 … decay)/(decay+1) of the half cosine: the last step is small, not 0.
            var progress = (step - decayStart) / (decay + 1);
            return PeakFactor * 0.5 * (1 + Math.Cos(Math.PI * progress));
        }

        return PeakFactor;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string>(2);
        if (WarmupFraction > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"warm-up over the first {WarmupFraction:P0} to {PeakFactor:G3}×"));
        }
        else if (PeakFactor != 1)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{PeakFactor:G3}× from the start"));
        }

        if (DecayFraction > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cosine decay over the last {DecayFraction:P0}"));
        }

        return parts.Count == 0 ? "constant" : string.Join(", ", parts);
    }
}
