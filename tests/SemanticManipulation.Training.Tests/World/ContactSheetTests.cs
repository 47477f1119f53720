using SemanticManipulation.Training.Imaging;
using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SemanticManipulation.Tests;

namespace SemanticManipulation.Training.Tests.World;

/// <summary>The one sheet layout (<see cref="ContactSheet"/>) and the world's contact sheet built on it.</summary>
public sealed class ContactSheetTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void World_sheet_puts_each_scene_beside_its_label_map_in_a_gapped_grid()
    {
        var path = Path.Combine(_temporary.Path, "nested", "world.png");
        var world = new SceneWorld();

        world.WriteContactSheet(path, firstSeed: 1, count: 6, size: 32, withLabels: true);

        // 6 scenes × 2 tiles, 4 tiles per row (2 scenes), 3 rows; 32-pixel tiles with 2-pixel gaps.
        using var sheet = Image.Load<Rgb24>(path);
        Assert.Equal((2 + (4 * 34), 2 + (3 * 34)), (sheet.Width, sheet.Height));
        var second = world.Render(2, 32);
        using var picture = second.ToImage();
        using var labels = second.ToLabelImage();
        Assert.Equal(picture[5, 7], sheet[2 + (2 * 34) + 5, 2 + 7]);
        Assert.Equal(labels[5, 7], sheet[2 + (3 * 34) + 5, 2 + 7]);
        Assert.Equal(new Rgb24(255, 255, 255), sheet[1, 1]);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp*"));
    }

    [Fact]
    public void Small_tiles_are_enlarged_by_whole_factors_when_asked()
    {
        using var tile = new Image<Rgb24>(32, 32, new Rgb24(10, 20, 30));
        tile[31, 0] = new Rgb24(200, 0, 0);
        var path = Path.Combine(_temporary.Path, "grid.png");

        ContactSheet.SaveGrid([tile, tile, tile], columns: 2, path, minimumTileSide: 100);

        // 100 / 32 → ×3: 96-pixel tiles, 2 columns, 2 rows.
        using var sheet = Image.Load<Rgb24>(path);
        Assert.Equal((2 + (2 * 98), 2 + (2 * 98)), (sheet.Width, sheet.Height));
        Assert.Equal(new Rgb24(200, 0, 0), sheet[2 + 93, 2 + 2]);
        Assert.Equal(new Rgb24(10, 20, 30), sheet[2 + 92, 2 + 2]);
        Assert.Equal(new Rgb24(255, 255, 255), sheet[2 + 98 + 5, 2 + 98 + 5]); // the empty fourth cell
    }
}
