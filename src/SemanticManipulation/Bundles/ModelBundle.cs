using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;

namespace SemanticManipulation.Bundles;

/// <summary>
/// A model bundle: a folder with <c>bundle.json</c> and the parts it names (generator, concept catalog, encoder,
/// segmenter), loaded by one call. The SDK's embedded default model is one; a host trains its own with the same
/// pipeline and loads it the same way.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    /// <summary>The manifest's file name inside a bundle folder.</summary>
    public const string ManifestFileName = "bundle.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private bool _disposed;

    private ModelBundle(string directory, ModelBundleManifest manifest, ProGanGenerator generator, ConceptCatalog? catalog,
        HybridEncoder? encoder, ConvolutionalSegmenter? segmenter)
    {
        Directory = directory;
        Manifest = manifest;
        Generator = generator;
        Catalog = catalog;
        Encoder = encoder;
        Segmenter = segmenter;
    }

    /// <summary>The bundle folder.</summary>
    public string Directory { get; }

    /// <summary>The manifest.</summary>
    public ModelBundleManifest Manifest { get; }

    /// <summary>The generator.</summary>
    public ProGanGenerator Generator { get; }

    /// <summary>The concept catalog, if the bundle has one.</summary>
    public ConceptCatalog? Catalog { get; }

    /// <summary>The encoder, if the bundle has one.</summary>
    public HybridEncoder? Encoder { get; }

    /// <summary>The segmenter, if the bundle has one.</summary>
    public ConvolutionalSegmenter? Segmenter { get; }

    /// <summary>Whether <paramref name="path"/> is a bundle folder (or its <c>bundle.json</c>).</summary>
    public static bool IsBundle(string path) =>
        System.IO.Directory.Exists(path) ? File.Exists(Path.Combine(path, ManifestFileName))
            : Path.GetFileName(path) == ManifestFileName && File.Exists(path);

    /// <summary>Loads a bundle from its folder (or its <c>bundle.json</c>).</summary>
    /// <param name="path">The folder or manifest.</param>
    /// <param name="options">How to build the generator (split, device); the manifest's split layer applies unless the
    /// split layer is set to another than the default.</param>
    /// <param name="logger">Receives what was loaded.</param>
    /// <exception cref="FileNotFoundException">The manifest or a part it names is missing.</exception>
    /// <exception cref="CheckpointFormatException">The manifest or a part is unreadable or mismatched.</exception>
    /// <exception cref="ArgumentException">The bundle's concept catalog is for another layer or unit count than its
    /// generator's split.</exception>
    public static ModelBundle Load(string path, ProGanOptions? options = null, ILogger? logger = null)
    {
        var manifest = ReadManifest(path);
        TorchRuntime.EnsureInitialized(logger);
        var directory = BundleDirectory(path);
        var log = logger ?? NullLogger.Instance;
        ProGanGenerator? generator = null;
        ConceptCatalog? catalog = null;
        HybridEncoder? encoder = null;
        ConvolutionalSegmenter? segmenter = null;
        try
        {
            generator = LoadGenerator(directory, manifest, options, logger);
            if (Part(directory, manifest.Concepts, "concepts") is string conceptsPath)
            {
                catalog = ConceptCatalog.Load(conceptsPath, logger: logger);
                ConceptCatalog.ThrowIfMismatched(catalog, generator);
            }

            if (Part(directory, manifest.Encoder, "encoder") is string encoderPath)
            {
                encoder = HybridEncoder.Load(encoderPath, generator, generator.Device, logger);
            }

            if (Part(directory, manifest.Segmenter, "segmenter") is string segmenterPath)
            {
                segmenter = ConvolutionalSegmenter.Load(segmenterPath);
            }

            return new ModelBundle(directory, manifest, generator, catalog, encoder, segmenter);
        }
        catch
        {
            segmenter?.Dispose();
            encoder?.Dispose();
            generator?.Dispose();
            throw;
        }
    }

    /// <summary>Loads only a bundle's generator, split where its manifest says (e.g. for rendering, which needs no other part).</summary>
    /// <param name="path">The bundle folder or its <c>bundle.json</c>.</param>
    /// <param name="options">How to build the generator (split, device); the manifest's split layer applies unless the
    /// split layer is set to another than the default.</param>
    /// <param name="logger">Receives what was loaded.</param>
    /// <exception cref="FileNotFoundException">The manifest or the generator is missing.</exception>
    /// <exception cref="CheckpointFormatException">The manifest or the generator is unreadable or mismatched.</exception>
    public static ProGanGenerator LoadGenerator(string path, ProGanOptions? options = null, ILogger? logger = null)
    {
        var manifest = ReadManifest(path);
        TorchRuntime.EnsureInitialized(logger);
        return LoadGenerator(BundleDirectory(path), manifest, options, logger);
    }

    private static ProGanGenerator LoadGenerator(string directory, ModelBundleManifest manifest, ProGanOptions? options, ILogger? logger)
    {
        // A split layer left at its default follows the manifest: the bundle's catalog and encoder are made for that layer.
        // (To split such a bundle's generator at layer4 anyway, load its checkpoint with ProGanGenerator.Load.)
        var effective = options?.Clone() ?? new ProGanOptions();
        if (effective.Split.HasDefaultSplitLayer)
        {
            effective.Split = new LayerSplitOptions { SplitLayer = manifest.SplitLayer, PerturbationLayers = effective.Split.PerturbationLayers };
        }

        return ProGanGenerator.Load(Part(directory, manifest.Generator, "generator")!, effective, logger);
    }

    /// <summary>Reads and checks a bundle's manifest without loading any part (e.g. to load only its generator).</summary>
    /// <param name="path">The bundle folder or its <c>bundle.json</c>.</param>
    /// <returns>The manifest; its file names are relative to <see cref="BundleDirectory"/>.</returns>
    /// <exception cref="FileNotFoundException">The folder has no manifest.</exception>
    /// <exception cref="CheckpointFormatException">The manifest is unreadable or of a newer format.</exception>
    public static ModelBundleManifest ReadManifest(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = BundleDirectory(path);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"{directory} is not a model bundle: it has no {ManifestFileName}.", manifestPath);
        }

        ModelBundleManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelBundleManifest>(File.ReadAllText(manifestPath), JsonOptions)
                ?? throw new CheckpointFormatException($"{manifestPath} is empty.", manifestPath);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{manifestPath} is not a valid bundle manifest: {ex.Message}", manifestPath, ex);
        }

        if (manifest.FormatVersion > ModelBundleManifest.CurrentFormatVersion)
        {
            throw new CheckpointFormatException(
                $"{manifestPath} has format version {manifest.FormatVersion}; this SDK reads up to {ModelBundleManifest.CurrentFormatVersion}.", manifestPath);
        }

        return manifest;
    }

    /// <summary>The folder of the bundle at <paramref name="path"/> (the folder itself, or the folder of its <c>bundle.json</c>), as a full path.</summary>
    public static string BundleDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetFullPath(System.IO.Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Writes <paramref name="manifest"/> as <c>bundle.json</c> in <paramref name="directory"/> (atomically).</summary>
    public static void WriteManifest(string directory, ModelBundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, JsonOptions);
        AtomicFile.Write(Path.Combine(directory, ManifestFileName), stream => stream.Write(json));
    }

    /// <summary>The bundle's parts for a <see cref="SemanticEditor"/>: its generator, encoder (inversion starts from its
    /// guess), catalog and segmenter (which judges edits). Owned by the bundle: keep it alive while the editor is used.</summary>
    public SemanticEditorParts Parts()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SemanticEditorParts { Generator = Generator, Encoder = Encoder, Catalog = Catalog, Segmenter = Segmenter };
    }

    /// <summary>The whole method with this bundle's parts and the SDK's defaults for the rest
    /// (<c>new SemanticEditor(bundle.Parts(), loggerFactory)</c>).</summary>
    public SemanticEditor CreateEditor(ILoggerFactory? loggerFactory = null) => new(Parts(), loggerFactory);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Segmenter?.Dispose();
        Encoder?.Dispose();
        Generator.Dispose();
    }

    private static string? Part(string directory, string? file, string what)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(directory, file));
        return File.Exists(path) ? path
            : throw new FileNotFoundException($"The bundle in {directory} names {what} '{file}', which does not exist.", path);
    }
}
