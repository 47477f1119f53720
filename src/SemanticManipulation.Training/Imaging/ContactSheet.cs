using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Imaging;

/// <summary>
/// One layout for every picture sheet training and evaluation write (GAN samples during training, world scenes,
/// evaluation grids and edit strips): same-size tiles in rows, 2-pixel white gaps, saved atomically as PNG.
/// </summary>
internal static class ContactSheet
{
    /// <summary>Model images are 32² to 128²: evaluation sheets enlarge tiles to at least this side (whole multiples,
    /// nearest neighbour, so no pixel is invented) so that they can be judged by eye.</summary>
    public const int ReadableTileSide = 128;

    private const int Gap = 2;
    private static readonly Rgb24 Background = new(255, 255, 255);
    private static readonly float[] OverlayColour = [1f, -1f, 1f];

    /// <summary>How sheets show where an edit was painted: the photo with the mask tinted half magenta (a colour no
    /// scene class has).</summary>
    /// <param name="photo">The photo, <c>[1, 3, H, W]</c> in [-1, 1].</param>
    /// <param name="mask">The mask, <c>[1, 1, H, W]</c> in [0, 1], on the photo's device.</param>
    public static Image<Rgb24> MaskOverlay(Tensor photo, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var tint = tensor(OverlayColour, [1, 3, 1, 1]).to(photo.device);
        return ImageTensor.ToImage((photo * (1 - (0.5f * mask))) + (tint * (0.5f * mask)));
    }

    /// <summary>Lays <paramref name="tiles"/> (all the same size) out in rows of <paramref name="columns"/> and saves a PNG.</summary>
    /// <param name="tiles">The images, row by row.</param>
    /// <param name="columns">Tiles per row.</param>
    /// <param name="path">Where the PNG goes.</param>
    /// <param name="minimumTileSide">Tiles smaller than this are enlarged by a whole factor; 0 keeps them as they are.</param>
    public static void SaveGrid(IReadOnlyList<Image<Rgb24>> tiles, int columns, string path, int minimumTileSide = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var rows = new List<IReadOnlyList<Image<Rgb24>>>();
        for (var i = 0; i < tiles.Count; i += columns)
        {
            rows.Add(tiles.Skip(i).Take(columns).ToArray());
        }

        SaveRows(rows, path, minimumTileSide);
    }

    /// <summary>Lays out each row's tiles (all the same size) left to right, rows top to bottom, and saves a PNG.
    /// Nothing is written when there are no tiles.</summary>
    /// <param name="rows">The images, by row; rows may differ in length.</param>
    /// <param name="path">Where the PNG goes.</param>
    /// <param name="minimumTileSide">Tiles smaller than this are enlarged by a whole factor; 0 keeps them as they are.</param>
    public static void SaveRows(IReadOnlyList<IReadOnlyList<Image<Rgb24>>> rows, string path, int minimumTileSide = 0)
    {
        if (rows.Count == 0 || rows.All(r => r.Count == 0))
        {
            return;
        }

        var tile = rows.First(r => r.Count > 0)[0];
        var scale = Math.Max(1, minimumTileSide / Math.Max(tile.Width, tile.Height));
        var (width, height) = (tile.Width * scale, tile.Height * scale);
        var columns = rows.Max(r => r.Count);
        using var sheet = new Image<Rgb24>(Gap + (columns * (width + Gap)), Gap + (rows.Count * (height + Gap)), Background);
        for (var row = 0; row < rows.Count; row++)
        {
            for (var column = 0; column < rows[row].Count; column++)
            {
                var source = rows[row][column];
                var (x0, y0) = (Gap + (column * (width + Gap)), Gap + (row * (height + Gap)));
                for (var y = 0; y < Math.Min(height, source.Height * scale); y++)
                {
                    for (var x = 0; x < Math.Min(width, source.Width * scale); x++)
                    {
                        sheet[x0 + x, y0 + y] = source[x / scale, y / scale];
                    }
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream => sheet.Save(stream, new PngEncoder()));
    }
}
