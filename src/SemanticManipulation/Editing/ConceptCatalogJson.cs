using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemanticManipulation.Editing;

/// <summary>
/// The project's own catalog schema (snake_case JSON, versioned), written and read by <see cref="ConceptCatalog"/>.
/// A concept's <c>removal</c> object (its ranking for the remove operator) is optional and still version 1: files
/// without it are read as before, and readers that predate it skip it and remove with the concept's <c>units</c>, which
/// is what a catalog without it means. The version changes only when an older reader would misread a file.
/// </summary>
internal static class ConceptCatalogJson
{
    public const string FormatName = "semantic-manipulation.concept-catalog";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(ConceptCatalog catalog)
    {
        var document = new CatalogDocument(
            FormatName,
            Version,
            catalog.Layer,
            catalog.LevelQuantile,
            catalog.Levels.ToArray(),
            catalog.SquashUnits.Order().ToArray(),
            new IntensityDocument(catalog.Intensities.Low, catalog.Intensities.Medium, catalog.Intensities.High),
            catalog.Source,
            catalog.Concepts.Select(name =>
            {
                var ranking = catalog.Rankings[name];
                var removal = catalog.RemovalRankings.GetValueOrDefault(name) is { } r
                    ? new RankingDocument(r.Metric, r.Units.Select(u => u.Unit).ToArray(), r.Units.Select(u => u.Score).ToArray())
                    : null;
                return new ConceptDocument(
                    ranking.Concept,
                    ranking.Metric,
                    ranking.Units.Select(u => u.Unit).ToArray(),
                    ranking.Units.Select(u => u.Score).ToArray(),
                    removal);
            }).ToArray());
        return JsonSerializer.Serialize(document, Options);
    }

    /// <exception cref="InvalidDataException">The document is not a valid catalog; the message says what is wrong.</exception>
    public static ConceptCatalog Read(string json, string description)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{description} is not a valid concept catalog: {ex.Message}", ex);
        }

        if (document is null || document.Format != FormatName)
        {
            throw new InvalidDataException($"{description} is not a concept catalog (its 'format' is not '{FormatName}').");
        }

        if (document.Version != Version)
        {
            throw new InvalidDataException(
                $"{description} is a version {document.Version} concept catalog; this SDK reads version {Version}.");
        }

        if (document.Layer is null || document.Levels is null || document.Concepts is null)
        {
            throw new InvalidDataException($"{description} lacks 'layer', 'levels' or 'concepts'.");
        }

        try
        {
            var concepts = document.Concepts
                .Select(c => Ranking(c.Name, new RankingDocument(c.Metric, c.Units, c.Scores), description, ""))
                .ToArray();
            var removals = document.Concepts
                .Where(c => c.Removal is not null)
                .Select(c => Ranking(c.Name, c.Removal!, description, "removal "))
                .ToArray();
            var intensities = document.Intensities is { } i ? new IntensityUnitCounts(i.Low, i.Medium, i.High) : null;
            return new ConceptCatalog(
                document.Layer, document.Levels, concepts, document.SquashUnits, document.LevelQuantile, intensities, document.Source, removals);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{description}: {ex.Message}", ex);
        }
    }

    private static ConceptRanking Ranking(string? concept, RankingDocument ranking, string description, string kind)
    {
        var units = ranking.Units ?? [];
        var scores = ranking.Scores ?? [];
        if (units.Length != scores.Length)
        {
            throw new InvalidDataException(
                $"{description}: the {kind}ranking of concept '{concept}' has {units.Length} units but {scores.Length} scores.");
        }

        return new ConceptRanking(concept ?? "", ranking.Metric ?? "", units.Zip(scores, (u, s) => new RankedUnit(u, s)));
    }

    /// <summary>Whether a parsed document is in this schema.</summary>
    public static bool IsOwnFormat(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("format", out var format)
        && format.ValueKind == JsonValueKind.String
        && format.GetString() == FormatName;

    private sealed record CatalogDocument(
        string? Format,
        int Version,
        string? Layer,
        double LevelQuantile,
        float[]? Levels,
        int[]? SquashUnits,
        IntensityDocument? Intensities,
        string? Source,
        ConceptDocument[]? Concepts);

    private sealed record IntensityDocument(int Low, int Medium, int High);

    private sealed record ConceptDocument(string? Name, string? Metric, int[]? Units, float[]? Scores, RankingDocument? Removal);

    private sealed record RankingDocument(string? Metric, int[]? Units, float[]? Scores);
}
