using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>How a building's windows look; the painter places them from the building's geometry.</summary>
internal sealed class WindowPlan
{
    public required bool Arched { get; init; }

    /// <summary>Whether the windows glow from inside (common at dusk).</summary>
    public required bool Lit { get; init; }

    public required Rgb Glass { get; init; }

    /// <summary>A round window in the gable.</summary>
    public required bool Rose { get; init; }

    /// <summary>Number of windows along the receding side wall.</summary>
    public required int SideCount { get; init; }
}
