using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemanticManipulation.Dissection;

namespace SemanticManipulation.Editing;

/// <summary>The editing and dissection part of <c>AddSemanticManipulation</c>: every service with <c>TryAdd</c>, so a
/// host's own registration wins.</summary>
internal static class EditingServices
{
    public static void Register(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, AddConceptOperator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, RemoveConceptOperator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEditOperator, RestyleOperator>());
        services.TryAddSingleton(provider => new EditOperatorRegistry(provider.GetServices<IEditOperator>()));
        services.TryAddSingleton<IConceptCatalog>(CreateDefaultCatalog);
        services.TryAddSingleton(provider => new GanDissector(provider.GetService<ILogger<GanDissector>>()));
    }

    private static ConceptCatalog CreateDefaultCatalog(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SemanticManipulationOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.ConceptCatalogPath))
        {
            throw new InvalidOperationException(
                "No concept catalog is configured: set SemanticManipulationOptions.ConceptCatalogPath to a catalog " +
                "(this SDK's JSON or the authors' dissection JSON), or register your own IConceptCatalog " +
                "(builder.UseConceptCatalog(...)).");
        }

        var logger = (ILogger?)provider.GetService<ILogger<ConceptCatalog>>() ?? NullLogger.Instance;
        return ConceptCatalog.Load(options.ConceptCatalogPath, logger: logger);
    }
}
