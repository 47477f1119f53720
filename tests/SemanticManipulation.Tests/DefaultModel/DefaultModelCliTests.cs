using System.Text.Json;
using SemanticManipulation.Tests.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace SemanticManipulation.Tests.DefaultModel;

/// <summary>The CLI's verbs without <c>--model</c>: they use the embedded default model, as the README's first command does.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class DefaultModelCliTests : IClassFixture<DefaultModelFixture>
{
    private readonly DefaultModelFixture _model;

    public DefaultModelCliTests(DefaultModelFixture model) => _model = model;

    [Fact]
    public async Task Edit_adds_trees_to_the_sample_photo_with_the_bundles_encoder_catalog_and_segmenter()
    {
        using var directory = Fixture.TempDirectory();
        var output = directory.File("edited.png");
        var metrics = directory.File("edited.json");
        var fullSize = directory.File("edited-full.png");

        var (exit, _, error) = await Run(
        [
            "edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
            "--add", "tree", "--out", output, "--full-size", fullSize, "--metrics", metrics, "--steps", "20", "--target-psnr", "off", "--inversion-steps", "10",
        ]);

        Assert.True(exit == 0, error);
        using (var edited = Image.Load<Rgb24>(output))
        {
            Assert.Equal((_model.Bundle.Generator.Resolution, _model.Bundle.Generator.Resolution), (edited.Width, edited.Height));
        }

        // The full-size edit is the photo's size, and far from the painted region it is the photo's own pixels.
        using (var photo = Image.Load<Rgb24>(DefaultModelFixture.SamplePhoto("church.jpg")))
        using (var composite = Image.Load<Rgb24>(fullSize))
        using (var mask = Image.Load<Rgba32>(DefaultModelFixture.SamplePhoto("church-trees-mask.png")))
        {
            Assert.Equal(photo.Size(), composite.Size());
            var (unpainted, identical) = (0, 0);
            for (var y = 0; y < photo.Height; y += 3)
            {
                for (var x = 0; x < photo.Width; x += 3)
                {
                    if (FarFromPaint(mask, x, y))
                    {
                        unpainted++;
                        identical += photo[x, y] == composite[x, y] ? 1 : 0;
                    }
                }
            }

            Assert.True(unpainted > 100 && identical == unpainted, $"{identical} of {unpainted} unpainted pixels kept.");
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        var root = json.RootElement;
        Assert.Equal(20, root.GetProperty("adaptation_steps").GetInt32());
        Assert.Equal("tree", root.GetProperty("concept").GetString());
        Assert.Equal(PaintedShareOfTheCentredSquare(), root.GetProperty("mask_fraction").GetDouble(), 2);
        Assert.True(double.IsFinite(root.GetProperty("psnr_unedited_db").GetDouble()));

        // Only a segmenter yields these; no --segmenter was given, so the bundle's was used.
        Assert.Equal(JsonValueKind.Number, root.GetProperty("concept_fraction_in_mask_before").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("concept_fraction_in_mask_after").ValueKind);
        Assert.Contains("catalog: the bundle's, encoder: the bundle's, segmenter: the bundle's", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fit_without_a_latent_inverts_the_photo_with_the_bundles_encoder_first()
    {
        using var directory = Fixture.TempDirectory();
        var metrics = directory.File("fit.json");

        var (exit, _, error) = await Run(
            ["fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", directory.File("church.state"), "--steps", "40",
             "--inversion-steps", "10", "--metrics", metrics]);

        Assert.True(exit == 0, error);
        Assert.Contains("Inverted the photo (start: Encoder)", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        var root = json.RootElement;
        Assert.True(root.GetProperty("psnr_after_db").GetDouble() > root.GetProperty("psnr_before_db").GetDouble(), root.ToString());
    }

    [Fact]
    public async Task Evaluate_edits_the_held_out_images_from_the_first_one_asked_with_the_perturbation_asked_and_refuses_a_negative_start()
    {
        using var directory = Fixture.TempDirectory();
        var report = directory.File("report.json");

        var (exit, _, error) = await Run(
            ["evaluate", "--images", "0", "--edits", "1", "--first-edit-image", "3", "--steps", "5", "--inversion-steps", "5", "--kind", "free", "--out", report]);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.StartsWith("free, 5 steps", json.RootElement.GetProperty("edits").GetProperty("adaptation").GetString(), StringComparison.Ordinal);
        var edits = json.RootElement.GetProperty("edits").GetProperty("edits");
        Assert.NotEqual(0, edits.GetArrayLength());
        Assert.All(edits.EnumerateArray(), edit => Assert.Equal(SemanticManipulation.Training.Data.WorldSeeds.HeldOut(3), edit.GetProperty("seed").GetInt64()));

        var (badExit, _, badError) = await Run(["evaluate", "--images", "0", "--first-edit-image", "-1"]);
        Assert.Equal(1, badExit);
        Assert.Contains("--first-edit-image", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invert_starts_from_the_bundles_encoder()
    {
        using var directory = Fixture.TempDirectory();
        var metrics = directory.File("inverted.json");

        var (exit, _, error) = await Run(
            ["invert", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", directory.File("inverted.png"), "--metrics", metrics, "--steps", "3"]);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        Assert.Equal("encoder", json.RootElement.GetProperty("start").GetString());
    }

    [Fact]
    public async Task Generate_and_concepts_work_without_a_model()
    {
        using var directory = Fixture.TempDirectory();
        var image = directory.File("generated.png");

        var (generateExit, _, generateError) = await Run(["generate", "--seed", "2", "--out", image]);
        var (conceptsExit, listing, conceptsError) = await Run(["concepts", "--top", "3"]);

        Assert.True(generateExit == 0, generateError);
        Assert.Equal(_model.Bundle.Generator.Resolution, Image.Identify(image).Width);
        Assert.True(conceptsExit == 0, conceptsError);
        Assert.StartsWith($"{_model.Bundle.Catalog!.Concepts.Count} concepts, {_model.Bundle.Catalog.UnitCount} units of", listing, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^tree\s", listing);
    }

    [Fact]
    public async Task The_help_names_the_default_model()
    {
        var (exit, help, _) = await Run(["edit", "--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("Default: the embedded scene-world model", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_folder_without_a_manifest_is_refused_by_name_and_nothing_is_written()
    {
        using var directory = Fixture.TempDirectory();
        var folder = Directory.CreateDirectory(directory.File("not-a-bundle")).FullName;
        var output = directory.File("generated.png");

        var (exit, _, error) = await Run(["generate", "--model", folder, "--out", output]);

        Assert.Equal(1, exit);
        Assert.Contains($"{folder} is not a model bundle", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>The shipped mask's painted share of the centred square the model sees (what <c>mask_fraction</c> reports).</summary>
    private static double PaintedShareOfTheCentredSquare()
    {
        using var mask = Image.Load<L8>(DefaultModelFixture.SamplePhoto("church-trees-mask.png"));
        var side = Math.Min(mask.Width, mask.Height);
        var (left, top) = ((mask.Width - side) / 2, (mask.Height - side) / 2);
        var painted = 0;
        for (var y = top; y < top + side; y++)
        {
            for (var x = left; x < left + side; x++)
            {
                painted += mask[x, y].PackedValue < 128 ? 1 : 0;
            }
        }

        return painted / (double)(side * side);
    }

    private static Task<(int Exit, string Output, string Error)> Run(string[] args) => CapturedCli.Run(args);

    /// <summary>True when no painted mask pixel lies within a quarter of the photo's height (well beyond the fit's
    /// dilation and blur, scaled up from the canvas).</summary>
    private static bool FarFromPaint(Image<Rgba32> mask, int x, int y)
    {
        var radius = mask.Height / 4;
        for (var v = Math.Max(0, y - radius); v < Math.Min(mask.Height, y + radius); v += 2)
        {
            for (var u = Math.Max(0, x - radius); u < Math.Min(mask.Width, x + radius); u += 2)
            {
                var p = mask[u, v];
                if (p.A > 0 && p.R + p.G + p.B < 3 * 128)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
