using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// Short in-process runs: each operation takes milliseconds to seconds, so a few iterations measure it well, and
/// in-process runs skip rebuilding a copy of the project (and its 600 MB of native libtorch) per benchmark.
/// </summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig() =>
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short"));
}

/// <summary>One measured run per case, for operations that take minutes.</summary>
public sealed class OnceInProcessConfig : ManualConfig
{
    public OnceInProcessConfig() =>
        AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true)).WithId("once"));
}
