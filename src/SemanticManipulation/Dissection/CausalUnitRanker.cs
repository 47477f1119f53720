using SemanticManipulation.Editing;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// Ranks a concept's candidate units by causal effect: for a fixed set of random scenes, each with a random square of
/// <see cref="CausalRankingOptions.RegionCells"/> cells, units are set to their levels inside the square (the add
/// operator's <c>x·(1−a) + v·a</c> with a = 1) and the segmenter's share of the concept in the square is compared with
/// and without them. Every intervention sees the same scenes and squares, so the differences are paired.
/// </summary>
internal sealed class CausalUnitRanker : IDisposable
{
    private readonly ILayerSplitGenerator _generator;
    private readonly ISegmenter _segmenter;
    private readonly Tensor _representation;
    private readonly Tensor _cells;
    private readonly Tensor _outside;
    private readonly Tensor _pixels;
    private readonly float[] _baselineShares;

    /// <summary>Draws the scenes and squares and segments the unedited scenes once.</summary>
    public CausalUnitRanker(ILayerSplitGenerator generator, ISegmenter segmenter, CausalRankingOptions options, long seed)
    {
        _generator = generator;
        _segmenter = segmenter;
        var shape = generator.RepresentationShape;
        var side = Math.Min(options.RegionCells, Math.Min(shape.Height, shape.Width));
        var random = new Generator(0, CPU).manual_seed(seed);
        using var scope = NewDisposeScope();
        var r = generator.Early(randn(options.Samples, generator.LatentSize, generator: random)).to(ScalarType.Float32);
        var top = randint(shape.Height - side + 1, [options.Samples], generator: random).data<long>().ToArray();
        var left = randint(shape.Width - side + 1, [options.Samples], generator: random).data<long>().ToArray();
        var cells = zeros(options.Samples, 1, shape.Height, shape.Width);
        for (var i = 0; i < options.Samples; i++)
        {
            cells[i, 0, TensorIndex.Slice(top[i], top[i] + side), TensorIndex.Slice(left[i], left[i] + side)] = 1f;
        }

        _representation = r.MoveToOuterDisposeScope();
        _cells = cells.to(r.device).MoveToOuterDisposeScope();
        _outside = (1 - cells).to(r.device).MoveToOuterDisposeScope();
        _pixels = nn.functional.interpolate(cells, [generator.Resolution, generator.Resolution], mode: InterpolationMode.Nearest)
            .MoveToOuterDisposeScope();
        _baselineShares = SegmentInSquares(r).mean([0]).data<float>().ToArray();
    }

    /// <summary>
    /// The best <paramref name="keep"/> units of <paramref name="candidates"/> for <paramref name="label"/>, best first.
    /// First each candidate alone: its mean gain of the label's share in the squares picks the set. Then, because an
    /// edit switches the set on together and units interact, each member's contribution to the whole set (the share with
    /// the set minus the share with the set less that unit) orders it, and members that work against the others are
    /// dropped. Scores are those contributions.
    /// </summary>
    public IReadOnlyList<RankedUnit> Rank(int label, IReadOnlyList<int> candidates, IReadOnlyList<float> levels, int keep,
        CancellationToken cancellationToken)
    {
        var alone = new List<RankedUnit>(candidates.Count);
        foreach (var unit in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            alone.Add(new RankedUnit(unit, Share(label, [unit], levels) - Share(label, [], levels)));
        }

        // Stable sorts: ties keep the earlier order (IoU, then effect alone).
        var set = alone.OrderByDescending(e => e.Score).Take(keep).Select(e => e.Unit).ToArray();
        var whole = Share(label, set, levels);
        var contributions = new List<RankedUnit>(set.Length);
        foreach (var unit in set)
        {
            cancellationToken.ThrowIfCancellationRequested();
            contributions.Add(new RankedUnit(unit, whole - Share(label, set.Where(u => u != unit).ToArray(), levels)));
        }

        // Members that work against the rest (a negative contribution) are left out: switching them on with the others
        // draws less of the concept (on the default model, tree edits with all 40 of a set reached half the square on 9 of
        // 20 tuning images, with its first 30 on 19 of 20). The best member stays even when none helps.
        var ranked = contributions.OrderByDescending(e => e.Score).ToList();
        return ranked.Where((e, i) => i == 0 || e.Score > 0).ToList();
    }

    /// <summary>The label's mean share of the squares with <paramref name="units"/> set to their levels inside them.</summary>
    private float Share(int label, int[] units, IReadOnlyList<float> levels)
    {
        if (units.Length == 0)
        {
            return _baselineShares[label];
        }

        using var scope = NewDisposeScope();
        var edited = _representation.clone();
        foreach (var unit in units)
        {
            using Scalar level = levels[unit];
            edited.narrow(1, unit, 1).mul_(_outside).add_(_cells.mul(level));
        }

        return SegmentInSquares(edited).narrow(1, label, 1).mean().item<float>();
    }

    /// <summary>Per scene and label, the label's share of the square's pixels: <c>[N, labels]</c>.</summary>
    private Tensor SegmentInSquares(Tensor representation)
    {
        using var scope = NewDisposeScope();
        var masks = _segmenter.Segment(_generator.Late(representation)).to(ScalarType.Float32).cpu();
        var inside = (masks * _pixels).sum([2, 3]);
        return (inside / _pixels.sum([2, 3])).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _representation.Dispose();
        _cells.Dispose();
        _outside.Dispose();
        _pixels.Dispose();
    }
}
