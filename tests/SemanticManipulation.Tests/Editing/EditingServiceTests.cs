using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Dissection;
using SemanticManipulation.Editing;
using Xunit;

namespace SemanticManipulation.Tests.Editing;

/// <summary>Operators, catalog and dissector through <c>AddSemanticManipulation</c>.</summary>
public sealed class EditingServiceTests
{
    [Fact]
    public void A_host_operator_joins_the_built_in_ones_and_the_catalog_loads_from_its_path()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSemanticManipulation(o => o.ConceptCatalogPath = EditingFixtures.ChurchCatalog)
            .AddEditOperator<ExaggerateConceptOperator>();
        using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<EditOperatorRegistry>();
        var catalog = provider.GetRequiredService<IConceptCatalog>();

        string[] names = ["add", "remove", "restyle", "exaggerate"];
        Assert.Equal(names, registry.Names);
        Assert.IsType<ExaggerateConceptOperator>(registry.Get("EXAGGERATE"));
        Assert.Equal(31, catalog.Concepts.Count);
        Assert.Contains(418, catalog.SquashUnits);
        Assert.NotNull(provider.GetRequiredService<GanDissector>());
        var unknown = Assert.Throws<ArgumentException>(() => registry.Get("paint"));
        Assert.Contains("add, remove, restyle, exaggerate", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_operator_named_like_a_built_in_one_replaces_it_whatever_the_order()
    {
        var before = new ServiceCollection();
        before.AddSingleton<IEditOperator, HostAddOperator>();
        before.AddSemanticManipulation();
        var after = new ServiceCollection();
        after.AddSemanticManipulation().AddEditOperator(new HostAddOperator());

        using var first = before.BuildServiceProvider();
        using var second = after.BuildServiceProvider();

        Assert.IsType<HostAddOperator>(first.GetRequiredService<EditOperatorRegistry>().Get("add"));
        Assert.IsType<HostAddOperator>(second.GetRequiredService<EditOperatorRegistry>().Get("add"));
        Assert.Equal(3, second.GetRequiredService<EditOperatorRegistry>().Names.Count);
    }

    [Fact]
    public void Without_a_catalog_the_error_says_what_to_configure_and_a_host_catalog_wins()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation();
        using var provider = services.BuildServiceProvider();
        var hosted = new ServiceCollection();
        var own = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);
        hosted.AddSemanticManipulation().UseConceptCatalog(own);
        using var hostProvider = hosted.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IConceptCatalog>());

        Assert.Contains("ConceptCatalogPath", error.Message, StringComparison.Ordinal);
        Assert.Same(own, hostProvider.GetRequiredService<IConceptCatalog>());
    }

    private sealed class HostAddOperator : IEditOperator
    {
        public string Name => "add";

        public string Description => "The host's own add.";

        public EditStroke CreateStroke(EditRequest request, EditContext context) => throw new NotSupportedException();
    }
}
