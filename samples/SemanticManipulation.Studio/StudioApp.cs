using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Studio.Api;
using SemanticManipulation.Studio.Model;
using SemanticManipulation.Studio.Sessions;
using SemanticManipulation.Studio.Worker;

namespace SemanticManipulation.Studio;

/// <summary>
/// Builds the studio: Kestrel on loopback, the SDK registered through its one composition root
/// (<c>AddSemanticManipulation</c>) with the model <c>--model</c> names, the tensor worker, the session cache, the API
/// and the page. The tests build it the same way, on port 0.
/// </summary>
internal static class StudioApp
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--port"] = $"{StudioOptions.Section}:{nameof(StudioOptions.Port)}",
        ["--model"] = $"{StudioOptions.Section}:{nameof(StudioOptions.Model)}",
        ["--catalog"] = $"{StudioOptions.Section}:{nameof(StudioOptions.Catalog)}",
    };

    /// <summary>Builds the application (not started).</summary>
    /// <param name="args">Command-line arguments: <c>--port N</c>, <c>--model PATH</c>, <c>--catalog PATH</c>, or any
    /// <c>--Studio:Setting=value</c>.</param>
    /// <param name="configure">Lets a test override settings after the command line.</param>
    public static WebApplication Build(string[] args, Action<StudioOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        var options = builder.Configuration.GetSection(StudioOptions.Section).Get<StudioOptions>() ?? new StudioOptions();
        configure?.Invoke(options);
        options.Validate();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.ListenOnAllInterfaces)
            {
                kestrel.ListenAnyIP(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, options.Port);
            }

            // A stroke's JSON (an S×S mask in base64) and an upload both fit; the upload reader answers precisely first.
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1L << 20);
        });

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSemanticManipulation(sdk => ModelSelection.Configure(sdk, options));
        services.AddSingleton<TensorWorker>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<StudioEditing>();
        services.AddSingleton(_ => new SampleGallery(SampleGallery.DefaultDirectory));
        // The model is loaded at start-up (see StartAsync), so the first request finds it ready.
        services.AddSingleton(provider => new StudioModel(provider.GetRequiredService<SemanticEditor>(), ModelSelection.Describe(options)));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);

        var app = builder.Build();
        app.Use(ApiErrors.Handle);
        app.Use(RequestOriginGuard.Handle);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        StudioEndpoints.Map(app);
        return app;
    }

    /// <summary>Loads the model (failing here, with the reason, rather than at the first request),
    /// starts the server and returns the address it listens on.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Loaded here, outside any dispose scope: the worker runs each job in a scope, which would take the model's
        // weights created during loading with it when the job ends.
        app.Services.GetRequiredService<StudioModel>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal));
    }
}
