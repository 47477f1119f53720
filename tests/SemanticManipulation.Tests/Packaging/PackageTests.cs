using System.Diagnostics;
using System.IO.Compression;
using Xunit;

namespace SemanticManipulation.Tests.Packaging;

/// <summary>The NuGet package holds the SDK, not the ImageNet ResNet-18 its dependency already brings.</summary>
public sealed class PackageTests
{
    [Fact]
    [Trait("Category", "Heavy")]
    public void The_sdk_package_is_small_and_leaves_the_resnet_weights_to_the_package_that_ships_them()
    {
        using var output = Fixture.TempDirectory();
        var project = Path.Combine(RepositoryRoot(), "src", "SemanticManipulation", "SemanticManipulation.csproj");
        var start = new ProcessStartInfo("dotnet", ["pack", project, "-c", "Release", "-o", output.Path, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var pack = Process.Start(start)!;
        var log = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
        pack.WaitForExit();
        Assert.True(pack.ExitCode == 0, log);

        var package = Assert.Single(Directory.GetFiles(output.Path, "SemanticManipulation.*.nupkg"));
        using var archive = ZipFile.OpenRead(package);

        Assert.DoesNotContain(archive.Entries, e => e.FullName.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(archive.Entries, e => e.FullName == "lib/net10.0/SemanticManipulation.dll");
        Assert.True(new FileInfo(package).Length < 5 << 20, $"the package is {new FileInfo(package).Length} bytes");
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
