using System.Globalization;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Editing;

/// <summary>
/// Base of operators that set a concept's top units to a value inside the mask (add: their q99 level, remove: 0).
/// Derive from it for variants (see the tests' sample operator): only <see cref="ValueFor"/> differs.
/// </summary>
public abstract class ConceptEditOperator : IEditOperator
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The context has no concept catalog.</exception>
    /// <exception cref="UnknownConceptException">No concept was given or the catalog does not know it; the message lists
    /// the known concepts.</exception>
    public EditStroke CreateStroke(EditRequest request, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        EditStroke.ThrowIfInvalidStrength(request.Strength, nameof(request.Strength));
        var catalog = context.RequireCatalog(Name);
        var concept = request.Concept;
        if (string.IsNullOrWhiteSpace(concept) || !catalog.TryGetRanking(concept, out var ranking))
        {
            throw new UnknownConceptException(concept, catalog.Concepts);
        }

        var count = request.UnitCount ?? catalog.Intensities.For(request.Intensity);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), count, "The unit count must be at least 1.");
        }

        var mask = context.PrepareMask(request.Mask);
        var units = catalog.SelectUnits(ranking.Concept, count);
        var notes = new List<string>();
        if (units.Count == 0)
        {
            throw new ArgumentException(
                $"Concept '{ranking.Concept}' has no units to edit: its ranking is empty or holds only squash units.", nameof(request));
        }

        if (units.Count < count)
        {
            var note = string.Create(CultureInfo.InvariantCulture,
                $"Concept '{ranking.Concept}' has only {units.Count} usable units (of {count} asked for) after excluding squash units.");
            notes.Add(note);
            Log.FewerUnitsThanRequested(context.Logger, note);
        }

        var values = units.Select(u => ValueFor(u, catalog)).ToArray();
        Log.StrokeCreated(context.Logger, Name, ranking.Concept, units.Count, request.Strength, mask.Coverage);
        return new EditStroke(Name, mask, units, values, request.Strength, ranking.Concept, notes);
    }

    /// <summary>The value unit <paramref name="unit"/> takes inside the mask.</summary>
    /// <param name="unit">A unit selected for the concept.</param>
    /// <param name="catalog">The catalog (its <see cref="IConceptCatalog.Levels"/> are the units' q99 activations).</param>
    protected abstract float ValueFor(int unit, IConceptCatalog catalog);
}
