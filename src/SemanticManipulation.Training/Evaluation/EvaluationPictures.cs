using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>Contact sheets of evaluation images: a grid of samples, or rows of edit strips. Written atomically.</summary>
internal static class EvaluationPictures
{
    private const int Gap = 2;

    // Model images are 32² to 128²: tiles are enlarged (whole multiples, nearest neighbour, so no pixel is invented) to at
    // least this size so that a sheet can be judged by eye.
    private const int MinimumTileSide = 128;
    private static readonly Rgb24 Background = new(255, 255, 255);

    /// <summary>Lays <paramref name="tiles"/> (all the same size) out in rows of <paramref name="columns"/> and saves a PNG.</summary>
    public static void SaveGrid(IReadOnlyList<Image<Rgb24>> tiles, int columns, string path)
    {
        var rows = new List<IReadOnlyList<Image<Rgb24>>>();
        for (var i = 0; i < tiles.Count; i += columns)
        {
            rows.Add(tiles.Skip(i).Take(columns).ToArray());
        }

        SaveRows(rows, path);
    }

    /// <summary>Lays out each row's tiles (all the same size) left to right, rows top to bottom, and saves a PNG.</summary>
    public static void SaveRows(IReadOnlyList<IReadOnlyList<Image<Rgb24>>> rows, string path)
    {
        if (rows.Count == 0 || rows.All(r => r.Count == 0))
        {
            return;
        }

        var tile = rows.First(r => r.Count > 0)[0];
        var scale = Math.Max(1, MinimumTileSide / Math.Max(tile.Width, tile.Height));
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

        AtomicFile.Write(path, stream => sheet.Save(stream, new PngEncoder()));
    }
}
