using SemanticManipulation.Editing;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// Ranks a concept's candidate units by causal effect on a fixed set of scenes, each with a region of the split layer's
/// grid, comparing the segmenter's share of the concept in the region with and without an intervention on the units.
/// Two interventions, one per edit operator:
/// <list type="bullet">
/// <item>adding (<see cref="ForAdding"/>): random scenes and random squares of <see cref="CausalRankingOptions.RegionCells"/>
/// cells; units are set to their levels inside the square (the add operator's <c>x·(1−a) + v·a</c> with a = 1), and the
/// effect is the share's gain;</item>
/// <item>removing (<see cref="ForRemoving"/>): scenes that show the concept and the cells it touches; units are set to 0
/// there (the remove operator's value), and the effect is the share's drop (GAN Dissection's ablation).</item>
/// </list>
/// Every intervention sees the same scenes and regions, so the differences are paired.
/// </summary>
internal sealed class CausalUnitRanker : IDisposable
{
    private readonly ILayerSplitGenerator _generator;
    private readonly ISegmenter _segmenter;
    private readonly bool _removes;
    private readonly Tensor _representation;
    private readonly Tensor _cells;
    private readonly Tensor _outside;
    private readonly Tensor _pixels;
    private readonly float[] _baselineShares;

    /// <summary>Takes ownership of <paramref name="representation"/> (<c>[N, C, H, W]</c>) and <paramref name="cells"/>
    /// (<c>[N, 1, H, W]</c>, 1 in each scene's region), and segments the unedited scenes once.</summary>
    private CausalUnitRanker(ILayerSplitGenerator generator, ISegmenter segmenter, bool removes, Tensor representation, Tensor cells)
    {
        _generator = generator;
        _segmenter = segmenter;
        _removes = removes;
        // Detached, not moved to the outer scope: the factories call this inside scopes of their own, which would
        // dispose what the ranker keeps.
        _representation = representation.DetachFromDisposeScope();
        _cells = cells.DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        _outside = (1 - cells).DetachFromDisposeScope();
        _pixels = nn.functional.interpolate(cells.cpu(), [generator.Resolution, generator.Resolution], mode: InterpolationMode.Nearest)
            .DetachFromDisposeScope();
        _baselineShares = SegmentInRegions(representation).mean([0]).data<float>().ToArray();
    }

    /// <summary>The ranker for the add operator: <see cref="CausalRankingOptions.Samples"/> random scenes, each with a
    /// random square, drawn from <paramref name="seed"/>.</summary>
    public static CausalUnitRanker ForAdding(ILayerSplitGenerator generator, ISegmenter segmenter, CausalRankingOptions options, long seed)
    {
        var shape = generator.RepresentationShape;
        var side = Math.Min(options.RegionCells, Math.Min(shape.Height, shape.Width));
        using var random = new Generator(0, CPU).manual_seed(seed);
        using var scope = NewDisposeScope();
        var r = generator.Early(randn(options.Samples, generator.LatentSize, generator: random)).to(ScalarType.Float32);
        var top = randint(shape.Height - side + 1, [options.Samples], generator: random).data<long>().ToArray();
        var left = randint(shape.Width - side + 1, [options.Samples], generator: random).data<long>().ToArray();
        var cells = zeros(options.Samples, 1, shape.Height, shape.Width);
        for (var i = 0; i < options.Samples; i++)
        {
            cells[i, 0, TensorIndex.Slice(top[i], top[i] + side), TensorIndex.Slice(left[i], left[i] + side)] = 1f;
        }

        return new CausalUnitRanker(generator, segmenter, removes: false, r.MoveToOuterDisposeScope(),
            cells.to(r.device).MoveToOuterDisposeScope());
    }

    /// <summary>The ranker for the remove operator on scenes that show the concept, each with the cells it touches;
    /// takes ownership of both tensors (<see cref="ConceptScenePool.Showing"/> makes them).</summary>
    public static CausalUnitRanker ForRemoving(ILayerSplitGenerator generator, ISegmenter segmenter, Tensor representation, Tensor cells) =>
        new(generator, segmenter, removes: true, representation, cells);

    /// <summary>
    /// The best <paramref name="keep"/> units of <paramref name="candidates"/> for <paramref name="label"/>, best first.
    /// First each candidate alone: its mean effect on the label's share in the regions picks the set. Then, because an
    /// edit changes the set's units together and units interact, each member's contribution to the whole set (the effect
    /// of the set minus that of the set less that unit) orders it, and members that work against the others are dropped.
    /// Scores are those contributions.
    /// </summary>
    public IReadOnlyList<RankedUnit> Rank(int label, IReadOnlyList<int> candidates, IReadOnlyList<float> levels, int keep,
        CancellationToken cancellationToken)
    {
        // The add ranker's scores are gains of the share, the remove ranker's drops: both "higher helps the edit".
        var sign = _removes ? -1f : 1f;
        var alone = new List<RankedUnit>(candidates.Count);
        foreach (var unit in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            alone.Add(new RankedUnit(unit, sign * (Share(label, [unit], levels) - Share(label, [], levels))));
        }

        // Stable sorts: ties keep the earlier order (IoU, then effect alone).
        var set = alone.OrderByDescending(e => e.Score).Take(keep).Select(e => e.Unit).ToArray();
        var whole = Share(label, set, levels);
        var contributions = new List<RankedUnit>(set.Length);
        foreach (var unit in set)
        {
            cancellationToken.ThrowIfCancellationRequested();
            contributions.Add(new RankedUnit(unit, sign * (whole - Share(label, set.Where(u => u != unit).ToArray(), levels))));
        }

        // Members that work against the rest (a negative contribution) are left out: changing them with the others
        // moves the share less (on the default model, tree edits with all 40 of a set reached half the square on 9 of
        // 20 tuning images, with its first 30 on 19 of 20). The best member stays even when none helps.
        var ranked = contributions.OrderByDescending(e => e.Score).ToList();
        return ranked.Where((e, i) => i == 0 || e.Score > 0).ToList();
    }

    /// <summary>The label's mean share of the regions with the intervention on <paramref name="units"/> inside them.</summary>
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
            var channel = edited.narrow(1, unit, 1).mul_(_outside);
            if (!_removes)
            {
                using Scalar level = levels[unit];
                channel.add_(_cells.mul(level));
            }
        }

        return SegmentInRegions(edited).narrow(1, label, 1).mean().item<float>();
    }

    /// <summary>Per scene and label, the label's share of the region's pixels: <c>[N, labels]</c>.</summary>
    private Tensor SegmentInRegions(Tensor representation)
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
