using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Generators;
using SemanticManipulation.Editing;
using SemanticManipulation.FeatureLosses;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks.SideBySide;

/// <summary>
/// The SDK side of the side-by-side benchmark, run in its own process by <see cref="SideBySideRunner"/>: the same rows as
/// <c>tools/side-by-side/reference.py</c>, timed the same way (warm-up, then one <see cref="Stopwatch"/> per
/// iteration), printed as one JSON line <c>{"meta": {...}, "rows": {"row@size": [ms, ...]}}</c>.
/// </summary>
/// <remarks>
/// The steps are the SDK's own: <see cref="AdaptationLoop.Step"/> (what <see cref="GeneratorAdapter.Fit(ILayerSplitGenerator, AdaptationTarget, AdaptationOptions?, IProgress{AdaptationProgress}?, CancellationToken)"/>
/// runs per step), <see cref="RefinementLoop.Step"/> (what <see cref="ImageInverter"/> runs per refinement step, pixel-only
/// and with <see cref="ResNet18FeatureLoss"/> as φ), <see cref="AdaptedGenerator.RenderPreview(Tensor, Tensor)"/>, and a
/// whole <c>GeneratorAdapter.Fit</c>. With the feature-loss row the meta also carries <c>phi_check</c>: φ's distance
/// between two fixed patterns per size, which the reference computes too, so the runner can show both sides' φ agree.
/// </remarks>
internal static class SdkWorker
{
    public static int Run(SideBySideOptions options)
    {
        torch.set_num_threads(options.Threads);
        var rows = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var featureChecks = new Dictionary<string, double>(StringComparer.Ordinal);
        // φ as the SDK loads it by default (local ONNX files, stage 2, images at their own size).
        using var featureLoss = options.Wants(FeatureRow) ? ResNet18FeatureLoss.Load() : null;

        void Time(string name, int size, Action action, int warmup, int iterations)
        {
            if (!options.Wants(name))
            {
                return;
            }

            for (var i = 0; i < warmup; i++)
            {
                Scoped(action);
            }

            var times = new List<double>(iterations);
            for (var i = 0; i < iterations; i++)
            {
                var clock = Stopwatch.StartNew();
                Scoped(action);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            rows[$"{name}@{size}"] = times;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name}@{size}: {times.Min():F2} ms min"));
        }

        void Row(string name, int size, Action action) => Time(name, size, action, options.Warmup, options.Iterations);

        foreach (var size in options.Sizes)
        {
            var model = size switch
            {
                64 => "small64",
                256 => "lsun256",
                _ => throw new ArgumentException($"Size {size} is not one of 64, 256."),
            };
            using var generator = ProGanGenerator.Create(BenchmarkModels.Architecture(model), seed: 1);
            using var z = randn(1, generator.LatentSize, generator: new Generator(0, CPU).manual_seed(3));
            Tensor r;
            ModelPhoto photo;
            using (var setup = NewDisposeScope())
            using (no_grad())
            {
                r = generator.Early(z).DetachFromDisposeScope();
                // A photo the generator cannot reproduce exactly: its image plus noise (as the reference).
                var noise = randn([1, 3, size, size], generator: new Generator(0, CPU).manual_seed(4));
                photo = ModelPhoto.From((generator.Late(r) + (noise * 0.1)).clamp(-1, 1), size);
            }

            using var representation = r;
            using var ownedPhoto = photo;
            using var editMask = EditMask.Rectangle(size, size / 4, size / 4, size / 3, size / 3);
            var target = new AdaptationTarget(photo, r, StrokeMask.FromTensor(editMask, size));

            Row("g_forward", size, () =>
            {
                using var noGrad = no_grad();
                generator.Generate(z);
            });
            Row("gf_forward", size, () =>
            {
                using var noGrad = no_grad();
                generator.Late(r);
            });

            var factory = new PerturbationNetworkFactory();
            using var freeLoop = new AdaptationLoop(generator, factory.Create(generator, PerturbationKinds.Free, 0), target,
                new AdaptationOptions { Kind = PerturbationKinds.Free });
            // As a fit without a target PSNR steps between the steps it reports: no PSNR read-back (the reference measures none).
            Row("free_step", size, () => freeLoop.Step(measurePsnr: false));
            using var networkLoop = new AdaptationLoop(generator, factory.Create(generator, PerturbationKinds.Network, 0), target,
                new AdaptationOptions { Kind = PerturbationKinds.Network });
            Row("r_step", size, () => networkLoop.Step(measurePsnr: false));

            void RefineRow(string name, IFeatureLoss? phi)
            {
                if (!options.Wants(name))
                {
                    return;
                }

                var early = EarlyLayers.Probe(generator);
                var start = new RefinementStart(InversionStart.Mean, StartGuess.Latent, z, null, null);
                using var refinement = new RefinementLoop(generator, early, photo.Tensor, start,
                    ResidualRefinement.ResidualLayers(early, start, null), phi, new InversionOptions());
                var step = 0;
                Row(name, size, () => refinement.Step(++step));
            }

            RefineRow("refine_step", phi: null);
            if (featureLoss is not null)
            {
                RefineRow(FeatureRow, featureLoss);
                featureChecks[size.ToString(CultureInfo.InvariantCulture)] = FeatureCheck(featureLoss, size);
            }

            var adapter = new GeneratorAdapter();
            if (options.Wants("preview_free"))
            {
                using var adapted = adapter.Fit(generator, target, new AdaptationOptions { Kind = PerturbationKinds.Free, Steps = 1 });
                Row("preview_free", size, () => adapted.RenderPreview(r, editMask));
            }

            if (options.Wants("preview_r"))
            {
                using var adapted = adapter.Fit(generator, target, new AdaptationOptions { Kind = PerturbationKinds.Network, Steps = 1 });
                Row("preview_r", size, () => adapted.RenderPreview(r, editMask));
            }

            foreach (var (row, kind) in new[] { ("fit_free", PerturbationKinds.Free), ("fit_r", PerturbationKinds.Network) })
            {
                var fitSteps = options.FitStepsFor(size);
                var fitOptions = new AdaptationOptions { Kind = kind, Steps = fitSteps, ProgressInterval = fitSteps, TargetKeptPsnrDb = null };
                Time(row, size, () => adapter.Fit(generator, target, fitOptions).Dispose(), warmup: 0, options.FitIterations);
            }
        }

        var meta = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["side"] = "sdk",
            ["version"] = Versions.TorchSharp(),
            ["libtorch"] = Versions.LibTorch(),
            ["dotnet"] = Environment.Version.ToString(),
            ["threads"] = torch.get_num_threads(),
            ["omp_num_threads"] = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") ?? "",
        };
        if (featureLoss is not null)
        {
            meta["phi"] = featureLoss.Name;
            meta["phi_check"] = featureChecks;
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["meta"] = meta, ["rows"] = rows }));
        return 0;
    }

    /// <summary>The row that refines with φ (its name on both sides).</summary>
    internal const string FeatureRow = "refine_feature_step";

    /// <summary>
    /// φ's distance between two fixed smooth patterns at <paramref name="size"/>² (the reference builds the same ones):
    /// it agrees with PyTorch's only if the weights, architecture, stage read, preprocessing and distance all do.
    /// </summary>
    private static double FeatureCheck(IFeatureLoss phi, int size)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u = linspace(-1, 1, size);
        var x = u.view(1, 1, 1, size);
        var y = u.view(1, 1, size, 1);
        var channel = arange(3, dtype: ScalarType.Float32).view(1, 3, 1, 1);
        var first = sin((x * 3) + (y * 2) + channel);
        var second = cos((x * 2) - (y * 3) + (channel * 0.5)) * 0.8;
        return phi.Distance(phi.Features(first), phi.Features(second)).item<float>();
    }

    private static void Scoped(Action action)
    {
        using var scope = NewDisposeScope();
        action();
    }
}

/// <summary>Versions of the native stack, for the report.</summary>
internal static class Versions
{
    /// <summary>TorchSharp's informational version.</summary>
    public static string TorchSharp() =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The libtorch package this app was built with (from its deps.json), e.g. <c>2.10.0.1</c>.</summary>
    public static string LibTorch()
    {
        var deps = Path.Combine(AppContext.BaseDirectory, "SemanticManipulation.Benchmarks.deps.json");
        if (!File.Exists(deps))
        {
            return "?";
        }

        const string prefix = "\"libtorch-cpu-linux-x64/";
        var text = File.ReadAllText(deps);
        var at = text.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return "?";
        }

        var end = text.IndexOf('"', at + prefix.Length);
        return text[(at + prefix.Length)..end];
    }
}
