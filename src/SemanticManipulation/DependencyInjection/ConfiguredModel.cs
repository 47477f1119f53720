using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;

namespace SemanticManipulation.DependencyInjection;

/// <summary>
/// The model parts <see cref="SemanticManipulationOptions"/> names, loaded on first use: each from its own path when
/// one is set, otherwise from the bundle at <see cref="SemanticManipulationOptions.BundlePath"/>. The default
/// registrations of the parts' interfaces come from here; the container disposes it (and whatever it loaded).
/// </summary>
internal sealed class ConfiguredModel : IDisposable
{
    private readonly SemanticManipulationOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Lazy<ModelBundle?> _bundle;
    private readonly Lazy<ProGanGenerator> _generator;
    private readonly Lazy<ConceptCatalog?> _catalog;
    private readonly Lazy<HybridEncoder?> _encoder;
    private readonly Lazy<ConvolutionalSegmenter?> _segmenter;

    public ConfiguredModel(IOptions<SemanticManipulationOptions> options, IServiceProvider provider)
    {
        _options = options.Value;
        _loggerFactory = (ILoggerFactory?)provider.GetService(typeof(ILoggerFactory)) ?? NullLoggerFactory.Instance;
        _bundle = new(LoadBundle);
        _generator = new(LoadGenerator);
        _catalog = new(LoadCatalog);
        _encoder = new(() => LoadEncoder((ILayerSplitGenerator?)provider.GetService(typeof(ILayerSplitGenerator)) ?? Generator));
        _segmenter = new(LoadSegmenter);
    }

    /// <summary>The generator from <see cref="SemanticManipulationOptions.GeneratorPath"/> or the bundle.</summary>
    /// <exception cref="InvalidOperationException">Neither is configured; the message says what to set.</exception>
    public ILayerSplitGenerator Generator => _generator.Value;

    /// <summary>The catalog from its path or the bundle; null when neither is configured.</summary>
    public IConceptCatalog? Catalog => _catalog.Value;

    /// <summary>The encoder from its path or the bundle; null when neither is configured.</summary>
    public HybridEncoder? Encoder => _encoder.Value;

    /// <summary>The segmenter from its path or the bundle; null when neither is configured.</summary>
    public ISegmenter? Segmenter => _segmenter.Value;

    public void Dispose()
    {
        if (_segmenter.IsValueCreated)
        {
            _segmenter.Value?.Dispose();
        }

        if (_encoder.IsValueCreated)
        {
            _encoder.Value?.Dispose();
        }

        if (_generator.IsValueCreated)
        {
            _generator.Value.Dispose();
        }

        if (_bundle.IsValueCreated)
        {
            _bundle.Value?.Dispose();
        }
    }

    /// <summary>Applies <see cref="SemanticManipulationOptions.Threads"/>, when set: on the configured model's first load, and
    /// on the editor's creation, which a host's own generator (<c>UseGenerator</c>) reaches without the former.</summary>
    internal static void UseConfiguredThreads(SemanticManipulationOptions options)
    {
        if (options.Threads is int threads)
        {
            TorchRuntime.UseThreads(threads);
        }
    }

    private ModelBundle? LoadBundle() => string.IsNullOrWhiteSpace(_options.BundlePath)
        ? null
        : ModelBundle.Load(_options.BundlePath, _options.Generator, _loggerFactory.CreateLogger<ModelBundle>());

    private ProGanGenerator LoadGenerator()
    {
        TorchRuntime.EnsureInitialized(_loggerFactory.CreateLogger(typeof(TorchRuntime).FullName!));
        UseConfiguredThreads(_options);

        if (!string.IsNullOrWhiteSpace(_options.GeneratorPath))
        {
            return ProGanGenerator.Load(_options.GeneratorPath, _options.Generator, _loggerFactory.CreateLogger<ProGanGenerator>());
        }

        return _bundle.Value?.Generator ?? throw new InvalidOperationException(
            "No generator is configured: set SemanticManipulationOptions.BundlePath to a model bundle (e.g. DefaultModel.Directory) " +
            "or GeneratorPath to a checkpoint, or register your own ILayerSplitGenerator (builder.UseGenerator(...)).");
    }

    private ConceptCatalog? LoadCatalog() => string.IsNullOrWhiteSpace(_options.ConceptCatalogPath)
        ? _bundle.Value?.Catalog
        : ConceptCatalog.Load(_options.ConceptCatalogPath, logger: _loggerFactory.CreateLogger<ConceptCatalog>());

    private HybridEncoder? LoadEncoder(ILayerSplitGenerator generator) => string.IsNullOrWhiteSpace(_options.EncoderPath)
        ? _bundle.Value?.Encoder
        : HybridEncoder.Load(_options.EncoderPath, generator, logger: _loggerFactory.CreateLogger<HybridEncoder>());

    private ConvolutionalSegmenter? LoadSegmenter() => string.IsNullOrWhiteSpace(_options.SegmenterPath)
        ? _bundle.Value?.Segmenter
        : ConvolutionalSegmenter.Load(_options.SegmenterPath);
}
