namespace SemanticManipulation.Adaptation;

/// <summary>How an image-specific generator G' is fitted. Defaults are the paper's (at 256², scaled with resolution),
/// except the learning rate, R's schedule and the early stop at 40 dB, which were measured here
/// (<see cref="LearningRate"/>, <see cref="Schedule"/>, <see cref="TargetKeptPsnrDb"/>).</summary>
public sealed class AdaptationOptions
{
    /// <summary>The kept-pixel PSNR at which a fit stops by default (<see cref="TargetKeptPsnrDb"/>).</summary>
    public const double DefaultTargetKeptPsnrDb = 40;

    /// <summary>The most optimisation steps (the paper: 1000); the fit ends sooner once <see cref="TargetKeptPsnrDb"/> is
    /// reached.</summary>
    public int Steps { get; set; } = 1000;

    /// <summary>
    /// Adam's base learning rate (see <see cref="Schedule"/>). The paper uses 0.1; on the models measured here that overshoots — the first
    /// default model (64²) ends 1000 steps of R at 7.9 dB kept-pixel PSNR with 0.1 against 43.6 dB with 0.01, and at 256² the first
    /// five steps at 0.1 drop it from 20 to 12 dB — so the default is 0.01.
    /// </summary>
    public double LearningRate { get; set; } = 0.01;

    /// <summary>
    /// How the learning rate moves over the fit; null: the perturbation's own (<see cref="Perturbation.DefaultSchedule"/>:
    /// <see cref="LearningRateSchedule.PlateauThenCosine"/> for R, <see cref="LearningRateSchedule.Constant"/>, the
    /// paper's, for free δ). The decay is placed by <see cref="Steps"/>, so a fit stopped early by
    /// <see cref="TargetKeptPsnrDb"/> ends before it.
    /// </summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>λ, the weight of the penalty Σ_i mean(δ_i²) (the paper: 0.1).</summary>
    public double DeltaPenalty { get; set; } = 0.1;

    /// <summary>Dilation of the edit mask in pixels; null means 16 px at 256², scaled with the resolution.</summary>
    public double? DilationPixels { get; set; }

    /// <summary>Gaussian blur σ of the dilated mask in pixels; null means 4 px at 256², scaled with the resolution.</summary>
    public double? BlurSigmaPixels { get; set; }

    /// <summary>
    /// Stop once the PSNR on the kept pixels reaches this many dB, after at most <see cref="Steps"/> steps; null runs
    /// every step, as the paper does. The default, 40 dB, is past where a difference can be seen, and fitting on only
    /// moves δ in the region the fit cannot see, which erodes the edit. The step that finds the target reached leaves G'
    /// as it measured it.
    /// </summary>
    /// <remarks>
    /// Measured on 20 held-out world scenes (trees added in a square and in a tree's silhouette, a tree or dome
    /// removed): with the 128² recipe's model after 10,000 GAN steps, stopping at 40 dB (after 39–155 steps) brought
    /// the square to half tree on 17 of 20 against 10 of 20 after 1000 steps (median 69.5 % against 50.3 %), and
    /// every image's added share was higher; with the first default model (64²) adds reached half the mask on 38 of 40 against 39 of
    /// 40 and removes were unchanged, in 285 steps on average instead of 1000.
    /// </remarks>
    public double? TargetKeptPsnrDb { get; set; } = DefaultTargetKeptPsnrDb;

    /// <summary>How δ acts on features: <c>h·(1+δ)</c> (default) or <c>h+δ</c>.</summary>
    public PerturbationMode Mode { get; set; } = PerturbationMode.Multiplicative;

    /// <summary>Which perturbation to fit: <see cref="PerturbationKinds.Network"/> (R, default) or
    /// <see cref="PerturbationKinds.Free"/>, or a kind a host's <see cref="IPerturbationNetworkFactory"/> knows.</summary>
    public string Kind { get; set; } = PerturbationKinds.Network;

    /// <summary>Seed for R's weights and noise; the same seed and inputs give the same fit.</summary>
    public long Seed { get; set; }

    /// <summary>Report progress every this many steps (the last step is always reported).</summary>
    public int ProgressInterval { get; set; } = 10;

    /// <summary>The dilation in pixels at <paramref name="resolution"/>.</summary>
    public double DilationAt(int resolution) => DilationPixels ?? 16.0 * resolution / 256;

    /// <summary>The schedule a fit of <paramref name="perturbation"/> follows: <see cref="Schedule"/>, or the perturbation's own.</summary>
    public LearningRateSchedule ScheduleFor(Perturbation perturbation)
    {
        ArgumentNullException.ThrowIfNull(perturbation);
        return Schedule ?? perturbation.DefaultSchedule;
    }

    /// <summary>The blur σ in pixels at <paramref name="resolution"/>.</summary>
    public double BlurSigmaAt(int resolution) => BlurSigmaPixels ?? 4.0 * resolution / 256;

    /// <summary>A copy, so a running fit is not affected by later changes.</summary>
    public AdaptationOptions Clone() => (AdaptationOptions)MemberwiseClone();

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

        if (!(DeltaPenalty >= 0) || double.IsInfinity(DeltaPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(DeltaPenalty), DeltaPenalty, "λ must be zero or positive.");
        }

        if (DilationPixels is < 0 || (DilationPixels is double d && double.IsNaN(d)))
        {
            throw new ArgumentOutOfRangeException(nameof(DilationPixels), DilationPixels, "The dilation must be zero or positive.");
        }

        if (BlurSigmaPixels is < 0 || (BlurSigmaPixels is double s && double.IsNaN(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(BlurSigmaPixels), BlurSigmaPixels, "The blur σ must be zero or positive.");
        }

        if (TargetKeptPsnrDb is double target && !(target > 0 && double.IsFinite(target)))
        {
            // NaN would never stop the fit yet measure PSNR every step; zero or less would stop it at the first.
            throw new ArgumentOutOfRangeException(nameof(TargetKeptPsnrDb), TargetKeptPsnrDb, "The target PSNR must be a positive number of dB.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "The mode must be Multiplicative or Additive.");
        }

        if (ProgressInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "The progress interval must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "The perturbation kind must be named.");
        }
    }
}
