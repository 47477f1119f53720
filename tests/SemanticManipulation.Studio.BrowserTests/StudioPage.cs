using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace SemanticManipulation.Studio.Tests;

/// <summary>One studio tab, driven the way a person does (clicks, mouse strokes, file picker) and read back through
/// the DOM the page reflects its state into (<c>body[data-state]</c>, <c>#preview[data-version]</c>, …).</summary>
public sealed class StudioPage
{
    // States a request passes through; every other state is where the page waits for the person again.
    private static readonly string[] Transient = ["loading", "opening", "applying", "rendering"];

    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();

    /// <summary>Wraps a tab, recording its script and console errors from now on.</summary>
    public StudioPage(IPage page, StudioServer server)
    {
        Page = page;
        Server = server;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    /// <summary>The tab.</summary>
    public IPage Page { get; }

    /// <summary>The studio it talks to.</summary>
    public StudioServer Server { get; }

    /// <summary>The model's side: the overlay and the preview are S×S.</summary>
    public int Resolution => Server.Resolution;

    /// <summary>Uncaught script errors so far: a working page has none.</summary>
    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    /// <summary>
    /// Waits until the page is no longer busy and asserts the state it came to rest in. The wait fails when the page's
    /// progress stops moving for <paramref name="stallMs"/>, not after a fixed time: a render on two cores shared with
    /// other test assemblies (and slower kernels under a lower ISA) may take minutes, and what the test claims is that it
    /// keeps progressing and then settles.
    /// </summary>
    public async Task SettleAsync(string expected, float stallMs = 60_000)
    {
        const float Poll = 5_000;
        const float Limit = 600_000;
        var lastProgress = await ProgressTextAsync();
        var lastMoved = System.Diagnostics.Stopwatch.StartNew();
        var total = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await Page.WaitForFunctionAsync(
                    "transient => !transient.includes(document.body.dataset.state)", Transient,
                    new PageWaitForFunctionOptions { Timeout = Poll, PollingInterval = 50 });
                break;
            }
            catch (TimeoutException timeout)
            {
                var progress = await ProgressTextAsync();
                if (progress != lastProgress)
                {
                    lastProgress = progress;
                    lastMoved.Restart();
                }

                if (lastMoved.ElapsedMilliseconds >= stallMs || total.ElapsedMilliseconds >= Limit)
                {
                    throw new TimeoutException($"The page was still '{await BodyAsync("state")}' after {total.Elapsed.TotalSeconds:F0} s " +
                        $"(progress unchanged for {lastMoved.Elapsed.TotalSeconds:F0} s), waiting to be '{expected}'. " +
                        $"Progress: '{progress}'. {await DescribeAsync()}", timeout);
                }
            }
        }

        var state = await BodyAsync("state");
        Assert.True(state == expected, $"the page settled in '{state}', not '{expected}'. {await DescribeAsync()}");
    }

    private async Task<string> ProgressTextAsync() => await Page.Locator("#progress-label").TextContentAsync() ?? "";

    /// <summary>What the page shows, for failure messages.</summary>
    public async Task<string> DescribeAsync()
    {
        var status = await Page.Locator("#status").TextContentAsync();
        var message = await Page.Locator("#messages").TextContentAsync();
        return $"Status: '{status}' ({await Page.GetAttributeAsync("#status", "data-state")}); message: '{message}'; " +
               $"script errors: [{string.Join(" | ", _pageErrors)}]; console errors: [{string.Join(" | ", _consoleErrors)}]";
    }

    /// <summary>An attribute of <c>body</c> as <c>data-NAME</c>, or null.</summary>
    public Task<string?> BodyAsync(string dataName) => Page.GetAttributeAsync("body", $"data-{dataName}");

    /// <summary>The tab's session id.</summary>
    public async Task<string> SessionIdAsync() => await BodyAsync("session-id") ?? throw new InvalidOperationException("no session");

    /// <summary>Clicks a gallery item (<c>sample-church</c>, <c>seed-3</c>) and waits for the photo to open.</summary>
    public async Task OpenFromGalleryAsync(string testId, float stallMs = 60_000)
    {
        await Page.GetByTestId(testId).ClickAsync();
        await SettleAsync("ready", stallMs);
    }

    /// <summary>The preview image the page shows, as the PNG bytes of its data URL.</summary>
    public async Task<byte[]> PreviewAsync()
    {
        var source = await Page.GetAttributeAsync("#preview", "src");
        const string Prefix = "data:image/png;base64,";
        Assert.NotNull(source);
        Assert.True(source.StartsWith(Prefix, StringComparison.Ordinal), $"the preview is not a PNG data URL: {source[..Math.Min(40, source.Length)]}");
        return Convert.FromBase64String(source[Prefix.Length..]);
    }

    /// <summary>How many times the preview has changed.</summary>
    public async Task<int> PreviewVersionAsync() =>
        int.Parse(await Page.GetAttributeAsync("#preview", "data-version") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Picks a concept in the palette.</summary>
    public Task PickConceptAsync(string concept) => Page.GetByTestId($"concept-{concept}").ClickAsync();

    /// <summary>Paints one stroke with the mouse through <paramref name="points"/> (model pixels, centres), with the
    /// brush set to <paramref name="brush"/> pixels, and waits for the page to apply it (auto-apply on release).</summary>
    public async Task PaintAsync(IReadOnlyList<(double X, double Y)> points, int brush)
    {
        // The strokes scale with the model's side; a brush the page cannot set would paint thinner than the test claims.
        var widest = int.Parse(await Page.Locator("#brush-size").GetAttributeAsync("max") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(brush <= widest, $"a brush of {brush} px is wider than the page's widest, {widest} px");
        await Page.Locator("#brush-size").FillAsync(brush.ToString(CultureInfo.InvariantCulture));
        var box = await Page.Locator("#overlay").BoundingBoxAsync() ?? throw new InvalidOperationException("the overlay is not shown");
        (float X, float Y) Screen((double X, double Y) p) =>
            ((float)(box.X + (p.X * box.Width / Resolution)), (float)(box.Y + (p.Y * box.Height / Resolution)));

        var start = Screen(points[0]);
        await Page.Mouse.MoveAsync(start.X, start.Y);
        await Page.Mouse.DownAsync();
        foreach (var point in points.Skip(1))
        {
            var screen = Screen(point);
            await Page.Mouse.MoveAsync(screen.X, screen.Y, new MouseMoveOptions { Steps = 8 });
        }

        await Page.Mouse.UpAsync();
        await SettleAsync("ready");
    }
}
