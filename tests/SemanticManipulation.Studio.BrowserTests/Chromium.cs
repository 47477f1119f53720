using Microsoft.Playwright;

namespace SemanticManipulation.Studio.Tests;

/// <summary>
/// Launches Debian's Chromium through Playwright. Playwright's own browser download cannot work on these machines, so
/// the tests point it at the system browser; a missing browser fails the tests with how to install it, rather than
/// skipping them (a skipped browser suite would pass CI while testing nothing).
/// </summary>
internal static class Chromium
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>Overrides <see cref="DefaultPath"/> (another machine's Chromium or Chrome).</summary>
    public const string PathVariable = "STUDIO_CHROMIUM";

    /// <summary>The browser to launch: <see cref="PathVariable"/> if set, else <see cref="DefaultPath"/>.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : DefaultPath;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {path}. The studio's browser tests drive the system Chromium: install it with " +
                $"`apt-get install -y chromium` (.ci/run does), or set {PathVariable} to a Chromium executable. " +
                "Playwright's own browser download (playwright install) is not used.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                // Root (CI, these machines) cannot use Chromium's sandbox; the page is our own, served on loopback.
                ChromiumSandbox = false,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
