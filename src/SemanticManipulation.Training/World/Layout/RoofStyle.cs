namespace SemanticManipulation.Training.World.Layout;

/// <summary>How a building's main roof meets the front face.</summary>
internal enum RoofStyle
{
    /// <summary>The front is a gable; the roof slope recedes along the visible side.</summary>
    Gable,

    /// <summary>The front is the long wall under a hipped roof.</summary>
    Hipped,

    /// <summary>A flat top behind a cornice (domes sit on it).</summary>
    Flat,
}
