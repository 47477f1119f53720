using System.Globalization;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Editing;

/// <summary>
/// Base of operators that set a concept's top units to a value inside the mask (add: their q99 level, remove: 0).
/// Derive from it for variants with their own edit record (see the tests' sample operator): only
/// <see cref="ValueFor"/> differs.
/// </summary>
/// <typeparam name="TEdit">The concept edit it handles.</typeparam>
public abstract class ConceptEditOperator<TEdit> : IEditOperator<TEdit>, IEditPrecheck
    where TEdit : ConceptEdit
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The context has no concept catalog.</exception>
    /// <exception cref="UnknownConceptException">No concept was given or the catalog does not know it; the message lists
    /// the known concepts.</exception>
    public EditStroke CreateStroke(TEdit edit, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(context);
        var catalog = context.RequireCatalog(Name);
        if (!catalog.TryGetRanking(edit.Concept, out var ranking))
        {
            throw new UnknownConceptException(edit.Concept, catalog.Concepts);
        }

        var count = edit.UnitCount ?? catalog.Intensities.For(edit.Intensity);
        var mask = context.PrepareMask(edit.Mask);
        var units = SelectUnits(catalog, ranking.Concept, count);
        var notes = new List<string>();
        if (units.Count == 0)
        {
            throw new ArgumentException(
                $"Concept '{ranking.Concept}' has no units to edit: its ranking is empty or holds only squash units.", nameof(edit));
        }

        if (units.Count < count)
        {
            // Say why: a pruned ranking is simply shorter, and squash units are only to blame when the catalog has some.
            var reason = catalog.SquashUnits.Count == 0
                ? "its ranking keeps no more"
                : $"its ranking less the catalog's {catalog.SquashUnits.Count} squash units keeps no more";
            var note = string.Create(CultureInfo.InvariantCulture,
                $"Concept '{ranking.Concept}' changes {units.Count} units, not the {count} asked for: {reason}.");
            notes.Add(note);
            Log.FewerUnitsThanRequested(context.Logger, note);
        }

        var values = units.Select(u => ValueFor(u, catalog)).ToArray();
        Log.StrokeCreated(context.Logger, Name, ranking.Concept, units.Count, edit.Strength, mask.Coverage);
        return new EditStroke(Name, mask, units, values, edit.Strength, ranking.Concept, notes);
    }

    // A concept edit's stroke needs only the catalog and the mask, so building one and dropping it checks everything.
    void IEditPrecheck.Precheck(SemanticEdit edit, EditContext context) => ((IEditOperator)this).CreateStroke(edit, context);

    /// <summary>The units the edit changes, best first: by default the concept's ranking
    /// (<see cref="IConceptCatalog.SelectUnits"/>).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="concept">The concept, as the catalog names it.</param>
    /// <param name="count">How many units the edit asks for (at least 1).</param>
    protected virtual IReadOnlyList<int> SelectUnits(IConceptCatalog catalog, string concept, int count)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.SelectUnits(concept, count);
    }

    /// <summary>The value unit <paramref name="unit"/> takes inside the mask.</summary>
    /// <param name="unit">A unit selected for the concept.</param>
    /// <param name="catalog">The catalog (its <see cref="IConceptCatalog.Levels"/> are the units' q99 activations).</param>
    protected abstract float ValueFor(int unit, IConceptCatalog catalog);
}
