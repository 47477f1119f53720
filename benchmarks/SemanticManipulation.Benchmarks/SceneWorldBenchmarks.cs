using BenchmarkDotNet.Attributes;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// The procedural scene world that trains the default model: one image with its labels on one thread, and a batch of 64
/// rendered across the machine's cores (what every GAN and segmenter training step waits for).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class SceneWorldBenchmarks
{
    private readonly SceneWorld _world = new();
    private byte[] _rgb = [];
    private byte[] _labels = [];
    private int _seed;

    /// <summary>Side of the rendered images.</summary>
    [Params(64, 128)]
    public int Size { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        _rgb = new byte[3 * Size * Size];
        _labels = new byte[Size * Size];
    }

    [Benchmark(Baseline = true, Description = "one image, one thread")]
    public void RenderOne() => _world.RenderInto(_seed++, Size, _rgb, _labels);

    [Benchmark(Description = "batch of 64, all cores")]
    public void RenderBatch()
    {
        using var batch = _world.RenderBatch(_seed, 64, Size);
        _seed += 64;
    }
}
