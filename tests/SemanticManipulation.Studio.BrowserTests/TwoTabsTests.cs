using System.Text.Json;

namespace SemanticManipulation.Studio.Tests;

/// <summary>Two people (two browser contexts) editing two photos in one studio at the same time.</summary>
public sealed class TwoTabsTests(StudioBrowserFixture studio) : IClassFixture<StudioBrowserFixture>
{
    [Fact]
    public async Task Two_browser_contexts_edit_the_church_and_a_seed_at_once_and_each_keeps_its_own_photo_and_preview()
    {
        var church = await studio.OpenStudioAsync();
        var seed = await studio.OpenStudioAsync();
        Assert.NotEqual(await church.SessionIdAsync(), await seed.SessionIdAsync());

        // Both opens in flight together: they queue on the studio's one tensor worker.
        await Task.WhenAll(church.OpenFromGalleryAsync("sample-church"), seed.OpenFromGalleryAsync("seed-3"));
        var churchOpened = await church.PreviewAsync();
        var seedOpened = await seed.PreviewAsync();

        // Each preview looks like its own photo: the church's like the church file, the seed's like the generator's
        // image for seed 3 (both fetched here, not through a session).
        var churchFile = await studio.Server.Client.GetByteArrayAsync(new Uri("/api/samples/church", UriKind.Relative));
        var seedImage = await studio.Server.Client.GetByteArrayAsync(new Uri("/api/generated/3", UriKind.Relative));
        Assert.True(Pixels.MeanDifference(churchOpened, churchFile) < Pixels.MeanDifference(churchOpened, seedImage));
        Assert.True(Pixels.MeanDifference(seedOpened, seedImage) < Pixels.MeanDifference(seedOpened, churchFile));

        // Both paint at once, different concepts in different places (given at 64², scaled to the model's side).
        await church.PickConceptAsync("tree");
        await seed.PickConceptAsync("grass");
        var side = studio.Server.Resolution;
        (double X, double Y) At(double x, double y) => (Pixels.Scaled(x, side), Pixels.Scaled(y, side));
        await Task.WhenAll(
            church.PaintAsync([At(8, 10), At(24, 10), At(24, 24)], Pixels.Scaled(8, side)),
            seed.PaintAsync([At(36, 44), At(56, 44), At(56, 56)], Pixels.Scaled(8, side)));

        await AssertOwnAsync(church, "sample:church", "add tree", churchOpened, seedOpened);
        await AssertOwnAsync(seed, "seed:3", "add grass", seedOpened, churchOpened);
        Assert.NotEqual(await church.PreviewAsync(), await seed.PreviewAsync());

        // Undo in one tab leaves the other's stroke alone.
        await church.Page.Locator("#undo").ClickAsync();
        await church.SettleAsync("ready");
        Assert.Equal(churchOpened, await church.PreviewAsync());
        Assert.Equal(1, await seed.Page.Locator("#stroke-list li").CountAsync());
        await AssertOwnAsync(seed, "seed:3", "add grass", seedOpened, churchOpened);
    }

    private async Task AssertOwnAsync(StudioPage tab, string source, string stroke, byte[] opened, byte[] otherOpened)
    {
        Assert.Equal(source, await tab.BodyAsync("photo"));
        var items = tab.Page.Locator("#stroke-list li");
        Assert.Equal(1, await items.CountAsync());
        Assert.Contains(stroke, await items.TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(tab.PageErrors);

        // The page shows its own session's preview (the server's PNG of that session, pixel for pixel), which is its
        // opened photo edited, not the other tab's.
        var session = await tab.SessionIdAsync();
        using var state = JsonDocument.Parse(await studio.Server.Client.GetStringAsync(new Uri($"/api/sessions/{session}", UriKind.Relative)));
        Assert.Equal(source, state.RootElement.GetProperty("photo").GetProperty("source").GetString());
        var shown = await tab.PreviewAsync();
        var served = await studio.Server.Client.GetByteArrayAsync(new Uri($"/api/sessions/{session}/preview.png", UriKind.Relative));
        var difference = Pixels.Difference(shown, served);
        Assert.All(difference.Cast<double>(), d => Assert.Equal(0, d));
        double own = Pixels.MeanDifference(shown, opened), other = Pixels.MeanDifference(shown, otherOpened);
        Assert.True(own < other, $"{source}: the preview is {own:F1} from its own opened photo and {other:F1} from the other tab's (0-255)");
    }
}
