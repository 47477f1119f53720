using SemanticManipulation.Imaging;
using BenchmarkDotNet.Attributes;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// Image-specific adaptation: one fitting step (R or free δ forward, G_F forward, backward, Adam), and the instant
/// preview render, at the authors' 256² layout and the small 64² layout. Photo: another random generator's image.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class AdaptationBenchmarks
{
    private ProGanGenerator _generator = null!;
    private AdaptationLoop _loop = null!;
    private AdaptedGenerator _adapted = null!;
    private ModelPhoto _photo = null!;
    private Tensor _representation = null!;
    private Tensor _mask = null!;

    /// <summary>The architecture: <c>lsun256</c> (authors') or <c>small64</c>.</summary>
    [Params("lsun256", "small64")]
    public string Model { get; set; } = "small64";

    /// <summary>The perturbation kind: R or free δ.</summary>
    [Params(PerturbationKinds.Network, PerturbationKinds.Free)]
    public string Kind { get; set; } = PerturbationKinds.Network;

    [GlobalSetup]
    public void Setup()
    {
        (_generator, _photo, _representation) = BenchmarkModels.AdaptationProblem(Model);
        _mask = Imaging.EditMask.Rectangle(_generator.Resolution, _generator.Resolution / 4, _generator.Resolution / 4,
            _generator.Resolution / 3, _generator.Resolution / 3);
        var options = new AdaptationOptions { Kind = Kind, Steps = 1 };
        var perturbation = new PerturbationNetworkFactory().Create(_generator, Kind, seed: 1);
        _loop = new AdaptationLoop(_generator, perturbation, new AdaptationTarget(_photo, _representation), options);
        _adapted = new GeneratorAdapter().Fit(_generator, new AdaptationTarget(_photo, _representation), options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Dispose();
        _adapted.Dispose();
        _mask.Dispose();
        _photo.Dispose();
        _representation.Dispose();
        _generator.Dispose();
    }

    [Benchmark(Description = "fit step")]
    public double FitStep() => _loop.Step().Loss;

    [Benchmark(Description = "preview render")]
    public float PreviewRender()
    {
        using var scope = NewDisposeScope();
        return _adapted.RenderPreview(_representation, _mask).mean().item<float>();
    }
}
