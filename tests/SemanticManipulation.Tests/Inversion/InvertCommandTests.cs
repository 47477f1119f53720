using System.Text.Json;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Cli;
using SemanticManipulation.Tests.Cli;
using Xunit;

namespace SemanticManipulation.Tests.Inversion;

/// <summary>The <c>invert</c> verb, run in-process as <c>dotnet run</c> would.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class InvertCommandTests
{
    [Fact]
    public async Task Invert_writes_the_reconstruction_r_star_and_the_metrics()
    {
        using var directory = Fixture.TempDirectory();
        var photo = directory.File("photo.png");
        Assert.Equal(0, await CliApplication.RunAsync(["generate", "-m", Fixture.ProGan("progan32_zip.pth"), "--seed", "5", "-o", photo]));

        var exit = await CliApplication.RunAsync([
            "invert", "--model", Fixture.ProGan("progan32_zip.pth"), "--image", photo, "--out", directory.File("inverted.png"),
            "--metrics", directory.File("metrics.json"), "--encoder", Path.Combine(Fixture.Root, "encoder", "hybrid_encoder_authors.pth"),
            "--steps", "20", "--feature-loss", "--representation", directory.File("r.npy")]);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(directory.File("inverted.png")));
        using (var r = NpyFile.Read(directory.File("r.npy")))
        {
            Assert.Equal([1L, 32, 8, 8], r.shape);
        }

        using var metrics = JsonDocument.Parse(File.ReadAllText(directory.File("metrics.json")));
        var root = metrics.RootElement;
        Assert.True(root.GetProperty("psnr_db").GetDouble() > root.GetProperty("initial_psnr_db").GetDouble());
        Assert.InRange(root.GetProperty("ssim").GetDouble(), -1, 1);
        Assert.InRange(root.GetProperty("perceptual_distance").GetDouble(), 0, 4);
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(20, root.GetProperty("steps").GetInt32());
        Assert.Equal("encoder", root.GetProperty("start").GetString());
    }

    [Fact]
    public async Task Invert_refuses_an_encoder_for_another_generator_and_bad_steps()
    {
        using var directory = Fixture.TempDirectory();
        var photo = directory.File("photo.png");
        Assert.Equal(0, await CliApplication.RunAsync(["generate", "-m", Fixture.ProGan("progan32_zip.pth"), "--seed", "6", "-o", photo]));
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var wrongEncoder = await CliApplication.RunAsync([
                "invert", "-m", Fixture.ProGan("progan32_zip.pth"), "-i", photo, "-o", directory.File("a.png"),
                "--encoder", Path.Combine(Fixture.Root, "encoder", "hybrid_encoder_other_size.pth"), "--steps", "5"]);
            var zeroSteps = await CliApplication.RunAsync([
                "invert", "-m", Fixture.ProGan("progan32_zip.pth"), "-i", photo, "-o", directory.File("b.png"), "--steps", "0"]);

            Assert.Equal(1, wrongEncoder);
            Assert.Equal(1, zeroSteps);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("r with 64 channels", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--steps must be at least 1; got 0.", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("a.png")));
    }
}
