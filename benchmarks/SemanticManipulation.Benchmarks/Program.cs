using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short jobs by default so a full run fits a CI-sized machine; pass --job default for BenchmarkDotNet's full rigour.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithId("short"))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, args.Contains("--job") ? DefaultConfig.Instance : config);
