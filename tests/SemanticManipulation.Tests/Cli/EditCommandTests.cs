using System.Text.Json;
using SemanticManipulation.Cli;
using SemanticManipulation.Imaging;
using SemanticManipulation.Tests.Editing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Cli;

/// <summary><c>edit</c> end to end on the planted model saved as files, as a user would run it.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class EditCommandTests : IClassFixture<PlantedModel>
{
    private readonly PlantedModel _model;

    public EditCommandTests(PlantedModel model) => _model = model;

    [Fact]
    public async Task Edit_adds_a_concept_in_the_mask_and_writes_the_metrics()
    {
        using var directory = Fixture.TempDirectory();
        var modelPath = directory.File("planted.safetensors");
        _model.Generator.Save(modelPath);
        _model.Catalog.Save(directory.File("planted.concepts.json"));
        var photoPath = directory.File("photo.png");
        var maskPath = directory.File("mask.png");
        using (var scope = NewDisposeScope())
        {
            ImageTensor.Save(_model.Render(_model.Representation(seed: 21)).clamp(-1, 1), photoPath);
        }

        using (var mask = new Image<Rgba32>(32, 32, new Rgba32(255, 255, 255, 255)))
        {
            for (var y = 8; y < 22; y++)
            {
                for (var x = 8; x < 22; x++)
                {
                    mask[x, y] = new Rgba32(0, 0, 0, 255);   // dark on white marks the region
                }
            }

            await mask.SaveAsPngAsync(maskPath);
        }

        var output = directory.File("edited.png");
        var metrics = directory.File("edit.json");
        var exit = await CliApplication.RunAsync(
        [
            "edit", "--model", modelPath, "--image", photoPath, "--mask", maskPath, "--add", "red",
            "--out", output, "--metrics", metrics, "--steps", "40", "--target-psnr", "off", "--inversion-steps", "40",
        ]);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(output));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        var root = json.RootElement;
        Assert.Equal(14 * 14 / 1024.0, root.GetProperty("mask_fraction").GetDouble(), 3);
        Assert.Equal(40, root.GetProperty("adaptation_steps").GetInt32());
        Assert.Equal(40, root.GetProperty("inversion_steps").GetInt32());
        Assert.True(root.GetProperty("inversion_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("adaptation_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("psnr_unedited_db").GetDouble() > 15);
        Assert.Equal("add", root.GetProperty("operation").GetString());
    }

    [Fact]
    public async Task Edit_refuses_two_operations_at_once()
    {
        var exit = await CliApplication.RunAsync(
            ["edit", "--model", "m.pth", "--image", "p.png", "--mask", "k.png", "--add", "tree", "--remove", "dome", "--out", "o.png"]);

        Assert.NotEqual(0, exit);
    }
}
