using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Segmentation;

namespace SemanticManipulation.Cli;

/// <summary>
/// What <c>--model</c> named, loaded: a whole bundle (generator, and the catalog, encoder and segmenter it has), or a
/// bare generator checkpoint. Owns and disposes what it loaded.
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly ModelBundle? _bundle;
    private readonly ProGanGenerator? _bareGenerator;
    private readonly List<IDisposable> _owned = [];

    public LoadedModel(ModelBundle bundle) => _bundle = bundle;

    public LoadedModel(ProGanGenerator generator) => _bareGenerator = generator;

    public ProGanGenerator Generator => _bundle?.Generator ?? _bareGenerator!;

    /// <summary>The bundle's concept catalog; null for a bare checkpoint or a bundle without one.</summary>
    public ConceptCatalog? Catalog => _bundle?.Catalog;

    /// <summary>The bundle's encoder; null for a bare checkpoint or a bundle without one.</summary>
    public HybridEncoder? Encoder => _bundle?.Encoder;

    /// <summary>The bundle's segmenter; null for a bare checkpoint or a bundle without one.</summary>
    public ConvolutionalSegmenter? Segmenter => _bundle?.Segmenter;

    /// <summary>The bundle's folder, or null for a bare checkpoint.</summary>
    public string? BundleDirectory => _bundle?.Directory;

    /// <summary>The parts for a <see cref="SemanticEditor"/>: the bundle's, or the bare generator alone.</summary>
    public SemanticEditorParts Parts() => _bundle?.Parts() ?? new SemanticEditorParts { Generator = Generator };

    /// <summary>Keeps a part a verb loaded beside the model (its own encoder, segmenter or feature loss) until the
    /// model is disposed.</summary>
    public T Own<T>(T part)
        where T : IDisposable
    {
        _owned.Add(part);
        return part;
    }

    public void Dispose()
    {
        foreach (var part in _owned)
        {
            part.Dispose();
        }

        _bundle?.Dispose();
        _bareGenerator?.Dispose();
    }
}
