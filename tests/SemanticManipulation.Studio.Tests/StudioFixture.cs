namespace SemanticManipulation.Studio.Tests;

/// <summary>One studio with the default test settings, shared by the test classes of <see cref="SharedStudio"/>.</summary>
public sealed class StudioFixture : IAsyncLifetime
{
    private StudioServer? _server;

    public StudioServer Server => _server ?? throw new InvalidOperationException("The studio has not started.");

    public HttpClient Client => Server.Client;

    /// <summary>The side S of the studio's model, read once when the studio starts.</summary>
    public int Resolution => Server.Resolution;

    public async Task InitializeAsync() => _server = await StudioServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share one studio (run one after another, as xunit runs a collection).</summary>
[CollectionDefinition(Name)]
public sealed class SharedStudio : ICollectionFixture<StudioFixture>
{
    public const string Name = "studio";
}
