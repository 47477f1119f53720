namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A colour with components nominally in [0, 1] (values above 1 are clipped only when the image is resolved).</summary>
/// <remarks>Its own small type rather than <c>System.Numerics.Vector3</c>: the BCL's vector helpers (Lerp among them)
/// may use fused multiply-add depending on the CPU, which would make rendered bytes differ across machines.</remarks>
internal readonly struct Rgb(float r, float g, float b)
{
    public readonly float R = r;
    public readonly float G = g;
    public readonly float B = b;

    public float Luma => (0.299f * R) + (0.587f * G) + (0.114f * B);

    public static Rgb Gray(float v) => new(v, v, v);

    public static Rgb Bytes(int r, int g, int b) => new(r / 255f, g / 255f, b / 255f);

    public static Rgb operator +(Rgb a, Rgb b) => new(a.R + b.R, a.G + b.G, a.B + b.B);

    public static Rgb operator -(Rgb a, Rgb b) => new(a.R - b.R, a.G - b.G, a.B - b.B);

    public static Rgb operator *(Rgb a, float k) => new(a.R * k, a.G * k, a.B * k);

    public static Rgb operator *(Rgb a, Rgb b) => new(a.R * b.R, a.G * b.G, a.B * b.B);

    public static Rgb Lerp(Rgb a, Rgb b, float t) => new(a.R + ((b.R - a.R) * t), a.G + ((b.G - a.G) * t), a.B + ((b.B - a.B) * t));

    /// <summary>Moves the colour away from (k &gt; 1) or towards (k &lt; 1) its own grey.</summary>
    public Rgb Saturate(float k)
    {
        float y = Luma;
        return new(y + ((R - y) * k), y + ((G - y) * k), y + ((B - y) * k));
    }
}
