using SemanticManipulation.Imaging;
using BenchmarkDotNet.Attributes;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Generators;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// A whole fit with the paper's budget (1000 steps, lr 0.1), measured once per case. Run with
/// <c>--filter *FullFit*</c>. Both sizes are listed; at 256² a fit takes 20+ minutes per kind on 2 cores.
/// </summary>
[Config(typeof(OnceInProcessConfig))]
public class FullFitBenchmarks
{
    private ProGanGenerator _generator = null!;
    private ModelPhoto _photo = null!;
    private Tensor _representation = null!;

    /// <summary>The architecture: <c>lsun256</c> (authors') or <c>small64</c>.</summary>
    [Params("lsun256", "small64")]
    public string Model { get; set; } = "small64";

    /// <summary>The perturbation kind: R or free δ.</summary>
    [Params(PerturbationKinds.Network, PerturbationKinds.Free)]
    public string Kind { get; set; } = PerturbationKinds.Network;

    /// <summary>Fitting steps (the paper: 1000).</summary>
    [Params(1000)]
    public int Steps { get; set; } = 1000;

    [GlobalSetup]
    public void Setup() => (_generator, _photo, _representation) = BenchmarkModels.AdaptationProblem(Model);

    [GlobalCleanup]
    public void Cleanup()
    {
        _photo.Dispose();
        _representation.Dispose();
        _generator.Dispose();
    }

    [Benchmark(Description = "full fit")]
    public double FullFit()
    {
        using var adapted = new GeneratorAdapter().Fit(_generator, new AdaptationTarget(_photo, _representation),
            new AdaptationOptions { Kind = Kind, Steps = Steps, TargetKeptPsnrDb = null });
        Console.WriteLine($"// {Model} {Kind}: kept-pixel PSNR {adapted.Metrics.PsnrBeforeDb:F2} -> {adapted.Metrics.PsnrAfterDb:F2} dB, " +
            $"peak RSS {Environment.WorkingSet / (1 << 20)} MB (VmHWM {BenchmarkModels.PeakResidentMegabytes()} MB)");
        return adapted.Metrics.PsnrAfterDb;
    }
}
