using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace SemanticManipulation.Studio.Tests;

/// <summary>A person's session in the studio, in a real Chromium against the real studio: open, paint, undo, render,
/// and a refused upload. Each test has its own browser context, so its own session.</summary>
public sealed class EditingInTheBrowserTests(StudioBrowserFixture studio) : IClassFixture<StudioBrowserFixture>
{
    private int Resolution => studio.Server.Resolution;

    // A thick L-shaped stroke in the upper left quarter (model pixels, given at 64² and scaled to the model's side): a
    // brush of 8 px at 64² around this path. At 128² the brush is 16 px, the widest the page offers; a larger model
    // would need a wider brush on the page (PaintAsync refuses to paint thinner than asked).
    private (double X, double Y)[] TreePath => [Scaled(10, 14), Scaled(26, 14), Scaled(26, 28)];

    private int Brush => Pixels.Scaled(8, Resolution);

    [Fact]
    public async Task Clicking_a_sample_opens_it_with_streamed_progress_and_shows_its_preview()
    {
        var tab = await studio.OpenStudioAsync();
        Assert.Null(await tab.BodyAsync("photo"));
        Assert.False(await tab.Page.Locator("#overlay").IsVisibleAsync());

        await tab.Page.EvaluateAsync(RecordProgress);
        await tab.OpenFromGalleryAsync("sample-church");

        Assert.Equal("sample:church", await tab.BodyAsync("photo"));
        Assert.Equal(1, await tab.PreviewVersionAsync());
        Assert.True(await tab.Page.Locator("#overlay").IsVisibleAsync());
        Assert.True(await tab.Page.Locator("#preview").IsVisibleAsync());
        using (var preview = SixLabors.ImageSharp.Image.Load(await tab.PreviewAsync()))
        {
            Assert.Equal((Resolution, Resolution), (preview.Width, preview.Height));
        }

        var stages = (await ProgressAsync(tab)).Select(p => p.Stage).Distinct().ToList();
        Assert.Equal(["inverting", "fitting-preview"], stages.Where(s => s is not null));
        Assert.Equal(1, await tab.Page.Locator("#progress").EvaluateAsync<double>("p => p.value"));
        Assert.Empty(tab.PageErrors);
    }

    [Fact]
    public async Task A_mouse_stroke_changes_the_preview_inside_its_region_and_not_far_from_it()
    {
        var tab = await studio.OpenStudioAsync();
        await tab.OpenFromGalleryAsync("sample-church");
        var before = await tab.PreviewAsync();
        var version = await tab.PreviewVersionAsync();

        await tab.PickConceptAsync("tree");
        await tab.PaintAsync(TreePath, Brush);

        Assert.Equal(version + 1, await tab.PreviewVersionAsync());
        var stroke = tab.Page.Locator("#stroke-list li[data-stroke-id]");
        Assert.Equal(1, await stroke.CountAsync());
        Assert.Contains("add tree", await stroke.TextContentAsync(), StringComparison.Ordinal);

        // The mask the page sent is where the mouse went: compare the server's coverage with the painted path's area.
        var state = await SessionStateAsync(tab);
        var coverage = state.GetProperty("strokes")[0].GetProperty("coverage").GetDouble();
        var pathArea = CountPixels(d => d <= Brush / 2.0) / (double)(Resolution * Resolution);
        Assert.InRange(coverage, pathArea * 0.8, pathArea * 1.25);

        // The overlay tints the stroke in the concept's colour and leaves the rest of the photo clear.
        var colour = await tab.Page.GetByTestId("concept-tree").GetAttributeAsync("data-colour") ?? "";
        int[] expected = [.. Enumerable.Range(0, 3).Select(c => Convert.ToInt32(colour.Substring(1 + (2 * c), 2), 16))];
        var onStroke = await OverlayPixelAsync(tab, Pixels.Scaled(18, Resolution), Pixels.Scaled(14, Resolution));
        Assert.True(onStroke[3] > 64, $"overlay alpha on the stroke {onStroke[3]}");
        Assert.All(Enumerable.Range(0, 3), c => Assert.InRange(onStroke[c], expected[c] - 3, expected[c] + 3));
        Assert.Equal(0, (await OverlayPixelAsync(tab, Pixels.Scaled(50, Resolution), Pixels.Scaled(50, Resolution)))[3]);

        var difference = Pixels.Difference(before, await tab.PreviewAsync());
        var (margin, farDistance) = (Pixels.Scaled(1.0, Resolution), Pixels.Scaled(16.0, Resolution));
        double inside = 0, far = 0;
        int insideCount = 0, farCount = 0;
        ForEachPixel((x, y, distance) =>
        {
            if (distance <= (Brush / 2.0) - margin)
            {
                inside += difference[y, x];
                insideCount++;
            }
            else if (distance > (Brush / 2.0) + farDistance)
            {
                far += difference[y, x];
                farCount++;
            }
        });
        inside /= insideCount;
        far /= farCount;
        Assert.True(inside > 10, $"mean change inside the stroke {inside:F2} (0-255)");
        Assert.True(far < 1, $"mean change more than {farDistance} px from the stroke {far:F2} (0-255)");
        Assert.True(inside > 20 * far, $"inside {inside:F2}, far outside {far:F2}");
        Assert.Empty(tab.PageErrors);
    }

    [Fact]
    public async Task Undo_restores_the_previous_preview_exactly_and_redo_brings_the_stroke_back()
    {
        var tab = await studio.OpenStudioAsync();
        await tab.OpenFromGalleryAsync("sample-church");
        var opened = await tab.PreviewAsync();
        await tab.PickConceptAsync("tree");
        await tab.PaintAsync(TreePath, Brush);
        var edited = await tab.PreviewAsync();
        Assert.NotEqual(opened, edited);

        await tab.Page.Locator("#undo").ClickAsync();
        await tab.SettleAsync("ready");
        Assert.Equal(opened, await tab.PreviewAsync());
        Assert.Equal(0, await tab.Page.Locator("#stroke-list li").CountAsync());
        Assert.True(await tab.Page.Locator("#undo").IsDisabledAsync());

        await tab.Page.Locator("#redo").ClickAsync();
        await tab.SettleAsync("ready");
        Assert.Equal(edited, await tab.PreviewAsync());
        Assert.Equal(1, await tab.Page.Locator("#stroke-list li").CountAsync());
        Assert.Empty(tab.PageErrors);
    }

    [Fact]
    public async Task Render_shows_its_progress_and_keeps_the_unedited_pixels_above_30_dB()
    {
        var tab = await studio.OpenStudioAsync();
        await tab.OpenFromGalleryAsync("sample-church");
        await tab.PickConceptAsync("tree");
        await tab.PaintAsync(TreePath, Brush);
        Assert.True(await tab.Page.Locator("#compare-panel").IsHiddenAsync());

        await tab.Page.EvaluateAsync(RecordProgress);
        await tab.Page.Locator("#render").ClickAsync();
        Assert.Equal("rendering", await tab.BodyAsync("state"));
        Assert.True(await tab.Page.Locator("#cancel").IsEnabledAsync());
        await tab.SettleAsync("rendered");

        var adapting = (await ProgressAsync(tab)).Where(p => p.Stage == "adapting").Select(p => p.Value).ToList();
        Assert.True(adapting.Count(v => v is > 0 and < 1) >= 3, $"progress seen on the page: [{string.Join(", ", adapting)}]");
        Assert.Equal(adapting.Order(), adapting);
        Assert.Equal(1, adapting[^1]);

        var psnr = double.Parse(await tab.Page.GetAttributeAsync("#render-metrics", "data-psnr") ?? "NaN", CultureInfo.InvariantCulture);
        Assert.True(psnr >= 30, $"unedited PSNR {psnr} dB");
        Assert.Contains("Unedited PSNR", await tab.Page.Locator("#render-metrics").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await tab.Page.Locator("#cancel").IsDisabledAsync());
        Assert.True(await tab.Page.Locator("#compare-panel").IsVisibleAsync());
        Assert.True(await tab.Page.Locator("#download-model").IsVisibleAsync());
        // The before/after images are the session's own PNGs, loaded by the browser.
        Assert.True(await tab.Page.Locator("#compare-after").EvaluateAsync<bool>("(i, side) => i.complete && i.naturalWidth === side", Resolution));
        Assert.Empty(tab.PageErrors);
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_an_image_shows_the_refusal_and_the_page_keeps_working()
    {
        var tab = await studio.OpenStudioAsync();
        await tab.Page.Locator("#upload-input").SetInputFilesAsync(new FilePayload
        {
            Name = "notes.txt",
            MimeType = "text/plain",
            Buffer = "these are notes, not pixels\n"u8.ToArray(),
        });
        await tab.SettleAsync("error");

        var messages = tab.Page.Locator("#messages");
        Assert.True(await messages.IsVisibleAsync());
        Assert.Equal("error", await messages.GetAttributeAsync("data-kind"));
        Assert.Contains("Send a JPEG, PNG", await messages.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("error", await tab.Page.GetAttributeAsync("#status", "data-state"));
        Assert.Null(await tab.BodyAsync("photo"));

        // The refusal left the session usable: a sample opens in the same tab and clears the message.
        await tab.OpenFromGalleryAsync("sample-church");
        Assert.True(await messages.IsHiddenAsync());
        Assert.Empty(tab.PageErrors);
    }

    // Records every change of #progress (its value and stage) in window.progressSeen, as the page shows them.
    private const string RecordProgress = """
        () => {
          window.progressSeen = [];
          const bar = document.getElementById('progress');
          new MutationObserver(() => window.progressSeen.push({ value: bar.value, stage: bar.dataset.stage ?? null }))
            .observe(bar, { attributes: true, attributeFilter: ['value', 'data-stage'] });
        }
        """;

    private static async Task<List<(double Value, string? Stage)>> ProgressAsync(StudioPage tab)
    {
        var seen = await tab.Page.EvaluateAsync<JsonElement>("() => window.progressSeen");
        return [.. seen.EnumerateArray().Select(e => (e.GetProperty("value").GetDouble(),
            e.GetProperty("stage").ValueKind == JsonValueKind.Null ? null : e.GetProperty("stage").GetString()))];
    }

    private static Task<int[]> OverlayPixelAsync(StudioPage tab, int x, int y) =>
        tab.Page.Locator("#overlay").EvaluateAsync<int[]>(
            "(c, [x, y]) => Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data)", new[] { x, y });

    private static async Task<JsonElement> SessionStateAsync(StudioPage tab)
    {
        var json = await tab.Server.Client.GetStringAsync(new Uri($"/api/sessions/{await tab.SessionIdAsync()}", UriKind.Relative));
        return JsonDocument.Parse(json).RootElement;
    }

    private (double X, double Y) Scaled(double x, double y) => (Pixels.Scaled(x, Resolution), Pixels.Scaled(y, Resolution));

    private void ForEachPixel(Action<int, int, double> visit)
    {
        var path = TreePath;
        for (var y = 0; y < Resolution; y++)
        {
            for (var x = 0; x < Resolution; x++)
            {
                visit(x, y, Pixels.DistanceToPath(path, x, y));
            }
        }
    }

    private int CountPixels(Func<double, bool> predicate)
    {
        var count = 0;
        ForEachPixel((_, _, distance) => count += predicate(distance) ? 1 : 0);
        return count;
    }
}
