using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticManipulation;
using SemanticManipulation.FeatureLosses;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Swaps the SDK's model parts for the host's own, after <c>AddSemanticManipulation</c>.</summary>
public sealed class SemanticManipulationBuilder
{
    internal SemanticManipulationBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the SDK is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <typeparamref name="TGenerator"/> (resolved from the container, singleton) as the generator.</summary>
    public SemanticManipulationBuilder UseGenerator<TGenerator>()
        where TGenerator : class, ILayerSplitGenerator
    {
        Services.Replace(ServiceDescriptor.Singleton<ILayerSplitGenerator, TGenerator>());
        return this;
    }

    /// <summary>Uses the generator <paramref name="factory"/> builds (once, singleton).</summary>
    public SemanticManipulationBuilder UseGenerator(Func<IServiceProvider, ILayerSplitGenerator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Adds the host's edit operator <typeparamref name="TOperator"/> (singleton). An operator for the edit type
    /// of a built-in one (<c>AddConcept</c>, <c>RemoveConcept</c>, <c>Restyle</c>) replaces it.</summary>
    public SemanticManipulationBuilder AddEditOperator<TOperator>()
        where TOperator : class, IEditOperator
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, TOperator>());
        return this;
    }

    /// <summary>Adds the host's edit operator instance; see <see cref="AddEditOperator{TOperator}()"/>.</summary>
    public SemanticManipulationBuilder AddEditOperator(IEditOperator editOperator)
    {
        ArgumentNullException.ThrowIfNull(editOperator);
        Services.AddSingleton(editOperator);
        return this;
    }

    /// <summary>Uses <paramref name="catalog"/> as the concept catalog.</summary>
    public SemanticManipulationBuilder UseConceptCatalog(IConceptCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Services.Replace(ServiceDescriptor.Singleton(catalog));
        return this;
    }

    /// <summary>Uses the concept catalog <paramref name="factory"/> builds (once, singleton).</summary>
    public SemanticManipulationBuilder UseConceptCatalog(Func<IServiceProvider, IConceptCatalog> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses <typeparamref name="TEncoder"/> (singleton) as inversion's encoder E.</summary>
    public SemanticManipulationBuilder UseEncoder<TEncoder>()
        where TEncoder : class, IRepresentationEncoder
    {
        Services.Replace(ServiceDescriptor.Singleton<IRepresentationEncoder, TEncoder>());
        return this;
    }

    /// <summary>Uses the encoder <paramref name="factory"/> builds (once, singleton) as inversion's encoder E.</summary>
    public SemanticManipulationBuilder UseEncoder(Func<IServiceProvider, IRepresentationEncoder> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses <typeparamref name="TFeatureLoss"/> (singleton) as inversion's feature loss φ.</summary>
    public SemanticManipulationBuilder UseFeatureLoss<TFeatureLoss>()
        where TFeatureLoss : class, IFeatureLoss
    {
        Services.Replace(ServiceDescriptor.Singleton<IFeatureLoss, TFeatureLoss>());
        return this;
    }

    /// <summary>Inverts with the authors' feature loss: the packaged ImageNet ResNet-18 (configured by
    /// <see cref="SemanticManipulationOptions.FeatureLoss"/>) beside the pixel loss, and the perceptual distance measured.</summary>
    public SemanticManipulationBuilder UseResNet18FeatureLoss()
    {
        Services.Replace(ServiceDescriptor.Singleton<IFeatureLoss>(provider => ResNet18FeatureLoss.Load(
            provider.GetRequiredService<IOptions<SemanticManipulationOptions>>().Value.FeatureLoss,
            provider.GetService<ILogger<ResNet18FeatureLoss>>())));
        return this;
    }

    /// <summary>Inverts pixel-only (the default): no feature network is loaded, and the perceptual distance is not measured.</summary>
    public SemanticManipulationBuilder UsePixelOnlyInversion()
    {
        Services.RemoveAll<IFeatureLoss>();
        return this;
    }

    /// <summary>Uses <typeparamref name="TFactory"/> (singleton) to create the perturbation network R when fitting G'.</summary>
    public SemanticManipulationBuilder UsePerturbationNetworkFactory<TFactory>()
        where TFactory : class, IPerturbationNetworkFactory
    {
        Services.Replace(ServiceDescriptor.Singleton<IPerturbationNetworkFactory, TFactory>());
        return this;
    }

    /// <summary>Uses <paramref name="factory"/> to create the perturbation network R when fitting G'.</summary>
    public SemanticManipulationBuilder UsePerturbationNetworkFactory(IPerturbationNetworkFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses <typeparamref name="TSegmenter"/> (singleton) to judge edits (the concept's share in the mask).</summary>
    public SemanticManipulationBuilder UseSegmenter<TSegmenter>()
        where TSegmenter : class, ISegmenter
    {
        Services.Replace(ServiceDescriptor.Singleton<ISegmenter, TSegmenter>());
        return this;
    }

    /// <summary>Uses the segmenter <paramref name="factory"/> builds (once, singleton) to judge edits.</summary>
    public SemanticManipulationBuilder UseSegmenter(Func<IServiceProvider, ISegmenter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses <typeparamref name="TInverter"/> (singleton) for inversion.</summary>
    public SemanticManipulationBuilder UseInverter<TInverter>()
        where TInverter : class, IImageInverter
    {
        Services.Replace(ServiceDescriptor.Singleton<IImageInverter, TInverter>());
        return this;
    }
}
