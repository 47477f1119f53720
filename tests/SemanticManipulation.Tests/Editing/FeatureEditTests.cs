using SemanticManipulation.Editing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>The core edit <c>r_e = r·(1 − a) + v·a</c> and "over" composition, on hand-computed cases.</summary>
public sealed class FeatureEditTests
{
    [Fact]
    public void One_stroke_pools_its_mask_to_the_grid_and_moves_its_units_by_the_strength()
    {
        using var scope = NewDisposeScope();
        // A 4×4 image over a 2×2 grid: one painted pixel (value 0.8) in the top-right cell, one full pixel bottom-left.
        var pixels = new float[16];
        pixels[(0 * 4) + 3] = 0.8f;
        pixels[(3 * 4) + 0] = 1f;
        var stroke = new EditStroke("test", StrokeMask.FromValues(4, pixels), units: [1], values: [5f], strength: 0.5f);
        var shape = new FeatureShape(2, 2, 2);
        var r = tensor(new float[] { 1, 2, 3, 4, /* unit 1 */ 10, 20, 30, 40 }, [1, 2, 2, 2]);

        using var edit = FeatureEdit.FromStroke(stroke, shape);
        var edited = edit.Apply(r);

        // a(unit 1) = 0.5 · maxpool = [[0, 0.4], [0.5, 0]]; unit 0 is not in the stroke.
        AssertValues(edit.Alpha, [0, 0, 0, 0, 0, 0.4f, 0.5f, 0]);
        AssertValues(edit.Value, [0, 0, 0, 0, 0, 5, 5, 0]);
        // unit 1: 20·0.6 + 5·0.4 = 14, 30·0.5 + 5·0.5 = 17.5.
        AssertValues(edited, [1, 2, 3, 4, 10, 14, 17.5f, 40]);
        Assert.True(edited[0, 0].eq(r[0, 0]).all().item<bool>());
    }

    [Fact]
    public void Strokes_compose_over_as_the_design_formula_says()
    {
        using var scope = NewDisposeScope();
        var shape = new[] { 1L, 1, 1, 3 };
        // Cell 0: both strokes; cell 1: only the first; cell 2: neither.
        float[] alpha1 = [0.5f, 0.5f, 0f], value1 = [2f, 2f, 9f], alpha2 = [0.25f, 0f, 0f], value2 = [10f, 10f, 10f];
        using var first = FeatureEdit.FromTensors(tensor(alpha1, shape), tensor(value1, shape));
        using var second = FeatureEdit.FromTensors(tensor(alpha2, shape), tensor(value2, shape));

        using var composite = first.Then(second);

        // a = 1 − (1 − 0.25)(1 − 0.5) = 0.625; v = (2·0.5·0.75 + 10·0.25) / 0.625 = 5.2.
        AssertValues(composite.Alpha, [0.625f, 0.5f, 0f]);
        AssertValues(composite.Value, [5.2f, 2f, 0f]);
        // r = 1: composite 1·0.375 + 5.2·0.625 = 3.625, the same as first then second: (0.5 + 1)·0.75 + 2.5.
        var r = ones(1, 1, 1, 3);
        AssertValues(composite.Apply(r), [3.625f, 1.5f, 1f]);
        AssertValues(second.Apply(first.Apply(r)), [3.625f, 1.5f, 1f]);
        Assert.Equal(1f, composite.Apply(r)[0, 0, 0, 2].item<float>());
    }

    [Fact]
    public void Composing_many_soft_strokes_equals_applying_them_in_turn()
    {
        using var scope = NewDisposeScope();
        var random = new TorchSharp.torch.Generator(0, CPU).manual_seed(5);
        var r = randn([2, 4, 3, 3], generator: random);
        var edits = Enumerable.Range(0, 4)
            .Select(_ => FeatureEdit.FromTensors(
                rand([1, 4, 3, 3], generator: random) * (rand([1, 4, 3, 3], generator: random) > 0.3f),
                randn([1, 4, 3, 3], generator: random) * 3))
            .ToList();
        try
        {
            var sequential = r;
            var composite = FeatureEdit.Empty(new FeatureShape(4, 3, 3));
            foreach (var edit in edits)
            {
                sequential = edit.Apply(sequential);
                var next = composite.Then(edit);
                composite.Dispose();
                composite = next;
            }

            using (composite)
            {
                Assert.True(composite.Apply(r).allclose(sequential, rtol: 1e-5, atol: 1e-5));
            }
        }
        finally
        {
            edits.ForEach(e => e.Dispose());
        }
    }

    [Fact]
    public void A_single_painted_pixel_marks_exactly_its_cell_with_its_softness()
    {
        using var scope = NewDisposeScope();
        var pixels = new float[32 * 32];
        pixels[(13 * 32) + 21] = 0.3f;
        var stroke = new EditStroke("test", StrokeMask.FromValues(32, pixels), units: [0, 2], values: [1f, 2f]);

        using var edit = FeatureEdit.FromStroke(stroke, new FeatureShape(3, 8, 8));

        var expected = zeros(1, 3, 8, 8);
        expected[0, 0, 3, 5] = tensor(0.3f);
        expected[0, 2, 3, 5] = tensor(0.3f);
        Assert.True(edit.Alpha.eq(expected).all().item<bool>());
    }

    [Fact]
    public void Bad_shapes_and_opacities_are_refused_with_the_reason()
    {
        using var scope = NewDisposeScope();
        var stroke = new EditStroke("test", StrokeMask.FromValues(4, Enumerable.Repeat(1f, 16).ToArray()), [7], [1f]);
        var unit = Assert.Throws<ArgumentException>(() => FeatureEdit.FromStroke(stroke, new FeatureShape(4, 2, 2)));
        Assert.Contains("units 7", unit.Message, StringComparison.Ordinal);

        var opacity = Assert.Throws<ArgumentException>(() => FeatureEdit.FromTensors(full([1, 1, 2, 2], 1.5f), zeros(1, 1, 2, 2)));
        Assert.Contains("[0, 1]", opacity.Message, StringComparison.Ordinal);

        using var edit = FeatureEdit.Empty(new FeatureShape(4, 2, 2));
        var shape = Assert.Throws<ArgumentException>(() => edit.Apply(zeros(1, 3, 2, 2)));
        Assert.Contains("[N, 4, 2, 2]", shape.Message, StringComparison.Ordinal);
    }

    private static void AssertValues(Tensor actual, float[] expected)
    {
        var values = actual.flatten().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) < 1e-5, $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }
}
