namespace SemanticManipulation.Editing;

/// <summary>
/// Finds squash units from their activation levels. The unit that hurts every edit in the authors' church model
/// (418) has a q99 level of 76 where the median unit has 7 and the next largest 16: a unit that fires an order of
/// magnitude above its peers dominates whatever it is written into, so it is excluded.
/// </summary>
internal static class SquashUnitDetector
{
    /// <summary>Units whose level exceeds <paramref name="ratio"/> times the median level.</summary>
    public static IReadOnlyList<int> ByLevel(IReadOnlyList<float> levels, double ratio)
    {
        if (levels.Count == 0 || !(ratio > 1))
        {
            return [];
        }

        var sorted = levels.Order().ToArray();
        var median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
        if (!(median > 0))
        {
            // Levels of a dead or inverted layer say nothing about outliers.
            return [];
        }

        return Enumerable.Range(0, levels.Count).Where(u => levels[u] > ratio * median).ToArray();
    }
}
