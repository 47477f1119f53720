using System.Globalization;
using System.Text.Json;

namespace SemanticManipulation.Editing;

/// <summary>
/// Reads the authors' published dissection: gandissect's demo files (<c>rankings_demo_iou_short.json</c> merged with
/// <c>levels_demo.json</c>), keys <c>layer</c>, <c>num_units</c>, <c>level_quantile</c>, <c>levels_q99</c>,
/// <c>paint_intensities</c>, <c>ganpaint_demo_recipes</c> and <c>rankings</c> (<c>"concept-metric"</c> →
/// <c>top20_units</c>, <c>top20_scores</c>, scores negated so that ascending order is best first).
/// </summary>
internal static class AuthorsCatalogFormat
{
    /// <summary>The unlabeled class of the authors' segmenter: its ranking is a placeholder (units 0…19, all scores 0).</summary>
    private const string UnlabeledConcept = "-";

    public static bool IsAuthorsFormat(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("rankings", out _)
        && root.TryGetProperty("levels_q99", out _);

    /// <exception cref="InvalidDataException">A required entry is missing or malformed; the message names it.</exception>
    public static (ConceptCatalog Catalog, IReadOnlyList<int> DetectedSquashUnits) Read(
        JsonElement root, string description, AuthorsCatalogOptions options)
    {
        var levels = ReadLevels(root, description);
        if (root.TryGetProperty("num_units", out var numUnits) && numUnits.TryGetInt32(out var declared) && declared != levels.Length)
        {
            throw new InvalidDataException(
                $"{description} declares {declared} units but lists {levels.Length} levels in 'levels_q99'.");
        }

        var layer = root.TryGetProperty("layer", out var layerElement) && layerElement.ValueKind == JsonValueKind.String
            ? layerElement.GetString()!
            : throw new InvalidDataException($"{description} lacks the 'layer' its units belong to.");
        var quantile = root.TryGetProperty("level_quantile", out var q) && q.TryGetDouble(out var value) ? value : 0.99;
        var recipes = ReadRecipes(root);
        var concepts = ReadRankings(root, description, recipes, options.PreferredMetric);

        IReadOnlyList<int> detected = [];
        var squash = options.SquashUnits;
        if (squash is null && options.SquashLevelRatio is { } ratio)
        {
            squash = detected = SquashUnitDetector.ByLevel(levels, ratio);
        }

        var source = root.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind == JsonValueKind.String
            ? sourceElement.GetString()
            : null;
        try
        {
            var catalog = new ConceptCatalog(layer, levels, concepts, squash, quantile, ReadIntensities(root), source);
            return (catalog, detected);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{description}: {ex.Message}", ex);
        }
    }

    private static float[] ReadLevels(JsonElement root, string description)
    {
        var element = root.GetProperty("levels_q99");
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{description}: 'levels_q99' is not an array of numbers.");
        }

        return element.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.Number
            ? e.GetSingle()
            : throw new InvalidDataException($"{description}: 'levels_q99'[{i}] is not a number.")).ToArray();
    }

    /// <summary>The demo's recipe per concept, e.g. tree → ace, sky → iou.</summary>
    private static Dictionary<string, string> ReadRecipes(JsonElement root)
    {
        var recipes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("ganpaint_demo_recipes", out var element) && element.ValueKind == JsonValueKind.Array)
        {
            foreach (var recipe in element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String))
            {
                var (concept, metric) = SplitKey(recipe.GetString()!);
                recipes.TryAdd(concept, metric);
            }
        }

        return recipes;
    }

    private static List<ConceptRanking> ReadRankings(
        JsonElement root, string description, Dictionary<string, string> recipes, string preferredMetric)
    {
        var rankings = root.GetProperty("rankings");
        if (rankings.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{description}: 'rankings' is not an object of concept rankings.");
        }

        // Every metric's ranking per concept, in file order, then one chosen per concept.
        var byConcept = new Dictionary<string, List<ConceptRanking>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var entry in rankings.EnumerateObject())
        {
            var (concept, metric) = SplitKey(entry.Name);
            if (concept == UnlabeledConcept || concept.Length == 0)
            {
                continue;
            }

            var units = ReadArray(entry.Value, "top20_units", entry.Name, description, e => e.GetInt32());
            var scores = ReadArray(entry.Value, "top20_scores", entry.Name, description, e => e.GetSingle());
            if (units.Length != scores.Length)
            {
                throw new InvalidDataException(
                    $"{description}: ranking '{entry.Name}' has {units.Length} units but {scores.Length} scores.");
            }

            if (entry.Value.TryGetProperty("metric", out var declared) && declared.ValueKind == JsonValueKind.String)
            {
                metric = declared.GetString()!;
            }

            // The authors store −score so that ascending order is best first; ours is "higher is better".
            var ranking = new ConceptRanking(concept, metric, units.Zip(scores, (u, s) => new RankedUnit(u, -s)));
            if (!byConcept.TryGetValue(concept, out var list))
            {
                byConcept[concept] = list = [];
                order.Add(concept);
            }

            list.Add(ranking);
        }

        return order.Select(concept =>
        {
            var candidates = byConcept[concept];
            return (recipes.TryGetValue(concept, out var recipe) ? candidates.Find(r => Same(r.Metric, recipe)) : null)
                ?? candidates.Find(r => Same(r.Metric, preferredMetric))
                ?? candidates[0];
        }).ToList();
    }

    private static IntensityUnitCounts? ReadIntensities(JsonElement root)
    {
        if (!root.TryGetProperty("paint_intensities", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        int Count(string name, int fallback) =>
            element.TryGetProperty(name, out var e) && e.TryGetInt32(out var v) ? v : fallback;
        var defaults = IntensityUnitCounts.Default;
        return new IntensityUnitCounts(Count("low", defaults.Low), Count("med", defaults.Medium), Count("high", defaults.High));
    }

    private static T[] ReadArray<T>(JsonElement ranking, string property, string key, string description, Func<JsonElement, T> read)
    {
        if (!ranking.TryGetProperty(property, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{description}: ranking '{key}' lacks the array '{property}'.");
        }

        try
        {
            return element.EnumerateArray().Select(read).ToArray();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"{description}: ranking '{key}' has a malformed '{property}'."), ex);
        }
    }

    /// <summary>Splits <c>"tree-iou"</c> at its last hyphen (concept names may contain hyphens; <c>"--iou"</c> is the
    /// unlabeled class).</summary>
    private static (string Concept, string Metric) SplitKey(string key)
    {
        var dash = key.LastIndexOf('-');
        return dash < 0 ? (key, "score") : (key[..dash], key[(dash + 1)..]);
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
