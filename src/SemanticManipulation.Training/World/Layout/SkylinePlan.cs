using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>A band of distant terrain at the horizon: smooth hills or a tree line with rounded crowns.</summary>
internal sealed class SkylinePlan
{
    public required float BaseY { get; init; }

    public required float Swell { get; init; }

    public required float SwellScale { get; init; }

    public required float Crowns { get; init; }

    public required float CrownScale { get; init; }

    public required Rgb Light { get; init; }

    public required Rgb Dark { get; init; }

    /// <summary>How much of the sky's horizon colour is mixed in.</summary>
    public required float Haze { get; init; }

    public required float TextureScale { get; init; }

    public required Vec2 Noise { get; init; }
}
