using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SemanticManipulation.Benchmarks.SideBySide;

// Every benchmark class carries its own job (see BenchmarkConfigs.cs). Examples:
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- --filter '*GeneratorForward*'
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- --filter '*FullFit*'
// The side-by-side comparison with PyTorch (tools/side-by-side/reference.py), written to docs/benchmarks.md:
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- side-by-side --threads 2
if (args.Length > 0 && args[0] is "side-by-side" or "side-by-side-worker")
{
    if (args.Skip(1).Any(a => a is "-h" or "--help"))
    {
        Console.Out.WriteLine(SideBySideOptions.Usage);
        return 0;
    }

    var options = SideBySideOptions.Parse(args[1..]);
    return args[0] == "side-by-side" ? SideBySideRunner.Run(options) : SdkWorker.Run(options);
}

// Steps and seconds to the paper's 30.6 dB, both perturbation kinds, written to docs/benchmarks.md:
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- time-to-quality
if (args.Length > 0 && args[0] == "time-to-quality")
{
    if (args.Skip(1).Any(a => a is "-h" or "--help"))
    {
        Console.Out.WriteLine(SemanticManipulation.Benchmarks.TimeToQuality.TimeToQualityRunner.Usage);
        return 0;
    }

    return SemanticManipulation.Benchmarks.TimeToQuality.TimeToQualityRunner.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
    .Run(args, DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary));
return 0;
