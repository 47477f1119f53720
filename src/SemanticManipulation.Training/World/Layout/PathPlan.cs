using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>A gravel or dirt path from the bottom of the image to a door or toward the horizon.</summary>
internal sealed class PathPlan
{
    public required float FarY { get; init; }

    public required float FarX { get; init; }

    public required float NearX { get; init; }

    public required float FarHalfWidth { get; init; }

    public required float NearHalfWidth { get; init; }

    public required float Bend { get; init; }

    public required Rgb Light { get; init; }

    public required Rgb Dark { get; init; }

    /// <summary>Strength of the fine grit texture (gravel high, dirt low).</summary>
    public required float Speckle { get; init; }

    public required Vec2 Noise { get; init; }
}
