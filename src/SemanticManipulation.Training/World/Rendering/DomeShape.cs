namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A dome silhouette standing on a horizontal base line.</summary>
internal readonly struct DomeShape(float centerX, float baseY, float radius, float height, DomeProfile profile) : IShape
{
    // The onion bulb (1 - t)^1.5 · (1 + 4t) peaks at 1.299 (t = 0.25); dividing makes its widest point equal the radius.
    private const float OnionPeak = 1.2990381f;

    public float CenterX => centerX;

    public float BaseY => baseY;

    public float Radius => radius;

    public float Height => height;

    public DomeProfile Profile => profile;

    public Bounds Bounds => new(centerX - radius, baseY - height, centerX + radius, baseY);

    /// <summary>Half-width of the dome at relative height t (0 at the base, 1 at the tip).</summary>
    public float HalfWidthAt(float t)
    {
        if (profile == DomeProfile.Hemisphere)
        {
            return radius * MathF.Sqrt(MathF.Max(1f - (t * t), 0f));
        }

        float rest = MathF.Max(1f - t, 0f);
        return radius * rest * MathF.Sqrt(rest) * (1f + (4f * t)) / OnionPeak;
    }

    public bool Contains(float x, float y)
    {
        float t = (baseY - y) / height;
        return t >= 0f && t <= 1f && MathF.Abs(x - centerX) <= HalfWidthAt(t);
    }
}
