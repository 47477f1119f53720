using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training.Tests.World;

public class ContactSheetTests
{
    [Fact]
    public void WriteContactSheet_writes_a_png_grid_with_label_maps()
    {
        string path = Path.Combine(Path.GetTempPath(), "sm-world-" + Guid.NewGuid().ToString("N")[..8] + ".png");
        try
        {
            new SceneWorld().WriteContactSheet(path, firstSeed: 1, count: 6, size: 32, withLabels: true);

            using var image = SixLabors.ImageSharp.Image.Load(path);
            Assert.True(image.Width > 2 * 32 * 2);
            Assert.True(image.Height >= 32);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes the sheets to look at when <c>SM_WORLD_SHEETS</c> names a directory.</summary>
    [Fact]
    public void Writes_preview_sheets_when_asked()
    {
        string? directory = Environment.GetEnvironmentVariable("SM_WORLD_SHEETS");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        long first = long.TryParse(Environment.GetEnvironmentVariable("SM_WORLD_FIRST"), out long f) ? f : 0;
        var world = new SceneWorld();
        world.WriteContactSheet(Path.Combine(directory, "world_sheet.png"), first, 48, 64, withLabels: false);
        world.WriteContactSheet(Path.Combine(directory, "world_sheet_labels.png"), first, 24, 64, withLabels: true);
        world.WriteContactSheet(Path.Combine(directory, "world_sheet_128.png"), first, 16, 128, withLabels: false);
        world.WriteContactSheet(Path.Combine(directory, "world_sheet_256.png"), first, 6, 256, withLabels: true);

        // The 64² sheet enlarged (nearest neighbour), to inspect individual pixels.
        world.WriteContactSheet(Path.Combine(directory, "world_sheet_small.png"), first, 12, 64, withLabels: true);
        using var small = SixLabors.ImageSharp.Image.Load(Path.Combine(directory, "world_sheet_small.png"));
        small.Mutate(c => c.Resize(small.Width * 3, small.Height * 3, KnownResamplers.NearestNeighbor));
        small.SaveAsPng(Path.Combine(directory, "world_sheet_small_x3.png"));
    }
}
