namespace SemanticManipulation.Generators;

/// <summary>Where a generator is split into G_H and G_F, and where G_F is perturbed.</summary>
public sealed class LayerSplitOptions
{
    private const string DefaultSplitLayer = "layer4";

    /// <summary>The layer whose output is the representation r. Default <c>layer4</c> (8×8), as the authors.</summary>
    public string SplitLayer { get; set; } = DefaultSplitLayer;

    /// <summary>
    /// The G_F layers whose outputs are perturbed. Null means the default: the last layer of every resolution block
    /// from 32×32 up (layer8, 10, 12, 14 at 256²), or from the block after the split for generators under 32².
    /// </summary>
    public IReadOnlyList<string>? PerturbationLayers { get; set; }

    /// <summary>Whether <see cref="SplitLayer"/> is left at its default (a bundle then splits where its manifest says).</summary>
    internal bool HasDefaultSplitLayer => SplitLayer == DefaultSplitLayer;

    /// <summary>Resolves the options against an architecture, validating the names.</summary>
    /// <exception cref="ArgumentException">A layer does not exist, or a perturbation layer is not after the split.</exception>
    internal (int SplitIndex, IReadOnlyList<int> PerturbationIndices) Resolve(ProGanArchitecture architecture)
    {
        var split = architecture.IndexOf(SplitLayer);
        if (split >= architecture.LayerCount)
        {
            throw new ArgumentException(
                $"Split layer '{SplitLayer}' leaves no layer for G_F; choose one of layer1 … layer{architecture.LayerCount - 1}.");
        }

        IReadOnlyList<int> points;
        if (PerturbationLayers is null)
        {
            var minimumSide = Math.Min(32, architecture.Resolution);
            points = Enumerable.Range(split + 1, architecture.LayerCount - split)
                .Where(i => i % 2 == 0 && architecture.OutputSide(i) >= minimumSide)
                .ToArray();
        }
        else
        {
            points = PerturbationLayers.Select(architecture.IndexOf).Distinct().Order().ToArray();
            var early = points.Where(i => i <= split).ToList();
            if (early.Count > 0)
            {
                throw new ArgumentException(
                    $"Perturbation layers must come after the split layer '{SplitLayer}': " +
                    string.Join(", ", early.Select(i => $"layer{i}")) + " do not.");
            }
        }

        return (split, points);
    }
}
