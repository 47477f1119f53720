using SemanticManipulation.Bundles;

namespace SemanticManipulation.Studio.Model;

/// <summary>
/// Turns <c>--model</c> into the SDK's own options: a bundle (folder or <c>bundle.json</c>) becomes
/// <see cref="SemanticManipulationOptions.BundlePath"/>, anything else a generator checkpoint
/// (<see cref="SemanticManipulationOptions.GeneratorPath"/>), and nothing the embedded default model. The SDK's
/// composition root loads the parts from there.
/// </summary>
internal static class ModelSelection
{
    /// <summary>Points <paramref name="sdk"/> at the model <paramref name="studio"/> names.</summary>
    /// <exception cref="FileNotFoundException">The named model, or the default model's installation, is missing.</exception>
    public static void Configure(SemanticManipulationOptions sdk, StudioOptions studio)
    {
        ArgumentNullException.ThrowIfNull(sdk);
        ArgumentNullException.ThrowIfNull(studio);
        if (string.IsNullOrWhiteSpace(studio.Model))
        {
            DefaultModel.EnsureAvailable();
            sdk.BundlePath = DefaultModel.Directory;
            return;
        }

        var path = Path.GetFullPath(studio.Model);
        if (Directory.Exists(path) || ModelBundle.IsBundle(path))
        {
            // A folder without a manifest goes to the bundle loader too, which says what is missing rather than
            // reading the folder as a checkpoint.
            sdk.BundlePath = path;
        }
        else if (File.Exists(path))
        {
            sdk.GeneratorPath = path;
            sdk.ConceptCatalogPath = string.IsNullOrWhiteSpace(studio.Catalog) ? null : Path.GetFullPath(studio.Catalog);
        }
        else
        {
            throw new FileNotFoundException($"--model: no such bundle folder or checkpoint: {path}.", path);
        }
    }

    /// <summary>A short description of the model for the page and the log.</summary>
    public static string Describe(StudioOptions studio) =>
        string.IsNullOrWhiteSpace(studio.Model) ? "the embedded default model" : Path.GetFullPath(studio.Model);
}
