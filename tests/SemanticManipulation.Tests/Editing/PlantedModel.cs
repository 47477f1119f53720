using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The planted generator, its segmenter and its dissected catalog, shared by a test class.</summary>
public sealed class PlantedModel : IDisposable
{
    public PlantedModel()
    {
        Generator = PlantedGenerator.Create();
        Segmenter = new ColorThresholdSegmenter();
        Dissection = new GanDissector().Dissect(Generator, Segmenter, Options(seed: 0));
    }

    internal ProGanGenerator Generator { get; }

    internal ColorThresholdSegmenter Segmenter { get; }

    internal DissectionResult Dissection { get; }

    internal ConceptCatalog Catalog => Dissection.Catalog;

    /// <summary>Small sample counts: the planted units are obvious, and the whole dissection takes about a second.</summary>
    internal static DissectionOptions Options(long seed) => new()
    {
        QuantileSamples = 256,
        SegmentationSamples = 96,
        BatchSize = 16,
        Seed = seed,
    };

    /// <summary>The representation of the latent drawn with <paramref name="seed"/>, <c>[1, 8, 8, 8]</c>.</summary>
    internal Tensor Representation(long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = randn(1, Generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(seed));
        return Generator.Early(z).MoveToOuterDisposeScope();
    }

    internal Tensor Render(Tensor representation)
    {
        using var noGrad = no_grad();
        return Generator.Late(representation);
    }

    internal EditContext Context() => new(Generator, Catalog);

    /// <summary>The whole pipeline on the planted generator: its catalog, its colour segmenter as the judge, and
    /// inversion without an encoder.</summary>
    internal SemanticEditor Editor() => new(new SemanticEditorParts { Generator = Generator, Catalog = Catalog, Segmenter = Segmenter });

    public void Dispose()
    {
        Segmenter.Dispose();
        Generator.Dispose();
    }
}
