using SemanticManipulation.Editing;
using SemanticManipulation.Pipeline;
using static TorchSharp.torch;

namespace SemanticManipulation.Studio.Model;

/// <summary>
/// The loaded model as the studio uses it: the SDK's <see cref="SemanticEditor"/> (resolved from the one composition
/// root), its resolution, and the concepts of its catalog with a display colour each.
/// </summary>
internal sealed class StudioModel
{
    public StudioModel(SemanticEditor editor, string description)
    {
        ArgumentNullException.ThrowIfNull(editor);
        Editor = editor;
        Description = description;
        var concepts = editor.Catalog?.Concepts ?? [];
        Concepts = [.. concepts.Select((name, i) => new ConceptInfo(name, ConceptPalette.ColourOf(name, i)))];
    }

    /// <summary>The editor every session opens its photo with.</summary>
    public SemanticEditor Editor { get; }

    /// <summary>Where the model came from, for the page.</summary>
    public string Description { get; }

    /// <summary>The side of the model's square images.</summary>
    public int Resolution => Editor.Generator.Resolution;

    /// <summary>The catalog's concepts (empty without a catalog: then only restyle is possible).</summary>
    public IReadOnlyList<ConceptInfo> Concepts { get; }

    /// <summary>The catalog's spelling of <paramref name="concept"/> (matched case-insensitively), or null if unknown.</summary>
    public string? FindConcept(string concept) =>
        Concepts.FirstOrDefault(c => string.Equals(c.Name, concept, StringComparison.OrdinalIgnoreCase))?.Name;

    /// <summary>The unit counts of low, medium and high intensity (the catalog's), or null without a catalog.</summary>
    public IntensityUnitCounts? Intensities => Editor.Catalog?.Intensities;

    /// <summary>
    /// A generated image's latent: z ~ N(0, I) from <paramref name="seed"/>, drawn exactly as the CLI's
    /// <c>generate --seed</c> draws it, so the same seed shows the same scene in both.
    /// </summary>
    public Tensor SeededLatent(long seed)
    {
        using var random = new Generator(0, CPU).manual_seed(seed);
        return randn(1, Editor.Generator.LatentSize, generator: random).to(Editor.Generator.Device);
    }
}
