namespace SemanticManipulation.Training.World.Rendering;

/// <summary>An axis-aligned box in scene coordinates that encloses a shape; only samples inside it are tested.</summary>
internal readonly record struct Bounds(float Left, float Top, float Right, float Bottom)
{
    public static Bounds Around(ReadOnlySpan<Vec2> points)
    {
        float l = float.MaxValue, t = float.MaxValue, r = float.MinValue, b = float.MinValue;
        foreach (Vec2 p in points)
        {
            l = MathF.Min(l, p.X);
            t = MathF.Min(t, p.Y);
            r = MathF.Max(r, p.X);
            b = MathF.Max(b, p.Y);
        }

        return new(l, t, r, b);
    }

    public Bounds Inflate(float dx, float dy) => new(Left - dx, Top - dy, Right + dx, Bottom + dy);
}
