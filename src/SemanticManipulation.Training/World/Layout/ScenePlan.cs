using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>
/// Everything random about one scene, drawn from its seed before any pixel is rendered; it does not depend on the image
/// size, so a seed shows the same scene at every resolution.
/// </summary>
internal sealed class ScenePlan
{
    public required long Seed { get; init; }

    public required TimeOfDay Time { get; init; }

    public required Season Season { get; init; }

    /// <summary>The y of the horizon line.</summary>
    public required float HorizonY { get; init; }

    public required SceneLight Light { get; init; }

    public required SkyPlan Sky { get; init; }

    public required IReadOnlyList<CloudPlan> Clouds { get; init; }

    /// <summary>Distant terrain bands, farthest first.</summary>
    public required IReadOnlyList<SkylinePlan> Skylines { get; init; }

    public required GroundPlan Ground { get; init; }

    public PathPlan? Path { get; init; }

    public required IReadOnlyList<BuildingPlan> Buildings { get; init; }

    /// <summary>Trees and bushes.</summary>
    public required IReadOnlyList<TreePlan> Trees { get; init; }

    public required PhotoFinish Finish { get; init; }
}
