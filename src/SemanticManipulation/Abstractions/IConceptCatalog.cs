using System.Diagnostics.CodeAnalysis;
using SemanticManipulation.Editing;

namespace SemanticManipulation;

/// <summary>
/// What the units of a generator's split layer mean: for each concept (tree, grass, dome, …) the units ranked by how
/// well they match it, each unit's activation level (the quantile an "add" edit writes, q99 by default), and the
/// "squash" units that damage every edit and are never selected. Built by GAN dissection
/// (<see cref="Dissection.GanDissector"/>) or imported from the authors' published dissections.
/// </summary>
/// <remarks>Concept names are matched case-insensitively. Implementations must be immutable.</remarks>
public interface IConceptCatalog
{
    /// <summary>The layer the units belong to (the generator's split layer, e.g. <c>layer4</c>).</summary>
    string Layer { get; }

    /// <summary>Number of units (channels) in <see cref="Layer"/>.</summary>
    int UnitCount { get; }

    /// <summary>The quantile <see cref="Levels"/> hold (0.99 as the authors').</summary>
    double LevelQuantile { get; }

    /// <summary>Per unit, its activation at <see cref="LevelQuantile"/> over random samples: the value "add" writes.</summary>
    IReadOnlyList<float> Levels { get; }

    /// <summary>Units excluded from every edit (they hurt any edit they take part in).</summary>
    IReadOnlySet<int> SquashUnits { get; }

    /// <summary>How many units each paint intensity uses.</summary>
    IntensityUnitCounts Intensities { get; }

    /// <summary>The concept names, in the catalog's order.</summary>
    IReadOnlyList<string> Concepts { get; }

    /// <summary>Looks up a concept's ranking.</summary>
    /// <param name="concept">The concept name (case-insensitive).</param>
    /// <param name="ranking">The ranking, best unit first.</param>
    /// <returns>Whether the catalog knows the concept.</returns>
    bool TryGetRanking(string concept, [NotNullWhen(true)] out ConceptRanking? ranking);

    /// <summary>
    /// Looks up the ranking the remove operator uses for a concept, when the catalog has one: units ranked by how much of
    /// the concept disappears when they are switched off where it is (GAN Dissection's ablation), which need not be the
    /// units whose switching on draws it. Catalogs without one (the authors', those written before removal rankings,
    /// dissections ranked by IoU) return false, and removing the concept uses <see cref="TryGetRanking"/>'s units.
    /// </summary>
    /// <param name="concept">The concept name (case-insensitive).</param>
    /// <param name="ranking">The removal ranking, best unit first.</param>
    /// <returns>Whether the catalog has a removal ranking for the concept.</returns>
    bool TryGetRemovalRanking(string concept, [NotNullWhen(true)] out ConceptRanking? ranking)
    {
        ranking = null;
        return false;
    }

    /// <summary>A concept's ranking, best unit first.</summary>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept; the message lists those it knows.</exception>
    ConceptRanking GetRanking(string concept) =>
        TryGetRanking(concept, out var ranking) ? ranking : throw new UnknownConceptException(concept, Concepts);

    /// <summary>The best <paramref name="count"/> units for a concept, in rank order, skipping squash units. Fewer
    /// are returned when the ranking is shorter.</summary>
    /// <param name="concept">The concept name (case-insensitive).</param>
    /// <param name="count">How many units to select (at least 1).</param>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    IReadOnlyList<int> SelectUnits(string concept, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var squash = SquashUnits;
        return GetRanking(concept).Units.Select(u => u.Unit).Where(u => !squash.Contains(u)).Take(count).ToArray();
    }

    /// <summary>The best <paramref name="count"/> units for removing a concept, in rank order, skipping squash units: from
    /// its removal ranking (<see cref="TryGetRemovalRanking"/>), or as <see cref="SelectUnits"/> when it has none. Fewer
    /// are returned when the ranking is shorter.</summary>
    /// <param name="concept">The concept name (case-insensitive).</param>
    /// <param name="count">How many units to select (at least 1).</param>
    /// <exception cref="UnknownConceptException">The catalog does not know the concept.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    IReadOnlyList<int> SelectUnitsToRemove(string concept, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!TryGetRemovalRanking(concept, out var removal))
        {
            return SelectUnits(concept, count);
        }

        var squash = SquashUnits;
        return removal.Units.Select(u => u.Unit).Where(u => !squash.Contains(u)).Take(count).ToArray();
    }
}
