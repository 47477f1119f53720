using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Bundles;
using SemanticManipulation.Studio.Model;

namespace SemanticManipulation.Studio.Tests;

/// <summary>
/// The real studio on a real Kestrel socket (loopback, a free port), with the embedded default model and short step
/// budgets so that the suite stays fast; a test's own settings go on top.
/// </summary>
public sealed class StudioServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StudioServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        Resolution = app.Services.GetRequiredService<StudioModel>().Resolution;
    }

    /// <summary>Where the studio listens.</summary>
    public Uri Address { get; }

    /// <summary>A client for the studio.</summary>
    public HttpClient Client { get; }

    /// <summary>The side S of the model the studio loaded: masks are S×S, and the tests' strokes are scaled to it.</summary>
    public int Resolution { get; }

    /// <summary>The studio's services (its session store, its tensor worker), for tests that look inside.</summary>
    internal IServiceProvider Services => _app.Services;

    internal static async Task<StudioServer> StartAsync(Action<StudioOptions>? configure = null)
    {
        var app = StudioApp.Build(["--port", "0", "--Logging:LogLevel:Default=Warning"], options =>
        {
            options.InversionSteps = 30;
            options.ReferenceInversionSteps = 20;
            options.PreviewAdaptationSteps = 30;
            options.RenderAdaptationSteps = 150;
            // Every fit runs its steps: renders that tests cancel or race must not end at the 40 dB stop first.
            options.TargetKeptPsnrDb = null;
            configure?.Invoke(options);
        });
        return new StudioServer(app, await StudioApp.StartAsync(app));
    }

    /// <summary>The side of the embedded default model (the one a studio started here loads), read from the bundle's
    /// generator without starting a studio: for settings that must be chosen before the studio starts.</summary>
    internal static int DefaultModelResolution()
    {
        using var generator = ModelBundle.LoadGenerator(DefaultModel.Directory);
        return generator.Resolution;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
