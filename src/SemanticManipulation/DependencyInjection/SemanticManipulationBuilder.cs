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
}
