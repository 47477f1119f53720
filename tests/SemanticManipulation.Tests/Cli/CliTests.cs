using System.Text.Json;
using SemanticManipulation.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

/// <summary>The command-line verbs, run in-process exactly as <c>dotnet run</c> would.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class CliTests
{
    [Fact]
    public async Task Generate_reproduces_pytorchs_image_from_its_checkpoint_and_latent()
    {
        using var directory = Fixture.TempDirectory();
        var output = directory.File("generated.png");

        var exit = await CliApplication.RunAsync(
            ["generate", "--model", Fixture.ProGan("progan32_legacy.pth"), "--latent", Fixture.ProGan("latent0.npy"), "--out", output]);

        Assert.Equal(0, exit);
        using var actual = Image.Load<Rgb24>(output);
        using var expected = Image.Load<Rgb24>(Fixture.ProGan("expected_image0.png"));
        Assert.Equal(expected.Size(), actual.Size());
        var worst = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var (a, e) = (actual[x, y], expected[x, y]);
                worst = Math.Max(worst, Math.Max(Math.Abs(a.R - e.R), Math.Max(Math.Abs(a.G - e.G), Math.Abs(a.B - e.B))));
            }
        }

        Assert.True(worst <= 1, $"largest difference {worst} levels");
    }

    [Fact]
    public async Task Generate_with_a_seed_is_repeatable_and_a_wrong_latent_is_refused()
    {
        using var directory = Fixture.TempDirectory();
        string[] Args(string name) => ["generate", "-m", Fixture.ProGan("progan32.safetensors"), "--seed", "3", "-o", directory.File(name)];

        Assert.Equal(0, await CliApplication.RunAsync(Args("a.png")));
        Assert.Equal(0, await CliApplication.RunAsync(Args("b.png")));
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));

        var exit = await CliApplication.RunAsync(
            ["generate", "-m", Fixture.ProGan("progan32.safetensors"), "--latent", Fixture.ProGan("latents.npy"), "-o", directory.File("c.png")]);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(directory.File("c.png")));
    }

    [Fact]
    public async Task Outputs_go_into_folders_the_cli_creates()
    {
        using var directory = Fixture.TempDirectory();
        var output = Path.Combine(directory.Path, "out", "nested", "generated.png");

        var exit = await CliApplication.RunAsync(["generate", "-m", Fixture.ProGan("progan32.safetensors"), "--seed", "1", "-o", output]);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Generate_names_the_problem_with_a_bad_checkpoint()
    {
        using var directory = Fixture.TempDirectory();
        var (exit, _, error) = await CapturedCli.Run("generate", "-m", Fixture.ProGan("progan32_wrong_shape.pth"), "-o", directory.File("x.png"));

        Assert.Equal(1, exit);
        Assert.Contains("layer5.conv.weight", error, StringComparison.Ordinal);
        Assert.Contains(error.Split('\n'), line => line.StartsWith("error: ", StringComparison.Ordinal) && line.Contains("layer5", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);   // one line, no stack trace
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public async Task Fit_saves_a_state_and_metrics_and_generate_renders_with_it()
    {
        using var directory = Fixture.TempDirectory();
        var state = directory.File("photo.state");
        var metrics = directory.File("fit.json");
        // A photo G cannot render exactly from z0: its own image of z0, mirrored.
        var photo = directory.File("photo.png");
        using (var image = Image.Load<Rgb24>(Fixture.ProGan("expected_image0.png")))
        {
            image.Mutate(x => x.Flip(FlipMode.Horizontal));
            image.SaveAsPng(photo);
        }

        var exit = await CliApplication.RunAsync(
        [
            "fit", "-m", Fixture.ProGan("progan32_zip.pth"), "--image", photo,
            "--latent", Fixture.ProGan("latent0.npy"),
            "--out", state, "--steps", "150", "--target-psnr", "off", "--metrics", metrics,
        ]);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(File.ReadAllText(metrics));
        var root = json.RootElement;
        Assert.Equal(150, root.GetProperty("adaptation_steps").GetInt32());
        Assert.True(root.GetProperty("adaptation_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("psnr_after_db").GetDouble() > root.GetProperty("psnr_before_db").GetDouble() + 5);

        var rendered = directory.File("rendered.png");
        Assert.Equal(0, await CliApplication.RunAsync(["generate", "-m", Fixture.ProGan("progan32_zip.pth"), "--state", state, "-o", rendered]));
        Assert.True(File.Exists(rendered));
    }

    [Fact]
    public async Task Fit_with_a_target_psnr_stops_as_soon_as_the_kept_pixels_reach_it_and_with_off_runs_every_step()
    {
        using var directory = Fixture.TempDirectory();
        var photo = directory.File("photo.png");
        using (var image = Image.Load<Rgb24>(Fixture.ProGan("expected_image0.png")))
        {
            image.Mutate(x => x.Flip(FlipMode.Horizontal));
            image.SaveAsPng(photo);
        }

        async Task<JsonElement> Fit(string name, params string[] extra)
        {
            var metrics = directory.File($"{name}.json");
            Assert.Equal(0, await CliApplication.RunAsync(
            [
                "fit", "-m", Fixture.ProGan("progan32_zip.pth"), "--image", photo, "--latent", Fixture.ProGan("latent0.npy"),
                "--out", directory.File($"{name}.state"), "--steps", "150", "--metrics", metrics, .. extra,
            ]));
            using var json = JsonDocument.Parse(File.ReadAllText(metrics));
            return json.RootElement.Clone();
        }

        var full = await Fit("full", "--target-psnr", "off");
        var (before, after) = (full.GetProperty("psnr_before_db").GetDouble(), full.GetProperty("psnr_after_db").GetDouble());
        var target = (before + after) / 2;
        var stopped = await Fit("target", "--target-psnr", target.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));

        Assert.False(full.GetProperty("stopped_early").GetBoolean());
        Assert.True(stopped.GetProperty("stopped_early").GetBoolean());
        Assert.InRange(stopped.GetProperty("adaptation_steps").GetInt32(), 2, 149);
        Assert.True(stopped.GetProperty("psnr_after_db").GetDouble() >= Math.Round(target, 2) - 1e-6,
            $"stopped at {stopped.GetProperty("psnr_after_db").GetDouble():F2} dB, target {target:F2} dB");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleRedirectingTests
{
    public const string Name = "CLI (redirects the console)";
}
