using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Tests.DefaultModel;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using EmbeddedModel = SemanticManipulation.DefaultModel;

namespace SemanticManipulation.Tests.Pipeline;

/// <summary>One way to build an editor: DI, a bundle and the CLI give the same pipeline, and a host's parts replace
/// the SDK's.</summary>
public sealed class EditorCompositionTests
{
    private static readonly SemanticEditOptions Short = new()
    {
        Inversion = new InversionOptions { Steps = 20 },
        Adaptation = new AdaptationOptions { Steps = 20 },
    };

    [Fact]
    public void A_host_resolves_a_working_editor_from_AddSemanticManipulation_alone_and_it_edits_as_the_bundles_does()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSemanticManipulation(o => o.BundlePath = EmbeddedModel.Directory);
        using var provider = services.BuildServiceProvider();
        using var bundle = EmbeddedModel.Load();

        var fromServices = provider.GetRequiredService<SemanticEditor>();
        var (image, metrics) = Edit(fromServices);
        var (bundleImage, bundleMetrics) = Edit(bundle.CreateEditor());

        Assert.Equal(bundleImage, image);
        Assert.Equal(bundleMetrics.UneditedPsnrDb, metrics.UneditedPsnrDb);
        Assert.Equal(bundleMetrics.Inversion!.PsnrDb, metrics.Inversion!.PsnrDb);
        Assert.Equal(InversionStart.Encoder, metrics.Inversion.Start);
        var share = Assert.Single(metrics.ConceptShares);
        Assert.True(share.After > share.Before + 0.3, $"tree share {share.Before:F3} -> {share.After:F3}");
    }

    [Fact]
    public void A_host_replaces_the_perturbation_factory_and_the_segmenter_and_the_editor_uses_them()
    {
        var factory = new CountingFactory();
        var services = new ServiceCollection();
        services.AddSemanticManipulation(o => o.BundlePath = EmbeddedModel.Directory)
            .UsePerturbationNetworkFactory(factory)
            .UseSegmenter(_ => new GreenSegmenter());
        using var provider = services.BuildServiceProvider();

        var editor = provider.GetRequiredService<SemanticEditor>();
        var (image, metrics) = Edit(editor);

        Assert.IsType<GreenSegmenter>(editor.Segmenter);
        Assert.Equal(1, factory.Created);
        var share = Assert.Single(metrics.ConceptShares);
        using var scope = NewDisposeScope();
        var resolution = editor.Generator.Resolution;
        using var photo = ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), resolution);
        var mask = EditMask.Load(DefaultModelFixture.SamplePhoto("church-trees-mask.png"), photo.Fit);
        // The editor judges the image as it is saved: clamped to [-1, 1] (ShareInMask).
        Assert.Equal(GreenSegmenter.Share(tensor(image, [1, 3, resolution, resolution]).clamp(-1, 1), mask), share.After, 6);
    }

    [Fact]
    public void The_same_edit_run_ten_times_in_one_process_reports_identical_metrics()
    {
        using var bundle = EmbeddedModel.Load();
        var editor = bundle.CreateEditor();
        var (firstImage, first) = Edit(editor);

        for (var run = 1; run < 10; run++)
        {
            var (image, metrics) = Edit(editor);
            Assert.Equal(firstImage, image);
            Assert.Equal(first.UneditedPsnrDb, metrics.UneditedPsnrDb);
            Assert.Equal(first.MaskFraction, metrics.MaskFraction);
            Assert.Equal(first.ConceptShares, metrics.ConceptShares);
            Assert.Equal(first.Inversion!.PsnrDb, metrics.Inversion!.PsnrDb);
        }

        Assert.True(first.ConceptShares[0].After > 0.5, $"tree share after the add: {first.ConceptShares[0].After:F3}");
    }

    private static (float[] Image, EditMetrics Metrics) Edit(SemanticEditor editor)
    {
        using var scope = NewDisposeScope();
        using var photo = ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), editor.Generator.Resolution);
        var mask = EditMask.Load(DefaultModelFixture.SamplePhoto("church-trees-mask.png"), photo.Fit);
        using var edit = editor.Open(photo.Tensor, Short);
        edit.Apply(new AddConcept("tree", mask));
        using var result = edit.Render();
        return (result.Image.data<float>().ToArray(), result.Metrics);
    }

    /// <summary>A host's perturbation factory: the SDK's R with a narrower noise input, counting what it made.</summary>
    private sealed class CountingFactory : IPerturbationNetworkFactory
    {
        private readonly PerturbationNetworkFactory _inner = new() { NoiseChannels = 8 };

        public int Created { get; private set; }

        public Perturbation Create(ILayerSplitGenerator generator, string kind, long seed)
        {
            Created++;
            return _inner.Create(generator, kind, seed);
        }
    }

    /// <summary>A host's segmenter: "tree" wherever green outweighs red and blue.</summary>
    private sealed class GreenSegmenter : ISegmenter
    {
        public IReadOnlyList<string> Labels { get; } = ["tree"];

        public static double Share(Tensor image, Tensor mask)
        {
            using var scope = NewDisposeScope();
            using var segmenter = new GreenSegmenter();
            return (segmenter.Segment(image) * mask).sum().item<float>() / mask.sum().item<float>();
        }

        public Tensor Segment(Tensor images)
        {
            using var scope = NewDisposeScope();
            var green = (images[.., 1..2] > images[.., 0..1]).logical_and(images[.., 1..2] > images[.., 2..3]);
            return green.to(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
        }
    }
}
