using SemanticManipulation.Training.Evaluation;

namespace SemanticManipulation.Training.Tests.Evaluation;

public sealed class EditRegionPlannerTests
{
    private const int Size = 16;
    private const long Sky = 0, Grass = 3, Tree = 5, Dome = 9;

    /// <summary>Sky above row 8, grass below, a tree in the grass at columns 0–5.</summary>
    private static long[] Scene()
    {
        var labels = new long[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                labels[(y * Size) + x] = y < 8 ? Sky : x < 6 ? Tree : Grass;
            }
        }

        return labels;
    }

    private static (int X, int Y, int Side) Square(float[] mask)
    {
        var painted = Enumerable.Range(0, mask.Length).Where(i => mask[i] == 1f).ToArray();
        Assert.Equal(mask.Length, painted.Length + mask.Count(v => v == 0f));
        var (x0, y0) = (painted.Min(i => i % Size), painted.Min(i => i / Size));
        var side = painted.Max(i => i % Size) - x0 + 1;
        Assert.Equal(side * side, painted.Length);
        return (x0, y0, side);
    }

    [Fact]
    public void Add_picks_a_grid_aligned_square_on_the_host_labels_clear_of_the_concept()
    {
        var (mask, truthShare) = EditRegionPlanner.AddRegion(Scene(), Size, gridSize: 4, Tree, new HashSet<long> { Grass }, cells: 2, maxExistingShare: 0.1);

        // Cells are 4 px; the only 8-px squares fully on grass and clear of the tree start at x = 8, in the bottom half;
        // ties go to the lowest, then leftmost.
        Assert.Equal((8, 8, 8), Square(mask));
        Assert.Equal(0, truthShare);
    }

    [Fact]
    public void Add_falls_back_to_the_square_with_the_least_of_the_concept()
    {
        var labels = Enumerable.Repeat(Tree, Size * Size).ToArray();
        labels[(15 * Size) + 15] = Grass;

        var (mask, truthShare) = EditRegionPlanner.AddRegion(labels, Size, gridSize: 4, Tree, new HashSet<long> { Grass }, cells: 1, maxExistingShare: 0.1);

        Assert.Equal((12, 12, 4), Square(mask));
        Assert.Equal(15 / 16.0, truthShare, 9);
    }

    [Theory]
    [InlineData(24, 64, 9000000000L)]
    [InlineData(24, 64, 9000000007L)]
    [InlineData(48, 128, 9000000003L)]
    public void A_tree_shaped_mask_is_one_connected_silhouette_inside_the_square_covering_about_half_of_it(int side, int size, long seed)
    {
        var square = new PixelSquare(8, 16, side);

        var mask = EditRegionPlanner.TreeMask(square, size, seed);

        var painted = Enumerable.Range(0, mask.Length).Where(i => mask[i] == 1f).ToArray();
        Assert.Equal(mask.Length, painted.Length + mask.Count(v => v == 0f));
        Assert.All(painted, i => Assert.True(i % size >= 8 && i % size < 8 + side && i / size >= 16 && i / size < 16 + side, $"pixel {i} outside"));
        Assert.InRange(painted.Length / (double)(side * side), 0.35, 0.7);
        // The trunk reaches the square's bottom row; the crown spans most of its width.
        Assert.Contains(painted, i => i / size == 16 + side - 1);
        var widest = painted.GroupBy(i => i / size).Max(row => row.Count());
        Assert.InRange(widest, side * 0.6, side);
        Assert.Equal(painted.Length, ConnectedFrom(mask, size, painted[0]));
        // The same seed draws the same tree; another seed another.
        Assert.Equal(mask, EditRegionPlanner.TreeMask(square, size, seed));
        Assert.NotEqual(mask, EditRegionPlanner.TreeMask(square, size, seed + 1));
    }

    private static int ConnectedFrom(float[] mask, int size, int start)
    {
        var seen = new HashSet<int> { start };
        var queue = new Queue<int>([start]);
        while (queue.TryDequeue(out var i))
        {
            foreach (var j in new[] { i - 1, i + 1, i - size, i + size })
            {
                if (j >= 0 && j < mask.Length && Math.Abs((j % size) - (i % size)) <= 1 && mask[j] == 1f && seen.Add(j))
                {
                    queue.Enqueue(j);
                }
            }
        }

        return seen.Count;
    }

    [Fact]
    public void Remove_takes_the_first_candidate_that_is_large_enough_and_grows_it()
    {
        var labels = Scene();
        labels[0] = Dome;   // one pixel of dome: too small to remove

        var removal = EditRegionPlanner.RemoveRegion(labels, Size, [Dome, Tree], minimumShare: 0.02, dilation: 1);

        Assert.NotNull(removal);
        var (concept, mask, share) = removal.Value;
        Assert.Equal(Tree, concept);
        Assert.Equal(6 * 8 / 256.0, share, 9);
        // The tree (x 0–5, y 8–15) grown by one pixel: x 0–6, y 7–15.
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                Assert.Equal(x <= 6 && y >= 7 ? 1f : 0f, mask[(y * Size) + x]);
            }
        }
    }

    [Fact]
    public void A_windowed_remove_takes_only_the_concept_inside_the_window_that_holds_the_most_of_it()
    {
        // A forest: tree everywhere but a 4-px band of grass at the top, and one more grass cell at the bottom left.
        var labels = Enumerable.Range(0, Size * Size).Select(i => i / Size < 4 ? Grass : Tree).ToArray();
        for (var y = 12; y < 16; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                labels[(y * Size) + x] = Grass;
            }
        }

        var removal = EditRegionPlanner.RemoveRegion(labels, Size, [Tree], minimumShare: 0.02, dilation: 1, window: (4, 2));

        Assert.NotNull(removal);
        var (concept, mask, share) = removal.Value;
        Assert.Equal(Tree, concept);
        Assert.Equal((256 - 64 - 16) / 256.0, share, 9);
        // 8-px windows full of tree: x 4–11 or 8–15 at y 4–11 or 8–15; the lowest, then leftmost is (4, 8). Its tree grown
        // by one pixel: x 3–12, y 7–15.
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                Assert.Equal(x is >= 3 and <= 12 && y >= 7 ? 1f : 0f, mask[(y * Size) + x]);
            }
        }
    }

    [Fact]
    public void Remove_finds_nothing_when_no_candidate_is_present()
    {
        Assert.Null(EditRegionPlanner.RemoveRegion(Scene(), Size, [Dome], minimumShare: 0.01, dilation: 2));
    }
}
