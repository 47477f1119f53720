using System.Globalization;

namespace SemanticManipulation.Studio.Model;

/// <summary>
/// A display colour for each concept of the loaded catalog, to paint its strokes in. Concepts GANPaint Studio's palette
/// and the embedded model share get the colour people expect of them (trees green, sky blue); any other name gets a
/// hue of its own from its position, spread by the golden angle so neighbours differ.
/// </summary>
internal static class ConceptPalette
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tree"] = "#2e8b3a",
        ["grass"] = "#8fd14f",
        ["sky"] = "#5aa9f0",
        ["cloud"] = "#d9e4ee",
        ["dome"] = "#d4a017",
        ["brick"] = "#b5482f",
        ["door"] = "#7a4b2a",
        ["window"] = "#3d5a80",
        ["roof"] = "#8e3b8e",
        ["stone"] = "#9a9a8c",
        ["path"] = "#c9a66b",
        ["hill"] = "#5d7f3b",
        ["water"] = "#1f6fb2",
        ["mountain"] = "#6d6875",
        ["building"] = "#c2703d",
    };

    /// <summary>The colour (<c>#rrggbb</c>) of the concept at <paramref name="index"/> in the catalog.</summary>
    public static string ColourOf(string concept, int index)
    {
        ArgumentNullException.ThrowIfNull(concept);
        if (Known.TryGetValue(concept, out var colour))
        {
            return colour;
        }

        var hue = (index * 137.508) % 360;
        return FromHsl(hue, 0.65, 0.5);
    }

    private static string FromHsl(double hue, double saturation, double lightness)
    {
        var chroma = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
        var x = chroma * (1 - Math.Abs((hue / 60 % 2) - 1));
        var m = lightness - (chroma / 2);
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (chroma, x, 0.0),
            < 2 => (x, chroma, 0.0),
            < 3 => (0.0, chroma, x),
            < 4 => (0.0, x, chroma),
            < 5 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        static int Byte(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return string.Create(CultureInfo.InvariantCulture, $"#{Byte(r + m):x2}{Byte(g + m):x2}{Byte(b + m):x2}");
    }
}
