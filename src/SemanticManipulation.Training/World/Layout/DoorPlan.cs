using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>The building's main door.</summary>
internal sealed class DoorPlan
{
    /// <summary>Centre x of the door.</summary>
    public required float CenterX { get; set; }

    public required float Width { get; set; }

    public required float Height { get; set; }

    public required bool Arched { get; init; }

    public required Rgb Color { get; init; }

    public required int Planks { get; init; }
}
