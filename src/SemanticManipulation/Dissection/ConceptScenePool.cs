using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// Random scenes rendered and segmented once, from which the removal ranking takes, per concept, the scenes that show
/// the concept most and the cells of the split layer's grid it touches (its mask max-pooled to the grid: the region a
/// remove edit painted over the concept changes, since the operator max-pools the painted mask the same way).
/// </summary>
internal sealed class ConceptScenePool : IDisposable
{
    private readonly Tensor _representation;
    private readonly Tensor _touched;
    private readonly float[,] _conceptPixels;

    /// <summary>Draws <paramref name="scenes"/> latents from <paramref name="seed"/> and segments their renders, in
    /// batches of <paramref name="batchSize"/>.</summary>
    public ConceptScenePool(ILayerSplitGenerator generator, ISegmenter segmenter, int scenes, int batchSize, long seed)
    {
        var shape = generator.RepresentationShape;
        var labels = segmenter.Labels.Count;
        using var random = new Generator(0, CPU).manual_seed(seed);
        var representations = new List<Tensor>();
        var touched = new List<Tensor>();
        _conceptPixels = new float[scenes, labels];
        try
        {
            for (var done = 0; done < scenes;)
            {
                var batch = Math.Min(batchSize, scenes - done);
                using var scope = NewDisposeScope();
                var r = generator.Early(randn(batch, generator.LatentSize, generator: random)).to(ScalarType.Float32);
                var present = (segmenter.Segment(generator.Late(r)).to(ScalarType.Float32) >= 0.5f).to(ScalarType.Float32);
                var pixels = present.sum([2, 3]).cpu().data<float>().ToArray();
                for (var i = 0; i < batch; i++)
                {
                    for (var label = 0; label < labels; label++)
                    {
                        _conceptPixels[done + i, label] = pixels[(i * labels) + label];
                    }
                }

                representations.Add(r.MoveToOuterDisposeScope());
                touched.Add(nn.functional.adaptive_max_pool2d(present, [shape.Height, shape.Width]).to(r.device).MoveToOuterDisposeScope());
                done += batch;
            }

            _representation = cat(representations, 0).DetachFromDisposeScope();
            _touched = cat(touched, 0).DetachFromDisposeScope();
        }
        finally
        {
            foreach (var tensor in representations.Concat(touched))
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> scenes that show <paramref name="label"/>, those with most of its pixels first (ties
    /// in draw order), as their representations <c>[n, C, H, W]</c> and the cells the concept touches <c>[n, 1, H, W]</c>;
    /// null when no scene shows it. The caller owns both tensors.
    /// </summary>
    public (Tensor Representation, Tensor Cells)? Showing(int label, int count)
    {
        var chosen = Enumerable.Range(0, _conceptPixels.GetLength(0))
            .Where(i => _conceptPixels[i, label] > 0)
            .OrderByDescending(i => _conceptPixels[i, label])
            .Take(count)
            .Select(i => (long)i)
            .ToArray();
        if (chosen.Length == 0)
        {
            return null;
        }

        using var scope = NewDisposeScope();
        var index = tensor(chosen, device: _representation.device);
        var representation = _representation.index_select(0, index);
        var cells = _touched.index_select(0, index).narrow(1, label, 1);
        return (representation.MoveToOuterDisposeScope(), cells.contiguous().MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _representation.Dispose();
        _touched.Dispose();
    }
}
