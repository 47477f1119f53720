namespace SemanticManipulation.Training.World.Layout;

/// <summary>A tower in front of or at a corner of the building, and what crowns it.</summary>
internal sealed class TowerPlan
{
    public required TowerPlacement Placement { get; init; }

    public required float Width { get; set; }

    /// <summary>Height of the shaft above the tower's base.</summary>
    public required float ShaftHeight { get; set; }

    public required TowerTop Top { get; init; }

    /// <summary>Height of the crown (spire, pyramid, onion, dome or battlements) above the shaft.</summary>
    public required float TopHeight { get; set; }

    /// <summary>The dome or onion, when <see cref="Top"/> is one.</summary>
    public DomePlan? Dome { get; init; }

    /// <summary>Arched openings near the top of the shaft.</summary>
    public required int BelfryOpenings { get; init; }
}
