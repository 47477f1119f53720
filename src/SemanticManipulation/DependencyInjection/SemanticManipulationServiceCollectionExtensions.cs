using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemanticManipulation;
using SemanticManipulation.Adaptation;
using SemanticManipulation.DependencyInjection;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK's services.</summary>
public static class SemanticManipulationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK: a <see cref="SemanticEditor"/> and every part it is made of through its interface (generator,
    /// encoder, inverter, perturbation factory, concept catalog, segmenter, edit operators), with the model parts loaded
    /// on first use from <see cref="SemanticManipulationOptions"/> (e.g. <c>BundlePath = DefaultModel.Directory</c>).
    /// Every part is registered with <c>TryAdd</c>, so a host's own registration of an interface (before or after this
    /// call, or through <see cref="SemanticManipulationBuilder"/>) takes its place. Nothing is loaded here.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="SemanticManipulationOptions"/>.</param>
    /// <returns>A builder to swap in the host's own model parts.</returns>
    public static SemanticManipulationBuilder AddSemanticManipulation(
        this IServiceCollection services,
        Action<SemanticManipulationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SemanticManipulationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Threads is null or >= 1, "SemanticManipulationOptions.Threads must be at least 1 (or null for libtorch's default, one per core).");

        // The model's parts: from the configured paths or bundle unless the host registers its own. A part that is not
        // configured resolves to null, and the editor goes without it (no encoder guess, no judge, no catalog).
        services.TryAddSingleton<ConfiguredModel>();
        services.TryAddSingleton(provider => provider.GetRequiredService<ConfiguredModel>().Generator);
        services.TryAddSingleton(provider => provider.GetRequiredService<ConfiguredModel>().Catalog!);
        services.TryAddSingleton<IRepresentationEncoder>(provider => provider.GetRequiredService<ConfiguredModel>().Encoder!);
        services.TryAddSingleton(provider => provider.GetRequiredService<ConfiguredModel>().Segmenter!);

        services.TryAddSingleton<IPerturbationNetworkFactory, PerturbationNetworkFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, AddConceptOperator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, RemoveConceptOperator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, RestyleOperator>());
        services.TryAddSingleton(provider => new EditOperatorRegistry(provider.GetServices<IEditOperator>()));
        services.TryAddSingleton<IImageInverter>(provider => new ImageInverter(
            provider.GetService<IRepresentationEncoder>(), provider.GetService<IFeatureLoss>(), provider.GetService<ILogger<ImageInverter>>()));
        services.TryAddSingleton(provider => new GanDissector(provider.GetService<ILogger<GanDissector>>()));
        services.TryAddSingleton(CreateEditor);
        return new SemanticManipulationBuilder(services);
    }

    private static SemanticEditor CreateEditor(IServiceProvider provider)
    {
        ConfiguredModel.UseConfiguredThreads(provider.GetRequiredService<IOptions<SemanticManipulationOptions>>().Value);
        return new(
            new SemanticEditorParts
            {
                Generator = provider.GetRequiredService<ILayerSplitGenerator>(),
                Encoder = provider.GetService<IRepresentationEncoder>(),
                FeatureLoss = provider.GetService<IFeatureLoss>(),
                Inverter = provider.GetRequiredService<IImageInverter>(),
                Perturbations = provider.GetService<IPerturbationNetworkFactory>(),
                Catalog = provider.GetService<IConceptCatalog>(),
                Segmenter = provider.GetService<ISegmenter>(),
                Operators = provider.GetRequiredService<EditOperatorRegistry>(),
            },
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
    }
}
