using SemanticManipulation.Imaging;
using BenchmarkDotNet.Attributes;
using SemanticManipulation.FeatureLosses;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// One inversion refinement step (G_H with residual hooks, G_F, pixel L1, the ResNet-18 feature loss or none,
/// backward, Adam) at the authors' 256² layout and the small 64² layout, random weights, CPU. Steps per second =
/// 1 / the mean. Photo: a sibling generator's image the generator cannot reproduce exactly.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class InversionRefinementBenchmarks
{
    private ProGanGenerator _generator = null!;
    private ModelPhoto _photo = null!;
    private Tensor _representation = null!;
    private Tensor _latent = null!;
    private ResNet18FeatureLoss? _featureLoss;
    private RefinementLoop _loop = null!;
    private int _step;

    /// <summary>The architecture: <c>lsun256</c> (authors') or <c>small64</c>.</summary>
    [Params("lsun256", "small64")]
    public string Model { get; set; } = "small64";

    /// <summary>φ: <c>resnet18</c> (the default, stage-2 features) or <c>none</c> (pixel-only).</summary>
    [Params("resnet18", "none")]
    public string Features { get; set; } = "resnet18";

    [GlobalSetup]
    public void Setup()
    {
        (_generator, _photo, _representation) = BenchmarkModels.AdaptationProblem(Model);
        _featureLoss = Features == "none" ? null : ResNet18FeatureLoss.Load();
        _latent = randn(1, _generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(3));
        var early = EarlyLayers.Probe(_generator);
        var start = new RefinementStart(InversionStart.Mean, StartGuess.Latent, _latent, null, null);
        var options = new InversionOptions();
        _loop = new RefinementLoop(_generator, early, _photo.Tensor, start, ResidualRefinement.ResidualLayers(early, start, null), _featureLoss, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Dispose();
        _featureLoss?.Dispose();
        _latent.Dispose();
        _photo.Dispose();
        _representation.Dispose();
        _generator.Dispose();
    }

    [Benchmark(Description = "refinement step")]
    public double Step() => _loop.Step(++_step).Loss;
}

/// <summary>
/// Encoder training, one stage at a time, 20 steps at batch 16 on small generators: <c>tiny32</c> (32², z 16, r 16×8×8,
/// trunk width 8, one block per stage: the tests' set-up) and <c>small64</c> (64², z 256, r 256×8×8, trunk width 32).
/// Time per step = the mean / 20 (stage 2: per inverter step, all inverters share the budget).
/// </summary>
[Config(typeof(OnceInProcessConfig))]
public class InversionEncoderTrainingBenchmarks
{
    private const int Steps = 20;

    private ProGanGenerator _generator = null!;

    /// <summary>The generator and trunk: <c>tiny32</c> or <c>small64</c>.</summary>
    [Params("tiny32", "small64")]
    public string Model { get; set; } = "tiny32";

    /// <summary>The stage timed.</summary>
    [Params(EncoderTrainingStage.Trunk, EncoderTrainingStage.Inverters, EncoderTrainingStage.Joint)]
    public EncoderTrainingStage Stage { get; set; }

    [GlobalSetup]
    public void Setup() => _generator = Model == "tiny32"
        ? ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 16, 16]), seed: 3)
        : ProGanGenerator.Create(BenchmarkModels.Architecture("small64"), seed: 1);

    [GlobalCleanup]
    public void Cleanup() => _generator.Dispose();

    [Benchmark(Description = "encoder stage, 20 steps")]
    public double TrainStage()
    {
        var options = new EncoderTrainingOptions
        {
            TrunkSteps = Stage == EncoderTrainingStage.Trunk ? Steps : 0,
            InverterSteps = Stage == EncoderTrainingStage.Inverters ? Steps / 4 : 0,
            JointSteps = Stage == EncoderTrainingStage.Joint ? Steps : 0,
            BatchSize = 16,
            Encoder = Model == "tiny32"
                ? new HybridEncoderOptions { TrunkWidth = 8, TrunkBlocks = [1, 1, 1, 1] }
                : new HybridEncoderOptions { TrunkWidth = 32 },
        };
        using var trained = new EncoderTrainer().Train(_generator, options);
        return trained.StageTime(Stage).TotalSeconds;
    }
}
