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
        Assert.Equal(names, registry.Operators.Select(o => o.Name));
        Assert.IsType<ExaggerateConceptOperator>(registry.Get<ExaggerateConcept>());
        Assert.Equal(31, catalog.Concepts.Count);
        Assert.Contains(418, catalog.SquashUnits);
        Assert.IsType<GanDissector>(provider.GetRequiredService<GanDissector>());
        var unknown = Assert.Throws<ArgumentException>(() => registry.Get<HostEdit>());
        Assert.Contains("AddConcept, RemoveConcept, Restyle, ExaggerateConcept", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_operator_for_a_built_in_edit_replaces_it_whatever_the_order()
    {
        var before = new ServiceCollection();
        before.AddSingleton<IEditOperator, HostAddOperator>();
        before.AddSemanticManipulation();
        var after = new ServiceCollection();
        after.AddSemanticManipulation().AddEditOperator(new HostAddOperator());

        using var first = before.BuildServiceProvider();
        using var second = after.BuildServiceProvider();

        Assert.IsType<HostAddOperator>(first.GetRequiredService<EditOperatorRegistry>().Get<AddConcept>());
        Assert.IsType<HostAddOperator>(second.GetRequiredService<EditOperatorRegistry>().Get<AddConcept>());
        Assert.Equal(3, second.GetRequiredService<EditOperatorRegistry>().Operators.Count());
    }

    [Fact]
    public void Without_a_catalog_none_is_resolved_and_a_host_catalog_wins()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation();
        using var provider = services.BuildServiceProvider();
        var hosted = new ServiceCollection();
        var own = ConceptCatalog.ImportAuthors(EditingFixtures.ChurchCatalog);
        hosted.AddSemanticManipulation().UseConceptCatalog(own);
        using var hostProvider = hosted.BuildServiceProvider();

        Assert.Null(provider.GetService<IConceptCatalog>());
        Assert.Same(own, hostProvider.GetRequiredService<IConceptCatalog>());
    }

    private sealed record HostEdit : SemanticEdit
    {
        public HostEdit(TorchSharp.torch.Tensor mask)
            : base(mask, 1f)
        {
        }
    }

    private sealed class HostAddOperator : IEditOperator<AddConcept>
    {
        public string Name => "add";

        public string Description => "The host's own add.";

        public EditStroke CreateStroke(AddConcept edit, EditContext context) => throw new NotSupportedException();
    }
}
