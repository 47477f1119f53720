using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

/// <summary>
/// A small generator whose images depend strongly on r (a random 32² ProGAN with z = 16 and r = 16×8×8), an encoder
/// trained briefly on it (about ten seconds: mostly the trunk, the authors' stage 1), and held-out samples.
/// </summary>
public sealed class TrainedEncoderFixture : IDisposable
{
    public TrainedEncoderFixture()
    {
        Generator = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 16, 16]), seed: 3);
        Options = new EncoderTrainingOptions
        {
            TrunkSteps = 300,
            InverterSteps = 25,
            JointSteps = 25,
            BatchSize = 16,
            Seed = 1,
            InverterLearningRate = 1e-3,
            JointLearningRate = 1e-4,
            Encoder = new HybridEncoderOptions { TrunkWidth = 8, TrunkBlocks = [1, 1, 1, 1] },
        };
        Training = new EncoderTrainer().Train(Generator, Options);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = randn(32, Generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(99));
        Representations = Generator.Early(latents).DetachFromDisposeScope();
        Images = Generator.Late(Representations).clamp(-1, 1).DetachFromDisposeScope();
    }

    public ProGanGenerator Generator { get; }

    public EncoderTrainingOptions Options { get; }

    public EncoderTrainingResult Training { get; }

    public HybridEncoder Encoder => Training.Encoder;

    /// <summary>r of 32 held-out latents (never seen in training).</summary>
    public Tensor Representations { get; }

    /// <summary>Their images, clamped to [-1, 1] as a photo is.</summary>
    public Tensor Images { get; }

    public void Dispose()
    {
        Representations.Dispose();
        Images.Dispose();
        Training.Dispose();
        Generator.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedEncoderGroup : ICollectionFixture<TrainedEncoderFixture>
{
    public const string Name = "trained encoder";
}
