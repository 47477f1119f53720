using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>What operators may use to build a stroke: the generator (for shapes and resolution), the concept catalog
/// and the photo's representation.</summary>
public sealed class EditContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="generator">The generator being edited (not owned).</param>
    /// <param name="catalog">The concept catalog for its split layer; null when no concept operator is used.</param>
    public EditContext(ILayerSplitGenerator generator, IConceptCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Generator = generator;
        Catalog = catalog;
    }

    /// <summary>The generator being edited.</summary>
    public ILayerSplitGenerator Generator { get; }

    /// <summary>The concept catalog for the generator's split layer, if any.</summary>
    public IConceptCatalog? Catalog { get; }

    /// <summary>The photo's representation r, <c>[1, C, H, W]</c>, for operators whose values depend on it. Optional.</summary>
    public Tensor? Representation { get; init; }

    /// <summary>Receives notes about how requests were interpreted.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The catalog, checked against the generator's split layer.</summary>
    /// <param name="operatorName">The operator asking, for the message.</param>
    /// <exception cref="InvalidOperationException">No catalog was given.</exception>
    /// <exception cref="ArgumentException">The catalog is for another layer or unit count.</exception>
    public IConceptCatalog RequireCatalog(string operatorName)
    {
        var catalog = Catalog ?? throw new InvalidOperationException(
            $"The '{operatorName}' operator needs a concept catalog: load one (ConceptCatalog.Load) or run a dissection, " +
            "and give it to the editor (SemanticEditorParts.Catalog, or UseConceptCatalog in DI).");
        ConceptCatalog.ThrowIfMismatched(catalog, Generator);
        return catalog;
    }

    /// <summary>Validates and prepares a request's mask at the generator's resolution (see
    /// <see cref="StrokeMask.FromTensor"/>).</summary>
    /// <exception cref="ArgumentException">The mask is empty, not square, or not a mask.</exception>
    public StrokeMask PrepareMask(Tensor mask) => StrokeMask.FromTensor(mask, Generator.Resolution, Logger);
}
