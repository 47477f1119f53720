using SemanticManipulation.Editing;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// Ranks a concept's candidate units by average causal effect: for a fixed set of random scenes, each with a random
/// square of <see cref="CausalRankingOptions.RegionCells"/> cells, the unit is set to its level inside the square
/// (the add operator's <c>x·(1−a) + v·a</c> with a = 1) and the segmenter's share of the concept in the square is
/// compared with the unedited scene's. Every unit sees the same scenes and squares, so the differences are paired.
/// </summary>
internal sealed class CausalUnitRanker : IDisposable
{
    private readonly ILayerSplitGenerator _generator;
    private readonly ISegmenter _segmenter;
    private readonly Tensor _representation;
    private readonly Tensor _cells;
    private readonly Tensor _outside;
    private readonly Tensor _pixels;
    private readonly Tensor _baseline;

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
        _baseline = SegmentInSquares(r).MoveToOuterDisposeScope();
    }

    /// <summary>The units of <paramref name="candidates"/> ordered by their mean gain of <paramref name="label"/>'s
    /// share in the squares (best first), scored by that gain, the first <paramref name="keep"/> of them.</summary>
    public IReadOnlyList<RankedUnit> Rank(int label, IReadOnlyList<int> candidates, IReadOnlyList<float> levels, int keep,
        CancellationToken cancellationToken)
    {
        var effects = new List<RankedUnit>(candidates.Count);
        foreach (var unit in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var scope = NewDisposeScope())
            {
                var edited = _representation.clone();
                var channel = edited.narrow(1, unit, 1);
                using Scalar level = levels[unit];
                channel.mul_(_outside).add_(_cells.mul(level));
                var gain = (SegmentInSquares(edited) - _baseline).narrow(1, label, 1).mean().item<float>();
                effects.Add(new RankedUnit(unit, gain));
            }
        }

        // Stable: ties keep the IoU order the candidates came in.
        return effects.OrderByDescending(e => e.Score).Take(keep).ToList();
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
        _baseline.Dispose();
    }
}
