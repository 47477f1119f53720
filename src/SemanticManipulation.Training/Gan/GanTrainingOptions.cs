namespace SemanticManipulation.Training.Gan;

/// <summary>How the ProGAN-family generator is trained (non-progressive, non-saturating loss with lazy R1).</summary>
public sealed class GanTrainingOptions
{
    /// <summary>Length of z.</summary>
    public int LatentSize { get; set; } = 256;

    /// <summary>Channels per resolution block from 4×4 up; the count sets the resolution (5 blocks: 64²).</summary>
    public IReadOnlyList<int> BlockChannels { get; set; } = [256, 256, 128, 64, 32];

    /// <summary>Training steps (one D and one G update each).</summary>
    public int Steps { get; set; } = 10_000;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Adam learning rate for both networks (β1 = 0, β2 = 0.99, as ProGAN).</summary>
    public double LearningRate { get; set; } = 0.002;

    /// <summary>R1 gradient-penalty weight γ on real images.</summary>
    public double R1Gamma { get; set; } = 0.2;

    /// <summary>Apply R1 every this many steps (lazy regularisation), scaled up to compensate.</summary>
    public int R1Interval { get; set; } = 4;

    /// <summary>Half-life, in images, of the exponential moving average of G's weights (the model that ships).</summary>
    public double EmaHalfLifeImages { get; set; } = 10_000;

    /// <summary>
    /// The average's half-life, in images, after step <see cref="FinalEmaStartStep"/>; null: <see cref="EmaHalfLifeImages"/>
    /// throughout. Averaging the weights smooths away rare modes the trained generator draws (at 128² it drew domes on
    /// 1.4 % of the pixels and its average on 0.9 %), so a run that restores such a mode late can let the average follow
    /// its last steps more closely.
    /// </summary>
    public double? FinalEmaHalfLifeImages { get; set; }

    /// <summary>The step after which <see cref="FinalEmaHalfLifeImages"/> sets the average's half-life.</summary>
    public int FinalEmaStartStep { get; set; }

    /// <summary>
    /// Weight of the semantic discriminator's loss beside the pixel discriminator's (0: no semantic discriminator). It
    /// judges images by a frozen segmenter's class maps (see the segmenter given to <see cref="GanTrainer"/>), so the
    /// generator is pushed to draw the world's mix of classes instead of dropping rare ones.
    /// </summary>
    public double SemanticWeight { get; set; }

    /// <summary>Channels of the semantic discriminator's first conv stage (the second has twice as many).</summary>
    public int SemanticWidth { get; set; } = 32;

    /// <summary>
    /// How many images of each step's batch (real and generated alike) the semantic discriminator judges; null: all of
    /// them. The frozen segmenter it looks through can cost more than both networks' steps together (a 128² U-Net is
    /// about four times the generator's arithmetic per image, run three times a step), and the class maps it judges
    /// are pooled to 16², so a part of the batch carries the makeup of the scenes at a fraction of the cost: the
    /// expected gradient is the same, only noisier.
    /// </summary>
    public int? SemanticBatchSize { get; set; }

    /// <summary>Seed for weights and latents.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Save a resumable checkpoint every this many steps.</summary>
    public int CheckpointInterval { get; set; } = 250;

    /// <summary>Write a grid of the averaged generator's images on fixed latents every this many steps (0: never).</summary>
    public int SampleInterval { get; set; } = 1000;

    /// <summary>Report progress every this many steps.</summary>
    public int ProgressInterval { get; set; } = 25;

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LatentSize, 1, nameof(LatentSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 2, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointInterval, 1, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, 1, nameof(ProgressInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(R1Interval, 1, nameof(R1Interval));
        if (!(LearningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        }

        CheckHalfLife(EmaHalfLifeImages, nameof(EmaHalfLifeImages), "The average's half-life must be a positive number of images.");
        if (FinalEmaHalfLifeImages is double finalHalfLife)
        {
            CheckHalfLife(finalHalfLife, nameof(FinalEmaHalfLifeImages), "The average's final half-life must be a positive number of images, or null to keep EmaHalfLifeImages.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(FinalEmaStartStep, nameof(FinalEmaStartStep));
        if (!(SemanticWeight >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SemanticWeight), SemanticWeight, "The semantic weight must be 0 (off) or positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SemanticWidth, 1, nameof(SemanticWidth));
        if (SemanticBatchSize is int judged && (judged < 2 || judged > BatchSize))
        {
            throw new ArgumentOutOfRangeException(nameof(SemanticBatchSize), judged,
                $"The semantic discriminator judges between 2 images (its minibatch statistics need two) and the whole batch ({BatchSize}); null judges all.");
        }

        if (BlockChannels is null || BlockChannels.Count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockChannels), "At least two resolution blocks (8×8) are needed.");
        }
    }

    private static void CheckHalfLife(double images, string name, string message)
    {
        if (!(images > 0) || double.IsInfinity(images))
        {
            throw new ArgumentOutOfRangeException(name, images, message);
        }
    }
}
