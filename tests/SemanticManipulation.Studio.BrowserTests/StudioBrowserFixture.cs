using Microsoft.Playwright;

namespace SemanticManipulation.Studio.Tests;

/// <summary>One real studio (Kestrel, embedded model, short step budgets) and one headless Chromium per test class;
/// each test opens its own browser context, so each has its own tab storage and so its own studio session.</summary>
public sealed class StudioBrowserFixture : IAsyncLifetime
{
    private StudioServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The studio under test.</summary>
    public StudioServer Server => _server ?? throw new InvalidOperationException("The studio has not started.");

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        _server = await StudioServer.StartAsync();
    }

    /// <summary>A new tab in a new context with the studio loaded and its session created.</summary>
    public async Task<StudioPage> OpenStudioAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var studio = new StudioPage(page, Server);
        await page.GotoAsync(Server.Address.ToString());
        await studio.SettleAsync("idle");
        return studio;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
