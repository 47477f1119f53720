using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Every benchmark class carries its own job (see BenchmarkConfigs.cs). Examples:
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- --filter '*GeneratorForward*'
//   dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- --filter '*FullFit*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
    .Run(args, DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary));
