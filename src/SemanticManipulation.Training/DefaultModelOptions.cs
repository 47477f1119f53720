using SemanticManipulation.Dissection;
using SemanticManipulation.Inversion;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;

namespace SemanticManipulation.Training;

/// <summary>Every stage's options for building the embedded default model (or a host's own, on its own data).</summary>
public sealed class DefaultModelOptions
{
    /// <summary>The generator: 64², z = 128, channels 256→16, 12k steps of batch 16.</summary>
    public GanTrainingOptions Gan { get; set; } = new()
    {
        LatentSize = 128,
        BlockChannels = [256, 128, 64, 32, 16],
        Steps = 12_000,
        BatchSize = 16,
    };

    /// <summary>The segmenter that judges edits and drives dissection.</summary>
    public SegmenterTrainingOptions Segmenter { get; set; } = new();

    /// <summary>The dissection that ranks units per concept.</summary>
    public DissectionOptions Dissection { get; set; } = new() { QuantileSamples = 2000, SegmentationSamples = 1000, BatchSize = 25, Seed = 3 };

    /// <summary>The hybrid encoder (a half-width ResNet-18 trunk: a 64² generator needs less).</summary>
    public EncoderTrainingOptions Encoder { get; set; } = new()
    {
        TrunkSteps = 3000,
        InverterSteps = 1000,
        JointSteps = 1000,
        BatchSize = 32,
        Seed = 5,
        Encoder = new HybridEncoderOptions { TrunkWidth = 32 },
    };
}
