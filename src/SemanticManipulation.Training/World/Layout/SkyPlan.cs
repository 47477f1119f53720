using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>The sky gradient and the glow around a low sun.</summary>
internal sealed class SkyPlan
{
    public required Rgb Zenith { get; init; }

    public required Rgb Middle { get; init; }

    public required Rgb Horizon { get; init; }

    /// <summary>Added around <see cref="GlowCenter"/> (black for none).</summary>
    public required Rgb Glow { get; init; }

    public required Vec2 GlowCenter { get; init; }

    public required float GlowRadius { get; init; }
}
