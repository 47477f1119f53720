namespace SemanticManipulation.Inversion;

/// <summary>
/// How the hybrid encoder is trained on a generator's samples. Step counts are per stage (stage 2: per inverter); the
/// authors ran 10,000 steps per inverter and 100,000 joint steps at batch 32 on a GPU.
/// </summary>
public sealed class EncoderTrainingOptions
{
    /// <summary>Stage 1 steps: the trunk alone.</summary>
    public int TrunkSteps { get; set; } = 10_000;

    /// <summary>Stage 2 steps for each inverter.</summary>
    public int InverterSteps { get; set; } = 10_000;

    /// <summary>Stage 3 steps: everything jointly.</summary>
    public int JointSteps { get; set; } = 10_000;

    /// <summary>Generator samples per step (the authors: 32). At least 2, for BatchNorm's batch statistics.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Seed of the initial weights and of every step's latents: the same seed gives the same encoder, and a
    /// resumed run sees the same samples as an uninterrupted one.</summary>
    public long Seed { get; set; }

    /// <summary>A folder for resumable checkpoints (<c>encoder.safetensors</c>, whose metadata records the progress, and
    /// the optimiser state); training resumes from it when it holds one. Null: no checkpoints.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Write a checkpoint every this many steps, at the end of every stage part, and, when training is cancelled,
    /// at the last step it finished.</summary>
    public int CheckpointInterval { get; set; } = 500;

    /// <summary>Stage 1 learning rate (the authors: 0.01), ×0.1 at 50% and 75% of the stage.</summary>
    public double TrunkLearningRate { get; set; } = 0.01;

    /// <summary>Stage 2 learning rate (the authors: 1e-4), ×0.1 at 20% and 60% of each inverter's steps as theirs.</summary>
    public double InverterLearningRate { get; set; } = 1e-4;

    /// <summary>Stage 3 learning rate (the authors: 1e-5), ×0.5 at 5%, 15% and 35% of the stage as theirs.</summary>
    public double JointLearningRate { get; set; } = 1e-5;

    /// <summary>The trunk's width and depth, and the device.</summary>
    public HybridEncoderOptions Encoder { get; set; } = new();

    /// <summary>Report progress every this many steps (the last step of each part is always reported).</summary>
    public int ProgressInterval { get; set; } = 10;

    /// <summary>A copy, so a running training is not affected by later changes.</summary>
    public EncoderTrainingOptions Clone() => (EncoderTrainingOptions)MemberwiseClone();

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        foreach (var (name, steps) in new[] { (nameof(TrunkSteps), TrunkSteps), (nameof(InverterSteps), InverterSteps), (nameof(JointSteps), JointSteps) })
        {
            if (steps < 0)
            {
                throw new ArgumentOutOfRangeException(name, steps, "Step counts must be zero or positive.");
            }
        }

        if (BatchSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 2 (BatchNorm needs batch statistics).");
        }

        if (CheckpointInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "The checkpoint interval must be at least 1.");
        }

        if (ProgressInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "The progress interval must be at least 1.");
        }

        foreach (var (name, rate) in new[] { (nameof(TrunkLearningRate), TrunkLearningRate), (nameof(InverterLearningRate), InverterLearningRate), (nameof(JointLearningRate), JointLearningRate) })
        {
            if (!(rate > 0) || double.IsInfinity(rate))
            {
                throw new ArgumentOutOfRangeException(name, rate, "Learning rates must be positive numbers.");
            }
        }

        ArgumentNullException.ThrowIfNull(Encoder, nameof(Encoder));
        Encoder.Validate();
    }
}
