using Microsoft.Extensions.Logging;
using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;

namespace SemanticManipulation;

/// <summary>
/// The SDK's embedded default model: a small ProGAN trained on the SDK's procedural church-scene world, with its
/// segmenter, concept catalog and hybrid encoder, as a <see cref="ModelBundle"/>. Referencing the
/// <c>SemanticManipulation.DefaultModel</c> package (or project) copies the bundle into <c>models/default/</c> of the
/// application's output, so it works offline with no set-up:
/// <code>
/// using var model = DefaultModel.Load();
/// var editor = model.CreateEditor();
/// </code>
/// </summary>
public static class DefaultModel
{
    /// <summary>The bundle folder's path relative to the application's base directory.</summary>
    public static string RelativeDirectory { get; } = Path.Combine("models", "default");

    /// <summary>
    /// Where the default model is looked for: <c>models/default/</c> under the application's base directory
    /// (<see cref="AppContext.BaseDirectory"/>), where the package's build step copies it.
    /// </summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, RelativeDirectory);

    /// <summary>The bundle's manifest, <c>bundle.json</c> in <see cref="Directory"/>.</summary>
    public static string ManifestPath => Path.Combine(Directory, ModelBundle.ManifestFileName);

    /// <summary>Whether the default model's manifest is where it should be (its parts are checked by <see cref="Load"/>).</summary>
    public static bool IsAvailable => File.Exists(ManifestPath);

    /// <summary>Checks that the default model's manifest is in <see cref="Directory"/>, e.g. before loading only its generator.</summary>
    /// <exception cref="FileNotFoundException">It is not; the message names the path looked at and how to restore it.</exception>
    public static void EnsureAvailable() => EnsureAvailableIn(Directory);

    /// <summary>Loads the default model: generator, concept catalog, encoder and segmenter.</summary>
    /// <param name="options">How to build the generator (split, device); the bundle's split layer applies unless set.</param>
    /// <param name="logger">Receives what was loaded.</param>
    /// <returns>The bundle; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The bundle or one of its parts is not in <see cref="Directory"/>; the
    /// message names the path looked at.</exception>
    /// <exception cref="CheckpointFormatException">A file of the bundle is damaged or does not fit the others; the message
    /// names it.</exception>
    public static ModelBundle Load(ProGanOptions? options = null, ILogger? logger = null) => LoadFrom(Directory, options, logger);

    /// <summary>Loads the default model from <paramref name="directory"/> instead of <see cref="Directory"/>, with the
    /// same errors (for tests of a missing or damaged installation).</summary>
    internal static ModelBundle LoadFrom(string directory, ProGanOptions? options, ILogger? logger)
    {
        EnsureAvailableIn(directory);
        try
        {
            return ModelBundle.Load(directory, options, logger);
        }
        catch (Exception ex) when (ex is CheckpointFormatException or InvalidDataException)
        {
            // Say which installation is damaged, keeping the file and the reader's own explanation (a damaged weight file
            // is a CheckpointFormatException, a damaged catalog an InvalidDataException; both mean the same to the caller).
            throw new CheckpointFormatException(
                $"The default model in {directory} is damaged (rebuild the application to restore it): {ex.Message}",
                (ex as CheckpointFormatException)?.FilePath ?? directory, ex);
        }
    }

    internal static void EnsureAvailableIn(string directory)
    {
        var manifestPath = Path.Combine(directory, ModelBundle.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException(
                $"The default model is missing: {manifestPath} does not exist. The SemanticManipulation.DefaultModel package " +
                $"copies it into {RelativeDirectory} of the application's output when the application is built; rebuild " +
                "(or republish) the application, or pass a model of your own.", manifestPath);
        }
    }
}
