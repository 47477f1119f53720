using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace SemanticManipulation.Benchmarks.SideBySide;

/// <summary>
/// Runs the SDK (<see cref="SdkWorker"/>, this executable in worker mode) and the PyTorch reference
/// (<c>tools/side-by-side/reference.py</c>) interleaved, each in its own process, for several rounds; pools every
/// measured iteration per row; prints min, median and the SDK/PyTorch ratio of the medians; writes the table into the
/// side-by-side section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class SideBySideRunner
{
    private static readonly (string Id, string What)[] RowNames =
    [
        ("g_forward", "G(z) forward, no grad"),
        ("gf_forward", "G_F(r) forward, no grad"),
        ("free_step", "free-δ adaptation step (G_F with (1+δ) hook, kept-pixel L1 + 0.1·mean δ², backward, Adam)"),
        ("r_step", "R adaptation step (R forward → δ heads, then as free δ)"),
        ("refine_step", "inversion refinement step, pixel-only (residuals on layer1–3, G_F(G_H), L1 + mean d², backward, Adam)"),
        (SdkWorker.FeatureRow, "inversion refinement step with the feature loss (as refine_step + mean abs. difference of φ(x̂) and φ(x), φ = ResNet-18 to stage 2 at the image's size)"),
        ("preview_free", "preview render, free δ (δ zeroed in the mask), no grad"),
        ("preview_r", "preview render, R (R forward included), no grad"),
        ("fit_free", "full fit, free δ, {K} steps (set-up, steps, final PSNR)"),
        ("fit_r", "full fit, R, {K} steps"),
    ];

    public static int Run(SideBySideOptions options)
    {
        var root = MarkedSection.RepositoryRoot();
        var reference = Path.Combine(root, "tools", "side-by-side", "reference.py");
        if (!File.Exists(reference))
        {
            throw new FileNotFoundException("The PyTorch reference is missing.", reference);
        }

        // Before the SDK's rounds (minutes of work): the reference needs a Python that can import torch.
        if (!CanImportTorch(options.Python))
        {
            Console.Error.WriteLine(
                $"side-by-side: {options.Python} cannot import torch; install Debian's PyTorch (apt-get install python3-torch) or name a Python that has it with --python PATH.");
            return 1;
        }

        // The reference reads the SDK's φ weights from a file the runner writes from them (it cannot read the ONNX).
        using var featureWeights = options.Wants(SdkWorker.FeatureRow) ? ReferenceFeatureWeights.Write() : null;
        var busyBefore = BusyProcesses();
        var loadBefore = LoadAverage();
        var sdk = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var pytorch = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        JsonElement sdkMeta = default, pytorchMeta = default;
        var clock = Stopwatch.StartNew();
        for (var round = 1; round <= options.Rounds; round++)
        {
            // Alternate which side goes first, so neither always gets the cooler (or hotter) machine.
            var sdkFirst = round % 2 == 1;
            for (var turn = 0; turn < 2; turn++)
            {
                var isSdk = (turn == 0) == sdkFirst;
                Console.Error.WriteLine($"== round {round}/{options.Rounds}: {(isSdk ? "SDK" : "PyTorch")}");
                var (meta, rows) = isSdk ? RunSdk(options) : RunPython(options, reference, featureWeights?.Path);
                if (isSdk)
                {
                    sdkMeta = meta;
                }
                else
                {
                    pytorchMeta = meta;
                }

                foreach (var (row, times) in rows)
                {
                    var pool = isSdk ? sdk : pytorch;
                    if (!pool.TryGetValue(row, out var list))
                    {
                        pool[row] = list = [];
                    }

                    list.AddRange(times);
                }
            }
        }

        var report = Report(options, sdk, pytorch, sdkMeta, pytorchMeta, busyBefore, BusyProcesses(), loadBefore, LoadAverage(), clock.Elapsed);
        Console.Out.WriteLine(report);
        if (options.Write)
        {
            var output = options.Output ?? Path.Combine(root, "docs", "benchmarks.md");
            MarkedSection.Write(output, "side-by-side", "side-by-side runner", report);
            Console.Error.WriteLine($"Wrote the side-by-side section of {output}.");
        }

        return 0;
    }

    private static bool CanImportTorch(string python)
    {
        var start = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import torch");
        try
        {
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No such program.
            return false;
        }
    }

    private static (JsonElement Meta, Dictionary<string, List<double>> Rows) RunSdk(SideBySideOptions options)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            arguments.Add(Assembly.GetEntryAssembly()!.Location);
        }

        arguments.Add("side-by-side-worker");
        arguments.AddRange(options.WorkerArguments());
        return RunWorker(self, arguments, options.Threads);
    }

    private static (JsonElement Meta, Dictionary<string, List<double>> Rows) RunPython(SideBySideOptions options, string reference,
        string? featureWeights) =>
        RunWorker(options.Python,
            [reference, .. options.WorkerArguments(), .. featureWeights is null ? [] : new[] { "--resnet18", featureWeights }], options.Threads);

    private static (JsonElement Meta, Dictionary<string, List<double>> Rows) RunWorker(string program, IEnumerable<string> arguments, int threads)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var threadText = threads.ToString(CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = threadText;
        start.Environment["MKL_NUM_THREADS"] = threadText;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with code {process.ExitCode}:\n{output}");
        }

        // The result is the last line that is a JSON object (anything a library prints comes before it).
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"{program} printed no result:\n{output}");
        using var document = JsonDocument.Parse(line);
        var rows = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var row in document.RootElement.GetProperty("rows").EnumerateObject())
        {
            rows[row.Name] = row.Value.EnumerateArray().Select(v => v.GetDouble()).ToList();
        }

        return (document.RootElement.GetProperty("meta").Clone(), rows);
    }

    private static string Report(SideBySideOptions options, Dictionary<string, List<double>> sdk, Dictionary<string, List<double>> pytorch,
        JsonElement sdkMeta, JsonElement pytorchMeta, IReadOnlyList<string> busyBefore, IReadOnlyList<string> busyAfter,
        string loadBefore, string loadAfter, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## Side by side with PyTorch ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("The SDK and the project's PyTorch reference (`tools/side-by-side/reference.py`) time the same operations on the");
        text.AppendLine("same random-weight generators (`64` = small64, z 256, channels 256→32; `256` = the authors' LSUN layout),");
        text.AppendLine("batch 1, CPU, same thread count, each side in its own process, interleaved. Every measured iteration of every");
        text.AppendLine("round is pooled; the ratio is SDK median / PyTorch median (below 1: the SDK is faster). Run with:");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine(c, $"dotnet run -c Release --project benchmarks/SemanticManipulation.Benchmarks -- side-by-side {string.Join(' ', CommandLine(options))}");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("| operation | size | SDK min | SDK median | PyTorch min | PyTorch median | SDK/PyTorch (median) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var size in options.Sizes)
        {
            foreach (var (id, what) in RowNames)
            {
                var key = $"{id}@{size}";
                var hasSdk = sdk.TryGetValue(key, out var s) && s.Count > 0;
                var hasTorch = pytorch.TryGetValue(key, out var p) && p.Count > 0;
                if (!hasSdk && !hasTorch)
                {
                    continue;
                }

                var ratio = hasSdk && hasTorch ? (Median(s!) / Median(p!)).ToString("F2", c) : "—";
                text.AppendLine(c,
                    $"| {what.Replace("{K}", options.FitStepsFor(size).ToString(c), StringComparison.Ordinal)} | {size}² | {Ms(s, Enumerable.Min)} | {Ms(s, Median)} | {Ms(p, Enumerable.Min)} | {Ms(p, Median)} | {ratio} |");
            }
        }

        text.AppendLine();
        text.AppendLine(c, $"- Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, ISA {Isa()} (PyTorch's CPU capability: {Get(pytorchMeta, "cpu_capability")}).");
        text.AppendLine(c, $"- Threads: {options.Threads} (SDK `torch.set_num_threads` → {Get(sdkMeta, "threads")}, PyTorch → {Get(pytorchMeta, "threads")}; `OMP_NUM_THREADS={options.Threads}` for both).");
        text.AppendLine(c, $"- SDK: TorchSharp {Get(sdkMeta, "version")}, libtorch {Get(sdkMeta, "libtorch")}, .NET {Get(sdkMeta, "dotnet")}. PyTorch {Get(pytorchMeta, "version")} (Debian python3-torch {Get(pytorchMeta, "package")}), Python {Get(pytorchMeta, "python")}.");
        text.AppendLine(c, $"- {options.Rounds} round(s) × {options.Iterations} iteration(s) after {options.Warmup} warm-up(s) per row; full fits: {options.FitIterations} per round, {options.FitStepsText} steps, no warm-up. Wall time {elapsed.TotalMinutes:F1} min.");
        text.AppendLine(c, $"- Load average before / after: {loadBefore} / {loadAfter}. Other jobs (testhost, semantic-manipulation) seen before: {Describe(busyBefore)}; after: {Describe(busyAfter)}.");
        text.AppendLine("- Both sides' steps end with `loss.item()` and, as a fit's steps between those it reports, measure no PSNR (a fit without a target PSNR; the default, stopping at 40 dB, measures every step). The SDK's preview validates");
        text.AppendLine("  the mask (two reads): that is part of what it does per call, so it is in its times.");
        text.AppendLine("- The SDK's steps and fits are its own (`AdaptationLoop`): G_F's layers before the first perturbation point see only r, which a fit");
        text.AppendLine("  holds fixed, so it computes them once and each step resumes after them; the reference, as written, runs the whole G_F each step.");
        if (FeatureChecks(sdkMeta, pytorchMeta) is { } featureChecks)
        {
            text.AppendLine(c, $"- φ (feature-loss row): the SDK's `ResNet18FeatureLoss` ({Get(sdkMeta, "phi")}: the pretrained ResNet-18 from its NuGet package's ONNX file, images as BGR 0–255 minus its mean image),");
            text.AppendLine(c, $"  weight 1. PyTorch's φ: {Get(pytorchMeta, "phi_weights")}. Same φ on both sides, mean |φ(a) − φ(b)| of two fixed patterns: {featureChecks}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Note))
        {
            text.AppendLine(c, $"- Note: {options.Note}");
        }

        return text.ToString();
    }

    /// <summary>Both sides' φ check per size (<c>64²: SDK …, PyTorch …, relative difference …</c>), or null if neither ran it.</summary>
    private static string? FeatureChecks(JsonElement sdkMeta, JsonElement pytorchMeta)
    {
        static Dictionary<string, double> Read(JsonElement meta) =>
            meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("phi_check", out var checks) && checks.ValueKind == JsonValueKind.Object
                ? checks.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
                : [];

        var sdk = Read(sdkMeta);
        var pytorch = Read(pytorchMeta);
        if (sdk.Count == 0 && pytorch.Count == 0)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        return string.Join("; ", sdk.Keys.Union(pytorch.Keys).Select(size =>
        {
            var hasSdk = sdk.TryGetValue(size, out var s);
            var hasTorch = pytorch.TryGetValue(size, out var p);
            var difference = hasSdk && hasTorch ? (Math.Abs(s - p) / Math.Max(Math.Abs(p), double.Epsilon)).ToString("G2", c) : "—";
            return $"{size}²: SDK {(hasSdk ? s.ToString("G6", c) : "—")}, PyTorch {(hasTorch ? p.ToString("G6", c) : "—")}, relative difference {difference}";
        }));
    }

    private static IEnumerable<string> CommandLine(SideBySideOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        yield return $"--threads {options.Threads.ToString(c)} --rounds {options.Rounds.ToString(c)} --iterations {options.Iterations.ToString(c)}";
        yield return $"--sizes {string.Join(',', options.Sizes.Select(s => s.ToString(c)))} --fit-steps {options.FitStepsText}";
        if (options.Rows.Count > 0)
        {
            yield return $"--rows {string.Join(',', options.Rows)}";
        }
    }

    private static string Ms(List<double>? times, Func<IEnumerable<double>, double> statistic)
    {
        if (times is null || times.Count == 0)
        {
            return "—";
        }

        var value = statistic(times);
        var format = value < 10 ? "F2" : value < 100 ? "F1" : "F0";
        return value >= 10_000
            ? (value / 1000).ToString("F1", CultureInfo.InvariantCulture) + " s"
            : value.ToString(format, CultureInfo.InvariantCulture) + " ms";
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Get(JsonElement meta, string name) =>
        meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(name, out var value) ? value.ToString() : "?";

    internal static string CpuModel() => CpuInfoField("model name") ?? "unknown CPU";

    internal static string Isa()
    {
        var flags = (CpuInfoField("flags") ?? "").Split(' ');
        return flags.Contains("avx512f") ? "AVX-512" + (flags.Contains("avx512_vnni") ? " (VNNI)" : "")
            : flags.Contains("avx2") ? "AVX2" : "SSE/other";
    }

    private static string? CpuInfoField(string name)
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return null;
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static bool IsStopped(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) S ...", the state letter after the command's closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length && stat[close + 2] is 'T' or 't';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static List<string> BusyProcesses()
    {
        var self = Environment.ProcessId;
        var busy = new List<string>();
        foreach (var process in Process.GetProcesses())
        {
            using (process)
            {
                if (process.Id == self)
                {
                    continue;
                }

                var commandLine = ReadCommandLine(process.Id);
                if (commandLine.Contains("testhost", StringComparison.Ordinal) || commandLine.Contains("semantic-manipulation", StringComparison.Ordinal))
                {
                    // A job paused for the measurement (SIGSTOP) takes no CPU; say so rather than leave it looking like contention.
                    var paused = IsStopped(process.Id) ? " (stopped)" : string.Empty;
                    busy.Add($"{process.Id.ToString(CultureInfo.InvariantCulture)} {commandLine[..Math.Min(80, commandLine.Length)]}{paused}");
                }
            }
        }

        return busy;
    }

    private static string ReadCommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string Describe(IReadOnlyList<string> busy) => busy.Count == 0 ? "none" : string.Join("; ", busy);
}
