namespace SemanticManipulation.Inversion;

/// <summary>
/// How a photo is inverted. Defaults are the authors': Adam with learning rate 0.01 for 3000 steps, halved at steps
/// 800, 1200 and 1800 (for other budgets, at the same fractions of it); loss = pixel L1 + feature loss + Σ mean(d²).
/// </summary>
public sealed class InversionOptions
{
    /// <summary>The learning-rate milestones as fractions of the budget: the authors' 800, 1200, 1800 of 3000 steps.</summary>
    internal static readonly double[] MilestoneFractions = [800.0 / 3000, 1200.0 / 3000, 1800.0 / 3000];

    /// <summary>Optimisation steps (the authors: 3000; their interactive variant: 50).</summary>
    public int Steps { get; set; } = 3000;

    /// <summary>Adam's initial learning rate (the authors: 0.01).</summary>
    public double LearningRate { get; set; } = 0.01;

    /// <summary>Weight of the feature loss mean|φ(x) − φ(G(…))| (the authors: 1). 0 inverts pixel-only.</summary>
    public double FeatureLossWeight { get; set; } = 1;

    /// <summary>Weight of the residual penalty Σ mean(d_i²) (the authors: 1).</summary>
    public double ResidualPenalty { get; set; } = 1;

    /// <summary>Where refinement starts (default: the encoder's guess if one fits, else the mean representation).</summary>
    public InversionStart Start { get; set; } = InversionStart.Auto;

    /// <summary>
    /// The early layers whose outputs get an additive residual d_i. Null: every layer before the split (layer1–layer3
    /// for a layer4 split, as the authors).
    /// </summary>
    public IReadOnlyList<string>? ResidualLayers { get; set; }

    /// <summary>Stop once the reconstruction's PSNR reaches this many dB. Null: no target.</summary>
    public double? TargetPsnrDb { get; set; }

    /// <summary>Stop when the loss has not improved by 0.01% for this many steps. Null: never.</summary>
    public int? Patience { get; set; }

    /// <summary>Random latents sampled for the <see cref="InversionStart.Mean"/> start.</summary>
    public int MeanSamples { get; set; } = 64;

    /// <summary>Seed of those latents: the same seed, photo and options give the same inversion.</summary>
    public long Seed { get; set; }

    /// <summary>Report progress every this many steps (the last step is always reported).</summary>
    public int ProgressInterval { get; set; } = 10;

    /// <summary>A copy, so a running inversion is not affected by later changes.</summary>
    public InversionOptions Clone() => (InversionOptions)MemberwiseClone();

    /// <summary>The learning rate at (0-based) <paramref name="step"/>: halved at each milestone passed.</summary>
    public double LearningRateAt(int step)
    {
        var passed = MilestoneFractions.Count(f => step >= (int)Math.Round(f * Steps));
        return LearningRate * Math.Pow(0.5, passed);
    }

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (Steps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be at least 1.");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive number.");
        }

        if (!(FeatureLossWeight >= 0) || double.IsInfinity(FeatureLossWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(FeatureLossWeight), FeatureLossWeight, "The feature loss weight must be zero or positive.");
        }

        if (!(ResidualPenalty >= 0) || double.IsInfinity(ResidualPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(ResidualPenalty), ResidualPenalty, "The residual penalty must be zero or positive.");
        }

        if (!Enum.IsDefined(Start))
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "Unknown start.");
        }

        if (TargetPsnrDb is double target && double.IsNaN(target))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetPsnrDb), TargetPsnrDb, "The target PSNR must be a number.");
        }

        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "The patience must be at least 1 step.");
        }

        if (MeanSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MeanSamples), MeanSamples, "At least one sample is needed for the mean representation.");
        }

        if (ProgressInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "The progress interval must be at least 1.");
        }
    }
}
