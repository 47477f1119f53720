using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Imaging;

namespace SemanticManipulation.Editing;

/// <summary>
/// The SDK's <see cref="IConceptCatalog"/>: immutable, read from and written to the project's JSON schema
/// (<see cref="Save"/>, <see cref="Load"/>), and imported from the authors' published dissections
/// (<see cref="ImportAuthors(string, AuthorsCatalogOptions?, ILogger?)"/>).
/// </summary>
/// <example>
/// <code>
/// var catalog = ConceptCatalog.Load("ganpaint_church_layer4_units.json");   // either format
/// var units = ((IConceptCatalog)catalog).SelectUnits("tree", catalog.Intensities.High);
/// </code>
/// </example>
public sealed class ConceptCatalog : IConceptCatalog
{
    private readonly float[] _levels;
    private readonly string[] _concepts;
    private readonly HashSet<int> _squashUnits;

    /// <summary>Creates a catalog.</summary>
    /// <param name="layer">The layer the units belong to (e.g. <c>layer4</c>).</param>
    /// <param name="levels">Per unit, its activation at <paramref name="levelQuantile"/>; its length is the unit count.</param>
    /// <param name="concepts">The concept rankings; names unique (case-insensitively), units within range.</param>
    /// <param name="squashUnits">Units to exclude from every edit; null for none.</param>
    /// <param name="levelQuantile">The quantile the levels hold, in (0, 1]. Default 0.99.</param>
    /// <param name="intensities">Units per paint intensity; null for 4 / 10 / 15.</param>
    /// <param name="source">Where the catalog came from, for people reading the file.</param>
    /// <param name="removalRankings">Rankings for the remove operator, for some or all of <paramref name="concepts"/>
    /// (by ablation: the units whose switching off erases the concept); null or a concept left out means that removing
    /// it uses its ranking in <paramref name="concepts"/>.</param>
    /// <exception cref="ArgumentException">The contents are inconsistent; the message says how.</exception>
    public ConceptCatalog(
        string layer,
        IReadOnlyList<float> levels,
        IEnumerable<ConceptRanking> concepts,
        IEnumerable<int>? squashUnits = null,
        double levelQuantile = 0.99,
        IntensityUnitCounts? intensities = null,
        string? source = null,
        IEnumerable<ConceptRanking>? removalRankings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layer);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(concepts);
        if (levels.Count == 0)
        {
            throw new ArgumentException("A catalog needs the level of at least one unit.", nameof(levels));
        }

        var bad = Enumerable.Range(0, levels.Count).FirstOrDefault(u => !float.IsFinite(levels[u]), -1);
        if (bad >= 0)
        {
            throw new ArgumentException($"The level of unit {bad} is not finite.", nameof(levels));
        }

        if (!(levelQuantile > 0 && levelQuantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(levelQuantile), levelQuantile, "The level quantile must be in (0, 1].");
        }

        intensities ??= IntensityUnitCounts.Default;
        intensities.Validate();
        _levels = levels.ToArray();
        Rankings = new Dictionary<string, ConceptRanking>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var ranking in concepts)
        {
            ArgumentNullException.ThrowIfNull(ranking, nameof(concepts));
            if (!Rankings.TryAdd(ranking.Concept, ranking))
            {
                throw new ArgumentException($"Concept '{ranking.Concept}' is listed twice.", nameof(concepts));
            }

            ThrowIfOutsideLayer(ranking, nameof(concepts));
            names.Add(ranking.Concept);
        }

        RemovalRankings = new Dictionary<string, ConceptRanking>(StringComparer.OrdinalIgnoreCase);
        foreach (var ranking in removalRankings ?? [])
        {
            ArgumentNullException.ThrowIfNull(ranking, nameof(removalRankings));
            if (!Rankings.ContainsKey(ranking.Concept))
            {
                throw new ArgumentException(
                    $"The removal ranking of '{ranking.Concept}' names no concept of the catalog ({string.Join(", ", names)}): " +
                    "every removal ranking needs the concept's ranking beside it.", nameof(removalRankings));
            }

            if (!RemovalRankings.TryAdd(ranking.Concept, ranking))
            {
                throw new ArgumentException($"Concept '{ranking.Concept}' has two removal rankings.", nameof(removalRankings));
            }

            ThrowIfOutsideLayer(ranking, nameof(removalRankings));
        }

        _concepts = [.. names];
        _squashUnits = [.. squashUnits ?? []];
        var invalid = _squashUnits.Where(u => u < 0 || u >= _levels.Length).ToArray();
        if (invalid.Length > 0)
        {
            throw new ArgumentException(
                $"Squash units {string.Join(", ", invalid)} are outside the layer's {_levels.Length} units.", nameof(squashUnits));
        }

        // Read-only wrappers, so that a caller cannot cast the catalog's state back to something it can change.
        Levels = _levels.AsReadOnly();
        SquashUnits = new System.Collections.ObjectModel.ReadOnlySet<int>(_squashUnits);
        Concepts = _concepts.AsReadOnly();
        Layer = layer;
        LevelQuantile = levelQuantile;
        Intensities = intensities;
        Source = source;
    }

    /// <inheritdoc />
    public string Layer { get; }

    /// <inheritdoc />
    public int UnitCount => _levels.Length;

    /// <inheritdoc />
    public double LevelQuantile { get; }

    /// <inheritdoc />
    public IReadOnlyList<float> Levels { get; }

    /// <inheritdoc />
    public IReadOnlySet<int> SquashUnits { get; }

    /// <inheritdoc />
    public IntensityUnitCounts Intensities { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Concepts { get; }

    /// <summary>Where the catalog came from (a file, a dissection run), if known.</summary>
    public string? Source { get; }

    internal Dictionary<string, ConceptRanking> Rankings { get; }

    internal Dictionary<string, ConceptRanking> RemovalRankings { get; }

    /// <inheritdoc />
    public bool TryGetRanking(string concept, [NotNullWhen(true)] out ConceptRanking? ranking)
    {
        ranking = null;
        return concept is not null && Rankings.TryGetValue(concept, out ranking);
    }

    /// <inheritdoc />
    public bool TryGetRemovalRanking(string concept, [NotNullWhen(true)] out ConceptRanking? ranking)
    {
        ranking = null;
        return concept is not null && RemovalRankings.TryGetValue(concept, out ranking);
    }

    /// <summary>A concept's ranking, best unit first.</summary>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept; the message lists those it knows.</exception>
    public ConceptRanking GetRanking(string concept) =>
        TryGetRanking(concept, out var ranking) ? ranking : throw new UnknownConceptException(concept, _concepts);

    /// <summary>The best <paramref name="count"/> units for a concept, in rank order, skipping squash units; fewer when
    /// the ranking is shorter.</summary>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public IReadOnlyList<int> SelectUnits(string concept, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Select(GetRanking(concept), count);
    }

    /// <summary>The best <paramref name="count"/> units for removing a concept, in rank order, skipping squash units:
    /// from its removal ranking, or its ranking when it has none. Fewer when the ranking is shorter.</summary>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public IReadOnlyList<int> SelectUnitsToRemove(string concept, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Select(TryGetRemovalRanking(concept, out var removal) ? removal : GetRanking(concept), count);
    }

    /// <summary>A copy with other squash units.</summary>
    /// <param name="squashUnits">The units to exclude from every edit.</param>
    public ConceptCatalog WithSquashUnits(IEnumerable<int> squashUnits) =>
        new(Layer, _levels, InCatalogOrder(Rankings), squashUnits, LevelQuantile, Intensities, Source, InCatalogOrder(RemovalRankings));

    /// <summary>A copy whose intensities use other unit counts (the rankings, levels and everything else unchanged).</summary>
    /// <param name="intensities">The units the low, medium and high intensities use; null for GANPaint Studio's 4, 10 and 15.</param>
    /// <exception cref="ArgumentException">A count is less than 1.</exception>
    public ConceptCatalog WithIntensities(IntensityUnitCounts? intensities) =>
        new(Layer, _levels, InCatalogOrder(Rankings), _squashUnits, LevelQuantile, intensities, Source, InCatalogOrder(RemovalRankings));

    /// <summary>Rankings in the order of <see cref="Concepts"/>.</summary>
    private IEnumerable<ConceptRanking> InCatalogOrder(Dictionary<string, ConceptRanking> rankings) =>
        _concepts.Where(rankings.ContainsKey).Select(name => rankings[name]);

    private int[] Select(ConceptRanking ranking, int count) =>
        ranking.Units.Select(u => u.Unit).Where(u => !_squashUnits.Contains(u)).Take(count).ToArray();

    private void ThrowIfOutsideLayer(ConceptRanking ranking, string parameter)
    {
        var outside = ranking.Units.FirstOrDefault(u => u.Unit >= _levels.Length, new RankedUnit(-1, 0));
        if (outside.Unit >= 0)
        {
            throw new ArgumentException(
                $"Concept '{ranking.Concept}' ranks unit {outside.Unit}, but the layer has {_levels.Length} units.", parameter);
        }
    }

    /// <summary>The catalog in the project's JSON schema.</summary>
    public string ToJson() => ConceptCatalogJson.Write(this);

    /// <summary>Writes the catalog in the project's JSON schema, atomically.</summary>
    /// <param name="path">The file to write; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Loads a catalog in either format: the project's schema, or the authors' (imported with
    /// <paramref name="authorsOptions"/>).
    /// </summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="authorsOptions">How to import the authors' format; null for the defaults.</param>
    /// <param name="logger">Receives what was loaded and which squash units were detected.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a catalog in either format; the message says why.</exception>
    public static ConceptCatalog Load(string path, AuthorsCatalogOptions? authorsOptions = null, ILogger? logger = null)
    {
        var json = ReadFile(path);
        return Parse(json, Path.GetFileName(path), authorsOptions, logger);
    }

    /// <summary>Parses a catalog in either format; see <see cref="Load"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="description">Names the document in error messages.</param>
    /// <param name="authorsOptions">How to import the authors' format; null for the defaults.</param>
    /// <param name="logger">Receives what was loaded.</param>
    /// <exception cref="InvalidDataException">The text is not a catalog in either format.</exception>
    public static ConceptCatalog Parse(string json, string description = "catalog", AuthorsCatalogOptions? authorsOptions = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json, description);
        var root = document.RootElement;
        ConceptCatalog catalog;
        string format;
        if (ConceptCatalogJson.IsOwnFormat(root))
        {
            catalog = ConceptCatalogJson.Read(json, description);
            format = "project";
        }
        else if (AuthorsCatalogFormat.IsAuthorsFormat(root))
        {
            var (imported, detected) = AuthorsCatalogFormat.Read(root, description, authorsOptions ?? AuthorsCatalogOptions.Default);
            LogSquashDetection(logger, description, imported, detected);
            catalog = imported;
            format = "authors'";
        }
        else
        {
            throw new InvalidDataException(
                $"{description} is neither a concept catalog in this SDK's schema ('format': '{ConceptCatalogJson.FormatName}') " +
                "nor an authors' dissection (with 'rankings' and 'levels_q99').");
        }

        if (logger is not null)
        {
            Log.CatalogLoaded(logger, format, description, catalog.Concepts.Count, catalog.UnitCount, catalog.Layer, catalog.SquashUnits.Count);
        }

        return catalog;
    }

    /// <summary>Imports the authors' published dissection (gandissect demo rankings and levels).</summary>
    /// <param name="path">The JSON file, e.g. <c>ganpaint_church_layer4_units.json</c>.</param>
    /// <param name="options">Squash units and metric preference; null for the defaults.</param>
    /// <param name="logger">Receives what was imported and which squash units were detected.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not in the authors' format; the message says why.</exception>
    public static ConceptCatalog ImportAuthors(string path, AuthorsCatalogOptions? options = null, ILogger? logger = null)
    {
        var json = ReadFile(path);
        var description = Path.GetFileName(path);
        using var document = ParseDocument(json, description);
        if (!AuthorsCatalogFormat.IsAuthorsFormat(document.RootElement))
        {
            throw new InvalidDataException($"{description} is not an authors' dissection: it lacks 'rankings' or 'levels_q99'.");
        }

        var (catalog, detected) = AuthorsCatalogFormat.Read(document.RootElement, description, options ?? AuthorsCatalogOptions.Default);
        LogSquashDetection(logger, description, catalog, detected);
        if (logger is not null)
        {
            Log.CatalogLoaded(logger, "authors'", description, catalog.Concepts.Count, catalog.UnitCount, catalog.Layer, catalog.SquashUnits.Count);
        }

        return catalog;
    }

    /// <summary>Checks that <paramref name="catalog"/> describes <paramref name="generator"/>'s split layer.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="generator">The generator it will be used with.</param>
    /// <exception cref="ArgumentException">The layer or unit count differs; the message names both.</exception>
    public static void ThrowIfMismatched(IConceptCatalog catalog, ILayerSplitGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(generator);
        var shape = generator.RepresentationShape;
        if (catalog.UnitCount != shape.Channels || !string.Equals(catalog.Layer, generator.SplitLayer, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The concept catalog describes {catalog.UnitCount} units of {catalog.Layer}, but the generator is split at " +
                $"{generator.SplitLayer} with {shape.Channels} units: use the catalog made for this generator.");
        }
    }

    private static void LogSquashDetection(ILogger? logger, string description, ConceptCatalog catalog, IReadOnlyList<int> detected)
    {
        if (logger is not null && detected.Count > 0 && logger.IsEnabled(LogLevel.Information))
        {
            var levels = detected.Select(u => catalog.Levels[u]).ToArray();
            Log.SquashUnitsDetected(logger, description, detected, levels);
        }
    }

    private static string ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The concept catalog '{path}' does not exist.", path);
        }

        return File.ReadAllText(path);
    }

    private static JsonDocument ParseDocument(string json, string description)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{description} is not valid JSON: {ex.Message}", ex);
        }
    }
}
