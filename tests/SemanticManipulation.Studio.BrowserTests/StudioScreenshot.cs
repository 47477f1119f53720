using Microsoft.Playwright;

namespace SemanticManipulation.Studio.Tests;

/// <summary>
/// Remakes <c>docs/studio.png</c>, the README's screenshot of the studio mid-edit: the church open, two strokes
/// applied and listed, their overlay shown. Heavy (longer inversion for a presentable preview, and it writes a
/// tracked file), so it runs only when asked for:
/// <c>dotnet test tests/SemanticManipulation.Studio.BrowserTests -c Release --filter "FullyQualifiedName~StudioScreenshot"</c>.
/// </summary>
public sealed class StudioScreenshot
{
    [Fact]
    [Trait("Category", "Heavy")]
    public async Task The_README_screenshot_shows_a_photo_with_two_strokes_and_their_overlay()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        await using var server = await StudioServer.StartAsync(options =>
        {
            options.InversionSteps = 200;
            options.PreviewAdaptationSteps = 100;
        });
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1120, Height = 800 } });
            var tab = new StudioPage(await context.NewPageAsync(), server);
            await tab.Page.GotoAsync(server.Address.ToString());
            await tab.SettleAsync("idle");
            await tab.OpenFromGalleryAsync("sample-church", stallMs: 240_000);

            // Drawn on a 64×64 canvas and scaled to the model's side, so the strokes keep their place on the photo.
            (double, double) At(int x, int y) => (Pixels.Scaled(x, server.Resolution), Pixels.Scaled(y, server.Resolution));
            await tab.PickConceptAsync("tree");
            await tab.PaintAsync([At(6, 40), At(18, 36), At(22, 48)], Pixels.Scaled(8, server.Resolution));
            await tab.PickConceptAsync("grass");
            await tab.PaintAsync([At(34, 56), At(60, 56)], Pixels.Scaled(7, server.Resolution));

            Assert.Equal(2, await tab.Page.Locator("#stroke-list li[data-stroke-id]").CountAsync());
            // The overlay shows the strokes: some of its pixels are painted.
            var painted = await tab.Page.Locator("#overlay").EvaluateAsync<int>(
                "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 3 && v > 0).length");
            Assert.True(painted > 100, $"{painted} overlay pixels painted");
            Assert.Empty(tab.PageErrors);

            var path = Path.Combine(RepositoryRoot(), "docs", "studio.png");
            await tab.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is nearly empty");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SemanticManipulation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SemanticManipulation.sln above {AppContext.BaseDirectory}.");
    }
}
