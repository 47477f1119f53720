using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>A building's wall material and the size and colours of its bricks or blocks.</summary>
internal sealed class MasonryPlan
{
    public required Masonry Kind { get; init; }

    public required Rgb Color { get; init; }

    /// <summary>Mortar (brick) or joint (stone) colour.</summary>
    public required Rgb Joint { get; init; }

    public required float CourseHeight { get; init; }

    /// <summary>Brick or average block length.</summary>
    public required float UnitLength { get; init; }

    public required uint Salt { get; init; }
}
