using BenchmarkDotNet.Attributes;
using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// Forward passes of the ProGAN generator (random weights, batch 1, CPU): the full G, and the split halves the edit
/// pipeline runs (G_H once per photo, G_F for every render).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class GeneratorForwardBenchmarks
{
    private ProGanGenerator _generator = null!;
    private Tensor _z = null!;
    private Tensor _r = null!;

    /// <summary>Which architecture: the authors' 256² LSUN layout, or the small 64² layout of the embedded model.</summary>
    [Params("lsun256", "small64")]
    public string Model { get; set; } = "lsun256";

    [GlobalSetup]
    public void Setup()
    {
        _generator = ProGanGenerator.Create(BenchmarkModels.Architecture(Model), seed: 1);
        _z = randn(1, _generator.LatentSize, generator: new Generator(0, CPU).manual_seed(7));
        _r = _generator.Early(_z);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _r.Dispose();
        _z.Dispose();
        _generator.Dispose();
    }

    [Benchmark(Baseline = true, Description = "G(z)")]
    public float Generate()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _generator.Generate(_z).mean().item<float>();
    }

    [Benchmark(Description = "G_F(r)")]
    public float Late()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _generator.Late(_r).mean().item<float>();
    }
}
