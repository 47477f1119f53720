using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>A dome: silhouette, covering, and the drum and lantern that go with it.</summary>
internal sealed class DomePlan
{
    public required DomeProfile Profile { get; init; }

    public required Rgb Color { get; init; }

    /// <summary>Specular strength: high for gilding, low for lead or tiles.</summary>
    public required float Metallic { get; init; }

    public required int Ribs { get; init; }

    public required float Radius { get; set; }

    public required float Height { get; set; }

    /// <summary>Height of the cylindrical drum under the dome (0 for none).</summary>
    public required float DrumHeight { get; set; }

    public required bool Lantern { get; init; }
}
