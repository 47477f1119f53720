using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemanticManipulation;
using SemanticManipulation.Generators;
using SemanticManipulation.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK's services.</summary>
public static class SemanticManipulationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SDK with its default model parts. Every part is registered with <c>TryAdd</c>, so a host's own
    /// registration of an interface (before or after this call, through <see cref="SemanticManipulationBuilder"/>)
    /// takes its place.
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

        services.TryAddSingleton<ILayerSplitGenerator>(CreateDefaultGenerator);
        SemanticManipulation.Editing.EditingServices.Register(services);
        SemanticManipulation.Inversion.InversionServices.Register(services);
        return new SemanticManipulationBuilder(services);
    }

    private static ProGanGenerator CreateDefaultGenerator(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SemanticManipulationOptions>>().Value;
        var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        TorchRuntime.EnsureInitialized(loggerFactory.CreateLogger(typeof(TorchRuntime).FullName!));
        if (string.IsNullOrWhiteSpace(options.GeneratorPath))
        {
            throw new InvalidOperationException(
                "No generator is configured: set SemanticManipulationOptions.GeneratorPath to a checkpoint, " +
                "or register your own ILayerSplitGenerator (builder.UseGenerator(...)).");
        }

        return ProGanGenerator.Load(options.GeneratorPath, options.Generator, loggerFactory.CreateLogger<ProGanGenerator>());
    }
}
