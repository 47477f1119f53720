using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>The reference colours the composers pick from and then vary slightly per scene.</summary>
internal static class Palettes
{
    public static readonly Rgb[] Bricks =
    [
        new(0.62f, 0.30f, 0.22f), new(0.55f, 0.26f, 0.19f), new(0.70f, 0.37f, 0.25f),
        new(0.48f, 0.24f, 0.19f), new(0.64f, 0.42f, 0.30f), new(0.58f, 0.22f, 0.16f),
    ];

    public static readonly Rgb[] Mortars = [new(0.80f, 0.77f, 0.70f), new(0.70f, 0.68f, 0.64f), new(0.86f, 0.84f, 0.80f)];

    public static readonly Rgb[] Stones =
    [
        new(0.66f, 0.65f, 0.62f), new(0.79f, 0.73f, 0.61f), new(0.83f, 0.71f, 0.53f),
        new(0.87f, 0.85f, 0.80f), new(0.56f, 0.55f, 0.53f), new(0.74f, 0.70f, 0.66f),
    ];

    public static readonly Rgb[] Roofs =
    [
        new(0.30f, 0.32f, 0.37f), new(0.38f, 0.37f, 0.37f), new(0.66f, 0.33f, 0.20f),
        new(0.47f, 0.30f, 0.22f), new(0.33f, 0.38f, 0.46f), new(0.55f, 0.21f, 0.16f),
    ];

    /// <summary>Dome coverings with their specular strength: copper patina, lead, gilding, blue slate, tiles, whitewash.</summary>
    public static readonly (Rgb Color, float Metallic)[] Domes =
    [
        (new(0.34f, 0.62f, 0.52f), 0.18f), (new(0.30f, 0.56f, 0.46f), 0.15f), (new(0.55f, 0.57f, 0.61f), 0.3f),
        (new(0.88f, 0.67f, 0.24f), 0.75f), (new(0.27f, 0.36f, 0.52f), 0.25f), (new(0.68f, 0.37f, 0.24f), 0.05f),
        (new(0.86f, 0.86f, 0.83f), 0.1f),
    ];

    /// <summary>Onion coverings: gilding, green, blue.</summary>
    public static readonly (Rgb Color, float Metallic)[] Onions =
    [
        (new(0.88f, 0.67f, 0.24f), 0.75f), (new(0.24f, 0.55f, 0.40f), 0.3f), (new(0.20f, 0.36f, 0.68f), 0.35f),
        (new(0.34f, 0.62f, 0.52f), 0.18f),
    ];

    public static readonly Rgb[] Woods =
    [
        new(0.30f, 0.18f, 0.10f), new(0.22f, 0.13f, 0.08f), new(0.36f, 0.22f, 0.12f), new(0.19f, 0.12f, 0.10f),
    ];

    public static readonly Rgb[] PaintedDoors = [new(0.12f, 0.26f, 0.18f), new(0.42f, 0.12f, 0.10f), new(0.13f, 0.21f, 0.36f)];

    /// <summary>Autumn crowns as (light, dark).</summary>
    public static readonly (Rgb Light, Rgb Dark)[] AutumnLeaves =
    [
        (new(0.95f, 0.56f, 0.15f), new(0.42f, 0.16f, 0.04f)),
        (new(0.86f, 0.27f, 0.12f), new(0.34f, 0.08f, 0.04f)),
        (new(0.93f, 0.79f, 0.26f), new(0.44f, 0.30f, 0.06f)),
        (new(0.52f, 0.58f, 0.22f), new(0.15f, 0.22f, 0.06f)),
    ];
}
