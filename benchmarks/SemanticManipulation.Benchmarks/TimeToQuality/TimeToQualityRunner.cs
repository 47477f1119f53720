using System.Diagnostics;
using System.Globalization;
using System.Text;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Benchmarks.SideBySide;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks.TimeToQuality;

/// <summary>
/// Time to quality: how many adaptation steps and seconds each kind of perturbation needs to bring the kept pixels to
/// a target PSNR (the paper's mean, 30.6 dB, by default), with the SDK's early stop, and where a full fit of the
/// paper's 1000 steps ends. Written to its own block of <c>docs/benchmarks.md</c>.
/// </summary>
/// <remarks>
/// The problem is <see cref="BenchmarkModels.AdaptationProblem"/>: a random-weight generator (small64, the default
/// model's 128² layout, or the authors' LSUN 256² layout) asked to match the image of a sibling whose late weights
/// carry 25 % noise, so G cannot render the photo without δ. The edit mask is a centred square of a third of the side, as in the side-by-side runner.
/// </remarks>
internal static class TimeToQualityRunner
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- time-to-quality [options]
          --sizes 64,256     generator sizes: 64 (small64), 128 (the default model's 128² layout), 256 (default 64,256)
          --target DB        kept-pixel PSNR to reach (default 30.6, the paper's mean)
          --steps N          steps of the full fit, and the most the early-stopped fit may take (default 1000)
          --threads N        torch threads (default 2)
          --no-write         print the table only
        """;

    public static int Run(string[] args)
    {
        var sizes = new List<int> { 64, 256 };
        double target = 30.6;
        int steps = 1000, threads = 2;
        var write = true;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--sizes": sizes = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--target": target = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-write": write = false; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }
        }

        Runtime.TorchRuntime.UseThreads(threads);
        var busyBefore = SideBySideRunner.BusyProcesses();
        var loadBefore = SideBySideRunner.LoadAverage();
        var clock = Stopwatch.StartNew();
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine("| size | perturbation | steps to reach | seconds to reach | kept PSNR at start | after 1000-step fit | seconds, 1000-step fit |");
        table.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (generator, photo, representation) = BenchmarkModels.AdaptationProblem(BenchmarkModels.ForSize(size));
            using var ownedGenerator = generator;
            using var ownedPhoto = photo;
            using var ownedRepresentation = representation;
            using var editMask = EditMask.Rectangle(size, size / 3, size / 3, size / 3, size / 3);
            var adapter = new GeneratorAdapter();
            // A few steps of each kind first, so that no row pays the process's one-off costs (oneDNN building its
            // kernels for these shapes, first-call JIT) that a host pays once, not per edit.
            foreach (var kind in new[] { PerturbationKinds.Free, PerturbationKinds.Network })
            {
                using var warmUp = adapter.Fit(generator, new AdaptationTarget(photo, representation, StrokeMask.FromTensor(editMask, size)),
                    new AdaptationOptions { Kind = kind, Steps = 5, ProgressInterval = 5 });
            }

            foreach (var kind in new[] { PerturbationKinds.Free, PerturbationKinds.Network })
            {
                var target1 = new AdaptationTarget(photo, representation, StrokeMask.FromTensor(editMask, size));
                AdaptationMetrics reach, full;
                using (var adapted = adapter.Fit(generator, target1, new AdaptationOptions { Kind = kind, Steps = steps, TargetKeptPsnrDb = target, ProgressInterval = steps }))
                {
                    reach = adapted.Metrics;
                }

                using (var adapted = adapter.Fit(generator, target1, new AdaptationOptions { Kind = kind, Steps = steps, ProgressInterval = steps, TargetKeptPsnrDb = null }))
                {
                    full = adapted.Metrics;
                }

                var reached = reach.StoppedEarly ? reach.Steps.ToString(c) : $"not in {steps}";
                var seconds = reach.StoppedEarly ? reach.Seconds.ToString("F1", c) : "—";
                var line = string.Create(c, $"| {size}² | {(kind == PerturbationKinds.Free ? "free δ" : "R")} | {reached} | {seconds} | {reach.PsnrBeforeDb:F1} dB | {full.PsnrAfterDb:F1} dB | {full.Seconds:F1} |");
                Console.Error.WriteLine(line);
                table.AppendLine(line);
            }
        }

        var report = new StringBuilder();
        report.AppendLine(c, $"## Time to {target:F1} dB on the kept pixels ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        report.AppendLine();
        report.AppendLine(c, $"""
            Steps and seconds until the kept pixels reach {target:F1} dB (the paper's mean after its 1000 steps on a GPU, about
            30 s there), with the SDK's early stop (`AdaptationOptions.TargetKeptPsnrDb`, the CLI's `--target-psnr`), and
            where a full {steps}-step fit ends. The photo is the image of a sibling generator whose late weights carry 25 %
            noise (`BenchmarkModels.AdaptationProblem`; `64` = small64, `128` = the default model's 128² layout, `256` = the
            authors' LSUN layout, random weights),
            so G needs δ to match it. Each size starts with a 5-step fit of each kind, so no row pays the process's
            one-off costs. Run with:
            """);
        report.AppendLine();
        report.AppendLine("```bash");
        report.AppendLine(c, $"dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- time-to-quality --sizes {string.Join(',', sizes)} --target {target:F1} --steps {steps} --threads {threads}");
        report.AppendLine("```");
        report.AppendLine();
        report.Append(table);
        report.AppendLine();
        report.AppendLine(c, $"- Machine: {SideBySideRunner.CpuModel()}, {Environment.ProcessorCount} logical cores, ISA {SideBySideRunner.Isa()}; {threads} threads. Wall time {clock.Elapsed.TotalMinutes:F1} min.");
        report.AppendLine(c, $"- Load average before / after: {loadBefore} / {SideBySideRunner.LoadAverage()}. Other jobs seen before: {(busyBefore.Count == 0 ? "none" : string.Join("; ", busyBefore))}.");
        Console.Out.WriteLine(report);
        if (write)
        {
            MarkedSection.Write(Path.Combine(MarkedSection.RepositoryRoot(), "docs", "benchmarks.md"), "time-to-quality", "time-to-quality runner", report.ToString());
        }

        return 0;
    }
}
