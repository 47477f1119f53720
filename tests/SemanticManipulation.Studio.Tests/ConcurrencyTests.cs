using System.Text.Json.Nodes;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

[Collection(SharedStudio.Name)]
public sealed class ConcurrencyTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    private object TreeStroke => new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(4, 8, 24, 28, studio.Resolution)) };
    private object DomeStroke => new { action = "remove", concept = "dome", intensity = "low", mask = Masks.Encode(Masks.ScaledRectangle(20, 10, 50, 40, studio.Resolution)) };

    [Fact]
    public async Task Two_sessions_edit_two_photos_at_the_same_time_without_mixing_them_up()
    {
        // What the church with a tree stroke previews as when nothing else happens.
        var alone = await Client.NewSession();
        await Client.Open(alone, "sample/church");
        var expected = PreviewOf(await Client.Stroke(alone, TreeStroke));

        var first = await Client.NewSession();
        var second = await Client.NewSession();
        var results = await Task.WhenAll(
            Edit(first, "sample/church", TreeStroke),
            Edit(second, "seed/3", DomeStroke));
        var (church, generated) = (results[0], results[1]);

        Assert.Equal(expected, PreviewOf(church));
        Assert.Equal("sample:church", church["photo"]!["source"]!.GetValue<string>());
        Assert.Equal("tree", Assert.Single(church["strokes"]!.AsArray())!["concept"]!.GetValue<string>());
        Assert.Equal("seed:3", generated["photo"]!["source"]!.GetValue<string>());
        Assert.Equal("dome", Assert.Single(generated["strokes"]!.AsArray())!["concept"]!.GetValue<string>());
        Assert.Equal(await Client.GetByteArrayAsync("/api/generated/3"), await Client.GetByteArrayAsync($"/api/sessions/{second}/photo.png"));
        Assert.NotEqual(PreviewOf(church), PreviewOf(generated));
    }

    private async Task<JsonObject> Edit(string session, string source, object stroke)
    {
        await Client.Open(session, source);
        return await Client.Stroke(session, stroke);
    }
}
