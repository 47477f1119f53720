using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>The meadow below the horizon.</summary>
internal sealed class GroundPlan
{
    public required Rgb Lush { get; init; }

    public required Rgb Dry { get; init; }

    /// <summary>How strongly the ground fades into the horizon colour near the horizon.</summary>
    public required float Haze { get; init; }

    public required Vec2 Noise { get; init; }
}
