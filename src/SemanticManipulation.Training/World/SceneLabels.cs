using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Training.World;

/// <summary>Names, display colours and groupings of the <see cref="SceneLabel"/> values.</summary>
public static class SceneLabels
{
    /// <summary>The number of labels; every label value is below it.</summary>
    public const int Count = 12;

    /// <summary>Display names indexed by label value ("sky", "cloud", ...).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["sky", "cloud", "hill", "grass", "path", "tree", "brick", "stone", "roof", "dome", "door", "window"];

    /// <summary>Colours for drawing label maps, indexed by label value; chosen to be easy to tell apart.</summary>
    public static IReadOnlyList<Rgb24> Colors { get; } =
    [
        new(118, 178, 250), // sky
        new(245, 245, 245), // cloud
        new(104, 92, 150), // hill
        new(80, 190, 60), // grass
        new(222, 190, 120), // path
        new(15, 95, 30), // tree
        new(200, 55, 35), // brick
        new(150, 150, 150), // stone
        new(120, 40, 110), // roof
        new(0, 210, 210), // dome
        new(255, 200, 0), // door
        new(35, 35, 170), // window
    ];

    /// <summary>The seven concepts of GANPaint Studio's palette that this world must show often.</summary>
    public static IReadOnlyList<SceneLabel> StudioConcepts { get; } =
        [SceneLabel.Tree, SceneLabel.Grass, SceneLabel.Door, SceneLabel.Sky, SceneLabel.Cloud, SceneLabel.Brick, SceneLabel.Dome];

    /// <summary>The display name of <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a defined label.</exception>
    public static string NameOf(SceneLabel label)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((int)label, Count, nameof(label));
        return Names[(int)label];
    }
}
