using SemanticManipulation.Training.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SemanticManipulation.Training.World;

/// <summary>
/// Sample photos for trying the edit pipeline: scenes the default model never saw in training (held-out seeds), at a
/// size and aspect ratio other than the model's, each with an "add trees here" mask derived from the scene's labels.
/// The repository's <c>samples/photos/</c> files are <see cref="RenderShipped"/>'s output (written by
/// <c>tools/sample-photos/make-sample-photos.cs</c> and checked by the tests).
/// </summary>
public static class SamplePhotos
{
    /// <summary>The held-out index (<see cref="WorldSeeds.HeldOut"/>) of the shipped sample: a brick church with an
    /// open meadow and sky beside it.</summary>
    public const long ShippedHeldOutIndex = 46;

    /// <summary>The shipped sample's width in pixels (wider than tall, so fitting it to the model crops it).</summary>
    public const int ShippedWidth = 320;

    /// <summary>The shipped sample's height in pixels.</summary>
    public const int ShippedHeight = 256;

    /// <summary>The JPEG quality the shipped sample photo is saved with.</summary>
    public const int ShippedJpegQuality = 90;

    private static readonly SceneLabel[] BuildingLabels =
        [SceneLabel.Brick, SceneLabel.Stone, SceneLabel.Roof, SceneLabel.Dome, SceneLabel.Door, SceneLabel.Window];

    // Trees may be painted over open land and the sky above it (and over trees already there), never over buildings or paths.
    private static readonly SceneLabel[] TreeGroundLabels =
        [SceneLabel.Sky, SceneLabel.Cloud, SceneLabel.Hill, SceneLabel.Grass, SceneLabel.Tree];

    /// <summary>The shipped sample: <see cref="Render"/> of held-out scene <see cref="ShippedHeldOutIndex"/> at
    /// <see cref="ShippedWidth"/>×<see cref="ShippedHeight"/>.</summary>
    /// <param name="world">The scene world; the default world when null (the one the default model trained on).</param>
    public static SamplePhoto RenderShipped(SceneWorld? world = null) =>
        Render(world ?? new SceneWorld(), WorldSeeds.HeldOut(ShippedHeldOutIndex), ShippedWidth, ShippedHeight);

    /// <summary>
    /// Renders scene <paramref name="seed"/> as a <paramref name="width"/>×<paramref name="height"/> photo (the centre
    /// of a square render, so the scene looks the same at any size) and paints the tree mask: on the wider open side of
    /// the main building, from the ground line up into the sky to about two thirds of the building's height, over open
    /// land and sky only, and inside the centred square a square model sees after centre-cropping the photo.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside what <see cref="SceneWorld"/> renders.</exception>
    /// <exception cref="InvalidOperationException">The scene has no building, or no room beside it for trees.</exception>
    public static SamplePhoto Render(SceneWorld world, long seed, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(world);
        var size = Math.Max(width, height);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(width, height), SceneWorld.MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, SceneWorld.MaxSize);

        var scene = world.Render(seed, size);
        var (left, top) = ((size - width) / 2, (size - height) / 2);
        var labels = new SceneLabel[width, height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                labels[x, y] = scene.LabelAt(x + left, y + top);
            }
        }

        var mask = TreeMask(labels, width, height, seed);
        var photo = scene.ToImage();
        photo.Mutate(c => c.Crop(new Rectangle(left, top, width, height)));
        var painted = 0;
        var maskImage = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                maskImage[x, y] = new L8(mask[x, y] ? (byte)0 : (byte)255);
                painted += mask[x, y] ? 1 : 0;
            }
        }

        return new SamplePhoto(seed, photo, maskImage, painted / (double)(width * height));
    }

    private static bool[,] TreeMask(SceneLabel[,] labels, int width, int height, long seed)
    {
        // The square a model sees after centre-cropping; the mask stays inside it so the whole edit is visible.
        var side = Math.Min(width, height);
        var (squareLeft, squareTop) = ((width - side) / 2, (height - side) / 2);

        // The main building's columns: the run around the tallest building column of columns at least a quarter as
        // tall, so that small buildings in the distance do not count.
        var buildingHeight = new int[side];
        for (var i = 0; i < side; i++)
        {
            for (var y = squareTop; y < squareTop + side; y++)
            {
                buildingHeight[i] += Array.IndexOf(BuildingLabels, labels[squareLeft + i, y]) >= 0 ? 1 : 0;
            }
        }

        var tallest = buildingHeight.Max();
        if (tallest == 0)
        {
            throw new InvalidOperationException($"Scene {seed} shows no building to put trees beside.");
        }

        var threshold = Math.Max(1, tallest / 4);
        var (first, last) = (Array.IndexOf(buildingHeight, tallest), Array.IndexOf(buildingHeight, tallest));
        while (first > 0 && buildingHeight[first - 1] >= threshold)
        {
            first--;
        }

        while (last < side - 1 && buildingHeight[last + 1] >= threshold)
        {
            last++;
        }

        var margin = Math.Max(1, side / 32);
        var onLeft = first >= side - 1 - last;
        var (bandFrom, bandTo) = onLeft ? (margin, first - margin) : (last + margin, side - 1 - margin);
        if (bandTo - bandFrom + 1 < side / 8)
        {
            throw new InvalidOperationException($"Scene {seed} has no room beside its building for trees.");
        }

        // The ground line: the median over the band of the first grass or path row from the top.
        var groundRows = new List<int>();
        for (var i = bandFrom; i <= bandTo; i++)
        {
            for (var y = squareTop; y < squareTop + side; y++)
            {
                if (labels[squareLeft + i, y] is SceneLabel.Grass or SceneLabel.Path)
                {
                    groundRows.Add(y);
                    break;
                }
            }
        }

        if (groundRows.Count == 0)
        {
            throw new InvalidOperationException($"Scene {seed} shows no ground beside its building.");
        }

        groundRows.Sort();
        var ground = groundRows[groundRows.Count / 2];
        var roofTop = squareTop + side;
        for (var i = first; i <= last; i++)
        {
            for (var y = squareTop; y < roofTop; y++)
            {
                if (Array.IndexOf(BuildingLabels, labels[squareLeft + i, y]) >= 0)
                {
                    roofTop = y;
                    break;
                }
            }
        }

        var treeTop = Math.Max(squareTop, ground - Math.Max(side / 6, (ground - roofTop) * 2 / 3));
        var treeBottom = Math.Min(squareTop + side - 1, ground + ((squareTop + side - ground) / 3));
        var mask = new bool[width, height];
        for (var y = treeTop; y <= treeBottom; y++)
        {
            for (var i = bandFrom; i <= bandTo; i++)
            {
                mask[squareLeft + i, y] = Array.IndexOf(TreeGroundLabels, labels[squareLeft + i, y]) >= 0;
            }
        }

        return mask;
    }
}
