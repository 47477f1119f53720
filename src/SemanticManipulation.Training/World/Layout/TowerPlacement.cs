namespace SemanticManipulation.Training.World.Layout;

/// <summary>Where a tower stands against the building's front face.</summary>
internal enum TowerPlacement
{
    Left,
    Right,

    /// <summary>In front of the middle of the façade; the door is then in the tower.</summary>
    Center,
}
