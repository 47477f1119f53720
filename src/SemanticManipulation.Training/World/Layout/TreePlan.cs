using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>One tree or bush standing on the ground at (<see cref="X"/>, <see cref="BaseY"/>).</summary>
internal sealed class TreePlan
{
    public required TreeKind Kind { get; init; }

    public required float X { get; init; }

    public required float BaseY { get; init; }

    public required float Height { get; init; }

    public required float CrownWidth { get; init; }

    /// <summary>Crown lobes as (cx, cy, rx, ry); empty for conifers, whose crown is a cone.</summary>
    public required (float X, float Y, float Rx, float Ry)[] Lobes { get; init; }

    public required Rgb Light { get; init; }

    public required Rgb Dark { get; init; }

    public required Rgb Accent { get; init; }

    public required float AccentShare { get; init; }

    public required Rgb Bark { get; init; }

    public required Vec2 Noise { get; init; }
}
