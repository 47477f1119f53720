using Microsoft.Extensions.DependencyInjection.Extensions;
using SemanticManipulation;

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

    /// <summary>Adds the host's edit operator <typeparamref name="TOperator"/> (singleton). An operator with the name of
    /// a built-in one (<c>add</c>, <c>remove</c>, <c>restyle</c>) replaces it.</summary>
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

    /// <summary>Inverts pixel-only: no feature network is loaded, and the perceptual distance is not measured.</summary>
    public SemanticManipulationBuilder UsePixelOnlyInversion()
    {
        Services.RemoveAll<IFeatureLoss>();
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
