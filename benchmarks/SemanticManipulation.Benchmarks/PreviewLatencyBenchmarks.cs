using SemanticManipulation.Imaging;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Pipeline;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>
/// The studio's latency per stroke, server side: <c>PhotoEdit.Apply(new AddConcept(...))</c> and
/// <c>PhotoEdit.RenderPreview()</c> once the preview G' is fitted (GANPaint Studio's "interactive rates"). With the
/// shipped default model (128²), and at 256² with a random-weight LSUN-layout ProGAN and a made-up catalog (latency does
/// not depend on what the weights learned). Run with <c>--filter *PreviewLatency*</c>; the table has P50 and P95.
/// </summary>
[Config(typeof(PreviewLatencyConfig))]
public class PreviewLatencyBenchmarks
{
    private IDisposable? _model;
    private PhotoEdit _edit = null!;
    private Tensor _mask = null!;

    /// <summary><c>default</c>: the embedded model (128²); <c>lsun256</c>: a random-weight 256² ProGAN.</summary>
    [Params("default", "lsun256")]
    public string Model { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        SemanticEditor editor;
        ModelPhoto photo;
        Tensor representation;
        if (Model == "default")
        {
            var bundle = SemanticManipulation.DefaultModel.Load();
            _model = bundle;
            editor = bundle.CreateEditor();
            using var z = randn(1, editor.Generator.LatentSize, generator: new Generator(0, CPU).manual_seed(3));
            representation = editor.Generator.Early(z).detach();
            photo = ModelPhoto.From(editor.Generator.Late(representation).clamp(-1, 1), editor.Generator.Resolution);
        }
        else
        {
            ProGanGenerator generator;
            (generator, photo, representation) = BenchmarkModels.AdaptationProblem("lsun256");
            _model = generator;
            var units = generator.RepresentationShape.Channels;
            // A catalog's units only pick which channels a stroke switches on: any 30 give a stroke's real cost.
            var catalog = new ConceptCatalog(generator.SplitLayer, Enumerable.Repeat(1f, units).ToArray(),
                [new ConceptRanking("tree", "iou", Enumerable.Range(0, 30).Select(u => new RankedUnit(u * 7 % units, 1f)))]);
            editor = new SemanticEditor(new SemanticEditorParts { Generator = generator, Catalog = catalog });
        }

        // The preview G' is fitted once per photo before any stroke; its step count does not change a stroke's cost.
        var options = new SemanticEditOptions { PreviewAdaptation = new AdaptationOptions { Steps = 5, Kind = PerturbationKinds.Free } };
        _edit = editor.Open(photo, representation, options);
        photo.Dispose();
        _edit.RenderPreview().Dispose();
        var size = editor.Generator.Resolution;
        _mask = zeros(1, 1, size, size);
        _mask[.., .., (size / 8)..(size * 3 / 8), (size / 16)..(size * 6 / 16)] = tensor(1f);
    }

    /// <summary>Each measured stroke is undone so that every invocation adds a stroke to the same (empty) stack.</summary>
    [IterationCleanup]
    public void UndoStroke() => _edit.Session.Undo();

    [Benchmark(Description = "stroke + preview")]
    public long StrokeAndPreview()
    {
        using var scope = NewDisposeScope();
        _edit.Apply(new AddConcept("tree", _mask));
        return _edit.RenderPreview().shape[^1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _edit.Dispose();
        _mask.Dispose();
        _model?.Dispose();
    }

    /// <summary>One stroke per iteration (so the cleanup can undo it), a few warm-ups, percentiles in the table.</summary>
    private sealed class PreviewLatencyConfig : ManualConfig
    {
        public PreviewLatencyConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(20)
                .WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(InProcessEmitToolchain.Instance).WithId("strokes"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95);
        }
    }
}
