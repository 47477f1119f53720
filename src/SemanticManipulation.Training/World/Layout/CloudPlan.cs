using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>One cloud: its lobes (ellipses), vertical extent, colours and translucency.</summary>
internal sealed class CloudPlan
{
    public required (float X, float Y, float Rx, float Ry)[] Lobes { get; init; }

    public required float TopY { get; init; }

    /// <summary>The flat base (cumulus) or the lowest lobe's bottom.</summary>
    public required float BaseY { get; init; }

    /// <summary>Nothing of the cloud below this y; <see cref="float.PositiveInfinity"/> if unclipped.</summary>
    public required float ClipBottom { get; init; }

    public required float CenterX { get; init; }

    public required Rgb Lit { get; init; }

    public required Rgb Shadow { get; init; }

    public required float Opacity { get; init; }

    public required float EdgeNoise { get; init; }

    public required float TextureScale { get; init; }

    public required Vec2 Noise { get; init; }
}
