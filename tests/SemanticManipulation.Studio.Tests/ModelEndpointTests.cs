using System.Net;
using System.Text.Json.Nodes;
using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

[Collection(SharedStudio.Name)]
public sealed class ModelEndpointTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    private int Resolution => studio.Resolution;

    [Fact]
    public async Task Model_lists_the_catalogs_concepts_each_with_a_distinct_colour_and_the_samples_and_seeds()
    {
        var model = JsonNode.Parse(await Client.GetStringAsync("/api/model"))!.AsObject();
        Assert.Equal(Resolution, model["resolution"]!.GetValue<int>());
        var catalog = DefaultCatalog();
        var concepts = model["concepts"]!.AsArray().Select(c => (Name: c!["name"]!.GetValue<string>(), Colour: c["colour"]!.GetValue<string>())).ToList();
        Assert.Equal(catalog.Concepts, concepts.Select(c => c.Name));
        Assert.Contains(concepts, c => c.Name == "tree");
        Assert.Contains(concepts, c => c.Name == "dome");
        Assert.Equal(concepts.Count, concepts.Select(c => c.Colour).Distinct().Count());
        Assert.All(concepts, c => Assert.Matches("^#[0-9a-f]{6}$", c.Colour));
        Assert.Equal(["add", "remove", "restyle"], model["actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        // The unit counts of the bundle's catalog, not the SDK's defaults.
        var intensities = model["intensities"]!;
        Assert.Equal(catalog.Intensities.Low, intensities["low"]!.GetValue<int>());
        Assert.Equal(catalog.Intensities.Medium, intensities["medium"]!.GetValue<int>());
        Assert.Equal(catalog.Intensities.High, intensities["high"]!.GetValue<int>());
        Assert.Contains("church", model["samples"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.NotEmpty(model["seeds"]!.AsArray());
    }

    [Fact]
    public async Task A_sample_is_served_by_its_id_and_an_unknown_id_is_a_404_with_the_list()
    {
        using var sample = await Client.GetAsync("/api/samples/church");
        Assert.Equal(HttpStatusCode.OK, sample.StatusCode);
        Assert.Equal("image/jpeg", sample.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(SamplePath("church.jpg")), await sample.Content.ReadAsByteArrayAsync());

        using var unknown = await Client.GetAsync("/api/samples/..%2F..%2Fetc%2Fpasswd");
        await AssertRefused(unknown, HttpStatusCode.NotFound, "church");
    }

    [Fact]
    public async Task A_generated_image_is_a_png_at_the_models_resolution_and_the_same_for_the_same_seed()
    {
        var first = await Client.GetByteArrayAsync("/api/generated/3");
        var again = await Client.GetByteArrayAsync("/api/generated/3");
        var other = await Client.GetByteArrayAsync("/api/generated/4");
        using var image = Pixels.Decode(first);
        Assert.Equal(Resolution, image.Width);
        Assert.Equal(Resolution, image.Height);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        using var bad = await Client.GetAsync("/api/generated/three");
        await AssertRefused(bad, HttpStatusCode.BadRequest, "whole number");
    }

    [Fact]
    public async Task The_page_its_module_and_stylesheet_are_served()
    {
        var page = await Client.GetStringAsync("/");
        Assert.Contains("id=\"overlay\"", page, StringComparison.Ordinal);
        Assert.Contains("studio.js", page, StringComparison.Ordinal);
        using var script = await Client.GetAsync("/studio.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var style = await Client.GetAsync("/studio.css");
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_404_with_a_json_error()
    {
        using var response = await Client.GetAsync("/api/nothing-here");
        await AssertRefused(response, HttpStatusCode.NotFound, "endpoint");
    }

    /// <summary>The concept catalog of the embedded default model, read from the bundle rather than from the studio.</summary>
    private static ConceptCatalog DefaultCatalog()
    {
        var concepts = ModelBundle.ReadManifest(DefaultModel.Directory).Concepts
            ?? throw new InvalidOperationException("The default model's bundle names no concept catalog.");
        return ConceptCatalog.Load(Path.Combine(DefaultModel.Directory, concepts));
    }
}
