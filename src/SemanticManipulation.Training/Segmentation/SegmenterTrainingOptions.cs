namespace SemanticManipulation.Training.Segmentation;

/// <summary>How the scene segmenter is trained.</summary>
public sealed class SegmenterTrainingOptions
{
    /// <summary>Image side.</summary>
    public int Resolution { get; set; } = 64;

    /// <summary>Channels of the first U-Net stage.</summary>
    public int Width { get; set; } = 24;

    /// <summary>U-Net down-sampling stages.</summary>
    public int Depth { get; set; } = 3;

    /// <summary>Training steps.</summary>
    public int Steps { get; set; } = 1500;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; set; } = 24;

    /// <summary>Peak Adam learning rate (cosine-decayed to 5% of it).</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Largest σ of the Gaussian noise added to inputs, so the segmenter also reads a GAN's noisier images.</summary>
    public double MaxInputNoise { get; set; } = 0.08;

    /// <summary>Seed for weights, noise and data order.</summary>
    public long Seed { get; set; } = 7;

    /// <summary>Save a resumable checkpoint every this many steps.</summary>
    public int CheckpointInterval { get; set; } = 250;

    /// <summary>Report progress every this many steps.</summary>
    public int ProgressInterval { get; set; } = 25;

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 1, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfLessThan(Depth, 1, nameof(Depth));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointInterval, 1, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProgressInterval, 1, nameof(ProgressInterval));
        if (Resolution % (1 << Depth) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, $"The resolution must be a multiple of 2^{Depth}.");
        }
    }
}
