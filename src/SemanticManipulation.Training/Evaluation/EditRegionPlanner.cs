namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// Chooses where the edit evaluation paints, from a world image's ground-truth label map alone (so the choice is
/// deterministic and independent of the model being judged).
/// </summary>
internal static class EditRegionPlanner
{
    /// <summary>
    /// A square for adding <paramref name="concept"/>: <paramref name="cells"/> × <paramref name="cells"/> cells of the
    /// split layer's grid (aligned with it, so the edit covers whole feature cells), among the squares where the concept
    /// covers at most <paramref name="maxExistingShare"/>, the one with the most <paramref name="hostLabels"/> pixels
    /// (where the concept plausibly goes); ties go to the lowest, then leftmost square. When every square holds more of the
    /// concept than that, the square with the least of it.
    /// </summary>
    /// <param name="labels">The label map, row-major, <paramref name="size"/>² values.</param>
    /// <param name="size">The image side in pixels.</param>
    /// <param name="gridSize">The split layer's grid side (e.g. 8); must divide <paramref name="size"/>.</param>
    /// <param name="concept">The label to add.</param>
    /// <param name="hostLabels">Labels the square should cover.</param>
    /// <param name="cells">The square's side in grid cells.</param>
    /// <param name="maxExistingShare">The most of the concept the square may already hold.</param>
    /// <returns>The mask, row-major, 1 inside the square and 0 elsewhere, and the concept's true share inside it.</returns>
    public static (float[] Mask, double TruthShare) AddRegion(ReadOnlySpan<long> labels, int size, int gridSize, long concept,
        IReadOnlySet<long> hostLabels, int cells, double maxExistingShare)
    {
        var (square, truthShare) = AddSquare(labels, size, gridSize, concept, hostLabels, cells, maxExistingShare);
        return (SquareMask(square, size), truthShare);
    }

    /// <summary>The square <see cref="AddRegion"/> chooses, and the concept's true share inside it.</summary>
    public static (PixelSquare Square, double TruthShare) AddSquare(ReadOnlySpan<long> labels, int size, int gridSize, long concept,
        IReadOnlySet<long> hostLabels, int cells, double maxExistingShare)
    {
        (PixelSquare Square, double Concept, double Host)? best = null, fallback = null;
        // Strict comparisons keep the scan's tie-break order (lowest, then leftmost).
        foreach (var candidate in GridSquares(labels, size, gridSize, cells, concept, hostLabels))
        {
            if (candidate.Concept <= maxExistingShare && (best is null || candidate.Host > best.Value.Host))
            {
                best = candidate;
            }

            if (fallback is null || candidate.Concept < fallback.Value.Concept)
            {
                fallback = candidate;
            }
        }

        var chosen = best ?? fallback!.Value;
        return (chosen.Square, chosen.Concept);
    }

    /// <summary>Every grid-aligned square of <paramref name="cells"/> × <paramref name="cells"/> cells, lowest rows first,
    /// then left to right, with the share of <paramref name="concept"/> and of <paramref name="hostLabels"/> in it.</summary>
    private static List<(PixelSquare Square, double Concept, double Host)> GridSquares(ReadOnlySpan<long> labels, int size, int gridSize,
        int cells, long concept, IReadOnlySet<long> hostLabels)
    {
        CheckLabels(labels, size);
        if (gridSize < 1 || size % gridSize != 0)
        {
            throw new ArgumentException($"The grid side {gridSize} does not divide the image side {size}.", nameof(gridSize));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cells, gridSize);
        var cell = size / gridSize;
        var side = cells * cell;
        var area = (double)side * side;
        var squares = new List<(PixelSquare, double, double)>();
        for (var gy = gridSize - cells; gy >= 0; gy--)
        {
            for (var gx = 0; gx <= gridSize - cells; gx++)
            {
                var (conceptPixels, hostPixels) = (0, 0);
                for (var y = gy * cell; y < (gy * cell) + side; y++)
                {
                    for (var x = gx * cell; x < (gx * cell) + side; x++)
                    {
                        var label = labels[(y * size) + x];
                        conceptPixels += label == concept ? 1 : 0;
                        hostPixels += hostLabels.Contains(label) ? 1 : 0;
                    }
                }

                squares.Add((new PixelSquare(gx * cell, gy * cell, side), conceptPixels / area, hostPixels / area));
            }
        }

        return squares;
    }

    /// <summary>A mask, row-major, 1 inside <paramref name="square"/> and 0 elsewhere.</summary>
    public static float[] SquareMask(PixelSquare square, int size)
    {
        var mask = new float[size * size];
        for (var y = square.Y; y < square.Y + square.Side; y++)
        {
            Array.Fill(mask, 1f, (y * size) + square.X, square.Side);
        }

        return mask;
    }

    /// <summary>
    /// A tree's silhouette inside <paramref name="square"/>, as a person would paint one: a round crown (a disc and four
    /// smaller lobes around its upper half) on a trunk that reaches the square's bottom edge. It covers about half the
    /// square and cuts across the split layer's cells. Lobe sizes and angles vary with <paramref name="seed"/>, so twenty
    /// images get twenty trees, the same on every run.
    /// </summary>
    /// <returns>The mask, row-major, 0 or 1 per pixel (sampled at pixel centres).</returns>
    public static float[] TreeMask(PixelSquare square, int size, long seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        double Jitter(double amount) => ((random.NextDouble() * 2) - 1) * amount;

        // In units of the square's side, y pointing down.
        var centreX = 0.5 + Jitter(0.04);
        var crown = (X: centreX, Y: 0.42, Radius: 0.28);
        var lobes = new (double X, double Y, double Radius)[4];
        for (var i = 0; i < lobes.Length; i++)
        {
            var angle = (160 - (i * 46) + Jitter(12)) * Math.PI / 180;
            var distance = 0.2 + Jitter(0.03);
            lobes[i] = (crown.X + (distance * Math.Cos(angle)), crown.Y - (distance * Math.Sin(angle)), 0.18 + Jitter(0.03));
        }

        // At least a pixel and a half wide, so the trunk survives at any resolution.
        var trunkHalfWidth = Math.Max(0.07, 0.75 / square.Side);
        var mask = new float[size * size];
        for (var py = 0; py < square.Side; py++)
        {
            for (var px = 0; px < square.Side; px++)
            {
                var (u, v) = ((px + 0.5) / square.Side, (py + 0.5) / square.Side);
                var inside = (Math.Abs(u - centreX) <= trunkHalfWidth && v >= crown.Y)
                    || Within(crown, u, v)
                    || lobes.Any(lobe => Within(lobe, u, v));
                if (inside)
                {
                    mask[((square.Y + py) * size) + square.X + px] = 1f;
                }
            }
        }

        return mask;

        static bool Within((double X, double Y, double Radius) disc, double u, double v) =>
            ((u - disc.X) * (u - disc.X)) + ((v - disc.Y) * (v - disc.Y)) <= disc.Radius * disc.Radius;
    }

    /// <summary>
    /// The region of the first of <paramref name="candidates"/> that covers at least <paramref name="minimumShare"/> of
    /// the image: its pixels grown by <paramref name="dilation"/> pixels (a square max filter), so the mask also covers the
    /// object's anti-aliased rim and the few pixels around it the generator blends into the object. With a
    /// <paramref name="window"/>, only the part of it inside the grid-aligned square of that many cells that holds the most
    /// of it (ties to the lowest, then leftmost square): on a photo that is mostly forest, "remove the trees" everywhere
    /// would leave no pixels for the fit to keep, so the edit takes out one stand of them, as a person would paint it.
    /// </summary>
    /// <param name="labels">The label map, row-major, <paramref name="size"/>² values.</param>
    /// <param name="size">The image side in pixels.</param>
    /// <param name="candidates">Labels in order of preference.</param>
    /// <param name="minimumShare">The smallest fraction of the image the object must cover.</param>
    /// <param name="dilation">The growth radius in pixels (0: the region as it is).</param>
    /// <param name="window">The split layer's grid side and the window's side in its cells; null: the whole image.</param>
    /// <returns>The chosen label, its mask (row-major, 0 or 1) and its true share of the image (before the window); null
    /// when no candidate covers enough.</returns>
    public static (long Concept, float[] Mask, double TruthShare)? RemoveRegion(ReadOnlySpan<long> labels, int size,
        IReadOnlyList<long> candidates, double minimumShare, int dilation, (int GridSize, int Cells)? window = null)
    {
        CheckLabels(labels, size);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(dilation);
        foreach (var concept in candidates)
        {
            var region = new float[size * size];
            var count = 0;
            for (var i = 0; i < region.Length; i++)
            {
                if (labels[i] == concept)
                {
                    region[i] = 1f;
                    count++;
                }
            }

            var share = count / (double)region.Length;
            if (count > 0 && share >= minimumShare)
            {
                if (window is var (gridSize, cells))
                {
                    var densest = GridSquares(labels, size, gridSize, cells, concept, new HashSet<long>()).MaxBy(s => s.Concept).Square;
                    var inside = SquareMask(densest, size);
                    for (var i = 0; i < region.Length; i++)
                    {
                        region[i] *= inside[i];
                    }
                }

                return (concept, Dilate(region, size, dilation), share);
            }
        }

        return null;
    }

    /// <summary>A square max filter of radius <paramref name="radius"/>, separably: rows, then columns.</summary>
    internal static float[] Dilate(float[] mask, int size, int radius)
    {
        if (radius == 0)
        {
            return mask;
        }

        var rows = new float[mask.Length];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var max = 0f;
                for (var dx = Math.Max(0, x - radius); dx <= Math.Min(size - 1, x + radius); dx++)
                {
                    max = Math.Max(max, mask[(y * size) + dx]);
                }

                rows[(y * size) + x] = max;
            }
        }

        var result = new float[mask.Length];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var max = 0f;
                for (var dy = Math.Max(0, y - radius); dy <= Math.Min(size - 1, y + radius); dy++)
                {
                    max = Math.Max(max, rows[(dy * size) + x]);
                }

                result[(y * size) + x] = max;
            }
        }

        return result;
    }

    private static void CheckLabels(ReadOnlySpan<long> labels, int size)
    {
        if (size < 1 || labels.Length != size * size)
        {
            throw new ArgumentException($"A {size}×{size} label map needs {size * size} values; got {labels.Length}.", nameof(labels));
        }
    }
}
